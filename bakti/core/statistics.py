"""The query planner's table statistics, kept fresh.

SQLite plans a query from its statistics (``sqlite_stat1``) when it has them and from fixed
guesses when it does not; the guesses favour the index with the most equality columns. On a
large registry that choice can be a thousand times slower: with no statistics, a program page's
count of overdue cases walked the 43,000 enrolments of the program for each case instead of
looking up each case's household (1.4 s instead of 1 ms at 1,000,000 people). The statistics
are written after every large import, nightly, and after ``migrate`` on a database that has
none (an installation upgraded to code whose queries rely on them). ``analysis_limit`` makes
SQLite sample about a thousand rows per index: a refresh took 0.04 s at a million people.

PostgreSQL's autovacuum analyses tables on its own; an explicit ``ANALYZE`` after a large import
only spares the first queries the wait for it. A refresh there also empties the pending lists of
the GIN indexes (the name search's trigram index): new rows wait in an unsorted list that every
search reads whole until a vacuum merges it, and an import leaves up to 4 MB there, which nothing
merges until autovacuum's next pass. At a million people a name search read 476 pending pages in
each query: 18 ms of index scan, 7 ms once merged.
"""

from __future__ import annotations

from django.db import connections

# Rows an import must write before it refreshes the statistics itself.
AFTER_ROWS = 5000
SQLITE_ANALYSIS_LIMIT = 1000
# Merge the pending list of every GIN index of this schema into the index proper.
GIN_PENDING_LISTS = """
SELECT gin_clean_pending_list(index.oid)
FROM pg_class index JOIN pg_am method ON method.oid = index.relam
WHERE index.relkind = 'i' AND method.amname = 'gin'
  AND index.relnamespace = current_schema()::regnamespace
"""


def refresh_statistics(using: str = "default") -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
        if connection.vendor == "postgresql":
            cursor.execute(GIN_PENDING_LISTS)


def ensure_statistics(using: str = "default") -> bool:
    """Write the statistics if the database has none; whether it did."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    if "sqlite_stat1" in connection.introspection.table_names(include_views=False):
        return False
    refresh_statistics(using)
    return True
