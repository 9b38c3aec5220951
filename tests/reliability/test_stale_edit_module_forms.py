"""The edit forms of delivery, monitoring, partners and reports show a stale save the one way
(``bakti.core.stale.show_stale_edit``): the other person's saved value beside the user's input,
nothing overwritten, the user's input kept, and saving again deliberate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

import conftest

from .pages import form_data, stale_rows
from .subjects import Subject
from .test_stale_edit_forms import english_client

# Per subject: (the other person's value, the user's value) as typed, and as the table shows
# them; text fields by default.
THEIRS, MINE = "Saved by a colleague meanwhile", "My change, typed before I knew"


def _delivery_program(cast: Any) -> Any:
    from bakti.delivery.tests.world import make_program

    program, activity = make_program(cast, code="P-STALE-D")
    program.stale_activity = activity
    return program


def service_type(cast: Any) -> Subject:
    from bakti.delivery import services
    from bakti.delivery.models import ServiceCategory, ServiceType

    program = _delivery_program(cast)
    obj = services.service_type_create(
        actor=cast.manager,
        program=program,
        code="BERAS",
        name="Beras 10 kg",
        category=ServiceCategory.FOOD,
        unit="paket",
        unit_value=Decimal("150000"),
    )
    return Subject(
        name="service type",
        obj=obj,
        url=reverse("delivery:service_type_edit", args=[obj.pk]),
        editor=cast.manager,
        other=cast.officer,
        field="name",
        save=lambda actor, fresh, version, value: services.service_type_update(
            actor=actor, service_type=fresh, data={"name": value}, expected_version=version
        ),
        read=lambda: ServiceType.objects.get(pk=obj.pk).name,
        model=ServiceType,
    )


def worker(cast: Any) -> Subject:
    from bakti.delivery import services
    from bakti.delivery.models import Worker

    obj = services.worker_create(
        actor=cast.manager,
        full_name="Bu Sri",
        worker_type="social_worker",
        region_id=conftest.DESA_A,
        skills="Pendampingan lansia",
    )
    return Subject(
        name="worker",
        obj=obj,
        url=reverse("delivery:worker_edit", args=[obj.pk]),
        editor=cast.field_worker_a,
        other=cast.manager,
        field="skills",
        save=lambda actor, fresh, version, value: services.worker_update(
            actor=actor, worker=fresh, data={"skills": value}, expected_version=version
        ),
        read=lambda: Worker.objects.get(pk=obj.pk).skills,
        model=Worker,
    )


def event(cast: Any) -> Subject:
    from bakti.delivery import services
    from bakti.delivery.models import Event

    program = _delivery_program(cast)
    obj = services.event_create(
        actor=cast.manager,
        program=program,
        activity=program.stale_activity,
        topic="Pertemuan kelompok Maret",
        date=dt.date(2026, 3, 2),
        region_id=conftest.DESA_A,
    )
    return Subject(
        name="event",
        obj=obj,
        url=reverse("delivery:event_edit", args=[obj.pk]),
        editor=cast.field_worker_a,
        other=cast.manager,
        field="topic",
        save=lambda actor, fresh, version, value: services.event_update(
            actor=actor, event=fresh, data={"topic": value}, expected_version=version
        ),
        read=lambda: Event.objects.get(pk=obj.pk).topic,
        model=Event,
    )


def _monitored(cast: Any) -> tuple[Any, Any]:
    from bakti.monitoring.tests.factories import make_indicator, make_program

    program = make_program(cast.division_rehsos, code="P-STALE-M", manager=cast.manager)
    return program, make_indicator(program, code="OUT-S", targets=[100, 100, 100, 100])


def indicator_result(cast: Any) -> Subject:
    from bakti.monitoring import services
    from bakti.monitoring.models import IndicatorResult

    _program, indicator = _monitored(cast)
    start, end = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    obj = services.indicator_result_save(
        actor=cast.officer,
        indicator=indicator,
        period_start=start,
        period_end=end,
        value=Decimal("10"),
        note="First count",
    )

    def save(actor: Any, fresh: Any, version: int, value: str) -> Any:
        return services.indicator_result_save(
            actor=actor,
            indicator=indicator,
            period_start=start,
            period_end=end,
            value=fresh.value,
            note=value,
            expected_version=version,
        )

    return Subject(
        name="indicator value",
        obj=obj,
        url=reverse("monitoring:result_enter", args=[indicator.pk]) + "?start=2026-01-01",
        editor=cast.officer,
        other=cast.manager,
        field="note",
        save=save,
        read=lambda: IndicatorResult.objects.get(pk=obj.pk).note,
        model=IndicatorResult,
    )


def evaluation(cast: Any) -> Subject:
    from bakti.monitoring import services
    from bakti.monitoring.models import Evaluation

    program, _indicator = _monitored(cast)
    obj = services.evaluation_create(
        actor=cast.manager,
        program=program,
        title="Evaluasi tengah program",
        evaluation_type="midline",
        start_date=dt.date(2026, 1, 1),
        evaluator_kind="internal",
        evaluator_name="Tim M&E",
    )
    return Subject(
        name="evaluation",
        obj=obj,
        url=reverse("monitoring:evaluation_edit", args=[obj.pk]),
        editor=cast.officer,
        other=cast.manager,
        field="title",
        save=lambda actor, fresh, version, value: services.evaluation_update(
            actor=actor, evaluation=fresh, data={"title": value}, expected_version=version
        ),
        read=lambda: Evaluation.objects.get(pk=obj.pk).title,
        model=Evaluation,
    )


def recommendation(cast: Any) -> Subject:
    from bakti.monitoring import services
    from bakti.monitoring.models import Recommendation

    program, _indicator = _monitored(cast)
    parent = services.evaluation_create(
        actor=cast.manager,
        program=program,
        title="Evaluasi akhir",
        evaluation_type="endline",
        start_date=dt.date(2026, 1, 1),
        evaluator_kind="internal",
        evaluator_name="Tim M&E",
    )
    obj = services.recommendation_create(
        actor=cast.manager, evaluation=parent, text="Perluas jangkauan ke desa terpencil"
    )
    return Subject(
        name="recommendation",
        obj=obj,
        url=reverse("monitoring:recommendation_edit", args=[obj.pk]),
        editor=cast.officer,
        other=cast.manager,
        field="text",
        save=lambda actor, fresh, version, value: services.recommendation_update(
            actor=actor, recommendation=fresh, data={"text": value}, expected_version=version
        ),
        read=lambda: Recommendation.objects.get(pk=obj.pk).text,
        model=Recommendation,
    )


def health_settings(cast: Any) -> Subject:
    from bakti.monitoring import services
    from bakti.monitoring.models import HealthSettings

    obj = HealthSettings.objects.filter(program__isnull=True).first()
    if obj is None:
        obj = services.health_settings_save(actor=cast.manager, program=None, data={})
    return Subject(
        name="thresholds",
        obj=obj,
        url=reverse("monitoring:health_settings"),
        editor=cast.mne,
        other=cast.manager,
        field="slipped_activities_amber",
        save=lambda actor, fresh, version, value: services.health_settings_save(
            actor=actor,
            program=None,
            data={"slipped_activities_amber": int(value)},
            expected_version=version,
        ),
        read=lambda: str(HealthSettings.objects.get(pk=obj.pk).slipped_activities_amber),
        model=HealthSettings,
    )


def organisation(cast: Any) -> Subject:
    from bakti.partners import services
    from bakti.partners.models import Organisation
    from bakti.partners.tests.factories import organisation as make

    obj = make(cast.manager, name="LKS Bina Sejahtera")
    return Subject(
        name="organisation",
        obj=obj,
        url=reverse("partners:organisation_edit", args=[obj.pk]),
        editor=cast.officer,
        other=cast.manager,
        field="name",
        save=lambda actor, fresh, version, value: services.organisation_update(
            actor=actor, organisation=fresh, data={"name": value}, expected_version=version
        ),
        read=lambda: Organisation.objects.get(pk=obj.pk).name,
        model=Organisation,
    )


def agreement(cast: Any) -> Subject:
    from bakti.partners import services
    from bakti.partners.models import Agreement
    from bakti.partners.tests.factories import agreement as make
    from bakti.partners.tests.factories import organisation as make_organisation

    org = make_organisation(cast.manager, name="LKS Mitra")
    obj = make(cast.manager, org, cast.manager, dt.date(2026, 12, 31))
    return Subject(
        name="agreement",
        obj=obj,
        url=reverse("partners:agreement_edit", args=[obj.pk]),
        editor=cast.officer,
        other=cast.manager,
        field="title",
        save=lambda actor, fresh, version, value: services.agreement_update(
            actor=actor, agreement=fresh, data={"title": value}, expected_version=version
        ),
        read=lambda: Agreement.objects.get(pk=obj.pk).title,
        model=Agreement,
    )


def narrative(cast: Any) -> Subject:
    from bakti.reports import services
    from bakti.reports.data import parse_quarter
    from bakti.reports.models import ReportNarrative

    program, _indicator = _monitored(cast)
    period = parse_quarter("2026-Q1", dt.date(2026, 1, 1))
    obj = services.narrative_save(
        actor=cast.manager, program=program, period=period, data={"summary": "Awal tahun"}
    )
    return Subject(
        name="report narrative",
        obj=obj,
        url=reverse("reports:narrative_edit", args=[program.pk]) + "?quarter=2026-Q1",
        editor=cast.manager,
        other=cast.mne,
        field="summary",
        save=lambda actor, fresh, version, value: services.narrative_save(
            actor=actor,
            program=program,
            period=period,
            data={"summary": value},
            expected_version=version,
        ),
        read=lambda: ReportNarrative.objects.get(pk=obj.pk).summary,
        model=ReportNarrative,
    )


BUILDERS = {
    "service_type": service_type,
    "worker": worker,
    "event": event,
    "indicator_result": indicator_result,
    "evaluation": evaluation,
    "recommendation": recommendation,
    "health_settings": health_settings,
    "organisation": organisation,
    "agreement": agreement,
    "narrative": narrative,
}
# Numbers instead of text where the field is a number.
VALUES = {"health_settings": ("4", "3")}


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_a_stale_save_shows_both_values_and_saves_nothing(cast, kind):
    subject = BUILDERS[kind](cast)
    theirs, mine = VALUES.get(kind, (THEIRS, MINE))
    client = english_client(subject.editor)

    opened = client.get(subject.url)
    assert opened.status_code == 200, opened.content.decode()[:2000]
    data = form_data(opened.content.decode(), subject.form_marker)
    opened_version = int(data["version"])

    subject.save(subject.other, subject.fresh(), opened_version, theirs)
    saved_version = subject.version()
    assert saved_version == opened_version + 1
    before = subject.fresh()

    data[subject.field] = mine
    stale = client.post(subject.url, data)

    assert stale.status_code == 200, stale.content.decode()[:2000]
    page = stale.content.decode()
    assert "Someone else saved this record while you were editing it." in page
    assert "Changed by someone else" in page
    rows = stale_rows(page)
    assert rows.get(subject.field) == (theirs, mine), rows
    # Nothing saved: the other person's value, version and every other field stay.
    assert subject.read() == theirs
    assert subject.version() == saved_version
    after = subject.fresh()
    for f in type(after)._meta.concrete_fields:
        assert getattr(after, f.attname) == getattr(before, f.attname), f.name

    again = form_data(page, subject.form_marker)
    assert again[subject.field] == mine  # the user's input is kept in the form
    assert int(again["version"]) == saved_version  # the next submit saves deliberately
    saved = client.post(subject.url, again)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert subject.read() == mine
    assert subject.version() == saved_version + 1
