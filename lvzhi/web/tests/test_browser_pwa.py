"""The members' app on a phone in real Chromium: installable (manifest, service worker), a report written without
signal is filed exactly once when the signal returns (a retry sends nothing more), logout leaves no kept page and no
draft on the phone, and the camera scanner opens a meeting's check-in from a QR code (Chromium's fake camera)."""

import io
import re
import time

import pytest
import segno
from PIL import Image

from lvzhi.core.timeutil import local_date
from lvzhi.duty import services as duty_services
from lvzhi.duty.models import Attendance
from lvzhi.duty.tests.conftest import build_world as duty_world
from lvzhi.opinions.models import Report
from lvzhi.opinions.tests.conftest import HOTLINE_TEXT
from lvzhi.opinions.tests.conftest import build_world as opinions_world
from lvzhi.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN", "is_mobile": True}

DRAFTS = """() => new Promise((resolve) => {
  const open = indexedDB.open("lvzhi", 1);
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains("drafts")) { resolve([]); return; }
    const all = db.transaction("drafts").objectStore("drafts").getAll();
    all.onsuccess = () => resolve(all.result.map((d) => ({id: d.id, state: d.state, owner: d.owner})));
  };
  open.onerror = () => resolve([]);
})"""
KEPT_PAGES = "() => caches.open('lvzhi-pages').then((c) => c.keys()).then((k) => k.map((r) => new URL(r.url).pathname))"


def log_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=phone]", user.phone)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def ready(page):
    """The worker is active and controls the page (a page loaded before it claimed clients is loaded again)."""
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("() => !!navigator.serviceWorker.controller"):
        page.reload()
    page.wait_for_function("() => !!navigator.serviceWorker.controller", polling=100)


def wait_kept(page, path):
    for _ in range(50):
        if path in page.evaluate(KEPT_PAGES):
            return
        time.sleep(0.1)
    raise AssertionError(f"{path} was not kept: {page.evaluate(KEPT_PAGES)}")


def write_offline(page, base, title, content):
    page.goto(f"{base}/opinions/new/")
    page.fill("input[name=title]", title)
    page.fill("textarea[name=content]", content)
    page.select_option("select[name=category]", "sudden_problem")
    page.click("[data-testid=submit]")
    page.wait_for_function("() => !document.querySelector('[data-testid=sync-notice]').hidden")


@pytest.mark.req("S4-2.3", "S0-3", "S0-16", "S0-4")
def test_a_report_written_without_signal_is_filed_once_when_the_signal_returns(live_server, browser):
    w = opinions_world()
    base = live_server.url
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, w.member)
    assert page.locator("link[rel=manifest]").get_attribute("href") == "/manifest.webmanifest"
    ready(page)
    page.goto(f"{base}/opinions/new/")
    wait_kept(page, "/opinions/new/")
    page.goto(f"{base}/opinions/")
    wait_kept(page, "/opinions/")

    context.set_offline(True)
    page.goto(f"{base}/opinions/")  # a page opened before: read from the phone, with its age
    banner = page.get_by_test_id("offline-banner")
    assert banner.is_visible() and "离线" in banner.inner_text() and "保存于" in banner.inner_text()
    write_offline(page, base, "村道塌方需尽快修复", HOTLINE_TEXT)
    assert "恢复网络后自动发送" in page.get_by_test_id("sync-notice").inner_text()
    drafts = page.evaluate(DRAFTS)
    assert len(drafts) == 1 and drafts[0]["state"] == "waiting"
    assert not Report.objects.exists()
    # kept encrypted: the stored record holds no readable text of the report
    raw = page.evaluate("""() => new Promise((r) => { indexedDB.open("lvzhi", 1).onsuccess = (e) => {
        const all = e.target.result.transaction("drafts").objectStore("drafts").getAll();
        all.onsuccess = () => r(JSON.stringify(Object.values(all.result[0]).map(String))); }; })""")
    assert "村道塌方" not in raw and "红绿灯" not in raw
    # keep a copy of the stored draft to send it again later, as a phone would whose answer was lost
    page.evaluate("""() => new Promise((r) => { indexedDB.open("lvzhi", 1).onsuccess = (e) => {
        const all = e.target.result.transaction("drafts").objectStore("drafts").getAll();
        all.onsuccess = () => { window.__copy = all.result[0]; r(true); }; }; })""")

    context.set_offline(False)
    page.wait_for_function("() => document.querySelector('[data-testid=sync-notice]').innerText.includes('已发送')")
    assert "村道塌方需尽快修复" in page.get_by_test_id("sync-notice").inner_text()
    report = Report.objects.get()
    assert report.title == "村道塌方需尽快修复" and report.author == w.member and report.status == "submitted"
    assert page.evaluate(DRAFTS) == []

    # the same draft sent again (same key): the server replays the first answer and files nothing
    page.evaluate("""() => new Promise((r) => { indexedDB.open("lvzhi", 1).onsuccess = (e) => {
        const tx = e.target.result.transaction("drafts", "readwrite");
        tx.objectStore("drafts").put(window.__copy); tx.oncomplete = () => r(true); }; })""")
    page.reload()
    page.wait_for_function(f"() => ({DRAFTS})().then((d) => d.length === 0)")
    assert Report.objects.count() == 1
    context.close()


