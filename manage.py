#!/usr/bin/env python
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))


def main() -> None:
    from egov.conf.env import settings_module

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module("egov.conf.dev"))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
