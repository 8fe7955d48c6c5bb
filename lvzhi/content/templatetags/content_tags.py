from django import template
from django.utils.translation import gettext as _

from lvzhi.accounts.roles import Role
from lvzhi.content import fragments
from lvzhi.content import permissions as perms
from lvzhi.content.services import checklist_questions
from lvzhi.orgs.models import UnitFunction
from lvzhi.workflow.declaration import get_workflow

register = template.Library()


@register.inclusion_tag("content/_nav.html", takes_context=True)
def content_nav(context, active=""):
    """The content section's navigation: columns for readers, work entries for staff."""
    user = context["request"].user
    return {
        "active": active,
        "column_links": fragments.column_links(user, "content/_column_links.html", active=active),
        "may_write": perms.may_write(user),
        "may_register": perms.may_see_register(user),
        "may_reports": perms.may_use_report_queue(user),
        "may_columns": bool(perms.column_admin_body_ids(user)),
        "may_sources": bool(perms.oversight_body_ids(user, (Role.INFO_OFFICE,))) and perms._authenticated(user),
        "may_response": bool(perms.urgent_report_body_ids(user)),
        "query": context.get("query", ""),
    }


@register.simple_tag(takes_context=True)
def column_tiles(context):
    """The home page's column tiles (cached per column scope, see lvzhi.content.fragments)."""
    return fragments.column_links(context["request"].user, "web/_column_tiles.html")


@register.filter
def role_label(code):
    try:
        return Role(code).label
    except ValueError:
        return code


@register.filter
def function_label(code):
    """An office function as words (研究室, 宣传处…), not its code."""
    return dict(UnitFunction.choices).get(code, code)


@register.filter
def answer_label(value):
    return {"yes": _("Yes"), "no": _("No"), "na": _("Not applicable")}.get(value, value or "—")


@register.filter
def duration(seconds):
    """Seconds as “1小时2分” / “3分5秒”."""
    seconds = int(seconds or 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    if minutes:
        return _("%(m)d min %(s)d s") % {"m": minutes, "s": secs}
    return _("%(s)d s") % {"s": secs}


@register.simple_tag
def checklist_rows(checklist):
    return [(question, (checklist or {}).get(key, "")) for key, question in checklist_questions()]


@register.filter
def event_label(event):
    """A workflow event as words: the transition's label, or “created” for the start."""
    from .. import workflows  # noqa: F401  (declares the content workflows)

    wf = get_workflow(event.workflow)
    if wf is not None:
        for t in wf.transitions:
            if t.name == event.transition:
                return f"{t.label} → {wf.state_label(event.to_state)}"
        created = _("Created")
        return f"{created} → {wf.state_label(event.to_state)}"
    return event.transition
