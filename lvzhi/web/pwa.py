"""The members' app on the phone (issue 19): the web app manifest, the service worker, the offline page, the key that
encrypts offline drafts and the QR scanner page.

The service worker is served from the site's root (`/sw.js`) so that its scope is the whole app; its cache name
carries a hash of the app-shell files, so a new release replaces the old shell. Which pages it may keep, and for how
long, is decided in `static/lvzhi/js/sw.js`; logout clears everything it kept (`Clear-Site-Data`, see
`accounts.views.logout_view`, and `app.js`).
"""

import base64
import functools
import hashlib
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

ICON_SIZES = (48, 72, 96, 128, 144, 152, 192, 256, 384, 512)
SHELL_STATIC = ("lvzhi/css/app.css", "lvzhi/js/app.js", "lvzhi/js/confirm.js", "lvzhi/icons/icon-192.png")
DRAFT_KEY_SALT = "lvzhi.pwa.drafts"
OWNER_SALT = "lvzhi.pwa.owner"


def owner_tag(user) -> str:
    """A stable, meaningless tag of the signed-in user: offline drafts and kept pages are labelled with it, so a
    different user on the same phone never sees or sends them."""
    return salted_hmac(OWNER_SALT, str(user.pk)).hexdigest()[:16]


def draft_key(user) -> bytes:
    """The AES-256 key that encrypts this user's offline drafts on the device. Derived, not stored: the same user
    gets the same key after a new login (drafts written before an idle logout can still be sent), a password change
    gives a new one."""
    return salted_hmac(DRAFT_KEY_SALT, f"{user.pk}:{user.get_session_auth_hash()}", algorithm="sha256").digest()


@functools.cache
def _shell_version() -> str:
    """A hash of the app-shell files and the worker itself: a release that changes any of them installs anew."""
    digest = hashlib.sha256()
    for name in (*SHELL_STATIC, "lvzhi/js/sw.js"):
        path = finders.find(name)
        if path:
            with open(path, "rb") as fh:
                digest.update(fh.read())
    return digest.hexdigest()[:12]


@require_GET
def manifest(request):
    icons = [
        {
            "src": static(f"lvzhi/icons/icon-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any",
        }
        for size in ICON_SIZES
    ]
    icons.append(
        {"src": static("lvzhi/icons/maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"}
    )
    shortcuts = [
        (pgettext("app shortcut", "Write a public-opinion report"), _("Report"), reverse("opinions:new")),
        (_("To do"), _("To do"), reverse("web:todo")),
        (_("Messages"), _("Messages"), reverse("notify:inbox")),
        (_("Scan to check in"), _("Scan"), reverse("web:scan")),
    ]
    body = {
        "id": "/",
        "name": _("Lvzhi"),
        "short_name": _("Lvzhi"),
        "description": _("Lvzhi duty platform"),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/?source=app",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#b71c1c",
        "icons": icons,
        "shortcuts": [
            {"name": name, "short_name": short, "url": url, "icons": [icons[6] | {"purpose": "any"}]}
            for name, short, url in shortcuts
        ],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json; charset=utf-8"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def service_worker(request):
    path = finders.find("lvzhi/js/sw.js")
    with open(path, encoding="utf-8") as fh:
        code = fh.read()
    shell = [reverse("web:offline"), *(static(name) for name in SHELL_STATIC)]
    code = code.replace("__VERSION__", _shell_version()).replace("__SHELL__", json.dumps(shell))
    code = code.replace("__OFFLINE__", json.dumps(reverse("web:offline")))
    code = code.replace("__MAX_AGE__", str(int(settings.SESSION_COOKIE_AGE)))
    response = HttpResponse(code, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # the browser checks for a new worker on every visit
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico: send them to the static file (its hashed name in production, looked up now, not
    at import, so `check --deploy` runs before `collectstatic`)."""
    return HttpResponsePermanentRedirect(static("lvzhi/favicon.ico"))


@require_GET
def offline(request):
    """The page shown for a page never opened before while there is no signal: no personal data, so it is cached
    for everyone with the app shell."""
    response = HttpResponse(render_to_string("web/offline.html"))  # no request: no context processor, no user
    response["Cache-Control"] = "public, max-age=3600"
    return response


@never_cache
@login_required
@require_GET
def key(request):
    """The offline-draft key of the signed-in user (see `draft_key`), with the owner tag the drafts carry."""
    return JsonResponse({"key": base64.b64encode(draft_key(request.user)).decode(), "owner": owner_tag(request.user)})


@login_required
@require_GET
def scan(request):
    """Scan a QR code with the phone's camera (a meeting's check-in, a deputy's page): the page opens what the code
    points to on this site, and refuses any other address."""
    return render(request, "web/scan.html")
