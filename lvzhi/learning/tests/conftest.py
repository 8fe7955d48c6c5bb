"""The duty module's city CPPCC (liaison office, study committee, members with profiles, 2026 rules) with a library
and a course of two lessons (one with a video and a quiz)."""

import io
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from lvzhi.accounts.roles import Role
from lvzhi.core.timeutil import local_date
from lvzhi.core.uploads import discard_uncommitted
from lvzhi.duty.tests.conftest import build_world
from lvzhi.learning import services
from lvzhi.learning.models import Audience, Source
from lvzhi.testing import make_user

SAMPLE_VIDEO = Path(__file__).resolve().parents[1] / "samples" / "lesson.webm"


def pdf_with(*lines: str) -> bytes:
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("STSong-Light", 12)
    for number, line in enumerate(lines):
        page.drawString(72, 760 - 20 * number, line)
    page.showPage()
    page.save()
    return out.getvalue()


def docx_with(*lines: str) -> bytes:
    import docx  # only the Word test needs it

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def w(db):
    w = build_world()
    w.year = local_date().year
    w.manager = w.liaison_staff  # staff of the body: keeps its library and courses; the liaison office oversees
    w.other_staff = w.staff_b2
    w.deputy_b2 = make_user(w.econ2, roles=[Role.DEPUTY], real_name="郭代表")
    w.doc_members = services.add_document(
        actor=w.manager,
        body=w.body,
        title="关于民营经济发展的调研报告",
        source=Source.RESEARCH,
        year=w.year,
        topic="经济",
        audience=Audience.MEMBERS,
        filename="调研报告.pdf",
        data=pdf_with("民营经济调研", "营商环境持续优化的若干建议"),
    )
    w.doc_all = services.add_document(
        actor=w.manager,
        body=w.body,
        title="政府工作报告",
        source=Source.GOVERNMENT,
        year=w.year,
        topic="综合",
        audience=Audience.EVERYONE,
        filename="政府工作报告.pdf",
        data=pdf_with("政府工作报告全文"),
    )
    w.course = services.create_course(
        actor=w.manager, body=w.body, title="履职能力提升", year=w.year, required_minutes=1
    )
    w.video_lesson = services.add_lesson(
        actor=w.manager,
        course=w.course,
        title="第一课 视频",
        video=("lesson.webm", SAMPLE_VIDEO.read_bytes()),
        pass_mark=50,
        max_attempts=2,
    )
    services.add_question(
        actor=w.manager, lesson=w.video_lesson, question="政协的职能有几项？", choices=["一", "三"], answer=1
    )
    services.add_question(
        actor=w.manager, lesson=w.video_lesson, question="协商民主是什么？", choices=["重要形式", "无关"], answer=0
    )
    w.text_lesson = services.add_lesson(actor=w.manager, course=w.course, title="第二课 文字", text_body="学习内容。")
    services.publish_course(actor=w.manager, course=w.course)
    w.course.refresh_from_db()
    discard_uncommitted()  # outside a request: the uploads' bookkeeping is settled here, not by the next request
    return w
