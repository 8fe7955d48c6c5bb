"""Each site of the group evaluated against the inspection indicators (S4-2.1.3, S2-2): the site's entry in the
new-media registry (a website hosted by the site's body) and what the monitoring module recorded for it —
reachability (the last crawl and its findings), updates, dead links and the 纠错 (error-correction) entry —, shown
to the competent office and to the office of the site's body. Reads only: the registry and the monitoring module
are called through their selectors.

Who sees a site's evaluation: the portal office of the site's body (`permissions.office_body_ids`) and the holders
of `nm_competent` at the competent office of the site's registered website; anyone else gets "not found"."""

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.permissions import units_q
from lvzhi.accounts.roles import Role
from lvzhi.core.errors import NotFound
from lvzhi.core.params import query_int
from lvzhi.core.timeutil import local_date
from lvzhi.monitoring import kinds as monitoring_kinds
from lvzhi.monitoring import selectors as monitoring
from lvzhi.newmedia import permissions as newmedia_perm
from lvzhi.newmedia import selectors as newmedia
from lvzhi.newmedia.models import WEBSITES

from . import permissions as perm
from .models import Site

WINDOW_DAYS = 90
ACTIVE = ("open", "fixed")

INDICATORS = (
    ("reachability", _("Reachability"), ("site_unreachable", "slow_response")),
    (
        "updates",
        _("Updates"),
        (
            "home_not_updated",
            "not_updated_14_days",
            "stale_column",
            "no_daily_update",
            "no_weekly_update",
            "no_weekly_original",
        ),
    ),  # fmt: skip
    ("dead_links", _("Dead links"), ("dead_links",)),
    ("error_entry", _("Error-correction (纠错) entry"), ("no_error_entry",)),
)
VERDICTS = {
    "veto": _("Fails (single-veto item)"),
    "open": _("Problems to fix"),
    "fixed": _("Problems fixed"),
    "ok": _("Nothing found"),
    "unknown": _("Not checked yet"),
}


@dataclass
class Indicator:
    code: str
    label: object
    verdict: str = "ok"
    facts: list = field(default_factory=list)

    @property
    def verdict_label(self):
        return VERDICTS[self.verdict]


@dataclass
class Evaluation:
    site: Site
    outlet: object = None  # the registry's entry, or None: the site is not registered
    last_crawl: object = None
    last_item: object = None
    indicators: list = field(default_factory=list)
    start: dt.date | None = None
    end: dt.date | None = None


def _competent_body_ids(user) -> set[int]:
    """Bodies whose registered website is under an office where the user is the competent office."""
    if not perm._user(user):
        return set()
    q = units_q(user, Role.NM_COMPETENT, "competent_office")
    if q == Q(pk__in=[]):
        return set()
    return set(newmedia.active_outlets().filter(q, platform__in=WEBSITES).values_list("host_unit_id", flat=True))


def visible_sites(user):
    """The sites whose evaluation the user sees (one page of them at a time)."""
    ids = perm.office_body_ids(user) | _competent_body_ids(user)
    return Site.objects.filter(body_id__in=ids).select_related("body").order_by("body__path", "pk")


def registered_outlet(site: Site):
    """The registry's website for the site: a website hosted by the site's body, the one at the site's host name
    first, then the body's portal."""
    outlets = list(newmedia.active_outlets(unit_ids=[site.body_id]).filter(platform__in=WEBSITES)[:20])
    if site.host:
        for outlet in outlets:
            if (urlsplit(outlet.url if "//" in outlet.url else f"//{outlet.url}").hostname or "") == site.host:
                return outlet
    outlets.sort(key=lambda o: (o.platform != "portal", o.pk))
    return outlets[0] if outlets else None


def access_site(user, pk) -> Site:
    site = Site.objects.select_related("body").filter(pk=query_int(pk) or 0).first()
    if site is None:
        raise NotFound()
    if perm.is_office(user, site.body):
        return site
    outlet = registered_outlet(site)
    if outlet is None or not newmedia_perm.competent(user, outlet.competent_office):
        raise NotFound()
    return site


def may_register(user, site: Site) -> bool:
    return any(u.pk == site.body_id for u in newmedia.host_units(user))


def evaluate(site: Site, *, today=None) -> Evaluation:
    """The site's latest evaluation on the indicators, from the last `WINDOW_DAYS` days of findings (a bounded
    number of queries whatever the number of findings)."""
    end = today or local_date()
    start = end - dt.timedelta(days=WINDOW_DAYS)
    result = Evaluation(site=site, outlet=registered_outlet(site), start=start, end=end)
    if result.outlet is None:
        return result
    watch = SimpleNamespace(outlet_id=result.outlet.pk)  # the monitoring selectors read only the outlet's id
    runs = monitoring.crawl_runs(watch, limit=1)
    result.last_crawl = runs[0] if runs else None
    items = monitoring.items_of(watch, page=1).object_list
    result.last_item = items[0] if items else None
    facts = monitoring.assessment_facts([result.outlet.pk], start, end)
    for code, label, kinds in INDICATORS:
        mine = [f for f in facts if f.kind in kinds]
        indicator = Indicator(code=code, label=label, facts=[_fact(f) for f in reversed(mine[-5:])])
        if any(f.veto and f.status in ACTIVE for f in mine):
            indicator.verdict = "veto"
        elif any(f.status in ACTIVE for f in mine):
            indicator.verdict = "open"
        elif mine:
            indicator.verdict = "fixed"
        elif code == "reachability" and result.last_crawl is None:
            indicator.verdict = "unknown"
        result.indicators.append(indicator)
    return result


def _fact(fact) -> dict:
    return {
        "kind": monitoring_kinds.label(fact.kind),
        "found_on": fact.found_on,
        "due_on": fact.due_on,
        "fixed_on": fact.fixed_on,
        "active": fact.status in ACTIVE,
        "summary": fact.summary,
        "link": fact.link,
    }
