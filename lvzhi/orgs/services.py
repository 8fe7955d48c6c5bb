from django.db import transaction

from lvzhi.audit.services import record
from lvzhi.core.errors import ValidationFailed

from .models import BodySetting, OrgUnit, UnitKind
from .settings_registry import default_for


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
    if kind != UnitKind.BODY and parent is None:
        raise ValidationFailed(code="parent_required")
    if parent is not None and kind != UnitKind.BODY:
        level = parent.level
        body_type = parent.body_type
    if not level or not body_type:
        raise ValidationFailed(code="level_required")
    unit = OrgUnit.objects.create(
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        function=function,
        level=level,
        body_type=body_type,
        parent=parent,
        sort_order=sort_order,
    )
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = (parent.depth + 1) if parent else 0
    unit.body = unit if kind == UnitKind.BODY else parent.body
    unit.save(update_fields=["path", "depth", "body"])
    record("orgs.unit.create", actor=actor, obj=unit, org_unit=unit, after={"name": unit.name, "kind": kind})
    return unit


@transaction.atomic
def set_body_setting(*, actor, body: OrgUnit, key: str, value) -> BodySetting:
    default_for(key)  # unknown keys are an error
    if not body.is_body:
        raise ValidationFailed(code="not_a_body")
    setting = BodySetting.objects.filter(body=body, key=key).first()
    before = setting.value if setting else None
    if setting is None:
        setting = BodySetting.objects.create(body=body, key=key, value=value)
    else:
        setting.value = value
        setting.save(update_fields=["value", "updated_at"])
    record("orgs.setting.set", actor=actor, obj=body, org_unit=body, before={key: before}, after={key: value})
    return setting
