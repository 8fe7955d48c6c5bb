"""Columns (S0-5): default sets per body type, changes only by approval and audited, audiences, maintainers."""

import pytest

from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.content import selectors, services
from lvzhi.content.models import Column, ColumnChange, DisclosureCategory
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.orgs.models import BodyType
from lvzhi.testing import login, make_body, make_user

from .conftest import publish_article

pytestmark = pytest.mark.django_db


@pytest.mark.req("S0-5", "S4-2.1.1")
def test_a_cppcc_body_gets_the_eight_columns_with_study_sub_columns_and_a_congress_its_own_set(world):
    top = list(
        Column.objects.filter(body=world.body, parent=None).order_by("sort_order").values_list("name", flat=True)
    )
    assert top == ["通知公告", "网络议政", "远程协商", "社情民意", "工作信息", "政协动态", "委员学习", "党建专栏"]
    study = Column.objects.get(body=world.body, code="study")
    assert sorted(study.children.values_list("name", flat=True)) == ["学习园地", "政协知识"]
    assert set(world.notices.owners.all()) >= {world.general, world.research, world.liaison, world.economy}
    assert set(Column.objects.get(body=world.body, code="deliberation").owners.all()) >= {world.economy, world.liaison}
    assert AuditEvent.objects.filter(event="content.column.install", object_id=str(world.body.pk)).exists()
    assert services.ensure_default_columns(body=world.body) is False  # idempotent
    congress = make_body("江海市人大常委会", body_type=BodyType.CONGRESS)
    services.ensure_default_columns(body=congress)
    names = set(Column.objects.filter(body=congress).values_list("name", flat=True))
    assert {"议案建议", "人大动态", "代表联络", "法规草案"} <= names and "网络议政" not in names
    assert selectors.column_by_code(congress, "bills").name == "议案建议"
    assert selectors.column_by_code(congress, "nope") is None


@pytest.mark.req("S0-5", "S2-18", "S2-19")
def test_a_column_change_is_proposed_by_the_information_office_approved_by_a_leader_and_audited(client, world):
    login(client, world.info_officer)
    page = client.get("/content/columns/")
    assert page.status_code == 200 and "通知公告" in page.content.decode()
    response = client.post(
        "/content/columns/",
        {
            "body": world.body.pk,
            "action": "rename",
            "column": world.notices.pk,
            "name": "通知公告栏",
            "reason": "统一名称",
        },
    )
    assert response.status_code == 302
    change = ColumnChange.objects.get()
    assert change.status == "proposed"
    world.notices.refresh_from_db()
    assert world.notices.name == "通知公告"  # nothing changes before approval
    # the proposer cannot approve it; a member cannot even see it
    assert client.post(f"/content/columns/changes/{change.pk}/", {"decision": "approve"}).status_code == 400
    login(client, world.member)
    assert client.get(f"/content/columns/changes/{change.pk}/").status_code == 404
    assert client.get("/content/columns/").status_code == 404
    login(client, world.leader)
    assert (
        client.post(f"/content/columns/changes/{change.pk}/", {"decision": "approve", "note": "同意"}).status_code
        == 302
    )
    world.notices.refresh_from_db()
    assert world.notices.name == "通知公告栏"
    event = AuditEvent.objects.get(event="content.column.rename")
    assert event.before["name"] == "通知公告" and event.after["name"] == "通知公告栏" and event.actor == world.leader
    assert AuditEvent.objects.filter(event="content.column_change.approve").exists()
    # a maintainer is named (S2-18/19) and shown on the column
    maintainer = services.propose_column_change(
        actor=world.info_officer, body=world.body, action="maintainer", column=world.notices,
        payload={"maintainer": world.author.pk}, reason="指定维护人",
    )  # fmt: skip
    services.decide_column_change(actor=world.leader, change=maintainer, approve=True)
    login(client, world.member)
    assert "赵撰稿" in client.get("/content/c/notices/").content.decode()


@pytest.mark.req("S0-5")
def test_add_retire_reorder_and_rechain_columns(client, world):
    def apply(action, column=None, **payload):
        change = services.propose_column_change(
            actor=world.info_officer, body=world.body, action=action, column=column, payload=payload, reason="调整"
        )
        return services.decide_column_change(actor=world.leader, change=change, approve=True)

    category = DisclosureCategory.objects.get(body=world.body, code="services")
    apply("create", code="hotline", name="委员热线", audience="members", maintainer=world.head.pk, category=category.pk)
    hotline = Column.objects.get(body=world.body, code="hotline")
    assert hotline.audience == "members" and hotline.chain.count() == 3
    assert hotline.maintainer == world.head and hotline.disclosure_category == category
    apply("reorder", column=hotline, sort_order=1)
    login(client, world.member)
    tiles = client.get("/").content.decode()
    assert tiles.index('data-column="hotline"') < tiles.index('data-column="notices"')
    apply("retire", column=Column.objects.get(body=world.body, code="party"))
    login(client, world.member)
    assert 'data-column="party"' not in client.get("/").content.decode()
    assert client.get("/content/c/party/").status_code == 404
    # a new chain entered as text on the page
    login(client, world.info_officer)
    response = client.post(
        "/content/columns/",
        {
            "body": world.body.pk,
            "action": "chain",
            "column": world.notices.pk,
            "reason": "简化",
            "chain": "review staff host\npublish head function:general_office",
        },  # fmt: skip
    )
    assert response.status_code == 302
    services.decide_column_change(actor=world.leader, change=ColumnChange.objects.latest("id"), approve=True)
    assert list(world.notices.chain.values_list("kind", "role", "scope", "function")) == [
        ("review", "staff", "host", ""),
        ("publish", "head", "function", "general_office"),
    ]


