"""Who may open which page; requests outside an officer's area are not found; lists keep a
fixed number of queries."""

import pytest
from django.urls import reverse

from bakti.delivery.tests.world import make_household
from bakti.privacy.pdp import services
from bakti.privacy.pdp.models import Dpia, RetentionPolicy
from bakti.privacy.pdp.tests.test_breaches import _breach
from bakti.privacy.pdp.tests.test_ropa_dpia import DPIA
from conftest import DESA_A, DESA_B

from .conftest import receive


def _urls(world, request, breach, dpia) -> dict[str, tuple[str, bool]]:
    """name -> (url, needs privacy.manage)."""
    policy = RetentionPolicy.objects.first()
    program = world.program.pk
    return {
        "dashboard": (reverse("privacy:pdp_dashboard"), False),
        "dsr_list": (reverse("privacy:dsr_list"), False),
        "dsr_detail": (reverse("privacy:dsr_detail", args=[request.pk]), False),
        "breach_list": (reverse("privacy:breach_list"), False),
        "breach_detail": (reverse("privacy:breach_detail", args=[breach.pk]), False),
        "retention": (reverse("privacy:retention"), False),
        "ropa_list": (reverse("privacy:ropa_list"), False),
        "ropa_detail": (reverse("privacy:ropa_detail", args=[program]), False),
        "dsr_create": (reverse("privacy:dsr_create"), True),
        "dsr_export": (reverse("privacy:dsr_export", args=[request.pk, "json"]), True),
        "breach_create": (reverse("privacy:breach_create"), True),
        "policy_edit": (reverse("privacy:retention_policy_edit", args=[policy.pk]), True),
        "ropa_edit": (reverse("privacy:ropa_edit", args=[program]), True),
        "dpia_create": (reverse("privacy:dpia_create", args=[program]), True),
        "dpia_edit": (reverse("privacy:dpia_edit", args=[program, dpia.pk]), True),
    }


POSTS = [
    ("privacy:dsr_action", "start"),
    ("privacy:breach_notice", None),
    ("privacy:breach_close", None),
    ("privacy:retention_run", None),
    ("privacy:dpia_sign_off", None),
    ("privacy:limit_lift", None),
]


@pytest.fixture
def things(world, dpo):
    request = receive(dpo, world.people_a[0])
    breach = _breach(dpo)
    dpia = services.dpia_create(actor=dpo, program=world.program, data=DPIA)
    return request, breach, dpia


def test_roles_without_data_protection_rights_are_refused(client, world, cast, dpo, things):
    urls = _urls(world, *things)
    for user in (cast.outsider, cast.field_worker_a, cast.partner, cast.finance, cast.auditor):
        client.force_login(user)
        for name, (url, _manage) in urls.items():
            assert client.get(url).status_code == 403, (user.username, name)
        for route, arg in POSTS:
            args = [things[0].pk, arg] if arg else ([] if route.endswith("run") else [1])
            assert client.post(reverse(route, args=args)).status_code == 403, (user, route)
    client.logout()
    assert client.get(urls["dsr_list"][0]).status_code == 302  # to the login page


def test_the_head_reads_and_the_officer_manages(client, world, cast, dpo, things):
    urls = _urls(world, *things)
    client.force_login(cast.head)
    for name, (url, manage) in urls.items():
        assert client.get(url).status_code == (403 if manage else 200), name
    client.force_login(dpo)
    for name, (url, _manage) in urls.items():
        assert client.get(url).status_code == 200, name


def test_requests_outside_the_officers_area_are_not_found(client, world, dpo, dpo_a):
    in_a = receive(dpo, world.people_a[0])
    in_b = receive(dpo, world.people_b[0])
    client.force_login(dpo_a)
    listing = client.get(reverse("privacy:dsr_list")).content.decode()
    assert f"DSR-{in_a.pk}<" in listing and f"DSR-{in_b.pk}<" not in listing
    assert client.get(reverse("privacy:dsr_detail", args=[in_b.pk])).status_code == 404
    assert client.get(reverse("privacy:dsr_export", args=[in_b.pk, "json"])).status_code == 404
    answer = reverse("privacy:dsr_action", args=[in_b.pk, "answer"])
    assert client.post(answer, {"answer-answer": "x"}).status_code == 404
    export = client.get(reverse("privacy:dsr_list"), {"export": "csv"})
    csv = b"".join(export.streaming_content).decode()
    assert f"DSR-{in_a.pk}" in csv and f"DSR-{in_b.pk}" not in csv
    response = client.post(
        reverse("privacy:dsr_create"),
        {
            "kind": "access",
            "region": DESA_B,
            "requester_name": "Pak Joko",
            "requester_relation": "self",
            "channel": "phone",
            "received_at": "2026-11-27T08:00",
        },
    )
    assert "This region is outside your area." in response.content.decode()


def test_the_form_says_what_is_missing(client, world, dpo):
    client.force_login(dpo)
    response = client.post(
        reverse("privacy:dsr_create"),
        {"kind": "access", "requester_name": "Bu Rina", "requester_relation": "self",
         "channel": "phone", "received_at": "kemarin", "region": "99.99"},
    )  # fmt: skip
    html = response.content.decode()
    assert "There is no region with the code 99.99." in html
    assert "Enter a valid date/time." in html


def test_lists_keep_a_fixed_number_of_queries(client, world, dpo, django_assert_max_num_queries):
    for i in range(3):
        receive(dpo, world.people_a[i])
        _breach(dpo)
    client.force_login(dpo)
    pages = [
        reverse("privacy:dsr_list"),
        reverse("privacy:breach_list"),
        reverse("privacy:retention"),
        reverse("privacy:ropa_list"),
        reverse("privacy:pdp_dashboard"),
    ]
    counts = {}
    for url in pages:
        client.get(url)  # warm the caches of the session and the user
        with django_assert_max_num_queries(25) as captured:
            client.get(url)
        counts[url] = len(captured)
    for i in range(12):
        _household, person = make_household(DESA_A, f"Warga {i}")
        receive(dpo, person)
        _breach(dpo)
        Dpia.objects.create(program=world.program, **DPIA)
    for url in pages:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)


def test_the_menu_shows_data_protection_to_the_head_and_the_officer(cast, dpo):
    from bakti.core.navigation import nav_items_for

    def modules(user):
        return {item.module for item in nav_items_for(user)}

    assert "pdp" in modules(dpo) and "pdp" in modules(cast.head)
    assert "pdp" not in modules(cast.field_worker_a) | modules(cast.auditor)
