"""The demo shows each stage of the clock, a refusal with its reason, and a breach."""

import pytest

from bakti.accounts import demo as accounts_demo
from bakti.core.demo import DemoContext
from bakti.privacy.pdp import demo as pdp_demo
from bakti.privacy.pdp.models import Breach, DataSubjectRequest, Dpia, ProcessingRecord
from bakti.programs import demo as programs_demo
from bakti.registry import demo as registry_demo


@pytest.mark.django_db
def test_the_demo_has_requests_at_each_stage_and_a_breach(client):
    from conftest import make_regions

    make_regions()
    ctx = DemoContext(password="a-Demo-password-1")
    for module in (accounts_demo, programs_demo, registry_demo, pdp_demo):
        module.load(ctx)
    requests = DataSubjectRequest.objects.all()
    assert requests.count() == 5
    assert {r.status for r in requests} >= {"in_progress", "received", "answered"}
    assert any(r.is_overdue() for r in requests)
    assert any(r.is_due_soon() for r in requests)
    refused = [r for r in requests if r.status == "refused"]
    assert all(r.refusal_reason for r in refused)
    assert Breach.objects.get().notices.count() == 1
    assert ProcessingRecord.objects.count() == 1 and Dpia.objects.count() == 1
    client.force_login(ctx.users["ppd"])
    for url in ("/privacy/pdp/", "/privacy/requests/", "/privacy/breaches/", "/privacy/retention/"):
        assert client.get(url).status_code == 200, url
    for r in requests:
        assert client.get(f"/privacy/requests/{r.pk}/").status_code == 200
