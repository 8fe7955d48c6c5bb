"""The members' app on a phone in real Chromium, beyond the report (test_browser_pwa.py): a proposal draft and a
deliberation post written without signal are each filed exactly once; a deputy's QR code opens the message form to
that deputy (with jsQR, and with the browser's own BarcodeDetector where there is one), a code of another site is
never opened; a photo is made smaller on the phone before upload; the install offer shows once, on the home page
only; a browser without service workers (WeChat's built-in one) gets the plain site and files a report as usual."""

import io
import re
import time

import pytest
from PIL import Image

from lvzhi.accounts.roles import Role
from lvzhi.deliberation.models import Post
from lvzhi.deliberation.tests.conftest import build_world as deliberation_world
from lvzhi.deliberation.tests.conftest import published
from lvzhi.letters.tests.conftest import build_world as letters_world
from lvzhi.opinions.models import Report
from lvzhi.opinions.tests.conftest import HOTLINE_TEXT
from lvzhi.opinions.tests.conftest import build_world as opinions_world
from lvzhi.orgs.models import BodyType
from lvzhi.proposals.models import Proposal
from lvzhi.testing import make_body, make_unit, make_user

from .test_browser_pwa import DRAFTS, PHONE, _y4m, log_in, ready, wait_kept

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COPY = """() => new Promise((r) => { indexedDB.open("lvzhi", 1).onsuccess = (e) => {
    const all = e.target.result.transaction("drafts").objectStore("drafts").getAll();
    all.onsuccess = () => { window.__copy = all.result[0]; r(true); }; }; })"""
PUT_BACK = """() => new Promise((r) => { indexedDB.open("lvzhi", 1).onsuccess = (e) => {
    const tx = e.target.result.transaction("drafts", "readwrite");
    tx.objectStore("drafts").put(window.__copy); tx.oncomplete = () => r(true); }; })"""


def phone(browser, **extra):
    context = browser.new_context(**PHONE, **extra)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    return context, page, problems


def offline_round_trip(page, base, path, fill, model):
    """Open `path` online (the phone keeps it), lose the signal, write on the kept copy, get the signal back: filed
    once, the member is told what was sent; the same draft sent again files nothing."""
    page.goto(f"{base}{path}")
    wait_kept(page, path)
    page.context.set_offline(True)
    page.goto(f"{base}{path}")  # the copy kept on the phone
    page.wait_for_selector("[data-testid=offline-banner]:not([hidden])")
    fill(page)
    page.wait_for_function("() => !document.querySelector('[data-testid=sync-notice]').hidden")
    assert "恢复网络后自动发送" in page.get_by_test_id("sync-notice").inner_text()
    drafts = page.evaluate(DRAFTS)
    assert len(drafts) == 1 and drafts[0]["state"] == "waiting" and not model.objects.exists()
    page.evaluate(COPY)
    page.context.set_offline(False)
    page.wait_for_function("() => document.querySelector('[data-testid=sync-notice]').innerText.includes('已发送')")
    notice = page.get_by_test_id("sync-notice").inner_text()
    assert model.objects.count() == 1 and page.evaluate(DRAFTS) == []
    page.evaluate(PUT_BACK)  # as a phone whose answer was lost would send it again, with the same key
    page.reload()
    page.wait_for_function(f"() => ({DRAFTS})().then((d) => d.length === 0)")
    assert model.objects.count() == 1
    return notice


@pytest.mark.req("S4-2.3", "S4-2.2", "S0-3")
def test_a_proposal_draft_written_without_signal_is_saved_once(live_server, browser):
    congress = make_body("测试市人大常委会", body_type=BodyType.CONGRESS)
    make_unit(congress, "人代会议案办", function="proposals_office")
    deputy = make_user(congress, roles=[Role.DEPUTY], real_name="鲁志强")
    context, page, problems = phone(browser)
    log_in(page, live_server.url, deputy)
    ready(page)

    def fill(page):
        page.select_option("select[name=kind]", "suggestion")
        page.fill("input[name=title]", "关于增设社区托育点的建议")
        page.fill("textarea[name=content]", "双职工家庭托育需求大，建议每个街道至少设一个普惠托育点。")
        page.select_option("select[name=category]", "社会建设")
        page.fill("input[name=keywords]", "托育 社区")
        page.check("input[name=disclosure_consent]")
        page.click("main [data-testid=draft-form] button[type=submit]")

    notice = offline_round_trip(page, live_server.url, "/proposals/new/", fill, Proposal)
    proposal = Proposal.objects.get()
    assert proposal.title == "关于增设社区托育点的建议" and proposal.proposer_id == deputy.pk
    assert proposal.title in notice and problems == []
    context.close()


