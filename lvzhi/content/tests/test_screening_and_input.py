"""Screening before review (S2-21, S2-26, S2-27, S0-9), sanitised HTML and checked attachments (S4-2.4)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.content import services
from lvzhi.content.models import Article, Attachment, ReviewStep, Revision
from lvzhi.core.errors import ValidationFailed
from lvzhi.orgs import services as org_services
from lvzhi.screening import services as screening
from lvzhi.testing import login, make_user

from .conftest import VALID_ID, approve, draft, msg

pytestmark = pytest.mark.django_db


def png_bytes(size=(4, 4)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def secret_term(world, term="绝密文件"):
    keeper = make_user(world.secrecy, roles=[(Role.SECRECY_OFFICE, world.body)])
    word_list = screening.create_list(actor=keeper, name="保密词表", kind="secret", body=world.body)
    screening.add_term(actor=keeper, word_list=word_list, term=term)


@pytest.mark.req("S2-21", "S2-26")
def test_the_author_sees_an_id_card_number_and_masks_it_before_submitting(client, world):
    article = draft(world, body=f"<p>联系人身份证号{VALID_ID}，电话13912345678。</p>")
    assert any(f["kind"] == "personal_data" for f in article.findings)
    login(client, world.author)
    page = client.get(f"/content/w/{article.pk}/").content.decode()
    assert 'data-kind="personal_data"' in page and 'data-testid="mask"' in page
    assert VALID_ID not in page.split('data-testid="screening"')[1].split("</section>")[0]  # excerpts are masked
    assert client.post(f"/content/w/{article.pk}/mask/").status_code == 302
    article.refresh_from_db()
    assert VALID_ID not in article.body_html and "13912345678" not in article.body_html
    assert not [f for f in article.findings if f["kind"] == "personal_data"]
    assert AuditEvent.objects.filter(event="content.article.mask", object_id=str(article.pk)).exists()
    again = client.post(f"/content/w/{article.pk}/mask/")
    assert again.status_code == 400 and msg("No personal data was found to mask.") in again.content.decode()


@pytest.mark.req("S0-9", "S2-21")
def test_a_term_of_the_secrecy_list_blocks_submission(client, world):
    secret_term(world)
    article = draft(world, body="<p>请参阅绝密文件第三号。</p>")
    assert article.findings_blocking
    login(client, world.author)
    response = client.post(f"/content/w/{article.pk}/submit/", {"version": article.version})
    assert response.status_code == 400
    assert (
        msg(
            "The screening found secret-list terms, adverts or gambling spam, links to commercial sites or a "
            "repost without its source; remove them before submitting."
        )
        in response.content.decode()
    )
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert not Revision.objects.filter(article=article).exists()


@pytest.mark.req("S2-21", "S2-27")
def test_other_findings_need_the_reviewers_explicit_recorded_decision(world):
    article = draft(world, body="<p>本文引用了内部资料中的统计数字。</p>", title="工作简报")
    kinds = {f["kind"] for f in article.findings}
    assert kinds == {"sensitive"}
    assert not article.findings_blocking
    article = services.submit(actor=world.author, article=article)
    with pytest.raises(ValidationFailed) as undecided:
        approve(world, article, world.reviewer, findings_accepted=False)
    assert undecided.value.code == "findings_decision_required"
    article = approve(world, article, world.reviewer, findings_accepted=True)
    step = ReviewStep.objects.get(article=article, decided_by=world.reviewer)
    assert {f["kind"] for f in step.findings_accepted} == {"sensitive"}


@pytest.mark.req("S4-2.4", "S2-21")
def test_scripts_and_foreign_images_are_removed_on_save_and_the_stored_html_is_safe(world):
    article = draft(
        world,
        body=(
            '<p onclick="steal()">正文<script>alert(1)</script></p><img src="https://evil.example/x.png">'
            '<a href="javascript:alert(1)">点我</a><iframe src="https://x"></iframe><style>p{}</style>'
            '<img src="/content/files/12/" alt="图">'
        ),
    )
    html = article.body_html
    for bad in ("<script", "onclick", "javascript:", "<iframe", "evil.example", "<style"):
        assert bad not in html
    assert '<img src="/content/files/12/" alt="图">' in html and "正文" in html


@pytest.mark.req("S4-2.4")
def test_an_oversized_text_is_refused_with_a_limit_a_body_may_change(client, world):
    big = "<p>" + "字" * 70_000 + "</p>"  # 210 KB of UTF-8
    with pytest.raises(ValidationFailed) as too_big:
        draft(world, body=big)
    assert too_big.value.code == "body_too_large"
    login(client, world.author)
    response = client.post(
        "/content/write/",
        {"column": world.notices.pk, "title": "超长", "body_html": big, "grade": "normal", "client_token": "big"},
    )
    assert response.status_code == 400
    assert msg("The text is too long: at most %(kb)s KB is allowed.") % {"kb": 200} in response.content.decode()
    assert not Article.objects.filter(title="超长").exists()
    # A body may tighten the limit, never relax it.
    with pytest.raises(ValidationFailed) as relaxed:
        org_services.set_body_setting(actor=None, body=world.body, key="content.max_body_kb", value=300)
    assert relaxed.value.code == "setting_above_maximum"
    org_services.set_body_setting(actor=None, body=world.body, key="content.max_body_kb", value=100)
    with pytest.raises(ValidationFailed) as tightened:
        draft(world, body="<p>" + "字" * 40_000 + "</p>")  # 120 KB
    assert tightened.value.code == "body_too_large"


@pytest.mark.req("S4-2.4", "S2-21")
def test_attachments_are_checked_for_size_type_and_matching_content(client, world, settings):
    article = draft(world)
    login(client, world.author)

    def upload(name, data, **extra):
        return client.post(
            f"/content/w/{article.pk}/attach/",
            {"file": SimpleUploadedFile(name, data), "version": Article.objects.get(pk=article.pk).version, **extra},
        )

    assert upload("photo.png", png_bytes(), as_cover="on").status_code == 302
    assert upload("议程.pdf", PDF).status_code == 302
    fake = upload("report.pdf", b"MZ\x90\x00this is really an exe")
    assert fake.status_code == 400
    assert (
        msg("The content of the file does not match its extension .%(ext)s; it was not accepted.") % {"ext": "pdf"}
        in fake.content.decode()
    )
    assert upload("renamed.png", PDF).status_code == 400
    assert upload("script.exe", b"MZ\x90\x00").status_code == 400
    assert upload("empty.pdf", b"").status_code == 400
    broken_png = png_bytes()[:40]
    assert upload("broken.png", broken_png).status_code == 400
    org_services.set_body_setting(actor=None, body=world.body, key="content.max_attachment_mb", value=1)
    huge = upload("huge.pdf", PDF + b"0" * (1024 * 1024 + 10))
    assert huge.status_code == 400
    kept = list(Attachment.objects.filter(article=article).values_list("name", flat=True))
    assert sorted(kept) == ["photo.png", "议程.pdf"]
    article.refresh_from_db()
    assert article.cover.name == "photo.png"
    # the file is served only to those who may see the article, never sniffed
    response = client.get(f"/content/files/{article.cover_id}/")
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    login(client, world.member)
    assert client.get(f"/content/files/{article.cover_id}/").status_code == 404


@pytest.mark.req("S4-2.4")
def test_bad_input_on_the_draft_form_is_refused_without_a_row(client, world):
    login(client, world.author)
    empty = client.post(
        "/content/write/", {"column": world.notices.pk, "title": "", "grade": "normal", "client_token": "e"}
    )
    assert empty.status_code == 400
    long_title = client.post(
        "/content/write/", {"column": world.notices.pk, "title": "长" * 201, "grade": "normal", "client_token": "l"}
    )
    assert long_title.status_code == 400
    bad_grade = client.post(
        "/content/write/", {"column": world.notices.pk, "title": "x", "grade": "top", "client_token": "g"}
    )
    assert bad_grade.status_code == 400
    past_expiry = client.post(
        "/content/write/",
        {
            "column": world.notices.pk,
            "title": "过期",
            "grade": "normal",
            "client_token": "p",
            "expires_at": "2001-01-01T10:00",
        },  # fmt: skip
    )
    assert past_expiry.status_code == 400
    assert msg("The expiry must lie in the future.") in past_expiry.content.decode()
    assert client.post("/content/write/", {"column": 999999, "title": "x"}).status_code == 404
    assert not Article.objects.exists()


@pytest.mark.req("S0-7", "S4-2.4")
def test_readers_get_the_files_of_the_published_version_only(client, world):
    article = draft(world)
    services.add_attachment(actor=world.author, article=article, name="议程.pdf", data=PDF)
    article = services.submit(actor=world.author, article=Article.objects.get(pk=article.pk))
    article = approve(world, approve(world, article, world.reviewer), world.head)
    article = services.publish(actor=world.publisher, article=article)
    article = services.revise(actor=world.author, article=article)
    pending = services.add_attachment(actor=world.author, article=article, name="新议程.pdf", data=PDF + b"%new")
    published = Attachment.objects.get(article=article, name="议程.pdf")
    login(client, world.member)
    page = client.get(f"/content/a/{article.pk}/").content.decode()
    assert "议程.pdf" in page and "新议程.pdf" not in page
    assert client.get(f"/content/files/{published.pk}/").status_code == 200
    assert client.get(f"/content/files/{pending.pk}/").status_code == 404
