"""The member's writes: saving a draft, submitting, discarding and withdrawing a report."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.content.services.reading import record_post
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.notify.services import notify
from lvzhi.orgs.models import OrgUnit
from lvzhi.workflow import services as wf

from .. import rules
from ..models import Attachment, Report
from ..permissions import is_author, may_edit, may_write_reports
from ..selectors import member_body, members_of_body_q, route_for
from ..workflows import REPORT_FLOW
from .attachments import add_attachment
from .common import S, _category, _link, _lock, _note, _now, _people, _tell_unit, duty_changed


def _clean_fields(title, content, category, location, *, complete: bool) -> dict:
    title = clean_text(title, field="title", max_length=rules.TITLE_MAX, required=complete, label=_("The title"))
    title = " ".join(title.split())
    content = clean_text(
        content,
        field="content",
        max_length=rules.CONTENT_MAX,
        required=complete,
        label=_("The content"),
        multiline=True,
    )
    if complete and len(content) < rules.CONTENT_MIN:
        raise ValidationFailed(
            _("Describe the matter in at least %(n)s characters.") % {"n": rules.CONTENT_MIN}, code="content_too_short"
        )
    category = _category(category, required=complete)
    location = " ".join(
        clean_text(
            location, field="location", max_length=rules.LOCATION_MAX, required=False, label=_("The place")
        ).split()
    )
    if not complete and not (title or content):
        raise ValidationFailed(_("Write a title or some text before saving."), code="empty_draft")
    return {"title": title, "content": content, "category": category, "location": location}


@transaction.atomic
def save_report(
    *,
    actor: User,
    title: str,
    content: str,
    category: str = "",
    location: str = "",
    co_reporter_ids: Iterable[int] = (),
    report: Report | None = None,
) -> Report:
    """Create a draft (`report` None) or change a draft or a report returned for revision. A draft may be
    incomplete; a returned report must stay complete."""
    if not may_write_reports(actor):
        raise PermissionDenied(_("Only members and deputies write public-opinion reports."), code="not_a_member")
    if report is not None:
        report = _lock(report)
        if not is_author(actor, report):
            raise NotFound()
        if not may_edit(actor, report):
            raise Conflict(_("This report can no longer be changed."), code="not_editable")
    complete = report is not None and report.status == S.RETURNED
    fields = _clean_fields(title, content, category, location, complete=complete)
    body = report.body if report is not None else member_body(actor)
    co_reporters = _clean_co_reporters(actor, body, co_reporter_ids)
    if report is None:
        report = Report.objects.create(author=actor, body=body, status=S.DRAFT, **fields)
        event, before = "opinions.report.draft", None
    else:
        before = {"category": report.category}
        for key, value in fields.items():
            setattr(report, key, value)
        report.save(update_fields=[*fields, "updated_at"])
        event = "opinions.report.edit"
    report.co_reporters.set(co_reporters)
    record(
        event,
        actor=actor,
        obj=report,
        org_unit=report.committee_id or body,
        before=before,
        after={"category": report.category, "co_reporters": sorted(u.pk for u in co_reporters)},
    )
    return report


@transaction.atomic
def submit_report(*, actor: User, report: Report) -> Report:
    """Send a draft (or a report returned for revision) to the committee office, which is told at once (S0-16);
    the office has 2 working days to pass it on (S0-16.1)."""
    report = _lock(report)
    if not is_author(actor, report):
        raise NotFound()
    fields = _clean_fields(report.title, report.content, report.category, report.location, complete=True)
    now = _now()
    if report.status == S.RETURNED:
        report = wf.transition(
            report, "resubmit", actor=actor, workflow=REPORT_FLOW, changes={"last_submitted_at": now, **fields}
        )
        report = _lock(report)
        _tell_unit(
            report.committee,
            [Role.STAFF],
            report,
            _("Public-opinion report submitted again: %(title)s") % {"title": report.title},
            _("%(name)s revised the report you returned.") % {"name": actor.real_name},
            event="opinions.report.resubmit",
        )
        return report
    if report.status != S.DRAFT:
        raise Conflict(_("This report has already been submitted."), code="already_submitted")
    if not may_write_reports(actor):
        raise PermissionDenied(_("Only members and deputies write public-opinion reports."), code="not_a_member")
    office, passed_over = route_for(actor)
    report.committee = office
    report.status = S.SUBMITTED
    report.submitted_at = report.last_submitted_at = now
    for key, value in fields.items():
        setattr(report, key, value)
    report.save(update_fields=["committee", "status", "submitted_at", "last_submitted_at", *fields, "updated_at"])
    wf.start(
        report,
        actor=actor,
        workflow=REPORT_FLOW,
        event="submit",
        data={"committee": office.pk, "passed_over": getattr(passed_over, "pk", None)},
        audit_after={
            "committee": office.pk,
            "category": report.category,
            "passed_over": getattr(passed_over, "pk", None),
        },
    )
    text = _("From %(name)s. Please pass it on within 2 working days.") % {"name": actor.real_name}
    if passed_over is not None:
        text += " " + _(
            "It comes to you because nobody in %(committee)s, the member's committee, can take it yet; "
            "ask the information office to staff that committee."
        ) % {"committee": passed_over.name}
    _tell_unit(
        office,
        [Role.STAFF],
        report,
        _("New public-opinion report: %(title)s") % {"title": report.title},
        text,
        event="opinions.report.submit",
    )
    record_post(actor=actor, ref=f"opinions.report:{report.pk}", body=report.body, at=now)  # S0-20
    co = [u for u in _people(report) if u.pk != actor.pk]
    notify(
        co,
        title=_("You are a co-reporter of: %(title)s") % {"title": report.title},
        body=_("%(name)s named you as a co-reporter.") % {"name": actor.real_name},
        link=_link(report),
        event="opinions.report.co_reporter",
        obj=report,
    )
    duty_changed(report)
    return report


@transaction.atomic
def create_report(
    *,
    actor: User,
    title: str,
    content: str,
    category: str = "",
    location: str = "",
    co_reporter_ids: Iterable[int] = (),
    submit: bool = False,
) -> Report:
    """Write a report in one go: saved as a draft, and submitted at once when `submit`."""
    report = save_report(
        actor=actor, title=title, content=content, category=category, location=location, co_reporter_ids=co_reporter_ids
    )
    return submit_report(actor=actor, report=report) if submit else report


def create_report_with_photos(
    *,
    actor: User,
    title: str,
    content: str,
    category: str = "",
    location: str = "",
    co_reporter_ids: Iterable[int] = (),
    photos: Iterable = (),
    submit: bool = False,
    report: Report | None = None,
) -> Report:
    """Save (create or change) a report with new photos and optionally submit it, all or nothing: on any error no
    row and no stored file remains."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            report = save_report(
                actor=actor,
                title=title,
                content=content,
                category=category,
                location=location,
                co_reporter_ids=co_reporter_ids,
                report=report,
            )
            for photo in photos or ():
                stored.append(add_attachment(actor=actor, report=report, upload=photo).file.name)
            if submit:
                report = submit_report(actor=actor, report=report)
            return report
    except Exception:
        storage = Attachment._meta.get_field("file").storage
        for name in stored:
            storage.delete(name)
        raise


