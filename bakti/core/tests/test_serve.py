"""`bakti serve` collects the static files, then replaces itself with gunicorn."""

from unittest import mock

import pytest
from django.core.management import call_command


@pytest.mark.parametrize(("extra", "collects"), [([], True), (["--no-collectstatic"], False)])
def test_serve_collects_static_files_unless_told_they_are_collected(extra, collects) -> None:
    with (
        mock.patch("bakti.core.management.commands.serve.collect_if_changed") as collect,
        mock.patch("bakti.core.management.commands.serve.os.execv") as execv,
    ):
        call_command("serve", "--bind", "127.0.0.1:8123", "--workers", "2", *extra)
    assert collect.called is collects
    argv = execv.call_args.args[1]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"
    assert argv[argv.index("--workers") + 1] == "2"
    assert "bakti.wsgi" in argv
