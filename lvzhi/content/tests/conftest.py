"""A CPPCC body with the offices the default chains name, a user for every role, and another body."""

from types import SimpleNamespace

import pytest

from lvzhi.accounts.roles import Role
from lvzhi.content import services
from lvzhi.content.models import Column
from lvzhi.orgs.models import Level, UnitFunction, UnitKind
from lvzhi.testing import make_body, make_unit, make_user

CHECKLIST_OK = {
    "secrets": "no",
    "policy": "yes",
    "copyright": "yes",
    "harm": "no",
    "image": "yes",
    "timing": "yes",
    "sensitive": "no",
    "statistics": "na",
    "other": "no",
}


def msg(text, partial=False):
    """The page text of a message in the active language (translated once the catalogue has it), HTML-escaped."""
    from django.utils.html import escape
    from django.utils.translation import gettext

    if partial:
        return escape(text)
    return escape(gettext(text))


VALID_ID = "11010519491231002X"  # a valid GB 11643 check character


def build_body(name="江海市政协", level=Level.CITY, parent=None, prefix=""):
    body = make_body(name, level=level, parent=parent)
    F = UnitFunction
    u = SimpleNamespace(body=body)
    u.general = make_unit(body, "办公厅", function=F.GENERAL_OFFICE)
    u.research = make_unit(body, "研究室", function=F.RESEARCH_OFFICE)
    u.liaison = make_unit(body, "委员联络委员会", kind=UnitKind.COMMITTEE, function=F.LIAISON_OFFICE)
    u.info = make_unit(body, "信息化办", function=F.INFO_OFFICE)
    u.secrecy = make_unit(body, "保密办", function=F.SECRECY_OFFICE)
    u.study = make_unit(body, "学习委员会", kind=UnitKind.COMMITTEE, function=F.STUDY)
    u.publicity = make_unit(body, "新闻宣传处", function=F.PUBLICITY)
    u.party = make_unit(body, "机关党委", function=F.PARTY_ORG)
    u.economy = make_unit(body, "经济委员会", kind=UnitKind.COMMITTEE)
    u.author = make_user(u.general, roles=[Role.STAFF], real_name=f"{prefix}赵撰稿")
    u.reviewer = make_user(u.general, roles=[Role.STAFF], real_name=f"{prefix}钱审核")
    u.head = make_user(u.general, roles=[Role.HEAD], real_name=f"{prefix}孙主任")
    u.publisher = make_user(u.general, roles=[Role.HEAD], real_name=f"{prefix}周发布")
    u.member = make_user(body, roles=[Role.MEMBER], real_name=f"{prefix}王委员")
    u.member2 = make_user(body, roles=[Role.MEMBER], real_name=f"{prefix}吴委员")
    u.monitor = make_user(u.info, roles=[Role.MONITOR], real_name=f"{prefix}郑监测")
    u.info_officer = make_user(u.info, roles=[Role.INFO_OFFICE], real_name=f"{prefix}冯信息")
    u.secrecy_officer = make_user(u.secrecy, roles=[Role.SECRECY_OFFICE], real_name=f"{prefix}陈保密")
    u.leader = make_user(body, roles=[Role.LEADER], real_name=f"{prefix}褚领导")
    u.handling = make_user(body, roles=[Role.HANDLING], real_name=f"{prefix}卫承办")
    u.sysadmin = make_user(u.info, roles=[Role.SYSADMIN], real_name=f"{prefix}蒋系统")
    services.ensure_default_columns(body=body)
    u.notices = Column.objects.get(body=body, code="notices")
    return u


@pytest.fixture
def world():
    return build_body()


@pytest.fixture
def other():
    return build_body("西山县政协", level=Level.COUNTY, prefix="西山")


def draft(w, *, title="关于召开全委会的通知", body="<p>定于下周召开全体委员会议。</p>", column=None, author=None, **kw):
    return services.create_draft(
        actor=author or w.author, column=column or w.notices, title=title, body_html=body, **kw
    )


def approve(w, article, actor, **kw):
    params = {
        "checklist": CHECKLIST_OK,
        "secrecy_reviewed": True,
        "findings_accepted": True,
        **kw,
    }
    return services.decide(actor=actor, article=article, approve=True, **params)


def publish_article(w, **kw):
    """Draft → submit → review (staff) → approve (head) → publish (another head)."""
    article = draft(w, **kw)
    article = services.submit(actor=w.author, article=article)
    article = approve(w, article, w.reviewer)
    article = approve(w, article, w.head)
    return services.publish(actor=w.publisher, article=article)
