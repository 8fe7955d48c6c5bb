"""Setting up a body's site: the site row and the body's public columns (the standing committee's portal columns
for a people's congress; townships below a county get theirs on the county's site)."""

import re

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.content import selectors as content_selectors
from lvzhi.content import services as content
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.orgs.models import OrgUnit

from ..columns import portal_columns
from ..models import Site
from ..pagecache import bump_bodies
from ..selectors import platform_hosts

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


EDITABLE = ("code", "name", "host", "colour", "logo_text", "navigation", "contact", "is_active")


def _navigation(body, codes) -> list[str]:
    """Column codes in the order given, each a public top-level column of the body; unknown codes are refused."""
    columns = content_selectors.columns_of_body(body).prefetch_related(None).select_related(None)
    known = set(columns.filter(audience="public", parent__isnull=True).values_list("code", flat=True))
    result = []
    for code in codes or ():
        code = str(code).strip()
        if code and code not in result:
            if code not in known:
                raise ValidationFailed(_("Choose the menu from the site's public columns."), code="navigation_invalid")
            result.append(code)
    return result


@transaction.atomic
def update_site(*, actor, site: Site, **values) -> Site:
    """The office's (or the system administrator's) edit of a site: name, path code, host name, colour, logo text,
    menu (column codes in order), contact line, on/off. Every value checked; audited with before and after."""
    site = Site.objects.select_for_update().select_related("body").get(pk=site.pk)
    new = {k: values.get(k, getattr(site, k)) for k in EDITABLE}
    new["code"] = slugify(str(new["code"] or ""))[:30]
    if not new["code"]:
        raise ValidationFailed(_("Give the site a code (letters, digits, hyphens)."), code="code_required")
    new["name"] = clean_text(new["name"], field="name", max_length=60, label=_("Name"))
    new["host"] = _host(new["host"])
    if new["host"] and new["host"] in platform_hosts():
        raise ValidationFailed(_("This host name is the platform's own; give the site another."), code="host_invalid")
    if not re.match(r"^#[0-9a-fA-F]{6}$", str(new["colour"] or "")):
        raise ValidationFailed(_("Give the colour as #RRGGBB."), code="colour_invalid")
    new["colour"] = new["colour"].lower()
    new["logo_text"] = clean_text(
        new["logo_text"], field="logo_text", max_length=8, label=_("Logo text"), required=False
    )
    new["contact"] = clean_text(new["contact"], field="contact", max_length=300, label=_("Contact"), required=False)
    new["navigation"] = _navigation(site.body, new["navigation"])
    new["is_active"] = bool(new["is_active"])
    if not new["is_active"] and site.is_default:
        raise ValidationFailed(_("The default site cannot be switched off."), code="default_site_active")
    if new["host"] and Site.objects.filter(host=new["host"]).exclude(pk=site.pk).exists():
        raise Conflict(_("Another site already uses this host name."), code="host_taken")
    if Site.objects.filter(code=new["code"]).exclude(pk=site.pk).exists():
        raise Conflict(_("Another site already uses this code."), code="code_taken")
    before = {k: getattr(site, k) for k in EDITABLE}
    changed = [k for k in EDITABLE if before[k] != new[k]]
    if not changed:
        return site
    for key in changed:
        setattr(site, key, new[key])
    site.save(update_fields=changed)
    record(
        "portal.site.edit",
        actor=actor,
        obj=site,
        org_unit=site.body,
        before={k: before[k] for k in changed},
        after={k: new[k] for k in changed},
    )
    bump_bodies([site.body_id])
    return site
