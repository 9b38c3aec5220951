"""Finding people by name without reading every row.

A registry of a million people cannot be searched with ``LIKE '%budi%'``: that reads the whole
table for every search. Each database gets an index made for the job, kept up to date by the
database itself (migration ``0003_name_search``), so no service has to remember it:

- **SQLite**: an FTS5 table over ``registry_person.full_name`` filled by triggers; a search term
  matches people with a name word *starting with* each word typed ("budi sant" finds "Budi
  Santoso" and "Santi Budiarti"), accents and case ignored.
- **PostgreSQL**: a trigram (``pg_trgm``) GIN index on ``UPPER(full_name)``, which answers a
  case-insensitive search for each word typed, anywhere in the name, from the index (accents
  are not folded there).

On SQLite a term that matches no word start (a fragment from the middle of a name, "ndang")
falls back to the substring search, so nothing findable before is lost; only that rarer search
reads the whole table.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

FTS_TABLE = "registry_person_name"
_WORD = re.compile(r"\w+", re.UNICODE)


def _fts_query(term: str) -> str | None:
    words = _WORD.findall(term)
    if not words:
        return None
    # Each word quoted (FTS5 syntax characters in a name are then plain text), as a prefix.
    return " ".join('"' + word.replace('"', "") + '"*' for word in words[:8])


def name_q(term: str, field: str = "full_name", pk: str = "pk") -> Q:
    """People whose name matches ``term`` (``field`` / ``pk`` name the columns from the
    queried model, e.g. ``"full_name"`` / ``"pk"`` on Person)."""
    term = term.strip()
    if connection.vendor != "sqlite":
        # Every word typed, anywhere in the name, in any case: each one answered by the index.
        words = _WORD.findall(term)[:8]
        if not words:
            return Q(**{f"{field}__icontains": term})
        found = Q()
        for word in words:
            found &= Q(**{f"{field}__icontains": word})
        return found
    query = _fts_query(term)
    if query is None:
        return Q(**{f"{field}__icontains": term})
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT 1",  # noqa: S608
            [query],
        )
        if cursor.fetchone() is None:
            return Q(**{f"{field}__icontains": term})
    return Q(
        **{
            # The term goes in as a parameter; only the fixed table name is in the text.
            f"{pk}__in": RawSQL(  # noqa: S611
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
                [query],
            )
        }
    )
