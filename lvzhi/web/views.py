from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lvzhi.accounts.permissions import is_administrator
from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.notify.selectors import inbox_for
from lvzhi.orgs.selectors import body_setting

from .columns import default_columns


@login_required
@require_GET
def home(request):
    user = request.user
    columns, latest = [], []
    if not is_administrator(user) and user.unit is not None:
        columns = body_setting(user.unit, "web.columns") or default_columns(user.unit.body_type)
        latest = list(inbox_for(user)[:5])
    return render(request, "web/home.html", {"columns": columns, "latest_messages": latest})


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
