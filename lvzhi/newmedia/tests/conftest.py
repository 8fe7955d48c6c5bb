"""A city government (its office the competent office, S2-4) with departments, an internal sub-unit, the people
of every new-media role, and another city whose people see nothing."""

import datetime as dt
import io

import pytest
from PIL import Image

import lvzhi.urls  # noqa: F401  (the API schemas are built before any test freezes the clock)
from lvzhi.accounts.roles import Role
from lvzhi.newmedia import services
from lvzhi.newmedia.models import Duty
from lvzhi.orgs.models import BodyType, UnitKind
from lvzhi.testing import make_body, make_unit, make_user


class World:
    pass


def build_world():
    w = World()
    w.body = make_body("江海市人民政府", body_type=BodyType.GOVERNMENT)
    w.housing = make_unit(w.body, "市住建局", kind=UnitKind.HANDLING_UNIT)
    w.edu = make_unit(w.body, "市教育局", kind=UnitKind.HANDLING_UNIT)
    w.subunit = make_unit(w.housing, "住建局办公室", kind=UnitKind.OFFICE)
    w.op = make_user(w.housing, roles=[Role.NM_OPERATOR], real_name="蒋运营")
    w.chief = make_user(w.housing, roles=[Role.NM_EDITOR], real_name="秦总编")
    w.tech = make_user(w.housing, roles=[Role.NM_OPERATOR], real_name="唐技术")
    w.head = make_user(w.housing, roles=[Role.HEAD], real_name="住建局长")
    w.staff = make_user(w.housing, roles=[Role.STAFF], real_name="普通干部")
    w.office = make_user(w.body, roles=[Role.NM_COMPETENT], real_name="尤主管")
    w.edu_op = make_user(w.edu, roles=[Role.NM_OPERATOR], real_name="沈教育")
    w.edu_chief = make_user(w.edu, roles=[Role.NM_EDITOR], real_name="教育总编")
    w.member = make_user(w.body, roles=[Role.MEMBER], real_name="某委员")
    w.sysadmin = make_user(w.body, roles=[(Role.SYSADMIN, w.body, True)], real_name="曹系统")
    w.body2 = make_body("西山市人民政府", body_type=BodyType.GOVERNMENT)
    w.dept2 = make_unit(w.body2, "西山市文旅局", kind=UnitKind.HANDLING_UNIT)
    w.office2 = make_user(w.body2, roles=[Role.NM_COMPETENT], real_name="西山主管")
    w.op2 = make_user(w.dept2, roles=[Role.NM_OPERATOR], real_name="西山运营")
    w.chief2 = make_user(w.dept2, roles=[Role.NM_EDITOR], real_name="西山总编")
    return w


@pytest.fixture
def w(db):
    return build_world()


def people(chief, *others):
    others = others or (chief,)
    ids = [u.pk for u in others]
    return {Duty.CHIEF_EDITOR: [chief.pk], Duty.EDITOR: ids, Duty.REVIEWER: [chief.pk], Duty.TECHNICAL: ids[-1:]}


def png(color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), color).save(out, format="PNG")
    return out.getvalue()


def register(w, *, unit=None, actor=None, platform="wechat", name="住建之声", decision=None, **kw):
    unit = unit or w.housing
    actor = actor or w.op
    staff = kw.pop("people", None) or (
        people(w.chief, w.op, w.tech) if unit == w.housing else people(w.edu_chief, w.edu_op)
    )
    args = {
        "actor": actor,
        "host_unit": unit,
        "platform": platform,
        "name": name,
        "verification_subject": unit.name,
        "decision_date": decision or dt.date(2026, 6, 8),
        "decision_ref": "局党组会议纪要〔2026〕5号",
        "head_consent": True,
        "people": staff,
        "account_id": "gh_" + platform,
    }
    args.update(kw)
    return services.register_outlet(**args)
