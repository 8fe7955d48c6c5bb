"""On-duty monitoring (S2-39): harmful content found by screening or by hand is recorded as a finding on the
outlet, handled by its host unit and reported upward by the competent office; suspected counterfeit accounts
(a name like a registered account's, or the same avatar, not in the registry) are recorded by hand or found by
the name-similarity check and tracked to takedown (the host unit reports the takedown as its fix)."""

import hashlib
from difflib import SequenceMatcher

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.newmedia import selectors as registry
from lvzhi.screening import services as screening

from .. import permissions as perm
from .. import rules
from ..kinds import MANUAL_KINDS
from .findings import raise_finding

BLOCKING_KINDS = ("secret", "sensitive", "advert")


def _outlet(actor, outlet_id):
    try:
        outlet = registry.access_outlet(actor, outlet_id)
    except NotFound:
        raise NotFound() from None
    if not perm.may_manage_outlet(actor, outlet):
        raise NotFound()
    return outlet


@transaction.atomic
def record_by_hand(*, actor, outlet_id, kind: str, summary: str, url: str = "", excerpt: str = ""):
    """A finding recorded by a person on duty (harmful content, an inconsistent item, a map without 审图号)."""
    if kind not in MANUAL_KINDS or kind == "counterfeit_account":
        raise ValidationFailed(_("Choose what was found."), code="kind_invalid")
    outlet = _outlet(actor, outlet_id)
    text = clean_text(summary, field="summary", max_length=rules.SUMMARY_MAX, label=_("What was found"))
    url = clean_text(url, field="url", max_length=500, label=_("Address"), required=False)
    excerpt = clean_text(excerpt, field="excerpt", max_length=rules.TEXT_MAX, label=_("Excerpt"), required=False)
    screened = [f.label for f in screening.scan(excerpt, body=outlet.body) if f.kind in BLOCKING_KINDS]
    evidence = {"url": url, "excerpt": excerpt, "screening": screened[:10], "recorded_by_hand": True}
    finding, _created = raise_finding(kind=kind, summary=text, outlet=outlet, url=url, evidence=evidence, actor=actor)
    return finding


def similar_outlets(actor, *, platform: str, name: str, avatar_sha256: str = "") -> list[tuple[object, float]]:
    """Registered accounts the given account may imitate: same platform, a similar name (ratio ≥ rules.SIMILARITY)
    or the same avatar, but not the very same name (which would be the account itself)."""
    found = []
    for outlet in (
        registry.outlets(actor).filter(platform=platform).select_related("host_unit", "competent_office")[:500]
    ):
        if outlet.name == name:
            continue
        ratio = SequenceMatcher(None, outlet.name, name).ratio()
        same_avatar = bool(avatar_sha256) and outlet.avatar_sha256 == avatar_sha256
        if ratio >= rules.SIMILARITY or same_avatar:
            found.append((outlet, 1.0 if same_avatar else round(ratio, 2)))
    return sorted(found, key=lambda pair: -pair[1])


@transaction.atomic
def report_counterfeit(*, actor, platform: str, name: str, url: str = "", account_id: str = "", note: str = ""):
    """A suspected counterfeit of a registered account: checked against the registry by name; a finding on the most
    similar registered account (its host unit tracks the takedown). An exact registered name is no counterfeit."""
    name = clean_text(name, field="name", max_length=60, label=_("Account name"))
    url = clean_text(url, field="url", max_length=300, label=_("Address"), required=False)
    account_id = clean_text(account_id, field="account_id", max_length=100, label=_("Account id"), required=False)
    note = clean_text(note, field="note", max_length=rules.TEXT_MAX, label=_("Note"), required=False, multiline=True)
    if registry.outlets(actor).filter(platform=platform, name=name).exists() and not account_id:
        raise ValidationFailed(_("This account is in the registry."), code="registered")
    matches = similar_outlets(actor, platform=platform, name=name)
    if not matches:
        raise ValidationFailed(
            _("No registered account of yours on this platform has a similar name."), code="no_similar_account"
        )
    outlet, score = matches[0]
    ref = url or f"{platform}:{account_id or hashlib.sha256(name.encode()).hexdigest()[:16]}"
    evidence = {"name": name, "platform": platform, "url": url, "account_id": account_id, "score": score}
    evidence["note"] = note
    evidence["similar"] = [{"outlet": o.pk, "name": o.name, "score": s} for o, s in matches[:5]]
    finding, _created = raise_finding(
        kind="counterfeit_account",
        summary=_("Suspected counterfeit of %(name)s: %(fake)s") % {"name": outlet.name, "fake": name},
        outlet=outlet,
        url=ref,
        evidence=evidence,
        actor=actor,
    )
    return finding
