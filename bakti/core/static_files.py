"""Collecting static files only when they changed.

``collectstatic`` with compression (whitenoise writes gzip and brotli copies of every file)
takes minutes on a small server, and ``bakti run`` / ``bakti serve`` start with it. The sources
(every file the static finders see, with its size and modification time) are fingerprinted; the
fingerprint of the last collection is kept beside the collected files, and an unchanged
fingerprint skips the work.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command

STAMP = ".bakti-sources"


def sources_fingerprint() -> str:
    digest = hashlib.sha256()
    entries = []
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = Path(storage.path(path)).stat()
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
    digest.update(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    return digest.hexdigest()


def collect_if_changed() -> bool:
    """Run ``collectstatic`` when the sources changed since the last run; True if it ran."""
    stamp = Path(settings.STATIC_ROOT) / STAMP
    fingerprint = sources_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint)
    return True
