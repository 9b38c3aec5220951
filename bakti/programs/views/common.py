"""What the programs views share: the program in the URL, read or edit access to it, and the
form-to-service step with its error handling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from bakti.core.stale import show_stale_edit
from bakti.privacy.audit import StaleEdit

from ..forms import apply_errors
from ..models import Program
from ..selectors import can_edit, program_get_for_user


def program_for_view(request: HttpRequest, pk: int) -> Program:
    """The program, if the user may see it (404 otherwise)."""
    return program_get_for_user(request.user, pk)


def program_for_edit(request: HttpRequest, pk: int) -> Program:
    """The program, if the user may see it (404) and change it (403)."""
    program = program_get_for_user(request.user, pk)
    if not can_edit(request.user, program):
        raise PermissionDenied
    return program


def run_service(
    request: HttpRequest, form: forms.Form, action: Callable[[], Any], success: str
) -> Any:
    """Call ``action`` (a service call); on a rule broken, put the messages on ``form`` and
    return None, on success flash ``success`` and return what the service returned."""
    try:
        result = action()
    except StaleEdit as stale:
        show_stale_edit(form, stale)
        return None
    except ValidationError as error:
        apply_errors(form, error)
        return None
    messages.success(request, success)
    return result


def changed_data(form: forms.ModelForm, names: list[str]) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


def version_of(form: forms.Form) -> int | None:
    value = form.cleaned_data.get("version")
    return int(value) if value else None


def run_delete(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    """Call a delete service; flash its refusal (a ValidationError) or ``success``."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True
