"""The scope matrix: for every page (by URL name) and every API operation ("METHOD /path"), the
capability that opens it, the objects its URL is built from, and what an allowed request
answers.

What each role of the cast should get follows from one rule (``expected``):

- anonymous: a redirect to the login page (pages) or 401 (API), unless the route is public;
- a user who holds the capability nowhere: 403;
- a user who holds it, but not over the object in the URL (``World.visible``): 404;
- everyone else: the route's ``ok`` statuses.

``expect`` overrides the rule for a role that sees the record but may not do this (each
override says why). Field worker B also gets every URL with the kecamatan-A twin of its
objects (404 for them, the mirror of field worker A).

URL arguments name objects of ``tests.security.world``: mostly the kecamatan-B object, so
field worker A must get 404 and field worker B (the positive control) must get through;
``"=value"`` is a literal; the key ``"?"`` is a query string naming objects
(``"person={person_b}"``, which then decide the status like URL arguments), ``"?plain"`` one
whose objects do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bakti.accounts.roles import Role, capabilities_of

PUBLIC = "public"  # anyone, logged in or not
# Budget lines, revisions, plans: finance officers and approvers (bakti.finance.views.common).
PLANNER = "finance.record|finance.approve"
LOGIN = "login"  # any logged-in user: the page shows only their own things
SUPERUSER = "superuser"  # the Django admin

# Program B belongs to the Linjamsos division. The program officer (Rehsos) sees it among the
# programs (programs.view goes by region, and the officer has no region limit), but editing it,
# monitoring it, reporting on it and targeting for it belong to its own division: 403 where the
# page knows the program is visible, 404 where the module's scope hides it.
OTHER_DIVISION = {
    "programs.edit": 403,
    "monitoring.view": 404,
    "monitoring.enter": 404,
    "monitoring.approve": 404,
    "reports.view": 404,
    "registry.target": 404,
}
OTHER_DIVISION_ROLES = frozenset({"officer"})

# The role of each member of the matrix's cast (``tests.security.world.ROLES``).
ROLE_OF = {
    "field_worker_a": Role.FIELD_WORKER,
    "field_worker_b": Role.FIELD_WORKER,
    "partner": Role.PARTNER,
    "auditor": Role.AUDITOR,
    "officer": Role.OFFICER,
    "manager": Role.MANAGER,
    "head": Role.HEAD,
    "finance": Role.FINANCE,
    "mne": Role.MNE,
    "admin": Role.ADMIN,
    "dpo": Role.DPO,
}


def lacking(cap: str) -> frozenset[str]:
    """The members of the cast whose role does not grant ``cap`` (from the role map)."""
    return frozenset(name for name, role in ROLE_OF.items() if cap not in capabilities_of(role))


GET_OK = frozenset({200})
# An empty or invalid POST is refused with the form shown again (200), a message and a
# redirect (302), or a validation error (400/422); it never changes anything.
POST_REFUSED = frozenset({200, 302, 400, 422})
API_REFUSED = frozenset({400, 409, 422})
# A PATCH with an empty body is a valid request that changes nothing.
PATCH_REFUSED = frozenset({200, 400, 409, 422})


@dataclass(frozen=True)
class Route:
    cap: str
    args: tuple[dict[str, str], ...] = ({},)
    method: str = "GET"
    ok: frozenset[int] = GET_OK
    lists: bool = False  # a list: also searched with the markers' common prefix
    export: bool = False  # offers ?export=csv and ?export=xlsx
    acts: bool = False  # an empty POST is a whole valid request: it may change data
    expect: dict[str, frozenset[int]] = field(default_factory=dict)
    query: str = ""  # query string sent every time (parameters the route requires)
    allows: tuple[str, ...] = ()  # world objects whose text this route may show anyone


def page(cap: str, *args: dict[str, str], **kw) -> Route:
    return Route(cap, args or ({},), **kw)


def lst(cap: str, *args: dict[str, str], export: bool = True, **kw) -> Route:
    return Route(cap, args or ({},), lists=True, export=export, **kw)


def post(cap: str, *args: dict[str, str], **kw) -> Route:
    kw.setdefault("ok", POST_REFUSED)
    return Route(cap, args or ({},), method="POST", **kw)


def api(cap: str, *args: dict[str, str], **kw) -> Route:
    return Route(cap, args or ({},), **kw)


def api_list(cap: str, *args: dict[str, str], **kw) -> Route:
    return Route(cap, args or ({},), lists=True, **kw)


def api_write(method: str, cap: str, *args: dict[str, str], **kw) -> Route:
    kw.setdefault("ok", PATCH_REFUSED if method == "PATCH" else API_REFUSED)
    return Route(cap, args or ({},), method=method, **kw)


S = frozenset
PK = "pk"
prog_b = {PK: "program_b"}

PAGES: dict[str, Route] = {
    # core, accounts, auth
    "core:home": page(LOGIN),
    "healthz": page(PUBLIC),
    "set_language": post(PUBLIC, acts=True, ok=S({302})),
    "accounts:login": page(PUBLIC, ok=S({200, 302})),  # logged in: sent on
    "accounts:login_verify": page(PUBLIC, ok=S({200, 302})),
    "accounts:logout": post(PUBLIC, acts=True, ok=S({200, 302})),
    "accounts:profile": page(LOGIN),
    "accounts:api_tokens": page(LOGIN),
    # Another user's token: 404 to all but its owner (and the superuser).
    "accounts:api_token_revoke": post(LOGIN, {PK: "token_manager"}, acts=True, ok=S({302})),
    "accounts:two_factor_setup": page(LOGIN),
    "accounts:two_factor_disable": post(LOGIN, acts=True, ok=S({302})),
    "password_change": page(LOGIN),
    "password_change_done": page(LOGIN),
    "password_reset": page(PUBLIC),
    "password_reset_done": page(PUBLIC),
    "password_reset_confirm": page(PUBLIC, {"uidb64": "=MQ", "token": "=set-password"}),
    "password_reset_complete": page(PUBLIC),
    # privacy
    "privacy:audit_list": lst("privacy.audit"),
    "privacy:access_list": lst("privacy.audit"),
    # privacy: UU PDP duties (privacy.view: the head and a data protection officer; manage:
    # the officer). Requests are scoped by the person's region.
    "privacy:pdp_dashboard": page("privacy.view"),
    "privacy:dsr_list": lst("privacy.view"),
    "privacy:dsr_create": page("privacy.manage"),
    "privacy:dsr_detail": page("privacy.view", {PK: "dsr_b"}),
    "privacy:dsr_export": page("privacy.manage", {PK: "dsr_b", "file_format": "=json"}),
    "privacy:dsr_action": post("privacy.manage", {PK: "dsr_b", "action": "=refuse"}),
    "privacy:limit_lift": post("privacy.manage", {PK: "limit_b"}),
    "privacy:breach_list": lst("privacy.view"),
    "privacy:breach_create": page("privacy.manage"),
    "privacy:breach_detail": page("privacy.view", {PK: "breach"}),
    "privacy:breach_notice": post("privacy.manage", {PK: "breach"}),
    "privacy:breach_close": post("privacy.manage", {PK: "breach"}),
    "privacy:retention": page("privacy.view"),
    # Running retention is a button with nothing to fill in: an empty POST is a whole request.
    "privacy:retention_run": post("privacy.manage", acts=True, ok=S({302})),
    "privacy:retention_policy_edit": page("privacy.manage", {PK: "retention_policy"}),
    "privacy:ropa_list": lst("privacy.view"),
    "privacy:ropa_detail": page("privacy.view", {"program_pk": "program_b"}),
    "privacy:ropa_edit": page("privacy.manage", {"program_pk": "program_b"}),
    "privacy:dpia_create": page("privacy.manage", {"program_pk": "program_b"}),
    "privacy:dpia_edit": page("privacy.manage", {"program_pk": "program_b", PK: "dpia_b"}),
    "privacy:dpia_sign_off": post("privacy.manage", {PK: "dpia_b"}),
    # programs
    "programs:program_list": lst("programs.view"),
    "programs:program_create": page("programs.edit"),
    "programs:program_from_template": page("programs.edit"),
    "programs:program_detail": page("programs.view", prog_b),
    "programs:program_edit": page("programs.edit", prog_b),
    # Closing is the program's next step; an empty POST is a whole request (the note is
    # optional). Those who see the program but may not edit it are refused (the officer: it
    # belongs to another division).
    "programs:program_transition": post(
        "programs.view",
        {PK: "program_b", "action": "=close"},
        acts=True,
        expect={r: S({403}) for r in lacking("programs.edit") | {"officer"}},
    ),
    "programs:program_history": lst("programs.view", prog_b),
    "programs:framework": page("programs.view", prog_b),
    "programs:result_create": page("programs.edit", prog_b),
    "programs:result_edit": page("programs.edit", {PK: "program_b", "result_pk": "result_b"}),
    "programs:result_delete": post(
        "programs.edit", {PK: "program_b", "result_pk": "result_b"}, acts=True
    ),
    "programs:indicator_create": page("programs.edit", prog_b),
    "programs:indicator_edit": page(
        "programs.edit", {PK: "program_b", "indicator_pk": "indicator_b"}
    ),
    "programs:indicator_targets": page(
        "programs.edit", {PK: "program_b", "indicator_pk": "indicator_b"}
    ),
    "programs:indicator_delete": post(
        "programs.edit", {PK: "program_b", "indicator_pk": "indicator_b"}, acts=True
    ),
    "programs:workplan": lst("programs.view", prog_b),
    "programs:activity_create": page("programs.edit", prog_b),
    "programs:activity_edit": page("programs.edit", {PK: "program_b", "activity_pk": "activity_b"}),
    "programs:activity_delete": post(
        "programs.edit", {PK: "program_b", "activity_pk": "activity_b"}, acts=True
    ),
    "programs:milestone_create": page("programs.edit", prog_b),
    "programs:milestone_edit": page(
        "programs.edit", {PK: "program_b", "milestone_pk": "milestone_b"}
    ),
    "programs:milestone_delete": post(
        "programs.edit", {PK: "program_b", "milestone_pk": "milestone_b"}, acts=True
    ),
    "programs:risks": lst("programs.view", prog_b),
    "programs:risk_create": page("programs.edit", prog_b),
    "programs:risk_edit": page("programs.edit", {PK: "program_b", "risk_pk": "risk_b"}),
    "programs:risk_delete": post(
        "programs.edit", {PK: "program_b", "risk_pk": "risk_b"}, acts=True
    ),
    "programs:team": lst("programs.view", prog_b),
    "programs:team_add": page("programs.edit", prog_b),
    "programs:team_edit": page("programs.edit", {PK: "program_b", "member_pk": "team_b"}),
    "programs:team_remove": post(
        "programs.edit", {PK: "program_b", "member_pk": "team_b"}, acts=True
    ),
    # partners (organisations are not personal data: every holder of partners.view sees all)
    "partners:organisation_list": lst("partners.view"),
    "partners:organisation_create": page("partners.edit"),
    "partners:organisation_detail": page("partners.view", {PK: "org_x"}),
    "partners:organisation_edit": page("partners.edit", {PK: "org_x"}),
    "partners:organisation_add": page("partners.edit", {PK: "org_x", "kind": "=contact"}),
    "partners:agreement_list": lst("partners.view"),
    "partners:agreement_create": page("partners.edit"),
    "partners:agreement_detail": page("partners.view", {PK: "agreement_x"}),
    "partners:agreement_edit": page("partners.edit", {PK: "agreement_x"}),
    "partners:notification_list": page(LOGIN),
    # community
    "community:ticket_list": lst("community.view"),
    "community:ticket_create": page("community.handle"),
    "community:ticket_detail": page("community.view", {PK: "ticket_b"}),
    "community:attachment_download": page(
        "community.view", {PK: "ticket_b", "attachment_id": "attachment_b"}
    ),
    "community:meeting_list": lst("community.view"),
    "community:meeting_create": page("community.handle"),
    "community:meeting_detail": page("community.view", {PK: "meeting_b"}),
    "community:meeting_edit": page("community.handle", {PK: "meeting_b"}),
    "community:sla_matrix": page("community.configure"),
    "community:holiday_list": page("community.configure"),
    "community:category_list": page("community.configure"),
    "lapor:report": page(PUBLIC),
    "lapor:lookup": page(PUBLIC),
    # Whoever holds a tracking code sees that ticket's status (and its code), nothing more.
    "lapor:status": page(
        PUBLIC, {"code": "ticket_b.code"}, allows=("ticket_b_code", "ticket_b_raw_code")
    ),
    "lapor:statistics": page(PUBLIC),
    # registry: imports and duplicates
    "registry:imports:list": lst("registry.import"),
    "registry:imports:upload": page("registry.import"),
    "registry:imports:template": page("registry.import"),
    "registry:imports:detail": page("registry.import", {PK: "import_job"}),
    "registry:imports:columns": page("registry.import", {PK: "import_job"}, ok=S({200, 302})),
    "registry:imports:errors": page("registry.import", {PK: "import_job"}, ok=S({200, 404})),
    "registry:imports:warnings": page("registry.import", {PK: "import_job"}, ok=S({200, 404})),
    "registry:duplicates:list": lst("registry.merge"),
    "registry:duplicates:search": post("registry.merge"),
    "registry:duplicates:merges": lst("registry.merge"),
    "registry:duplicates:undo": post("registry.merge", {PK: "merge"}, acts=True),
    "registry:duplicates:detail": page("registry.merge", {PK: "duplicate_b"}),
    "registry:duplicates:merge": post("registry.merge", {PK: "duplicate_b"}),
    "registry:duplicates:distinct": post("registry.merge", {PK: "duplicate_b"}, acts=True),
    # registry: households and people
    "registry:search": lst("registry.view"),
    "registry:person_list": lst("registry.view"),
    "registry:household_create": page("registry.edit"),
    "registry:household_detail": page("registry.view", {PK: "household_b"}),
    "registry:household_edit": page("registry.edit", {PK: "household_b"}),
    "registry:household_reveal": post("registry.reveal_id", {PK: "household_b"}),
    "registry:member_add": page("registry.edit", {PK: "household_b"}),
    "registry:birth_record": page("registry.edit", {PK: "household_b"}),
    "registry:household_set_head": post("registry.edit", {PK: "household_b"}),
    "registry:enrolment_propose": page("registry.edit", {PK: "household_b"}),
    "registry:assessment_create": page("registry.edit", {PK: "household_b"}),
    "registry:person_detail": page("registry.view", {PK: "person_b"}),
    "registry:person_edit": page("registry.edit", {PK: "person_b"}),
    "registry:person_reveal": post("registry.reveal_id", {PK: "person_b"}),
    "registry:person_move": page("registry.edit", {PK: "person_b"}),
    "registry:person_death": page("registry.edit", {PK: "person_b"}),
    "registry:consent_create": page("registry.edit", {PK: "person_b"}),
    "registry:consent_withdraw": page("registry.edit", {PK: "consent_b"}),
    "registry:nik_check": page("registry.edit", query="nik=3404025505807731"),
    "registry:enrolment_list": lst("registry.view"),
    "registry:enrolment_approve_selected": post("registry.approve_enrolment"),
    "registry:enrolment_action": page("registry.edit", {PK: "enrolment_b", "action": "=exit"}),
    "registry:scoring_list": lst("registry.view", export=False),
    "registry:scoring_create": page("registry.target"),
    "registry:scoring_detail": page("registry.view", {PK: "scoring_scheme"}),
    "registry:scoring_edit": page("registry.target", {PK: "scoring_scheme"}),
    "registry:scoring_run": post("registry.target", {PK: "scoring_scheme"}, acts=True),
    "registry:scoring_run_progress": page("registry.view", {PK: "scoring_run"}),
    "registry:targeting_list": lst("registry.target", export=False),
    "registry:targeting_create": page("registry.target"),
    "registry:targeting_detail": page("registry.target", {PK: "targeting_scheme"}),
    "registry:targeting_edit": page("registry.target", {PK: "targeting_scheme"}),
    "registry:targeting_apply": post("registry.target", {PK: "targeting_scheme"}, acts=True),
    # delivery
    "delivery:home": page("delivery.view"),
    "delivery:service_type_list": lst("delivery.view"),
    "delivery:service_type_create": page("delivery.record"),
    "delivery:service_type_edit": page("delivery.record", {PK: "service_type"}),
    "delivery:worker_list": lst("delivery.view"),
    "delivery:worker_create": page("delivery.record"),
    "delivery:workload": page("delivery.view"),
    "delivery:worker_detail": page("delivery.view", {PK: "worker_b"}),
    "delivery:worker_edit": page("delivery.record", {PK: "worker_b"}),
    "delivery:worker_assign": post("delivery.record", {PK: "worker_b"}),
    "delivery:event_list": lst("delivery.view"),
    "delivery:event_create": page("delivery.record"),
    "delivery:event_detail": page("delivery.view", {PK: "event_b"}),
    "delivery:event_edit": page("delivery.record", {PK: "event_b"}),
    "delivery:event_checkin_search": page("delivery.record", {PK: "event_b"}, lists=True),
    "delivery:event_checkin": post("delivery.record", {PK: "event_b"}),
    "delivery:event_headcount": post("delivery.record", {PK: "event_b"}),
    "delivery:delivery_list": lst("delivery.view"),
    # Another kecamatan's program is not offered: the page asks to choose one again.
    "delivery:delivery_create": page(
        "delivery.record", {}, {"?plain": "program={program_b}"}, {"?": "program={program_shared}"}
    ),
    "delivery:round_list": lst("delivery.view"),
    "delivery:round_create": page("delivery.record"),
    "delivery:round_detail": page("delivery.view", {PK: "round_b"}, export=True),
    "delivery:round_receive": post("delivery.record", {PK: "round_b"}),
    "delivery:round_import": page("delivery.record", {PK: "round_b"}),
    "delivery:round_close": post("delivery.record", {PK: "round_b"}, acts=True),
    "delivery:round_pdf": page("delivery.view", {PK: "round_b"}),
    # cases
    "cases:case_list": lst("cases.view"),
    # Finding the person (a search over the registry), then the form for one of them.
    "cases:case_open": page("cases.work", {}, {"?": "person={person_b}"}, lists=True),
    "cases:case_detail": page("cases.view", {PK: "case_b"}),
    "cases:case_edit": page("cases.work", {PK: "case_b"}),
    "cases:case_action": post("cases.work", {PK: "case_b", "action": "=assessment"}),
    "cases:approval_list": lst("cases.supervise", export=False),
    "cases:approval_decide": post("cases.supervise", {PK: "approval_b"}),
    "cases:overdue_board": page("cases.supervise"),
    "cases:referral_list": lst("cases.view"),
    "cases:referral_inbox": lst("referrals.respond", export=False),
    # The referral to another organisation (404 to the partner user) and to their own.
    "cases:referral_detail": page("referrals.respond", {PK: "referral_b"}, {PK: "referral_a"}),
    "cases:referral_respond": post("referrals.respond", {PK: "referral_b"}, {PK: "referral_a"}),
    # finance (department-wide: every holder of a finance capability sees all the books)
    "finance:overview": lst("finance.view"),
    "finance:absorption": lst("finance.view"),
    "finance:report": page("finance.view"),
    "finance:setup": lst("finance.view"),
    "finance:line_create": page(PLANNER),
    "finance:line_detail": page("finance.view", {PK: "budget_line"}),
    "finance:line_edit": page(PLANNER, {PK: "budget_line"}),
    "finance:line_revise": page(PLANNER, {PK: "budget_line"}),
    "finance:line_plan": page(PLANNER, {PK: "budget_line"}),
    "finance:commitment_close": post(PLANNER, {PK: "commitment"}),
    "finance:expenditure_list": lst("finance.view"),
    "finance:expenditure_create": page("finance.record"),
    "finance:expenditure_detail": page("finance.view", {PK: "expenditure"}),
    "finance:expenditure_approve": post("finance.approve", {PK: "expenditure"}, acts=True),
    "finance:expenditure_reject": post("finance.approve", {PK: "expenditure"}),
    "finance:expenditure_reverse": post("finance.record", {PK: "expenditure"}),
    "finance:expenditure_evidence": page("finance.view", {PK: "expenditure"}, ok=S({200, 404})),
    "finance:commitment_list": lst("finance.view"),
    "finance:commitment_create": page("finance.record"),
    "finance:commitment_detail": page("finance.view", {PK: "commitment"}),
    "finance:commitment_approve": post("finance.approve", {PK: "commitment"}, acts=True),
    "finance:commitment_reject": post("finance.approve", {PK: "commitment"}),
    "finance:commitment_reverse": post("finance.record", {PK: "commitment"}),
    "finance:commitment_evidence": page("finance.view", {PK: "commitment"}, ok=S({200, 404})),
    # monitoring
    "monitoring:program_list": lst("monitoring.view"),
    "monitoring:tracking": page("monitoring.view", prog_b, export=True),
    "monitoring:compute": post("monitoring.approve", prog_b, acts=True),
    "monitoring:evaluation_create": page("monitoring.enter", {"program_pk": "program_b"}),
    "monitoring:result_list": lst("monitoring.view"),
    "monitoring:result_detail": page("monitoring.view", {PK: "actual_b"}),
    "monitoring:result_action": post("monitoring.enter", {PK: "actual_b", "action": "=return"}),
    "monitoring:result_enter": page("monitoring.enter", {"indicator_pk": "indicator_b"}),
    "monitoring:rule_edit": page("monitoring.approve", {"indicator_pk": "indicator_b"}),
    "monitoring:evaluation_list": lst("monitoring.view"),
    "monitoring:evaluation_detail": page("monitoring.view", {PK: "evaluation_b"}),
    "monitoring:evaluation_edit": page("monitoring.enter", {PK: "evaluation_b"}),
    "monitoring:evaluation_document_add": post("monitoring.enter", {PK: "evaluation_b"}),
    "monitoring:recommendation_create": page("monitoring.enter", {PK: "evaluation_b"}),
    "monitoring:recommendation_edit": page("monitoring.enter", {PK: "recommendation_b"}),
    "monitoring:alert_list": lst("monitoring.view"),
    # Alerts belong to one recipient (the manager here): 404 to anyone else.
    "monitoring:alert_read": post("monitoring.view", {PK: "alert_manager"}, acts=True),
    "monitoring:health_settings": page("monitoring.approve"),
    # reports
    "reports:portfolio": page("reports.view"),
    "reports:portfolio_report": page("reports.view", query="format=xlsx"),
    "reports:region_view": lst("reports.view"),
    "reports:program_dashboard": page("reports.view", prog_b),
    "reports:program_report": page("reports.view", prog_b),
    "reports:narrative_edit": page("reports.view", prog_b),
    # A GET shows the confirmation form (the job is made by its POST).
    "reports:job_create": page(
        "reports.view", {"?": "kind=program&format=pdf&program={program_b}"}
    ),
    # Report jobs belong to whoever asked for them (the manager here).
    "reports:job_detail": page("reports.view", {PK: "report_job"}),
    "reports:job_download": page("reports.view", {PK: "report_job"}, ok=S({200, 302, 404})),
    "reports:iati": page("reports.view"),
    # The admin's own login and logout pages (the rest of the admin is one family, ADMIN).
    "admin:login": page(PUBLIC, ok=S({200, 302})),
    "admin:logout": post(PUBLIC, acts=True, ok=S({200, 302})),
    # the API's own pages
    "api:openapi-json": page(PUBLIC),
    "api:openapi-view": page(PUBLIC),
    "api:api-root": page(PUBLIC, ok=S({200, 404})),
    # Any other path under /api/v1/: the common error body, 404, for anyone.
    "api:not-found": page(PUBLIC, {"unknown": "=no/such/operation"}, ok=S({404})),
}

# The Django admin, one family: only superusers get in; everyone else is sent to its login.
ADMIN = Route(SUPERUSER, ok=S({200, 302}))

case_b = {"case_id": "case_b"}
LINKED_LIST = {"partner": S({200})}
LINKED_OTHER = {"partner": S({404})}

API: dict[str, Route] = {
    "GET /api/v1/me": api(LOGIN),
    "GET /api/v1/regions/": api_list(LOGIN),
    "GET /api/v1/regions/{code}": api(LOGIN, {"code": "=34.04.02"}),
    "GET /api/v1/programs/": api_list("programs.view"),
    "POST /api/v1/programs/": api_write("POST", "programs.edit"),
    "POST /api/v1/programs/from-template": api_write("POST", "programs.edit"),
    "GET /api/v1/programs/{program_id}": api("programs.view", {"program_id": "program_b"}),
    "PATCH /api/v1/programs/{program_id}": api_write(
        "PATCH", "programs.edit", {"program_id": "program_b"}
    ),
    "POST /api/v1/programs/{program_id}/transitions": api_write(
        "POST", "programs.view", {"program_id": "program_b"}
    ),
    "GET /api/v1/programs/{program_id}/results": api_list(
        "programs.view", {"program_id": "program_b"}
    ),
    "POST /api/v1/programs/{program_id}/results": api_write(
        "POST", "programs.edit", {"program_id": "program_b"}
    ),
    "PATCH /api/v1/programs/results/{result_id}": api_write(
        "PATCH", "programs.edit", {"result_id": "result_b"}
    ),
    "DELETE /api/v1/programs/results/{result_id}": api_write(
        "DELETE", "programs.edit", {"result_id": "result_b2"}, acts=True, ok=S({204, 409, 422})
    ),
    "GET /api/v1/programs/{program_id}/indicators": api_list(
        "programs.view", {"program_id": "program_b"}
    ),
    "POST /api/v1/programs/{program_id}/indicators": api_write(
        "POST", "programs.edit", {"program_id": "program_b"}
    ),
    "PATCH /api/v1/programs/indicators/{indicator_id}": api_write(
        "PATCH", "programs.edit", {"indicator_id": "indicator_b"}
    ),
    "DELETE /api/v1/programs/indicators/{indicator_id}": api_write(
        "DELETE",
        "programs.edit",
        {"indicator_id": "indicator_b2"},
        acts=True,
        ok=S({204, 409, 422}),
    ),
    "GET /api/v1/programs/indicators/{indicator_id}/targets": api_list(
        "programs.view", {"indicator_id": "indicator_b"}
    ),
    "PUT /api/v1/programs/indicators/{indicator_id}/targets": api_write(
        "PUT", "programs.edit", {"indicator_id": "indicator_b"}
    ),
    "GET /api/v1/programs/{program_id}/activities": api_list(
        "programs.view", {"program_id": "program_b"}
    ),
    "POST /api/v1/programs/{program_id}/activities": api_write(
        "POST", "programs.edit", {"program_id": "program_b"}
    ),
    "PATCH /api/v1/programs/activities/{activity_id}": api_write(
        "PATCH", "programs.edit", {"activity_id": "activity_b"}
    ),
    "DELETE /api/v1/programs/activities/{activity_id}": api_write(
        "DELETE", "programs.edit", {"activity_id": "activity_b2"}, acts=True, ok=S({204, 409, 422})
    ),
    "GET /api/v1/programs/{program_id}/milestones": api_list(
        "programs.view", {"program_id": "program_b"}
    ),
    "POST /api/v1/programs/{program_id}/milestones": api_write(
        "POST", "programs.edit", {"program_id": "program_b"}
    ),
    "PATCH /api/v1/programs/milestones/{milestone_id}": api_write(
        "PATCH", "programs.edit", {"milestone_id": "milestone_b"}
    ),
    "DELETE /api/v1/programs/milestones/{milestone_id}": api_write(
        "DELETE",
        "programs.edit",
        {"milestone_id": "milestone_b2"},
        acts=True,
        ok=S({204, 409, 422}),
    ),
    "GET /api/v1/programs/{program_id}/risks": api_list(
        "programs.view", {"program_id": "program_b"}
    ),
    "POST /api/v1/programs/{program_id}/risks": api_write(
        "POST", "programs.edit", {"program_id": "program_b"}
    ),
    "PATCH /api/v1/programs/risks/{risk_id}": api_write(
        "PATCH", "programs.edit", {"risk_id": "risk_b"}
    ),
    "DELETE /api/v1/programs/risks/{risk_id}": api_write(
        "DELETE", "programs.edit", {"risk_id": "risk_b2"}, acts=True, ok=S({204, 409, 422})
    ),
    # registry
    "GET /api/v1/registry/households": api_list("registry.view"),
    "POST /api/v1/registry/households": api_write("POST", "registry.edit"),
    "GET /api/v1/registry/households/{pk}": api("registry.view", {PK: "household_b"}),
    "PATCH /api/v1/registry/households/{pk}": api_write(
        "PATCH", "registry.edit", {PK: "household_b"}
    ),
    "POST /api/v1/registry/households/{pk}/reveal": api_write(
        "POST", "registry.reveal_id", {PK: "household_b"}, acts=True, ok=S({200})
    ),
    "GET /api/v1/registry/persons": api_list("registry.view"),
    "POST /api/v1/registry/persons": api_write("POST", "registry.edit"),
    "GET /api/v1/registry/persons/{pk}": api("registry.view", {PK: "person_b"}),
    "PATCH /api/v1/registry/persons/{pk}": api_write("PATCH", "registry.edit", {PK: "person_b"}),
    "POST /api/v1/registry/persons/{pk}/reveal": api_write(
        "POST", "registry.reveal_id", {PK: "person_b"}, acts=True, ok=S({200})
    ),
    "GET /api/v1/registry/consents": api_list("registry.view", query="person_id={person_b}"),
    "POST /api/v1/registry/consents": api_write("POST", "registry.edit"),
    "POST /api/v1/registry/consents/{pk}/withdraw": api_write(
        "POST", "registry.edit", {PK: "consent_b"}
    ),
    "GET /api/v1/registry/enrolments": api_list("registry.view"),
    "POST /api/v1/registry/enrolments": api_write("POST", "registry.edit"),
    "POST /api/v1/registry/enrolments/{pk}/{action}": api_write(
        "POST", "registry.edit", {PK: "enrolment_b", "action": "=exit"}
    ),
    "GET /api/v1/registry/targeting/{pk}/simulation": api(
        "registry.target", {PK: "targeting_scheme"}
    ),
    "GET /api/v1/registry/imports/": api_list("registry.import"),
    "POST /api/v1/registry/imports/": api_write("POST", "registry.import"),
    "GET /api/v1/registry/imports/{job_id}": api("registry.import", {"job_id": "import_job"}),
    "GET /api/v1/registry/imports/{job_id}/errors": api(
        "registry.import", {"job_id": "import_job"}, ok=S({200, 404})
    ),
    "GET /api/v1/registry/duplicates/": api_list("registry.merge"),
    "GET /api/v1/registry/duplicates/{candidate_id}": api(
        "registry.merge", {"candidate_id": "duplicate_b"}
    ),
    "POST /api/v1/registry/duplicates/{candidate_id}/merge": api_write(
        "POST", "registry.merge", {"candidate_id": "duplicate_b"}
    ),
    "POST /api/v1/registry/duplicates/{candidate_id}/distinct": api_write(
        "POST", "registry.merge", {"candidate_id": "duplicate_b"}, acts=True, ok=S({200, 409, 422})
    ),
    # delivery
    "GET /api/v1/delivery/services": api_list("delivery.view"),
    "GET /api/v1/delivery/workers": api_list("delivery.view"),
    "GET /api/v1/delivery/events": api_list("delivery.view"),
    "GET /api/v1/delivery/events/{event_id}": api("delivery.view", {"event_id": "event_b"}),
    "GET /api/v1/delivery/events/{event_id}/attendance": api_list(
        "delivery.view", {"event_id": "event_b"}
    ),
    "POST /api/v1/delivery/events/{event_id}/attendance": api_write(
        "POST", "delivery.record", {"event_id": "event_b"}
    ),
    "GET /api/v1/delivery/deliveries": api_list("delivery.view"),
    "POST /api/v1/delivery/deliveries": api_write("POST", "delivery.record"),
    "GET /api/v1/delivery/rounds": api_list("delivery.view"),
    "GET /api/v1/delivery/rounds/{round_id}": api("delivery.view", {"round_id": "round_b"}),
    "GET /api/v1/delivery/rounds/{round_id}/recipients": api_list(
        "delivery.view", {"round_id": "round_b"}
    ),
    "POST /api/v1/delivery/rounds/{round_id}/receipts": api_write(
        "POST", "delivery.record", {"round_id": "round_b"}
    ),
    # cases
    "GET /api/v1/cases/": api_list("cases.view"),
    "POST /api/v1/cases/": api_write("POST", "cases.work"),
    "GET /api/v1/cases/referrals": api_list("cases.view"),
    "GET /api/v1/cases/referrals/inbox": api_list("referrals.respond"),
    "POST /api/v1/cases/referrals/inbox/{referral_id}/answer": api_write(
        "POST", "referrals.respond", {"referral_id": "referral_b"}, {"referral_id": "referral_a"}
    ),
    "GET /api/v1/cases/{case_id}": api("cases.view", case_b),
    "GET /api/v1/cases/{case_id}/follow-ups": api_list("cases.view", case_b),
    "POST /api/v1/cases/{case_id}/follow-ups": api_write("POST", "cases.work", case_b),
    "POST /api/v1/cases/{case_id}/referrals": api_write("POST", "cases.work", case_b),
    # finance (department-wide)
    "GET /api/v1/finance/funding-sources": api_list("finance.view"),
    "GET /api/v1/finance/fiscal-years": api_list("finance.view"),
    "GET /api/v1/finance/lines": api_list("finance.view"),
    "GET /api/v1/finance/lines/{line_id}": api("finance.view", {"line_id": "budget_line"}),
    "GET /api/v1/finance/summary": api("finance.view"),
    "GET /api/v1/finance/absorption": api("finance.view", query="fiscal_year=2026"),
    "GET /api/v1/finance/expenditures": api_list("finance.view"),
    "POST /api/v1/finance/expenditures": api_write("POST", "finance.record"),
    "GET /api/v1/finance/expenditures/{entry_id}": api("finance.view", {"entry_id": "expenditure"}),
    "POST /api/v1/finance/expenditures/{entry_id}/approve": api_write(
        "POST", "finance.approve", {"entry_id": "expenditure"}, acts=True, ok=S({200, 409, 422})
    ),
    "POST /api/v1/finance/expenditures/{entry_id}/reject": api_write(
        "POST", "finance.approve", {"entry_id": "expenditure"}
    ),
    "POST /api/v1/finance/expenditures/{entry_id}/reverse": api_write(
        "POST", "finance.record", {"entry_id": "expenditure"}
    ),
    "GET /api/v1/finance/commitments": api_list("finance.view"),
    "POST /api/v1/finance/commitments": api_write("POST", "finance.record"),
    "GET /api/v1/finance/commitments/{entry_id}": api("finance.view", {"entry_id": "commitment"}),
    "POST /api/v1/finance/commitments/{entry_id}/approve": api_write(
        "POST", "finance.approve", {"entry_id": "commitment"}, acts=True, ok=S({200, 409, 422})
    ),
    "POST /api/v1/finance/commitments/{entry_id}/reject": api_write(
        "POST", "finance.approve", {"entry_id": "commitment"}
    ),
    "POST /api/v1/finance/commitments/{entry_id}/reverse": api_write(
        "POST", "finance.record", {"entry_id": "commitment"}
    ),
    # monitoring
    "GET /api/v1/monitoring/programs/{program_id}/tracking": api(
        "monitoring.view", {"program_id": "program_b"}
    ),
    # 404 also when no health check has been made yet.
    "GET /api/v1/monitoring/programs/{program_id}/health": api(
        "monitoring.view", {"program_id": "program_b"}, ok=S({200, 404})
    ),
    "GET /api/v1/monitoring/actuals": api_list("monitoring.view"),
    "POST /api/v1/monitoring/indicators/{indicator_id}/actuals": api_write(
        "POST", "monitoring.enter", {"indicator_id": "indicator_b"}
    ),
    "POST /api/v1/monitoring/actuals/{result_id}/submit": api_write(
        "POST", "monitoring.enter", {"result_id": "actual_b"}, acts=True, ok=S({200, 409, 422})
    ),
    "POST /api/v1/monitoring/actuals/{result_id}/approve": api_write(
        "POST", "monitoring.approve", {"result_id": "actual_b"}, acts=True, ok=S({200, 409, 422})
    ),
    "POST /api/v1/monitoring/actuals/{result_id}/return": api_write(
        "POST", "monitoring.approve", {"result_id": "actual_b"}
    ),
    "POST /api/v1/monitoring/actuals/{result_id}/lock": api_write(
        "POST", "monitoring.approve", {"result_id": "actual_b"}, acts=True, ok=S({200, 409, 422})
    ),
    "GET /api/v1/monitoring/evaluations": api_list("monitoring.view"),
    # reports
    "GET /api/v1/reports/programs/{program_id}/report": api(
        "reports.view", {"program_id": "program_b"}, query="format=xlsx"
    ),
    "GET /api/v1/reports/portfolio": api("reports.view", query="format=xlsx"),
    "GET /api/v1/reports/iati": api("reports.view"),
    # partners
    # A partner user linked to an organisation reads it (and only it) without partners.view:
    # the lists answer 200 with their own organisation, another one's records 404.
    "GET /api/v1/partners/organisations": api_list("partners.view", expect=LINKED_LIST),
    "POST /api/v1/partners/organisations": api_write("POST", "partners.edit"),
    "GET /api/v1/partners/organisations/{organisation_id}": api(
        "partners.view", {"organisation_id": "org_x"}, expect=LINKED_OTHER
    ),
    # Services are offered for referrals: case workers read them too.
    "GET /api/v1/partners/services": api_list("partners.view|cases.view", expect=LINKED_LIST),
    "GET /api/v1/partners/agreements": api_list("partners.view", expect=LINKED_LIST),
    "GET /api/v1/partners/agreements/{agreement_id}": api(
        "partners.view", {"agreement_id": "agreement_x"}, expect=LINKED_OTHER
    ),
    # privacy (UU PDP data-subject requests)
    "GET /api/v1/privacy/requests": api_list("privacy.view"),
    "POST /api/v1/privacy/requests": api_write("POST", "privacy.manage"),
    "GET /api/v1/privacy/requests/{request_id}": api("privacy.view", {"request_id": "dsr_b"}),
    "GET /api/v1/privacy/requests/{request_id}/export": api(
        "privacy.manage", {"request_id": "dsr_b"}
    ),
    "POST /api/v1/privacy/requests/{request_id}/answer": api_write(
        "POST", "privacy.manage", {"request_id": "dsr_b"}
    ),
    "POST /api/v1/privacy/requests/{request_id}/refuse": api_write(
        "POST", "privacy.manage", {"request_id": "dsr_b"}
    ),
    # community (feedback)
    "GET /api/v1/feedback/tickets": api_list("community.view"),
    "POST /api/v1/feedback/tickets": api_write("POST", "community.handle"),
    "GET /api/v1/feedback/tickets/{ticket_id}": api("community.view", {"ticket_id": "ticket_b"}),
    "POST /api/v1/feedback/tickets/{ticket_id}/transition": api_write(
        "POST", "community.handle", {"ticket_id": "ticket_b"}
    ),
    "GET /api/v1/feedback/public/categories": api(PUBLIC),
    "POST /api/v1/feedback/public/reports": api_write("POST", PUBLIC),
    # A tracking code shows the status only, never the complainant or the text.
    "GET /api/v1/feedback/public/reports/{code}": api(
        PUBLIC, {"code": "ticket_b.code"}, allows=("ticket_b_code", "ticket_b_raw_code")
    ),
}
