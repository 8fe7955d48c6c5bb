"""The accounts part of the mobile API: tokens, password, the current user."""

import datetime as dt

from django.db import transaction
from ninja import Router, Schema, Status
from pydantic import Field

from lvzhi.audit.services import record
from lvzhi.notify.selectors import unread_count

from . import auth_services, tokens
from .api_auth import token_auth
from .roles import Role
from .selectors import active_roles

router = Router(tags=["accounts"])


class Error(Schema):
    code: str
    message: str


class TokenIn(Schema):
    phone: str = Field(max_length=20)
    password: str = Field(max_length=128)
    device: str = Field(default="", max_length=100)


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime
    must_change_password: bool


class PasswordIn(Schema):
    current_password: str = Field(max_length=128)
    new_password: str = Field(max_length=128)


class TokenRow(Schema):
    id: int
    device: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime
    current: bool


class UnitOut(Schema):
    id: int
    name: str


class BodyOut(Schema):
    id: int
    name: str
    type: str
    level: str


class RoleOut(Schema):
    role: str
    label: str
    unit_id: int
    unit_name: str


class MeOut(Schema):
    id: int
    real_name: str
    phone: str
    unit: UnitOut | None
    body: BodyOut | None
    roles: list[RoleOut]
    must_change_password: bool
    unread_count: int


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


@router.post("/auth/token", response={200: TokenOut, **ERRORS}, summary="Log in: a bearer token for this device")
def create_token(request, payload: TokenIn):
    user = auth_services.login_with_password(phone=payload.phone, password=payload.password, channel="api")
    token, raw = tokens.issue_token(actor=user, user=user, device=payload.device)
    must_change = auth_services.password_change_required(user)  # the initial password or an expired one (S2-5)
    return {"token": raw, "expires_at": token.expires_at, "must_change_password": must_change}


@router.post("/auth/password", response={204: None, **ERRORS}, auth=token_auth, summary="Change my password")
def change_password(request, payload: PasswordIn):
    auth_services.change_own_password(
        user=request.auth,
        current_password=payload.current_password,
        new_password=payload.new_password,
        keep_token=getattr(request, "api_token", None),
    )
    return Status(204, None)


@router.get("/auth/tokens", response={200: list[TokenRow], **ERRORS}, auth=token_auth, summary="My devices")
def list_tokens(request):
    current = getattr(request, "api_token", None)
    return [
        {
            "id": t.pk,
            "device": t.name,
            "prefix": t.prefix,
            "created_at": t.created_at,
            "last_used_at": t.last_used_at,
            "expires_at": t.expires_at,
            "current": current is not None and current.pk == t.pk,
        }
        for t in tokens.user_tokens(request.auth)
    ]


@router.delete("/auth/tokens/{token_id}", response={204: None, **ERRORS}, auth=token_auth, summary="Revoke a device")
def revoke_token(request, token_id: int):
    token = tokens.access_token(request.auth, token_id)
    tokens.revoke_token(actor=request.auth, token=token)
    return Status(204, None)


@router.post("/auth/logout", response={204: None, **ERRORS}, auth=token_auth, summary="Log out this device")
def logout(request):
    token = getattr(request, "api_token", None)
    user = request.auth
    if token is not None:
        with transaction.atomic():
            tokens.revoke_token(actor=user, token=token, reason="logout")
            record("accounts.logout", actor=user, obj=user, org_unit=user.unit_id, after={"reason": "api"})
    else:
        auth_services.logout_user(request, reason="user")
    return Status(204, None)


@router.get("/me", response={200: MeOut, **ERRORS}, auth=token_auth, summary="Who I am")
def me(request):
    user = request.auth
    unit = user.unit
    body = unit.body if unit is not None and unit.body_id else None
    roles = [
        {"role": a.role, "label": str(Role(a.role).label), "unit_id": a.unit_id, "unit_name": a.unit.name}
        for a in active_roles(user)
    ]
    return {
        "id": user.pk,
        "real_name": user.real_name,
        "phone": user.masked_phone,
        "unit": {"id": unit.pk, "name": unit.name} if unit else None,
        "body": {"id": body.pk, "name": body.name, "type": body.body_type, "level": body.level} if body else None,
        "roles": roles,
        "must_change_password": auth_services.password_change_required(user),
        "unread_count": unread_count(user),
    }
