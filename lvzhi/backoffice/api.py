"""/api/v1/office/bodies/{id}/settings: the body settings for the system administrator (as the back office page).

Values outside a setting's bounds are refused with `setting_below_minimum` / `setting_above_maximum` (400)."""

from typing import Any

from ninja import Router, Schema

from lvzhi.accounts.api_auth import token_auth
from lvzhi.orgs import services as org_services
from lvzhi.orgs.selectors import effective_settings

from . import selectors

router = Router(tags=["office"], auth=token_auth)


class SettingOut(Schema):
    key: str
    label: str
    value: Any
    default: Any
    source: str
    minimum: int | None
    maximum: int | None
    meaning: str


class SettingIn(Schema):
    value: Any


class SettingsErrorOut(Schema):
    code: str
    message: str
    detail: Any = None


def _out(row) -> dict:
    limit = row["limit"]
    return {
        "key": row["key"],
        "label": str(row["label"]),
        "value": row["value"],
        "default": row["default"],
        "source": row["source"],
        "minimum": limit.minimum if limit else None,
        "maximum": limit.maximum if limit else None,
        "meaning": str(limit.meaning) if limit else "",
    }


@router.get("/bodies/{body_id}/settings", response=list[SettingOut])
def body_settings(request, body_id: int):
    body = selectors.access_settings_body(request.user, body_id)
    return [_out(row) for row in effective_settings(body)]


@router.put(
    "/bodies/{body_id}/settings/{key}", response={200: SettingOut, 400: SettingsErrorOut, 404: SettingsErrorOut}
)
def set_body_setting(request, body_id: int, key: str, payload: SettingIn):
    body = selectors.access_settings_body(request.user, body_id)
    org_services.set_body_setting(actor=request.user, body=body, key=key, value=payload.value)
    return next(_out(row) for row in effective_settings(body) if row["key"] == key)
