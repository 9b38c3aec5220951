"""Jobs left behind by a worker that died: put them back in the queue.

django-tasks-db marks a task RUNNING when a worker claims it and SUCCESSFUL or FAILED when it
ends. A worker killed in between (SIGKILL, out of memory, power cut) leaves the task RUNNING
for ever, and no worker takes it again. ``bakti worker`` therefore

- registers itself: a file ``<BAKTI_VAR_DIR>/workers/<worker id>.lock`` that it keeps locked
  (``flock``) for as long as it lives; the kernel releases the lock when the process dies,
  however it dies, so a lock that can be taken means its worker is gone (this does not depend
  on process ids, which are reused);
- when it starts and then every minute, puts back in the queue (READY) every RUNNING task whose
  worker's lock file exists and is no longer held. Tasks of workers on other machines (no lock
  file here) are left alone: each machine's workers recover their own.

A task put back runs again from the start of the task function, so tasks must be idempotent
(the rule for every Bakti task); a registry import resumes after its last committed chunk.
"""

from __future__ import annotations

import fcntl
import logging
import os
import secrets
import socket
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction

logger = logging.getLogger("bakti.worker")


def lock_dir() -> Path:
    path = Path(settings.VAR_DIR) / "workers"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _lock_path(worker_id: str) -> Path:
    return lock_dir() / f"{worker_id}.lock"


def register_worker() -> tuple[str, IO[str]]:
    """A new worker id (host, process id and a random part; at most 64 characters) and its
    lock file, held until the process ends. Keep the returned handle open."""
    host = "".join(c for c in socket.gethostname() if c.isalnum() or c in "-.")[:30] or "host"
    worker_id = f"{host}-{os.getpid()}-{secrets.token_hex(6)}"
    handle = _lock_path(worker_id).open("w")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return worker_id, handle


def worker_is_gone(worker_id: str) -> bool:
    """True when the worker registered here and its process has ended; False while it runs or
    when it is not one of this machine's workers."""
    path = _lock_path(worker_id)
    if "/" in worker_id or not path.exists():
        return False
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
    return True


def forget_worker(worker_id: str) -> None:
    _lock_path(worker_id).unlink(missing_ok=True)


def requeue_orphaned_tasks() -> int:
    """Put RUNNING tasks of dead workers of this machine back in the queue; return how many."""
    from django_tasks_db.models import DBTaskResult

    requeued = 0
    gone: set[str] = set()
    running = DBTaskResult.objects.filter(status="RUNNING").only(
        "id", "worker_ids", "task_path", "started_at"
    )
    for task in running:
        worker = task.worker_ids[-1] if task.worker_ids else ""
        if not worker or not worker_is_gone(worker):
            continue
        with transaction.atomic():
            # Only if still RUNNING under that worker: two workers recovering at once put the
            # task back once, and a task finished meanwhile is left alone.
            updated = DBTaskResult.objects.filter(
                pk=task.pk, status="RUNNING", started_at=task.started_at
            ).update(status="READY", started_at=None)
        if updated:
            requeued += 1
            gone.add(worker)
            logger.warning(
                "Task %s (%s) was left running by worker %s, which has stopped; it is queued "
                "again.",
                task.pk,
                task.task_path,
                worker,
            )
    still_used = set()
    if gone:
        for ids in DBTaskResult.objects.filter(status="RUNNING").values_list(
            "worker_ids", flat=True
        ):
            still_used.update(ids[-1:])
    for worker in gone - still_used:
        forget_worker(worker)
    return requeued
