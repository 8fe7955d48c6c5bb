"""`lvzhi duty sync [--year Y]`: rebuild the automatic records from their sources (S3-6).
`lvzhi duty recompute --year Y [--body ID] [--reprice]`: recompute every member's total of the year (S3-9)."""

import time

from django.core.management.base import BaseCommand, CommandError

from lvzhi.duty import services
from lvzhi.duty.models import MemberYear, Record
from lvzhi.orgs.models import OrgUnit, UnitKind


class Command(BaseCommand):
    help = "Duty records: sync the automatic records from their sources, or recompute a year's totals."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["sync", "recompute"])
        parser.add_argument("--year", type=int)
        parser.add_argument("--body", type=int, help="one body (default: every body with duty records)")
        parser.add_argument("--reprice", action="store_true", help="price the records by the rules in force first")

    def handle(self, *args, action, year=None, body=None, reprice=False, **options):
        if action == "sync":
            started = time.monotonic()
            totals = services.sync_all(year=year)
            self.stdout.write(f"synced {totals} in {time.monotonic() - started:.1f} s")
            return
        if not year:
            raise CommandError("--year is required")
        if body:
            bodies = list(OrgUnit.objects.filter(pk=body, kind=UnitKind.BODY))
            if not bodies:
                raise CommandError("no such body")
        else:
            ids = set(Record.objects.filter(year=year).values_list("body_id", flat=True).distinct())
            ids |= set(MemberYear.objects.filter(year=year).values_list("body_id", flat=True).distinct())
            bodies = list(OrgUnit.objects.filter(pk__in=ids))
        for b in bodies:
            started = time.monotonic()
            stats = services.recompute_year(body=b, year=year, reprice=reprice)
            self.stdout.write(
                f"{b.pk} {year}: {stats['members']} members, {stats['records']} records, "
                f"{time.monotonic() - started:.1f} s"
            )
