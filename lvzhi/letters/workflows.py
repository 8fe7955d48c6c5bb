"""The public message: received → (forwarded to the competent department) → answered → concluded with a result;
a deputy may pass it on as a suggestion or a public-opinion report (passed on → concluded); a message outside the
platform's remit or abusive is declined. The answer limit runs from receipt in working days, per kind of message
(`rules.CEILINGS`, a body setting each); `lvzhi tick` reminds the answering unit and escalates to its head."""

from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import Role
from lvzhi.workflow import DeadlineRule, Transition, Workflow
from lvzhi.workflow.declaration import DENY_FORBIDDEN

from . import permissions as perm
from . import rules
from .models import Letter

S = Letter.Status
ANSWER = "answer"


def _answer_rule(kind: str) -> DeadlineRule:
    return DeadlineRule(
        ANSWER,
        setting=rules.days_key(kind),
        responsible=lambda letter: letter.unit,
        setting_from=lambda letter: letter.body,
        notify_roles=(Role.STAFF, Role.NM_OPERATOR),
        escalate_roles=(Role.HEAD, Role.NM_EDITOR),
        label=_("Answer the public message"),
        applies=lambda letter, kind=kind: letter.kind == kind,
    )


LETTER_FLOW = Workflow(
    "letters.letter",
    model=Letter,
    states=S,
    initial=S.RECEIVED,
    starts=[_answer_rule(kind) for kind in rules.CEILINGS],
    transitions=[
        Transition(
            "forward",
            sources=[S.RECEIVED],
            target=S.FORWARDED,
            allowed=perm.may_handle,
            denied=DENY_FORBIDDEN,
            label=_("Forward to the competent department"),
        ),
        Transition(
            "answer",
            sources=[S.RECEIVED, S.FORWARDED],
            target=S.ANSWERED,
            allowed=perm.may_answer,
            denied=DENY_FORBIDDEN,
            ends=[ANSWER],
            label=_("Answer the writer"),
        ),
        Transition(
            "pass_on",
            sources=[S.RECEIVED, S.FORWARDED, S.ANSWERED],
            target=S.PASSED_ON,
            allowed=perm.may_pass_on,
            denied=DENY_FORBIDDEN,
            ends=[ANSWER],
            label=_("Pass on as a suggestion or public-opinion report"),
        ),
        Transition(
            "close",
            sources=[S.ANSWERED, S.PASSED_ON],
            target=S.CLOSED,
            allowed=perm.may_handle,
            denied=DENY_FORBIDDEN,
            label=_("Conclude with a result"),
        ),
        Transition(
            "decline",
            sources=[S.RECEIVED],
            target=S.REJECTED,
            allowed=perm.may_handle,
            denied=DENY_FORBIDDEN,
            ends=[ANSWER],
            label=_("Decline"),
        ),
    ],
    org_unit=lambda letter: letter.unit,
    link=lambda letter: f"/letters/{letter.pk}/",
    title=lambda letter: letter.title,
    label=_("Public message"),
    due_field="next_due_at",
)
