"""Every translatable string has its Indonesian translation, and the compiled catalogues are
up to date (`make messages`)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="xgettext is not installed (Debian package gettext); it extracts the strings",
)
def test_translation_catalogues_are_complete() -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        [sys.executable, str(PROJECT / "scripts" / "messages.py"), "--check"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, "run `make messages` and translate:\n" + done.stdout + done.stderr
