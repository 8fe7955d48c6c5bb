import csv
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from lvzhi.accounts.roles import Role
from lvzhi.onboarding.columns import MEMBER_COLUMNS
from lvzhi.orgs.models import UnitFunction, UnitKind
from lvzhi.testing import make_body, make_unit, make_user

HEADERS = [c.header for c in MEMBER_COLUMNS]


def id_card(serial: int, born: str = "19800101", area: str = "110101") -> str:
    """A valid GB 11643 number for the serial (three digits)."""
    base = f"{area}{born}{serial % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return base + "10X98765432"[sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11]


def member_row(i: int, **over) -> list:
    values = {
        "real_name": f"委员{i:05d}",
        "phone": f"139{i:08d}",
        "id_card": id_card(i % 1000, born=f"19{60 + i // 1000 % 30:02d}0101"),
        "sector": "经济界",
        "party": "九三学社",
        "committee": "经济委员会",
        "delegation": "",
        "term": "第十四届",
        "workplace": "某公司",
        "station": "",
    }
    values.update(over)
    return [values[c.key] for c in MEMBER_COLUMNS]


def xlsx_file(rows, headers=HEADERS, name="members.xlsx") -> SimpleUploadedFile:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("委员代表")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def csv_file(rows, encoding="gbk", name="members.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(encoding))


@pytest.fixture
def world(db):
    body = make_body("测试市政协")
    sector = make_unit(body, "经济界", kind=UnitKind.SECTOR)
    committee = make_unit(body, "经济委员会", kind=UnitKind.COMMITTEE)
    liaison = make_unit(body, "委员联络委员会", kind=UnitKind.COMMITTEE, function=UnitFunction.LIAISON_OFFICE)
    info = make_unit(body, "信息化办", function=UnitFunction.INFO_OFFICE)
    clerk = make_user(liaison, roles=[Role.STAFF], real_name="联络员")
    info_user = make_user(info, roles=[(Role.INFO_OFFICE, body, True)], real_name="信息员")
    sysadmin = make_user(info, roles=[(Role.SYSADMIN, body, True)], real_name="系统管理员")
    other = make_body("另一市政协")
    other_liaison = make_unit(other, "委员联络委员会", kind=UnitKind.COMMITTEE, function=UnitFunction.LIAISON_OFFICE)
    other_clerk = make_user(other_liaison, roles=[Role.STAFF], real_name="外机构联络员")
    return SimpleNamespace(
        body=body,
        sector=sector,
        committee=committee,
        clerk=clerk,
        info=info_user,
        sysadmin=sysadmin,
        other=other,
        other_clerk=other_clerk,
        liaison=liaison,
    )