@pytest.mark.req("S4-2.3", "S0-12.2", "S0-3")
def test_a_deliberation_post_written_without_signal_is_posted_once(live_server, browser):
    w = deliberation_world()
    topic = published(w)
    context, page, problems = phone(browser)
    log_in(page, live_server.url, w.m1)
    ready(page)

    def fill(page):
        page.fill("[data-testid=post-form] textarea[name=text]", "建议推行企业开办一网通办，压缩审批时限。")
        page.click("[data-testid=post-form] button[type=submit]")

    notice = offline_round_trip(page, live_server.url, f"/deliberation/topics/{topic.pk}/", fill, Post)
    post = Post.objects.get()
    assert post.author_id == w.m1.pk and post.topic_id == topic.pk and "一网通办" in post.text
    assert "我的意见" in notice and problems == []
    context.close()


def _y4m_of(png: bytes, path):
    """A one-frame YUV4MPEG2 video of a QR code image, for Chromium's fake camera."""
    code = Image.open(io.BytesIO(png)).convert("L")
    frame = Image.new("L", (640, 480), 255)
    code.thumbnail((440, 440))
    frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    uv = bytes([128]) * (320 * 240)
    path.write_bytes(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\nFRAME\n" + frame.tobytes() + uv + uv)


def _scan(launch_chromium, tmp_path, base, user, code, init_script=None):
    """Open the scanner on a phone whose camera sees `code` (a text to encode, or the PNG of a printed code)."""
    video = tmp_path / "qr.y4m"
    if isinstance(code, bytes):
        _y4m_of(code, video)
    else:
        _y4m(code, video)
    browser = launch_chromium(
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    )
    page = browser.new_context(**PHONE, permissions=["camera"]).new_page()
    if init_script:
        page.add_init_script(init_script)
    log_in(page, base, user)
    page.goto(f"{base}/scan/")
    return page


@pytest.mark.req("S4-2.2.1", "S4-2.3")
def test_scanning_a_deputys_qr_code_opens_the_message_form_to_that_deputy(
    live_server, client, launch_chromium, tmp_path
):
    """The camera sees the very code the deputy's page offers for printing (its PNG, fetched from the server)."""
    w = letters_world()
    base = live_server.url
    printed = client.get(f"/deputies/{w.page.pk}/qr.png", HTTP_HOST=base.removeprefix("http://"))
    assert printed.status_code == 200 and printed["Content-Type"] == "image/png"
    page = _scan(launch_chromium, tmp_path, base, w.deputy2, printed.content)
    page.wait_for_url(re.compile(rf".*/letters/write/\?deputy={w.page.pk}&via=qr"), timeout=20000)
    assert "俞大山" in page.get_by_test_id("letter-to").inner_text()
    assert page.locator("input[name=deputy]").get_attribute("value") == str(w.page.pk)


FAKE_DETECTOR = """
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code"]; }
  async detect() { return [{rawValue: "%s"}]; }
};
"""


@pytest.mark.req("S4-2.2.1", "S4-2.3")
def test_the_browsers_barcode_detector_is_used_where_there_is_one(live_server, launch_chromium, tmp_path):
    """The camera shows another site's code (jsQR would refuse it); the browser's detector reads the deputy's code:
    the page that opens proves which reader was used."""
    w = letters_world()
    base = live_server.url
    target = f"{base}/letters/write/?deputy={w.page.pk}&via=qr"
    page = _scan(launch_chromium, tmp_path, base, w.deputy2, "https://phish.example/x", FAKE_DETECTOR % target)
    page.wait_for_url(re.compile(r".*/letters/write/.*via=qr"), timeout=20000)
    assert "俞大山" in page.get_by_test_id("letter-to").inner_text()


@pytest.mark.req("S2-37", "S4-2.3")
def test_a_code_of_another_site_is_shown_never_opened(live_server, launch_chromium, tmp_path):
    w = letters_world()
    page = _scan(launch_chromium, tmp_path, live_server.url, w.deputy2, "https://phish.example/login")
    page.wait_for_function("() => document.querySelector('[data-testid=scan-status]').innerText.includes('phish')")
    assert "不是本平台" in page.get_by_test_id("scan-status").inner_text()
    time.sleep(1)  # several more frames read: still here
    assert page.url.endswith("/scan/")


def _big_photo() -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (4000, 3000))
    for x in range(0, 4000, 50):  # not one colour: a real photo's weight
        image.paste((x % 255, (x * 7) % 255, 90), (x, 0, x + 50, 3000))
    image.save(out, format="JPEG", quality=95)
    return out.getvalue()


