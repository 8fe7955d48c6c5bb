"""What a user is shown of an account or a filing — one answer for the web, the API and the exports — and the
provincial filing form (S1-A: the registration form the office reports upward, S1-3.2, S2-16).

The seeds name the form (连云港市政务新媒体备案登记表, 云南省政务新媒体备案登记表) without printing its fields;
`FORM_FIELDS` holds the fields both forms ask for, in the order of the form, with stable keys for the JSON.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.workflow.selectors import history_of

from .models import Duty

WARNINGS = {
    "name_pending": gettext_lazy("Name awaits the city's approval"),
    "name_refused": gettext_lazy("Name refused by the city"),
    "outside_matrix": gettext_lazy("Outside the matrix: to be closed"),
    "duplicate": gettext_lazy("Duplicate: to be merged or closed"),
    "agreement_expired": gettext_lazy("Confidentiality agreement expired"),
    "agreement_expiring": gettext_lazy("Confidentiality agreement expires soon"),
    "filing_late": gettext_lazy("Filing late"),
    "filing_missing": gettext_lazy("Filing missing"),
    "people_incomplete": gettext_lazy("Chief editor, editors, reviewers or technical staff missing"),
    "name_inconsistent": gettext_lazy("Names differ across platforms"),
    "avatar_inconsistent": gettext_lazy("Avatars differ across platforms"),
}

FORM_FIELDS = [
    ("filing_kind", gettext_lazy("Filing type")),
    ("account_name", gettext_lazy("Account name")),
    ("platform", gettext_lazy("Platform")),
    ("account_id", gettext_lazy("Account ID")),
    ("url", gettext_lazy("Address")),
    ("verification_subject", gettext_lazy("Verification subject")),
    ("host_unit", gettext_lazy("Host unit")),
    ("undertaking_unit", gettext_lazy("Undertaking unit")),
    ("agreement_expires", gettext_lazy("Confidentiality agreement valid until")),
    ("competent_office", gettext_lazy("Competent office")),
    ("decision", gettext_lazy("Collective decision")),
    ("decision_date", gettext_lazy("Date of the decision")),
    ("head_consent", gettext_lazy("Head's consent")),
    ("chief_editor", gettext_lazy("Chief editor")),
    ("editors", gettext_lazy("Editors")),
    ("reviewers", gettext_lazy("Reviewers")),
    ("technical_staff", gettext_lazy("Technical staff")),
    ("name_approval", gettext_lazy("Approval of a region or body name")),
    ("reason", gettext_lazy("Reason")),
    ("changes", gettext_lazy("Changes")),
    ("notice_period", gettext_lazy("Public notice")),
    ("filed_on", gettext_lazy("Filed on")),
    ("accepted_on", gettext_lazy("Accepted on")),
    ("reported_on", gettext_lazy("Reported upward on")),
]


def _day(moment):
    return timezone.localtime(moment).date().isoformat() if moment else ""


def _names(people, duty):
    return "、".join(p.user.real_name for p in people if p.duty == duty)


def form_values(filing) -> dict:
    """S1-A: the provincial registration form of one filing, key → value (text)."""
    outlet = filing.outlet
    people = list(outlet.people.select_related("user").order_by("duty", "pk"))
    notice = f"{filing.notice_from.isoformat()} – {filing.notice_until.isoformat()}" if filing.notice_from else ""
    return {
        "filing_kind": str(filing.get_kind_display()),
        "account_name": outlet.name,
        "platform": str(outlet.get_platform_display()),
        "account_id": outlet.account_id,
        "url": outlet.url,
        "verification_subject": outlet.verification_subject,
        "host_unit": outlet.host_unit.name,
        "undertaking_unit": outlet.undertaking_unit,
        "agreement_expires": outlet.agreement_expires.isoformat() if outlet.agreement_expires else "",
        "competent_office": outlet.competent_office.name,
        "decision": filing.decision_ref,
        "decision_date": filing.decision_date.isoformat(),
        "head_consent": _("Yes") if filing.head_consent else _("No"),
        "chief_editor": _names(people, Duty.CHIEF_EDITOR),
        "editors": _names(people, Duty.EDITOR),
        "reviewers": _names(people, Duty.REVIEWER),
        "technical_staff": _names(people, Duty.TECHNICAL),
        "name_approval": str(outlet.get_name_approval_display()),
        "reason": filing.reason,
        "changes": "；".join(f"{k}: {v}" for k, v in sorted(filing.changes.items())),
        "notice_period": notice,
        "filed_on": _day(filing.filed_at),
        "accepted_on": _day(filing.accepted_at),
        "reported_on": _day(filing.reported_at),
    }


def form_json(filing) -> dict:
    values = form_values(filing)
    return {
        "form": "S1-A",
        "filing": filing.pk,
        "fields": [{"key": key, "label": str(label), "value": values[key]} for key, label in FORM_FIELDS],
    }


def outlet_dict(outlet) -> dict:
    return {
        "id": outlet.pk,
        "name": outlet.name,
        "platform": outlet.platform,
        "platform_label": str(outlet.get_platform_display()),
        "status": outlet.status,
        "status_label": str(outlet.get_status_display()),
        "account_id": outlet.account_id,
        "url": outlet.url,
        "verification_subject": outlet.verification_subject,
        "host_unit": outlet.host_unit.name,
        "host_unit_id": outlet.host_unit_id,
        "undertaking_unit": outlet.undertaking_unit,
        "agreement_expires": outlet.agreement_expires.isoformat() if outlet.agreement_expires else None,
        "competent_office": outlet.competent_office.name,
        "name_approval": outlet.name_approval,
        "in_matrix": outlet.in_matrix,
        "origin": outlet.origin,
        "duplicate_of": outlet.duplicate_of_id,
        "warnings": list(getattr(outlet, "warnings", [])),
        "last_filing": getattr(outlet, "last_filing_id", None),
    }


def filing_dict(filing, actions=()) -> dict:
    return {
        "id": filing.pk,
        "outlet": filing.outlet_id,
        "kind": filing.kind,
        "kind_label": str(filing.get_kind_display()),
        "status": filing.status,
        "status_label": str(filing.get_status_display()),
        "decision_date": filing.decision_date.isoformat(),
        "file_by": filing.file_by.isoformat(),
        "filed_at": filing.filed_at.isoformat() if filing.filed_at else None,
        "on_time": filing.on_time,
        "times_filed": filing.times_filed,
        "accepted_at": filing.accepted_at.isoformat() if filing.accepted_at else None,
        "reported_at": filing.reported_at.isoformat() if filing.reported_at else None,
        "notice_from": filing.notice_from.isoformat() if filing.notice_from else None,
        "notice_until": filing.notice_until.isoformat() if filing.notice_until else None,
        "effective_on": filing.effective_on.isoformat() if filing.effective_on else None,
        "rejections": [
            {"id": r.pk, "number": r.number, "reasons": r.reasons, "issued_at": r.issued_at.isoformat()}
            for r in filing.rejections.all()
        ],
        "actions": [a.name for a in actions],
    }


def history(filing) -> list[dict]:
    return [
        {"step": e.transition, "to": e.to_state, "at": e.at.isoformat(), "by": e.actor.real_name if e.actor_id else ""}
        for e in history_of(filing).select_related("actor")
    ]
