"""`lvzhi rebuild_rollups [source …]`: recount the general daily roll-up (`lvzhi.core.rollup`) from the case tables
(after a restore, a bulk import or any doubt; the services keep it exact otherwise)."""

from django.core.management.base import BaseCommand, CommandError

from lvzhi.core import rollup


class Command(BaseCommand):
    help = "Recount the general daily roll-up of case counts from the case tables."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="*", help="source names (app.model); all by default")

    def handle(self, *args, **options):
        unknown = set(options["sources"]) - set(rollup.sources())
        if unknown:
            raise CommandError(f"unknown sources: {', '.join(sorted(unknown))}; known: {', '.join(rollup.sources())}")
        rows = rollup.rebuild(options["sources"] or None)
        self.stdout.write(f"{rows} roll-up rows written")
