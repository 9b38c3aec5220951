"""The ``bakti`` command: every Django management command, plus Bakti's own (run, serve,
worker, demo, regions, …), which live as management commands in the apps."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bakti.settings")
    if len(sys.argv) > 1 and sys.argv[1] == "run":
        # `bakti run` serves plain HTTP on this machine: no HTTPS redirect, no secure cookies.
        os.environ.setdefault("BAKTI_INSECURE_HTTP", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
