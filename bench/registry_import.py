"""Benchmark: import a generated registry file into a fresh SQLite database.

    .venv/bin/python bench/registry_import.py --rows 100000 [--bad-every 100] [--keep DIR]

Writes a Bakti-layout CSV with about ``--rows`` rows (households of 1-6 people in the demo
kecamatan), creates a fresh database in a temporary BAKTI_VAR_DIR, loads the regions, runs
``bakti import registry`` in a child process and prints rows/second and the child's peak
memory (max RSS). Run it alone: the machine's other load changes the numbers.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def django_env(var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "BAKTI_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "bakti.settings",
        "PYTHONPATH": str(ROOT),
    }


def manage(var_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=django_env(var_dir),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def desa_codes(var_dir: Path) -> list[str]:
    code = (
        "import django; django.setup();"
        "from bakti.regions.models import Region;"
        "print(','.join(Region.objects.filter(level=4, code__regex=r'^34\\.04\\.0[12]\\.')"
        ".values_list('code', flat=True)))"
    )
    done = subprocess.run(
        [PYTHON, "-c", code], env=django_env(var_dir), capture_output=True, text=True, cwd=ROOT
    )
    return [c for c in done.stdout.strip().split(",") if c]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--bad-every", type=int, default=0)
    parser.add_argument("--chunk-rows", type=int, default=2000)
    parser.add_argument("--keep", help="Use (and keep) this directory instead of a temporary one.")
    options = parser.parse_args()
    var_dir = Path(options.keep or tempfile.mkdtemp(prefix="bakti-bench-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    for step in (["migrate", "--no-input"], ["regions", "load"]):
        done = manage(var_dir, *step)
        if done.returncode:
            raise SystemExit(done.stderr)
    desa = desa_codes(var_dir)
    if not desa:
        raise SystemExit("No desa codes under 34.04.01/02 were loaded.")
    sys.path.insert(0, str(ROOT))
    os.environ.update(django_env(var_dir))
    import django

    django.setup()
    from bakti.registry.importing.sample import write_sample

    households = max(1, round(options.rows / 3.5))
    path = var_dir / "registry.csv"
    with path.open("w", newline="") as out:
        rows = write_sample(out, households, desa, bad_every=options.bad_every)
    size_mb = path.stat().st_size / 1e6
    print(f"file: {rows} rows, {households} households, {size_mb:.1f} MB, {len(desa)} desa")
    start = time.perf_counter()
    # /usr/bin/time reports the peak memory of the import process alone.
    command = ["/usr/bin/time", "-f", "MAXRSS_KB %M", PYTHON, str(ROOT / "manage.py")]
    command += ["import", "registry", str(path), "--chunk-rows", str(options.chunk_rows)]
    done = subprocess.run(
        command, env=django_env(var_dir), capture_output=True, text=True, cwd=ROOT
    )
    seconds = time.perf_counter() - start
    peak_kb = 0
    for line in done.stderr.splitlines():
        if line.startswith("MAXRSS_KB"):
            peak_kb = int(line.split()[1])
    print(done.stdout.strip())
    if done.returncode not in (0, 1):
        print(done.stderr[-3000:])
    print(f"exit status {done.returncode}")
    print(f"time: {seconds:.1f} s, {rows / seconds:,.0f} rows/second")
    print(f"peak memory of the import process: {peak_kb / 1024:.0f} MB (max RSS)")


if __name__ == "__main__":
    main()
