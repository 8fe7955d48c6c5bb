"""Putting an outlet under monitoring (the competent office): since when its items count, whether and where its
website is crawled, its feeds and sitemap."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.timeutil import local_date

from .. import permissions as perm
from ..models import Watch


def _url(value: str, field: str) -> str:
    value = (value or "").strip()
    if value and (not value.startswith(("http://", "https://")) or len(value) > 300 or any(c.isspace() for c in value)):
        raise ValidationFailed(_("Give a web address starting with http:// or https://."), code=f"{field}_invalid")
    return value


@transaction.atomic
def watch_outlet(*, actor, outlet, since=None, crawl: bool = False, start_url: str = "", feed_urls=(),
                 sitemap_url: str = "") -> Watch:  # fmt: skip
    if not perm.competent(actor, outlet.competent_office):
        raise NotFound()
    start_url = _url(start_url, "start_url")
    feeds = [_url(u, "feed_url") for u in feed_urls if (u or "").strip()][:5]
    sitemap_url = _url(sitemap_url, "sitemap_url")
    if crawl and not (start_url or outlet.url.startswith(("http://", "https://"))):
        raise ValidationFailed(_("Give the website's address to crawl it."), code="start_url_required")
    watch, created = Watch.objects.update_or_create(
        outlet=outlet,
        defaults={
            "since": since or local_date(),
            "crawl": crawl,
            "start_url": start_url,
            "feed_urls": feeds,
            "sitemap_url": sitemap_url,
        },  # fmt: skip
    )
    record("monitoring.watch.set", actor=actor, obj=outlet, org_unit=outlet.host_unit,
           after={"crawl": crawl, "created": created})  # fmt: skip
    return watch
