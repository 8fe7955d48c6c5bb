"""DEMO ONLY: staff every workflow step of the demo's city bodies and publish an article in every column.

Data-driven: it reads what the approval chains declare (`lvzhi.content.selectors.chain_needs`) and what the back
office checks (`lvzhi.backoffice.staffing`), so a changed chain is staffed on the next `lvzhi demo` without
changing this file:
- an office a chain names by function that the body lacks is created (e.g. the party organisation);
- every chain step gets a holder besides any possible author (nobody reviews their own article), every
  committee that members belong to gets office staff, every handling unit staff and a head;
- the added users are invented, numbered from EXTRA_FIRST_PHONE up, and printed by `lvzhi demo`;
- each column without a live article gets one, written by a drafter of an owning department and taken through
  the column's chain by its holders.
Idempotent: a second run finds nothing missing and writes nothing.
"""

from django.db import transaction

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.backoffice import services as backoffice_services
from lvzhi.orgs.models import OrgUnit, UnitFunction, UnitKind

EXTRA_FIRST_PHONE = 13900000101
EXTRA_LAST_PHONE = 13900000299
SURNAMES = "赵钱孙李周吴郑王冯陈卫蒋沈韩杨朱秦许何吕施张孔曹严华金魏陶姜"
GIVEN = ["文清", "海燕", "子墨", "思源", "建华", "晓梅", "志远", "雨辰", "立新", "春晖", "明哲", "静怡"]
# The name of an office a chain needs but a demo body lacks, by function.
OFFICE_NAMES = {
    UnitFunction.PARTY_ORG: "机关党组",
    UnitFunction.PUBLICITY: "新闻宣传处",
    UnitFunction.STUDY: "学习培训处",
    UnitFunction.RESEARCH_OFFICE: "研究室",
    UnitFunction.GENERAL_OFFICE: "办公厅",
    UnitFunction.LIAISON_OFFICE: "联络工作委员会",
}
ROLE_TITLES = {Role.STAFF: "干部", Role.HEAD: "负责人", Role.LEADER: "分管领导", Role.HANDLING: "科员"}
# One plausible article per column code (demo content is Chinese data, not UI text): title, summary, paragraphs.
DEMO_ARTICLES = {
    "notices": (
        "关于做好2027年度委员履职登记工作的通知",
        "请各专委会于12月15日前完成年度履职登记。",
        [
            "各专门委员会、各界别召集人：",
            "为做好年度履职统计，请于12月15日前在平台完成本年度履职登记。",
            "联系人：办公厅秘书处，电话0518-85801234。",
        ],
    ),
    "deliberation": (
        "“推进城市更新中的老旧小区改造”网络议政活动开始",
        "欢迎委员围绕议题发表意见建议。",
        [
            "本次网络议政围绕老旧小区改造的资金筹措、加装电梯和长效管理展开。",
            "请委员于议政期内登录平台发表意见，优秀意见将汇入专报。",
        ],
    ),
    "consultation": (
        "市政协召开“优化营商环境”远程协商会",
        "委员与有关部门负责同志视频连线协商。",
        ["会议采取视频方式，在各县区设分会场。", "有关部门负责同志现场回应委员关切。"],
    ),
    "opinions": (
        "上半年社情民意信息工作情况通报",
        "上半年共收到社情民意信息312条，采用89条。",
        ["上半年全市政协系统共报送社情民意信息312条，被采用89条。", "下半年将进一步提高信息质量和时效。"],
    ),
    "work_info": (
        "市政协机关开展“走进基层”调研活动",
        "机关干部深入社区听取群众意见。",
        ["机关各部门组成调研组，分赴五个街道开展调研。", "调研成果将形成报告报送市委市政府。"],
    ),
    "news": (
        "市政协十四届二十次常委会议召开",
        "会议审议通过年度提案工作情况报告。",
        ["会议听取和审议了提案委员会关于年度提案办理情况的报告。", "会议强调，要持续提高提案质量和办理实效。"],
    ),
    "study": (
        "委员学习：深入学习《中国人民政治协商会议章程》",
        "本期学习材料及思考题。",
        ["本期学习《章程》总纲和委员权利义务部分。", "请委员结合履职实际撰写学习体会。"],
    ),
    "party": (
        "机关党组召开理论学习中心组学习会",
        "围绕全面从严治党开展专题学习。",
        ["会议传达学习了上级有关会议精神。", "会议要求各党支部落实好“三会一课”制度。"],
    ),
    "bills": (
        "市人大常委会议案建议办理工作推进会召开",
        "部署年度代表建议办理工作。",
        ["会议通报了代表建议交办及办理进展情况。", "要求各承办单位按期答复，提高满意率。"],
    ),
    "liaison": (
        "代表联络站开展“代表接待日”活动",
        "代表进站听取选民意见。",
        ["本月代表接待日共接待群众46人次，收集意见建议21条。", "意见建议已分类转交有关部门办理。"],
    ),
    "regulations": (
        "《江海市物业管理条例（草案）》公开征求意见",
        "征求意见截止日期为2027年1月10日。",
        [
            "为提高立法质量，现将条例草案全文公布，广泛征求社会各界意见。",
            "意见可通过平台留言提交，截止日期为2027年1月10日。",
        ],
    ),
}


