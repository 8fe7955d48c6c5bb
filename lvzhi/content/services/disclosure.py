"""Disclosure data of a body: its proactive-disclosure catalogue and the default maintainer of a column (S2-18,
S2-19), and its designated repost sources with the repost rule (S2-27).

The repost rule, as a clerk expects it (seed 002 art. 27): a repost names where it comes from — normally one of the
body's designated sources (a list the information office keeps: 新华社, 人民网, the provincial government's site…);
a source that is not on the list may still be used, but the clerk must say why (e.g. "主管单位指定稿源"), and it
is then shown as "other source" to every reviewer. The repost keeps the source's original title: the clerk copies
the original title into its own field and the article's title must be the same text (white space aside).
A repost without a source, without its original title or with a changed title is refused when saved and again
when submitted (the list may have changed in between).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.accounts.models import RoleAssignment
from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.orgs.models import UnitFunction
from lvzhi.orgs.selectors import unit_by_function
from lvzhi.workflow.selectors import users_with_roles

from .. import defaults
from .. import permissions as perms
from ..models import Article, Column, DisclosureCategory, RepostSource

SOURCE_NAME_MAX, SOURCE_SITE_MAX, OTHER_REASON_MAX = 100, 200, 300


# ---- the catalogue and the maintainer (S2-18, S2-19) ----------------------------------------------------------------


def ensure_disclosure_categories(body) -> dict[str, DisclosureCategory]:
    """The body's catalogue, installing the default entries that are missing; {code: category}."""
    existing = {c.code: c for c in DisclosureCategory.objects.filter(body=body)}
    for i, (code, name) in enumerate(defaults.DISCLOSURE_CATEGORIES):
        if code not in existing:
            existing[code] = DisclosureCategory.objects.create(body=body, code=code, name=name, sort_order=(i + 1) * 10)
    return existing


