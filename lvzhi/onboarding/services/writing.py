"""Writing one checked row through the foundation's services (each audited): the account (no usable password until
one is issued; `must_change_password`), the member or deputy role at the body, the profile (sector, party,
committee, delegation, term, workplace), the contact station and the term roll. A row that finds everything as it
says changes nothing (`unchanged`)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import MemberProfile, RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.core.errors import Conflict
from lvzhi.deputies import services as deputy_services
from lvzhi.notify.services import send_sms
from lvzhi.orgs import services as org_services
from lvzhi.orgs.models import BodyType, OrgUnit
from lvzhi.proposals.services import history

from ..models import ImportJob, RowResult, TermRoll
from ..rows import Context, Row

PROFILE_FIELDS = ("sector_id", "committee_id", "delegation_id", "term", "workplace", "party")


def member_role(body: OrgUnit) -> str:
    return Role.DEPUTY if body.body_type == BodyType.CONGRESS else Role.MEMBER


def _profile_values(c: dict) -> tuple:
    return (
        getattr(c["sector"], "pk", None),
        getattr(c["committee"], "pk", None),
        getattr(c["delegation"], "pk", None),
        c["term"],
        c["workplace"],
        c["party"],
    )


def preload(ctx: Context, rows: list[Row]) -> None:
    """The batch's stored roles and profiles at the body, two queries for the batch instead of two per row."""
    users = [r.user.pk for r in rows if r.user is not None]
    role = member_role(ctx.body)
    ctx.roles_held = set(
        RoleAssignment.objects.filter(user_id__in=users, role=role, unit=ctx.body, revoked_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    ctx.profiles = {p.user_id: p for p in MemberProfile.objects.filter(user_id__in=users, body=ctx.body)}
    ctx.rolls = []


def create_new_members(*, actor, ctx: Context, rows: list[Row]) -> set[int]:
    """The batch's rows for people without an account, created in bulk (`accounts.services.create_members`).
    Returns the row numbers done; the rest (or all, when the bulk insert meets a number taken meanwhile) are
    written one by one. Rows with a contact station or an SMS go one by one too."""
    new = [r for r in rows if r.user is None and not r.problems and r.clean.get("station") is None]
    if not new:
        return set()
    people = [{k: r.clean[k] for k in ("phone", "real_name", "id_card", "sector", "committee", "delegation", "term",
                                        "workplace", "party")} for r in new]  # fmt: skip
    try:
        with transaction.atomic():
            users = account_services.create_members(
                actor=actor, body=ctx.body, role=member_role(ctx.body), people=people
            )
    except IntegrityError:
        return set()
    for row, user in zip(new, users, strict=True):
        row.created = user
        ctx.rolls.append(TermRoll(body=ctx.body, term=row.clean["term"], user=user))
    return {r.number for r in new}


def _changed(outcome: str) -> str:
    return outcome if outcome == RowResult.Outcome.CREATED else RowResult.Outcome.UPDATED


def write_member(*, actor, ctx: Context, row: Row, send_sms: bool = False):
    """Needs `check_against_accounts` and `preload` run on the row's batch (`row.user`, the batch's roles)."""
    c, body = row.clean, ctx.body
    user = row.user
    outcome = RowResult.Outcome.UNCHANGED
    if user is None:
        user = account_services.create_user(
            actor=actor, phone=c["phone"], real_name=c["real_name"], unit=body, initial_password=None,
            id_card=c["id_card"],
        )  # fmt: skip
        outcome = RowResult.Outcome.CREATED
    elif c["id_card"] and not user.id_card:
        account_services.update_user(
            actor=actor, user=user, real_name=user.real_name, phone=user.phone, unit=user.unit or body,
            email=user.email, title=user.title, id_card=c["id_card"],
        )  # fmt: skip
        outcome = RowResult.Outcome.UPDATED
    if user.pk not in ctx.roles_held:
        account_services.grant_role(actor=actor, user=user, role=member_role(body), unit=body)
        outcome = _changed(outcome)
    profile = ctx.profiles.get(user.pk)
    if profile is None or tuple(getattr(profile, f) for f in PROFILE_FIELDS) != _profile_values(c):
        profile = account_services.set_member_profile(
            actor=actor, user=user, body=body, sector=c["sector"], committee=c["committee"],
            delegation=c["delegation"], term=c["term"], workplace=c["workplace"], party=c["party"],
        )  # fmt: skip
        outcome = _changed(outcome)
    if not profile.is_active:
        account_services.reactivate_member_profile(actor=actor, profile=profile)
        outcome = _changed(outcome)
    station = c.get("station")
    if station is not None and deputy_services.add_station_deputy(actor=actor, station=station, deputy=user):
        outcome = _changed(outcome)
    ctx.rolls.append(TermRoll(body=body, term=c["term"], user=user))
    if send_sms and outcome == RowResult.Outcome.CREATED:
        password = account_services.issue_initial_password(actor=actor, user=user)
        send_sms_text(user, body, password)
    return outcome, user


def save_rolls(ctx: Context) -> None:
    """The batch's term-roll entries, one insert (the ones already there are left as they are)."""
    TermRoll.objects.bulk_create(ctx.rolls, ignore_conflicts=True)
    ctx.rolls = []


def send_sms_text(user: User, body: OrgUnit, password: str) -> None:
    text = _(
        "%(body)s has opened your Lvzhi account: log in with your mobile number and the initial password "
        "%(password)s, then choose your own."
    ) % {"body": body.name, "password": password}
    send_sms(phone=user.phone, text=text)


def write_staff(*, actor, ctx: Context, row: Row, send_sms: bool = False):
    """A staff row: the account at its unit (created without a usable password, `must_change_password`, or found
    by its number), then the role at the unit unless held. Needs `staff.check_staff_accounts` run on the batch.
    Every write goes through the audited accounts services; `grant_role` re-checks 三员分立 under the user's lock."""
    c = row.clean
    user, outcome = row.user or ctx.staff_created.get(c["phone"]), RowResult.Outcome.UNCHANGED
    if user is None:
        user = account_services.create_user(
            actor=actor, phone=c["phone"], real_name=c["real_name"], unit=c["unit"], initial_password=None,
            id_card=c["id_card"], title=c["title"],
        )  # fmt: skip
        ctx.staff_created[user.phone] = user  # the person's next row (another role) finds the account
        outcome = RowResult.Outcome.CREATED
    elif c["id_card"] and not user.id_card:
        account_services.update_user(
            actor=actor, user=user, real_name=user.real_name, phone=user.phone, unit=user.unit or c["unit"],
            email=user.email, title=user.title or c["title"], id_card=c["id_card"],
        )  # fmt: skip
        outcome = RowResult.Outcome.UPDATED
    if (c["role"], c["unit"].pk) not in ctx.staff_roles_held.get(user.pk, ()):
        account_services.grant_role(actor=actor, user=user, role=c["role"], unit=c["unit"])
        ctx.staff_roles_held.setdefault(user.pk, set()).add((c["role"], c["unit"].pk))
        outcome = _changed(outcome)
    if send_sms and outcome == RowResult.Outcome.CREATED:
        send_sms_text(user, ctx.body, account_services.issue_initial_password(actor=actor, user=user))
    return outcome, user


def write_past_proposal(*, actor, ctx: Context, row: Row, send_sms: bool = False):
    """A past year's item, closed, through `proposals.services.history` (no workflow, no notification)."""
    c = row.clean
    item = history.PastItem(
        body=ctx.body, kind=c["kind"], year=c["year"], number=c["number"], title=c["title"], content=c["content"],
        category=c["category"], proposer=c["proposer"], cosigners=c["cosigners"], lead_unit=c["lead_unit"],
        co_units=c["co_units"], submitted_at=c["submitted"], replied_at=c["replied"], reply=c["reply"],
        classification=c["classification"], rating=c["rating"], public=c["public"],
    )  # fmt: skip
    outcome, proposal = history.record_past_item(actor=actor, item=item)
    return outcome, proposal


def write_unit(*, actor, ctx: Context, row: Row, send_sms: bool = False):
    c, body = row.clean, ctx.body
    parent = body
    if c["parent"]:
        parent = ctx.units_by_name.get(ctx.code_names.get(c["parent"], c["parent"]))
        if parent is None:
            raise Conflict(_("The parent unit was not imported."), code="parent_missing")
    existing = ctx.units_by_name.get(c["name"])
    if existing is not None:
        if existing.kind != c["kind"] or existing.parent_id != parent.pk:
            raise Conflict(
                _("A unit of this name exists elsewhere in the tree or of another kind."), code="unit_differs"
            )
        return RowResult.Outcome.UNCHANGED, existing
    unit = org_services.create_unit(
        actor=actor, name=c["name"], kind=c["kind"], parent=parent, short_name=c["short_name"]
    )
    ctx.units_by_name[unit.name] = unit
    return RowResult.Outcome.CREATED, unit


def close_term(*, actor, job: ImportJob) -> int:
    """换届: the replaced term's members not on the new list leave (profile ended, role revoked, records kept); every
    roll entry of the old term is closed. Returns how many left."""
    new_users = set(_job_users(job))
    leavers = MemberProfile.objects.filter(body=job.body, term=job.replaces_term, is_active=True).exclude(
        user_id__in=new_users
    )
    left = 0
    for profile in leavers.select_related("user", "body"):
        account_services.end_member_profile(
            actor=actor, profile=profile, reason=_("Term %(term)s closed.") % {"term": job.replaces_term}
        )
        TermRoll.objects.get_or_create(body=job.body, term=job.replaces_term, user=profile.user)
        left += 1
    TermRoll.objects.filter(body=job.body, term=job.replaces_term, is_current=True).update(
        is_current=False, closed_at=timezone.now()
    )
    return left


def _job_users(job: ImportJob):
    return RowResult.objects.filter(
        job=job, outcome__in=[RowResult.Outcome.CREATED, RowResult.Outcome.UPDATED, RowResult.Outcome.UNCHANGED]
    ).values_list("object_id", flat=True)
