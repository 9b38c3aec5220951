"""Turning one file row into clean household and person values, or into row errors.

Checks that need no database: every mapped cell is parsed; required fields are present; a NIK
that disagrees with the sex or birth date gives a *warning* (the row is still written); a NIK
already seen earlier in the same file is refused. Region codes are checked against a set of
known desa codes loaded once per import, and against the importer's region scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from bakti.core.row_errors import RowError
from bakti.core.scoping import Scope
from bakti.registry.identity import nik_checks

from .layouts import FIELDS, REGION_PARTS, target_label
from .parsing import BadValue, clean_text, parse_kk, region_from_parts

HOUSEHOLD_KEYS = frozenset(
    ["region_id", *(name for name, spec in FIELDS.items() if spec.level == "household")]
)
PERSON_KEYS = frozenset(name for name, spec in FIELDS.items() if spec.level == "person")


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
    desa_codes: frozenset[str] | set[str]
    scope: Scope
    kecamatan_codes: frozenset[str] | set[str] = frozenset()
    today: dt.date = field(default_factory=dt.date.today)
    seen_niks: set[int] = field(default_factory=set)

    def kk_of(self, cells: Sequence[Any]) -> str:
        """The KK cell as written (trimmed), for grouping rows into households before checks."""
        return clean_text(self.plan.cell(cells, "no_kk")) if "no_kk" in self.plan.columns else ""

    def __post_init__(self) -> None:
        # The mapped fields in FIELDS order with their column, worked out once per file.
        self._mapped = [
            (name, spec, self.plan.columns[name][0])
            for name, spec in FIELDS.items()
            if name in self.plan.columns
        ]

    def check(self, number: int, cells: Sequence[Any]) -> tuple[CleanRow | None, list[RowError]]:
        errors: list[RowError] = []
        values: dict[str, Any] = {}
        width = len(cells)
        for name, spec, index in self._mapped:
            raw = cells[index] if index < width else None
            text = clean_text(raw)
            if not text and not hasattr(raw, "year"):
                if spec.required:
                    errors.append(self._error(number, name, "", _("This value is required.")))
                continue
            try:
                values[name] = spec.parse(raw)
            except BadValue as exc:
                errors.append(self._error(number, name, text, str(exc)))
        self._check_region(number, cells, values, errors)
        if "nik" in values:
            nik_int = int(values["nik"])
            if nik_int in self.seen_niks:
                errors.append(
                    self._error(
                        number,
                        "nik",
                        values["nik"],
                        _("This NIK already appears on an earlier row of this file."),
                    )
                )
            elif not errors:
                self.seen_niks.add(nik_int)
        if "sex" not in values and "nik" in values:
            # Sex is required; when the cell is empty, the NIK says it (women: day + 40).
            values["sex"] = "F" if int(values["nik"][6:8]) > 40 else "M"
        elif "sex" not in values and not any(
            e.column == self.plan.header_of("sex") for e in errors
        ):
            errors.append(
                self._error(number, "sex", "", _("Sex is required when the person has no NIK."))
            )
        if errors:
            return None, errors
        row = CleanRow(
            number=number,
            household={k: v for k, v in values.items() if k in HOUSEHOLD_KEYS},
            person={k: v for k, v in values.items() if k in PERSON_KEYS},
        )
        if "nik" in values:
            # Disagreements with what the NIK encodes are kept on the person (nik_flags) and
            # listed in the warning report; the row is still written.
            nik = values["nik"]
            kecamatan = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
            row.nik_flags = nik_checks(
                values["nik"],
                today=self.today,
                sex=values.get("sex"),
                birth_date=values.get("birth_date"),
                # One element, not the whole set: the check copies what it is given.
                known_kecamatan=[kecamatan] if kecamatan in self.kecamatan_codes else [],
            )
            for flag in row.nik_flags:
                target = flag["check"] if flag["check"] in values else "nik"
                shown = values[target]
                row.warnings.append(
                    self._error(
                        number,
                        target,
                        shown.isoformat() if hasattr(shown, "isoformat") else str(shown),
                        _("Saved, but please check: %(detail)s") % {"detail": flag["detail"]},
                    )
                )
        return row, []

    def _check_region(
        self, number: int, cells: Sequence[Any], values: dict[str, Any], errors: list[RowError]
    ) -> None:
        code = values.pop("region_code", None)
        if code is None and all(p in self.plan.columns for p in REGION_PARTS):
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
        if code not in self.desa_codes:
            errors.append(
                self._error(
                    number,
                    "region_code",
                    code,
                    _("No desa/kelurahan has this code; check it against the region list."),
                )
            )
            return
        if not self.scope.contains_region(code):
            errors.append(
                self._error(
                    number,
                    "region_code",
                    code,
                    _("This desa/kelurahan is outside the regions you may import for."),
                )
            )
            return
        values["region_id"] = code

    def _error(self, number: int, target: str, value: str, reason: str) -> RowError:
        return RowError(row=number, column=self.plan.header_of(target), value=value, reason=reason)


def kk_or_none(text: str) -> str | None:
    try:
        return parse_kk(text)
    except BadValue:
        return None