def _name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // len(SURNAMES)) % len(GIVEN)]


class Staffer:
    def __init__(self, actor=None):
        self.actor = actor
        self.created: list[User] = []

    def _next_phone(self) -> str:
        taken = set(
            User.objects.filter(phone__gte=str(EXTRA_FIRST_PHONE), phone__lte=str(EXTRA_LAST_PHONE)).values_list(
                "phone", flat=True
            )
        )
        for number in range(EXTRA_FIRST_PHONE, EXTRA_LAST_PHONE + 1):
            if str(number) not in taken:
                return str(number)
        raise RuntimeError("the demo's extra phone range is full")

    def add_holder(self, unit: OrgUnit, role: str) -> User:
        from lvzhi.web.demo import DEMO_PASSWORD  # demo.py imports this module: a genuine cycle

        phone = self._next_phone()
        user = account_services.create_user(
            actor=self.actor,
            phone=phone,
            real_name=_name(int(phone) - EXTRA_FIRST_PHONE),
            unit=unit,
            initial_password=DEMO_PASSWORD,
            title=ROLE_TITLES.get(role, ""),
        )
        account_services.mark_demo_password_kept(actor=self.actor, user=user)
        account_services.grant_role(actor=self.actor, user=user, role=role, unit=unit)
        self.created.append(user)
        return user

    def ensure_offices(self, body: OrgUnit) -> None:
        """Create the offices the body's default columns name (as owners or chain steps) but the body lacks (each
        becomes an owning department of the columns that name it)."""
        # a cycle: web.demo imports this module (extra_logins)
        from lvzhi.content import defaults

        functions = set()
        for item in defaults.column_set(body):
            for code in [item["code"]] + [c["code"] for c in item["children"]]:
                _audience, owners, chain = defaults.preset(code)
                functions |= {o for o in owners if o != defaults.COMMITTEES}
                functions |= {function for _k, _r, _s, function, _a in chain if function}
        for function in sorted(functions):
            if function in OFFICE_NAMES and not OrgUnit.objects.filter(body=body, function=function).exists():
                backoffice_services.create_unit(  # becomes an owner of the columns that name it
                    actor=self.actor, name=OFFICE_NAMES[function], kind=UnitKind.OFFICE, parent=body, function=function
                )

    def staff(self, bodies, kinds=("chain", "handling", "hotline")) -> None:
        """Add holders until the back office finds no step of `kinds` nobody can take (at most a few rounds). The
        demo leaves committees without office staff on purpose: reports of their members go to the liaison
        office, and the back office warns about them."""
        # a cycle: web.demo imports this module (extra_logins)
        from lvzhi.backoffice.staffing import staffing_gaps

        for _round in range(4):
            gaps = [g for g in staffing_gaps(bodies) if g.unit is not None and g.kind in kinds]
            if not gaps:
                return
            done = set()
            for gap in gaps:
                if (gap.unit.pk, gap.role) not in done:
                    done.add((gap.unit.pk, gap.role))
                    self.add_holder(gap.unit, gap.role)


