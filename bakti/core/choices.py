"""The choices of a form's model fields, read with one plain query.

Django reads a ``ModelChoiceField``'s choices with ``QuerySet.iterator()``, which on PostgreSQL
opens a server-side cursor: ``DECLARE … WITH HOLD``, ``FETCH`` and ``CLOSE``, three round trips
and a materialised result for a list of a few dozen programs or funding sources. A filter form
of four such fields cost 13 ms of a page at a million people. Choice lists are short, so they
are read as a plain query (a fresh one each time the choices are listed: a field's queryset may
be shared by every form of its class, and must not keep rows between requests). Exports of many
rows keep ``iterator()`` and its cursor.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.forms.models import ModelChoiceIterator


class ListedChoiceIterator(ModelChoiceIterator):
    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)
