"""Limit/offset pages for every API list (``NINJA_PAGINATION_CLASS``), with bounds.

Ninja's own class accepts any integer, and an offset or limit past what the database can
represent (SQLite and PostgreSQL stop at 2**63 - 1) crashed the request with a 500. Here both are
bounded, so a client asking for too much gets a 422 naming ``offset`` or ``limit``.
"""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 1000  # rows per page
MAX_OFFSET = 1_000_000_000  # far past any list Bakti holds, far below the databases' limit


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description="Rows per page (1-1000).")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows to skip.")

    def __init__(self, *, max_limit: Any = MAX_LIMIT, **kwargs: Any) -> None:
        super().__init__(max_limit=max_limit, **kwargs)
