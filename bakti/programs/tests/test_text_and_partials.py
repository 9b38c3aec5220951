"""Light text structure in the strategy, HTMX partials, and refusals on every write URL."""

import pytest
from django.urls import reverse

from bakti.programs.models import Program
from bakti.programs.templatetags.programs import paragraphs
from conftest import KABUPATEN

from .factories import activity, framework, program


def test_paragraphs_and_lists_are_escaped():
    html = paragraphs("First <b>line</b>\nsecond\n\n- one\n- two & three")
    assert html == (
        "<p>First &lt;b&gt;line&lt;/b&gt;<br>second</p>"
        "<ul><li>one</li><li>two &amp; three</li></ul>"
    )
    assert paragraphs("") == ""


def test_htmx_requests_get_only_the_results(client, cast):
    program(cast, regions=[KABUPATEN])
    client.force_login(cast.manager)
    response = client.get(reverse("programs:program_list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="results"' in body and "<html" not in body


@pytest.mark.parametrize(
    "name",
    [
        "result_delete",
        "indicator_delete",
        "activity_delete",
        "milestone_delete",
        "risk_delete",
        "team_remove",
    ],
)
def test_field_worker_cannot_delete_anything(client, cast, name):
    from bakti.programs import services

    prog = program(cast, regions=[KABUPATEN])
    parts = framework(prog)
    act = activity(prog, parts["output"])
    milestone = services.milestone_create(
        actor=None, program=prog, name="M", due_date=act.planned_end
    )
    risk = services.risk_create(actor=None, program=prog, description="R")
    member = services.team_member_add(actor=None, program=prog, user=cast.officer, role="x")
    ids = {
        "result_delete": parts["goal"].pk,
        "indicator_delete": parts["indicator"].pk,
        "activity_delete": act.pk,
        "milestone_delete": milestone.pk,
        "risk_delete": risk.pk,
        "team_remove": member.pk,
    }
    client.force_login(cast.field_worker_a)
    response = client.post(reverse(f"programs:{name}", args=[prog.pk, ids[name]]))
    assert response.status_code == 403
    client.force_login(cast.manager)
    response = client.post(reverse(f"programs:{name}", args=[prog.pk, ids[name]]))
    assert response.status_code == 302


def test_strategy_renders_as_paragraphs_and_lists(client, cast):
    prog = program(cast, strategy="Why it works.\n\n- home visits\n- family training")
    client.force_login(cast.manager)
    html = client.get(reverse("programs:program_detail", args=[prog.pk])).content.decode()
    assert "<ul><li>home visits</li><li>family training</li></ul>" in html
    assert Program.objects.count() == 1


def test_team_and_history_filter(client, cast):
    from bakti.programs import services

    prog = program(cast)
    services.team_member_add(actor=None, program=prog, user=cast.officer, role="Koordinator")
    services.team_member_add(actor=None, program=prog, user=cast.mne, role="Monev")
    services.program_update(actor=cast.manager, program=prog, data={"name": "Renamed"})
    client.force_login(cast.manager)
    team = client.get(reverse("programs:team", args=[prog.pk]), {"q": "monev"})
    assert [m.role for m in team.context["page"]] == ["Monev"]
    history = client.get(reverse("programs:program_history", args=[prog.pk]), {"action": "update"})
    rows = history.context["rows"]
    assert rows and all(r["event"].action == "update" for r in rows)
    assert any(name == "name" or name == "nama" for r in rows for name, _o, _n in r["changes"])
