"""`lvzhi backup [--output FILE]`: the database and the uploaded files in one SM4-encrypted, SM3-checksummed file."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lvzhi.audit.services import record
from lvzhi.security.backup import BackupError, backup_key, create_backup


class Command(BaseCommand):
    help = "Back up the database and the media files into one encrypted file (key: LVZHI_BACKUP_KEY)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="the file to write (default: LVZHI_BACKUP_DIR/lvzhi-<time>.lvzb)")

    def handle(self, *args, **options):
        try:
            key = backup_key()
            output = options.get("output")
            if not output:
                stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
                directory = Path(settings.LVZHI_BACKUP_DIR)
                directory.mkdir(parents=True, exist_ok=True, mode=0o700)
                output = directory / f"lvzhi-{stamp}.lvzb"
            summary = create_backup(Path(output), key=key)
        except BackupError as exc:
            raise CommandError(f"{exc} [{exc.code}]")
        with transaction.atomic():
            record("security.backup.create", actor_label="lvzhi backup", after=summary)
        self.stdout.write(
            f"OK: {output} ({summary['size']} bytes, {summary['media_files']} media files, SM3 {summary['sm3']})"
        )
