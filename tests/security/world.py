"""The data the scope matrix runs on: the shared cast, and for every scoped kind of record one
object in kecamatan A and one in kecamatan B (plus referrals to the partner user's own
organisation and to another one), each carrying a distinctive marker string.

A marker is visible to a known set of roles (``Marker.roles``); the matrix asserts it never
appears in a response to any other role. Set-up data is made directly or through the apps'
services; nothing here is under test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from bakti.accounts import services as account_services
from bakti.accounts.models import ApiToken, User
from bakti.accounts.roles import Role, capabilities_of
from bakti.cases import services as case_services
from bakti.cases.models import Approval, ApprovalKind, CaseType, Referral
from bakti.community.models import CommunityMeeting, TicketAttachment
from bakti.community.tests import factories as community_factories
from bakti.delivery.models import (
    DistributionRound,
    Event,
    ServiceCategory,
    ServiceDelivery,
    ServiceType,
    Worker,
)
from bakti.finance.tests import factories as finance_factories
from bakti.monitoring.models import Alert, Evaluation, IndicatorResult, Recommendation
from bakti.partners.models import (
    Agreement,
    Notification,
    Organisation,
    OrganisationService,
    OrganisationUser,
)
from bakti.programs.models import (
    Activity,
    Indicator,
    Milestone,
    Program,
    ProgramType,
    Result,
    Risk,
    TeamMember,
)
from bakti.registry.models import (
    Consent,
    ConsentPurpose,
    DuplicateCandidate,
    Enrolment,
    EnrolmentStatus,
    Formula,
    Household,
    ImportJob,
    Person,
    ScoringRun,
    ScoringScheme,
    TargetingScheme,
)
from bakti.reports.models import ReportJob
from conftest import DESA_A, DESA_B, KABUPATEN, KECAMATAN_A, KECAMATAN_B, Cast, make_cast

# Who may see what. Department-wide readers see both kecamatan; a field worker sees their own.
DEPT = frozenset({"manager", "head", "auditor"})
# The other department-wide roles (finance, M&E, administrator, data protection officer): a
# membership at the department, no region limit. What each sees follows from the role map:
# every record of a kind shown by a capability the role holds (``holders``).
DEPARTMENT_WIDE = {
    "finance": Role.FINANCE,
    "mne": Role.MNE,
    "admin": Role.ADMIN,
    "dpo": Role.DPO,
}


def holders(*caps: str) -> frozenset[str]:
    """The department-wide roles of ``DEPARTMENT_WIDE`` that hold any of ``caps``."""
    return frozenset(
        name for name, role in DEPARTMENT_WIDE.items() if capabilities_of(role) & set(caps)
    )


# Who sees a kind of record besides the cast's own readers: its module's view capability, and
# the modules that show it (a person's name on deliveries and cases, a worker on events, ...).
REGISTRY = holders("registry.view")
PEOPLE = holders("registry.view", "delivery.view", "cases.view")
DELIVERY = holders("delivery.view")
COMMUNITY = holders("community.view")
# Cases: their caseworker, supervisors and auditors (bakti.cases.selectors); cases.view alone
# shows none.
CASES = holders("cases.supervise", "cases.audit")
# The audit trail shows what was recorded about a module's records to those who audit and may
# view that module (bakti.privacy.selectors.audit_values_readable): a case's summary to the
# data protection officer there, though not on the case pages.
CASES_AUDITED = CASES | (holders("privacy.audit") & holders("cases.view"))
PROGRAMS = holders("programs.view")
PARTNERS = holders("partners.view", "cases.view")
PRIVACY = holders("privacy.view")
SIDE_A = DEPT | {"field_worker_a"}
SIDE_B = DEPT | {"field_worker_b"}
# The referral to the partner user's organisation (from a case in kecamatan A).
TO_PARTNER = SIDE_A | {"partner"}

ROLES = (
    "anonymous",
    "outsider",
    "field_worker_a",
    "field_worker_b",
    "partner",
    "auditor",
    "officer",
    "manager",
    "head",
    *DEPARTMENT_WIDE,
)


@dataclass(frozen=True)
class Marker:
    text: str
    roles: frozenset[str]
    what: str


@dataclass
class World:
    cast: Cast
    superuser: User
    objects: dict[str, Any] = field(default_factory=dict)
    # Which roles may see each object (a detail URL built from it gives 404 to everyone else).
    visible: dict[str, frozenset[str]] = field(default_factory=dict)
    markers: list[Marker] = field(default_factory=list)
    # Records of program B, which belongs to the Linjamsos division (see matrix.OTHER_DIVISION).
    division_b: set[str] = field(default_factory=set)
    # Users of the matrix beyond the shared cast (the data protection officer).
    extra: dict[str, User] = field(default_factory=dict)

    def user(self, role: str) -> User | None:
        if role == "anonymous":
            return None
        if role == "superuser":
            return self.superuser
        if role in self.extra:
            return self.extra[role]
        return getattr(self.cast, role)

    def put(self, key: str, obj: Any, roles: frozenset[str]) -> Any:
        self.objects[key] = obj
        self.visible[key] = roles
        return obj

    def mark(self, text: str, roles: frozenset[str], what: str) -> str:
        self.markers.append(Marker(text, roles, what))
        return text

    def forbidden_for(self, role: str) -> list[Marker]:
        if role == "superuser":
            return []  # sees everything
        return [m for m in self.markers if role not in m.roles]


EVERYONE = frozenset(ROLES) | {"superuser"}


def build() -> World:
    cast = make_cast()
    superuser = User.objects.create_superuser(
        username="root", password="a-Test-password-123", full_name="Root"
    )
    w = World(cast=cast, superuser=superuser)
    dpo = account_services.user_create(
        actor=None, username="dpo", password="a-Test-password-123", full_name="Dpo"
    )
    account_services.membership_grant(
        actor=None, user=dpo, role=Role.DPO, org_unit=cast.department, region_code=None
    )
    w.extra["dpo"] = dpo
    ptype = ProgramType.objects.order_by("pk").first()

    # Programs: one kabupaten-wide (everyone with programs.view), one per kecamatan.
    def program(code: str, name: str, region: str, unit: Any, roles: frozenset[str]) -> Program:
        prog = Program.objects.create(
            code=code,
            name=name,
            program_type=ptype,
            org_unit=unit,
            status="active",
            manager=cast.manager,
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 12, 31),
        )
        prog.regions.set([region])
        return prog

    shared = program("SHR-1", "Program bersama", KABUPATEN, cast.department, EVERYONE)
    w.put("program_shared", shared, EVERYONE)
    sides = {
        "a": (DESA_A, KECAMATAN_A, SIDE_A, cast.field_worker_a),
        "b": (DESA_B, KECAMATAN_B, SIDE_B, cast.field_worker_b),
    }
    for s, (_desa, kec, roles, _worker) in sides.items():
        S = s.upper()
        name = w.mark(f"ZZLEAK-{S}-PROGRAM-7731", roles | {"officer"} | PROGRAMS, "program")
        prog = program(f"ZZP{S}7731", name, kec, cast.division_linjamsos, roles)
        w.put(f"program_{s}", prog, roles | {"officer"} | PROGRAMS)

    output = Result.objects.create(program=shared, tier=3, code="1.1.1", statement="Output")
    activity = Activity.objects.create(
        program=shared,
        output=output,
        code="A1",
        name="Pertemuan kelompok",
        planned_start=dt.date(2026, 1, 1),
        planned_end=dt.date(2026, 12, 31),
    )
    # Program parts, on program B (a field worker of A must not reach them).
    prog_b = w.objects["program_b"]
    vis_b = w.visible["program_b"]
    out_b = Result.objects.create(program=prog_b, tier=3, code="9.9.9", statement="Output B")
    w.put("result_b", out_b, vis_b)
    w.put(
        "indicator_b",
        Indicator.objects.create(
            program=prog_b, result=out_b, code="IB-1", name="Indicator B", unit="number"
        ),
        vis_b,
    )
    w.put(
        "activity_b",
        Activity.objects.create(
            program=prog_b,
            output=out_b,
            code="AB1",
            name="Activity B",
            planned_start=dt.date(2026, 1, 1),
            planned_end=dt.date(2026, 6, 30),
        ),
        vis_b,
    )
    w.put(
        "milestone_b",
        Milestone.objects.create(program=prog_b, name="Milestone B", due_date=dt.date(2026, 6, 1)),
        vis_b,
    )
    w.put(
        "risk_b",
        Risk.objects.create(program=prog_b, description="Risk B", likelihood=2, impact=2),
        vis_b,
    )
    # Second ones for the API's deletes (the pages' deletes remove the first ones).
    out_b2 = Result.objects.create(program=prog_b, tier=3, code="9.9.8", statement="Output B2")
    w.put("result_b2", out_b2, vis_b)
    w.put(
        "indicator_b2",
        Indicator.objects.create(
            program=prog_b, result=out_b2, code="IB-2", name="Indicator B2", unit="number"
        ),
        vis_b,
    )
    w.put(
        "activity_b2",
        Activity.objects.create(
            program=prog_b,
            output=out_b2,
            code="AB2",
            name="Activity B2",
            planned_start=dt.date(2026, 1, 1),
            planned_end=dt.date(2026, 6, 30),
        ),
        vis_b,
    )
    w.put(
        "milestone_b2",
        Milestone.objects.create(program=prog_b, name="Milestone B2", due_date=dt.date(2026, 6, 1)),
        vis_b,
    )
    w.put(
        "risk_b2",
        Risk.objects.create(program=prog_b, description="Risk B2", likelihood=2, impact=2),
        vis_b,
    )
    w.put(
        "team_b",
        TeamMember.objects.create(program=prog_b, user=cast.officer, role="officer"),
        vis_b,
    )

    # Partner organisations: the partner user's own (P) and another (X).
    org_p = Organisation.objects.create(name="LKS Mitra Sendiri", org_type="lks")
    # Partner organisations are not personal data: staff who refer cases see them all; the
    # partner user sees only their own.
    org_x = Organisation.objects.create(
        name=w.mark(
            "ZZLEAK-X-ORG-7731",
            DEPT | {"field_worker_a", "field_worker_b", "officer"} | PARTNERS,
            "org",
        ),
        org_type="lks",
    )
    OrganisationUser.objects.create(user=cast.partner, organisation=org_p)
    service_p = OrganisationService.objects.create(organisation=org_p, name="Pendampingan")
    service_x = OrganisationService.objects.create(organisation=org_x, name="Rehabilitasi")
    w.put("org_x", org_x, EVERYONE)
    w.put(
        "agreement_x",
        Agreement.objects.create(
            organisation=org_x,
            kind="pks",
            title="PKS lain",
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 12, 31),
            status="active",
            owner=cast.manager,
        ),
        EVERYONE,
    )
    Notification.objects.create(
        user=cast.manager,
        title=w.mark("ZZLEAK-M-NOTICE-7731", frozenset({"manager"}), "manager's notification"),
    )

    food = ServiceType.objects.create(
        program=shared,
        code="SEMBAKO",
        name="Paket sembako",
        category=ServiceCategory.FOOD,
        unit="paket",
        unit_value=Decimal("250000"),
    )
    w.put("service_type", food, EVERYONE)
    case_type = CaseType.objects.get_or_create(code="SCOPE", defaults={"name": "Scope"})[0]

    for s, (desa, kec, roles, worker) in sides.items():
        S = s.upper()
        # A program officer (a division, no region limit) sees the kecamatan's registry,
        # deliveries and complaints, but not the cases they do not work on.
        staff = roles | {"officer"}
        # The same records, by the module that shows them to the department-wide roles.
        registry, people = staff | REGISTRY, staff | PEOPLE
        delivery, community = staff | DELIVERY, staff | COMMUNITY
        cases = roles | CASES
        # Registry: a household with its head, an enrolment, a consent.
        home = Household.objects.create(
            no_kk=f"34040{'1' if s == 'a' else '2'}9900007731",
            region_id=desa,
            address=w.mark(f"ZZLEAK-{S}-ADDRESS-7731", registry, "household address"),
        )
        head = Person.objects.create(
            nik=f"34040{'1' if s == 'a' else '2'}5505807731",
            full_name=w.mark(f"ZZLEAK-{S}-PERSON-7731", people, "person name"),
            sex="F",
            birth_date=dt.date(1980, 5, 15),
            household=home,
            region_id=desa,
            relationship="head",
        )
        home.head = head
        home.save(update_fields=["head"])
        w.mark(head.nik, registry, "NIK")
        w.put(f"household_{s}", home, registry)
        w.put(f"person_{s}", head, registry)
        second = Person.objects.create(
            full_name=w.mark(f"ZZLEAK-{S}-TWIN-7731", registry, "person name"),
            sex="F",
            birth_date=dt.date(1980, 5, 15),
            household=home,
            region_id=desa,
            relationship="other",
        )
        enrolment = Enrolment.objects.create(
            program=shared,
            household=home,
            region_id=desa,
            status=EnrolmentStatus.ENROLLED,
        )
        w.put(f"enrolment_{s}", enrolment, registry)
        consent = Consent.objects.create(
            person=head,
            purpose=ConsentPurpose.DATA_SHARING,
            given_on=dt.date(2026, 1, 2),
            given_by_name=w.mark(f"ZZLEAK-{S}-CONSENTER-7731", registry, "consent giver"),
        )
        w.put(f"consent_{s}", consent, registry)
        dup = DuplicateCandidate.objects.create(
            person_a=head,
            person_b=second,
            score=0.97,
            reasons=[{"rule": "name", "field": "name", "detail": "same name and birth date"}],
            region_id=desa,
        )
        w.put(f"duplicate_{s}", dup, registry - {"head", "auditor"})

        # Cases: one per kecamatan, worked by that kecamatan's field worker, with a pending
        # approval and a referral (A to the partner's organisation, B to another one).
        # The person referred: the partner user sees the name of whom they are referred (A).
        referred = Person.objects.create(
            full_name=w.mark(
                f"ZZLEAK-{S}-REFERRED-7731",
                (TO_PARTNER | {"officer"} if s == "a" else staff) | REGISTRY | CASES,
                "referred person",
            ),
            sex="M",
            birth_date=dt.date(1950, 1, 1),
            household=home,
            region_id=desa,
            relationship="parent",
        )
        case = case_services.case_open(
            actor=worker,
            case_type=case_type,
            person=referred,
            summary=w.mark(f"ZZLEAK-{S}-CASE-7731", cases | CASES_AUDITED, "case summary"),
        )
        w.put(f"case_{s}", case, cases)
        approval = Approval.objects.create(
            case=case,
            kind=ApprovalKind.CASE_PLAN,
            requested_by=worker,
            note=w.mark(f"ZZLEAK-{S}-APPROVAL-7731", cases, "approval note"),
        )
        w.put(f"approval_{s}", approval, roles - {"auditor"})
        org, service, ref_roles = (
            (org_p, service_p, TO_PARTNER | CASES) if s == "a" else (org_x, service_x, cases)
        )
        referral = Referral.objects.create(
            case=case,
            service=service,
            organisation=org,
            need=w.mark(f"ZZLEAK-{S}-REFERRAL-7731", ref_roles, "referral need"),
            respond_by=dt.date(2026, 12, 1),
            consent=consent,
            sent_by=worker,
        )
        w.put(f"referral_{s}", referral, ref_roles)

        # Community: a ticket (with an attachment) and a meeting.
        ticket = community_factories.ticket(
            actor=cast.manager,
            region=desa,
            complainant_name=w.mark(f"ZZLEAK-{S}-COMPLAINANT-7731", community, "complainant"),
            description=w.mark(f"ZZLEAK-{S}-COMPLAINT-7731", community, "complaint text"),
        )
        w.put(f"ticket_{s}", ticket, community)
        # Staff lists show the tracking code (as XXXXX-XXXXX); it is the ticket's identity.
        shown_code = f"{ticket.code[:5]}-{ticket.code[5:]}"
        w.mark(shown_code, community, "ticket code")
        w.objects[f"ticket_{s}_code"] = shown_code
        w.mark(ticket.code, community, "ticket code")
        w.objects[f"ticket_{s}_raw_code"] = ticket.code
        attachment = TicketAttachment(
            ticket=ticket, original_name="bukti.txt", size=8, content_type="text/plain"
        )
        attachment.file.save(f"zzleak-{s}.txt", ContentFile(f"ZZLEAK-{S}-FILE".encode()))
        w.put(f"attachment_{s}", attachment, community)
        meeting = CommunityMeeting.objects.create(
            kind="consultation",
            title=w.mark(f"ZZLEAK-{S}-MEETING-7731", community, "meeting title"),
            date=dt.date(2026, 3, 1),
            region_id=desa,
        )
        w.put(f"meeting_{s}", meeting, community)

        # Delivery: a worker, an event, a round, a delivery.
        field_worker = Worker.objects.create(
            full_name=w.mark(f"ZZLEAK-{S}-WORKER-7731", delivery, "worker name"),
            worker_type="pekerja_sosial",
            region_id=desa,
            org_unit=cast.division_linjamsos,
        )
        w.put(f"worker_{s}", field_worker, delivery)
        event = Event.objects.create(
            program=shared,
            activity=activity,
            topic=w.mark(f"ZZLEAK-{S}-EVENT-7731", delivery, "event topic"),
            date=dt.date(2026, 3, 2),
            region_id=desa,
            created_by=cast.manager,
        )
        w.put(f"event_{s}", event, delivery)
        round_ = DistributionRound.objects.create(
            program=shared,
            activity=activity,
            service_type=food,
            name=w.mark(f"ZZLEAK-{S}-ROUND-7731", delivery, "round name"),
            region_id=kec,
            planned_date=dt.date(2026, 3, 3),
            quantity=Decimal("1"),
            created_by=cast.manager,
        )
        w.put(f"round_{s}", round_, delivery)
        ServiceDelivery.objects.create(
            program=shared,
            activity=activity,
            service_type=food,
            enrolment=enrolment,
            household=home,
            person=head,
            region_id=desa,
            quantity=Decimal("1"),
            value=Decimal("250000"),
            delivered_on=dt.date(2026, 3, 4),
            note=w.mark(f"ZZLEAK-{S}-DELIVERY-7731", delivery, "delivery note"),
            recorded_by=cast.manager,
        )

    # Registry set-up records of the department.
    scheme = ScoringScheme.objects.create(name="Skema uji", formula=Formula.POINTS)
    w.put("scoring_scheme", scheme, EVERYONE)
    w.put("scoring_run", ScoringRun.objects.create(scheme=scheme), EVERYONE)
    w.put(
        "targeting_scheme",
        TargetingScheme.objects.create(
            program=prog_b,
            name="Sasaran B",
            rules={"all": [{"rule": "desil_at_most", "value": 4}]},
        ),
        EVERYONE,
    )
    job = ImportJob(created_by=cast.manager, original_name="data.csv", file_format="csv")
    job.source_file.save("zzleak.csv", ContentFile(b"no_kk\n"))
    w.put("import_job", job, EVERYONE)
    # A merge made by the service (its undo needs the snapshot the service keeps).
    from bakti.registry.dedup import services as dedup_services

    home_b = w.objects["household_b"]
    kept = Person.objects.create(
        full_name="Sri Lestari", sex="F", birth_date=dt.date(1990, 1, 1), region_id=DESA_B
    )
    other = Person.objects.create(
        full_name="Sri Lestari", sex="F", birth_date=dt.date(1990, 1, 1), region_id=DESA_B
    )
    pair = DuplicateCandidate.objects.create(
        person_a=kept, person_b=other, score=0.99, reasons=[], region_id=home_b.region_id
    )
    w.put(
        "merge",
        dedup_services.person_merge(actor=cast.manager, candidate=pair, keep=kept),
        EVERYONE,
    )

    # Finance (department-wide by design).
    line = finance_factories.line(cast.division_rehsos, prog=prog_b)
    w.put("budget_line", line, EVERYONE)
    from bakti.finance import services as finance_services

    w.put(
        "expenditure",
        finance_services.expenditure_record(
            actor=cast.finance,
            line=line,
            date=dt.date(2026, 3, 10),
            amount=Decimal("1000"),
            payee="CV Maju",
            description="Belanja",
        ),
        EVERYONE,
    )
    w.put(
        "commitment",
        finance_services.commitment_record(
            actor=cast.finance,
            line=line,
            date=dt.date(2026, 3, 10),
            amount=Decimal("1000"),
            payee="CV Maju",
            description="Kontrak",
        ),
        EVERYONE,
    )

    # Monitoring and reports, on program B.
    w.put(
        "actual_b",
        IndicatorResult.objects.create(
            indicator=w.objects["indicator_b"],
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 3, 31),
            value=Decimal("5"),
            entered_by=cast.officer,
        ),
        vis_b,
    )
    evaluation = Evaluation.objects.create(
        program=prog_b,
        title="Evaluasi B",
        evaluation_type="midterm",
        start_date=dt.date(2026, 1, 1),
        evaluator_kind="internal",
        evaluator_name="Tim",
    )
    w.put("evaluation_b", evaluation, vis_b)
    w.put(
        "recommendation_b",
        Recommendation.objects.create(evaluation=evaluation, text="Rekomendasi"),
        vis_b,
    )
    w.put(
        "alert_manager",
        Alert.objects.create(
            recipient=cast.manager, program=prog_b, kind="health", level="red", message="Alert"
        ),
        frozenset({"manager"}),
    )
    w.put(
        "report_job",
        ReportJob.objects.create(
            kind="program",
            file_format="pdf",
            program=prog_b,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 3, 31),
            requested_by=cast.manager,
        ),
        frozenset({"manager"}),
    )
    w.put(
        "token_manager",
        ApiToken.objects.create(
            user=cast.manager, name="scope", prefix="bkt_zz", key_hash="0" * 64
        ),
        frozenset({"manager"}),
    )
    _privacy(w, cast)
    w.division_b = {
        key
        for key, obj in w.objects.items()
        if obj is prog_b or getattr(obj, "program_id", None) == prog_b.pk
    } | {"actual_b", "recommendation_b"}
    return w


def _privacy(w: World, cast: Cast) -> None:
    """UU PDP records: a data-subject request and a processing limit about person B, a breach,
    a record of processing and a DPIA of program B."""
    from bakti.privacy.pdp.models import (
        Breach,
        DataSubjectRequest,
        Dpia,
        ProcessingLimit,
        ProcessingRecord,
        RetentionPolicy,
    )

    now = timezone.now()
    person_b = w.objects["person_b"]
    # privacy.view: the head (and a data protection officer) see the requests in their scope.
    readers = frozenset({"head"}) | PRIVACY
    w.put(
        "dsr_b",
        DataSubjectRequest.objects.create(
            kind="access",
            person=person_b,
            region_id=person_b.region_id,
            requester_name=w.mark("ZZLEAK-B-REQUESTER-7731", SIDE_B | readers, "requester"),
            requester_relation="self",
            channel="in_person",
            received_at=now,
            due_at=now + dt.timedelta(days=3),
        ),
        readers,
    )
    w.put(
        "limit_b",
        ProcessingLimit.objects.create(kind="restriction", person=person_b, reason="Permintaan"),
        readers,
    )
    w.put(
        "breach",
        Breach.objects.create(
            title="Insiden uji",
            description="Uji",
            discovered_at=now,
            notify_due_at=now + dt.timedelta(days=3),
            recorded_by=cast.manager,
        ),
        readers,
    )
    prog_b = w.objects["program_b"]
    ProcessingRecord.objects.create(
        program=prog_b,
        purposes="Bantuan",
        legal_basis="legal_obligation",
        data_subjects="Penerima",
        retention="5 tahun",
    )
    w.put(
        "dpia_b",
        Dpia.objects.create(
            program=prog_b,
            title="DPIA B",
            processing="Pendataan",
            risks="Kebocoran",
            likelihood="low",
            severity="high",
            mitigations="Akses terbatas",
            residual_risk="low",
        ),
        readers,
    )
    policy = RetentionPolicy.objects.order_by("pk").first()
    if policy is None:
        policy = RetentionPolicy.objects.create(
            category="registry", period_months=60, starts="exit", action="anonymise"
        )
    w.put("retention_policy", policy, readers)
