"""The steps on a course (publish, retire): one table for the course page and the API."""

from lvzhi.workflow.steps import StepTable, from_flow

from . import services
from .workflows import COURSE_FLOW

STEPS = StepTable(
    from_flow(COURSE_FLOW, "publish", lambda a, c, d: services.publish_course(actor=a, course=c)),
    from_flow(COURSE_FLOW, "retire", lambda a, c, d: services.retire_course(actor=a, course=c), style="secondary"),
)