@transaction.atomic
def discard_draft(*, actor: User, report: Report) -> None:
    report = _lock(report)
    if not is_author(actor, report):
        raise NotFound()
    if report.status != S.DRAFT:
        raise Conflict(_("Only a draft can be deleted; withdraw a submitted report instead."), code="not_a_draft")
    files = [a.file.name for a in report.attachments.all()]
    record("opinions.report.discard", actor=actor, obj=report, org_unit=report.body, before={"status": S.DRAFT})
    report.delete()
    storage = Attachment._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in files])


@transaction.atomic
def withdraw_report(*, actor: User, report: Report, reason: str = "") -> Report:
    report = _lock(report)
    reason = _note(reason)
    report = wf.transition(
        report, "withdraw", actor=actor, workflow=REPORT_FLOW, comment=reason, changes={"closed_at": _now()}
    )
    _tell_unit(
        report.committee,
        [Role.STAFF],
        report,
        _("Public-opinion report withdrawn: %(title)s") % {"title": report.title},
        reason,
        event="opinions.report.withdraw",
    )
    duty_changed(report)
    return report


def _clean_co_reporters(author: User, body: OrgUnit, ids: Iterable) -> list[User]:
    try:
        wanted = list(dict.fromkeys(int(i) for i in ids or ()))
    except (TypeError, ValueError):
        raise ValidationFailed(_("Choose co-reporters from the members of your body."), code="invalid_co_reporter")
    if len(wanted) > rules.CO_REPORTERS_MAX:
        raise ValidationFailed(
            _("At most %(n)s co-reporters.") % {"n": rules.CO_REPORTERS_MAX}, code="too_many_co_reporters"
        )
    if author.pk in wanted:
        raise ValidationFailed(_("You cannot name yourself as a co-reporter."), code="invalid_co_reporter")
    users = list(User.objects.filter(members_of_body_q(body), pk__in=wanted, is_active=True))
    if len(users) != len(wanted):
        raise ValidationFailed(_("Choose co-reporters from the members of your body."), code="invalid_co_reporter")
    return users
