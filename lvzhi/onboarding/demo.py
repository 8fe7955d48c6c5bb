"""Demo of onboarding (idempotent): 韩入驻 (13900003201), staff of 江海市政协's members' liaison committee, with one
finished import of three members (13900003211–13) so that the pages show a job, its report and the export;
韩信息 (13900003501), information office of 江海市政协 (staff with their roles: template, export, import), and
韩提案 (13900003502), staff of its proposals committee (past proposals and replies: template, import)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import OrgUnit, UnitFunction, UnitKind

from . import services
from .columns import MEMBER_COLUMNS
from .models import ImportJob

DEMO_PASSWORD = "Lvzhi@2026demo"  # the one demo password (see lvzhi.web.demo)
CLERK = "13900003201"
PEOPLE = [
    ("13900003211", "韩书远", "110101198001010010"),
    ("13900003212", "韩书静", "110101198502020022"),
    ("13900003213", "韩书朗", ""),
]
INFO_CLERK = "13900003501"
PROPOSALS_CLERK = "13900003502"
LOGINS = (
    [("委员联络委员会（表格导入入驻：委员名单、换届、导出）", CLERK)]
    + [("表格导入的委员（示例导入所建账号）", phone) for phone, _name, _id in PEOPLE]
    + [
        ("信息化办（表格导入：工作人员及角色）", INFO_CLERK),
        ("提案委员会（表格导入：历史提案及答复）", PROPOSALS_CLERK),
    ]
)


def _file(sector: str) -> SimpleUploadedFile:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("委员代表")
    sheet.append([c.header for c in MEMBER_COLUMNS])
    for phone, name, id_card in PEOPLE:
        sheet.append([name, phone, id_card, sector, "无党派人士", "", "", "第十三届", "江海市某研究院 研究员", ""])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("江海市政协-委员名单（示例）.xlsx", out.getvalue())


def _office_clerks(actor, body) -> int:
    """The information office's and the proposals committee's demo clerks (the staff and the history imports)."""
    made = 0
    offices = (
        (INFO_CLERK, "韩信息", UnitFunction.INFO_OFFICE, Role.INFO_OFFICE, True),
        (PROPOSALS_CLERK, "韩提案", UnitFunction.PROPOSALS_OFFICE, Role.STAFF, False),
    )
    for phone, name, function, role, at_body in offices:
        unit = OrgUnit.objects.filter(body=body, function=function).order_by("path").first()
        if unit is None or User.objects.filter(phone=phone).exists():
            continue
        user = account_services.create_user(
            actor=actor, phone=phone, real_name=name, unit=unit, initial_password=DEMO_PASSWORD, title="干部"
        )
        account_services.mark_demo_password_kept(actor=actor, user=user)
        account_services.grant_role(
            actor=actor, user=user, role=role, unit=body if at_body else unit, include_descendants=at_body
        )
        made += 1
    return made


def load_onboarding_demo(actor=None) -> int:
    body = OrgUnit.objects.filter(kind=UnitKind.BODY, name="江海市政协").first()
    office = body and OrgUnit.objects.filter(body=body, function=UnitFunction.LIAISON_OFFICE).order_by("path").first()
    sector = body and OrgUnit.objects.filter(body=body, kind=UnitKind.SECTOR).order_by("path").first()
    if office is None or sector is None:
        return 0
    made = _office_clerks(actor, body)
    clerk = User.objects.filter(phone=CLERK).first()
    if clerk is None:
        clerk = account_services.create_user(
            actor=actor, phone=CLERK, real_name="韩入驻", unit=office, initial_password=DEMO_PASSWORD, title="干部"
        )
        account_services.mark_demo_password_kept(actor=actor, user=clerk)
        account_services.grant_role(actor=actor, user=clerk, role=Role.STAFF, unit=office)
        made += 1
    if ImportJob.objects.filter(body=body, created_by=clerk).exists():
        return made
    job = services.create_job(actor=clerk, body=body, kind=ImportJob.Kind.MEMBERS, upload=_file(sector.name))
    services.check_job(job.pk)
    job.refresh_from_db()
    if job.status == ImportJob.Status.CHECKED:
        services.confirm_job(actor=clerk, job=job, exclude_bad_rows=True)
        services.run_job(job.pk)
    # Imported accounts have no password until they set one (SMS) or the office issues one; the demo shows them as
    # after their first login, with the one demo password.
    for user in User.objects.filter(phone__in=[p for p, _n, _i in PEOPLE], must_change_password=True):
        account_services.change_password(user=user, new_password=DEMO_PASSWORD, actor=actor)
    return made + 1
