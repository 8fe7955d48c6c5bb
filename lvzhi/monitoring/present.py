"""What a finding shows, decided once for the web pages and the API. Both sides (host unit and competent office) see
the same facts; the evidence is data the crawler or a person recorded (shown as text, never as markup)."""

from django.utils.translation import gettext as _

from lvzhi.workdays.calendar import due_date

from .kinds import label
from .workflows import FINDING_FLOW

EVIDENCE_LABELS = {
    "url": lambda: _("Address"),
    "excerpt": lambda: _("Excerpt"),
    "html": lambda: _("HTML snippet"),
    "count": lambda: _("Count"),
    "ratio": lambda: _("Ratio"),
    "dead": lambda: _("Dead links"),
    "links": lambda: _("Links"),
    "terms": lambda: _("Terms found"),
    "newest": lambda: _("Newest item"),
    "age_days": lambda: _("Days since"),
    "missing_days": lambda: _("Working days without an item"),
    "resources": lambda: _("Insecure resources"),
    "hosts": lambda: _("Domains"),
    "checked": lambda: _("Links checked"),
    "statuses": lambda: _("Answers"),
    "hidden": lambda: _("Hidden"),
    "error": lambda: _("Error"),
    "ms": lambda: _("Response time (ms)"),
    "title": lambda: _("Title"),
    "dates": lambda: _("Dates on the page"),
    "image": lambda: _("Image"),
    "week": lambda: _("Week"),
    "items": lambda: _("Items"),
    "last_item": lambda: _("Last item"),
    "since": lambda: _("Since"),
    "days": lambda: _("Days"),
    "other_outlet": lambda: _("Other outlet"),
    "other_url": lambda: _("Address there"),
    "other_excerpt": lambda: _("Excerpt there"),
    "name": lambda: _("Account name"),
    "platform": lambda: _("Platform"),
    "account_id": lambda: _("Account id"),
    "score": lambda: _("Similarity"),
    "similar": lambda: _("Similar registered accounts"),
    "note": lambda: _("Note"),
    "screening": lambda: _("Screening"),
}


def evidence_rows(evidence: dict) -> list[tuple[str, str]]:
    """The evidence as (label, text) rows; keys without a label (internal references) are not shown."""
    rows = []
    for key, value in (evidence or {}).items():
        name = EVIDENCE_LABELS.get(key)
        if name is None or value in ("", None, [], {}):
            continue
        if isinstance(value, bool):
            value = _("Yes") if value else _("No")
        elif isinstance(value, list):
            value = "\n".join(_item(v) for v in value[:20])
        elif isinstance(value, dict):
            value = "\n".join(f"{k}: {v}" for k, v in list(value.items())[:20])
        rows.append((name(), str(value)[:2000]))
    return rows


def _item(value) -> str:
    if isinstance(value, dict):  # a similar account: {"outlet", "name", "score"}
        return f"{value.get('name', '')} {value.get('score', '')}".strip()
    return str(value)


def present(user, finding, *, with_history: bool = False, history=None) -> dict:
    view = {
        "id": finding.pk,
        "kind": finding.kind,
        "kind_label": label(finding.kind),
        "source": finding.source,
        "source_label": finding.get_source_display(),
        "severity": finding.severity,
        "severity_label": finding.get_severity_display(),
        "veto": finding.veto,
        "status": finding.status,
        "status_label": finding.get_status_display(),
        "summary": finding.summary,
        "url": finding.url,
        "outlet": finding.outlet.name if finding.outlet_id else "",
        "outlet_id": finding.outlet_id,
        "host_unit": finding.host_unit.name,
        "found_at": finding.found_at,
        "last_seen_at": finding.last_seen_at,
        "occurrences": finding.occurrences,
        "seen_after_fix": finding.seen_after_fix,
        "due_on": due_date(finding.next_due_at) if finding.next_due_at else None,
        "fix_note": finding.fix_note,
        "fixed_at": finding.fixed_at,
        "verified_at": finding.verified_at,
        "dismiss_reason": finding.dismiss_reason,
        "reported_at": finding.reported_at,
        "report_note": finding.report_note,
        "evidence": finding.evidence,
        "link": FINDING_FLOW.link(finding),
    }
    if with_history:
        view["evidence_rows"] = evidence_rows(finding.evidence)
        view["history"] = FINDING_FLOW.labelled_history(history, entry_label=_("Found")) if history is not None else []
    return view
