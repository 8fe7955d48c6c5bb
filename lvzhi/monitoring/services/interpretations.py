"""S1-4.1 in the daily check: a published policy interpretation (政策解读) that names no policy document (政策文件)
is an `interpretation_unlinked` finding of the website it appears on (the department's `site` for its own items,
the body's `portal` for all of the body's), one per article, raised from the day after its publication (the day
of publication is the editor's to add the link). Read from `lvzhi.content.selectors_policy`."""

import datetime as dt

from django.utils.translation import gettext as _

from lvzhi.content import selectors_policy as content_policy
from lvzhi.core.timeutil import start_of_day

from .findings import raise_finding

PER_WATCH_MAX = 200  # findings raised per outlet and day (the rest come the next day)


def check_interpretations(watch, today: dt.date) -> int:
    outlet = watch.outlet
    if outlet.platform not in ("site", "portal"):
        return 0
    host = outlet.host_unit_id
    if outlet.platform == "portal":
        found = content_policy.unlinked_interpretations(body_ids=[host], published_before=start_of_day(today))
    else:
        found = content_policy.unlinked_interpretations(unit_ids=[host], published_before=start_of_day(today))
    raised = 0
    for article in found.only("pk", "published_title", "published_at")[:PER_WATCH_MAX]:
        _finding, created = raise_finding(
            kind="interpretation_unlinked",
            summary=_("The policy interpretation “%(title)s” names no policy document")
            % {"title": article.published_title[:80]},
            outlet=outlet,
            url=f"/content/a/{article.pk}/",
            evidence={
                "article": article.pk,
                "title": article.published_title,
                "published_at": article.published_at.isoformat() if article.published_at else None,
            },
        )
        raised += int(created)
    return raised
