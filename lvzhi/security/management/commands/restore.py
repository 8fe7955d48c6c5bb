"""`lvzhi restore FILE`: verify a backup's SM3 checksum and key, then restore it into an EMPTY database and media
directory (by default the configured ones; `--database-url` and `--media-root` choose others). `--check` only
verifies. Nothing is touched before every check has passed."""

from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from lvzhi.security.backup import BackupError, Target, backup_key, inspect_backup, restore_backup


class Command(BaseCommand):
    help = "Restore a `lvzhi backup` file into an empty database (checksum and key verified first)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database-url", help="restore into this database instead of the configured one")
        parser.add_argument("--media-root", help="restore the files here instead of MEDIA_ROOT")
        parser.add_argument("--check", action="store_true", help="only verify the checksum and the key")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            key = backup_key()
            if options["check"]:
                summary = inspect_backup(path, key=key)
                self.stdout.write(f"OK: checksum and key verified (made {summary['created_at']}, {summary['method']}).")
                return
            database = (
                dj_database_url.parse(options["database_url"])
                if options.get("database_url")
                else dict(connections["default"].settings_dict)
            )
            target = Target(database=database, media_root=Path(options.get("media_root") or settings.MEDIA_ROOT))
            summary = restore_backup(path, key=key, target=target)
        except BackupError as exc:
            raise CommandError(f"{exc} [{exc.code}]")
        self.stdout.write(f"OK: restored the backup of {summary['created_at']} ({summary['media_files']} media files).")
