"""`lvzhi screening_defaults`: re-import the default word lists from lvzhi/screening/data/ (audited)."""

from django.core.management.base import BaseCommand

from lvzhi.screening import defaults


class Command(BaseCommand):
    help = "Re-import the default screening word lists from their data files (new terms are added; audited)."

    def handle(self, *args, **options):
        for report in defaults.import_defaults(actor=None):
            self.stdout.write(
                f"{report.file} v{report.version}: list {report.list_id}, {report.added} added, "
                f"{report.kept} already there, {report.retired_kept} retired by an administrator and left retired, "
                f"{report.removed} no longer in the file and retired"
            )
