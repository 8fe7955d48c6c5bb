"""The tick jobs: the daily update-frequency check (claimed once a day through `JobDay`) and the crawls (a few due
watches per tick, each within its budget; a crawl claims its watch with a conditional UPDATE)."""

import logging

from django.db import IntegrityError, transaction

from lvzhi.core.timeutil import local_date

from . import services
from .models import JobDay, Watch

logger = logging.getLogger("lvzhi.monitoring")
CRAWLS_PER_TICK = 1  # a crawl takes up to max_pages / rate seconds (200 pages at 2 a second: 100 s)


def run_update_check(now) -> int:
    today = local_date(now)
    try:
        with transaction.atomic():
            JobDay.objects.create(job="update_check", day=today)
    except IntegrityError:
        return 0  # already done today (or being done by another process)
    return services.run_checks(today)


def run_due_crawls(now) -> int:
    done = 0
    for watch in services.due_watches(now)[:CRAWLS_PER_TICK]:
        # claim: the last crawl time moves on first, so a second tick process skips this watch
        claimed = Watch.objects.filter(pk=watch.pk, last_crawl_at=watch.last_crawl_at).update(last_crawl_at=now)
        if not claimed:
            continue
        try:
            services.pull_feeds(watch)
            services.crawl_watch(watch)
            done += 1
        except Exception:  # noqa: BLE001  (one broken site must not stop the others)
            logger.exception("crawling outlet %s failed", watch.outlet_id)
    return done
