"""The `lvzhi` command: Django's management commands with Lvzhi's settings (`lvzhi tick`, `lvzhi demo`…)."""

import os
import sys

from django.core.management import execute_from_command_line


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")

    execute_from_command_line(argv or sys.argv)


if __name__ == "__main__":
    main()
