"""A stale edit, shown the same way on every form.

Records that several people edit carry a ``version``; their forms carry it in a hidden field
and the service refuses a save made from an older version with
:class:`bakti.privacy.audit.StaleEdit`. The view then calls :func:`show_stale_edit`, which

- puts one non-field error on the form saying what happened and what to do;
- lists, per field whose saved value now differs from the user's input, the field's label, the
  value saved by the other person and the user's value (``form.stale_edit``, shown by
  ``{% include "includes/stale_edit.html" %}``), while the form stays bound to the user's input;
- moves the hidden ``version`` on to the saved version, so that submitting the form again is a
  deliberate save over the other person's change (and a third person's save in between is
  caught again).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from bakti.privacy.audit import StaleEdit

EMPTY = "–"


@dataclass(frozen=True)
class StaleField:
    """One differing field: its label, the value saved meanwhile and the user's value."""

    name: str
    label: str
    saved: str
    mine: str


def _choice_label(choices: Any, value: Any) -> str | None:
    for key, label in choices or ():
        if isinstance(label, list | tuple):  # option groups
            found = _choice_label(label, value)
            if found is not None:
                return found
        elif str(key) == str(value):
            return str(label)
    return None


def display(value: Any, choices: Any = None) -> str:
    """A value as a person reads it: choice labels, names of related records, local dates and
    numbers, Yes/No, and a dash for nothing."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, models.Manager):
        value = list(value.all())
    if isinstance(value, models.QuerySet):
        value = list(value)
    if isinstance(value, list | tuple | set | frozenset):
        shown = [display(v, choices) for v in value]
        return ", ".join(sorted(shown)) if shown else EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if choices:
        label = _choice_label(choices, value.pk if isinstance(value, models.Model) else value)
        if label is not None:
            return label
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time | Decimal | int | float):
        return str(formats.localize(value))
    return str(value)


def _model_field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)  # type: ignore[return-value]
    except FieldDoesNotExist:
        return None


def _saved_value(current: models.Model, name: str, fallback: Any) -> Any:
    """The value now saved on the record, as an object (a related record rather than its id)."""
    field = _model_field(type(current), name)
    if field is None:
        return fallback
    if field.many_to_many:
        return list(getattr(current, name).all())
    return getattr(current, name)


def _choices_of(form_field: forms.Field | None, model_field: models.Field | None) -> Any:
    if isinstance(form_field, forms.ModelChoiceField):
        return None  # its cleaned value is the record itself
    if form_field is not None and getattr(form_field, "choices", None):
        return form_field.choices
    if model_field is not None and getattr(model_field, "choices", None):
        return model_field.choices
    return None


def stale_fields(form: forms.BaseForm, error: StaleEdit) -> list[StaleField]:
    """The fields whose saved value differs from what the user submitted, labelled."""
    current = error.current
    model = type(current)
    rows = []
    for name, (saved_json, mine_json) in error.differing.items():
        form_field = form.fields.get(name)
        model_field = _model_field(model, name)
        if form_field is not None and form_field.label:
            label = str(form_field.label)
        elif model_field is not None:
            label = str(model_field.verbose_name)
        else:
            label = name
        label = label[:1].upper() + label[1:]
        choices = _choices_of(form_field, model_field)
        cleaned = getattr(form, "cleaned_data", {}) or {}
        mine = cleaned.get(name, mine_json)
        saved = _saved_value(current, name, saved_json)
        rows.append(
            StaleField(
                name=name,
                label=label,
                saved=display(saved, choices),
                mine=display(mine, choices),
            )
        )
    return rows


def show_stale_edit(form: forms.BaseForm, error: StaleEdit, version_field: str = "version") -> None:
    """Show ``error`` on ``form`` (see the module docstring). The form keeps the user's input;
    its hidden version becomes the saved one, so the next submit saves deliberately."""
    rows = stale_fields(form, error)
    form.stale_edit = rows  # type: ignore[attr-defined]
    form.is_stale = True  # type: ignore[attr-defined]
    if rows:
        message = _(
            "Someone else saved this record while you were editing it. Their saved values are "
            "shown beside yours; your input is still in the form. Check it and save again to "
            "keep your values."
        )
    else:
        message = _(
            "Someone else saved this record while you were editing it. Your input is still in "
            "the form; check the record and save again."
        )
    form.add_error(None, message)
    version = getattr(error.current, "version", None)
    if version is not None and form.is_bound:
        data = form.data.copy()
        data[form.add_prefix(version_field)] = str(version)
        form.data = data
