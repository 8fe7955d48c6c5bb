"""Every write on the organisation tree and the body settings; each one audited in its transaction."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.validation import clean_text

from . import limits
from .models import BodySetting, BodyType, Level, OrgUnit, UnitFunction, UnitKind, UnitLeader
from .settings_registry import default_for, label_for, value_matches_default_type

NAME_MAX = 100
SHORT_NAME_MAX = 40


def _clean_name(name: str, short_name: str = "") -> tuple[str, str]:
    # Control characters, bidi overrides and invisible-only names are refused at the door (lvzhi.core.validation).
    name = clean_text(name, field="name", max_length=10_000, label=_("The name"))
    short_name = clean_text(
        short_name, field="short_name", max_length=10_000, label=_("The short name"), required=False
    )
    if not name:
        raise ValidationFailed(_("The name is required."), code="name_required")
    if len(name) > NAME_MAX:
        raise ValidationFailed(_("The name may have at most 100 characters."), code="name_too_long")
    if len(short_name) > SHORT_NAME_MAX:
        raise ValidationFailed(_("The short name may have at most 40 characters."), code="short_name_too_long")
    return name, short_name


@transaction.atomic
def create_unit(
    *,
    actor,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    level: str | None = None,
    body_type: str | None = None,
    function: str = "",
    short_name: str = "",
    sort_order: int = 0,
) -> OrgUnit:
    """Create a unit under `parent`; units inside a body take its level and type."""
    name, short_name = _clean_name(name, short_name)
    if kind not in UnitKind.values:
        raise ValidationFailed(_("Unknown kind of unit."), code="unknown_kind")
    if function not in UnitFunction.values:
        raise ValidationFailed(_("Unknown office function."), code="unknown_function")
    if kind != UnitKind.BODY and parent is None:
        raise ValidationFailed(_("A unit other than a body needs a parent unit."), code="parent_required")
    if parent is not None and not parent.is_active:
        raise ValidationFailed(_("The parent unit is deactivated."), code="parent_inactive")
    if parent is not None and kind != UnitKind.BODY:
        level = parent.level
        body_type = parent.body_type
    if not level or not body_type:
        raise ValidationFailed(_("A body needs a level and a type."), code="level_required")
    if level not in Level.values or body_type not in BodyType.values:
        raise ValidationFailed(_("Unknown level or type of body."), code="unknown_level")
    unit = OrgUnit.objects.create(
        name=name,
        short_name=short_name,
        kind=kind,
        function=function,
        level=level,
        body_type=body_type,
        parent=parent,
        sort_order=sort_order,
    )
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    if len(unit.path) > OrgUnit._meta.get_field("path").max_length:
        raise ValidationFailed(_("The tree is too deep here."), code="tree_too_deep")
    unit.depth = (parent.depth + 1) if parent else 0
    unit.body = unit if kind == UnitKind.BODY else parent.body
    unit.save(update_fields=["path", "depth", "body"])
    record(
        "orgs.unit.create",
        actor=actor,
        obj=unit,
        org_unit=unit,
        after={"name": unit.name, "kind": kind, "parent": getattr(parent, "pk", None), "function": function},
    )
    return unit


@transaction.atomic
def rename_unit(*, actor, unit: OrgUnit, name: str, short_name: str | None = None) -> OrgUnit:
    name, short = _clean_name(name, unit.short_name if short_name is None else short_name)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    before = {"name": unit.name, "short_name": unit.short_name}
    if before == {"name": name, "short_name": short}:
        return unit
    unit.name, unit.short_name = name, short
    unit.save(update_fields=["name", "short_name"])
    record(
        "orgs.unit.rename",
        actor=actor,
        obj=unit,
        org_unit=unit,
        before=before,
        after={"name": name, "short_name": short},
    )
    return unit


@transaction.atomic
def deactivate_unit(*, actor, unit: OrgUnit) -> OrgUnit:
    """A unit is deactivated only when nothing active hangs on it: no active unit below, no active user in it."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_active:
        raise Conflict(_("The unit is already deactivated."), code="unit_inactive")
    if OrgUnit.objects.filter(parent=unit, is_active=True).exists():
        raise Conflict(_("Deactivate the units below it first."), code="unit_has_children")
    if unit.users.filter(is_active=True).exists():
        raise Conflict(_("Active users still belong to this unit; move them first."), code="unit_has_users")
    unit.is_active = False
    unit.save(update_fields=["is_active"])
    record(
        "orgs.unit.deactivate",
        actor=actor,
        obj=unit,
        org_unit=unit,
        before={"is_active": True},
        after={"is_active": False},
    )
    return unit


