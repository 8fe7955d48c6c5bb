"""The permission matrix: every role × every article transition × every state, including another body's staff
(for whom everything looks not found) and readers whose column audience excludes them."""

import pytest
from django.db import transaction

from lvzhi.content import selectors, services
from lvzhi.content.models import Column
from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.testing import login

from .conftest import approve, draft, publish_article

pytestmark = pytest.mark.django_db

ROLES = [
    "author", "reviewer", "head", "publisher", "member", "monitor", "info_officer", "secrecy_officer", "leader",
    "handling", "sysadmin", "other_head", "other_secrecy_officer", "other_member",
]  # fmt: skip
STATES = ["draft", "review", "approve_step", "approved", "published", "returned", "withdrawn"]
DRAFTERS = {"author", "reviewer", "head", "publisher"}


def user_of(world, other, role):
    return getattr(other, role[6:]) if role.startswith("other_") else getattr(world, role)


def make_state(w, state):
    article = draft(w)
    if state == "draft":
        return article
    article = services.submit(actor=w.author, article=article)
    if state == "review":
        return article
    if state == "returned":
        return services.decide(actor=w.reviewer, article=article, approve=False, comment="请修改")
    article = approve(w, article, w.reviewer)
    if state == "approve_step":
        return article
    article = approve(w, article, w.head)
    if state == "approved":
        return article
    article = services.publish(actor=w.publisher, article=article)
    if state == "published":
        return article
    return services.withdraw(actor=w.info_officer, article=article, reason="撤下")


def expected(role, action, state) -> bool:
    if action == "submit":
        # the reviewer may submit a colleague's draft only if a third person can review it: here nobody can
        return state in ("draft", "returned") and role in DRAFTERS - {"reviewer"}
    if action == "discard":
        return state in ("draft", "returned") and role in DRAFTERS
    if action == "approve":
        return (state == "review" and role == "reviewer") or (state == "approve_step" and role in ("head", "publisher"))
    if action == "return":
        return expected(role, "approve", state) or (state == "approved" and role in ("head", "publisher"))
    if action == "publish":
        return state == "approved" and role in ("head", "publisher")
    if action == "withdraw":
        return state == "published" and role in ("info_officer", "secrecy_officer", "head", "publisher")
    if action == "revise":
        return state in ("published", "withdrawn") and role in DRAFTERS
    raise AssertionError(action)


def run(w, user, action, pk):
    work = selectors.access_work_article
    if action == "submit":
        return services.submit(actor=user, article=work(user, pk))
    if action == "discard":
        return services.discard(actor=user, article=work(user, pk))
    if action == "approve":
        return approve(w, work(user, pk), user)
    if action == "return":
        return services.decide(actor=user, article=work(user, pk), approve=False, comment="退回")
    if action == "publish":
        return services.publish(actor=user, article=work(user, pk))
    if action == "withdraw":
        return services.withdraw(actor=user, article=selectors.access_article(user, pk), reason="撤稿")
    if action == "revise":
        return services.revise(actor=user, article=work(user, pk))
    raise AssertionError(action)


@pytest.mark.req("S0-7", "S0-11", "S2-36", "S4-2.4", "S2-6")
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ["submit", "approve", "return", "publish", "withdraw", "revise", "discard"])
def test_role_by_transition_by_state(world, other, state, action):
    article = make_state(world, state)
    outcomes = {}
    for role in ROLES:
        user = user_of(world, other, role)
        with transaction.atomic():
            try:
                run(world, user, action, article.pk)
                outcomes[role] = "ok"
            except NotFound:
                outcomes[role] = "not_found"
            except ApplicationError as exc:
                outcomes[role] = exc.code
            transaction.set_rollback(True)
    for role in ROLES:
        if expected(role, action, state):
            assert outcomes[role] == "ok", (role, outcomes[role])
        else:
            assert outcomes[role] != "ok", role
        if role.startswith("other_") or role == "sysadmin":
            assert outcomes[role] == "not_found", (role, outcomes[role])  # forbidden looks like not found


@pytest.mark.req("S0-7", "S2-36", "S0-2")
@pytest.mark.parametrize("state", STATES)
def test_who_may_see_an_article_in_each_state(client, world, other, state):
    article = make_state(world, state)
    for role in ROLES:
        login(client, user_of(world, other, role))
        reading = client.get(f"/content/a/{article.pk}/")
        working = client.get(f"/content/w/{article.pk}/")
        readers = {"author", "reviewer", "head", "publisher", "member", "monitor", "info_officer",
                   "secrecy_officer", "leader", "handling"}  # fmt: skip
        if state == "published" and role in readers:
            assert reading.status_code == 200, role
        elif role in DRAFTERS | {"info_officer", "secrecy_officer", "leader"}:
            assert reading.status_code == 302 and reading["Location"] == f"/content/w/{article.pk}/", role
        else:
            assert reading.status_code in (302, 404), role
            if reading.status_code == 302:
                assert reading["Location"].startswith("/accounts/")  # administrators are sent away
        may_work = role in DRAFTERS | {"info_officer", "secrecy_officer", "leader"}
        assert (working.status_code == 200) == may_work, (role, working.status_code)


@pytest.mark.req("S0-5", "S0-2")
def test_a_reader_outside_the_columns_audience_cannot_read_favourite_or_report(world):
    column = Column.objects.get(body=world.body, code="work_info")
    change = services.propose_column_change(
        actor=world.info_officer, body=world.body, action="audience", column=column, payload={"audience": "staff"},
        reason="仅限机关",
    )  # fmt: skip
    services.decide_column_change(actor=world.leader, change=change, approve=True)
    article = publish_article(world, column=column)
    for fn in (
        lambda: selectors.access_live_article(world.member, article.pk),
        lambda: services.add_favourite(actor=world.member, article=article),
        lambda: services.record_read(actor=world.member, article=article),
        lambda: services.report_article(actor=world.member, article=article, kind="wrong", reason="x"),
    ):
        with pytest.raises(NotFound):
            fn()
    assert selectors.access_live_article(world.handling, article.pk) == article
