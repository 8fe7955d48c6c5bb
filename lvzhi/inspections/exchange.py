"""S1-4.2 "one data source": the registry's exchange format with the provincial service app.

Export (`GET /api/v1/inspections/registry/export?office=<id>`, the competent office): a JSON document

    {"format": "lvzhi.registry/1", "exported_at": "<ISO 8601>", "office": {"id": 3, "name": "…"},
     "outlets": [{"id": 12, "platform": "wechat", "name": "…", "account_id": "…", "url": "…",
                  "host_unit": {"id": 7, "name": "…"}, "status": "open", "filed": true}, …]}

`platform` is one of portal, site, wechat, weibo, douyin, toutiao, app, other; `status` one of planned, open,
changing, closing, closed, cancelled; `filed` whether the opening filing was accepted. No personal data.

Import (`POST /api/v1/inspections/registry/reconcile`, the same document from the province): never writes the
registry (every change there is a filing with its own workflow); it answers which outlets are missing on either
side or differ (name, URL, status), matched by platform and account id (websites: by URL), for the office to act
on through filings. Documents of another format or over 5,000 outlets are refused (`registry_format_invalid`).
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.newmedia import selectors as newmedia_selectors
from lvzhi.newmedia.models import WEBSITES

from . import permissions as perm

FORMAT = "lvzhi.registry/1"
MAX_OUTLETS = 5000
FIELDS = ("name", "url", "status")


def _key(item) -> tuple:
    platform = str(item.get("platform", ""))
    ident = str(item.get("url" if platform in WEBSITES else "account_id", "") or "").strip().lower()
    return platform, ident.rstrip("/")


def export_registry(*, actor, office) -> dict:
    if not perm.at_office(actor, office):
        raise NotFound()
    ids = set(newmedia_selectors.accountable_outlet_ids(office.body or office))
    outlets = newmedia_selectors.outlets(actor).filter(competent_office=office).select_related("host_unit")
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "office": {"id": office.pk, "name": office.name},
        "outlets": [
            {
                "id": o.pk,
                "platform": o.platform,
                "name": o.name,
                "account_id": o.account_id,
                "url": o.url,
                "host_unit": {"id": o.host_unit_id, "name": o.host_unit.name},
                "status": o.status,
                "filed": o.pk not in ids and o.status != "planned",
            }
            for o in outlets.order_by("host_unit__path", "platform", "pk")[:MAX_OUTLETS]
        ],
    }


def reconcile(*, actor, office, document) -> dict:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationFailed(
            _("The document is not in the registry's exchange format."), code="registry_format_invalid"
        )
    theirs = document.get("outlets")
    if not isinstance(theirs, list) or len(theirs) > MAX_OUTLETS or not all(isinstance(i, dict) for i in theirs):
        raise ValidationFailed(
            _("The document is not in the registry's exchange format."), code="registry_format_invalid"
        )
    ours = {_key(o): o for o in export_registry(actor=actor, office=office)["outlets"]}
    given = {_key(o): o for o in theirs}
    differ = []
    for key in sorted(set(ours) & set(given)):
        fields = [f for f in FIELDS if str(ours[key].get(f, "")) != str(given[key].get(f, ""))]
        if fields:
            differ.append({"id": ours[key]["id"], "platform": key[0], "fields": fields})
    return {
        "format": FORMAT,
        "only_here": [ours[k]["id"] for k in sorted(set(ours) - set(given))],
        "only_there": [{"platform": k[0], "key": k[1], "name": str(given[k].get("name", ""))[:60]}
                       for k in sorted(set(given) - set(ours))],
        "differ": differ,
    }  # fmt: skip
