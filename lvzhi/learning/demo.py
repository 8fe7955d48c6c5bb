"""Demo data of 委员学习 for `lvzhi demo`: for the city CPPCC and the city congress, a library of documents from
several sources (one only for the body's members or deputies), a reading list of the session, a course with a
video lesson (a tiny clip made by the system's ffmpeg when present, else the committed sample `samples/lesson.webm`)
and a quiz, a text lesson, the year's learning plan, and a member and a deputy with a short study stretch — behind
the plan's hours, so the liaison office (吴若兰 13900000003; 何联络 13900000018) sees them on 学时落后人员.
Keepers: 钱经委 (13900000801, 文化文史和学习委员会) or 吴若兰 for the CPPCC, 何联络 for the congress. Idempotent:
a body that already has the demo course gets nothing more.

Remote training (the CPPCC, keeper 钱经委 — staff of the study committee, which applies for the video room): a
lecture scheduled on the consultation module's rooms (approved by a leader of the body) and one held three days ago,
whose attendance (the member who studied joined it) became training records and whose recording is a lesson. The
past lecture is demo history: applied and approved like any other, then its time moved into the past."""

import datetime as dt
import io
import logging
import subprocess
import tempfile
from pathlib import Path

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.consultation import permissions as consultation_perm
from lvzhi.consultation import selectors as consultation_selectors
from lvzhi.consultation import services as consultation
from lvzhi.consultation.models import Invitation, Meeting
from lvzhi.core.errors import ApplicationError
from lvzhi.core.timeutil import local_date
from lvzhi.core.uploads import discard_uncommitted
from lvzhi.orgs.models import OrgUnit, UnitKind
from lvzhi.workdays import calendar
from lvzhi.workflow.selectors import users_with_roles

from . import services, transcode
from .models import Audience, Course, Lecture, Lesson, Source

logger = logging.getLogger("lvzhi.learning")
SAMPLE = Path(__file__).resolve().parent / "samples" / "lesson.webm"
COURSE_TITLE = "履职能力提升专题：协商议政的方法"
BODIES = [
    # body, keeper phones (first found), the member or deputy who studied a little, plan hours, session
    ("江海市政协", ("13900000801", "13900000003"), "13800000001", 12, "政协江海市第十四届委员会第五次会议"),
    ("江海市人大常委会", ("13900000018",), "13800000021", 16, "江海市第十六届人民代表大会第五次会议"),
]
DOCUMENTS = [
    ("江海市人民政府工作报告", Source.GOVERNMENT, "综合", Audience.EVERYONE,
     ["政府工作报告", "今年经济社会发展的主要预期目标", "持续优化营商环境，推动民营经济高质量发展"]),
    ("市中级人民法院工作报告", Source.COURT, "法治", Audience.BODY, ["法院工作报告", "深化诉源治理，推进多元解纷"]),
    ("市人民检察院工作报告", Source.PROCURATORATE, "法治", Audience.BODY, ["检察院工作报告", "公益诉讼检察工作"]),
    ("关于加强基层协商民主建设的参考资料", Source.REFERENCE, "协商民主", Audience.BODY,
     ["协商民主参考资料", "基层协商议事规则汇编"]),
    ("委员履职工作信息（第12期）", Source.WORK_INFO, "履职", Audience.MEMBERS, ["工作信息", "本期委员视察活动安排"]),
    ("关于老旧小区改造的调研报告", Source.RESEARCH, "城市建设", Audience.MEMBERS,
     ["调研报告", "老旧小区加装电梯的难点与建议"]),
]  # fmt: skip
QUIZ = [
    ("协商民主是实践全过程人民民主的什么形式？", ["重要形式", "唯一形式", "次要形式"], 0),
    ("委员提出提案应当坚持什么原则？", ["少而精", "越多越好"], 0),
]


def _pdf(lines) -> bytes:
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("STSong-Light", 14)
    for number, line in enumerate(lines):
        page.drawString(72, 760 - 24 * number, line)
    page.showPage()
    page.save()
    return out.getvalue()


def demo_video() -> tuple[str, bytes]:
    """A tiny WebM clip: made now by ffmpeg when the system has it, else the committed sample (8 KB)."""
    binary = transcode.ffmpeg()
    if binary:
        with tempfile.TemporaryDirectory() as work:
            target = Path(work) / "demo.webm"
            source = "testsrc=duration=4:size=320x180:rate=10"
            command = [binary, "-nostdin", "-v", "error", "-f", "lavfi", "-i", source,
                       "-c:v", "libvpx", "-b:v", "100k", str(target)]  # fmt: skip
            try:
                subprocess.run(command, check=True, timeout=60, capture_output=True)  # noqa: S603
                return "demo.webm", target.read_bytes()
            except (subprocess.SubprocessError, OSError):
                logger.warning("learning demo: ffmpeg could not make a clip; the sample is used")
    return "lesson.webm", SAMPLE.read_bytes()


def _keeper(phones):
    for phone in phones:
        user = User.objects.filter(phone=phone, is_active=True).first()
        if user is not None:
            return user
    return None


