"""Demo data of the seeds' content rules (S0-10, S2-6, S2-18/19, S2-27, S2-29), loaded after the staffing demo so
that every column can be published in. Idempotent: each part looks for what it made before.

For the city CPPCC and congress: every column gets its disclosure category and a real maintainer; the designated
sources are listed; three register entries are filed in the archive (one lent and overdue, one awaiting approval of
its destruction); a rumour rebuttal goes through the expedited chain (its response time shows on the report page);
and the general office's annual disclosure report for last year is generated as a draft.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import OrgUnit, UnitFunction, UnitKind
from lvzhi.workflow.selectors import users_with_roles

from . import permissions as perms
from . import selectors, services
from .models import AnnualReport, ArchiveLoan, ArchiveRecord, Article, Column, RegisterEntry, RepostSource, StepKind

BODIES = ("江海市政协", "江海市人大常委会")  # the city bodies of lvzhi.web.demo (data, not imported: web is above us)
SOURCES = [
    ("新华社", "www.news.cn"),
    ("人民网", "www.people.com.cn"),
    ("中国政府网", "www.gov.cn"),
    ("省人民政府网", ""),
]
RUMOUR_TITLE = "关于网传“江海大桥封闭”的辟谣说明"


def _first(unit, role, exclude=()):
    return next((u for u in users_with_roles(unit, [role]) if u.pk not in set(exclude)), None)


def _info_officer(body):
    return _first(body, Role.INFO_OFFICE)


def _walk(article, author):
    """Take a submitted article through its chain with the demo's step holders."""
    deciders = {author.pk}
    while article.current_step is not None:
        step = article.current_step
        decider = _first(step.unit, step.role, deciders if step.kind != StepKind.PUBLISH else {author.pk})
        if decider is None:
            return article
        if step.kind == StepKind.PUBLISH:
            return services.publish(actor=decider, article=article)
        article = services.decide(
            actor=decider, article=article, approve=True, checklist=dict(services.CHECKLIST),
            secrecy_reviewed=True, findings_accepted=True,
        )  # fmt: skip
        deciders.add(decider.pk)
    return article


def _sources(body, officer) -> int:
    made = 0
    for name, site in SOURCES:
        if not RepostSource.objects.filter(body=body, name=name).exists():
            services.add_repost_source(actor=officer, body=body, name=name, site=site)
            made += 1
    return made


def _archive(body) -> int:
    if ArchiveRecord.objects.filter(body=body).exists():
        return 0
    entries = list(RegisterEntry.objects.filter(body=body).select_related("unit").order_by("published_at", "pk")[:3])
    made = 0
    for i, entry in enumerate(entries):
        clerk = _first(entry.unit, Role.STAFF) or _first(entry.unit, Role.HEAD)
        if clerk is None:
            continue
        services.keep_archive(actor=clerk, entry=entry, location=f"档案室{'甲乙丙'[i]}柜第{i + 1}层")
        made += 1
        if i == 0:  # lent ten days ago, due three days ago: overdue on the archive page
            loan = services.lend_archive(
                actor=clerk, entry=entry, borrower="李档案", borrower_unit="研究室", purpose="编写年度工作总结",
                due_on=timezone.localdate(),
            )  # fmt: skip
            ArchiveLoan.objects.filter(pk=loan.pk).update(
                lent_at=timezone.now() - dt.timedelta(days=10), due_on=timezone.localdate() - dt.timedelta(days=3)
            )
        elif i == 1:  # awaiting the department head's (or a leader's) approval
            services.request_destruction(actor=clerk, entry=entry, reason="已超过保管期限，经清点拟销毁")
    return made


def _rumour(body) -> int:
    column = Column.objects.filter(body=body, code="news", is_active=True).first()
    if column is None or Article.objects.filter(body=body, title=RUMOUR_TITLE).exists():
        return 0
    research = OrgUnit.objects.filter(body=body, function=UnitFunction.RESEARCH_OFFICE, is_active=True).first()
    author = research and (_first(research, Role.STAFF) or _first(research, Role.HEAD))
    if author is None:
        return 0
    article = services.create_draft(
        actor=author, column=column, unit=research, title=RUMOUR_TITLE, urgency="rumour",
        event_noted_at=timezone.now() - dt.timedelta(hours=2, minutes=15),
        body_html="<p>近日网传“江海大桥将封闭三个月”，经向市交通运输局核实，该消息不实。大桥正常通行，请以官方发布为准。</p>",
    )  # fmt: skip
    _walk(services.submit(actor=author, article=article), author)
    return 1


def _annual_report(body) -> int:
    """The general office's report for last year, as a draft in a column its clerk may write in (通知公告 first)."""
    general = OrgUnit.objects.filter(body=body, function=UnitFunction.GENERAL_OFFICE, is_active=True).first()
    year = timezone.localdate().year - 1
    if general is None or AnnualReport.objects.filter(body=body, year=year).exists():
        return 0
    author = _first(general, Role.STAFF) or _first(general, Role.HEAD)
    if author is None:
        return 0
    for column in sorted(selectors.writable_columns(author), key=lambda c: (c.code != "notices", c.sort_order)):
        units = perms.draft_units(author, column)
        if units:
            services.generate_annual_report(actor=author, unit=units[0], year=year, column=column)
            return 1
    return 0


def load_content_rules_demo(actor=None) -> int:
    made = 0
    lacking = Column.objects.filter(maintainer__isnull=True).values("body_id")
    for body in OrgUnit.objects.filter(pk__in=lacking).order_by("path"):
        with transaction.atomic():  # every body's columns get a maintainer where it has staff (S2-19)
            made += len(services.assign_default_maintainers(actor=actor, body=body))
    for body in OrgUnit.objects.filter(parent=None, name__in=BODIES, kind=UnitKind.BODY):
        officer = _info_officer(body)
        with transaction.atomic():
            made += len(services.assign_default_maintainers(actor=actor, body=body))
            if officer is not None:
                made += _sources(body, officer)
        for part in (_archive, _rumour, _annual_report):
            with transaction.atomic():
                made += part(body)
    return made
