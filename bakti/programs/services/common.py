"""What every programs service checks before it writes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ..models import Program, ProgramStatus
from ..selectors import can_edit, is_editable


def check_can_edit(actor: Any, program: Program, *, structure: bool = True) -> None:
    """``actor`` may change ``program`` (None, the system, always may). ``structure`` changes
    (details, framework, targets, plan) are refused while the program waits for approval or
    after it closed; progress on the work plan, risks and team can be kept up while it runs."""
    if actor is not None and not can_edit(actor, program):
        raise PermissionDenied(_("You may not change programs of this org unit."))
    if structure and not is_editable(program):
        raise ValidationError(
            _("This program is %(status)s: it cannot be changed now.")
            % {"status": program.get_status_display().lower()}
        )
    if not structure and program.status == ProgramStatus.EVALUATED:
        raise ValidationError(_("This program has been evaluated: it cannot be changed now."))


def check_can_edit_org_unit(actor: Any, org_unit_id: int) -> None:
    from bakti.accounts.access import scope_for

    if actor is not None and not scope_for(actor, "programs.edit").contains_org_unit(org_unit_id):
        raise PermissionDenied(_("You may not create or move programs in this org unit."))
