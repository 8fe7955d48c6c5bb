"""The in-app inbox: list, open (marks read, follows the link), mark all read, the unread badge (htmx)."""

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


@login_required
@require_GET
def open_message(request, message_id: int):
    """Opening a message marks it read and goes to what it is about; a message without a (local) link is shown."""
    message = services.mark_read(user=request.user, message_id=message_id)
    link = message.link
    if link and link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return render(request, "notify/message.html", {"message": message})


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
