"""The members' app on the phone: the manifest, the service worker, the offline page, the draft key, the session tag
that bounds what the phone keeps, logout clearing the device, and page weights on a slow network."""

import gzip
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from lvzhi.accounts import services as account_services
from lvzhi.opinions.tests.conftest import build_world
from lvzhi.testing import login
from lvzhi.web.pwa import ICON_SIZES, draft_key, owner_tag


@pytest.fixture
def w(db):
    return build_world()


@pytest.mark.req("S4-2.3")
def test_the_manifest_makes_the_app_installable_with_its_shortcuts(client, w):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["short_name"] == "履职" and manifest["display"] == "standalone" and manifest["scope"] == "/"
    assert manifest["theme_color"] == "#b71c1c" and manifest["start_url"].startswith("/")
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["purpose"] == "any"}
    assert sizes == {f"{s}x{s}" for s in ICON_SIZES}
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]
    shortcuts = {s["name"]: s["url"] for s in manifest["shortcuts"]}
    assert shortcuts == {"写社情民意": "/opinions/new/", "待办": "/todo/", "消息": "/inbox/", "扫码签到": "/scan/"}
    login(client, w.member)
    page = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page and "lvzhi/js/app.js" in page


@pytest.mark.req("S4-2.3", "S0-3")
def test_the_service_worker_is_served_from_the_root_with_its_shell(client, w):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/" and response["Cache-Control"] == "no-cache"
    code = response.content.decode()
    assert "__VERSION__" not in code and "__SHELL__" not in code and "__MAX_AGE__" not in code
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", code).group(1))
    assert "/offline/" in shell and "/static/lvzhi/css/app.css" in shell
    assert re.search(r'const SHELL_CACHE = "lvzhi-shell-" \+ VERSION', code)
    # what the worker must never keep
    for prefix in ("/api/", "/accounts/", "/backoffice/"):
        assert f'"{prefix}"' in code


@pytest.mark.req("S0-4")
def test_the_offline_page_holds_no_personal_data_even_when_fetched_signed_in(client, w):
    login(client, w.member)
    response = client.get("/offline/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "无网络连接" in page and w.member.real_name not in page and w.member.phone not in page
    assert "csrfmiddlewaretoken" not in page


@pytest.mark.req("S0-4", "S2-37")
def test_the_draft_key_is_the_users_own_and_changes_with_the_password(client, w):
    assert client.get("/app/draft-key").status_code == 302  # signed out: to the login page
    login(client, w.member)
    response = client.get("/app/draft-key")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["owner"] == owner_tag(w.member) != owner_tag(w.co)
    assert len(draft_key(w.member)) == 32 and draft_key(w.member) != draft_key(w.co)
    before = draft_key(w.member)
    account_services.change_password(actor=w.member, user=w.member, new_password="Xinmima#2026go")
    w.member.refresh_from_db()
    assert draft_key(w.member) != before


@pytest.mark.req("S0-4", "S2-37")
def test_pages_carry_a_session_tag_and_logout_clears_the_device(client, w):
    assert "X-Lvzhi-Session" not in client.get("/accounts/login/")
    login(client, w.member)
    first = client.get("/")["X-Lvzhi-Session"]
    assert first == client.get("/opinions/")["X-Lvzhi-Session"] and len(first) == 16
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Clear-Site-Data"] == '"cache", "storage"'
    login(client, w.member)
    assert client.get("/")["X-Lvzhi-Session"] != first  # a new login: the phone drops what it kept


PAGES = ["/", "/opinions/", "/opinions/new/", "/proposals/", "/inbox/", "/todo/", "/scan/"]


@pytest.mark.req("S4-2.3")
def test_every_page_of_the_app_weighs_under_100_kb_compressed(client, w):
    """HTML + CSS + JS of each page, gzip-compressed, under 100 KB: usable on a slow network."""
    login(client, w.member)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        total = len(gzip.compress(response.content))
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+\.(?:js|css))"', html):
            with open(finders.find(asset.removeprefix("/static/")), "rb") as fh:
                total += len(gzip.compress(fh.read()))
        assert total < 100 * 1024, (path, total)


@pytest.mark.req("S4-2.3")
def test_static_files_get_hashed_names_in_production_so_they_can_be_kept_a_year(tmp_path, settings):
    """collectstatic with production's storage: every file referenced from CSS/JS exists (else it fails) and each
    name carries its content hash."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("lvzhi/js/app.js", "lvzhi/css/app.css", "lvzhi/vendor/jsqr/jsQR.min.js"):
        stem, ext = name.rsplit(".", 1)
        assert re.fullmatch(rf"{re.escape(stem)}\.[0-9a-f]{{12}}\.{ext}", paths[name]), paths[name]


@pytest.mark.req("S4-2.3", "S0-4")
def test_no_request_blocks_the_first_paint_and_the_policy_stays_strict(client, w):
    """Scripts are deferred (none inline: the CSP forbids them), the one stylesheet is our own, nothing comes from
    another origin, and the content security policy allows only this origin, with no inline code."""
    login(client, w.member)
    for path in PAGES:
        response = client.get(path)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "style-src 'self';" in policy and "unsafe" not in policy, path
        head = response.content.decode().split("</head>", 1)[0]
        scripts = re.findall(r"<script\b[^>]*>", head)
        assert scripts and all(re.search(r'\bsrc="/static/', s) and re.search(r"\b(defer|async)\b", s) for s in scripts)
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', head)
        assert sheets == ["/static/lvzhi/css/app.css"], (path, sheets)
        assert not re.search(r'(?:src|href)="(?:https?:)?//', response.content.decode()), path


@pytest.mark.req("S4-2.3", "S0-3")
def test_the_app_shell_answers_without_touching_the_database(client, w, django_assert_num_queries):
    """The browser checks /sw.js on every navigation (and fetches the manifest and the offline page): no session or
    user lookup, so a phone's update check never waits on, or holds up, the database."""
    login(client, w.member)
    for path in ("/sw.js", "/manifest.webmanifest", "/offline/"):
        with django_assert_num_queries(0):
            response = client.get(path)
        assert response.status_code == 200 and "X-Lvzhi-Session" not in response, path
