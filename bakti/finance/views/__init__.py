"""Finance pages: budget versus actual, absorption and forecast, budget lines, commitments and
expenditures with their approval, the realisation report, and the reference data."""

from .budget import (
    absorption,
    line_create,
    line_detail,
    line_edit,
    line_plan,
    line_revise,
    overview,
    realisation_report,
    setup,
)
from .entries import (
    commitment_close,
    entry_approve,
    entry_create,
    entry_detail,
    entry_evidence,
    entry_list,
    entry_reject,
    entry_reverse,
)

__all__ = [
    "absorption",
    "commitment_close",
    "entry_approve",
    "entry_create",
    "entry_detail",
    "entry_evidence",
    "entry_list",
    "entry_reject",
    "entry_reverse",
    "line_create",
    "line_detail",
    "line_edit",
    "line_plan",
    "line_revise",
    "overview",
    "realisation_report",
    "setup",
]
