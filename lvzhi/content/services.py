"""Every write of content: columns and their changes, articles through review and publication, reading,
favourites and monitoring reports. Each service is atomic and audited; state changes go through
`lvzhi.workflow.services.transition` (which locks the row, checks the state and the actor, and audits).

Reading records are the exception to auditing every write, like reading inbox messages: the *first* reading of
an article by a user is audited (`content.article.read`), the reading-time heartbeats that follow only add seconds
to that user's reading record (they happen every few seconds and change no state of record).
"""

import dataclasses
import datetime as dt
import io

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.notify.services import notify
from lvzhi.orgs.models import OrgUnit, UnitFunction
from lvzhi.orgs.selectors import unit_by_function
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import users_with_roles

from . import defaults
from . import permissions as perms
from .models import (
    GRADE_RANK,
    ActivityEvent,
    AppliesTo,
    Article,
    Attachment,
    Audience,
    ChainStep,
    Column,
    ColumnChange,
    Favourite,
    Grade,
    MonitorReport,
    ReadRecord,
    RegisterEntry,
    ReviewStep,
    Revision,
    StepKind,
    StepScope,
    Topic,
)
from .sanitize import check_body_size, check_upload, clean_html, html_to_text
from .workflows import ARTICLE_FLOW, COLUMN_CHANGE_FLOW, REPORT_FLOW

S = Article.Status
TITLE_MAX, SUMMARY_MAX, SOURCE_MAX, REASON_MAX, COMMENT_MAX = 200, 500, 200, 300, 1000
MAX_PING_SECONDS = 120
MAX_READING_SECONDS = 4 * 3600

# The review checklist of S0-8: (key, question, the answer that lets the item pass).
CHECKLIST = [
    ("secrets", "no"),
    ("policy", "yes"),
    ("copyright", "yes"),
    ("harm", "no"),
    ("image", "yes"),
    ("timing", "yes"),
    ("sensitive", "no"),
    ("statistics", "yes"),
    ("other", "no"),
]
CHECKLIST_KEYS = [key for key, _safe in CHECKLIST]
NA_ALLOWED = {"statistics"}  # "no statistics in it"


def checklist_questions() -> list[tuple[str, str]]:
    """(key, question) of the nine items of S0-8, in order, translated."""
    return [
        ("secrets", _("1. Does it involve state secrets?")),
        ("policy", _("2. Is it consistent with policy and law?")),
        ("copyright", _("3. Are intellectual-property rights respected?")),
        ("harm", _("4. Could it harm other units or persons?")),
        ("image", _("5. Is it good for the city's image and development?")),
        ("timing", _("6. Is it suitable to publish now?")),
        ("sensitive", _("7. Does it touch a sensitive issue or a work secret?")),
        ("statistics", _("8. Are the statistics in it accurate?")),
        ("other", _("9. Are there other concerns?")),
    ]


# ---- helpers -------------------------------------------------------------------------------------------------------


def _one_line(value, limit, *, required=False, label=""):
    value = " ".join(str(value or "").split())
    if required and not value:
        raise ValidationFailed(_("%(field)s is required.") % {"field": label}, code="required")
    if len(value) > limit:
        raise ValidationFailed(
            _("%(field)s may have at most %(n)s characters.") % {"field": label, "n": limit}, code="too_long"
        )
    return value


def _reason(reason: str) -> str:
    return _one_line(reason, REASON_MAX, required=True, label=_("The reason"))


def _name(user) -> str:
    return getattr(user, "real_name", "") or ""


def _lock(article: Article) -> Article:
    locked = Article.objects.select_for_update().filter(pk=article.pk).first()
    if locked is None:
        raise NotFound()
    return locked


def _finding_dict(finding) -> dict:
    if hasattr(finding, "as_dict"):
        data = finding.as_dict()
    else:
        data = dataclasses.asdict(finding) if dataclasses.is_dataclass(finding) else dict(finding)
    return {k: v for k, v in data.items() if isinstance(v, str | int | bool | float) or v is None}


def _screen(article: Article) -> None:
    """Screen the working copy (S2-21, S2-26, S2-27): word lists, personal data, links, unsourced reposts."""
    from lvzhi.screening import services as screening

    findings = screening.scan_article(
        title=article.title,
        body_html=article.body_html,
        source=article.source,
        is_repost=article.is_repost,
        body=article.body,
    )
    article.findings = [_finding_dict(f) for f in findings]
    article.findings_blocking = any(f.blocking for f in findings)


def _check_grade(article: Article, grade: str, topic: str, *, by_author: bool) -> tuple[str, str]:
    if grade not in Grade.values:
        raise ValidationFailed(_("Unknown grade."), code="unknown_grade")
    if topic not in Topic.values:
        raise ValidationFailed(_("Unknown topic."), code="unknown_topic")
    if topic:
        grade = max(grade, Grade.MAJOR, key=lambda g: GRADE_RANK[g])  # S2-24: never without the leader's review
    if by_author and GRADE_RANK[grade] < GRADE_RANK[article.grade_floor]:
        raise ValidationFailed(
            _("The grade cannot be lowered below %(grade)s.") % {"grade": Grade(article.grade_floor).label},
            code="grade_cannot_be_lowered",
        )
    return grade, topic


def _times(publish_at, expires_at):
    now = timezone.now()
    if publish_at is not None and expires_at is not None and expires_at <= publish_at:
        raise ValidationFailed(_("The expiry must come after the go-live time."), code="expiry_before_go_live")
    if expires_at is not None and expires_at <= now:
        raise ValidationFailed(_("The expiry must lie in the future."), code="expiry_in_past")
    return publish_at, expires_at


# ---- columns ---------------------------------------------------------------------------------------------------


def _install_chain(column: Column, chain) -> None:
    ChainStep.objects.bulk_create(
        ChainStep(
            column=column, position=i + 1, kind=kind, role=role, scope=scope, function=function, applies_to=applies
        )
        for i, (kind, role, scope, function, applies) in enumerate(chain)
    )


def _new_column(body, code, name, *, parent=None, order=0) -> Column:
    audience, owners, chain = defaults.preset(code)
    column = Column.objects.create(
        body=body, parent=parent, code=code, name=name[:40], audience=audience, sort_order=order
    )
    column.owners.set(defaults.owner_units(body, owners))
    _install_chain(column, chain)
    return column


@transaction.atomic
def ensure_default_columns(*, actor=None, body: OrgUnit) -> bool:
    """Install the body's default column set if it has no columns yet (S0-5). Returns whether it installed."""
    if body is None or not body.is_body:
        return False
    if Column.objects.filter(body=body).exists():
        return False
    OrgUnit.objects.select_for_update().filter(pk=body.pk).first()  # one installer at a time
    if Column.objects.filter(body=body).exists():
        return False
    installed = []
    for i, item in enumerate(defaults.column_set(body)):
        code = slugify(item["code"])[:40] or f"c{i + 1}"
        parent = _new_column(body, code, item["name"], order=(i + 1) * 10)
        installed.append(code)
        for j, child in enumerate(item["children"]):
            _new_column(body, child["code"], child["name"], parent=parent, order=j + 1)
            installed.append(child["code"])
    record("content.column.install", actor=actor, obj=body, org_unit=body, after={"columns": installed})
    return True


