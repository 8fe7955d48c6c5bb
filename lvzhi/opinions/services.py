"""Every write on public-opinion reports. Each one is atomic, checks who may, audits, and tells those concerned.

State changes go through `lvzhi.workflow.services.transition` on `workflows.REPORT_FLOW` (history, deadlines and
the `opinions.report.<step>` audit row come from there); the other writes audit themselves. A report's text is
never written into the audit log: the three administrators read the log and must not read business content.
"""

import io
import logging
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import MemberProfile, RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.notify.services import notify
from lvzhi.orgs.models import OrgUnit, UnitFunction, UnitKind
from lvzhi.orgs.selectors import body_setting, unit_by_function
from lvzhi.workdays.calendar import working_days_between
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import deadline_of, users_with_roles

from . import rules
from .models import (
    HOTLINE_CATEGORIES,
    Attachment,
    Category,
    HandlingUpdate,
    Rating,
    Report,
    Satisfaction,
    ThreadMessage,
    TopicRequest,
)
from .permissions import (
    is_author,
    is_hotline_staff,
    is_office_member,
    is_office_staff,
    may_edit,
    may_write_reports,
)
from .workflows import REPORT_FLOW, ROUTE, TOPIC_FLOW

logger = logging.getLogger("lvzhi.opinions")
S = Report.Status
CLOSED_STATES = (S.CLOSED, S.WITHDRAWN)
NOT_YET_ACCEPTED = (S.DRAFT, S.RETURNED, S.WITHDRAWN)


# ---- small helpers ---------------------------------------------------------------------------------------------


def _text(value, *, limit: int, required: bool, code: str, label: str) -> str:
    """Trimmed text (inner line breaks kept); a clear error when missing or too long."""
    value = "\n".join(line.rstrip() for line in str(value or "").strip().splitlines())
    if required and not value:
        raise ValidationFailed(_("%(field)s is required.") % {"field": label}, code=f"{code}_required")
    if len(value) > limit:
        raise ValidationFailed(
            _("%(field)s may have at most %(n)s characters.") % {"field": label, "n": limit}, code=f"{code}_too_long"
        )
    return value


def _reason(value, *, required=True) -> str:
    return _text(value, limit=rules.REASON_MAX, required=required, code="reason", label=_("The reason"))


def _note(value) -> str:
    return _text(value, limit=rules.REASON_MAX, required=False, code="note", label=_("The note"))


def _category(value, *, required=True) -> str:
    value = (value or "").strip()
    if not value and not required:
        return ""
    if value not in Category.values:
        raise ValidationFailed(_("Choose one of the listed categories."), code="invalid_category")
    return value


