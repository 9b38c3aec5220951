"""Any list as CSV or XLSX, with the filters the user applied, streamed row by row.

Cells are neutralised against formula injection (see ``spreadsheet_safety``). XLSX is written
in openpyxl's write-only mode so memory stays flat however long the list is.
"""

import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

from .spreadsheet_safety import neutralise


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool | int | float):
        return value
    return neutralise(str(value))


def csv_rows(rows: Iterable[Any], columns: Sequence[Column]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([str(c.header) for c in columns])
    for row in rows:
        yield writer.writerow([_plain(c.value(row)) for c in columns])


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value) if abs(value) < Decimal("1e15") else str(value)
    if isinstance(value, bool | int | float | dt.date):
        return value
    if value is None:
        return None
    return neutralise(str(value))


def write_xlsx(rows: Iterable[Any], columns: Sequence[Column], title: str, out: Any) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Sheet1")
    sheet.append([str(c.header) for c in columns])
    for row in rows:
        sheet.append([_xlsx_cell(c.value(row)) for c in columns])
    workbook.save(out)


def export_response(
    rows: Iterable[Any], columns: Sequence[Column], *, filename: str, file_format: str
) -> HttpResponse | StreamingHttpResponse | FileResponse:
    """A download of ``rows`` as ``csv`` or ``xlsx``."""
    if file_format == "xlsx":
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        write_xlsx(rows, columns, filename, handle)
        handle.seek(0)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"{filename}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response = StreamingHttpResponse(csv_rows(rows, columns), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
