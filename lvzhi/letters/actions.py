"""The steps on a public message: one table for the web page and the API (`POST /api/v1/letters/{id}/steps/{name}`),
on the shared `lvzhi.workflow.steps` kit. Publishing is not a state of the workflow: plain steps with their own
predicates."""

from django.utils.translation import gettext_lazy as _

from lvzhi.workflow.steps import Step, StepTable, from_flow

from . import permissions as perm
from . import services
from .models import Letter
from .workflows import LETTER_FLOW

P = Letter.Publication
S = Letter.Status
ANSWERED = (S.ANSWERED, S.PASSED_ON, S.CLOSED)


def _pending(user, letter) -> bool:
    return letter.publication == P.PENDING and perm.may_publish(user, letter)


def _may_propose(user, letter) -> bool:
    return (
        letter.status in ANSWERED
        and letter.publication in (P.NONE, P.REFUSED)
        and perm.may_propose_publication(user, letter)
    )


STEPS = StepTable(
    from_flow(
        LETTER_FLOW,
        "answer",
        lambda a, o, d: services.answer_letter(
            actor=a, letter=o, reply=d.get("reply"), public_reply=d.get("public_reply", "")
        ),
        fields=("reply", "public_reply"),
    ),
    from_flow(
        LETTER_FLOW,
        "forward",
        lambda a, o, d: services.forward_letter(actor=a, letter=o, unit_id=d.get("unit"), note=d.get("note", "")),
        fields=("unit", "note"),
        style="secondary",
    ),
    from_flow(
        LETTER_FLOW,
        "pass_on",
        lambda a, o, d: services.pass_on(actor=a, letter=o, passed_as=d.get("passed_as"), note=d.get("note", "")),
        fields=("passed_as", "note"),
    ),
    from_flow(
        LETTER_FLOW,
        "close",
        lambda a, o, d: services.close_letter(actor=a, letter=o, result=d.get("result")),
        fields=("result",),
    ),
    from_flow(
        LETTER_FLOW,
        "decline",
        lambda a, o, d: services.decline_letter(actor=a, letter=o, reason=d.get("reason")),
        fields=("reason",),
        style="danger",
    ),
    Step(
        "propose_public",
        _("Propose a public reply"),
        run=lambda a, o, d: services.propose_public_reply(actor=a, letter=o, public_reply=d.get("public_reply")),
        available=_may_propose,
        fields=("public_reply",),
        style="secondary",
    ),
    Step(
        "publish",
        _("Publish the public reply"),
        run=lambda a, o, d: services.review_publication(actor=a, letter=o, publish=True),
        available=_pending,
    ),
    Step(
        "refuse_publication",
        _("Do not publish"),
        run=lambda a, o, d: services.review_publication(actor=a, letter=o, publish=False),
        available=_pending,
        style="secondary",
    ),
)