def _clean_chain(body, steps) -> list[dict]:
    from lvzhi.accounts.roles import ADMIN_ROLES
    from lvzhi.accounts.roles import Role as R

    if not isinstance(steps, list) or not steps:
        raise ValidationFailed(_("An approval chain needs at least one step."), code="chain_empty")
    cleaned = []
    for raw in steps:
        if not isinstance(raw, dict):
            raise ValidationFailed(code="chain_invalid")
        kind, role = raw.get("kind"), raw.get("role")
        scope, function = raw.get("scope", StepScope.HOST), raw.get("function", "") or ""
        unit_id, applies = raw.get("unit"), raw.get("applies_to", AppliesTo.ALL)
        if kind not in StepKind.values or role not in R.values or role in ADMIN_ROLES:
            raise ValidationFailed(_("Each step needs a kind and a business role."), code="chain_invalid")
        if scope not in StepScope.values or applies not in AppliesTo.values:
            raise ValidationFailed(code="chain_invalid")
        if scope == StepScope.FUNCTION and (not function or function not in UnitFunction.values):
            raise ValidationFailed(_("Name the office function of the step."), code="chain_invalid")
        if scope == StepScope.UNIT:
            unit = OrgUnit.objects.filter(pk=unit_id, body=body, is_active=True).first() if unit_id else None
            if unit is None:
                raise ValidationFailed(_("The unit of a step must be a unit of this body."), code="chain_invalid")
        cleaned.append(
            {
                "kind": kind,
                "role": role,
                "scope": scope,
                "function": function if scope == StepScope.FUNCTION else "",
                "unit": unit_id if scope == StepScope.UNIT else None,
                "applies_to": applies,
            }
        )
    if cleaned[-1]["kind"] != StepKind.PUBLISH or sum(s["kind"] == StepKind.PUBLISH for s in cleaned) != 1:
        raise ValidationFailed(_("The chain must end with exactly one publishing step."), code="chain_no_publish")
    if not any(s["kind"] != StepKind.PUBLISH and s["applies_to"] == AppliesTo.ALL for s in cleaned) and not (
        any(s["applies_to"] == AppliesTo.ORIGINAL for s in cleaned)
        and any(s["applies_to"] == AppliesTo.REPOST for s in cleaned)
    ):
        raise ValidationFailed(
            _("Approve first, publish after: the chain needs a review or approval step before publishing."),
            code="chain_no_review",
        )
    return cleaned


def _clean_change(body, action, column, payload) -> dict:
    A = ColumnChange.Action
    payload = dict(payload or {})
    if action not in A.values:
        raise ValidationFailed(code="unknown_action")
    if action != A.CREATE and (column is None or column.body_id != body.pk):
        raise NotFound()
    if action == A.CREATE:
        name = _one_line(payload.get("name"), 40, required=True, label=_("The name"))
        code = slugify(payload.get("code") or "")[:40]
        if not code:
            raise ValidationFailed(_("Give the column a code of letters, digits and dashes."), code="code_required")
        if Column.objects.filter(body=body, code=code).exists():
            raise Conflict(_("This body already has a column with this code."), code="column_code_taken")
        parent_id = payload.get("parent")
        if parent_id and not Column.objects.filter(pk=parent_id, body=body, parent__isnull=True).exists():
            raise ValidationFailed(_("The parent column must be a top-level column of this body."), code="bad_parent")
        audience = payload.get("audience", Audience.ALL)
        if audience not in Audience.values:
            raise ValidationFailed(_("Unknown audience."), code="unknown_audience")
        return {"code": code, "name": name, "parent": parent_id or None, "audience": audience}
    if action == A.RENAME:
        name = _one_line(payload.get("name"), 40, required=True, label=_("The name"))
        if name == column.name:
            raise ValidationFailed(_("Nothing would change."), code="no_changes")
        return {"name": name}
    if action == A.REORDER:
        try:
            order = int(payload.get("sort_order"))
        except (TypeError, ValueError):
            raise ValidationFailed(_("Give the position as a whole number."), code="bad_order")
        return {"sort_order": max(-10000, min(order, 10000))}
    if action == A.RETIRE:
        if not column.is_active:
            raise Conflict(_("The column is already retired."), code="column_retired")
        return {}
    if action == A.RESTORE:
        if column.is_active:
            raise Conflict(_("The column is active."), code="column_active")
        return {}
    if action == A.AUDIENCE:
        audience = payload.get("audience")
        if audience not in Audience.values:
            raise ValidationFailed(_("Unknown audience."), code="unknown_audience")
        return {"audience": audience}
    if action == A.OWNERS:
        ids = payload.get("owners") or []
        units = list(OrgUnit.objects.filter(pk__in=ids, body=body, is_active=True).values_list("pk", flat=True))
        if not ids or len(units) != len(set(ids)):
            raise ValidationFailed(_("Choose owning departments of this body."), code="bad_owners")
        return {"owners": sorted(units)}
    if action == A.MAINTAINER:
        from lvzhi.accounts.models import User

        user_id = payload.get("maintainer")
        if not User.objects.filter(pk=user_id, is_active=True, unit__body=body).exists():
            raise ValidationFailed(_("The maintainer must be an active user of this body."), code="bad_maintainer")
        return {"maintainer": user_id}
    return {"steps": _clean_chain(body, payload.get("steps"))}


@transaction.atomic
def propose_column_change(
    *, actor, body: OrgUnit, action: str, column: Column | None = None, payload: dict | None = None, reason: str
) -> ColumnChange:
    """The information office proposes a change of the body's columns; a leader approves it (S0-5)."""
    if not perms.may_propose_column_change(actor, body):
        raise NotFound()
    reason = _reason(reason)
    cleaned = _clean_change(body, action, column, payload)
    if column is not None and ColumnChange.objects.filter(column=column, status=ColumnChange.Status.PROPOSED).exists():
        raise Conflict(_("A change of this column is already awaiting approval."), code="change_pending")
    change = ColumnChange.objects.create(
        body=body, column=column, action=action, payload=cleaned, reason=reason, proposed_by=actor
    )
    wf.start(change, actor=actor, workflow=COLUMN_CHANGE_FLOW, event="propose", audit_after={"action": action})
    leaders = users_with_roles(body, [Role.LEADER])
    notify(
        [u for u in leaders if u.pk != actor.pk],
        title=_("Column change awaiting approval: %(what)s") % {"what": change.get_action_display()},
        body=reason,
        link=COLUMN_CHANGE_FLOW.link(change),
        event="content.column_change.propose",
        obj=change,
    )
    return change


