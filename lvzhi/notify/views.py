"""The in-app inbox: list, a message (a GET changes nothing), follow (POST: marks read and goes to the item), mark
all read, the unread badge (htmx). Taking a step on the item a message points to marks it read too
(`services.acted_on`, called by `workflow.transition`)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services

PAGE_SIZE = 20


@login_required
@require_GET
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    paginator = Paginator(selectors.inbox_for(request.user, unread_only=unread_only), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "notify/inbox.html",
        {"page": page, "unread_only": unread_only, "has_unread": selectors.unread_count(request.user) > 0},
    )


def _local(request, link: str) -> bool:
    return (
        bool(link)
        and link.startswith("/")
        and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()})
    )


@login_required
@require_GET
def open_message(request, message_id: int):
    """The message itself (reading it changes nothing: marking read is a POST)."""
    message = selectors.access_message(request.user, message_id)
    return render(request, "notify/message.html", {"message": message, "has_link": _local(request, message.link)})


@login_required
@require_POST
def follow(request, message_id: int):
    """Mark the message read and go to what it is about (the message page when it has no local link)."""
    message = services.mark_read(user=request.user, message_id=message_id)
    if _local(request, message.link):
        return redirect(message.link)
    return redirect("notify:open", message_id=message.pk)


@login_required
@require_POST
def read_all(request):
    services.mark_all_read(user=request.user)
    return redirect("notify:inbox")


@login_required
@require_GET
def badge(request):
    """The unread badge, for `hx-get` polling from the page shell."""
    return render(request, "notify/_badge.html", {"unread_count": selectors.unread_count(request.user)})
