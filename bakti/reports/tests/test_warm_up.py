"""A web worker loads the PDF libraries while it boots (bakti/wsgi.py), unless turned off."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PROBE = (
    "import sys, bakti.wsgi; print('weasyprint' in sys.modules, 'matplotlib.pyplot' in sys.modules)"
)


@pytest.mark.parametrize("setting, loaded", [(None, "True True"), ("0", "False False")])
def test_the_wsgi_application_loads_the_pdf_libraries(tmp_path, setting, loaded):
    env = {**os.environ, "BAKTI_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("BAKTI_WARM_UP", None)
    if setting is not None:
        env["BAKTI_WARM_UP"] = setting
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == loaded


def test_warming_up_draws_a_chart_and_lays_out_a_page(caplog):
    from bakti.reports.warmup import warm_up_if_enabled

    warm_up_if_enabled()
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
