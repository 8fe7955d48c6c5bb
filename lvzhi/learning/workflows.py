"""A course's life: draft → published (members study it) → retired (kept for the record, no longer offered)."""

from django.utils.translation import gettext_lazy as _

from lvzhi.workflow import Transition, Workflow
from lvzhi.workflow.declaration import DENY_FORBIDDEN

from .models import Course
from .permissions import may_manage

S = Course.Status


def _manages(user, course) -> bool:
    return may_manage(user, course.body)


COURSE_FLOW = Workflow(
    "learning.course",
    model=Course,
    states=S,
    initial=S.DRAFT,
    transitions=[
        Transition(
            "publish",
            sources=[S.DRAFT],
            target=S.PUBLISHED,
            allowed=_manages,
            denied=DENY_FORBIDDEN,
            label=_("Publish the course"),
        ),
        Transition(
            "retire",
            sources=[S.PUBLISHED],
            target=S.RETIRED,
            allowed=_manages,
            denied=DENY_FORBIDDEN,
            label=_("Retire the course"),
        ),
    ],
    org_unit=lambda c: c.body,
    link=lambda c: f"/learning/courses/{c.pk}/",
    title=lambda c: c.title,
    label=_("Course"),
)
