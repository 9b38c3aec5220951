from ninja import Schema

from .models import Region


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent_code: str | None
    kind: str

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent_id
