"""Row-level problems found while reading a file, reported back to the person who sent it."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from .spreadsheet_safety import neutralise


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based line number in the file, header included
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s, value “%(value)s”: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
        }


def write_error_report(errors: Iterable[RowError], out: IO[str]) -> int:
    """Write the errors as CSV (row, column, value, reason), headers in the active language."""
    writer = csv.writer(out)
    writer.writerow([_("row"), _("column"), _("value"), _("reason")])
    count = 0
    for error in errors:
        writer.writerow([error.row, error.column, neutralise(error.value), error.reason])
        count += 1
    return count
