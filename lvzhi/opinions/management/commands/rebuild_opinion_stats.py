"""`lvzhi rebuild_opinion_stats`: recount the daily statistics roll-up of public-opinion reports from the reports
(after a restore, a bulk import or any doubt; the services keep it exact otherwise)."""

from django.core.management.base import BaseCommand

from lvzhi.opinions import rollup


class Command(BaseCommand):
    help = "Recount the daily statistics roll-up of public-opinion reports from the reports."

    def handle(self, *args, **options):
        rows = rollup.rebuild()
        self.stdout.write(f"{rows} office-days recounted")
