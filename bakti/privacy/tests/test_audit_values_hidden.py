"""The audit trail lists every event to those who audit, but what an event recorded about a
module's records (its values, the record's name) only to those who may view that module: the
administrator sees that a case was opened, not what its summary says."""

import io

from django.test import Client
from openpyxl import load_workbook

from bakti.cases import services as case_services
from bakti.cases.models import CaseType
from bakti.registry.tests.factories import household, person
from conftest import DESA_A

URL = "/privacy/audit/"
SECRET = "Korban kekerasan dalam rumah tangga ZZSECRET"


def _case(cast):
    someone = person(household(DESA_A), name="Wati", relationship="head")
    case_type = CaseType.objects.get_or_create(code="T-AUD", defaults={"name": "Type"})[0]
    return case_services.case_open(
        actor=cast.field_worker_a, case_type=case_type, person=someone, summary=SECRET
    )


def _client(user) -> Client:
    client = Client()
    client.cookies["bakti_language"] = "en"
    client.force_login(user)
    return client


def test_an_administrator_sees_that_a_case_changed_but_not_its_values(cast) -> None:
    case = _case(cast)
    client = _client(cast.admin)
    page = client.get(URL, {"object_type": "cases.case"})
    assert page.status_code == 200
    text = page.content.decode()
    assert f"cases.case #{case.pk}" in text
    assert "<strong>summary</strong>" in text
    assert "values not shown (you may not view this module)" in text
    assert SECRET not in text
    assert str(case) not in text

    csv = client.get(URL, {"object_type": "cases.case", "export": "csv"})
    body = b"".join(csv.streaming_content) if csv.streaming else csv.content
    assert b"summary" in body
    assert SECRET.encode() not in body
    xlsx = client.get(URL, {"object_type": "cases.case", "export": "xlsx"})
    raw = b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content
    book = load_workbook(io.BytesIO(raw), read_only=True)
    cells = [str(v) for row in book.active.iter_rows(values_only=True) for v in row if v]
    assert cells
    assert not any(SECRET in cell for cell in cells)


def test_an_auditor_who_may_view_cases_sees_the_values(cast) -> None:
    _case(cast)
    text = _client(cast.auditor).get(URL, {"object_type": "cases.case"}).content.decode()
    assert SECRET in text
    assert "values not shown" not in text


def test_the_audit_trail_is_refused_to_a_user_without_the_right(cast) -> None:
    assert _client(cast.field_worker_a).get(URL).status_code == 403
