"""The steps a user can take on a topic, a 专报 or a follow-up: one table each for the web pages and the API
(`POST /api/v1/deliberation/<topics|reports|followups>/{id}/steps/{name}`), on the shared `lvzhi.workflow.steps`
kit. Each step says who may take it now and which service it calls; the services check again."""

from django.utils.translation import gettext_lazy as _

from lvzhi.workflow.steps import Step, StepTable, from_flow

from . import permissions as perm
from . import services
from .workflows import FOLLOWUP_FLOW, REPORT_FLOW, TOPIC_FLOW

TOPIC_STEPS = StepTable(
    from_flow(
        TOPIC_FLOW,
        "submit",
        lambda a, t, d: services.submit_topic(actor=a, topic=t, note=d.get("text")),
        label=_("Submit for approval"),
    ),
    from_flow(
        TOPIC_FLOW,
        "approve",
        lambda a, t, d: services.approve_topic(actor=a, topic=t, note=d.get("text")),
        label=_("Approve the topic"),
        text=_("Note (optional)"),
    ),
    from_flow(
        TOPIC_FLOW,
        "return",
        lambda a, t, d: services.return_topic(actor=a, topic=t, note=d.get("text")),
        label=_("Return for changes"),
        text=_("Reason"),
        text_required=True,
        style="danger",
    ),
    from_flow(
        TOPIC_FLOW,
        "publish",
        lambda a, t, d: services.publish_topic(actor=a, topic=t),
        label=_("Publish and invite the members"),
        confirm=_("Publish the topic and send the notice to every member?"),
    ),
    Step(
        "remind",
        _("Remind those who have not taken part"),
        run=lambda a, t, d: services.remind_absent(actor=a, topic=t),
        available=lambda u, t: perm.discussion_open(t) and perm.works_at(u, t.committee),
        style="secondary",
    ),
    from_flow(
        TOPIC_FLOW,
        "close",
        lambda a, t, d: services.close_topic(actor=a, topic=t),
        label=_("Close the discussion"),
        style="secondary",
    ),
    from_flow(
        TOPIC_FLOW,
        "held",
        lambda a, t, d: services.meeting_held(actor=a, topic=t),
        label=_("The meeting was held"),
        style="secondary",
    ),
)

REPORT_STEPS = StepTable(
    from_flow(
        REPORT_FLOW,
        "submit",
        lambda a, r, d: services.submit_report(actor=a, report=r, note=d.get("text")),
        label=_("Submit to the committee head"),
    ),
    from_flow(
        REPORT_FLOW,
        "approve",
        lambda a, r, d: services.approve_report(actor=a, report=r, note=d.get("text")),
        label=_("Approve the special report"),
        text=_("Note (optional)"),
    ),
    from_flow(
        REPORT_FLOW,
        "return",
        lambda a, r, d: services.return_report(actor=a, report=r, note=d.get("text")),
        label=_("Return for changes"),
        text=_("Reason"),
        text_required=True,
        style="danger",
    ),
    from_flow(
        REPORT_FLOW,
        "send",
        lambda a, r, d: services.send_report(actor=a, report=r),
        label=_("Send to the leaders"),
    ),
)

FOLLOWUP_STEPS = StepTable(
    from_flow(
        FOLLOWUP_FLOW,
        "done",
        lambda a, f, d: services.complete_followup(actor=a, followup=f, outcome=d.get("text")),
        label=_("Record the outcome and tell the members"),
        text=_("Outcome"),
        text_required=True,
    ),
)

TABLES = {"topic": TOPIC_STEPS, "report": REPORT_STEPS, "followup": FOLLOWUP_STEPS}


def available_actions(user, obj, table: str):
    return TABLES[table].available(user, obj)


def perform(*, actor, obj, table: str, name: str, data: dict):
    return TABLES[table].perform(actor=actor, obj=obj, name=name, data=data)
