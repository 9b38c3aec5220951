"""Turning one file row into clean household and person values, or into row errors.

Checks that need no database: every mapped cell is parsed; required fields are present; a NIK
that disagrees with the sex or birth date gives a *warning* (the row is still written); a NIK
already seen earlier in the same file is refused. Region codes are checked against the known
desa codes (loaded per kabupaten when first needed, see ``engine.RegionCodes``), and against
the importer's region scope; the verdict for each code is kept for the rest of the file.

The checks are compiled once per file (:func:`compile_column`): each mapped column gets one
function that turns its cell into the clean value, so that a row costs one call per cell and
no dispatch on the kind of field. The functions give exactly what the field's parser
(``FIELDS[name].parse``) gives, error messages included: a value seen before in the same
column is remembered (for the columns with few distinct values: sex, dates, codes, places),
the KK and address of a household's next row are those of the row before, and the usual
shapes of NIK, KK, name, phone and birth date are recognised directly; anything else goes
through the parser itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from bakti.core.row_errors import RowError
from bakti.core.scoping import Scope
from bakti.registry.identity import nik_checks, nik_facts

from .layouts import FIELDS, REGION_PARTS, Field, target_label
from .parsing import (
    BadValue,
    _known_nik_prefix,
    _nik_birth_date_exists,
    clean_text,
    parse_kk,
    region_from_parts,
)

HOUSEHOLD_KEYS = frozenset(
    ["region_id", *(name for name, spec in FIELDS.items() if spec.level == "household")]
)
PERSON_KEYS = frozenset(name for name, spec in FIELDS.items() if spec.level == "person")

# A column's function returns this for an empty cell (the field is then left out of the row).
EMPTY: Any = object()
# Columns with few distinct values: each distinct cell is parsed once per file.
REMEMBERED = frozenset(
    [
        "region_code",
        "rt",
        "rw",
        "desil",
        "sex",
        "birth_date",
        "birth_place",
        "relationship",
        "marital_status",
        "education",
        "occupation",
    ]
)
# Columns repeated on every row of a household: the previous row's value is kept.
REPEATED = frozenset(["no_kk", "address"])
# At most this many distinct cells are remembered per column (a bound on memory).
REMEMBER_AT_MOST = 100_000
_LETTER = re.compile(r"[^\W\d_]")


def cell_value(spec: Field) -> Callable[[Any], Any]:
    """The general path for one cell: :data:`EMPTY` when the cell is empty, else the parsed
    value; raises :class:`BadValue` (the check as the field defines it)."""
    parse = spec.parse

    def convert(raw: Any) -> Any:
        text = clean_text(raw)
        if not text and not hasattr(raw, "year"):
            return EMPTY
        return parse(raw)

    return convert


def _remembered(general: Callable[[Any], Any]) -> Callable[[Any], Any]:
    memo: dict[str, Any] = {}

    def convert(raw: Any) -> Any:
        # Only text cells: 1, 1.0 and True are equal as keys but not as cells.
        if type(raw) is not str:
            return general(raw)
        value = memo.get(raw, memo)  # the dict itself marks "not seen"
        if value is not memo:
            return value
        value = general(raw)  # a bad value raises, and is not remembered
        if len(memo) < REMEMBER_AT_MOST:
            memo[raw] = value
        return value

    return convert


def _repeated(general: Callable[[Any], Any]) -> Callable[[Any], Any]:
    last: list[Any] = [None, EMPTY]  # the last text cell and its value

    def convert(raw: Any) -> Any:
        if type(raw) is not str:
            return general(raw)
        if raw == last[0]:
            return last[1]
        value = general(raw)  # a bad value raises, and is not kept
        last[0], last[1] = raw, value
        return value

    return convert


def _sixteen_digits(raw: Any) -> bool:
    """A cell of sixteen ASCII digits, the form of a NIK and a KK."""
    return type(raw) is str and len(raw) == 16 and raw.isascii() and raw.isdigit()


def _nik(general: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def convert(raw: Any) -> Any:
        # Sixteen ASCII digits with a real date and a known region: what parse_nik returns.
        if (
            _sixteen_digits(raw)
            and _nik_birth_date_exists(raw[6:12])
            and _known_nik_prefix(raw[:4])
        ):
            return raw
        return general(raw)

    return convert


def _kk(general: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def convert(raw: Any) -> Any:
        if _sixteen_digits(raw) and not raw.startswith("00"):
            return raw
        return general(raw)

    return _repeated(convert)


def _name(general: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def convert(raw: Any) -> Any:
        if type(raw) is str:
            # What the name parser makes of text that does not start with a quote.
            text = " ".join(raw.split())
            if text and text[0] != "'" and len(text) <= 200 and _LETTER.search(text):
                return text
        return general(raw)

    return convert


def _phone(general: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def convert(raw: Any) -> Any:
        if type(raw) is str:
            if not raw:
                return EMPTY
            if 6 <= len(raw) <= 15 and raw.isascii() and raw.isdigit():
                return raw
        return general(raw)

    return convert


def _birth_date(general: Callable[[Any], Any]) -> Callable[[Any], Any]:
    remembered = _remembered(general)
    # Dates before the day the file was opened are in the past whenever they are checked.
    opened = dt.date.today()

    def convert(raw: Any) -> Any:
        # DD-MM-YYYY in ASCII digits, as exports write it: the date the parser reads.
        if (
            type(raw) is str
            and len(raw) == 10
            and raw[2] == "-"
            and raw[5] == "-"
            and raw.isascii()
            and raw[:2].isdigit()
            and raw[3:5].isdigit()
            and raw[6:].isdigit()
        ):
            try:
                date = dt.date(int(raw[6:]), int(raw[3:5]), int(raw[:2]))
            except ValueError:
                return general(raw)  # the parser's message for a date that does not exist
            if date.year >= 1880 and date < opened:
                return date
        return remembered(raw)

    return convert


_SHAPES: dict[str, Callable[[Callable[[Any], Any]], Callable[[Any], Any]]] = {
    "nik": _nik,
    "no_kk": _kk,
    "full_name": _name,
    "phone": _phone,
    "birth_date": _birth_date,
}


def compile_column(name: str) -> Callable[[Any], Any]:
    """One function for a field's cells, for one file: the same value, :data:`EMPTY` or
    :class:`BadValue` as :func:`cell_value`, faster for the usual cells."""
    general = cell_value(FIELDS[name])
    if name in _SHAPES:
        return _SHAPES[name](general)
    if name in REMEMBERED:
        return _remembered(general)
    if name in REPEATED:
        return _repeated(general)
    return general


@dataclass
class ColumnPlan:
    """Where each target field is in the row: target → (column index, header as in the file)."""

    columns: dict[str, tuple[int, str]]

    @classmethod
    def build(cls, header: Sequence[str], mapping: dict[str, str]) -> ColumnPlan:
        columns: dict[str, tuple[int, str]] = {}
        for index, name in enumerate(header):
            target = mapping.get(name)
            if target and target not in columns:
                columns[target] = (index, name)
        return cls(columns=columns)

    def header_of(self, target: str) -> str:
        if target in self.columns:
            return self.columns[target][1]
        if target == "region_code" and all(p in self.columns for p in REGION_PARTS):
            return "+".join(self.columns[p][1] for p in REGION_PARTS)
        return target_label(target)

    def cell(self, cells: Sequence[Any], target: str) -> Any:
        index = self.columns[target][0]
        return cells[index] if index < len(cells) else None


@dataclass
class CleanRow:
    number: int
    household: dict[str, Any]
    person: dict[str, Any]
    warnings: list[RowError] = field(default_factory=list)
    nik_flags: list[dict[str, str]] = field(default_factory=list)


@dataclass
class RowChecker:
    plan: ColumnPlan
    desa_codes: Any  # supports ``code in desa_codes``: a set, or engine.RegionCodes
    scope: Scope
    kecamatan_codes: Any = frozenset()
    today: dt.date = field(default_factory=dt.date.today)
    seen_niks: set[int] = field(default_factory=set)

    def kk_of(self, cells: Sequence[Any]) -> str:
        """The KK cell as written (trimmed), for grouping rows into households before checks."""
        index = self._kk_index
        if index is None:
            return ""
        return clean_text(cells[index] if index < len(cells) else None)

    def __post_init__(self) -> None:
        # The mapped fields in FIELDS order, each with its column and its compiled function,
        # worked out once per file; household fields and person fields apart, so that each
        # row's two dicts are filled directly.
        columns = self.plan.columns
        mapped = [
            (name, columns[name][0], compile_column(name), spec.required, spec.level)
            for name, spec in FIELDS.items()
            if name in columns
        ]
        self._household = [m[:4] for m in mapped if m[4] == "household"]
        self._person = [m[:4] for m in mapped if m[4] == "person"]
        self._household_fast = [m[:3] for m in self._household]
        self._person_fast = [m[:3] for m in self._person]
        self._required = [m[0] for m in mapped if m[3]]
        self._width = 1 + max((m[1] for m in mapped), default=-1)
        self._kk_index = columns["no_kk"][0] if "no_kk" in columns else None
        self._region_parts = all(p in columns for p in REGION_PARTS)
        # Per desa code: None when it may be imported, else the reason it may not.
        self._region_verdicts: dict[str, str | None] = {}
        # Per NIK digits 7-12: the sex and birth date they encode.
        self._nik_dates: dict[str, tuple[str, dt.date | None]] = {}
        self._known_kecamatan: dict[str, bool] = {}

    def check(self, number: int, cells: Sequence[Any]) -> tuple[CleanRow | None, list[RowError]]:
        errors: list[RowError] = []
        if len(cells) < self._width:
            cells = [*cells, *([None] * (self._width - len(cells)))]
        # The usual row, every cell good: each dict in one comprehension, empty cells left out.
        try:
            household = {
                name: value
                for name, index, convert in self._household_fast
                if (value := convert(cells[index])) is not EMPTY
            }
            person = {
                name: value
                for name, index, convert in self._person_fast
                if (value := convert(cells[index])) is not EMPTY
            }
            complete = all(name in household or name in person for name in self._required)
        except BadValue:
            complete = False
        if not complete:
            # Cell by cell, to name every bad or missing value.
            household, person = self._cells(number, cells, errors)
        self._check_region(number, cells, household, errors)
        nik = person.get("nik")
        if nik is not None:
            nik_int = int(nik)
            if nik_int in self.seen_niks:
                errors.append(
                    self._error(
                        number,
                        "nik",
                        nik,
                        _("This NIK already appears on an earlier row of this file."),
                    )
                )
            elif not errors:
                self.seen_niks.add(nik_int)
        if "sex" not in person and nik is not None:
            # Sex is required; when the cell is empty, the NIK says it (women: day + 40).
            person["sex"] = "F" if int(nik[6:8]) > 40 else "M"
        elif "sex" not in person and not any(
            e.column == self.plan.header_of("sex") for e in errors
        ):
            errors.append(
                self._error(number, "sex", "", _("Sex is required when the person has no NIK."))
            )
        if errors:
            return None, errors
        row = CleanRow(number=number, household=household, person=person)
        if nik is not None and not self._nik_agrees(nik, person):
            # Disagreements with what the NIK encodes are kept on the person (nik_flags) and
            # listed in the warning report; the row is still written.
            kecamatan = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
            row.nik_flags = nik_checks(
                nik,
                today=self.today,
                sex=person.get("sex"),
                birth_date=person.get("birth_date"),
                # One element, not the whole set: the check copies what it is given.
                known_kecamatan=[kecamatan] if kecamatan in self.kecamatan_codes else [],
            )
            for flag in row.nik_flags:
                target = flag["check"] if flag["check"] in person else "nik"
                shown = person[target]
                row.warnings.append(
                    self._error(
                        number,
                        target,
                        shown.isoformat() if hasattr(shown, "isoformat") else str(shown),
                        _("Saved, but please check: %(detail)s") % {"detail": flag["detail"]},
                    )
                )
        return row, []

    def _cells(
        self, number: int, cells: Sequence[Any], errors: list[RowError]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        household: dict[str, Any] = {}
        person: dict[str, Any] = {}
        for values, plan in ((household, self._household), (person, self._person)):
            for name, index, convert, required in plan:
                raw = cells[index]
                try:
                    value = convert(raw)
                except BadValue as exc:
                    errors.append(self._error(number, name, clean_text(raw), str(exc)))
                    continue
                if value is EMPTY:
                    if required:
                        errors.append(self._error(number, name, "", _("This value is required.")))
                    continue
                values[name] = value
        return household, person

    def _nik_agrees(self, nik: str, person: dict[str, Any]) -> bool:
        """Whether :func:`nik_checks` would find nothing: the sex and birth date the NIK
        encodes match the row's, and its kecamatan is known (the usual row, decided without
        building the flags)."""
        digits = nik[6:12]
        encoded = self._nik_dates.get(digits)
        if encoded is None:
            facts = nik_facts("000000" + digits + "0000", today=self.today)
            encoded = (facts.sex, facts.birth_date)
            if len(self._nik_dates) < REMEMBER_AT_MOST:
                self._nik_dates[digits] = encoded
        sex, born = encoded
        row_sex = person.get("sex")
        if row_sex and row_sex != sex:
            return False
        row_born = person.get("birth_date")
        if row_born and born and row_born != born:
            return False
        prefix = nik[0:6]
        known = self._known_kecamatan.get(prefix)
        if known is None:
            code = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
            known = self._known_kecamatan[prefix] = code in self.kecamatan_codes
        return known

    def _check_region(
        self, number: int, cells: Sequence[Any], values: dict[str, Any], errors: list[RowError]
    ) -> None:
        code = values.pop("region_code", None)
        if code is None and self._region_parts:
            parts = [self.plan.cell(cells, p) for p in REGION_PARTS]
            shown = "/".join(clean_text(p) for p in parts)
            try:
                code = region_from_parts(*parts)
            except BadValue as exc:
                errors.append(self._error(number, "region_code", shown, str(exc)))
                return
        if code is None:
            if not any(e.column == self.plan.header_of("region_code") for e in errors):
                errors.append(self._error(number, "region_code", "", _("This value is required.")))
            return
        verdicts = self._region_verdicts
        if code in verdicts:
            reason = verdicts[code]
        else:
            reason = verdicts[code] = self._region_verdict(code)
        if reason is not None:
            errors.append(self._error(number, "region_code", code, reason))
            return
        values["region_id"] = code

    def _region_verdict(self, code: str) -> str | None:
        if code not in self.desa_codes:
            return _("No desa/kelurahan has this code; check it against the region list.")
        if not self.scope.contains_region(code):
            return _("This desa/kelurahan is outside the regions you may import for.")
        return None

    def _error(self, number: int, target: str, value: str, reason: str) -> RowError:
        return RowError(row=number, column=self.plan.header_of(target), value=value, reason=reason)


def kk_or_none(text: str) -> str | None:
    try:
        return parse_kk(text)
    except BadValue:
        return None
