"""The bare Django page of `make bench`: the yardstick every Lvzhi page is measured against (issue 12).

A minimal view that reads 20 rows with the ORM and renders them in a template, behind Django's own session,
authentication and CSRF middleware (plus security and common), served by the same server process, with the same
settings, database, cache and session engine as Lvzhi's pages. Only Lvzhi's own middleware (account policy,
OTP, locale, messages, htmx, error pages, security headers) is left out: that is the overhead being measured.

`bench.wsgi` mounts it at BARE_PATH in front of `lvzhi.wsgi`; nothing of it is part of the deployed site.
"""

from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpResponse
from django.template import Engine, RequestContext
from django.test.utils import override_settings
from django.urls import path

BARE_PATH = "/bench/bare/"
BARE_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
AUTH_PROCESSORS = ["django.contrib.auth.context_processors.auth"]
TEMPLATE = """<!doctype html>
<html lang="zh-hans"><head><meta charset="utf-8"><title>bare</title></head>
<body><p>{{ user.get_username }}</p>
<form method="post">{% csrf_token %}</form>
<table>{% for unit in units %}<tr><td>{{ unit.id }}</td><td>{{ unit.name }}</td><td>{{ unit.path }}</td></tr>
{% endfor %}</table></body></html>"""


_template = None


def bare_view(request):
    global _template
    from lvzhi.orgs.models import OrgUnit

    if _template is None:  # compiled once per process, as Django's cached template loader does for real pages
        # Django's stock context processors (request, auth, CSRF), not Lvzhi's page-shell processor
        engine = Engine(context_processors=["django.template.context_processors.request", *AUTH_PROCESSORS])
        _template = engine.from_string(TEMPLATE)
    units = list(OrgUnit.objects.order_by("path")[:20])
    return HttpResponse(_template.render(RequestContext(request, {"units": units})))


urlpatterns = [path(BARE_PATH.strip("/") + "/", bare_view)]


def _bare_urlconf(get_response):
    def middleware(request):
        request.urlconf = __name__  # this module's one URL, not Lvzhi's
        return get_response(request)

    return middleware


class BareHandler(WSGIHandler):
    """Django's WSGI handler built with BARE_MIDDLEWARE instead of settings.MIDDLEWARE."""

    def load_middleware(self, is_async=False):
        with override_settings(MIDDLEWARE=[f"{__name__}._bare_urlconf", *BARE_MIDDLEWARE]):
            super().load_middleware(is_async)
