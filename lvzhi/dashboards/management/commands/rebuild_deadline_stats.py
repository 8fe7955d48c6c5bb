"""`lvzhi rebuild_deadline_stats`: recount the on-time roll-up of every deadline rule (`lvzhi.dashboards.rollup`) from
the deadlines table (after a restore, a bulk import or any doubt; the workflow's transitions keep it exact)."""

from django.core.management.base import BaseCommand

from lvzhi.dashboards import rollup


class Command(BaseCommand):
    help = "Recount the on-time roll-up of every deadline rule from the deadlines table."

    def handle(self, *args, **options):
        rows = rollup.rebuild()
        self.stdout.write(f"{rows} roll-up rows written")