@pytest.mark.req("S4-2.3", "S0-16")
def test_a_photo_is_made_smaller_on_the_phone_before_upload(live_server, browser, tmp_path):
    w = opinions_world()
    base = live_server.url
    context, page, problems = phone(browser)
    log_in(page, base, w.member)
    page.goto(f"{base}/opinions/new/")
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(_big_photo())
    page.set_input_files("input[name=photos]", str(photo))
    page.wait_for_selector("input[name=photos][data-resized]", state="attached")
    size = page.evaluate("""() => { const f = document.querySelector("input[name=photos]").files[0];
        return createImageBitmap(f).then((b) => [b.width, b.height, f.size, f.type, f.name]); }""")
    assert size[:2] == [1600, 1200] and size[2] < photo.stat().st_size and size[3] == "image/jpeg"
    page.fill("input[name=title]", "村道塌方需尽快修复")
    page.fill("textarea[name=content]", HOTLINE_TEXT)
    page.select_option("select[name=category]", "sudden_problem")
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    report = Report.objects.get()
    assert [(a.width, a.height) for a in report.attachments.all()] == [(1600, 1200)] and problems == []
    context.close()


BEFORE_INSTALL = """() => { const e = new Event("beforeinstallprompt", {cancelable: true});
    e.prompt = () => { window.__prompted = true; }; window.dispatchEvent(e); return e.defaultPrevented; }"""


@pytest.mark.req("S4-2.3")
def test_the_install_offer_shows_once_and_only_on_the_home_page(live_server, browser):
    w = opinions_world()
    base = live_server.url
    context, page, problems = phone(browser)
    log_in(page, base, w.member)
    page.wait_for_load_state("load")
    offer = page.get_by_test_id("install-offer")
    assert offer.is_hidden()
    page.evaluate(BEFORE_INSTALL)
    offer.wait_for(state="visible")
    assert "添加到主屏幕" in offer.inner_text()
    offer.locator("button").first.click()
    assert page.evaluate("() => window.__prompted === true") and offer.is_hidden()
    page.reload()
    page.wait_for_load_state("load")
    page.evaluate(BEFORE_INSTALL)  # the browser offers again: we do not ask a second time
    assert page.get_by_test_id("install-offer").is_hidden() and offer.locator("button").count() == 0
    page.goto(f"{base}/opinions/")
    page.wait_for_load_state("load")
    page.evaluate("() => localStorage.clear()")
    page.evaluate(BEFORE_INSTALL)
    assert page.locator("[data-testid=install-offer]").count() == 0 and problems == []
    context.close()


WECHAT = (
    "Mozilla/5.0 (Linux; Android 12; V2121A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/86.0.4240.99 "
    "XWEB/4343 MMWEBSDK/20220903 Mobile Safari/537.36 MMWEBID/6209 MicroMessenger/8.0.28.2240(0x28001C35) WeChat/arm64"
)
NO_WORKERS = "delete Navigator.prototype.serviceWorker; delete window.BeforeInstallPromptEvent;"


@pytest.mark.req("S4-2.3", "S0-16")
def test_a_browser_without_service_workers_gets_the_plain_site(live_server, browser):
    """WeChat's built-in browser (and others without service workers): no error, no install offer, forms post as
    on any website."""
    w = opinions_world()
    base = live_server.url
    context, page, problems = phone(browser, user_agent=WECHAT)
    page.add_init_script(NO_WORKERS)
    log_in(page, base, w.member)
    page.wait_for_load_state("load")
    assert page.evaluate("() => 'serviceWorker' in navigator") is False
    assert page.get_by_test_id("install-offer").is_hidden()
    page.goto(f"{base}/opinions/new/")
    page.fill("input[name=title]", "村道塌方需尽快修复")
    page.fill("textarea[name=content]", HOTLINE_TEXT)
    page.select_option("select[name=category]", "sudden_problem")
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    page.wait_for_url(re.compile(r".*/opinions/\d+/$"))
    assert Report.objects.get().title == "村道塌方需尽快修复" and problems == []
    context.close()
