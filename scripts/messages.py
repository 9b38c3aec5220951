"""Keep the translation catalogues complete: `make messages`.

Each Bakti app keeps its own catalogue in ``bakti/<app>/locale`` (so work on one app never
touches another's), and the project-wide templates keep theirs in ``bakti/locale``. Source
strings are English; the Indonesian catalogue is translated by hand; the English catalogue is
filled from the source strings. Run with ``--check`` to report, without writing, any string
that is missing a translation or any catalogue that is out of date (the test suite does).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "bakti"
LANGUAGES = ["id", "en"]
PLURAL_FORMS = {"id": "nplurals=1; plural=0;", "en": "nplurals=2; plural=(n != 1);"}


def catalogue_dirs() -> list[tuple[Path, list[str]]]:
    """(directory whose strings form one catalogue, directories to ignore inside it)."""
    apps = sorted(p.parent for p in PACKAGE.glob("*/apps.py"))
    project_ignores = [app.name for app in apps] + ["static"]
    return [(app, []) for app in apps] + [(PACKAGE, project_ignores)]


def extract(directory: Path, ignores: list[str], out_root: Path) -> dict[str, Path]:
    """Run makemessages for ``directory`` in a scratch copy; return the fresh .po per language."""
    scratch = out_root / directory.relative_to(ROOT).as_posix().replace("/", "_")
    shutil.copytree(directory, scratch, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    for ignored in ignores:
        shutil.rmtree(scratch / ignored, ignore_errors=True)
    (scratch / "locale").mkdir()
    # django-admin, not `python -m django`: the latter puts the scratch copy first on sys.path,
    # where an app module named like a standard one (selectors.py) would shadow it.
    admin = str(Path(sys.executable).parent / "django-admin")
    args = [admin, "makemessages", "--no-obsolete", "--no-location"]
    for language in LANGUAGES:
        args += ["-l", language]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bakti.settings", "PYTHONPATH": str(ROOT)}
    for domain in ("django",):
        done = subprocess.run(
            [*args, "-d", domain], cwd=scratch, env=env, capture_output=True, text=True
        )
        if done.returncode:
            raise SystemExit(f"makemessages failed in {directory}:\n{done.stderr}")
    return {
        language: scratch / "locale" / language / "LC_MESSAGES" / "django.po"
        for language in LANGUAGES
    }


def merge(fresh_path: Path, current_path: Path, language: str) -> polib.POFile:
    """The fresh catalogue with translations carried over from the current one."""
    fresh = polib.pofile(str(fresh_path))
    current = polib.pofile(str(current_path)) if current_path.exists() else polib.POFile()
    known = {(e.msgctxt, e.msgid): e for e in current}
    for entry in fresh:
        old = known.get((entry.msgctxt, entry.msgid))
        if old is not None:
            entry.msgstr = old.msgstr
            entry.msgstr_plural = old.msgstr_plural or entry.msgstr_plural
        if language == "en":
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    fresh.metadata = {
        "Project-Id-Version": "Bakti",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;"
        if language == "id"
        else "nplurals=2; plural=(n != 1);",
    }
    return fresh


def untranslated(catalogue: polib.POFile) -> list[str]:
    missing = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                missing.append(entry.msgid)
        elif not entry.msgstr:
            missing.append(entry.msgid)
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="report problems, write nothing")
    options = parser.parse_args()
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for directory, ignores in catalogue_dirs():
            fresh = extract(directory, ignores, Path(tmp))
            for language, fresh_path in fresh.items():
                if not fresh_path.exists():
                    continue
                target = directory / "locale" / language / "LC_MESSAGES" / "django.po"
                merged = merge(fresh_path, target, language)
                if len(merged) == 0:
                    continue
                rel = target.relative_to(ROOT)
                missing = untranslated(merged)
                if options.check:
                    current = polib.pofile(str(target)) if target.exists() else polib.POFile()
                    current_ids = {(e.msgctxt, e.msgid) for e in current if not e.obsolete}
                    fresh_ids = {(e.msgctxt, e.msgid) for e in merged}
                    for _ctx, msgid in sorted(fresh_ids - current_ids, key=str):
                        problems.append(f"{rel}: not in the catalogue: {msgid!r}")
                    problems.extend(f"{rel}: no translation: {m!r}" for m in missing)
                    mo = target.with_suffix(".mo")
                    if target.exists() and (
                        not mo.exists() or mo.stat().st_mtime < target.stat().st_mtime - 1
                    ):
                        problems.append(f"{rel}: the compiled .mo is older than the .po")
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                merged.save(str(target))
                merged.save_as_mofile(str(target.with_suffix(".mo")))
                for m in missing:
                    problems.append(f"{rel}: no translation yet: {m!r}")
    for problem in problems:
        print(problem)
    if options.check and problems:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
