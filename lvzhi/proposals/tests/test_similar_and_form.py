"""The draft form and the similar-item suggestion (issue 10 item 8): each field labelled once, a title naming what
it creates, each body's own co-signing rule, and similar items matched on title and text through the search index
with a score above a threshold (S4-2.2.4, S3-18)."""

import re

import pytest
from django.core.management import call_command

from lvzhi.orgs import services as org_services
from lvzhi.proposals import services
from lvzhi.proposals.models import Kind
from lvzhi.proposals.similar import THRESHOLD, similar_items
from lvzhi.search.models import SearchEntry
from lvzhi.testing import login

pytestmark = pytest.mark.django_db

CHARGING = (
    "关于加快新能源汽车充电桩建设的提案",
    "我市新能源汽车保有量快速增长，老旧小区和公共停车场充电桩数量不足，充电难问题突出。建议统筹规划充电桩布局，"
    "在小区停车位配建充电设施，简化报装流程，鼓励社会资本参与充电桩建设运营。",
)
CHARGING_TOO = (
    "关于在住宅小区配建电动汽车充电桩的提案",
    "住宅小区充电桩配建率低，电动汽车车主充电难。建议住建部门会同供电公司推进小区充电设施改造，落实停车位配建充电桩要求。",
)
MENTAL = (
    "关于加强青少年心理健康教育的提案",
    "青少年心理问题日益突出，学校心理健康教育师资不足。建议配齐专职心理教师，建立心理危机干预机制，加强家校协同，"
    "推动社区心理服务进校园。",
)


def proposal(w, member, title, text):
    p = services.create_draft(
        actor=member, body=w.cppcc, kind=Kind.PROPOSAL, title=title, content=text, category="社会建设", keywords=""
    )
    return services.submit(actor=member, proposal=p)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.req("S4-2.2.4")
def test_similar_items_match_on_title_and_text_with_a_score_above_the_threshold(client, w):
    charging = proposal(w, w.member, *CHARGING)
    mental = proposal(w, w.member2, *MENTAL)
    charging_too = proposal(w, w.member2, *CHARGING_TOO)
    assert SearchEntry.objects.filter(object_id__in=[charging.pk, mental.pk, charging_too.pk]).count() == 3
    found = similar_items(charging)
    assert [m.item.pk for m in found] == [charging_too.pk]  # the mental-health proposal is not offered
    assert found[0].score >= THRESHOLD
    below = similar_items(charging, threshold=0.0)
    mental_score = next(m.score for m in below if m.item.pk == mental.pk)
    assert mental_score < THRESHOLD / 2, mental_score
    assert [m.item.pk for m in similar_items(mental)] == []
    # the office sees the threshold and each match's score on the item
    login(client, w.cppcc_clerk)
    page = text_of(client.get(f"/proposals/{charging.pk}/"))
    assert "similar-threshold" in page and f"{round(THRESHOLD * 100)}%" in page
    assert (
        CHARGING_TOO[0] in page and MENTAL[0] not in page.split('data-testid="similar-threshold"')[1].split("</ul>")[0]
    )
    assert f"{found[0].percent}%" in page
    # the API offers the same
    from lvzhi.accounts.tokens import issue_token

    _token, token = issue_token(actor=w.cppcc_clerk, user=w.cppcc_clerk, device="test")
    api = client.get(f"/api/v1/proposals/{charging.pk}/similar", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert [item["id"] for item in api.json()] == [charging_too.pk]


@pytest.mark.req("S4-2.2.4")
def test_items_from_before_the_index_are_indexed_by_the_command(w):
    charging = proposal(w, w.member, *CHARGING)
    charging_too = proposal(w, w.member2, *CHARGING_TOO)
    SearchEntry.objects.all().delete()
    assert similar_items(charging) == []
    call_command("index_proposals", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.item.pk for m in similar_items(charging)] == [charging_too.pk]


@pytest.mark.req("S4-2.2.4", "S3-18")
def test_the_form_names_what_it_creates_labels_each_field_once_and_shows_the_bodys_own_rule(client, w):
    login(client, w.member)
    page = text_of(client.get("/proposals/new/"))
    assert "<title>新建提案" in page and 'data-testid="form-title">新建提案<' in page
    labels = re.findall(r"<label[^>]*>([^<]+)</label>", page)
    assert len(labels) == len(set(labels)), labels
    rules = page.split('data-testid="cosigning-rules"')[1].split("</ul>")[0]
    assert "提案" in rules and "议案" not in rules and "代表" not in rules  # a CPPCC member: no congress rule
    login(client, w.deputy)
    page = text_of(client.get("/proposals/new/"))
    assert 'data-testid="form-title">新建议案或建议<' in page
    rules = page.split('data-testid="cosigning-rules"')[1].split("</ul>")[0]
    assert "议案" in rules and "10" in rules and "代表团" in rules
    assert 'data-testid="form-title">新建议案<' in text_of(client.get("/proposals/new/?kind=bill"))
    assert 'data-testid="form-title">新建建议<' in text_of(client.get("/proposals/new/?kind=suggestion"))
    assert 'data-testid="form-title">新建议案或建议<' in text_of(client.get("/proposals/new/?kind=<b>x"))
    # the rule follows the body's setting
    org_services.set_body_setting(actor=None, body=w.congress, key="proposals.bill_min_signers", value=8)
    org_services.set_body_setting(actor=None, body=w.congress, key="proposals.bill_by_delegation", value=False)
    rules = text_of(client.get("/proposals/new/")).split('data-testid="cosigning-rules"')[1].split("</ul>")[0]
    assert "8" in rules and "代表团" not in rules
    # editing a draft names its kind
    p = services.create_draft(
        actor=w.deputy, body=w.congress, kind=Kind.SUGGESTION, title="关于公交线网优化的建议", content="建议优化线路。",
        category="社会建设", keywords="",
    )  # fmt: skip
    assert 'data-testid="form-title">修改建议草稿<' in text_of(client.get(f"/proposals/{p.pk}/edit/"))
