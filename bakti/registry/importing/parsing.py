"""Parsing the values people type into registry spreadsheets.

Each parser takes the raw cell (a string, or a date/number when it came from XLSX) and returns
the clean value, or raises :class:`BadValue` with a translatable reason that says what is wrong.
Nothing here touches the database, so the parsers are fast and property-tested.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _
from stdnum.id import nik as stdnum_nik

from bakti.core.spreadsheet_safety import DANGEROUS_PREFIXES


class BadValue(ValueError):
    """A cell that cannot be used; ``str(error)`` is the reason in the active language."""


MONTHS = {
    # Indonesian, full and short (Agu/Agt, Okt, Nop/Nov, Des, Mei, Peb/Feb)
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "pebruari": 2,
    "feb": 2,
    "peb": 2,
    "maret": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nopember": 11,
    "nov": 11,
    "nop": 11,
    "desember": 12,
    "des": 12,
    # English, for extracts made with an English spreadsheet
    "january": 1,
    "february": 2,
    "march": 3,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "aug": 8,
    "october": 10,
    "oct": 10,
    "december": 12,
    "dec": 12,
}

_NUMERIC_DATE = re.compile(r"^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$")
_WORD_DATE = re.compile(r"^(\d{1,2})[\s\-/.]+([A-Za-z]+)\.?[\s\-/.]+(\d{2}|\d{4})$")
_COMPACT_DATE = re.compile(r"^(\d{2})(\d{2})(\d{4})$")  # DDMMYYYY, as some extracts store it
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2})?$")


def clean_text(value: Any) -> str:
    """A cell as trimmed text; undoes the quote an export adds before a formula-like value."""
    if value is None:
        return ""
    if type(value) is str:
        text = value.strip()
        if not text or text[0] != "'":
            return text  # the common case, kept short: every cell of every row passes here
    else:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
    if text.startswith("'") and text[1:2] and text[1:].startswith(DANGEROUS_PREFIXES):
        text = text[1:]
    return text


def ascii_digits(text: str) -> str:
    """Decimal digits of any script (fullwidth, Arabic-Indic, ...) written as ASCII digits;
    other characters (superscript two, letters) are left for the checks to refuse."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def is_number(text: str) -> bool:
    """Only the ASCII digits 0-9 (``str.isdigit`` also admits superscripts, which ``int``
    refuses)."""
    return text.isascii() and text.isdigit()


def _year(text: str, today: dt.date) -> int:
    year = int(text)
    if len(text) == 2:
        # Two-digit years are birth or event dates: never in the future.
        century = today.year // 100 * 100
        year += century if year <= today.year % 100 else century - 100
    return year


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadValue(_("This date does not exist.")) from None


def parse_date(value: Any, *, today: dt.date | None = None) -> dt.date:
    """A date as Indonesians write it: 17-08-1975, 17/8/75, 1975-08-17, 17 Agustus 1975,
    17-Agu-1975, 17081975, or a date cell from a spreadsheet. Day comes before month unless
    the year comes first."""
    today = today or dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean_text(value)
    if not text:
        raise BadValue(_("A date is required."))
    if match := _ISO_DATETIME.match(text):
        text = match.group(1)
    if match := _NUMERIC_DATE.match(text):
        first, month, last = match.groups()
        if len(first) == 4:
            return _make_date(int(first), int(month), int(last))
        if len(last) in (2, 4) and len(first) <= 2:
            return _make_date(_year(last, today), int(month), int(first))
    elif match := _WORD_DATE.match(text):
        day, month_name, year = match.groups()
        month = MONTHS.get(month_name.lower())
        if month is None:
            raise BadValue(
                _("“%(month)s” is not a month name.") % {"month": month_name},
            )
        return _make_date(_year(year, today), month, int(day))
    elif match := _COMPACT_DATE.match(text):
        day, month, year = match.groups()
        return _make_date(int(year), int(month), int(day))
    raise BadValue(
        _("Not a date: write it as DD-MM-YYYY (17-08-1975), YYYY-MM-DD or 17 Agustus 1975.")
    )