@pytest.mark.req("S0-4", "S2-37")
def test_logout_leaves_no_kept_page_and_no_draft_on_the_phone(live_server, browser):
    w = opinions_world()
    base = live_server.url
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, w.member)
    ready(page)
    for path in ("/opinions/new/", "/opinions/"):
        page.goto(f"{base}{path}")
        wait_kept(page, path)
    context.set_offline(True)
    write_offline(page, base, "太短的稿", "太短")  # the server will send it back: it stays on the phone to correct
    context.set_offline(False)
    page.wait_for_function(f"() => ({DRAFTS})().then((d) => d.length === 1 && d[0].state === 'fix')")
    assert not Report.objects.exists()

    page.click("form[action$='/accounts/logout/'] button")
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))
    assert page.evaluate(DRAFTS) == []
    assert "lvzhi-pages" not in page.evaluate("() => caches.keys()")
    ready(page)  # the login page installs the worker again: what does it show without signal?
    context.set_offline(True)
    page.goto(f"{base}/opinions/")
    assert "无网络连接" in page.content()  # the offline page, not the member's list kept before logout
    assert w.member.real_name not in page.content()
    context.close()


def _y4m(text: str, path):
    """A one-frame YUV4MPEG2 video of the QR code of `text`, for Chromium's fake camera."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=10, border=4)
    code = Image.open(io.BytesIO(out.getvalue())).convert("L")
    frame = Image.new("L", (640, 480), 255)
    code.thumbnail((440, 440))
    frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    y = frame.tobytes()
    uv = bytes([128]) * (320 * 240)
    path.write_bytes(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\nFRAME\n" + y + uv + uv)


@pytest.mark.req("S3-6", "S4-2.3")
def test_the_camera_scanner_opens_a_meetings_check_in_from_its_qr_code(live_server, launch_chromium, tmp_path):
    w = duty_world()
    event = duty_services.open_event(
        actor=w.econ_staff, organiser=w.econ, title="经济委员会全体会议", day=local_date(), invitee_ids=[w.m1.pk]
    )
    url = f"{live_server.url}/duty/checkin/{event.pk}/?t={duty_services.qr_token(event)}"
    video = tmp_path / "qr.y4m"
    _y4m(url, video)
    browser = launch_chromium(
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    )
    page = browser.new_context(**PHONE, permissions=["camera"]).new_page()
    log_in(page, live_server.url, w.m1)
    page.goto(f"{live_server.url}/scan/")
    page.wait_for_url(re.compile(r".*/duty/checkin/\d+/.*"), timeout=20000)
    assert "签到成功" in page.get_by_test_id("checkin-result").inner_text()
    assert Attendance.objects.get(event=event, member=w.m1).status == "present"
