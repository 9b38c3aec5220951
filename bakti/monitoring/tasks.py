"""Background jobs: compute indicator actuals and assess program health. Each takes ids and
is safe to run twice."""

from __future__ import annotations

from django.apps import apps
from django_tasks import task

from . import services


@task()
def compute_program(program_id: int) -> int:
    """Compute every computed indicator of one program, then assess its health."""
    Program = apps.get_model("programs", "Program")
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        return 0
    count = services.program_compute_all(actor=None, program=program)
    services.program_health_assess(actor=None, program=program)
    return count


@task()
def compute_all_programs() -> int:
    """For a nightly schedule: every running program."""
    Program = apps.get_model("programs", "Program")
    total = 0
    for program in Program.objects.filter(status__in=["approved", "active"]).order_by("pk"):
        total += services.program_compute_all(actor=None, program=program)
        services.program_health_assess(actor=None, program=program)
    return total
