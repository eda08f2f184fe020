"""`python -m linkagehub <command>`: Django's management commands with the hub's settings."""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "linkagehub.settings"
    execute_from_command_line([f"{sys.executable} -m linkagehub", *sys.argv[1:]])


if __name__ == "__main__":
    main()
