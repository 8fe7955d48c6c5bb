"""Writing one checked row through the foundation's services (each audited): the account (no usable password until
one is issued; `must_change_password`), the member or deputy role at the body, the profile (sector, party,
committee, delegation, term, workplace), the contact station and the term roll. A row that finds everything as it
says changes nothing (`unchanged`)."""

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


def write_member(*, actor, ctx: Context, row: Row, send_sms: bool = False):
    c, body = row.clean, ctx.body
    user = row.user or User.objects.filter(phone=c["phone"]).first()
    outcome = RowResult.Outcome.UNCHANGED
    if user is None:
        user = account_services.create_user(
            actor=actor,
            phone=c["phone"],
            real_name=c["real_name"],
            unit=body,
            initial_password=None,
            id_card=c["id_card"],
        )
        outcome = RowResult.Outcome.CREATED
    elif c["id_card"] and not user.id_card:
        account_services.update_user(
            actor=actor,
            user=user,
            real_name=user.real_name,
            phone=user.phone,
            unit=user.unit or body,
            email=user.email,
            title=user.title,
            id_card=c["id_card"],
        )
        outcome = RowResult.Outcome.UPDATED
    role = member_role(body)
    if not RoleAssignment.objects.filter(user=user, role=role, unit=body, revoked_at__isnull=True).exists():
        account_services.grant_role(actor=actor, user=user, role=role, unit=body)
        outcome = outcome if outcome == RowResult.Outcome.CREATED else RowResult.Outcome.UPDATED
    profile = MemberProfile.objects.filter(user=user, body=body).first()
    if profile is None or tuple(getattr(profile, f) for f in PROFILE_FIELDS) != _profile_values(c):
        profile = account_services.set_member_profile(
            actor=actor,
            user=user,
            body=body,
            sector=c["sector"],
            committee=c["committee"],
            delegation=c["delegation"],
            term=c["term"],
            workplace=c["workplace"],
            party=c["party"],
        )
        outcome = outcome if outcome == RowResult.Outcome.CREATED else RowResult.Outcome.UPDATED
    if not profile.is_active:
        account_services.reactivate_member_profile(actor=actor, profile=profile)
        outcome = outcome if outcome == RowResult.Outcome.CREATED else RowResult.Outcome.UPDATED
    if c.get("station") is not None and deputy_services.add_station_deputy(
        actor=actor, station=c["station"], deputy=user
    ):
        outcome = outcome if outcome == RowResult.Outcome.CREATED else RowResult.Outcome.UPDATED
    TermRoll.objects.get_or_create(body=body, term=c["term"], user=user)
    if send_sms and outcome == RowResult.Outcome.CREATED:
        password = account_services.issue_initial_password(actor=actor, user=user)
        send_sms_text(user, body, password)
    return outcome, user


def send_sms_text(user: User, body: OrgUnit, password: str) -> None:
    text = _(
        "%(body)s has opened your Lvzhi account: log in with your mobile number and the initial password "
        "%(password)s, then choose your own."
    ) % {"body": body.name, "password": password}
    send_sms(phone=user.phone, text=text)


def write_unit(*, actor, ctx: Context, row: Row):
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