def default_maintainer(body, owners):
    """Who maintains a default column until the information office names another: the first head, else the first
    staff member, of its owning departments (in their order), else the body's information office, else the head or
    staff of its general office (which runs the platform's content where no department does yet), else any
    department head or staff member of the body."""
    for roles in ([Role.HEAD], [Role.STAFF]):
        for unit in owners:
            holders = users_with_roles(unit, roles)
            if holders:
                return holders[0]
    found = (
        RoleAssignment.objects.filter(
            unit__body=body, role=Role.INFO_OFFICE, revoked_at__isnull=True, user__is_active=True, user__is_frozen=False
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if found is not None:
        return found.user
    general = unit_by_function(body, UnitFunction.GENERAL_OFFICE)
    for roles in ([Role.HEAD], [Role.STAFF]):
        holders = users_with_roles(general, roles) if general is not None else []
        if holders:
            return holders[0]
    for role in (Role.HEAD, Role.STAFF):  # last: any department head, then staff, of the body
        found = (
            RoleAssignment.objects.filter(
                unit__body=body, role=role, revoked_at__isnull=True, user__is_active=True, user__is_frozen=False
            )
            .select_related("user")
            .order_by("unit__path", "pk")
            .first()
        )
        if found is not None:
            return found.user
    return None


def check_maintainer(column: Column) -> None:
    if column.maintainer_id is None:
        raise ValidationFailed(_("Every column needs a named maintainer (S2-19)."), code="maintainer_required")


# ---- designated sources (S2-27) -------------------------------------------------------------------------------------


@transaction.atomic
def add_repost_source(*, actor, body, name: str, site: str = "") -> RepostSource:
    """The information office adds a designated source to the body's list (or brings a retired one back)."""
    if not perms.may_admin_sources(actor, body):
        raise NotFound()
    name = clean_text(name, field="name", max_length=SOURCE_NAME_MAX, label=_("The name"))
    site = clean_text(site, field="site", max_length=SOURCE_SITE_MAX, label=_("The web site"), required=False)
    source = RepostSource.objects.select_for_update().filter(body=body, name=name).first()
    if source is not None and source.is_active:
        raise Conflict(_("This source is already on the list."), code="source_exists")
    if source is None:
        source = RepostSource.objects.create(body=body, name=name, site=site, created_by=actor)
        event = "content.source.add"
    else:
        source.is_active, source.site = True, site or source.site
        source.save(update_fields=["is_active", "site"])
        event = "content.source.restore"
    record(event, actor=actor, obj=source, org_unit=body, after={"source": source.pk})
    return source


@transaction.atomic
def retire_repost_source(*, actor, source: RepostSource) -> RepostSource:
    """Take a source off the list; reposts already published keep naming it."""
    source = RepostSource.objects.select_for_update().filter(pk=source.pk).first()
    if source is None or not perms.may_admin_sources(actor, source.body):
        raise NotFound()
    if not source.is_active:
        raise Conflict(_("This source is already retired."), code="source_retired")
    source.is_active = False
    source.save(update_fields=["is_active"])
    record("content.source.retire", actor=actor, obj=source, org_unit=source.body_id, after={"source": source.pk})
    return source


def _source_of(body, value) -> RepostSource | None:
    if value in (None, "", 0):
        return None
    pk = getattr(value, "pk", value)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Choose a source from the list."), code="repost_source_unknown")
    source = RepostSource.objects.filter(pk=pk, body=body, is_active=True).first()
    if source is None:
        raise ValidationFailed(
            _("This source is not on the body's list of designated sources; choose another or name it as another "
              "source with the reason."),
            code="repost_source_unknown",
        )  # fmt: skip
    return source


def apply_repost_fields(article: Article, *, repost_source=None, original_title="", source_other_reason="") -> None:
    """Set the repost fields of the working copy from the author's input, then check the rule (S2-27)."""
    if not article.is_repost:
        article.repost_source, article.original_title, article.source_other_reason = None, "", ""
        return
    article.repost_source = _source_of(article.body, repost_source)
    article.original_title = clean_text(
        original_title, field="original_title", max_length=200, label=_("The original title"), required=False
    )
    article.source_other_reason = clean_text(
        source_other_reason, field="source_other_reason", max_length=OTHER_REASON_MAX, label=_("The reason"),
        required=False,
    )  # fmt: skip
    if article.repost_source is not None:
        article.source, article.source_other_reason = article.repost_source.name, ""
    check_repost(article)


def check_repost(article: Article) -> None:
    """A repost names its source (a designated one, or another with the reason) and keeps the original title."""
    if not article.is_repost:
        return
    source = article.repost_source
    if source is not None and not source.is_active:
        raise ValidationFailed(
            _("The source “%(name)s” has been taken off the list of designated sources; choose another.")
            % {"name": source.name},
            code="repost_source_retired",
        )
    if source is None:
        if not (article.source or "").strip():
            raise ValidationFailed(
                _("A repost must name its source: choose a designated source, or name another source and say why."),
                code="repost_source_required",
            )
        if not (article.source_other_reason or "").strip():
            raise ValidationFailed(
                _("“%(name)s” is not a designated source: say why it may be reposted (e.g. named by the competent "
                  "office).") % {"name": article.source},
                code="repost_other_reason_required",
            )  # fmt: skip
    if not (article.original_title or "").strip():
        raise ValidationFailed(
            _("A repost keeps the original title: copy the source's title into “Original title”."),
            code="repost_original_title_required",
        )
    if " ".join(article.title.split()) != " ".join(article.original_title.split()):
        raise ValidationFailed(
            _("A repost keeps the original title: the title differs from the source's original title “%(title)s”.")
            % {"title": article.original_title},
            code="repost_title_changed",
        )


@transaction.atomic
def fill_missing_maintainers(*, actor=None, unit, role) -> list[str]:
    """The `accounts.role_granted` hook (S2-19): when a body whose columns were installed before it had staff gets
    its first department staff, head or information officer, its columns get their default maintainers at once."""
    if role not in (Role.STAFF, Role.HEAD, Role.INFO_OFFICE) or unit.body_id is None:
        return []
    if not Column.objects.filter(body_id=unit.body_id, maintainer__isnull=True).exists():
        return []
    return assign_default_maintainers(actor=actor, body=unit.body)


def assign_default_maintainers(*, actor=None, body) -> list[str]:
    """Give every column of the body that lacks one its preset disclosure category and its default maintainer
    (S2-18, S2-19): for a body whose columns were installed before its staff existed. Audited per column; returns
    the codes of the columns changed."""
    categories = ensure_disclosure_categories(body)
    changed = []
    for column in Column.objects.select_for_update().filter(body=body).prefetch_related("owners"):
        fields = []
        if column.disclosure_category_id is None:
            column.disclosure_category = categories.get(defaults.category_code(column.code))
            fields.append("disclosure_category")
        if column.maintainer_id is None:
            owners = sorted(column.owners.all(), key=lambda u: (u.sort_order, u.pk))
            column.maintainer = default_maintainer(body, owners)
            if column.maintainer is not None:
                fields.append("maintainer")
        if fields:
            column.save(update_fields=[*fields, "updated_at"])
            record(
                "content.column.defaults",
                actor=actor,
                obj=column,
                org_unit=body,
                after={"maintainer": column.maintainer_id, "category": column.disclosure_category_id},
            )
            changed.append(column.code)
    return changed