def _column_state(column: Column) -> dict:
    return {
        "name": column.name,
        "sort_order": column.sort_order,
        "is_active": column.is_active,
        "audience": column.audience,
        "maintainer": column.maintainer_id,
        "owners": sorted(column.owners.values_list("pk", flat=True)),
        "chain": [
            {"kind": s.kind, "role": s.role, "scope": s.scope, "function": s.function, "unit": s.unit_id}
            for s in column.chain.all()
        ],
    }


def _apply_change(change: ColumnChange, actor) -> Column:
    A = ColumnChange.Action
    data = change.payload
    if change.action == A.CREATE:
        parent = Column.objects.filter(pk=data.get("parent")).first() if data.get("parent") else None
        if Column.objects.filter(body=change.body, code=data["code"]).exists():
            raise Conflict(_("This body already has a column with this code."), code="column_code_taken")
        last = Column.objects.filter(body=change.body, parent=parent).order_by("-sort_order").first()
        column = _new_column(
            change.body, data["code"], data["name"], parent=parent, order=(last.sort_order + 10) if last else 10
        )
        column.audience = data["audience"]
        column.save(update_fields=["audience"])
        change.column = column
        change.save(update_fields=["column"])
        record("content.column.create", actor=actor, obj=column, org_unit=change.body, after=_column_state(column))
        return column
    column = Column.objects.select_for_update().get(pk=change.column_id)
    before = _column_state(column)
    if change.action == A.RENAME:
        column.name = data["name"]
        column.save(update_fields=["name", "updated_at"])
    elif change.action == A.REORDER:
        column.sort_order = data["sort_order"]
        column.save(update_fields=["sort_order", "updated_at"])
    elif change.action in (A.RETIRE, A.RESTORE):
        column.is_active = change.action == A.RESTORE
        column.save(update_fields=["is_active", "updated_at"])
    elif change.action == A.AUDIENCE:
        column.audience = data["audience"]
        column.save(update_fields=["audience", "updated_at"])
    elif change.action == A.MAINTAINER:
        column.maintainer_id = data["maintainer"]
        column.save(update_fields=["maintainer", "updated_at"])
    elif change.action == A.OWNERS:
        column.owners.set(data["owners"])
    elif change.action == A.CHAIN:
        column.chain.all().delete()
        ChainStep.objects.bulk_create(
            ChainStep(column=column, position=i + 1, **{k if k != "unit" else "unit_id": v for k, v in step.items()})
            for i, step in enumerate(data["steps"])
        )
    record(
        f"content.column.{change.action}",
        actor=actor,
        obj=column,
        org_unit=change.body,
        before=before,
        after=_column_state(column),
    )
    return column


@transaction.atomic
def decide_column_change(*, actor, change: ColumnChange, approve: bool, note: str = "") -> ColumnChange:
    """A leader of the body approves (the change is applied at once) or rejects a proposed column change."""
    note = _one_line(note, REASON_MAX, label=_("The note"))
    if not approve and not note:
        raise ValidationFailed(_("Give a reason for rejecting."), code="reason_required")
    change = wf.transition(
        change,
        "approve" if approve else "reject",
        actor=actor,
        comment=note,
        workflow=COLUMN_CHANGE_FLOW,
        changes={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note},
    )
    if approve:
        _apply_change(change, actor)
    notify(
        [change.proposed_by],
        title=(_("Column change approved: %(what)s") if approve else _("Column change rejected: %(what)s"))
        % {"what": change.get_action_display()},
        body=note,
        link=COLUMN_CHANGE_FLOW.link(change),
        event=f"content.column_change.{'approve' if approve else 'reject'}",
        obj=change,
    )
    return change


# ---- drafting --------------------------------------------------------------------------------------------------


def _host_unit(actor, column: Column, unit: OrgUnit | None) -> OrgUnit:
    if actor is None:
        if unit is None or not column.owners.filter(pk=unit.pk).exists():
            raise ValidationFailed(_("Name an owning department of the column."), code="unit_required")
        return unit
    units = perms.draft_units(actor, column)
    if not units:
        raise PermissionDenied(
            _("You may not write in this column: only staff of its owning departments may."), code="may_not_draft"
        )
    if unit is None:
        return units[0]
    if unit.pk not in {u.pk for u in units}:
        raise PermissionDenied(_("You may not write for this department."), code="may_not_draft")
    return unit


@transaction.atomic
def create_draft(
    *,
    actor,
    column: Column,
    title: str,
    body_html: str,
    summary: str = "",
    source: str = "",
    grade: str = Grade.NORMAL,
    is_repost: bool = False,
    topic: str = "",
    unit: OrgUnit | None = None,
    client_token: str = "",
    publish_at: dt.datetime | None = None,
    expires_at: dt.datetime | None = None,
) -> Article:
    """A new draft in `column` (sanitised, size-checked and screened). `actor` is a drafter of one of the column's
    owning departments (the host unit is that department, or `unit`); `actor=None` drafts for the system (another
    module), then `unit` must be an owning department. The draft then goes through the column's chain."""
    if not column.is_active:
        raise ValidationFailed(_("This column is retired."), code="column_retired")
    host = _host_unit(actor, column, unit)
    client_token = str(client_token or "")[:64]
    if client_token and actor is not None and Article.objects.filter(author=actor, client_token=client_token).exists():
        raise Conflict(_("This draft was already saved (sent twice)."), code="duplicate_submission")
    title = _one_line(title, TITLE_MAX, required=True, label=_("The title"))
    article = Article(
        column=column,
        body=column.body,
        unit=host,
        author=actor,
        title=title,
        summary=_one_line(summary, SUMMARY_MAX, label=_("The summary")),
        source=_one_line(source, SOURCE_MAX, label=_("The source")),
        is_repost=bool(is_repost),
        body_html=clean_html(body_html),
        client_token=client_token if actor is not None else "",
    )
    check_body_size(article.body_html, column.body)
    article.grade, article.topic = _check_grade(article, grade, topic, by_author=True)
    article.publish_at, article.expires_at = _times(publish_at, expires_at)
    _screen(article)
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        raise Conflict(_("This draft was already saved (sent twice)."), code="duplicate_submission")
    wf.start(
        article,
        actor=actor,
        workflow=ARTICLE_FLOW,
        event="create",
        audit_after={"title": title, "column": column.code, "grade": article.grade, "findings": len(article.findings)},
    )
    return article


EDITABLE = (S.DRAFT, S.RETURNED)


def _editable(actor, article: Article, expected_version=None) -> Article:
    article = _lock(article)
    if not perms.may_edit(actor, article):
        raise NotFound()
    if article.status not in EDITABLE:
        raise Conflict(_("Only a draft or an article returned for changes can be edited."), code="not_editable")
    if expected_version is not None and int(expected_version) != article.version:
        raise Conflict(
            _("Someone else saved this draft meanwhile; reload it and make your changes again."),
            code="changed_meanwhile",
        )
    return article


