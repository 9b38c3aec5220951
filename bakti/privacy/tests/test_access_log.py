"""Every view of a person's full personal data is logged; auditors browse and export the log."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from bakti.privacy.audit import record_access
from bakti.privacy.models import AccessLog

URL = "/privacy/access/"


def test_record_access_keeps_who_saw_what_of_which_record(cast) -> None:
    entry = record_access(
        actor=cast.field_worker_a, obj=cast.manager, what="NIK", reason="Verifikasi"
    )
    assert entry.actor == cast.field_worker_a
    assert entry.object_type == "accounts.user"
    assert entry.object_id == str(cast.manager.pk)
    assert entry.what == "NIK"
    assert entry.reason == "Verifikasi"


def test_auditor_browses_and_filters_the_log(client: Client, cast) -> None:
    record_access(actor=cast.field_worker_a, obj=cast.manager, what="NIK")
    record_access(actor=cast.field_worker_b, obj=cast.officer, what="full record")
    client.force_login(cast.auditor)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2
    page = client.get(URL, {"actor": "worker_b"}).context["page"]
    assert [e.what for e in page] == ["full record"]
    page = client.get(URL, {"object_id": str(cast.manager.pk)}).context["page"]
    assert [e.actor.username for e in page] == ["worker_a"]


@pytest.mark.parametrize("who", ["field_worker_a", "manager", "head", "outsider"])
def test_other_roles_get_403(client: Client, cast, who: str) -> None:
    client.force_login(getattr(cast, who))
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_asked_to_log_in(client: Client, db) -> None:
    assert client.get(URL).url.startswith("/accounts/login/")


def test_log_exports_as_csv_and_xlsx(client: Client, cast) -> None:
    record_access(actor=cast.field_worker_a, obj=cast.manager, what="NIK", reason="+cek")
    client.force_login(cast.admin)
    text = b"".join(client.get(URL, {"export": "csv"}).streaming_content).decode()
    assert "worker_a" in text
    assert "'+cek" in text
    response = client.get(URL, {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert len(rows) == 2
    assert rows[1][1] == "worker_a"


def test_log_query_count_does_not_grow_with_rows(
    client: Client, cast, django_assert_max_num_queries
) -> None:
    client.force_login(cast.auditor)
    client.get(URL)
    AccessLog.objects.bulk_create(
        AccessLog(actor=cast.officer, object_type="accounts.user", object_id="1", what="NIK")
        for _ in range(70)
    )
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 50
