"""Saving a stale form, on every record several people edit: the page shows what the other
person saved next to the user's input, nothing is overwritten, and saving again is deliberate."""

from __future__ import annotations

import pytest
from django.test import Client

from .pages import form_data, stale_rows
from .subjects import BUILDERS


def english_client(user) -> Client:
    client = Client()
    client.cookies["bakti_language"] = "en"
    client.force_login(user)
    return client


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_a_stale_form_shows_both_values_keeps_the_saved_one_and_saves_on_resubmit(cast, kind):
    subject = BUILDERS[kind](cast)
    client = english_client(subject.editor)

    opened = client.get(subject.url)
    assert opened.status_code == 200
    data = form_data(opened.content.decode(), subject.form_marker)
    opened_version = int(data["version"])

    theirs = "Saved by a colleague meanwhile"
    if kind == "ticket":
        subject.save(subject.other, subject.fresh(), opened_version, "hold:waiting for the bank")
    else:
        subject.save(subject.other, subject.fresh(), opened_version, theirs)
    saved_version = subject.version()
    assert saved_version == opened_version + 1

    mine = "My change, typed before I knew"
    data[subject.field] = mine
    stale = client.post(subject.url, data)

    assert stale.status_code == 200
    page = stale.content.decode()
    assert "Changed by someone else" in page
    rows = stale_rows(page)
    assert subject.field in rows, rows
    if kind == "ticket":
        assert rows["status"] == ("On hold", "Resolved")
        assert rows["resolution"] == ("–", mine)
        assert subject.read() == ""
        assert subject.fresh().status == "on_hold"
    else:
        assert rows[subject.field] == (theirs, mine)
        assert subject.read() == theirs  # nothing overwritten
    assert subject.version() == saved_version

    again = form_data(page, subject.form_marker)
    assert again[subject.field] == mine  # the user's input is kept in the form
    assert int(again["version"]) == saved_version  # the next submit saves deliberately
    saved = client.post(subject.url, again)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert subject.read() == mine
    assert subject.version() == saved_version + 1
    if kind == "ticket":
        assert subject.fresh().status == "resolved"


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_the_edit_pages_are_refused_to_a_user_without_the_right(client, cast, kind):
    subject = BUILDERS[kind](cast)
    client.force_login(cast.outsider)
    assert client.get(subject.url).status_code in {403, 404}
    assert client.post(subject.url, {"version": 1}).status_code in {403, 404}
