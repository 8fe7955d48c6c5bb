"""Columns: the default column sets and changes to a column (proposed, then decided)."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import ADMIN_ROLES, Role
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.notify.services import notify
from lvzhi.orgs.models import OrgUnit, UnitFunction, UnitKind
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import users_with_roles

from .. import defaults
from .. import permissions as perms
from ..models import AppliesTo, Audience, ChainStep, Column, ColumnChange, DisclosureCategory, StepKind, StepScope
from ..workflows import COLUMN_CHANGE_FLOW
from .common import REASON_MAX, _reason
from .disclosure import default_maintainer, ensure_disclosure_categories


def _install_chain(column: Column, chain) -> None:
    ChainStep.objects.bulk_create(
        ChainStep(
            column=column, position=i + 1, kind=kind, role=role, scope=scope, function=function, applies_to=applies
        )
        for i, (kind, role, scope, function, applies) in enumerate(chain)
    )


def _new_column(body, code, name, *, parent=None, order=0, category=None, maintainer=None) -> Column:
    """A column with its preset audience, owners and chain; its disclosure category and maintainer (S2-18, S2-19)
    are given, or else the preset's category and the default maintainer of its owners."""
    audience, owners, chain = defaults.preset(code)
    units = defaults.owner_units(body, owners)
    if category is None:
        category = ensure_disclosure_categories(body).get(defaults.category_code(code))
    column = Column.objects.create(
        body=body,
        parent=parent,
        code=code,
        name=name[:40],
        audience=audience,
        sort_order=order,
        disclosure_category=category,
        maintainer=maintainer or default_maintainer(body, units),
    )
    column.owners.set(units)
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


@transaction.atomic
def ensure_public_columns(*, actor=None, body: OrgUnit, items: list[dict]) -> list[str]:
    """The public portal's columns of a body (installed with its site): each of `items` ({code, name}) the body
    lacks is created with audience public, its preset (or the general office's) owners and approval chain; existing
    columns keep what the body made of them. The body's default set is installed first. Returns the codes added."""
    ensure_default_columns(actor=actor, body=body)
    have = set(Column.objects.filter(body=body).values_list("code", flat=True))
    added = []
    for i, item in enumerate(items):
        code = slugify(item["code"])[:40]
        if not code or code in have:
            continue
        column = _new_column(body, code, item["name"], order=500 + i)
        Column.objects.filter(pk=column.pk).update(audience=Audience.PUBLIC)
        added.append(code)
    if added:
        record("content.column.install", actor=actor, obj=body, org_unit=body, after={"columns": added})
    return added


def _clean_step(body, raw) -> dict:
    if not isinstance(raw, dict):
        raise ValidationFailed(code="chain_invalid")
    kind, role = raw.get("kind"), raw.get("role")
    scope, function = raw.get("scope", StepScope.HOST), raw.get("function", "") or ""
    unit_id, applies = raw.get("unit"), raw.get("applies_to", AppliesTo.ALL)
    if kind not in StepKind.values or role not in Role.values or role in ADMIN_ROLES:
        raise ValidationFailed(_("Each step needs a kind and a business role."), code="chain_invalid")
    if scope not in StepScope.values or applies not in AppliesTo.values:
        raise ValidationFailed(code="chain_invalid")
    if scope == StepScope.FUNCTION and (not function or function not in UnitFunction.values):
        raise ValidationFailed(_("Name the office function of the step."), code="chain_invalid")
    if scope == StepScope.UNIT:
        unit = OrgUnit.objects.filter(pk=unit_id, body=body, is_active=True).first() if unit_id else None
        if unit is None:
            raise ValidationFailed(_("The unit of a step must be a unit of this body."), code="chain_invalid")
    return {
        "kind": kind,
        "role": role,
        "scope": scope,
        "function": function if scope == StepScope.FUNCTION else "",
        "unit": unit_id if scope == StepScope.UNIT else None,
        "applies_to": applies,
    }


def _clean_chain(body, steps) -> list[dict]:
    if not isinstance(steps, list) or not steps:
        raise ValidationFailed(_("An approval chain needs at least one step."), code="chain_empty")
    cleaned = [_clean_step(body, raw) for raw in steps]
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


def _clean_create(body, column, payload) -> dict:
    name = clean_text(payload.get("name"), field="name", max_length=40, required=True, label=_("The name"))
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
    if not payload.get("maintainer"):
        raise ValidationFailed(_("Every column needs a named maintainer (S2-19)."), code="maintainer_required")
    maintainer = _clean_maintainer(body, None, payload)["maintainer"]
    category = _clean_category(body, None, payload)["category"]
    return {
        "code": code,
        "name": name,
        "parent": parent_id or None,
        "audience": audience,
        "maintainer": maintainer,
        "category": category,
    }


def _clean_rename(body, column, payload) -> dict:
    name = clean_text(payload.get("name"), field="name", max_length=40, required=True, label=_("The name"))
    if name == column.name:
        raise ValidationFailed(_("Nothing would change."), code="no_changes")
    return {"name": name}


def _clean_reorder(body, column, payload) -> dict:
    try:
        order = int(payload.get("sort_order"))
    except (TypeError, ValueError):
        raise ValidationFailed(_("Give the position as a whole number."), code="bad_order")
    return {"sort_order": max(-10000, min(order, 10000))}


