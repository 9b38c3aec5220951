"""Static files are collected again only when a source file changed."""

import os
from pathlib import Path

from bakti.core.static_files import collect_if_changed


def test_static_files_are_collected_once_until_a_source_changes(settings, tmp_path) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    source_dir = tmp_path / "sources"
    source_dir.mkdir()
    source = source_dir / "extra.css"
    source.write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, str(source_dir)]
    assert collect_if_changed() is True
    collected = Path(settings.STATIC_ROOT) / "extra.css"
    assert collected.read_text() == "body { color: black; }"
    assert collect_if_changed() is False
    source.write_text("body { color: navy; }")
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 10**9))
    assert collect_if_changed() is True
    assert collected.read_text() == "body { color: navy; }"
