"""Identity numbers: NIK and No. KK checks, and what a NIK says about its holder.

A NIK (``PPKKCCDDMMYYSSSS``) carries the issuing kecamatan, the birth date (day + 40 for
women) and a serial. What it says about sex and birth date is a *suggestion*: a mismatch with
the record is flagged for a person to look at, never corrected silently. A prefix that points
to a kecamatan we do not know (split or renumbered since) is a warning, not an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.id import nik as stdnum_nik

from bakti.regions.models import Region


def digits_only(value: str | None) -> str:
    """The number as typed, without the spaces, dots and dashes people put in it."""
    return "".join(ch for ch in (value or "") if not ch.isspace() and ch not in ".-")


def validate_nik(value: str) -> str:
    """The NIK in its 16-digit form, or a ValidationError that says what is wrong."""
    number = digits_only(value)
    if not number.isdigit():
        raise ValidationError(
            _("A NIK has only digits; “%(value)s” has other characters.") % {"value": value},
            code="nik_format",
        )
    if len(number) != 16:
        raise ValidationError(
            _("A NIK has 16 digits; “%(value)s” has %(count)d.")
            % {"value": value, "count": len(number)},
            code="nik_length",
        )
    try:
        stdnum_nik.validate(number)
    except stdnum_errors.InvalidLength as error:  # pragma: no cover - caught above
        raise ValidationError(_("A NIK has 16 digits."), code="nik_length") from error
    except stdnum_errors.InvalidFormat as error:  # pragma: no cover - caught above
        raise ValidationError(_("A NIK has only digits."), code="nik_format") from error
    except stdnum_errors.InvalidComponent as error:
        raise ValidationError(
            _(
                "“%(value)s” is not a valid NIK: its province code or its birth date "
                "(digits 7-12, DDMMYY, day + 40 for women) is impossible."
            )
            % {"value": value},
            code="nik_component",
        ) from error
    except stdnum_errors.ValidationError as error:  # pragma: no cover - any other stdnum complaint
        raise ValidationError(
            _("“%(value)s” is not a valid NIK.") % {"value": value}, code="nik_invalid"
        ) from error
    return number


def validate_kk(value: str) -> str:
    """The No. KK in its 16-digit form, or a ValidationError that says what is wrong."""
    number = digits_only(value)
    if not number.isdigit():
        raise ValidationError(
            _("A family card number has only digits; “%(value)s” has other characters.")
            % {"value": value},
            code="kk_format",
        )
    if len(number) != 16:
        raise ValidationError(
            _("A family card number has 16 digits; “%(value)s” has %(count)d.")
            % {"value": value, "count": len(number)},
            code="kk_length",
        )
    if number[:2] == "00" or set(number) == {"0"}:
        raise ValidationError(
            _("“%(value)s” is not a valid family card number: it must start with a province code.")
            % {"value": value},
            code="kk_province",
        )
    return number


@dataclass(frozen=True)
class NikFacts:
    """What a valid NIK says about its holder."""

    kecamatan_code: str  # Kemendagri form, "34.04.01"
    sex: str  # "M" or "F"
    birth_date: dt.date | None


def nik_facts(number: str, *, today: dt.date | None = None) -> NikFacts:
    """Read the issuing kecamatan, sex and birth date out of a valid NIK."""
    today = today or dt.date.today()
    day = int(number[6:8])
    sex = "F" if day > 40 else "M"
    month, yy = int(number[8:10]), int(number[10:12])
    # Two-digit year: the latest century that does not put the birth in the future.
    born = None
    for century in (2000, 1900):
        try:
            candidate = dt.date(century + yy, month, day % 40)
        except ValueError:
            continue
        if candidate <= today:
            born = candidate
            break
    return NikFacts(
        kecamatan_code=f"{number[0:2]}.{number[2:4]}.{number[4:6]}", sex=sex, birth_date=born
    )


def nik_checks(
    number: str | None,
    *,
    sex: str | None,
    birth_date: dt.date | None,
    known_kecamatan: Iterable[str] | None = None,
    today: dt.date | None = None,
) -> list[dict[str, str]]:
    """Flags for a person's record: where the NIK disagrees with it, or points to a kecamatan
    that is not in the region list. Each flag is ``{"check", "detail"}``; an empty list means
    everything agrees. ``known_kecamatan`` (codes) saves a query when checking many rows."""
    if not number:
        return []
    facts = nik_facts(number, today=today)
    flags = []
    if sex and sex != facts.sex:
        flags.append(
            {
                "check": "sex",
                "detail": _("The NIK says %(nik)s but the record says %(record)s.")
                % {"nik": _sex_label(facts.sex), "record": _sex_label(sex)},
            }
        )
    if birth_date and facts.birth_date and birth_date != facts.birth_date:
        flags.append(
            {
                "check": "birth_date",
                "detail": _("The NIK says born %(nik)s but the record says %(record)s.")
                % {
                    "nik": facts.birth_date.strftime("%d-%m-%Y"),
                    "record": birth_date.strftime("%d-%m-%Y"),
                },
            }
        )
    if known_kecamatan is not None:
        known = facts.kecamatan_code in set(known_kecamatan)
    else:
        known = Region.objects.filter(code=facts.kecamatan_code).exists()
    if not known:
        flags.append(
            {
                "check": "kecamatan",
                "detail": _(
                    "The NIK was issued in kecamatan %(code)s, which is not in the region list "
                    "(it may have been split or renumbered). Please check the number."
                )
                % {"code": facts.kecamatan_code},
            }
        )
    return flags


def _sex_label(code: str) -> str:
    return _("female") if code == "F" else _("male")


def compose_nik(kecamatan_code: str, sex: str, birth_date: dt.date, serial: int) -> str:
    """The NIK a person of this sex and birth date would get in this kecamatan (for demo and
    test data): ``PPKKCC`` + ``DDMMYY`` (day + 40 for women) + a four-digit serial."""
    day = birth_date.day + (40 if sex == "F" else 0)
    return (
        kecamatan_code.replace(".", "")[:6]
        + f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
        + f"{serial % 10000 or 1:04d}"
    )