@transaction.atomic
def reactivate_unit(*, actor, unit: OrgUnit) -> OrgUnit:
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.is_active:
        raise Conflict(_("The unit is already active."), code="unit_active")
    if unit.parent_id and not OrgUnit.objects.filter(pk=unit.parent_id, is_active=True).exists():
        raise Conflict(_("The parent unit is deactivated."), code="parent_inactive")
    unit.is_active = True
    unit.save(update_fields=["is_active"])
    record(
        "orgs.unit.reactivate",
        actor=actor,
        obj=unit,
        org_unit=unit,
        before={"is_active": False},
        after={"is_active": True},
    )
    return unit


def _check_setting(body: OrgUnit, key: str):
    try:
        default_for(key)
    except KeyError:
        raise ValidationFailed(_("Unknown setting."), code="unknown_setting")
    if not body.is_body:
        raise ValidationFailed(_("Settings belong to bodies only."), code="not_a_body")


def _check_limit(key: str, value) -> None:
    """A body may tighten a limit, never relax it: values outside the bounds are refused (S3-18)."""
    limit = limits.limit_for(key)
    if limit is None or limits.within(key, value):
        return
    params = {"label": label_for(key), "min": limit.minimum, "max": limit.maximum, "meaning": limit.meaning}
    if limit.minimum is not None and value < limit.minimum:
        if limit.maximum is None:
            message = _("“%(label)s” must be at least %(min)s. %(meaning)s")
        else:
            message = _("“%(label)s” must be between %(min)s and %(max)s. %(meaning)s")
        raise ValidationFailed(message % params, code="setting_below_minimum", extra={"minimum": limit.minimum})
    if limit.minimum is None:
        message = _("“%(label)s” may be at most %(max)s. %(meaning)s")
    else:
        message = _("“%(label)s” must be between %(min)s and %(max)s. %(meaning)s")
    raise ValidationFailed(message % params, code="setting_above_maximum", extra={"maximum": limit.maximum})


@transaction.atomic
def set_body_setting(*, actor, body: OrgUnit, key: str, value) -> BodySetting:
    """Override `key` for `body` (and the bodies below it that do not override it themselves)."""
    _check_setting(body, key)
    if not value_matches_default_type(key, value):
        raise ValidationFailed(_("The value does not have the type of the default value."), code="wrong_type")
    _check_limit(key, value)
    setting = BodySetting.objects.select_for_update().filter(body=body, key=key).first()
    before = setting.value if setting else None
    if setting is None:
        setting = BodySetting.objects.create(body=body, key=key, value=value)
    else:
        setting.value = value
        setting.save(update_fields=["value", "updated_at"])
    record("orgs.setting.set", actor=actor, obj=body, org_unit=body, before={key: before}, after={key: value})
    return setting


@transaction.atomic
def clear_body_setting(*, actor, body: OrgUnit, key: str) -> None:
    """Remove the body's own override: it inherits again."""
    _check_setting(body, key)
    setting = BodySetting.objects.select_for_update().filter(body=body, key=key).first()
    if setting is None:
        raise Conflict(_("This body has no own value for this setting."), code="no_override")
    before = setting.value
    setting.delete()
    record("orgs.setting.clear", actor=actor, obj=body, org_unit=body, before={key: before}, after=None)


# --- S2-5: the named responsible leaders of a unit -------------------------------------------------------------------

LEADER_NAME_MAX = 50
LEADER_POST_MAX = 100


@transaction.atomic
def set_unit_leader(*, actor, unit: OrgUnit, duty: str, name: str, post: str = "") -> UnitLeader:
    """Record (or replace) the unit's principal person in charge or its leader in charge (S2-5). Audited with the
    unit and the duty only."""
    if duty not in UnitLeader.Duty.values:
        raise ValidationFailed(_("Choose the leader's duty."), code="duty_invalid")
    name = clean_text(name, field="name", max_length=LEADER_NAME_MAX, label=_("The name"))
    post = clean_text(post, field="post", max_length=LEADER_POST_MAX, label=_("The post"), required=False)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_active:
        raise Conflict(_("The unit is deactivated."), code="unit_inactive")
    row = UnitLeader.objects.filter(unit=unit, duty=duty).first()
    replaced = row is not None
    if row is None:
        row = UnitLeader.objects.create(unit=unit, duty=duty, name=name, post=post)
    else:
        row.name, row.post = name, post
        row.save(update_fields=["name", "post", "updated_at"])
    record(
        "orgs.unit.leader",
        actor=actor,
        obj=unit,
        org_unit=unit,
        after={"duty": duty, "leader": row.pk, "replaced": replaced},
    )
    return row
