"""A form's model choices are read with one plain query each time they are listed: no
server-side cursor (three round trips on PostgreSQL), and no rows kept between requests."""

from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bakti.accounts.models import OrgUnit


class UnitForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.order_by("name"), required=False)


def test_choices_are_read_with_one_plain_query(cast):
    form = UnitForm()
    with CaptureQueriesContext(connection) as queries:
        html = str(form["unit"])
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == 1, statements
    assert not any(sql.lstrip().upper().startswith("DECLARE") for sql in statements)
    for unit in OrgUnit.objects.all():
        assert f'value="{unit.pk}"' in html


def test_a_unit_added_after_a_listing_is_offered_next_time(cast):
    field = UnitForm.base_fields["unit"]  # shared by every form of the class
    before = [value for value, _label in field.choices]
    added = OrgUnit.objects.create(name="Bidang Baru", code="BB", kind="division")
    after = [str(value) for value, _label in field.choices]
    assert str(added.pk) in after and len(after) == len(before) + 1
