"""The article editor (issue 10 item 7): what it produces is exactly what the sanitiser keeps, disallowed markup is
stripped, images go through the upload checker, and three paragraphs typed stay three paragraphs (S4-2.4, S0-7)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lvzhi.audit.models import AuditEvent
from lvzhi.content.models import Article, Attachment
from lvzhi.content.sanitize import ATTRIBUTES, TAGS, clean_html
from lvzhi.testing import login

from .conftest import build_body, draft
from .test_browser_content import as_user

# Everything the toolbar makes (Chromium's own <b>/<i>/<div> are renamed by the editor before it sends).
EDITOR_OUTPUT = (
    "<h2>标题</h2><h3>小标题</h3><p>第一段，<strong>加粗</strong>和<em>斜体</em>。<br>换行</p>"
    "<ul><li>一</li><li>二</li></ul><ol><li>甲</li></ol><blockquote>引用</blockquote>"
    "<table><thead><tr><th>项目</th><th>数量</th></tr></thead><tbody><tr><td>会议</td><td>3</td></tr></tbody></table>"
    '<p><img src="/content/files/12/" alt="会场"></p>'
)


def png_bytes(size=(4, 4)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 200)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.req("S4-2.4")
def test_the_editors_output_survives_the_sanitiser_unchanged_and_the_allow_list_is_exactly_it():
    assert clean_html(EDITOR_OUTPUT) == EDITOR_OUTPUT
    assert set(re.findall(r"<([a-z0-9]+)", EDITOR_OUTPUT)) == TAGS - {"a"}  # links: see below
    link = clean_html('<p><a href="https://www.gov.cn/">链接</a></p>')
    assert link == '<p><a href="https://www.gov.cn/" rel="noopener noreferrer nofollow">链接</a></p>'
    assert {"a": {"href"}, "img": {"src", "alt"}} == ATTRIBUTES


@pytest.mark.req("S4-2.4")
@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("<p>甲</p><script>alert(1)</script>", "<p>甲</p>"),
        ('<p style="color:red" onclick="x()">甲</p>', "<p>甲</p>"),
        ("<div>甲</div><span>乙</span>", "甲乙"),
        ('<iframe src="https://evil.example/"></iframe><p>甲</p>', "<p>甲</p>"),
        ('<p><img src="https://evil.example/t.png" alt="x"></p>', '<p><img alt="x"></p>'),
        ('<p><a href="javascript:alert(1)">甲</a></p>', '<p><a rel="noopener noreferrer nofollow">甲</a></p>'),
        ("<h1>甲</h1><h4>乙</h4><pre>丙</pre><font>丁</font>", "甲乙丙丁"),
        (
            '<table><tr><td colspan="2" width="9">甲</td></tr></table>',
            "<table><tbody><tr><td>甲</td></tr></tbody></table>",
        ),
        ("<p>甲<!-- 注释 --></p><style>p{}</style>", "<p>甲</p>"),
    ],
)
def test_markup_the_editor_does_not_produce_is_stripped(raw, kept):
    assert clean_html(raw) == kept


@pytest.mark.django_db
@pytest.mark.req("S4-2.4", "S2-21")
def test_an_image_placed_in_the_text_goes_through_the_upload_checker(client, world, other):
    article = draft(world)
    login(client, world.author)
    url = f"/content/w/{article.pk}/image/"
    page = client.get(f"/content/w/{article.pk}/edit/").content.decode()
    assert f'data-upload-url="{url}"' in page and "lvzhi/js/editor.js" in page
    version = Article.objects.get(pk=article.pk).version
    answer = client.post(url, {"file": SimpleUploadedFile("会场.png", png_bytes()), "version": version})
    assert answer.status_code == 200, answer.content
    data = answer.json()
    attachment = Attachment.objects.get(article=article)
    assert data["src"] == f"/content/files/{attachment.pk}/" and data["alt"] == "会场"
    assert data["version"] == version + 1 and attachment.kind == Attachment.Kind.IMAGE
    assert AuditEvent.objects.filter(event="content.attachment.add", object_id=str(article.pk)).count() == 1
    # the address it answers is one the sanitiser keeps
    body = f'<p><img src="{data["src"]}" alt="会场"></p>'
    assert clean_html(body) == body
    # a document, a stale version, a missing file, a GET and another body's author: refused, nothing attached
    pdf = SimpleUploadedFile("议程.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    refused = client.post(url, {"file": pdf, "version": version + 1})
    assert refused.status_code == 400 and refused.json()["code"]
    stale = client.post(url, {"file": SimpleUploadedFile("b.png", png_bytes()), "version": version})
    assert stale.status_code == 409 and stale.json()["code"] == "changed_meanwhile"
    assert client.post(url, {"version": version + 1}).json()["code"] == "file_required"
    assert client.get(url).status_code == 405
    login(client, other.author)
    foreign = client.post(url, {"file": SimpleUploadedFile("c.png", png_bytes()), "version": version + 1})
    assert foreign.status_code == 404
    assert Attachment.objects.filter(article=article).count() == 1
    # the new-draft page offers no upload yet (an image belongs to a saved draft)
    login(client, world.author)
    new = client.get(f"/content/write/?column={world.notices.pk}").content.decode()
    assert "data-upload-url" not in new and "data-rich-text" in new


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.req("S4-2.4", "S0-7")
def test_three_paragraphs_typed_stay_three_and_the_toolbar_makes_only_allowed_markup(live_server, phone_page):
    w = build_body()
    page, base = phone_page, live_server.url
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    as_user(page, base, w.author)
    page.goto(f"{base}/content/write/?column={w.notices.pk}")
    page.fill("main input[name=title]", "关于委员培训的安排")
    editor = page.locator("main [data-testid=editor]")
    editor.click()
    page.keyboard.type("第一段：培训时间。")
    page.keyboard.press("Enter")
    page.keyboard.type("第二段：培训地点。")
    page.keyboard.press("Enter")
    page.keyboard.type("第三段：报名方式。")
    page.click("main form[data-testid=article-form] button[type=submit]")
    page.wait_for_url("**/content/w/*/")
    article = Article.objects.get(title="关于委员培训的安排")
    assert article.body_html == "<p>第一段：培训时间。</p><p>第二段：培训地点。</p><p>第三段：报名方式。</p>"
    assert page.locator("main [data-testid=work-body] p").count() == 3

    # edit: a heading, a list, a table; what the editor sends is what the sanitiser keeps
    page.goto(f"{base}/content/w/{article.pk}/edit/")
    editor = page.locator("main [data-testid=editor]")
    editor.locator("p").first.click()
    page.keyboard.press("Home")
    page.click("main .rte-toolbar [data-block=h2]")
    editor.locator("p").last.click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.click("main .rte-toolbar [data-command=insertUnorderedList]")
    page.keyboard.type("携带身份证")
    page.keyboard.press("Enter")
    page.keyboard.type("准时到场")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.click("main .rte-toolbar [data-table]")
    page.keyboard.type("时间")
    sent = page.locator("main textarea[name=body_html]").input_value()
    assert clean_html(sent) == sent
    assert set(re.findall(r"<([a-z0-9]+)", sent)) <= TAGS
    page.click("main form[data-testid=article-form] button[type=submit]")
    page.wait_for_url("**/content/w/*/")
    stored = Article.objects.get(pk=article.pk).body_html
    assert stored == sent
    assert stored.startswith("<h2>第一段：培训时间。</h2><p>第二段：培训地点。</p><p>第三段：报名方式。</p>")
    assert "<ul><li>携带身份证</li><li>准时到场</li></ul>" in stored and "<table>" in stored and "时间" in stored
    assert page.locator("main [data-testid=work-body] h2").inner_text() == "第一段：培训时间。"
    assert not errors, errors
