"""`{% pager page %}`: the one pager of every list page (templates/_pager.html).

Works with a Django `Page` (numbered: "Page 2 of 5") and with any page that has `has_previous`/`has_next`/
`previous_page`/`next_page`/`page` (counted-free slices: "Page 2"). The links keep the request's other query
parameters (filters, tabs, the search words) and change only `page`. `newest_first=True` labels the links
"Newer"/"Older" instead of "Previous"/"Next".
"""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _href(request, number: int) -> str:
    params = request.GET.copy() if request is not None else None
    if params is None:
        return f"?page={number}"
    params["page"] = str(number)
    return "?" + params.urlencode()


def _flag(value) -> bool:
    """Django's Page has has_previous()/has_next() methods; a slice may have plain attributes."""
    return bool(value() if callable(value) else value)


@register.inclusion_tag("_pager.html", takes_context=True)
def pager(context, page, newest_first: bool = False):
    request = context.get("request")
    numbered = hasattr(page, "paginator")
    previous = next_ = None
    if page is not None and _flag(page.has_previous):
        previous = _href(request, page.previous_page_number() if numbered else page.previous_page)
    if page is not None and _flag(page.has_next):
        next_ = _href(request, page.next_page_number() if numbered else page.next_page)
    return {
        "show": bool(previous or next_),
        "previous": previous,
        "next": next_,
        "number": page.number if numbered else getattr(page, "page", 1),
        "total": page.paginator.num_pages if numbered else None,
        "previous_label": _("Newer") if newest_first else _("Previous"),
        "next_label": _("Older") if newest_first else _("Next"),
    }