@transaction.atomic
def update_draft(
    *,
    actor,
    article: Article,
    title: str,
    body_html: str,
    summary: str = "",
    source: str = "",
    grade: str = Grade.NORMAL,
    is_repost: bool = False,
    topic: str = "",
    publish_at: dt.datetime | None = None,
    expires_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Article:
    article = _editable(actor, article, expected_version)
    before = {"title": article.title, "grade": article.grade, "length": len(article.body_html), "v": article.version}
    article.title = _one_line(title, TITLE_MAX, required=True, label=_("The title"))
    article.summary = _one_line(summary, SUMMARY_MAX, label=_("The summary"))
    article.source = _one_line(source, SOURCE_MAX, label=_("The source"))
    article.is_repost = bool(is_repost)
    article.body_html = clean_html(body_html)
    check_body_size(article.body_html, article.body)
    article.grade, article.topic = _check_grade(article, grade, topic, by_author=True)
    article.publish_at, article.expires_at = _times(publish_at, expires_at)
    _screen(article)
    article.version += 1
    article.save(
        update_fields=[
            "title",
            "summary",
            "source",
            "is_repost",
            "body_html",
            "grade",
            "topic",
            "publish_at",
            "expires_at",
            "findings",
            "findings_blocking",
            "version",
            "updated_at",
        ]  # fmt: skip
    )
    after = {"title": article.title, "grade": article.grade, "length": len(article.body_html), "v": article.version}
    record("content.article.update", actor=actor, obj=article, org_unit=article.unit, before=before, after=after)
    return article


@transaction.atomic
def mask_personal_data(*, actor, article: Article, expected_version: int | None = None) -> Article:
    """Mask the personal data the screening found in the working copy (S2-21, S2-26), then screen again."""
    from lvzhi.screening import services as screening

    article = _editable(actor, article, expected_version)
    findings = screening.scan_article(
        title=article.title, body_html=article.body_html, source=article.source, is_repost=article.is_repost,
        body=article.body,
    )  # fmt: skip
    personal = [f for f in findings if f.kind == "personal_data"]
    if not personal:
        raise ValidationFailed(_("No personal data was found to mask."), code="nothing_to_mask")
    title, body_html = screening.mask_article(title=article.title, body_html=article.body_html)
    article.title = title[:TITLE_MAX]
    article.body_html = clean_html(body_html)
    _screen(article)
    article.version += 1
    article.save(update_fields=["title", "body_html", "findings", "findings_blocking", "version", "updated_at"])
    record(
        "content.article.mask",
        actor=actor,
        obj=article,
        org_unit=article.unit,
        after={"masked": len(personal), "categories": sorted({f.category for f in personal})},
    )
    return article


@transaction.atomic
def add_attachment(
    *, actor, article: Article, name: str, data: bytes, as_cover: bool = False, expected_version: int | None = None
) -> Attachment:
    """Attach an image or document to a draft: type, size and content are checked (S2-21, S4-2.4)."""
    from django.core.files.base import ContentFile

    article = _editable(actor, article, expected_version)
    kind, mime = check_upload(name=name, data=data, body=article.body, image_only=as_cover)
    safe_name = _one_line(name, 200, required=True, label=_("The file name")).replace("/", "_").replace("\\", "_")
    attachment = Attachment(article=article, kind=kind, name=safe_name, size=len(data), mime=mime, uploaded_by=actor)
    ext = safe_name.rsplit(".", 1)[-1].lower()
    attachment.file.save(f"a{article.pk}.{ext}", ContentFile(data), save=False)
    attachment.save()
    fields = ["version", "updated_at"]
    if as_cover:
        article.cover = attachment
        fields.append("cover")
    article.version += 1
    article.save(update_fields=fields)
    record(
        "content.attachment.add",
        actor=actor,
        obj=article,
        org_unit=article.unit,
        after={"attachment": attachment.pk, "name": safe_name, "size": len(data), "cover": as_cover},
    )
    return attachment


@transaction.atomic
def remove_attachment(*, actor, attachment: Attachment) -> None:
    article = _editable(actor, attachment.article)
    updated = Attachment.objects.filter(pk=attachment.pk, removed_at__isnull=True).update(removed_at=timezone.now())
    if not updated:
        raise Conflict(_("The file was already removed."), code="already_removed")
    fields = ["version", "updated_at"]
    if article.cover_id == attachment.pk:
        article.cover = None
        fields.append("cover")
    article.version += 1
    article.save(update_fields=fields)
    record(
        "content.attachment.remove",
        actor=actor,
        obj=article,
        org_unit=article.unit,
        before={"attachment": attachment.pk, "name": attachment.name},
    )


# ---- review ------------------------------------------------------------------------------------------------------


def _resolve_unit(article: Article, scope, function, unit_id, chain_label=""):
    if scope == StepScope.HOST:
        return article.unit
    if scope == StepScope.BODY:
        return article.body
    if scope == StepScope.UNIT:
        unit = OrgUnit.objects.filter(pk=unit_id, is_active=True).first()
    else:
        unit = unit_by_function(article.body, function)
    if unit is None:
        label = dict(OrgUnit._meta.get_field("function").choices).get(function, function)
        raise ValidationFailed(
            _(
                "The approval chain of this column names the %(office)s, which this body does not have; "
                "ask the information office to correct the chain."
            )
            % {"office": label or _("a unit")},
            code="chain_unit_missing",
        )
    return unit


def _graded_spec(article: Article) -> tuple[str, OrgUnit] | None:
    """Graded review (S2-24): important → the host unit's leader; major or sensitive → the body's leader."""
    if article.grade == Grade.MAJOR:
        return Role.LEADER, article.body
    if article.grade == Grade.IMPORTANT:
        return Role.LEADER, article.unit
    return None


def _step_specs(article: Article) -> list[dict]:
    applies = {AppliesTo.ALL, AppliesTo.REPOST if article.is_repost else AppliesTo.ORIGINAL}
    specs = []
    for step in article.column.chain.all():
        if step.applies_to not in applies:
            continue
        unit = _resolve_unit(article, step.scope, step.function, step.unit_id)
        specs.append({"kind": step.kind, "role": step.role, "unit": unit, "graded": False})
    if len(specs) < 2 or specs[-1]["kind"] != StepKind.PUBLISH:
        raise ValidationFailed(
            _("This column has no complete approval chain; ask the information office."), code="chain_incomplete"
        )
    graded = _graded_spec(article)
    if graded is not None:
        role, unit = graded
        specs.insert(len(specs) - 1, {"kind": StepKind.APPROVE, "role": role, "unit": unit, "graded": True})
    return specs


def _role_label(role) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return str(role)


def _check_holders(article: Article, specs, excluded: set) -> None:
    for spec in specs:
        holders = [u for u in users_with_roles(spec["unit"], [spec["role"]]) if u.pk not in excluded]
        if not holders:
            raise ValidationFailed(
                _("Nobody but you can take the step “%(role)s at %(unit)s” yet; ask the information office.")
                % {"role": _role_label(spec["role"]), "unit": spec["unit"].name},
                code="no_step_holder",
            )


def _holders(step: ReviewStep, article: Article) -> list:
    return [
        u for u in users_with_roles(step.unit, [step.role]) if u.pk not in {article.author_id, article.submitted_by_id}
    ]


@transaction.atomic
def submit(*, actor, article: Article, expected_version: int | None = None) -> Article:
    """Submit the working copy for review: a new revision with the column's chain (and graded steps) resolved."""
    article = _editable(actor, article, expected_version)
    check_body_size(article.body_html, article.body)
    _screen(article)
    if article.findings_blocking:
        raise ValidationFailed(
            _("The screening found secret-list terms; remove them before submitting."), code="blocked_by_screening"
        )
    if not article.column.is_active:
        raise ValidationFailed(_("This column is retired."), code="column_retired")
    specs = _step_specs(article)
    _check_holders(article, specs, {actor.pk, article.author_id} if actor else {article.author_id})
    number = article.revision_no + 1
    revision = Revision.objects.create(
        article=article,
        number=number,
        title=article.title,
        summary=article.summary,
        body_html=article.body_html,
        source=article.source,
        is_repost=article.is_repost,
        grade=article.grade,
        topic=article.topic,
        findings=article.findings,
        created_by=actor,
    )
    steps = ReviewStep.objects.bulk_create(
        ReviewStep(
            article=article,
            revision=revision,
            position=(i + 1) * 10,
            kind=s["kind"],
            role=s["role"],
            unit=s["unit"],
            graded=s["graded"],
        )
        for i, s in enumerate(specs)
    )
    first = ReviewStep.objects.get(revision=revision, position=steps[0].position)
    floor = max(article.grade, article.grade_floor, key=lambda g: GRADE_RANK[g])
    article = wf.transition(
        article,
        "submit",
        actor=actor,
        workflow=ARTICLE_FLOW,
        data={"revision": number},
        changes={
            "revision_no": number,
            "current_step": first,
            "submitted_by": actor,
            "submitted_at": timezone.now(),
            "grade_floor": floor,
            "findings": article.findings,
            "findings_blocking": False,
            "version": article.version + 1,
        },
        audit_after={"revision": number, "grade": article.grade, "steps": len(specs)},
    )
    _notify_step(article, first)
    return article


def _notify_step(article: Article, step: ReviewStep) -> None:
    if step.kind == StepKind.PUBLISH:
        title = _("To publish: %(title)s") % {"title": article.title}
    else:
        title = _("To review: %(title)s") % {"title": article.title}
    urgent = article.grade == Grade.MAJOR or bool(article.topic)
    notify(
        _holders(step, article),
        title=title,
        body=_("Column: %(column)s") % {"column": article.column.name},
        link=ARTICLE_FLOW.link(article),
        event="content.article.step",
        obj=article,
        sms=urgent,  # emergencies and sensitive items are reviewed promptly (S2-24, S2-29)
    )


def _clean_checklist(checklist: dict, *, approving: bool) -> dict:
    checklist = dict(checklist or {})
    answers = {}
    for key in CHECKLIST_KEYS:
        value = str(checklist.get(key) or "").strip().lower()
        if value not in ("yes", "no") and not (value == "na" and key in NA_ALLOWED):
            if approving:
                raise ValidationFailed(
                    _("Answer every item of the review checklist before approving."), code="checklist_incomplete"
                )
            continue
        answers[key] = value
    note = _one_line(checklist.get("note", ""), COMMENT_MAX, label=_("The note"))
    if answers.get("other") == "yes" and not note:
        raise ValidationFailed(_("Describe the other concerns."), code="checklist_note_required")
    if approving:
        if answers["secrets"] == "yes":
            raise ValidationFailed(
                _("It involves state secrets: it cannot be approved (S0-9). Return it instead."),
                code="checklist_secret",
            )
        failing = [key for key, safe in CHECKLIST if answers[key] not in (safe, "na")]
        if failing:
            questions = dict(checklist_questions())
            raise ValidationFailed(
                _("Not approvable with these answers: %(items)s. Return it for changes instead.")
                % {"items": "；".join(str(questions[k]) for k in failing)},
                code="checklist_failed",
            )
    if note:
        answers["note"] = note
    return answers


@transaction.atomic
def decide(
    *,
    actor,
    article: Article,
    approve: bool,
    checklist: dict | None = None,
    secrecy_reviewed: bool = False,
    secrecy_note: str = "",
    findings_accepted: bool = False,
    comment: str = "",
    raise_grade: str | None = None,
    expected_step: int | None = None,
) -> Article:
    """Take the current review or approval step: approve (with the S0-8 checklist, the S0-9 secrecy review and an
    explicit decision on any screening findings) or return for changes (with a comment)."""
    article = _lock(article)
    step = article.current_step
    if expected_step is not None and (step is None or step.pk != int(expected_step)):
        raise Conflict(_("This step was already decided; reload the page."), code="already_decided")
    if step is None or article.status not in (S.IN_REVIEW, S.APPROVED):
        raise Conflict(_("This article is not awaiting review."), code="not_in_review")
    if step.kind == StepKind.PUBLISH and approve:
        raise Conflict(_("This article is awaiting publication."), code="awaiting_publication")
    _check_decider(actor, article, step)
    comment = _one_line(comment, COMMENT_MAX, label=_("The comment"))
    answers = _clean_checklist(checklist, approving=approve)
    now = timezone.now()
    if not approve:
        if not comment:
            raise ValidationFailed(_("Say what must be changed."), code="comment_required")
        ReviewStep.objects.filter(pk=step.pk).update(
            status=ReviewStep.Status.RETURNED, decided_by=actor, decided_at=now, checklist=answers, comment=comment
        )
        ReviewStep.objects.filter(revision_id=step.revision_id, status=ReviewStep.Status.PENDING).update(
            status=ReviewStep.Status.CANCELLED
        )
        article = wf.transition(
            article,
            "return",
            actor=actor,
            comment=comment,
            workflow=ARTICLE_FLOW,
            data={"step": step.pk},
            changes={"current_step": None, "version": article.version + 1},
        )
        notify(
            [u for u in (article.author, article.submitted_by) if u is not None],
            title=_("Returned for changes: %(title)s") % {"title": article.title},
            body=comment,
            link=ARTICLE_FLOW.link(article),
            event="content.article.return",
            obj=article,
        )
        return article
    if not secrecy_reviewed:
        raise ValidationFailed(_("Confirm the secrecy review (S0-9) before approving."), code="secrecy_review_required")
    revision = step.revision
    accepted = []
    if revision.findings:
        if not findings_accepted:
            raise ValidationFailed(
                _("The screening found possible problems: examine them and confirm your decision."),
                code="findings_decision_required",
            )
        accepted = [
            {"kind": f.get("kind"), "label": f.get("label"), "excerpt": f.get("excerpt")} for f in revision.findings
        ]
    ReviewStep.objects.filter(pk=step.pk).update(
        status=ReviewStep.Status.DONE,
        decided_by=actor,
        decided_at=now,
        checklist=answers,
        secrecy_reviewed=True,
        secrecy_note=_one_line(secrecy_note, REASON_MAX, label=_("The note")),
        findings_accepted=accepted,
        comment=comment,
    )
    if raise_grade and GRADE_RANK.get(raise_grade, -1) > GRADE_RANK[article.grade]:
        _raise_grade(actor, article, revision, raise_grade)
    following = (
        ReviewStep.objects.filter(revision=revision, status=ReviewStep.Status.PENDING, position__gt=step.position)
        .select_related("unit")
        .order_by("position")
        .first()
    )
    name = "approve" if following is None or following.kind == StepKind.PUBLISH else "pass"
    article = wf.transition(
        article,
        name,
        actor=actor,
        comment=comment,
        workflow=ARTICLE_FLOW,
        data={"step": step.pk, "checklist": answers, "secrecy_reviewed": True, "findings_accepted": len(accepted)},
        changes={"current_step": following, "version": article.version + 1},
        audit_after={"step": step.kind, "checklist": answers, "findings_accepted": len(accepted)},
    )
    if following is not None:
        _notify_step(article, following)
    return article


def _check_decider(actor, article: Article, step: ReviewStep) -> None:
    if perms.is_own_article(actor, article):
        raise PermissionDenied(_("You cannot review or approve your own article."), code="self_approval")
    if not perms.holds_step(actor, step):
        raise PermissionDenied(
            _("You do not hold the role this step needs (%(role)s at %(unit)s); it may have been withdrawn from you.")
            % {"role": _role_label(step.role), "unit": step.unit.name},
            code="not_step_holder",
        )
    if step.kind != StepKind.PUBLISH and actor.pk in perms._other_deciders(article, step):
        raise PermissionDenied(
            _("You already approved an earlier step of this article; another person must take this one."),
            code="second_approval",
        )


def _raise_grade(actor, article: Article, revision: Revision, grade: str) -> None:
    """A reviewer raises the grade during review: the leader's approval is added before publication."""
    Article.objects.filter(pk=article.pk).update(grade=grade, grade_floor=grade)
    article.grade = article.grade_floor = grade
    Revision.objects.filter(pk=revision.pk).update(grade=grade)
    role, unit = _graded_spec(article)
    pending_graded = ReviewStep.objects.filter(revision=revision, graded=True, status=ReviewStep.Status.PENDING)
    pending_graded.update(status=ReviewStep.Status.CANCELLED)
    publish = ReviewStep.objects.filter(revision=revision, kind=StepKind.PUBLISH).first()
    taken = set(ReviewStep.objects.filter(revision=revision).values_list("position", flat=True))
    position = publish.position - 1
    while position in taken:
        position -= 1
    ReviewStep.objects.create(
        article=article, revision=revision, position=position, kind=StepKind.APPROVE, role=role, unit=unit, graded=True
    )
    record(
        "content.article.grade",
        actor=actor,
        obj=article,
        org_unit=article.unit,
        after={"grade": grade, "leader_unit": unit.pk},
    )


def _names(steps, kind) -> str:
    return "、".join(dict.fromkeys(_name(s.decided_by) for s in steps if s.kind == kind and s.decided_by))


def _register(article: Article, revision: Revision, publisher, at, status) -> RegisterEntry:
    steps = list(
        ReviewStep.objects.filter(revision=revision, status=ReviewStep.Status.DONE).select_related("decided_by")
    )
    RegisterEntry.objects.filter(article=article, status=RegisterEntry.Status.LIVE).update(
        status=RegisterEntry.Status.REPLACED, ended_at=at, ended_by=_name(publisher)
    )
    return RegisterEntry.objects.create(
        article=article,
        revision=revision,
        body=article.body,
        unit=article.unit,
        column_name=article.column.name,
        title=revision.title,
        grade=revision.grade,
        drafted_by=_name(article.author) or _name(revision.created_by),
        drafted_at=article.created_at,
        reviewed_by=_names(steps, StepKind.REVIEW),
        approved_by=_names(steps, StepKind.APPROVE),
        published_by=_name(publisher),
        published_by_user=publisher,
        published_at=at,
        status=status,
    )


def _go_live(article: Article, revision: Revision, publisher, at) -> None:
    from lvzhi.search import services as search

    search.index(article, title=revision.title, text=html_to_text(revision.body_html))
    _register(article, revision, publisher, at, RegisterEntry.Status.LIVE)
    notify(
        [article.author],
        title=_("Published: %(title)s") % {"title": revision.title},
        link=ARTICLE_FLOW.link(article),
        event="content.article.publish",
        obj=article,
    )


def _live_changes(article: Article, revision: Revision, publisher, at) -> dict:
    return {
        "is_live": True,
        "published_title": revision.title,
        "published_summary": revision.summary or html_to_text(revision.body_html)[:120],
        "published_revision": revision,
        "published_at": article.published_at if article.is_live and article.published_at else at,
        "published_by": publisher,
        "withdrawn_at": None,
        "withdrawn_by": None,
        "withdraw_reason": "",
        "current_step": None,
    }


@transaction.atomic
def publish(*, actor, article: Article, publish_at: dt.datetime | None = None, expected_step: int | None = None):
    """The publisher publishes the approved revision now, or schedules it (`publish_at` in the future). Who
    publishes answers for it (S0-7): they are named in the register."""
    article = _lock(article)
    step = article.current_step
    if expected_step is not None and (step is None or step.pk != int(expected_step)):
        raise Conflict(_("This step was already decided; reload the page."), code="already_decided")
    if article.status != S.APPROVED or step is None or step.kind != StepKind.PUBLISH:
        raise Conflict(_("This article is not awaiting publication."), code="not_approved")
    _check_decider(actor, article, step)
    revision = step.revision
    if not ReviewStep.objects.filter(revision=revision, status=ReviewStep.Status.DONE, secrecy_reviewed=True).exists():
        raise Conflict(_("No secrecy review is on record for this revision (S0-9)."), code="no_secrecy_review")
    now = timezone.now()
    publish_at = publish_at or article.publish_at
    if article.expires_at is not None and article.expires_at <= now:
        raise ValidationFailed(_("The expiry has passed; correct it first."), code="expiry_in_past")
    ReviewStep.objects.filter(pk=step.pk).update(
        status=ReviewStep.Status.DONE, decided_by=actor, decided_at=now, secrecy_reviewed=True
    )
    if publish_at is not None and publish_at > now:
        return wf.transition(
            article,
            "schedule",
            actor=actor,
            workflow=ARTICLE_FLOW,
            data={"publish_at": publish_at.isoformat()},
            changes={"publish_at": publish_at, "published_by": actor, "version": article.version + 1},
            audit_after={"publish_at": publish_at.isoformat(), "revision": revision.number},
        )
    changes = _live_changes(article, revision, actor, now)
    changes["version"] = article.version + 1
    article = wf.transition(
        article,
        "publish",
        actor=actor,
        workflow=ARTICLE_FLOW,
        data={"revision": revision.number},
        changes=changes,
        audit_after={"revision": revision.number, "title": revision.title},
    )
    _go_live(article, revision, actor, now)
    return article


@transaction.atomic
def unschedule(*, actor, article: Article) -> Article:
    article = _lock(article)
    if article.status != S.SCHEDULED:
        raise Conflict(_("This article is not scheduled."), code="not_scheduled")
    step = ReviewStep.objects.filter(
        revision__article=article, revision__number=article.revision_no, kind=StepKind.PUBLISH
    ).first()
    if step is None or not perms.holds_step(actor, step):
        raise PermissionDenied(code="not_step_holder")
    ReviewStep.objects.filter(pk=step.pk).update(status=ReviewStep.Status.PENDING, decided_by=None, decided_at=None)
    article.current_step = step
    return wf.transition(
        article,
        "unschedule",
        actor=actor,
        workflow=ARTICLE_FLOW,
        changes={"current_step": step, "publish_at": None, "version": article.version + 1},
    )


def publish_due(now=None) -> int:
    """Tick job: scheduled articles whose go-live time has come are published (each exactly once)."""
    now = now or timezone.now()
    ids = list(Article.objects.filter(status=S.SCHEDULED, publish_at__lte=now).values_list("pk", flat=True)[:200])
    done = 0
    for pk in ids:
        with transaction.atomic():
            article = Article.objects.select_for_update().filter(pk=pk, status=S.SCHEDULED).first()
            if article is None:
                continue
            revision = Revision.objects.get(article=article, number=article.revision_no)
            publisher = article.published_by
            changes = _live_changes(article, revision, publisher, now)
            changes["published_by"] = publisher
            article = wf.transition(
                article, "go_live", actor=None, workflow=ARTICLE_FLOW, changes=changes,
                audit_after={"revision": revision.number, "publisher": getattr(publisher, "pk", None)},
            )  # fmt: skip
            _go_live(article, revision, publisher, now)
            done += 1
    return done


def expire_due(now=None) -> int:
    """Tick job: live articles past their expiry leave the feeds and the search; published ones are archived."""
    from lvzhi.search import services as search

    now = now or timezone.now()
    ids = list(Article.objects.filter(is_live=True, expires_at__lte=now).values_list("pk", flat=True)[:200])
    done = 0
    for pk in ids:
        with transaction.atomic():
            article = Article.objects.select_for_update().filter(pk=pk, is_live=True).first()
            if article is None:
                continue
            if article.status == S.PUBLISHED:
                wf.transition(article, "expire", actor=None, workflow=ARTICLE_FLOW, changes={"is_live": False})
            else:
                Article.objects.filter(pk=pk).update(is_live=False)
                record("content.article.expire", obj=article, org_unit=article.unit, after={"is_live": False})
            RegisterEntry.objects.filter(article_id=pk, status=RegisterEntry.Status.LIVE).update(
                status=RegisterEntry.Status.EXPIRED, ended_at=now
            )
            search.remove(article)
            done += 1
    return done


# ---- after publication -----------------------------------------------------------------------------------------


@transaction.atomic
def withdraw(*, actor, article: Article, reason: str) -> Article:
    """Take a live article down at once with a reason (S0-11); the author and the approvers are told. It stays
    in the register, marked withdrawn."""
    from lvzhi.search import services as search

    reason = _reason(reason)
    locked = _lock(article)
    if not locked.is_live:
        raise Conflict(_("This article is not published (any more)."), code="not_live")
    now = timezone.now()
    ReviewStep.objects.filter(article=locked, status=ReviewStep.Status.PENDING).update(
        status=ReviewStep.Status.CANCELLED
    )
    article = wf.transition(
        locked,
        "withdraw",
        actor=actor,
        comment=reason,
        workflow=ARTICLE_FLOW,
        changes={
            "is_live": False,
            "withdrawn_at": now,
            "withdrawn_by": actor,
            "withdraw_reason": reason,
            "current_step": None,
            "version": locked.version + 1,
        },
        audit_after={"reason": reason},
    )
    RegisterEntry.objects.filter(article=article, status=RegisterEntry.Status.LIVE).update(
        status=RegisterEntry.Status.WITHDRAWN, ended_at=now, ended_by=_name(actor), end_reason=reason
    )
    search.remove(article)
    approvers = ReviewStep.objects.filter(revision_id=article.published_revision_id, decided_by__isnull=False)
    from lvzhi.accounts.models import User

    recipients = [article.author, *User.objects.filter(pk__in=approvers.values("decided_by"))]
    notify(
        [u for u in recipients if u is not None and u.pk != actor.pk],
        title=_("Withdrawn: %(title)s") % {"title": article.display_title},
        body=_("Reason: %(reason)s") % {"reason": reason},
        link=ARTICLE_FLOW.link(article),
        event="content.article.withdraw",
        obj=article,
    )
    return article


@transaction.atomic
def revise(*, actor, article: Article) -> Article:
    """Open a correction of a published (or withdrawn, archived) article: the working copy becomes a draft again
    and goes through review as a new revision; readers keep the published revision meanwhile."""
    return wf.transition(
        article,
        "revise",
        actor=actor,
        workflow=ARTICLE_FLOW,
        changes={"current_step": None, "version": article.version + 1, "publish_at": None},
    )


@transaction.atomic
def discard(*, actor, article: Article) -> Article:
    if article.published_revision_id:
        raise Conflict(_("A published article cannot be discarded; withdraw it instead."), code="was_published")
    return wf.transition(article, "discard", actor=actor, workflow=ARTICLE_FLOW)


# ---- reading, favourites and activity (S0-20) ------------------------------------------------------------------


def record_activity(*, actor, kind: str, article: Article, at: dt.datetime | None = None) -> bool:
    """Record a reading or favourite activity event for the duty-points module (each (user, kind, article) once).
    Returns whether a new event was recorded."""
    if kind not in ActivityEvent.Kind.values:
        raise ValidationFailed(code="unknown_activity")
    with transaction.atomic():
        _obj, created = ActivityEvent.objects.get_or_create(
            user=actor, kind=kind, article=article, defaults={"body_id": article.body_id, "at": at or timezone.now()}
        )
    return created


@transaction.atomic
def record_read(*, actor, article: Article) -> ReadRecord:
    """The reader opened the article: the first time is recorded (and audited, and an activity event), later
    visits count up."""
    if not perms.may_read(actor, article):
        raise NotFound()
    now = timezone.now()
    updated = ReadRecord.objects.filter(user=actor, article=article).update(last_read_at=now, visits=F("visits") + 1)
    if updated:
        return ReadRecord.objects.get(user=actor, article=article)
    try:
        with transaction.atomic():
            read = ReadRecord.objects.create(user=actor, article=article, first_read_at=now, last_read_at=now)
    except IntegrityError:  # two tabs at once
        return ReadRecord.objects.get(user=actor, article=article)
    record_activity(actor=actor, kind=ActivityEvent.Kind.READ, article=article, at=now)
    record("content.article.read", actor=actor, obj=article, org_unit=article.unit)
    return read


@transaction.atomic
def record_reading_time(*, actor, article: Article, seconds: int) -> ReadRecord:
    """Add reading time (a heartbeat of the reading page, at most 120 s each, 4 hours in all). Not audited."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Give the reading time in seconds."), code="bad_seconds")
    if seconds < 1 or seconds > MAX_PING_SECONDS:
        raise ValidationFailed(_("Give the reading time in seconds."), code="bad_seconds")
    if not perms.may_read(actor, article):
        raise NotFound()
    read = ReadRecord.objects.select_for_update().filter(user=actor, article=article).first()
    if read is None:
        raise Conflict(_("Open the article first."), code="not_opened")
    read.seconds = min(read.seconds + seconds, MAX_READING_SECONDS)
    read.last_read_at = timezone.now()
    read.save(update_fields=["seconds", "last_read_at"])
    return read


@transaction.atomic
def add_favourite(*, actor, article: Article) -> Favourite:
    if not perms.may_read(actor, article):
        raise NotFound()
    try:
        with transaction.atomic():
            favourite = Favourite.objects.create(user=actor, article=article)
    except IntegrityError:
        raise Conflict(_("This article is already among your favourites."), code="already_favourite")
    record_activity(actor=actor, kind=ActivityEvent.Kind.FAVOURITE, article=article)
    record("content.favourite.add", actor=actor, obj=article, org_unit=article.unit)
    return favourite


@transaction.atomic
def remove_favourite(*, actor, article: Article) -> None:
    deleted, _rows = Favourite.objects.filter(user=actor, article=article).delete()
    if not deleted:
        raise Conflict(_("This article is not among your favourites."), code="not_favourite")
    record("content.favourite.remove", actor=actor, obj=article, org_unit=article.unit)


# ---- monitoring reports (S0-28, S0-29) -------------------------------------------------------------------------


@transaction.atomic
def report_article(*, actor, article: Article, kind: str, reason: str) -> MonitorReport:
    """A volunteer monitor or a reader reports a published item; the information office gets a case with a
    deadline."""
    if not perms.may_report(actor, article):
        raise NotFound()
    if kind not in MonitorReport.Kind.values:
        raise ValidationFailed(_("Choose what is wrong."), code="unknown_kind")
    reason = _one_line(reason, 500, required=True, label=_("The reason"))
    office = unit_by_function(article.body, "info_office")
    if office is None:
        raise ValidationFailed(_("This body has no information office to receive reports yet."), code="no_info_office")
    if MonitorReport.objects.filter(
        article=article, reporter=actor, status__in=[MonitorReport.Status.OPEN, MonitorReport.Status.CONTACTED]
    ).exists():
        raise Conflict(_("You have already reported this article; it is being handled."), code="already_reported")
    try:
        with transaction.atomic():
            report = MonitorReport.objects.create(
                article=article,
                body=article.body,
                office=office,
                reporter=actor,
                kind=kind,
                reason=reason,
                article_revision=article.revision_no,
            )
    except IntegrityError:
        raise Conflict(_("You have already reported this article; it is being handled."), code="already_reported")
    wf.start(report, actor=actor, workflow=REPORT_FLOW, event="submit", audit_after={"kind": kind})
    notify(
        users_with_roles(office, [Role.INFO_OFFICE]),
        title=_("Content report: %(title)s") % {"title": article.display_title},
        body=f"{report.get_kind_display()}：{reason}",
        link=REPORT_FLOW.link(report),
        event="content.report.submit",
        obj=report,
    )
    return report


@transaction.atomic
def handle_report(*, actor, report: MonitorReport, action: str, note: str = "") -> MonitorReport:
    """The information office handles a report: contact the poster, close it as corrected (a correction has been
    submitted), remove the item (it is withdrawn) or dismiss it."""
    if action not in ("contact", "correct", "remove", "dismiss"):
        raise ValidationFailed(code="unknown_action")
    note = _one_line(note, 500, required=action in ("contact", "remove", "dismiss"), label=_("The note"))
    if not perms.may_handle_report(actor, report):
        raise PermissionDenied()
    article = Article.objects.select_related("column", "author", "published_by").get(pk=report.article_id)
    if action == "correct" and article.revision_no <= report.article_revision:
        raise ValidationFailed(
            _("No correction of the article has been submitted yet; contact the poster first."),
            code="not_corrected",
        )
    closing = action != "contact"
    report = wf.transition(
        report,
        action,
        actor=actor,
        comment=note,
        workflow=REPORT_FLOW,
        changes={"resolution": note, "closed_at": timezone.now() if closing else None},
    )
    if action == "remove" and article.is_live:
        withdraw(actor=actor, article=article, reason=note)
    if action == "contact":
        notify(
            [u for u in (article.author, article.published_by) if u is not None],
            title=_("Please correct: %(title)s") % {"title": article.display_title},
            body=_("The information office received a report (%(kind)s): %(reason)s. %(note)s")
            % {"kind": report.get_kind_display(), "reason": report.reason, "note": note},
            link=ARTICLE_FLOW.link(article),
            event="content.report.contact",
            obj=article,
        )
    if closing and report.reporter is not None:
        notify(
            [report.reporter],
            title=_("Your report was handled: %(title)s") % {"title": article.display_title},
            body=f"{report.get_status_display()}{'：' + note if note else ''}",
            event="content.report.close",
            obj=report,
        )
    return report


# ---- the register (S0-10) --------------------------------------------------------------------------------------


@transaction.atomic
def export_register(*, actor, entries, filters: dict) -> bytes:
    """The register rows as an Excel workbook; the export is audited."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Publication register"))
    sheet.append(
        [
            _("Published"),
            _("Title"),
            _("Column"),
            _("Department"),
            _("Grade"),
            _("Drafted by"),
            _("Drafted"),
            _("Reviewed by"),
            _("Approved by"),
            _("Published by"),
            _("Status"),
            _("Ended"),
            _("Ended by"),
            _("Reason"),
        ]  # fmt: skip
    )
    count = 0
    tz = timezone.get_current_timezone()
    for e in entries:
        sheet.append(
            [
                timezone.localtime(e.published_at, tz).strftime("%Y-%m-%d %H:%M"),
                e.title,
                e.column_name,
                e.unit.name,
                str(Grade(e.grade).label),
                e.drafted_by,
                timezone.localtime(e.drafted_at, tz).strftime("%Y-%m-%d %H:%M"),
                e.reviewed_by,
                e.approved_by,
                e.published_by,
                str(e.get_status_display()),
                timezone.localtime(e.ended_at, tz).strftime("%Y-%m-%d %H:%M") if e.ended_at else "",
                e.ended_by,
                e.end_reason,
            ]
        )
        count += 1
    out = io.BytesIO()
    book.save(out)
    record("content.register.export", actor=actor, after={"filters": filters, "count": count})
    return out.getvalue()
