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
DEMO_TEXT = (
    "<p>{name}栏目演示文章。本文用于展示从撰稿、审核、审批到发布的完整流程。</p>"
    "<p>各部门按照栏目审批链逐级把关，确保内容准确、合规。</p>"
)


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
    from lvzhi.workflow.selectors import users_with_roles

    return next((u for u in users_with_roles(unit, [role]) if u.pk not in exclude), None)


def publish_demo_article(column, *, actor=None):
    """Write an article in `column` as a drafter of its first owning department, and take it through the chain."""
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
    article = content.create_draft(
        actor=author,
        column=column,
        title=f"{column.name}：演示文章",  # demo content is Chinese data, not UI text
        body_html=DEMO_TEXT.format(name=column.name),
        summary="一篇走完本栏目审批流程的演示文章。",
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