def _clean_retire(body, column, payload) -> dict:
    if not column.is_active:
        raise Conflict(_("The column is already retired."), code="column_retired")
    return {}


def _clean_restore(body, column, payload) -> dict:
    if column.is_active:
        raise Conflict(_("The column is active."), code="column_active")
    return {}


def _clean_audience(body, column, payload) -> dict:
    audience = payload.get("audience")
    if audience not in Audience.values:
        raise ValidationFailed(_("Unknown audience."), code="unknown_audience")
    return {"audience": audience}


def _clean_owners(body, column, payload) -> dict:
    ids = payload.get("owners") or []
    units = list(OrgUnit.objects.filter(pk__in=ids, body=body, is_active=True).values_list("pk", flat=True))
    if not ids or len(units) != len(set(ids)):
        raise ValidationFailed(_("Choose owning departments of this body."), code="bad_owners")
    return {"owners": sorted(units)}


def _clean_maintainer(body, column, payload) -> dict:
    user_id = payload.get("maintainer")
    if not user_id:
        raise ValidationFailed(_("Every column needs a named maintainer (S2-19)."), code="maintainer_required")
    if not User.objects.filter(pk=user_id, is_active=True, unit__body=body).exists():
        raise ValidationFailed(_("The maintainer must be an active user of this body."), code="bad_maintainer")
    return {"maintainer": user_id}


def _clean_category(body, column, payload) -> dict:
    try:
        category_id = int(payload.get("category") or 0)
    except (TypeError, ValueError):
        category_id = 0
    if not category_id:
        raise ValidationFailed(
            _("Choose the proactive-disclosure category the column belongs to (S2-18)."), code="category_required"
        )
    if not DisclosureCategory.objects.filter(pk=category_id, body=body, is_active=True).exists():
        raise ValidationFailed(_("Choose a disclosure category of this body."), code="bad_category")
    if column is not None and column.disclosure_category_id == category_id:
        raise ValidationFailed(_("Nothing would change."), code="no_changes")
    return {"category": category_id}


def _clean_steps(body, column, payload) -> dict:
    return {"steps": _clean_chain(body, payload.get("steps"))}


CHANGE_CLEANERS = {
    ColumnChange.Action.CREATE: _clean_create,
    ColumnChange.Action.RENAME: _clean_rename,
    ColumnChange.Action.REORDER: _clean_reorder,
    ColumnChange.Action.RETIRE: _clean_retire,
    ColumnChange.Action.RESTORE: _clean_restore,
    ColumnChange.Action.AUDIENCE: _clean_audience,
    ColumnChange.Action.OWNERS: _clean_owners,
    ColumnChange.Action.MAINTAINER: _clean_maintainer,
    ColumnChange.Action.CATEGORY: _clean_category,
    ColumnChange.Action.CHAIN: _clean_steps,
}


def _clean_change(body, action, column, payload) -> dict:
    """The payload of a proposed column change, checked by the cleaner of its action."""
    payload = dict(payload or {})
    if action not in ColumnChange.Action.values:
        raise ValidationFailed(code="unknown_action")
    if action != ColumnChange.Action.CREATE and (column is None or column.body_id != body.pk):
        raise NotFound()
    return CHANGE_CLEANERS[action](body, column, payload)


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
        "category": column.disclosure_category_id,
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
            change.body, data["code"], data["name"], parent=parent, order=(last.sort_order + 10) if last else 10,
            category=DisclosureCategory.objects.filter(pk=data.get("category")).first(),
            maintainer=User.objects.filter(pk=data.get("maintainer")).first(),
        )  # fmt: skip
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
    elif change.action == A.CATEGORY:
        column.disclosure_category_id = data["category"]
        column.save(update_fields=["disclosure_category", "updated_at"])
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
    note = clean_text(note, field="note", max_length=REASON_MAX, required=False, label=_("The note"))
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


@transaction.atomic
def adopt_unit(*, actor=None, unit: OrgUnit) -> list[str]:
    """A unit created in a body whose default columns are installed becomes an owning department of the default
    columns that name its function (or every special committee, for a committee; or every department right under
    the body, for a department or committee there), as if it had been there when
    they were installed. Returns the codes of the columns it now owns."""
    body = unit.body
    if body is None or unit.pk == body.pk or not unit.is_active:
        return []
    adopted = []
    for column in Column.objects.filter(body=body, is_active=True).prefetch_related("owners"):
        _audience, owners, _chain = defaults.preset(column.code)
        named = unit.function and unit.function in owners
        committee = unit.kind == UnitKind.COMMITTEE and defaults.COMMITTEES in owners
        department = (
            defaults.DEPARTMENTS in owners
            and unit.parent_id == body.pk
            and unit.kind in (UnitKind.OFFICE, UnitKind.DEPARTMENT, UnitKind.COMMITTEE)
        )
        if (named or committee or department) and unit not in set(column.owners.all()):
            column.owners.add(unit)
            adopted.append(column.code)
    if adopted:
        record("content.column.adopt_unit", actor=actor, obj=unit, org_unit=body, after={"columns": adopted})
    return adopted
