"""Roles and what each may do.

A capability is a short string such as ``"programs.edit"``. A user holds it through a membership
whose role grants it, and only within that membership's org unit and region (see
``bakti.accounts.access``). The map below is the whole policy in one place.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HEAD = "head", _("Department head (Kepala Dinas)")
    MANAGER = "manager", _("Program manager")
    OFFICER = "officer", _("Program officer")
    FIELD_WORKER = "field_worker", _("Field worker (social worker, volunteer)")
    FINANCE = "finance", _("Finance officer")
    MNE = "mne", _("M&E officer")
    PARTNER = "partner", _("Partner user")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")
    DPO = "dpo", _("Data protection officer (Petugas Pelindungan Data)")


# Read access to each module; the navigation shows a module when its view capability is held.
VIEW = {
    "dashboard": "dashboard.view",
    "programs": "programs.view",
    "registry": "registry.view",
    "delivery": "delivery.view",
    "cases": "cases.view",
    "referrals": "referrals.respond",
    "finance": "finance.view",
    "partners": "partners.view",
    "community": "community.view",
    "monitoring": "monitoring.view",
    "reports": "reports.view",
    "privacy": "privacy.audit",
    "pdp": "privacy.view",
    "administration": "admin.manage",
}

_READ_ALL = {
    "dashboard.view",
    "programs.view",
    "registry.view",
    "registry.sensitive",
    "delivery.view",
    "cases.view",
    "finance.view",
    "partners.view",
    "community.view",
    "monitoring.view",
    "reports.view",
}

_DATA_PROTECTION = {"privacy.audit", "privacy.view", "privacy.manage", "registry.edit"}

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.HEAD: frozenset(
        _READ_ALL
        | {
            "programs.approve",
            "registry.approve_enrolment",
            "cases.supervise",
            "finance.approve",
            "community.handle",
            "community.configure",
            "monitoring.approve",
            "privacy.view",
        }
    ),
    Role.MANAGER: frozenset(
        _READ_ALL
        | {
            "programs.edit",
            "programs.approve",
            "registry.edit",
            "registry.reveal_id",
            "registry.import",
            "registry.merge",
            "registry.target",
            "registry.approve_enrolment",
            "delivery.record",
            "cases.work",
            "cases.supervise",
            "cases.override_consent",
            "finance.approve",
            "finance.override",
            "partners.edit",
            "community.handle",
            "community.configure",
            "monitoring.enter",
            "monitoring.approve",
        }
    ),
    Role.OFFICER: frozenset(
        {
            "dashboard.view",
            "programs.view",
            "programs.edit",
            "registry.view",
            "registry.sensitive",
            "registry.edit",
            "registry.reveal_id",
            "registry.import",
            "registry.merge",
            "registry.target",
            "delivery.view",
            "delivery.record",
            "cases.view",
            "cases.work",
            "partners.view",
            "partners.edit",
            "community.view",
            "community.handle",
            "monitoring.view",
            "monitoring.enter",
            "reports.view",
        }
    ),
    Role.FIELD_WORKER: frozenset(
        {
            "dashboard.view",
            "programs.view",
            "registry.view",
            "registry.sensitive",
            "registry.edit",
            "registry.reveal_id",
            "delivery.view",
            "delivery.record",
            "cases.view",
            "cases.work",
            "community.view",
        }
    ),
    Role.FINANCE: frozenset(
        {
            "dashboard.view",
            "programs.view",
            "finance.view",
            "finance.record",
            "partners.view",
            "reports.view",
        }
    ),
    Role.MNE: frozenset(
        {
            "dashboard.view",
            "programs.view",
            "delivery.view",
            "community.view",
            "monitoring.view",
            "monitoring.enter",
            "monitoring.approve",
            "reports.view",
        }
    ),
    Role.PARTNER: frozenset({"dashboard.view", "referrals.respond"}),
    Role.AUDITOR: frozenset(_READ_ALL | {"privacy.audit", "cases.audit"}),
    Role.ADMIN: frozenset({"dashboard.view", "admin.manage", "privacy.audit"}),
    Role.DPO: frozenset(_READ_ALL | _DATA_PROTECTION),
}


def capabilities_of(role: str) -> frozenset[str]:
    return CAPABILITIES.get(role, frozenset())
