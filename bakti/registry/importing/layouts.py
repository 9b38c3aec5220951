"""The fields an import can fill, and the two built-in column layouts.

The *Bakti layout* is what ``bakti export registry`` writes: one row per person, the household
columns repeated on each member's row. The *DTKS layout* follows the column names of DTKS/DTSEN
extracts as districts receive them (NOKK, NIK, NAMA, JNS_KEL, TGL_LAHIR, HUB_KRT, KDPROP …).
A saved :class:`~bakti.registry.models.ColumnMapping` maps any other header to these fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bakti.registry import models as registry

from . import parsing
from .parsing import BadValue, clean_text


@dataclass(frozen=True)
class Field:
    name: str
    label: str | Promise
    level: str  # "household" or "person"
    parse: Callable[[Any], Any]
    required: bool = False
    max_length: int | None = None


def _text(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = " ".join(clean_text(value).split())  # runs of any whitespace become one space
        if len(text) > max_length:
            raise BadValue(
                str(_("The text is too long: at most %(max)d characters.")) % {"max": max_length}
            )
        return text

    return parse


def _name(value: Any) -> str:
    text = _text(200)(value)
    if not text:
        raise BadValue(str(_("The name is required.")))
    if not re.search(r"[^\W\d_]", text):
        raise BadValue(str(_("A name must contain letters.")))
    return text


def _rt_rw(value: Any) -> str:
    text = parsing.ascii_digits(clean_text(value))
    if not parsing.is_number(text) or len(text) > 3:
        raise BadValue(str(_("RT and RW are numbers of at most 3 digits, such as 004.")))
    return text.zfill(3)


def _phone(value: Any) -> str:
    text = re.sub(r"[\s\-().]", "", clean_text(value))
    if not re.fullmatch(r"\+?\d{6,15}", text):
        raise BadValue(str(_("Not a phone number: use digits only, such as 081234567890.")))
    return text


def _aliases(
    choices: type[registry.models.TextChoices], extra: dict[str, str], what: str | Promise
) -> Callable[[Any], str]:
    lookup = {str(value).lower(): value for value in choices.values}
    lookup.update({str(label).lower(): value for value, label in choices.choices})
    lookup.update(extra)

    def parse(value: Any) -> str:
        text = " ".join(clean_text(value).lower().split())
        if text in lookup:
            return str(lookup[text])
        raise BadValue(
            str(_("Not a known %(what)s; use one of: %(allowed)s."))
            % {"what": what, "allowed": ", ".join(choices.values)}
        )

    return parse


R = registry.Relationship
RELATIONSHIP_ALIASES = {
    # DTKS HUB_KRT codes, then the Indonesian words people write.
    "1": R.HEAD,
    "2": R.SPOUSE,
    "3": R.CHILD,
    "4": R.CHILD_IN_LAW,
    "5": R.GRANDCHILD,
    "6": R.PARENT,
    "7": R.OTHER,
    "8": R.OTHER_RELATIVE,
    "kepala keluarga": R.HEAD,
    "kepala rumah tangga": R.HEAD,
    "krt": R.HEAD,
    "kk": R.HEAD,
    "istri": R.SPOUSE,
    "isteri": R.SPOUSE,
    "suami": R.SPOUSE,
    "istri/suami": R.SPOUSE,
    "suami/istri": R.SPOUSE,
    "anak": R.CHILD,
    "anak kandung": R.CHILD,
    "anak angkat": R.CHILD,
    "anak tiri": R.CHILD,
    "menantu": R.CHILD_IN_LAW,
    "cucu": R.GRANDCHILD,
    "orang tua": R.PARENT,
    "orangtua": R.PARENT,
    "mertua": R.PARENT,
    "orang tua/mertua": R.PARENT,
    "famili lain": R.OTHER_RELATIVE,
    "saudara": R.OTHER_RELATIVE,
    "pembantu": R.OTHER,
    "pembantu ruta": R.OTHER,
    "lainnya": R.OTHER,
}
MS = registry.MaritalStatus
MARITAL_ALIASES = {
    "1": MS.SINGLE,
    "2": MS.MARRIED,
    "3": MS.DIVORCED,
    "4": MS.WIDOWED,
    "belum kawin": MS.SINGLE,
    "belum menikah": MS.SINGLE,
    "kawin": MS.MARRIED,
    "menikah": MS.MARRIED,
    "cerai hidup": MS.DIVORCED,
    "cerai": MS.DIVORCED,
    "cerai mati": MS.WIDOWED,
    "janda": MS.WIDOWED,
    "duda": MS.WIDOWED,
}
E = registry.Education
EDUCATION_ALIASES = {
    "tidak sekolah": E.NONE,
    "belum sekolah": E.NONE,
    "tidak/belum sekolah": E.NONE,
    "sd": E.PRIMARY,
    "sd/sederajat": E.PRIMARY,
    "mi": E.PRIMARY,
    "smp": E.JUNIOR,
    "smp/sederajat": E.JUNIOR,
    "sltp": E.JUNIOR,
    "mts": E.JUNIOR,
    "sma": E.SENIOR,
    "smk": E.SENIOR,
    "slta": E.SENIOR,
    "sma/sederajat": E.SENIOR,
    "ma": E.SENIOR,
    "d1": E.DIPLOMA,
    "d2": E.DIPLOMA,
    "d3": E.DIPLOMA,
    "diploma": E.DIPLOMA,
    "s1": E.UNIVERSITY,
    "s2": E.UNIVERSITY,
    "s3": E.UNIVERSITY,
    "d4": E.UNIVERSITY,
    "sarjana": E.UNIVERSITY,
}

FIELDS: dict[str, Field] = {
    f.name: f
    for f in [
        Field("no_kk", _("KK number"), "household", parsing.parse_kk, required=True),
        Field("region_code", _("desa/kelurahan code"), "household", parsing.parse_region_code),
        Field("address", _("address"), "household", _text(255)),
        Field("rt", _("RT"), "household", _rt_rw),
        Field("rw", _("RW"), "household", _rt_rw),
        Field("desil", _("desil"), "household", parsing.parse_desil),
        Field("nik", _("NIK"), "person", parsing.parse_nik),
        Field("full_name", _("full name"), "person", _name, required=True),
        Field("sex", _("sex"), "person", parsing.parse_sex),
        Field("birth_date", _("birth date"), "person", parsing.parse_birth_date),
        Field("birth_place", _("birth place"), "person", _text(100)),
        Field(
            "relationship",
            _("relationship to head"),
            "person",
            _aliases(R, RELATIONSHIP_ALIASES, _("relationship")),
        ),
        Field(
            "marital_status",
            _("marital status"),
            "person",
            _aliases(MS, MARITAL_ALIASES, _("marital status")),
        ),
        Field(
            "education",
            _("education"),
            "person",
            _aliases(E, EDUCATION_ALIASES, _("education level")),
        ),
        Field("occupation", _("occupation"), "person", _text(100)),
        Field("phone", _("phone"), "person", _phone),
    ]
}

# The four columns of an extract that together give the desa code.
REGION_PARTS = ("region_province", "region_regency", "region_district", "region_village")
PART_LABELS = {
    "region_province": _("province code part"),
    "region_regency": _("regency/city code part"),
    "region_district": _("kecamatan code part"),
    "region_village": _("desa code part"),
}
TARGETS = [*FIELDS, *REGION_PARTS]

# The default layout, in the order `bakti export registry` writes it.
BAKTI_COLUMNS = list(FIELDS)
BAKTI_MAPPING = {name: name for name in BAKTI_COLUMNS}

DTKS_MAPPING = {
    "NOKK": "no_kk",
    "NO_KK": "no_kk",
    "NIK": "nik",
    "NAMA": "full_name",
    "NAMA_LENGKAP": "full_name",
    "JNS_KEL": "sex",
    "JENIS_KELAMIN": "sex",
    "TGL_LAHIR": "birth_date",
    "TANGGAL_LAHIR": "birth_date",
    "TMPT_LAHIR": "birth_place",
    "TEMPAT_LAHIR": "birth_place",
    "HUB_KRT": "relationship",
    "HUB_KEL": "relationship",
    "STA_KAWIN": "marital_status",
    "STATUS_KAWIN": "marital_status",
    "PENDIDIKAN": "education",
    "PEKERJAAN": "occupation",
    "NO_HP": "phone",
    "KDPROP": "region_province",
    "KDKAB": "region_regency",
    "KDKEC": "region_district",
    "KDDESA": "region_village",
    "KODE_WILAYAH": "region_code",
    "KDWIL": "region_code",
    "KODE_DESA": "region_code",
    "ALAMAT": "address",
    "RT": "rt",
    "RW": "rw",
    "DESIL": "desil",
    "DESIL_NASIONAL": "desil",
}


def layout_mapping(layout: str, header: list[str]) -> dict[str, str]:
    """The mapping of a built-in layout for this header (header names matched without regard to
    case; columns the layout does not know are left out, and so ignored)."""
    known = BAKTI_MAPPING if layout == registry.MappingLayout.BAKTI else DTKS_MAPPING
    lower = {k.lower(): v for k, v in known.items()}
    return {h: lower[h.lower()] for h in header if h.lower() in lower}


def guess_layout(header: list[str]) -> str:
    names = {h.lower() for h in header}
    if {"no_kk", "full_name"} <= names:
        return registry.MappingLayout.BAKTI
    if "nokk" in names or "nama" in names or "no_kk" in names:
        return registry.MappingLayout.DTKS
    return registry.MappingLayout.CUSTOM


def missing_targets(mapping: dict[str, str]) -> list[str]:
    """Required fields the mapping does not fill (the region may come from its four parts)."""
    targets = set(mapping.values())
    missing = [name for name, f in FIELDS.items() if f.required and name not in targets]
    if "region_code" not in targets and not set(REGION_PARTS) <= targets:
        missing.append("region_code")
    return missing


def target_label(name: str) -> str:
    if name in FIELDS:
        return str(FIELDS[name].label)
    return str(PART_LABELS.get(name, name))
