"""What the draft form of a bill, suggestion or proposal says (issue 10 item 8): a title naming what it creates, and
the co-signing rule of the body it goes to — a CPPCC member never reads the congress's rule on bills."""

from django.utils.translation import gettext as _

from .models import Kind
from .permissions import kinds_for
from .rules import rule


def page_title(body, kind: str = "", *, editing: bool = False) -> str:
    """新建提案 / 新建议案 / 新建建议, or 新建议案或建议 before a congress deputy chooses; 修改…草稿 when editing."""
    kinds = [str(k) for k in kinds_for(body)] if body is not None else []
    if kind not in kinds:
        kind = kinds[0] if len(kinds) == 1 else ""
    if editing:
        titles = {
            Kind.BILL: _("Edit the draft bill"),
            Kind.SUGGESTION: _("Edit the draft suggestion"),
            Kind.PROPOSAL: _("Edit the draft proposal"),
        }
        return str(titles.get(kind, _("Edit draft")))
    titles = {Kind.BILL: _("New bill"), Kind.SUGGESTION: _("New suggestion"), Kind.PROPOSAL: _("New proposal")}
    if kind:
        return str(titles[kind])
    return _("New bill or suggestion") if Kind.BILL in kinds else _("New item")


def cosigning_rules(body) -> list[str]:
    """The co-signing rules of `body`'s kinds, from its settings, in words."""
    if body is None:
        return []
    kinds = kinds_for(body)
    lines = []
    if Kind.BILL in kinds:
        needed = rule(body, "proposals.bill_min_signers")
        if rule(body, "proposals.bill_by_delegation"):
            lines.append(
                _("A bill needs %(n)s deputies (the proposer included) to sign it, or a deputy delegation.")
                % {"n": needed}
            )
        else:
            lines.append(_("A bill needs %(n)s deputies (the proposer included) to sign it.") % {"n": needed})
        if rule(body, "proposals.bill_needs_session"):
            lines.append(_("Bills are submitted only while the session is in progress."))
    if Kind.SUGGESTION in kinds:
        lines.append(_("A suggestion may come from one deputy or from several together."))
    if Kind.PROPOSAL in kinds:
        lines.append(_("A proposal may come from one member or from several members together."))
    lines.append(_("Co-signers confirm in the app before you submit."))
    return lines


def context(form, *, proposal=None, kind: str = "") -> dict:
    body = proposal.body if proposal is not None else getattr(form, "chosen_body", None)
    if form.is_bound:
        kind = form.data.get("kind", kind)
    elif proposal is not None:
        kind = proposal.kind
    return {
        "page_title": page_title(body, kind or "", editing=proposal is not None),
        "cosigning_rules": cosigning_rules(body),
    }