def _lock(report: Report) -> Report:
    """The report's row, locked for this transaction, with the units the checks need."""
    locked = (
        Report.objects.select_for_update(of=("self",))
        .select_related("author", "body", "committee", "origin_committee", "hotline")
        .filter(pk=report.pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    return locked


def _link(report: Report) -> str:
    return REPORT_FLOW.link(report)


def _people(report: Report) -> list[User]:
    """The author and the co-reporters: the member side, told at every step."""
    return [report.author, *User.objects.filter(pk__in=report.co_reporters.values("pk"), is_active=True)]


def _tell_member(report: Report, title: str, body: str = "", *, event: str, sms=False):
    notify(_people(report), title=title, body=body, link=_link(report), event=event, obj=report, sms=sms)


def _tell_unit(unit: OrgUnit | None, roles, report: Report, title: str, body: str = "", *, event: str, skip=None):
    recipients = [u for u in users_with_roles(unit, roles) if skip is None or u.pk != skip.pk]
    notify(recipients, title=title, body=body, link=_link(report), event=event, obj=report)


def _now():
    return timezone.now()


def _wd(a, b) -> int | None:
    if a is None or b is None:
        return None
    return max(working_days_between(a, b), 0)


# ---- where a report goes (S0-15) -------------------------------------------------------------------------------


def member_body(user: User) -> OrgUnit:
    if user.unit_id is None or user.unit.body_id is None:
        raise ValidationFailed(
            _("Your account belongs to no body; please contact the information office."), code="no_body"
        )
    return user.unit.body


def handling_office_for(user: User) -> OrgUnit:
    """The office of the member's committee (MemberProfile at the member's body), else the members' liaison
    office of the body (S0-15)."""
    body = member_body(user)
    profile = MemberProfile.objects.filter(user=user, body=body, is_active=True).select_related("committee").first()
    if profile is not None and profile.committee is not None and profile.committee.is_active:
        return profile.committee
    office = unit_by_function(body, UnitFunction.LIAISON_OFFICE)
    if office is None:
        raise ValidationFailed(
            _("Your body has no members' liaison office to receive the report; please contact the information office."),
            code="no_handling_office",
        )
    return office


def hotline_of(body: OrgUnit) -> OrgUnit | None:
    return OrgUnit.objects.filter(body=body, kind=UnitKind.HOTLINE, is_active=True).order_by("sort_order", "pk").first()


def members_of_body_q(body: OrgUnit):
    """Users who are members or deputies of `body` (a profile there, or the role there)."""
    from django.db.models import Q

    profiles = MemberProfile.objects.filter(body=body, is_active=True).values("user_id")
    roles = RoleAssignment.objects.filter(
        unit=body, role__in=(Role.MEMBER, Role.DEPUTY), revoked_at__isnull=True
    ).values("user_id")
    return Q(pk__in=profiles) | Q(pk__in=roles)


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


# ---- the member: drafts, submitting, withdrawing ----------------------------------------------------------------


def _clean_fields(title, content, category, location, *, complete: bool) -> dict:
    title = _text(title, limit=rules.TITLE_MAX, required=complete, code="title", label=_("The title"))
    title = " ".join(title.split())
    content = _text(content, limit=rules.CONTENT_MAX, required=complete, code="content", label=_("The content"))
    if complete and len(content) < rules.CONTENT_MIN:
        raise ValidationFailed(
            _("Describe the matter in at least %(n)s characters.") % {"n": rules.CONTENT_MIN}, code="content_too_short"
        )
    category = _category(category, required=complete)
    location = " ".join(
        _text(location, limit=rules.LOCATION_MAX, required=False, code="location", label=_("The place")).split()
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
    office = handling_office_for(actor)
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
        data={"committee": office.pk},
        audit_after={"committee": office.pk, "category": report.category},
    )
    _tell_unit(
        office,
        [Role.STAFF],
        report,
        _("New public-opinion report: %(title)s") % {"title": report.title},
        _("From %(name)s. Please pass it on within 2 working days.") % {"name": actor.real_name},
        event="opinions.report.submit",
    )
    co = [u for u in _people(report) if u.pk != actor.pk]
    notify(
        co,
        title=_("You are a co-reporter of: %(title)s") % {"title": report.title},
        body=_("%(name)s named you as a co-reporter.") % {"name": actor.real_name},
        link=_link(report),
        event="opinions.report.co_reporter",
        obj=report,
    )
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
    return report


# ---- attachments ---------------------------------------------------------------------------------------------

IMAGE_TYPES = {"image/jpeg": ("JPEG", "jpg"), "image/png": ("PNG", "png"), "image/webp": ("WEBP", "webp")}


def _clean_image(data: bytes) -> tuple[bytes, str, str, int, int]:
    """Check that `data` is a JPEG, PNG or WebP photo of sane size; re-encode it without metadata (EXIF GPS)."""
    import filetype
    from PIL import Image, ImageOps

    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime not in IMAGE_TYPES:
        raise ValidationFailed(_("Only photos (JPEG, PNG or WebP) can be attached."), code="bad_file_type")
    fmt, ext = IMAGE_TYPES[kind.mime]
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != fmt:
                raise ValidationFailed(_("Only photos (JPEG, PNG or WebP) can be attached."), code="bad_file_type")
            width, height = probe.size
            if width * height > rules.IMAGE_PIXELS_MAX:
                raise ValidationFailed(_("The photo has too many pixels."), code="image_too_large")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            options = {"quality": 88, "optimize": True} if fmt in ("JPEG", "WEBP") else {"optimize": True}
            image.save(out, format=fmt, **options)
            width, height = image.size
    except ValidationFailed:
        raise
    except Exception:  # noqa: BLE001  (any decoder error means a broken or forged file)
        raise ValidationFailed(_("The photo cannot be read; it may be damaged."), code="bad_image")
    return out.getvalue(), kind.mime, ext, width, height


@transaction.atomic
def add_attachment(*, actor: User, report: Report, upload) -> Attachment:
    """Attach a photo to a draft or a returned report (checked by content, at most 9, 5 MB each)."""
    report = _lock(report)
    if not is_author(actor, report):
        raise NotFound()
    if not may_edit(actor, report):
        raise Conflict(_("This report can no longer be changed."), code="not_editable")
    if report.attachments.count() >= rules.ATTACHMENTS_MAX:
        raise ValidationFailed(
            _("At most %(n)s photos per report.") % {"n": rules.ATTACHMENTS_MAX}, code="too_many_attachments"
        )
    size = getattr(upload, "size", None)
    if size is None or size > rules.ATTACHMENT_BYTES_MAX:
        raise ValidationFailed(
            _("A photo may have at most %(mb)s MB.") % {"mb": rules.ATTACHMENT_BYTES_MAX // (1024 * 1024)},
            code="attachment_too_large",
        )
    if size == 0:
        raise ValidationFailed(_("The file is empty."), code="empty_file")
    data = upload.read(rules.ATTACHMENT_BYTES_MAX + 1)
    if len(data) > rules.ATTACHMENT_BYTES_MAX:
        raise ValidationFailed(
            _("A photo may have at most %(mb)s MB.") % {"mb": rules.ATTACHMENT_BYTES_MAX // (1024 * 1024)},
            code="attachment_too_large",
        )
    clean, mime, ext, width, height = _clean_image(data)
    name = (getattr(upload, "name", "") or "photo").replace("\\", "/").rsplit("/", 1)[-1]
    stem = "".join(ch for ch in name.rsplit(".", 1)[0] if ch.isprintable())[:80] or "photo"
    attachment = Attachment(
        report=report,
        name=f"{stem}.{ext}",
        content_type=mime,
        size=len(clean),
        width=width,
        height=height,
        uploaded_by=actor,
    )
    attachment.file.save(f"photo.{ext}", ContentFile(clean), save=False)
    try:
        attachment.save()
        record(
            "opinions.attachment.add",
            actor=actor,
            obj=report,
            org_unit=report.committee_id or report.body_id,
            after={"attachment": attachment.pk, "type": mime, "size": len(clean)},
        )
    except Exception:
        attachment.file.storage.delete(attachment.file.name)  # nothing half-written: no orphan file
        raise
    return attachment


@transaction.atomic
def remove_attachment(*, actor: User, attachment: Attachment) -> None:
    report = _lock(attachment.report)
    if not is_author(actor, report):
        raise NotFound()
    if not may_edit(actor, report):
        raise Conflict(_("This report can no longer be changed."), code="not_editable")
    name = attachment.file.name
    record(
        "opinions.attachment.remove",
        actor=actor,
        obj=report,
        org_unit=report.committee_id or report.body_id,
        before={"attachment": attachment.pk},
    )
    attachment.delete()
    storage = Attachment._meta.get_field("file").storage
    transaction.on_commit(lambda: storage.delete(name))


# ---- the committee office: accept, return, pass on -------------------------------------------------------------


@transaction.atomic
def accept_report(*, actor: User, report: Report, category: str = "", note: str = "") -> Report:
    """Accept and classify (the office may correct the member's category)."""
    report = _lock(report)
    category = _category(category or report.category)
    note = _note(note)
    before = report.category
    report = wf.transition(
        report,
        "accept",
        actor=actor,
        workflow=REPORT_FLOW,
        comment=note,
        data={"category": category},
        changes={"category": category},
        audit_before={"category": before},
        audit_after={"category": category},
    )
    _tell_member(
        report,
        _("Your public-opinion report was accepted: %(title)s") % {"title": report.title},
        _("Accepted by %(office)s.") % {"office": report.committee.name},
        event="opinions.report.accept",
    )
    return report


@transaction.atomic
def return_report(*, actor: User, report: Report, reason: str) -> Report:
    report = _lock(report)
    reason = _reason(reason)
    report = wf.transition(report, "return", actor=actor, workflow=REPORT_FLOW, comment=reason)
    _tell_member(
        report,
        _("Your public-opinion report was returned: %(title)s") % {"title": report.title},
        _("Reason: %(reason)s. You may revise it and submit it again.") % {"reason": reason},
        event="opinions.report.return",
        sms=True,
    )
    return report


def _route_changes(report: Report, now) -> dict:
    return {"routed_at": now, "wd_route": _wd(report.last_submitted_at, now)}


@transaction.atomic
def forward_to_hotline(*, actor: User, report: Report, category: str = "", note: str = "") -> Report:
    """S0-16.1: pass a report of the hotline kinds to the members' hotline, whose staff are told at once."""
    report = _lock(report)
    category = _category(category or report.category)
    note = _note(note)
    if category not in HOTLINE_CATEGORIES:
        raise ValidationFailed(
            _("Only reports of the hotline kinds go to the members' hotline; handle or transfer this one."),
            code="not_hotline_kind",
        )
    hotline = hotline_of(report.body)
    if hotline is None:
        raise ValidationFailed(_("Your body has no members' hotline."), code="no_hotline")
    now = _now()
    route = deadline_of(report, ROUTE)
    on_time = None if route is None or route.met_at is not None else now < route.due_at
    report = wf.transition(
        report,
        "forward",
        actor=actor,
        workflow=REPORT_FLOW,
        comment=note,
        data={"hotline": hotline.pk, "category": category, "on_time": on_time},
        changes={
            "hotline": hotline,
            "category": category,
            "forwarded_at": now,
            "forwarded_on_time": on_time,
            "handling_started_at": now,
            **_route_changes(report, now),
        },
        audit_after={"hotline": hotline.pk, "category": category, "on_time": on_time},
    )
    _tell_unit(
        hotline,
        [Role.HOTLINE],
        report,
        _("Public-opinion report forwarded to the hotline: %(title)s") % {"title": report.title},
        _("Forwarded by %(office)s.") % {"office": report.committee.name},
        event="opinions.report.forward",
    )
    _tell_member(
        report,
        _("Your public-opinion report went to the members' hotline: %(title)s") % {"title": report.title},
        event="opinions.report.forward",
    )
    return report


@transaction.atomic
def handle_in_committee(*, actor: User, report: Report, category: str = "", note: str = "") -> Report:
    """The committee handles the report itself (outside the hotline's scope, within its own field)."""
    report = _lock(report)
    category = _category(category or report.category)
    note = _note(note)
    now = _now()
    report = wf.transition(
        report,
        "handle",
        actor=actor,
        workflow=REPORT_FLOW,
        comment=note,
        data={"category": category},
        changes={"category": category, "handling_started_at": now, **_route_changes(report, now)},
        audit_after={"category": category},
    )
    _tell_member(
        report,
        _("Your public-opinion report is being handled by %(office)s") % {"office": report.committee.name},
        report.title,
        event="opinions.report.handle",
    )
    return report


def transfer_targets(report: Report):
    """The committees of the report's body it may be transferred to (not the one that has it)."""
    from django.db.models import Q

    return (
        OrgUnit.objects.filter(Q(kind=UnitKind.COMMITTEE) | Q(function=UnitFunction.LIAISON_OFFICE))
        .filter(body_id=report.body_id, is_active=True)
        .exclude(pk=report.committee_id)
        .order_by("sort_order", "path")
    )


@transaction.atomic
def transfer_report(*, actor: User, report: Report, to_committee: OrgUnit | int, reason: str) -> Report:
    """Transfer to the competent committee, with the reason (S0-16); the receiving office is told at once."""
    report = _lock(report)
    reason = _reason(reason)
    target_id = getattr(to_committee, "pk", to_committee)
    try:
        target = transfer_targets(report).get(pk=int(target_id))
    except (OrgUnit.DoesNotExist, TypeError, ValueError):
        raise ValidationFailed(_("Choose another committee of your body."), code="invalid_committee")
    source = report.committee
    report = wf.transition(
        report,
        "transfer",
        actor=actor,
        workflow=REPORT_FLOW,
        comment=reason,
        data={"from": source.pk, "to": target.pk},
        changes={"committee": target, "origin_committee": source, "routed_at": _now()},
        audit_before={"committee": source.pk},
        audit_after={"committee": target.pk},
    )
    _tell_unit(
        target,
        [Role.STAFF],
        report,
        _("Public-opinion report transferred to you: %(title)s") % {"title": report.title},
        _("From %(office)s. Reason: %(reason)s") % {"office": source.name, "reason": reason},
        event="opinions.report.transfer",
    )
    _tell_member(
        report,
        _("Your public-opinion report was transferred to %(office)s") % {"office": target.name},
        _("Reason: %(reason)s") % {"reason": reason},
        event="opinions.report.transfer",
    )
    return report


@transaction.atomic
def accept_transfer(*, actor: User, report: Report, note: str = "") -> Report:
    report = _lock(report)
    note = _note(note)
    report = wf.transition(report, "accept_transfer", actor=actor, workflow=REPORT_FLOW, comment=note)
    _tell_unit(
        report.origin_committee,
        [Role.STAFF],
        report,
        _("Transfer accepted: %(title)s") % {"title": report.title},
        _("%(office)s took the report over.") % {"office": report.committee.name},
        event="opinions.report.accept_transfer",
    )
    _tell_member(
        report,
        _("Your public-opinion report was accepted by %(office)s") % {"office": report.committee.name},
        report.title,
        event="opinions.report.accept_transfer",
    )
    return report


@transaction.atomic
def request_transfer_return(*, actor: User, report: Report, reason: str) -> Report:
    """The receiving office asks its head to send a transfer back (it may not bounce it by itself)."""
    report = _lock(report)
    reason = _reason(reason)
    report = wf.transition(report, "request_return", actor=actor, workflow=REPORT_FLOW, comment=reason)
    _tell_unit(
        report.committee,
        [Role.HEAD],
        report,
        _("Approval needed: send a transferred report back: %(title)s") % {"title": report.title},
        _("Reason: %(reason)s") % {"reason": reason},
        event="opinions.report.request_return",
    )
    return report


@transaction.atomic
def return_transfer(*, actor: User, report: Report, reason: str) -> Report:
    """The receiving committee's head sends the report back to the committee that transferred it."""
    report = _lock(report)
    reason = _reason(reason)
    back_to, current = report.origin_committee, report.committee
    if back_to is None or not back_to.is_active:
        raise Conflict(_("The transferring committee is not known or no longer active."), code="no_origin")
    report = wf.transition(
        report,
        "return_transfer",
        actor=actor,
        workflow=REPORT_FLOW,
        comment=reason,
        data={"from": current.pk, "to": back_to.pk},
        changes={"committee": back_to, "origin_committee": current},
        audit_before={"committee": current.pk},
        audit_after={"committee": back_to.pk},
    )
    _tell_unit(
        back_to,
        [Role.STAFF],
        report,
        _("Transferred report sent back to you: %(title)s") % {"title": report.title},
        _("%(office)s sent it back with its head's approval. Reason: %(reason)s")
        % {"office": current.name, "reason": reason},
        event="opinions.report.return_transfer",
    )
    _tell_member(
        report,
        _("Your public-opinion report is with %(office)s again") % {"office": back_to.name},
        report.title,
        event="opinions.report.return_transfer",
    )
    return report


@transaction.atomic
def keep_transfer(*, actor: User, report: Report, reason: str = "") -> Report:
    """The head refuses to send the transfer back: the committee handles it."""
    report = _lock(report)
    reason = _note(reason)
    report = wf.transition(report, "keep_transfer", actor=actor, workflow=REPORT_FLOW, comment=reason)
    _tell_unit(
        report.committee,
        [Role.STAFF],
        report,
        _("The head decided the committee handles the report: %(title)s") % {"title": report.title},
        reason,
        event="opinions.report.keep_transfer",
    )
    return report


# ---- verification (S0-16.2) ----------------------------------------------------------------------------------


def _thread(report: Report, kind: str, actor: User, text: str) -> ThreadMessage:
    return ThreadMessage.objects.create(report=report, round=report.round, kind=kind, author=actor, text=text)


def _question(value) -> str:
    return _text(value, limit=rules.REASON_MAX, required=True, code="question", label=_("The question"))


def _answer_text(value) -> str:
    return _text(value, limit=rules.TEXT_MAX, required=True, code="answer", label=_("The answer"))


@transaction.atomic
def ask_verification(*, actor: User, report: Report, question: str) -> Report:
    """The hotline asks the committee office to verify a point; the hotline's clock stops meanwhile."""
    report = _lock(report)
    question = _question(question)
    report = wf.transition(report, "ask_verification", actor=actor, workflow=REPORT_FLOW, comment=question)
    _thread(report, ThreadMessage.Kind.HOTLINE_QUESTION, actor, question)
    _tell_unit(
        report.committee,
        [Role.STAFF],
        report,
        _("The hotline asks to verify: %(title)s") % {"title": report.title},
        question,
        event="opinions.report.ask_verification",
    )
    return report


def open_member_question(report: Report) -> ThreadMessage | None:
    """The office's latest question to the member of this round if the member has not answered it yet."""
    last = (
        ThreadMessage.objects.filter(
            report=report,
            round=report.round,
            kind__in=(ThreadMessage.Kind.OFFICE_QUESTION, ThreadMessage.Kind.MEMBER_ANSWER),
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return last if last is not None and last.kind == ThreadMessage.Kind.OFFICE_QUESTION else None


QUESTION_STATES = (S.VERIFYING, S.HANDLING)


@transaction.atomic
def ask_member(*, actor: User, report: Report, question: str) -> ThreadMessage:
    """The committee office checks a point with the member (during a verification or its own handling)."""
    report = _lock(report)
    if not is_office_staff(actor, report):
        raise PermissionDenied()
    question = _question(question)
    if report.status not in QUESTION_STATES:
        raise Conflict(_("There is nothing to verify with the member now."), code="not_verifying")
    message = _thread(report, ThreadMessage.Kind.OFFICE_QUESTION, actor, question)
    record(
        "opinions.thread.ask_member",
        actor=actor,
        obj=report,
        org_unit=report.committee,
        after={"message": message.pk},
    )
    _tell_member(
        report,
        _("Please answer a question about your report: %(title)s") % {"title": report.title},
        question,
        event="opinions.thread.ask_member",
        sms=True,
    )
    return message


@transaction.atomic
def answer_member_question(*, actor: User, report: Report, answer: str) -> ThreadMessage:
    report = _lock(report)
    if not is_author(actor, report):
        raise PermissionDenied()
    answer = _answer_text(answer)
    if report.status not in QUESTION_STATES or open_member_question(report) is None:
        raise Conflict(_("There is no open question to answer."), code="no_open_question")
    message = _thread(report, ThreadMessage.Kind.MEMBER_ANSWER, actor, answer)
    record(
        "opinions.thread.member_answer",
        actor=actor,
        obj=report,
        org_unit=report.committee,
        after={"message": message.pk},
    )
    _tell_unit(
        report.committee,
        [Role.STAFF],
        report,
        _("The member answered your question: %(title)s") % {"title": report.title},
        answer,
        event="opinions.thread.member_answer",
    )
    return message


@transaction.atomic
def confirm_verification(*, actor: User, report: Report, answer: str) -> Report:
    """The committee office sends the verified answer to the hotline; the hotline's clock runs again."""
    report = _lock(report)
    answer = _answer_text(answer)
    report = wf.transition(report, "verified", actor=actor, workflow=REPORT_FLOW, comment=answer)
    _thread(report, ThreadMessage.Kind.OFFICE_ANSWER, actor, answer)
    _tell_unit(
        report.hotline,
        [Role.HOTLINE],
        report,
        _("Verified by the committee office: %(title)s") % {"title": report.title},
        answer,
        event="opinions.report.verified",
    )
    return report


# ---- handling, result, answer (S0-16.3) ------------------------------------------------------------------------


def may_post_update(user, report: Report) -> bool:
    if report.status in (S.AT_HOTLINE, S.VERIFYING):
        return is_hotline_staff(user, report)
    if report.status == S.HANDLING:
        return is_office_staff(user, report)
    return False


@transaction.atomic
def post_update(*, actor: User, report: Report, text: str) -> HandlingUpdate:
    """A handling update shown to the member under the report (the status bar of S0-16.3)."""
    report = _lock(report)
    text = _text(text, limit=rules.TEXT_MAX, required=True, code="update", label=_("The update"))
    if not may_post_update(actor, report):
        handling = report.status in (S.AT_HOTLINE, S.VERIFYING, S.HANDLING)
        if not handling and (is_hotline_staff(actor, report) or is_office_staff(actor, report)):
            raise Conflict(_("Updates can be posted only while the report is being handled."), code="not_handling")
        raise PermissionDenied()
    unit = report.hotline if report.status in (S.AT_HOTLINE, S.VERIFYING) else report.committee
    update = HandlingUpdate.objects.create(report=report, round=report.round, unit=unit, author=actor, text=text)
    record("opinions.update.post", actor=actor, obj=report, org_unit=unit, after={"update": update.pk})
    _tell_member(
        report,
        _("Handling update on your report: %(title)s") % {"title": report.title},
        text,
        event="opinions.update.post",
    )
    return update


@transaction.atomic
def report_hotline_result(*, actor: User, report: Report, result: str) -> Report:
    """The hotline reports the final result to the committee office."""
    report = _lock(report)
    result = _text(result, limit=rules.TEXT_MAX, required=True, code="result", label=_("The result"))
    now = _now()
    report = wf.transition(
        report,
        "hotline_result",
        actor=actor,
        workflow=REPORT_FLOW,
        comment=result,
        changes={"result": result, "result_at": now, "wd_handle": _wd(report.handling_started_at, now)},
    )
    _tell_unit(
        report.committee,
        [Role.STAFF],
        report,
        _("The hotline reported the result: %(title)s") % {"title": report.title},
        _("Please pass it on to the member."),
        event="opinions.report.hotline_result",
    )
    return report


@transaction.atomic
def answer_member(*, actor: User, report: Report, answer: str) -> Report:
    """The committee office passes the final result to the member and asks for a rating (S0-16.3); for a report
    the committee handled itself this is the committee's result."""
    report = _lock(report)
    answer = _text(answer, limit=rules.TEXT_MAX, required=True, code="answer", label=_("The answer"))
    now = _now()
    changes = {"answer": answer, "answered_at": now, "wd_total": _wd(report.submitted_at, now), "satisfaction": ""}
    if report.status == S.HANDLING:
        changes.update(result=answer, result_at=now, wd_handle=_wd(report.handling_started_at, now), wd_feedback=0)
    else:
        changes["wd_feedback"] = _wd(report.result_at, now)
    report = wf.transition(report, "answer", actor=actor, workflow=REPORT_FLOW, comment=answer, changes=changes)
    _tell_member(
        report,
        _("Your public-opinion report has been handled: %(title)s") % {"title": report.title},
        _("Please read the result and tell us whether you are satisfied."),
        event="opinions.report.answer",
        sms=True,
    )
    return report


@transaction.atomic
def rate_report(*, actor: User, report: Report, level: str, comment: str = "") -> Rating:
    """The member's satisfaction: 满意 / 基本满意 close the case; 不满意 reopens it for another round."""
    report = _lock(report)
    if level not in Satisfaction.values:
        raise ValidationFailed(_("Choose satisfied, basically satisfied or unsatisfied."), code="invalid_level")
    comment = _text(
        comment,
        limit=rules.TEXT_MAX,
        required=level == Satisfaction.UNSATISFIED,
        code="comment",
        label=_("The comment"),
    )
    if is_author(actor, report) and Rating.objects.filter(report=report, round=report.round).exists():
        raise Conflict(_("You have already rated this handling."), code="already_rated")
    if is_author(actor, report) and report.status != S.ANSWERED and report.ratings.exists():
        raise Conflict(_("You have already rated this handling."), code="already_rated")
    now = _now()
    rated_round, committee = report.round, report.committee
    if level == Satisfaction.UNSATISFIED:
        report = wf.transition(
            report,
            "reopen",
            actor=actor,
            workflow=REPORT_FLOW,
            comment=comment,
            data={"level": level, "round": rated_round},
            changes={
                "satisfaction": level,
                "round": rated_round + 1,
                "result": "",
                "answer": "",
                "last_submitted_at": now,
            },
            audit_after={"level": level, "round": rated_round + 1},
        )
    else:
        report = wf.transition(
            report,
            "rate",
            actor=actor,
            workflow=REPORT_FLOW,
            comment=comment,
            data={"level": level, "round": rated_round},
            changes={"satisfaction": level, "closed_at": now},
            audit_after={"level": level},
        )
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                report=report, round=rated_round, level=level, comment=comment, committee=committee, author=actor
            )
    except IntegrityError:
        raise Conflict(_("You have already rated this handling."), code="already_rated")
    label = Satisfaction(level).label
    if level == Satisfaction.UNSATISFIED:
        title = _("The member is unsatisfied; the report is reopened: %(title)s") % {"title": report.title}
    else:
        title = _("The member rated the handling %(level)s: %(title)s") % {"level": label, "title": report.title}
    _tell_unit(report.committee, [Role.STAFF], report, title, comment, event=f"opinions.report.{level}")
    if report.hotline_id:
        _tell_unit(report.hotline, [Role.HOTLINE], report, title, comment, event=f"opinions.report.{level}")
    return rating


def rating_period_over(report: Report, now=None) -> bool:
    if report.answered_at is None:
        return False
    days = int(body_setting(report.committee or report.body, rules.RATING_DAYS) or 0)
    return working_days_between(report.answered_at, now or _now()) >= days


@transaction.atomic
def close_unrated(*, actor: User, report: Report, note: str) -> Report:
    """Close a case the member has not rated within the rating period."""
    report = _lock(report)
    note = _reason(note)
    if report.status == S.ANSWERED and is_office_staff(actor, report) and not rating_period_over(report):
        raise Conflict(_("The member still has time to rate the handling."), code="rating_period_running")
    report = wf.transition(
        report, "close", actor=actor, workflow=REPORT_FLOW, comment=note, changes={"closed_at": _now()}
    )
    _tell_member(
        report,
        _("Your public-opinion report was closed: %(title)s") % {"title": report.title},
        note,
        event="opinions.report.close",
    )
    return report


# ---- marks: notable, deliberation topic, proposal (S0-17, S0-18) -----------------------------------------------


@transaction.atomic
def set_notable(*, actor: User, report: Report, notable: bool) -> Report:
    """Mark a report for the monthly digest's notable reports (S0-18)."""
    report = _lock(report)
    if not is_office_member(actor, report):
        raise PermissionDenied()
    if report.status in NOT_YET_ACCEPTED:
        raise Conflict(_("Only reports being handled can be marked."), code="not_accepted")
    notable = bool(notable)
    if report.is_notable != notable:
        before = report.is_notable
        report.is_notable = notable
        report.save(update_fields=["is_notable", "updated_at"])
        record(
            "opinions.report.notable",
            actor=actor,
            obj=report,
            org_unit=report.committee,
            before={"is_notable": before},
            after={"is_notable": notable},
        )
    return report


@transaction.atomic
def request_topic(*, actor: User, report: Report, title: str, summary: str) -> TopicRequest:
    """S0-17: ask the committee head to make the report an online-deliberation topic."""
    report = _lock(report)
    if not is_office_staff(actor, report):
        raise PermissionDenied()
    if report.status in NOT_YET_ACCEPTED:
        raise Conflict(_("Only reports being handled can become deliberation topics."), code="not_accepted")
    title = " ".join(
        _text(title, limit=rules.TOPIC_TITLE_MAX, required=True, code="topic_title", label=_("The topic")).split()
    )
    summary = _text(
        summary, limit=rules.TOPIC_SUMMARY_MAX, required=True, code="topic_summary", label=_("The explanation")
    )
    if TopicRequest.objects.filter(report=report).exclude(status=TopicRequest.Status.REJECTED).exists():
        raise Conflict(_("This report has already been proposed as a deliberation topic."), code="topic_requested")
    try:
        with transaction.atomic():
            topic = TopicRequest.objects.create(
                report=report, committee=report.committee, title=title, summary=summary, requested_by=actor
            )
    except IntegrityError:
        raise Conflict(_("This report has already been proposed as a deliberation topic."), code="topic_requested")
    wf.start(topic, actor=actor, workflow=TOPIC_FLOW, event="request", audit_after={"report": report.pk})
    notify(
        users_with_roles(report.committee, [Role.HEAD]),
        title=_("Approval needed: deliberation topic %(title)s") % {"title": title},
        body=summary,
        link=_link(report),
        event="opinions.topic.request",
        obj=topic,
    )
    return topic


@transaction.atomic
def decide_topic(*, actor: User, topic: TopicRequest, approve: bool, note: str = "") -> TopicRequest:
    """The committee head approves or declines a deliberation topic."""
    note = _note(note)
    topic = wf.transition(
        topic,
        "approve" if approve else "reject",
        actor=actor,
        workflow=TOPIC_FLOW,
        comment=note,
        changes={"approved_by": actor, "decided_at": _now(), "decision_note": note},
    )
    topic = TopicRequest.objects.select_related("report__author", "requested_by").get(pk=topic.pk)
    if approve:
        heading = _("Deliberation topic approved: %(title)s") % {"title": topic.title}
    else:
        heading = _("Deliberation topic not approved: %(title)s") % {"title": topic.title}
    notify(
        [topic.requested_by],
        title=heading,
        body=note,
        link=_link(topic.report),
        event="opinions.topic.decide",
        obj=topic,
    )
    if approve:
        _tell_member(
            topic.report,
            _("Your public-opinion report will be an online-deliberation topic: %(title)s") % {"title": topic.title},
            event="opinions.topic.approve",
        )
    return topic


@transaction.atomic
def take_topic_request(*, actor: User, topic: TopicRequest, topic_ref: str) -> TopicRequest:
    """For the deliberation module: it created the topic of an approved request and records its reference."""
    topic_ref = _text(topic_ref, limit=100, required=True, code="topic_ref", label=_("The topic reference"))
    return wf.transition(
        topic,
        "take",
        actor=actor,
        workflow=TOPIC_FLOW,
        data={"topic_ref": topic_ref},
        changes={"topic_ref": topic_ref, "taken_at": _now()},
        audit_after={"topic_ref": topic_ref},
    )


@transaction.atomic
def mark_for_proposal(*, actor: User, report: Report, note: str = "") -> Report:
    """S0-17: guide a representative report into a formal proposal — the proposals module drafts it in the
    member's name (`lvzhi.proposals.services.draft_from_report`), and the member completes and submits it."""
    report = _lock(report)
    if not is_office_member(actor, report):
        raise PermissionDenied()
    note = _note(note)
    if report.status in NOT_YET_ACCEPTED:
        raise Conflict(_("Only reports being handled can be made into proposals."), code="not_accepted")
    if report.proposal_id is not None:
        raise Conflict(_("A proposal has already been drafted from this report."), code="proposal_exists")
    try:
        from lvzhi.proposals.services import draft_from_report
    except ImportError:
        raise ApplicationError(_("The proposals module is not available."), code="proposals_unavailable")
    source = _("From public-opinion report %(ref)s (%(office)s)") % {
        "ref": report.reference,
        "office": report.committee.name,
    }
    if note:
        source = f"{source}: {note}"
    proposal = draft_from_report(
        actor=actor, proposer=report.author, title=report.title, body=report.content, source_note=source
    )
    report.proposal_id = proposal.pk
    report.proposal_marked_at = _now()
    report.proposal_marked_by = actor
    report.save(update_fields=["proposal_id", "proposal_marked_at", "proposal_marked_by", "updated_at"])
    record(
        "opinions.report.mark_proposal",
        actor=actor,
        obj=report,
        org_unit=report.committee,
        after={"proposal": proposal.pk},
    )
    _tell_member(
        report,
        _("A proposal was drafted from your public-opinion report: %(title)s") % {"title": report.title},
        _("Please complete the draft in the proposals column and submit it."),
        event="opinions.report.mark_proposal",
    )
    return report


def log_export(*, actor: User, what: str, count: int, filters: dict | None = None) -> None:
    """An Excel export of reports is audited (who took which list out)."""
    record("opinions.report.export", actor=actor, after={"what": what, "count": count, "filters": filters or {}})
