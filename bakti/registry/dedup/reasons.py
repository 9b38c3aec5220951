"""The reasons behind a possible duplicate, kept in one stable form and shown translated.

The matcher records each reason as ``{"rule", "detail"}`` with the detail in English: the form
stored with the candidate and given by the API, whatever the language of whoever ran the
search. :func:`reason_text` gives a detail in the reader's language on the pages and exports.
Every detail the matcher writes is made here, so the two cannot drift apart.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# Fixed details: the stored English text, and what it says in the reader's language.
BIRTH_DATE_MISSING = "birth date missing"
SAME_BIRTH_DATE = "same birth date"
DAY_MONTH_SWAPPED = "birth date with day and month swapped"
ONE_YEAR_APART = "birth date one year apart"
SAME_BIRTH_MONTH = "same birth month"
SAME_BIRTH_YEAR = "same birth year"
ABOUT_A_YEAR_APART = "birth dates about a year apart"
DIFFERENT_BIRTH_DATES = "different birth dates"
SAME_DESA = "same desa/kelurahan"
SAME_KECAMATAN = "same kecamatan"
SAME_KABUPATEN = "same kabupaten/kota"
DIFFERENT_KABUPATEN = "different kabupaten/kota"
SAME_NIK = "same NIK"
DIFFERENT_NIKS = "different NIKs"
DIFFERENT_SEX = "different sex"
SAME_HOUSEHOLD = "same household"

_FIXED = {
    BIRTH_DATE_MISSING: gettext_lazy("birth date missing"),
    SAME_BIRTH_DATE: gettext_lazy("same birth date"),
    DAY_MONTH_SWAPPED: gettext_lazy("birth date with day and month swapped"),
    ONE_YEAR_APART: gettext_lazy("birth date one year apart"),
    SAME_BIRTH_MONTH: gettext_lazy("same birth month"),
    SAME_BIRTH_YEAR: gettext_lazy("same birth year"),
    ABOUT_A_YEAR_APART: gettext_lazy("birth dates about a year apart"),
    DIFFERENT_BIRTH_DATES: gettext_lazy("different birth dates"),
    SAME_DESA: gettext_lazy("same desa/kelurahan"),
    SAME_KECAMATAN: gettext_lazy("same kecamatan"),
    SAME_KABUPATEN: gettext_lazy("same kabupaten/kota"),
    DIFFERENT_KABUPATEN: gettext_lazy("different kabupaten/kota"),
    SAME_NIK: gettext_lazy("same NIK"),
    DIFFERENT_NIKS: gettext_lazy("different NIKs"),
    DIFFERENT_SEX: gettext_lazy("different sex"),
    SAME_HOUSEHOLD: gettext_lazy("same household"),
}
_NAME = re.compile(r"name similarity (\d+)%")
_NIK_DIGITS = re.compile(r"NIKs differ by (\d+) digit\(s\)( in the serial only)?")


def name_detail(similarity: float) -> str:
    return f"name similarity {round(similarity * 100)}%"


def nik_detail(distance: int, *, serial_only: bool) -> str:
    return f"NIKs differ by {distance} digit(s)" + (" in the serial only" if serial_only else "")


def reason_text(detail: str) -> str:
    """A stored detail in the reader's language (an unknown one as it is)."""
    if detail in _FIXED:
        return str(_FIXED[detail])
    if found := _NAME.fullmatch(detail):
        return _("name similarity %(percent)s%%") % {"percent": found[1]}
    if found := _NIK_DIGITS.fullmatch(detail):
        digits = int(found[1])
        if found[2]:
            return ngettext(
                "NIKs differ by %(digits)s digit, in the serial only",
                "NIKs differ by %(digits)s digits, in the serial only",
                digits,
            ) % {"digits": digits}
        return ngettext(
            "NIKs differ by %(digits)s digit", "NIKs differ by %(digits)s digits", digits
        ) % {"digits": digits}
    return detail
