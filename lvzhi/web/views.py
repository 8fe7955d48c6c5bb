from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lvzhi.accounts.permissions import is_administrator
from lvzhi.content import selectors as content_selectors
from lvzhi.content import services as content_services
from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.notify.selectors import inbox_for
from lvzhi.opinions import permissions as opinion_perms
from lvzhi.proposals import selectors as proposal_selectors


@login_required
@require_GET
def home(request):
    """The members' app home: the column tiles of the user's body, the newest items across them, the inbox."""
    user = request.user
    columns, latest, feed = [], [], []
    if not is_administrator(user) and user.unit is not None:
        columns = content_selectors.visible_columns(user)
        if not columns and content_services.ensure_default_columns(actor=None, body=user.unit.body):
            user._content_columns = None  # the body's default set was just installed (S0-5)
            columns = content_selectors.visible_columns(user)
        feed = content_selectors.home_feed(user, limit=8)
        latest = list(inbox_for(user)[:5])
    context = {"columns": columns, "feed": feed, "latest_messages": latest, "work_links": work_links(user)}
    return render(request, "web/home.html", context)


def work_links(user) -> list[dict]:
    """The case-handling modules this user works in: their own reports and items, and the staff queues."""
    if is_administrator(user):
        return []
    links = []
    if opinion_perms.may_write_reports(user):
        links.append({"label": _("My public-opinion reports"), "url": reverse("opinions:mine")})
    if opinion_perms.may_use_queue(user):
        links.append({"label": _("Public-opinion reports to handle"), "url": reverse("opinions:queue")})
    links.append({"label": _("Bills, suggestions and proposals"), "url": reverse("proposals:home")})
    if proposal_selectors.handling_units_of(user):
        links.append({"label": _("Items assigned to my unit"), "url": reverse("proposals:unit_queue")})
    if proposal_selectors.offices_of(user):
        links.append({"label": _("Proposals office"), "url": reverse("proposals:office")})
    return links


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def not_found(request, exception=None):
    error = NotFound()
    if request.path.startswith("/api/"):
        return JsonResponse(error.as_dict(), status=404)
    return render(request, "error.html", {"error": error}, status=404)


def server_error(request):
    error = ApplicationError(_("Something went wrong on our side; it has been logged. Please try again."))
    error.code, error.status = "server_error", 500
    if request.path.startswith("/api/"):
        return JsonResponse(error.as_dict(), status=500)
    return render(request, "error.html", {"error": error}, status=500)
