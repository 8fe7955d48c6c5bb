import sys

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lvzhi.accounts.permissions import is_administrator
from lvzhi.consultation import permissions as consult_perms
from lvzhi.consultation import selectors as consult_selectors
from lvzhi.content import selectors as content_selectors
from lvzhi.content.selectors import COLUMNS_KEY
from lvzhi.core import cache
from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.core.health import readiness
from lvzhi.core.middleware import is_database_outage, unavailable_response
from lvzhi.dashboards.scope import scope_of as dashboard_scope
from lvzhi.deliberation import permissions as deliberation_perms
from lvzhi.duty import permissions as duty_perms
from lvzhi.duty import selectors as duty_selectors
from lvzhi.feedback import permissions as feedback_perms
from lvzhi.learning import permissions as learning_perms
from lvzhi.newmedia import permissions as newmedia_perms
from lvzhi.notify.selectors import inbox_for, unread_key
from lvzhi.opinions import permissions as opinion_perms
from lvzhi.opinions import selectors as opinion_selectors
from lvzhi.proposals import selectors as proposal_selectors
from lvzhi.web import todo


@login_required
@require_GET
def home(request):
    """The members' app home: the column tiles of the user's body, the newest items across them, the inbox."""
    user = request.user
    cache.preload_versions(unread_key(user.pk), COLUMNS_KEY, cache.WRITES_KEY)  # one round trip for the page
    columns, latest, feed = [], [], []
    if not is_administrator(user) and user.unit is not None:
        columns = content_selectors.visible_columns(user)  # installed when the body was created: a GET never writes
        feed = content_selectors.home_feed(user, limit=8)
        latest = list(inbox_for(user)[:5])
    context = {"columns": columns, "feed": feed, "latest_messages": latest, **work_context(user)}
    return render(request, "web/home.html", context)


def work_context(user) -> dict:
    """The work links, the queues and the user's own open cases (home page, 待办).

    Derived from many modules' tables (roles, profiles, reports, items, deadlines, articles): kept per user and
    language under the version of `cache.WRITES_KEY`, which every audited write bumps on commit; every change to
    these inputs is audited in its transaction. The time left is worked out on every visit (it follows the clock).
    """

    def compute():
        if is_administrator(user) or user.unit is None:
            return {"work_links": work_links(user), "queues": [], "cases": []}
        return {"work_links": work_links(user), "queues": todo.queues_for(user), "cases": todo.open_cases(user)}

    kept = cache.cached(cache.WRITES_KEY, compute, timeout=600, variant=("web.work", user.pk, get_language()))
    return {"work_links": kept["work_links"], "queues": kept["queues"], "my_cases": todo.case_rows(kept["cases"])}


@login_required
@require_GET
def todo_page(request):
    """待办: every queue with something in it and the user's own open cases with their time limits."""
    return render(request, "web/todo.html", work_context(request.user))


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
    links.extend(duty_links(user))
    links.append({"label": _("My feedback"), "url": reverse("feedback:mine")})
    if feedback_perms.handles_any(user):
        links.append({"label": _("Feedback log"), "url": reverse("feedback:office")})
    links.extend(deliberation_links(user))
    links.extend(consultation_links(user))

    if newmedia_perms.is_registry_user(user):
        links.append({"label": _("Government new media"), "url": reverse("newmedia:matrix")})
        links.append({"label": _("Website and new-media monitoring"), "url": reverse("monitoring:mine")})
    links.extend(learning_links(user))
    if dashboard_scope(user):
        links.append({"label": _("Dashboards"), "url": reverse("dashboards:index")})
    return links


def learning_links(user) -> list[dict]:
    """委员学习 for everyone working in or belonging to a body; 学习管理 for its keepers and liaison office."""

    if not learning_perms.user_bodies(user):
        return []
    links = [{"label": _("Learning"), "url": reverse("learning:home")}]
    if learning_perms.manager_bodies(user):
        links.append({"label": _("Manage learning"), "url": reverse("learning:office")})
    return links


def deliberation_links(user) -> list[dict]:
    """网络议政 for the committees that host topics (the members reach it from the column tile)."""

    if deliberation_perms.committees_of(user):
        return [{"label": _("Deliberation topics of the committee"), "url": reverse("deliberation:manage")}]
    return []


def duty_links(user) -> list[dict]:
    """我的履职 for members and deputies; 履职管理 for the offices, committees and leaders of a body."""

    links = []
    if duty_selectors.my_bodies(user):
        links.append({"label": _("My duty"), "url": reverse("duty:mine")})
    body = duty_selectors.body_of_user(user)
    if body is not None and duty_perms.may_manage(user, body):
        links.append({"label": _("Duty management"), "url": reverse("duty:manage")})
    return links


def consultation_links(user) -> list[dict]:
    """远程协商 for every member and office of a body; the information office's applications queue."""

    body = consult_selectors.body_of_user(user)
    if body is None:
        return []
    links = [{"label": _("Remote consultation"), "url": reverse("consultation:meetings")}]
    if consult_perms.may_see_queue(user, body):
        links.append({"label": _("Video-conference applications"), "url": reverse("consultation:office")})
    return links


@require_GET
def healthz(request):
    """Liveness: the process answers. It touches nothing else (a database outage must not restart the servers)."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def readyz(request):
    """Readiness for the load balancer: database, cache and task queue reachable (200), or not (503)."""

    ready, checks = readiness()
    body = {"status": "ready" if ready else "unavailable", "checks": checks}
    response = JsonResponse(body, status=200 if ready else 503)
    response["Cache-Control"] = "no-store"
    return response


def not_found(request, exception=None):
    error = NotFound()
    if request.path.startswith("/api/"):
        return JsonResponse(error.as_dict(), status=404)
    return render(request, "error.html", {"error": error}, status=404)


def server_error(request):

    exception = sys.exc_info()[1]  # Django calls this handler while handling the exception
    if is_database_outage(exception):  # raised outside a view (session or user load): still a clear 503
        return unavailable_response(request, exception)
    error = ApplicationError(_("Something went wrong on our side; it has been logged. Please try again."))
    error.code, error.status = "server_error", 500
    if request.path.startswith("/api/"):
        return JsonResponse(error.as_dict(), status=500)
    return render(request, "error.html", {"error": error}, status=500)


@login_required
@require_GET
def search(request):
    """One search box for what the user may see, grouped by kind: articles (the search index), bills, suggestions
    and proposals, and public-opinion reports (each permission-filtered, newest first, at most 10 of a kind)."""

    user = request.user
    query = " ".join(str(request.GET.get("q") or "").split())[:100]
    groups = []
    if query and not is_administrator(user):
        articles = content_selectors.page_of(content_selectors.search_articles(user, query), 1, 10, reader=user)
        groups = [
            {"key": "articles", "label": _("Articles"), "items": list(articles.items), "more": articles.has_next},
            {
                "key": "proposals",
                "label": _("Bills, suggestions and proposals"),
                "items": proposal_selectors.search_items(user, query),
            },
            {
                "key": "reports",
                "label": _("Public-opinion reports"),
                "items": opinion_selectors.search_reports(user, query),
            },
        ]
    found = any(g["items"] for g in groups)
    return render(request, "web/search.html", {"query": query, "groups": groups, "found": found})
