"""Demo public-opinion reports for `lvzhi demo` (called from lvzhi/web/demo.py after the demo people exist).

Invented content only. `load_opinions_demo(actor)` is idempotent: a report is made only if its author has no
report with that title yet; everything goes through the services (workflow history, deadlines, audit, inbox).
"""

from django.db import transaction

from lvzhi.accounts.models import User
from lvzhi.core.timeutil import local_date

from . import services
from .models import Instruction, Report
from .permissions import INSTRUCTABLE_GONE as NOT_INSTRUCTABLE

STAFF_PHONE = "13900000004"  # 郑海波, 提案委员会 office staff
HOTLINE_PHONE = "13900000009"  # 卫丽娟, 委员热线

# (member phone, title, category, place, content, how far it goes)
REPORTS = [
    (
        "13800000005",
        "东湖路与长江路交叉口信号灯故障",
        "sudden_problem",
        "东湖区东湖路与长江路交叉口",
        "该路口由北向南方向的信号灯近一周时亮时灭，早晚高峰车辆和行人抢行，存在较大安全隐患。建议交管部门尽快检修，"
        "检修期间在高峰时段安排交警或协管员现场疏导。",
        "submitted",
    ),
    (
        "13800000011",
        "港区货车夜间通行噪音扰民",
        "hot_issue",
        "江海港区疏港大道沿线",
        "疏港大道沿线小区居民反映，夜间22时后重型货车密集通行，鸣笛和刹车噪音严重影响休息。建议在居民区路段设置禁鸣"
        "标志和限速，研究夜间分时段通行措施，并加装隔音屏障。",
        "at_hotline",
    ),
    (
        "13800000013",
        "关于推进基层医疗机构检查结果互认的建议",
        "culture",
        "",
        "群众在不同医院就诊时常需重复检查，增加了负担。建议依托全市健康信息平台，分批推进二级以上医院与社区卫生服务"
        "中心之间常规检验检查结果互认，并向群众公布互认项目清单。",
        "answered",
    ),
    (
        "13800000005",
        "老旧小区加装电梯审批流程咨询",
        "policy_enquiry",
        "西山县城关镇",
        "多位居民咨询老旧小区加装电梯需要哪些审批手续、财政补贴标准和申请渠道，希望有关部门公布办事指南，简化流程。",
        "closed",
    ),
]


def _advance(report: Report, stage: str, staff: User, hotline: User | None) -> None:
    if stage == "submitted":
        return
    if stage == "at_hotline":
        report = services.forward_to_hotline(actor=staff, report=report, note="请热线协调交通、生态环境部门办理。")
        services.post_update(actor=hotline, report=report, text="已转市交警支队和港区管委会研究处理。")
        return
    if stage == "answered":
        report = services.accept_report(actor=staff, report=report, category=report.category)
        report = services.handle_in_committee(actor=staff, report=report, note="本委组织调研。")
        services.post_update(actor=staff, report=report, text="已与市卫生健康委座谈，了解互认工作进展。")
        services.answer_member(
            actor=staff,
            report=report,
            answer="市卫生健康委答复：今年将在全市二级以上医院推进首批30项检验结果互认，清单将向社会公布。",
        )
        return
    if stage == "closed":
        report = services.forward_to_hotline(actor=staff, report=report)
        report = services.report_hotline_result(
            actor=hotline,
            report=report,
            result="市住建局已在政务服务网公布加装电梯办事指南和补贴标准，并开通咨询电话。",
        )
        report = services.answer_member(
            actor=staff, report=report, answer="市住建局已公布加装电梯办事指南和补贴标准，详见政务服务网。"
        )
        services.rate_report(actor=report.author, report=report, level="satisfied", comment="答复及时。")


def load_opinions_demo(actor=None) -> int:
    """Create the demo reports that are missing; returns how many were made (0 on a re-run or without the demo
    people)."""
    staff = User.objects.filter(phone=STAFF_PHONE, is_active=True).first()
    hotline = User.objects.filter(phone=HOTLINE_PHONE, is_active=True).first()
    if staff is None:
        return 0
    made = 0
    for phone, title, category, place, content, stage in REPORTS:
        author = User.objects.filter(phone=phone, is_active=True).first()
        if author is None or Report.objects.filter(author=author, title=title).exists():
            continue
        if stage in ("at_hotline", "closed") and hotline is None:
            continue
        with transaction.atomic():
            report = services.create_report(
                actor=author, title=title, content=content, category=category, location=place, submit=True
            )
            _advance(report, stage, staff, hotline)
        made += 1
    draft_author = User.objects.filter(phone="13800000011", is_active=True).first()
    if draft_author is not None and not Report.objects.filter(author=draft_author, status=Report.Status.DRAFT).exists():
        services.create_report(
            actor=draft_author,
            title="关于港区职工子女就近入学的建议（草稿）",
            content="待补充调研数据。",
            category="culture",
        )
        made += 1
    return made + _instruction()


LEADER_PHONE = "13900000008"  # 褚国强, a leader (副主席) of the city CPPCC


def _instruction() -> int:
    """A leader's instruction (批示) on the closed demo report: the author's duty record of it (S3-6)."""
    leader = User.objects.filter(phone=LEADER_PHONE, is_active=True).first()
    phone, title = REPORTS[-1][0], REPORTS[-1][1]
    report = Report.objects.filter(author__phone=phone, title=title).exclude(status__in=NOT_INSTRUCTABLE).first()
    if leader is None or report is None or report.instructions.exists():
        return 0
    services.instruct_report(
        actor=leader,
        report=report,
        level=Instruction.Level.CITY,
        day=local_date(),
        text="请市交通运输局会同有关部门研究办理，并将结果报市政协。",
    )
    return 1