@pytest.mark.req("S0-5", "S0-7")
def test_bad_column_changes_are_refused(world, other):
    propose = services.propose_column_change
    base = {"actor": world.info_officer, "body": world.body, "reason": "调整"}
    with pytest.raises(Conflict):
        propose(**base, action="create", payload={"code": "notices", "name": "重复"})
    with pytest.raises(ValidationFailed):
        propose(**base, action="create", payload={"code": "", "name": "无代码"})
    with pytest.raises(ValidationFailed):
        propose(**base, action="chain", column=world.notices, payload={"steps": [{"kind": "publish", "role": "head"}]})
    with pytest.raises(ValidationFailed):
        propose(
            **base,
            action="chain",
            column=world.notices,
            payload={"steps": [{"kind": "review", "role": "sysadmin"}, {"kind": "publish", "role": "head"}]},
        )
    with pytest.raises(ValidationFailed):
        propose(**base, action="rename", column=world.notices, payload={"name": "名" * 41})
    with pytest.raises(ValidationFailed):
        propose(**{**base, "reason": ""}, action="retire", column=world.notices, payload={})
    with pytest.raises(NotFound):
        propose(**base, action="retire", column=other.notices, payload={})
    with pytest.raises(NotFound):  # only the information office proposes
        propose(**{**base, "actor": world.leader}, action="retire", column=world.notices, payload={})
    change = propose(**base, action="retire", column=world.notices, payload={})
    with pytest.raises(Conflict):  # one pending change per column
        propose(**base, action="rename", column=world.notices, payload={"name": "新名"})
    with pytest.raises(PermissionDenied):
        services.decide_column_change(actor=other.leader, change=change, approve=True)
    with pytest.raises(ValidationFailed):
        services.decide_column_change(actor=world.leader, change=change, approve=False, note="")
    services.decide_column_change(actor=world.leader, change=change, approve=False, note="暂不调整")
    assert Column.objects.get(pk=world.notices.pk).is_active
    with pytest.raises(Conflict):
        services.decide_column_change(actor=world.leader, change=change, approve=True)


@pytest.mark.req("S0-5", "S0-2")
def test_audiences_members_staff_all(world):
    member_column = Column.objects.get(body=world.body, code="study")
    staff_column = Column.objects.get(body=world.body, code="work_info")
    for column, audience in ((member_column, "members"), (staff_column, "staff")):
        change = services.propose_column_change(
            actor=world.info_officer, body=world.body, action="audience", column=column,
            payload={"audience": audience}, reason="范围",
        )  # fmt: skip
        services.decide_column_change(actor=world.leader, change=change, approve=True)
    member_codes = {c.code for c in selectors.visible_columns(world.member)}
    assert "study" in member_codes and "work_info" not in member_codes and "notices" in member_codes
    handling = {c.code for c in selectors.visible_columns(world.handling)}
    assert "study" not in handling and "work_info" in handling
    staff = {c.code for c in selectors.visible_columns(world.author)}
    assert {"study", "work_info"} <= staff
    monitor = {c.code for c in selectors.visible_columns(world.monitor)}
    assert {"study", "work_info"} <= monitor
    assert selectors.visible_columns(world.sysadmin) == []
    article = publish_article(world, column=staff_column, title="机关内部")
    assert article.pk not in [a.pk for a in selectors.feed(world.member)]
    assert article.pk in [a.pk for a in selectors.feed(make_user(world.general, roles=[Role.STAFF]))]


@pytest.mark.req("S0-5", "S4-2.1.1")
def test_public_portal_columns_offer_their_items_to_the_portal(world, other):
    change = services.propose_column_change(
        actor=world.info_officer, body=world.body, action="audience", column=world.notices,
        payload={"audience": "public"}, reason="面向公众公开",
    )  # fmt: skip
    services.decide_column_change(actor=world.leader, change=change, approve=True)
    public = publish_article(world, title="公开通知")
    publish_article(world, title="内部工作信息", column=Column.objects.get(body=world.body, code="work_info"))
    publish_article(other, title="西山县通知")
    assert [a.title for a in selectors.public_articles(world.body)] == ["公开通知"]
    assert public.pk in [a.pk for a in selectors.feed(world.member)]
