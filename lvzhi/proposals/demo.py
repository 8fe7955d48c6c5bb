"""Demo items for `lvzhi demo` (invented): CPPCC proposals and congress suggestions in every stage, so each demo
login has something to do. Call `load_proposals_demo(actor)` after `lvzhi.web.demo.load_demo()`.

Idempotent: an item is looked up by proposer and title first; an existing one is left as it is. Everything is
written through the services (validated, audited, with their notifications). Adds the heads of two handling units
(they sign reply letters off): 13900000051 (市住建局) and 13900000052 (市交通运输局), password as the other demo
users.
"""

from django.db import transaction
from django.utils import timezone

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import OrgUnit, UnitKind

from . import services
from .models import Assignment, Kind, Proposal, Rating

CPPCC = "江海市政协"
CONGRESS = "江海市人大常委会"
GOV = "江海市人民政府"
DEMO_PASSWORD = "Lvzhi@2026demo"

HEADS = [
    ("13900000051", "周建设", "市住建局", "住建局局长"),
    ("13900000052", "钱交通", "市交通运输局", "交通运输局局长"),
]

# (body, kind, proposer phone, title, content, category, keywords, co-signer phones, stage, lead, co units)
ITEMS = [
    (
        CPPCC,
        Kind.PROPOSAL,
        "13800000001",
        "关于加快推进既有住宅加装电梯的提案",
        "我市老旧小区多为六层以下无电梯住宅，老年居民上下楼困难。建议简化审批流程，设立专项补贴，"
        "推行“一梯一策”协商机制。",
        "社会建设",
        ["加装电梯", "老旧小区"],
        ["13800000002"],
        "evaluated",
        "市住建局",
        ["市交通运输局"],
    ),
    (
        CPPCC,
        Kind.PROPOSAL,
        "13800000003",
        "关于加强中小学生心理健康教育的提案",
        "建议每所中小学配备专职心理教师，建立学生心理健康档案和家校协同机制。",
        "社会建设",
        ["心理健康", "中小学"],
        [],
        "submitted",
        None,
        [],
    ),
    (
        CONGRESS,
        Kind.SUGGESTION,
        "13800000021",
        "关于优化东湖区公交线路的建议",
        "东湖区新建小区公交覆盖不足，建议增设社区微循环公交，延长末班车时间。",
        "社会建设",
        ["公交", "东湖区"],
        ["13800000022"],
        "handling",
        "市交通运输局",
        ["市住建局"],
    ),
    (
        CONGRESS,
        Kind.SUGGESTION,
        "13800000024",
        "关于改善西山县农村饮水安全的建议",
        "部分山区村庄仍靠山泉水，水质不稳定。建议实施农村供水保障工程，推进城乡供水一体化。",
        "生态文明建设",
        ["饮水安全", "农村"],
        ["13800000025"],
        "draft",
        None,
        [],
    ),
]


def _unit(*names) -> OrgUnit | None:
    unit = None
    for name in names:
        unit = OrgUnit.objects.filter(parent=unit, name=name).first()
        if unit is None:
            return None
    return unit


def _user(phone) -> User | None:
    return User.objects.filter(phone=phone, is_active=True).first()


def _ensure_head(actor, phone, name, unit, title) -> User:
    user = _user(phone)
    if user is None:
        user = account_services.create_user(
            actor=actor, phone=phone, real_name=name, unit=unit, initial_password=DEMO_PASSWORD, title=title
        )
        account_services.mark_demo_password_kept(actor=actor, user=user)
    if not RoleAssignment.objects.filter(user=user, role=Role.HEAD, unit=unit, revoked_at__isnull=True).exists():
        account_services.grant_role(actor=actor, user=user, role=Role.HEAD, unit=unit)
    return user


def _people(unit, role):
    ids = RoleAssignment.objects.filter(unit=unit, role=role, revoked_at__isnull=True).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("pk").first()


def _advance(actor, item, proposal, units):
    body_name, _kind, _phone, _title, _content, _cat, _kw, _cos, stage, lead_name, co_names = item
    if stage == "draft":
        return
    proposal = services.submit(actor=proposal.proposer, proposal=proposal)
    if stage == "submitted":
        return
    office = proposal.office
    clerk = _people(office, Role.STAFF) or _people(office, Role.HEAD)
    proposal = services.accept(actor=clerk, proposal=proposal, note="符合立案条件")
    proposal = services.assign(
        actor=clerk,
        proposal=proposal,
        lead_unit=units[lead_name],
        co_units=[units[n] for n in co_names],
    )
    lead = proposal.assignments.get(role=Assignment.Role.LEAD)
    staff = _people(lead.unit, Role.HANDLING)
    head = _people(lead.unit, Role.HEAD)
    services.record_contact(
        actor=staff or head,
        assignment=lead,
        method="visit",
        contacted_on=timezone.localdate(),
        note="登门走访，听取意见建议",
    )
    if stage == "handling":
        return
    for co in proposal.assignments.filter(role=Assignment.Role.CO):
        co_staff = _people(co.unit, Role.HANDLING) or _people(co.unit, Role.HEAD)
        if co_staff is not None:
            services.send_opinion(actor=co_staff, assignment=co, opinion="同意主办单位意见，积极配合推进。")
    reply = services.save_reply(
        actor=staff or head,
        assignment=lead,
        content="感谢您的提案。我局已将既有住宅加装电梯纳入年度民生实事，简化审批流程，市区两级财政给予补贴。",
        classification="A",
    )
    services.sign_off_reply(actor=head, reply=reply)
    services.send_reply(actor=staff or head, reply=reply)
    proposal = Proposal.objects.get(pk=proposal.pk)
    services.evaluate(actor=proposal.proposer, proposal=proposal, rating=Rating.SATISFIED, comment="答复具体，措施有力")
    services.publish(actor=clerk, proposal=Proposal.objects.get(pk=proposal.pk), public=True)
    services.set_key_supervision(
        actor=clerk, proposal=Proposal.objects.get(pk=proposal.pk), on=True, note="主席会议确定的重点提案"
    )


def load_proposals_demo(actor=None) -> int:
    """Create the missing demo items; returns how many were created (0 on a re-run or without the demo units)."""
    units = {name: _unit(GOV, name) for name in ("市住建局", "市教育局", "市卫生健康委", "市交通运输局")}
    if any(u is None or u.kind != UnitKind.HANDLING_UNIT for u in units.values()):
        return 0
    bodies = {CPPCC: _unit(CPPCC), CONGRESS: _unit(CONGRESS)}
    if any(b is None for b in bodies.values()):
        return 0
    created = 0
    with transaction.atomic():
        for phone, name, unit_name, title in HEADS:
            _ensure_head(actor, phone, name, units[unit_name], title)
        for item in ITEMS:
            body_name, kind, phone, title, content, category, keywords, cosigners, _stage, _lead, _co = item
            proposer = _user(phone)
            if proposer is None or Proposal.objects.filter(proposer=proposer, title=title).exists():
                continue
            proposal = services.create_draft(
                actor=proposer,
                body=bodies[body_name],
                kind=kind,
                title=title,
                content=content,
                category=category,
                keywords=keywords,
                disclosure_consent=True,
            )
            for cosigner_phone in cosigners:
                cosigner = _user(cosigner_phone)
                if cosigner is None:
                    continue
                services.invite_cosigner(actor=proposer, proposal=proposal, user=cosigner)
                if item[8] != "draft":
                    services.respond_cosign(actor=cosigner, proposal=proposal, confirm=True)
            _advance(actor, item, proposal, units)
            created += 1
    return created
