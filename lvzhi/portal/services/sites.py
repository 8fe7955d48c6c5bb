"""Setting up a body's site: the site row and the body's public columns (the standing committee's portal columns
for a people's congress; townships below a county get theirs on the county's site)."""

import re

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.content import services as content
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.orgs.models import OrgUnit

from ..columns import portal_columns
from ..models import Site
from ..pagecache import bump_bodies

HOST = re.compile(r"^(?=.{1,100}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


def _host(value: str) -> str:
    host = (value or "").strip().lower()
    if host and not HOST.match(host):
        raise ValidationFailed(_("Give a host name such as rd.example.gov.cn."), code="host_invalid")
    return host


@transaction.atomic
def install_site(
    *,
    actor=None,
    body,
    code: str,
    name: str,
    host: str = "",
    colour: str = "#b71c1c",
    logo_text: str = "",
    is_default: bool = False,
    townships=(),
) -> Site:
    """Create the body's site (or update it when it exists) and install its public columns and those of the
    township bodies served on it. Idempotent."""
    if body is None or not body.is_body:
        raise ValidationFailed(_("A site belongs to a body."), code="body_required")
    code = slugify(code)[:30]
    if not code:
        raise ValidationFailed(_("Give the site a code (letters, digits, hyphens)."), code="code_required")
    name = clean_text(name, field="name", max_length=60, label=_("Name"))
    host = _host(host)
    if not re.match(r"^#[0-9a-fA-F]{6}$", colour or ""):
        raise ValidationFailed(_("Give the colour as #RRGGBB."), code="colour_invalid")
    if host and Site.objects.filter(host=host).exclude(body=body).exists():
        raise Conflict(_("Another site already uses this host name."), code="host_taken")
    if Site.objects.filter(code=code).exclude(body=body).exists():
        raise Conflict(_("Another site already uses this code."), code="code_taken")
    if is_default:
        Site.objects.filter(is_default=True).exclude(body=body).update(is_default=False)
    values = {
        "code": code, "name": name, "host": host, "colour": colour, "logo_text": logo_text[:8],
        "is_default": is_default, "is_active": True,
    }  # fmt: skip
    site = Site.objects.filter(body=body).first()
    created = site is None
    changed = created or any(getattr(site, k) != v for k, v in values.items())
    if created:
        site = Site.objects.create(body=body, **values)
    elif changed:
        Site.objects.filter(pk=site.pk).update(**values)
        site.refresh_from_db()
    columns = content.ensure_public_columns(actor=actor, body=body, items=portal_columns(body))
    for township in townships:
        columns += content.ensure_public_columns(actor=actor, body=township, items=portal_columns(township))
    if not (changed or columns):
        return site  # nothing to do: installing twice changes nothing
    record(
        "portal.site.install" if created else "portal.site.update",
        actor=actor,
        obj=site,
        org_unit=body,
        after={"code": code, "host": host, "columns": columns, "default": is_default},
    )
    bump_bodies([body.pk])
    return site


def live_changed(*, body_id, column_id=None, **kwargs) -> None:
    """The `content.live_changed` hook: the body's pages — and those of the sites above it that show it — are stale."""
    bump_bodies(_with_ancestors(body_id))


def _with_ancestors(body_id) -> list[int]:
    unit = OrgUnit.objects.filter(pk=body_id).only("path").first()
    return unit.ancestor_ids() if unit is not None else [body_id]