def _holder(unit, role, exclude) -> User | None:
    # a cycle: web.demo imports this module (extra_logins)
    from lvzhi.workflow.selectors import users_with_roles

    return next((u for u in users_with_roles(unit, [role]) if u.pk not in exclude), None)


def publish_demo_article(column, *, actor=None):
    """Write an article in `column` as a drafter of its first owning department, and take it through the chain."""
    # a cycle: web.demo imports this module (extra_logins)
    from lvzhi.content import services as content
    from lvzhi.content.models import StepKind

    owners = [u for u in column.owners.all() if u.is_active]
    author = None
    for owner in owners:
        author = _holder(owner, Role.STAFF, set()) or _holder(owner, Role.HEAD, set())
        if author is not None:
            break
    if author is None:
        return None
    fallback = (f"{column.name}工作动态", f"{column.name}栏目近期工作情况。", [f"{column.name}栏目近期工作情况通报。"])
    title, summary, paragraphs = DEMO_ARTICLES.get(column.code, fallback)
    article = content.create_draft(
        actor=author,
        column=column,
        title=title,
        body_html="".join(f"<p>{text}</p>" for text in paragraphs),
        summary=summary,
        unit=owner,
    )
    article = content.submit(actor=author, article=article)
    checklist = dict(content.CHECKLIST)
    deciders = {author.pk}
    while article.current_step is not None:
        step = article.current_step
        decider = _holder(step.unit, step.role, deciders if step.kind != StepKind.PUBLISH else {author.pk})
        if decider is None:
            return article
        if step.kind == StepKind.PUBLISH:
            return content.publish(actor=decider, article=article)
        article = content.decide(
            actor=decider,
            article=article,
            approve=True,
            checklist=checklist,
            secrecy_reviewed=True,
            findings_accepted=True,
        )
        deciders.add(decider.pk)
    return article


def load_staffing_demo(actor=None, bodies=None) -> int:
    """Staff the demo's city bodies and publish what is missing; returns how many users and articles it made."""
    # a cycle: web.demo imports this module (extra_logins)
    from lvzhi.content import services as content
    from lvzhi.content.models import Article, Column
    from lvzhi.web.demo import CONGRESS, CPPCC, GOV

    if bodies is None:
        bodies = list(OrgUnit.objects.filter(parent=None, name__in=[CPPCC, CONGRESS], kind=UnitKind.BODY))
    government = list(OrgUnit.objects.filter(parent=None, name=GOV, kind=UnitKind.BODY))
    staffer = Staffer(actor)
    made = 0
    for body in bodies:
        with transaction.atomic():
            content.ensure_default_columns(actor=actor, body=body)  # (installed when the body was created)
            staffer.ensure_offices(body)
    with transaction.atomic():
        staffer.staff(bodies + government)
    for body in bodies:
        columns = Column.objects.filter(body=body, is_active=True).prefetch_related("owners").order_by("sort_order")
        live = set(
            Article.objects.filter(body=body, status=Article.Status.PUBLISHED).values_list("column_id", flat=True)
        )
        for column in columns:
            if column.pk not in live:
                with transaction.atomic():
                    if publish_demo_article(column, actor=actor) is not None:
                        made += 1
    return len(staffer.created) + made


def extra_logins() -> list[dict]:
    """The users this module added, for `lvzhi demo`'s list of logins."""
    users = (
        User.objects.filter(phone__gte=str(EXTRA_FIRST_PHONE), phone__lte=str(EXTRA_LAST_PHONE))
        .select_related("unit", "unit__body")
        .order_by("phone")
    )
    roles = {}
    for a in RoleAssignment.objects.filter(user__in=users, revoked_at__isnull=True).order_by("pk"):
        roles.setdefault(a.user_id, a.role)
    rows = []
    for user in users:
        role = roles.get(user.pk, "")
        rows.append(
            {
                "role": str(Role(role).label) if role in Role.values else "",
                "name": user.real_name,
                "phone": user.phone,
                "unit": user.unit.name if user.unit else "",
                "body": user.unit.body.name if user.unit and user.unit.body else "",
                "note": "",
            }
        )
    return rows
