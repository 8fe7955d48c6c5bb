"""Crawling a watched website and turning the crawler's problems into findings (bounded, run by the tick job or
by the office's "crawl now"). Problems of one crawl are de-duplicated per outlet + kind + URL by `raise_finding`."""

import datetime as dt
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.timeutil import local_date
from lvzhi.screening import detectors
from lvzhi.screening import services as screening

from .. import crawler
from .. import permissions as perm
from ..kinds import label
from ..models import CrawlRun, Watch
from .findings import raise_finding

SPAM_KINDS = ("advert", "sensitive", "secret")


def screen_for(body):
    def screen(text: str) -> list[str]:
        return [f.value or f.label for f in screening.scan(text, body=body) if f.kind in SPAM_KINDS]

    return screen


def registered_hosts(body) -> list[str]:
    """The allowed link hosts: government domains, the platform's hosts, and the body's registered websites."""
    hosts = list(detectors.allowed_hosts())
    for url in Watch.objects.filter(outlet__body=body).exclude(start_url="").values_list("start_url", flat=True):
        host = urlsplit(url).hostname
        if host:
            hosts.append(host)
    return hosts


def _summary(problem) -> str:
    path = urlsplit(problem.url).path or "/"
    return f"{label(problem.kind)}：{path}"[:300]


def crawl_watch(watch: Watch, *, actor=None, budget=None, client=None, today=None) -> CrawlRun:
    """Crawl the watch's website now (outside a transaction: the requests take time), then record the run and its
    findings in one transaction."""
    outlet = watch.outlet
    start_url = watch.start_url or outlet.url
    run = CrawlRun.objects.create(outlet=outlet, started_at=timezone.now(), requested_by=actor)
    result = crawler.crawl(
        start_url,
        budget=budget,
        screen=screen_for(outlet.body),
        registered_hosts=registered_hosts(outlet.body),
        today=today or local_date(),
        client=client,
    )
    with transaction.atomic():
        for problem in result.problems:
            raise_finding(
                kind=problem.kind,
                summary=_summary(problem),
                outlet=outlet,
                url=problem.url,
                evidence={**problem.evidence, "detail": problem.summary, "crawl": run.pk},
            )
        run.finished_at = timezone.now()
        run.pages, run.requests = result.pages, result.requests
        run.reachable, run.response_ms = result.reachable, result.response_ms
        run.findings, run.error = len(result.problems), result.error[:300]
        run.save()
        Watch.objects.filter(pk=watch.pk).update(last_crawl_at=run.finished_at, crawl_requested_at=None)
        record("monitoring.crawl.run", actor=actor, obj=run, org_unit=outlet.host_unit,
               after={"pages": run.pages, "findings": run.findings, "reachable": run.reachable})  # fmt: skip
    return run


@transaction.atomic
def request_crawl(*, actor, watch: Watch) -> Watch:
    """The office's "crawl now": the crawl runs in the next tick (bounded by the budget), not in the request."""
    if not perm.competent(actor, watch.outlet.competent_office):
        raise NotFound()
    if not watch.crawl or not (watch.start_url or watch.outlet.url):
        raise ValidationFailed(_("This outlet is not crawled (no website address)."), code="not_crawled")
    updated = Watch.objects.filter(pk=watch.pk, crawl_requested_at__isnull=True).update(
        crawl_requested_at=timezone.now()
    )
    if not updated:
        raise ValidationFailed(_("A crawl of this website is already waiting."), code="crawl_waiting")
    record("monitoring.crawl.request", actor=actor, obj=watch.outlet, org_unit=watch.outlet.host_unit)
    watch.refresh_from_db()
    return watch


def due_watches(now, *, every_hours: int = 24):
    """Watches to crawl: asked for, or not crawled in the last day."""
    stale = now - dt.timedelta(hours=every_hours)
    return (
        Watch.objects.filter(crawl=True)
        .filter(Q(start_url__startswith="http") | Q(start_url="", outlet__url__startswith="http"))
        .filter(Q(crawl_requested_at__isnull=False) | Q(last_crawl_at__isnull=True) | Q(last_crawl_at__lt=stale))
        .select_related("outlet__host_unit", "outlet__competent_office", "outlet__body")
        .order_by("crawl_requested_at", "last_crawl_at", "pk")
    )
