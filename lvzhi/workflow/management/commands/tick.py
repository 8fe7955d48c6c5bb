"""`lvzhi tick`: run the periodic jobs once. Cron: `* * * * * lvzhi tick`."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from lvzhi.core.tick import run_tick


class Command(BaseCommand):
    help = "Run the periodic jobs once (deadline reminders, overdue escalations, delivery retries…)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="pretend it is this ISO date-time (for testing and catching up)")
        parser.add_argument("--job", action="append", dest="jobs", help="run only this job (repeatable)")

    def handle(self, *args, now=None, jobs=None, **options):
        moment = None
        if now:
            moment = parse_datetime(now)
            if moment is None:
                raise CommandError("--now must be an ISO date-time such as 2026-10-09T09:00:00+08:00")
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        results = run_tick(moment, only=jobs)
        failed = False
        for name, result in results.items():
            self.stdout.write(f"{name}: {result}")
            failed = failed or (isinstance(result, str) and result.startswith("error"))
        if failed:
            raise CommandError("some tick jobs failed; see the log")
