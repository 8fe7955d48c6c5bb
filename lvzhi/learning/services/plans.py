"""Annual learning plans per body (S4-2.2.6): the hours each member or deputy studies in the year (at least the
body's setting `learning.required_hours_per_year`) and the plan's courses; the liaison office reminds those behind."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.audit.services import record as audit
from lvzhi.core.cache import hit
from lvzhi.core.errors import NotFound, RateLimited, ValidationFailed
from lvzhi.notify.services import notify

from .. import permissions as perm
from .. import rules
from ..models import Course, Plan
from .common import text
from .library import _year

REMINDERS_PER_DAY = 3


@transaction.atomic
def set_plan(*, actor, body, year, title, required_hours, course_ids=()) -> Plan:
    if not perm.may_manage(actor, body):
        raise NotFound()
    year = _year(year)
    floor = rules.required_hours(body)
    try:
        hours = int(required_hours)
    except (TypeError, ValueError):
        hours = 0
    if not floor <= hours <= 1000:
        raise ValidationFailed(
            _("A plan asks for at least the body's %(n)s hours a year.") % {"n": floor}, code="hours_invalid"
        )
    title = text(title, field="title", label=_("The title"), max_length=rules.TITLE_MAX)
    wanted = {int(c) for c in course_ids if str(c).isdigit()}
    courses = list(Course.objects.filter(pk__in=wanted, body=body))
    if len(courses) != len(wanted):
        raise ValidationFailed(_("Only the body's own courses can be in its plan."), code="course_invalid")
    plan = Plan.objects.select_for_update().filter(body=body, year=year).first()
    before = {"hours": plan.required_hours} if plan else None
    if plan is None:
        plan = Plan.objects.create(body=body, year=year, title=title, required_hours=hours, created_by=actor)
    else:
        plan.title, plan.required_hours = title, hours
        plan.save(update_fields=["title", "required_hours"])
    plan.courses.set(courses)
    audit(
        "learning.plan.set",
        actor=actor,
        obj=plan,
        org_unit=body,
        before=before,
        after={"year": year, "hours": hours, "courses": sorted(c.pk for c in courses)},
    )
    return plan


@transaction.atomic
def remind_behind(*, actor, body, year: int, users) -> int:
    """Remind the given members who are behind the plan (the office chose them from the list); at most a few times a
    day per body, so that members are not flooded. Returns how many were reminded."""
    if not perm.may_oversee(actor, body):
        raise NotFound()
    users = list(users)
    if not users:
        raise ValidationFailed(_("Choose whom to remind."), code="nobody_chosen")
    if hit(f"learning:remind:{body.pk}:{year}", window_seconds=86400) > REMINDERS_PER_DAY:
        raise RateLimited(_("Reminders were sent several times today; please try again tomorrow."))
    plan = Plan.objects.filter(body=body, year=year).first()
    hours = plan.required_hours if plan else rules.required_hours(body)
    notify(
        users,
        title=_("Your study hours this year are behind the plan"),
        body=_("The learning plan of %(year)s asks for %(hours)s hours of study. Please keep up with your courses.")
        % {"year": year, "hours": hours},
        link="/learning/",
        event="learning.remind",
    )
    audit("learning.plan.remind", actor=actor, obj=plan, org_unit=body, after={"year": year, "count": len(users)})
    return len(users)
