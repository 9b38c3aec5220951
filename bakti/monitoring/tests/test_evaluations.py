"""Evaluations with recommendations tracked until closed."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bakti.monitoring import services
from bakti.monitoring.models import Recommendation


def test_recommendation_needs_a_management_response_before_closing(cast, evaluation):
    recommendation = services.recommendation_create(
        actor=cast.mne,
        evaluation=evaluation,
        text="Add a second distribution point in Godean.",
        owner=cast.officer,
        due_date=dt.date(2026, 9, 30),
    )
    with pytest.raises(ValidationError):
        services.recommendation_update(
            actor=cast.manager, recommendation=recommendation, data={"status": "closed"}
        )
    with pytest.raises(PermissionDenied):
        services.recommendation_update(
            actor=cast.officer, recommendation=recommendation, data={"response": "accepted"}
        )
    services.recommendation_update(
        actor=cast.manager, recommendation=recommendation, data={"response": "partly"}
    )
    closed = services.recommendation_update(
        actor=cast.manager, recommendation=recommendation, data={"status": "closed"}
    )
    assert closed.closed_at is not None


def test_evaluation_pages(client, cast, evaluation):
    client.force_login(cast.mne)
    detail = client.get(reverse("monitoring:evaluation_detail", args=[evaluation.pk]))
    assert b"Universitas Gadjah Mada" in detail.content
    response = client.post(
        reverse("monitoring:recommendation_create", args=[evaluation.pk]),
        {"text": "Train more volunteers.", "response": "pending", "status": "open"},
    )
    assert response.status_code == 302
    assert Recommendation.objects.filter(evaluation=evaluation).count() == 1
    client.force_login(cast.field_worker_a)
    assert (
        client.get(reverse("monitoring:evaluation_detail", args=[evaluation.pk])).status_code == 403
    )


def test_evaluation_dates_are_checked(cast, tracked):
    with pytest.raises(ValidationError) as error:
        services.evaluation_create(
            actor=cast.mne,
            program=tracked,
            title="Bad",
            start_date=dt.date(2026, 6, 1),
            end_date=dt.date(2026, 5, 1),
            evaluator_name="X",
        )
    assert "end date" in str(error.value)