def _body_demo(body, keeper, learner, hours, session) -> int:
    year = local_date().year
    made = 0
    documents = []
    for title, source, topic, audience, lines in DOCUMENTS:
        documents.append(
            services.add_document(
                actor=keeper,
                body=body,
                title=title,
                source=source,
                year=year,
                topic=topic,
                audience=audience,
                summary=lines[-1],
                filename=f"{title}.pdf",
                data=_pdf(lines),
            )  # fmt: skip
        )
        made += 1
    services.add_version(
        actor=keeper, document=documents[0], filename="政府工作报告（修订稿）.pdf",
        data=_pdf(["政府工作报告（修订稿）", "持续优化营商环境", "新增：加快建设生态宜居城市"]), note="会后修订稿",
    )  # fmt: skip
    reading_list = services.create_reading_list(actor=keeper, body=body, session=session, year=year)
    for document in documents[:4]:
        services.add_to_reading_list(actor=keeper, reading_list=reading_list, document=document)
    course = services.create_course(
        actor=keeper, body=body, title=COURSE_TITLE, year=year, required_minutes=60,
        summary="围绕协商议政的基本方法，结合典型案例讲解。学完视频并通过测验即可结业。",
    )  # fmt: skip
    video = services.add_lesson(
        actor=keeper, course=course, title="第一讲 协商议政的基本方法（视频）", video=demo_video(),
        text_body="请观看视频，并完成课后测验。", pass_mark=50, max_attempts=3,
    )  # fmt: skip
    for question, choices, answer in QUIZ:
        services.add_question(actor=keeper, lesson=video, question=question, choices=choices, answer=answer)
    services.add_lesson(
        actor=keeper, course=course, title="第二讲 如何写好一件提案",
        text_body="提案要选题精准、调研深入、建议可行。\n\n一事一案，少而精。",
    )  # fmt: skip
    services.publish_course(actor=keeper, course=course)
    services.set_plan(
        actor=keeper, body=body, year=year, title=f"{year}年度委员学习计划" if "政协" in body.name
        else f"{year}年度代表学习计划", required_hours=hours, course_ids=[course.pk],
    )  # fmt: skip
    made += 4
    if learner is not None:
        video = Lesson.objects.select_related("course", "course__body").get(pk=video.pk)  # the course is published now
        start = timezone.now() - dt.timedelta(hours=2)
        for n in range(21):  # a ten-minute stretch, beat by beat
            try:
                services.beat(actor=learner, lesson=video, now=start + dt.timedelta(seconds=30 * n))
            except ApplicationError:
                break
        made += 1
    return made


LECTURES = ("专题讲座：政协委员如何做好调研", "专题讲座：民法典与基层治理")


def _lecture(keeper, course, title, starts_at):
    unit = next(iter(consultation_perm.departments_of(keeper, course.body)), None)
    if unit is None:
        return None
    lecture = services.schedule_lecture(actor=keeper, course=course, unit=unit, title=title, starts_at=starts_at,
                                        duration_minutes=90, agenda="讲座、答疑", undertaking=True)  # fmt: skip
    leader = next((u for u in users_with_roles(course.body, [Role.LEADER]) if u.pk != keeper.pk), None)
    if leader is not None:
        meeting = consultation_selectors.access_meeting(keeper, lecture.meeting_id)
        consultation.decide_application(actor=leader, meeting=meeting, approve=True)
    return lecture


def _lectures_demo(body, keeper, learner) -> int:
    """A scheduled lecture and a held one with its attendance recorded and its recording published (see above)."""
    course = Course.objects.filter(body=body, title=COURSE_TITLE).first()
    if course is None or Lecture.objects.filter(course=course).exists():
        return 0
    ahead = calendar.due_date(calendar.add_working_days(timezone.now(), 8))
    at = timezone.make_aware(dt.datetime.combine(ahead, dt.time(15)))
    made = 0
    if _lecture(keeper, course, LECTURES[0], at) is not None:
        made += 1
    held = _lecture(keeper, course, LECTURES[1], at + dt.timedelta(hours=2))
    meeting = held and consultation_selectors.access_meeting(keeper, held.meeting_id)
    if meeting is None or meeting.status != "scheduled":
        return made
    past = timezone.now() - dt.timedelta(days=3)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=past)  # demo history: the lecture took place
    Lecture.objects.filter(pk=held.pk).update(starts_at=past)
    if learner is not None:
        Invitation.objects.filter(meeting=meeting, user=learner).update(
            joined_at=past + dt.timedelta(minutes=2), left_at=past + dt.timedelta(minutes=85), joins=1
        )
    consultation.end_meeting(actor=keeper, meeting=consultation_selectors.access_meeting(keeper, meeting.pk))
    services.record_lecture_attendance(actor=keeper, lecture=held)
    name, data = demo_video()
    services.publish_recording(actor=keeper, lecture=held, filename=name, data=data)
    return made + 1


def load_learning_demo(actor=None) -> int:
    made = 0
    for name, keepers, learner_phone, hours, session in BODIES:
        body = OrgUnit.objects.filter(kind=UnitKind.BODY, name=name).first()
        keeper = _keeper(keepers)
        if body is None or keeper is None or Course.objects.filter(body=body, title=COURSE_TITLE).exists():
            continue
        learner = User.objects.filter(phone=learner_phone, is_active=True).first()
        try:
            made += _body_demo(body, keeper, learner, hours, session)
        finally:
            discard_uncommitted()
    made += _load_lectures()
    return made


def _load_lectures() -> int:
    """The lectures of the CPPCC's demo course (idempotent: a course with lectures gets no more)."""
    name, keepers, learner_phone, _hours, _session = BODIES[0]
    body = OrgUnit.objects.filter(kind=UnitKind.BODY, name=name).first()
    keeper = _keeper(keepers)
    if body is None or keeper is None:
        return 0
    learner = User.objects.filter(phone=learner_phone, is_active=True).first()
    try:
        return _lectures_demo(body, keeper, learner)
    except ApplicationError:
        logger.warning("learning demo: the lectures could not be made", exc_info=True)
        return 0
    finally:
        discard_uncommitted()