def parse_birth_date(value: Any, *, today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    date = parse_date(value, today=today)
    if date > today:
        raise BadValue(_("The birth date is in the future."))
    if date.year < 1880:
        raise BadValue(_("The birth date is before 1880."))
    return date


_SEPARATORS = re.compile(r"[\s.\-]")


def _digits(value: Any) -> str:
    text = ascii_digits(clean_text(value))
    if is_number(text):
        return text  # digits only: nothing to strip
    # Spreadsheets show long numbers as 3.17101E+15 and lose digits; say so plainly.
    if re.fullmatch(r"\d(\.\d+)?[eE]\+\d+", text):
        raise BadValue(
            _(
                "The number was shortened by the spreadsheet (scientific notation): "
                "format the column as text and export again."
            )
        )
    return _SEPARATORS.sub("", text)


def parse_nik(value: Any) -> str:
    """A valid NIK (16 digits, a known region prefix and a real birth date), digits only."""
    digits = _digits(value)
    if not is_number(digits):
        raise BadValue(_("The NIK must contain only digits."))
    if len(digits) != 16:
        raise BadValue(
            _("The NIK must have 16 digits; this one has %(count)d.") % {"count": len(digits)}
        )
    if not _nik_birth_date_exists(digits[6:12]):
        raise BadValue(_("The NIK does not contain a valid birth date (digits 7-12)."))
    if not _known_nik_prefix(digits[:4]):
        raise BadValue(_("The NIK starts with an unknown region code (digits 1-4)."))
    return digits


@functools.lru_cache(maxsize=65536)
def _nik_birth_date_exists(ddmmyy: str) -> bool:
    """Whether digits 7-12 of a NIK name a real date: day (plus 40 for women), month, two-digit
    year, in either century (the rule of ``stdnum.id.nik.get_birth_date``, which a property
    test holds this to; written out because stdnum re-cleans the number on every call)."""
    day, month, year = int(ddmmyy[0:2]) % 40, int(ddmmyy[2:4]), int(ddmmyy[4:6])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    for century in (1900, 2000):
        try:
            dt.date(century + year, month, day)
        except ValueError:
            continue
        return True
    return False


@functools.lru_cache(maxsize=1024)
def _known_nik_prefix(prefix: str) -> bool:
    """Whether stdnum knows the province and kabupaten of a NIK (digits 1-4); looked up once per
    prefix, since the lookup is slow and an import has few prefixes."""
    return stdnum_nik.is_valid(prefix + "01" + "010100" + "0001")


def parse_kk(value: Any) -> str:
    """A family card number: 16 digits."""
    digits = _digits(value)
    if not is_number(digits):
        raise BadValue(_("The KK number must contain only digits."))
    if len(digits) != 16:
        raise BadValue(
            _("The KK number must have 16 digits; this one has %(count)d.") % {"count": len(digits)}
        )
    if digits.startswith("00"):
        raise BadValue(_("The KK number must start with a province code, not 00."))
    return digits


SEX_VALUES = {
    "l": "M",
    "lk": "M",
    "laki": "M",
    "laki-laki": "M",
    "laki laki": "M",
    "pria": "M",
    "m": "M",
    "male": "M",
    "1": "M",
    "p": "F",
    "pr": "F",
    "perempuan": "F",
    "wanita": "F",
    "f": "F",
    "female": "F",
    "w": "F",
    "2": "F",
}


def parse_sex(value: Any) -> str:
    """ "M" or "F" from L/P, 1/2, Laki-laki/Perempuan, M/F …"""
    text = clean_text(value).lower()
    if text not in SEX_VALUES:
        raise BadValue(_("Sex must be L or P (also accepted: 1/2, Laki-laki/Perempuan, M/F)."))
    return SEX_VALUES[text]


def parse_desil(value: Any) -> int:
    text = ascii_digits(clean_text(value))
    if not is_number(text) or not 1 <= int(text) <= 10:
        raise BadValue(_("Desil must be a whole number from 1 to 10."))
    return int(text)


def parse_region_code(value: Any) -> str:
    """A Kemendagri desa code, written with dots (34.04.01.2001) or as 10 digits."""
    text = ascii_digits(clean_text(value)).replace(" ", "")
    if re.fullmatch(r"\d{10}", text):
        text = f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
    if not re.fullmatch(r"\d{2}\.\d{2}\.\d{2}\.\d{4}", text):
        raise BadValue(
            _("The region must be a desa/kelurahan code such as 34.04.01.2001 (or 3404012001).")
        )
    return text


def region_from_parts(prop: Any, kab: Any, kec: Any, desa: Any) -> str:
    """A desa code from the separate KDPROP/KDKAB/KDKEC/KDDESA columns of an extract (each may
    be written alone, 2001, or with its parents, 3404012001)."""
    parts = [ascii_digits(clean_text(p)) for p in (prop, kab, kec, desa)]
    if not all(is_number(part) for part in parts):
        raise BadValue(_("The region code parts must be numbers."))
    prop_code = parts[0].zfill(2)[-2:]
    kab_code = parts[1].zfill(2)[-2:]
    kec_code = parts[2].zfill(2)[-2:]
    desa_code = parts[3].zfill(4)[-4:]
    return f"{prop_code}.{kab_code}.{kec_code}.{desa_code}"
