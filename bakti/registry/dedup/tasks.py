"""Background jobs of deduplication: they take plain values and call the service."""

from django_tasks import task

from .services import duplicate_search


@task()
def run_duplicate_search(kabupaten: list[str] | None = None) -> int:
    return duplicate_search(actor=None, kabupaten=kabupaten)
