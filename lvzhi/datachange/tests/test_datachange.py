"""Personal-data change requests (S0-26, S0-27): submit, queue, carry out or reject, within 5 working days."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import MemberProfile, User
from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.datachange import services as dc
from lvzhi.datachange.models import DataChangeRequest
from lvzhi.datachange.workflows import DEADLINE_KIND
from lvzhi.notify.models import Message
from lvzhi.orgs import services as org_services
from lvzhi.orgs.models import Level, UnitKind
from lvzhi.testing import login, make_body, make_unit, make_user
from lvzhi.workflow.models import Deadline, WorkflowEvent

pytestmark = pytest.mark.django_db

NEW = "/accounts/data-change/new/"
QUEUE = "/accounts/data-change/"
OLD_ID = "11010519491231002X"
NEW_ID = "110105194912310038"


def detail(req):
    return f"/accounts/data-change/{req.pk}/"


class World:
    pass


@pytest.fixture
def w():
    w = World()
    w.body = make_body("测试市政协")
    w.general = make_unit(w.body, "办公厅", function="general_office")
    w.liaison = make_unit(w.body, "委员联络室", function="liaison_office")
    w.research = make_unit(w.body, "研究室", function="research_office")
    w.committee = make_unit(w.body, "经济委员会", kind=UnitKind.COMMITTEE)
    w.member = make_user(w.committee, roles=["member"], real_name="张委员", id_card=OLD_ID)
    account_services.set_member_profile(actor=None, user=w.member, body=w.body, workplace="某公司 经理")
    w.other_member = make_user(w.committee, roles=["member"], real_name="李委员")
    w.clerk = make_user(w.research, roles=["staff"], real_name="王干事")
    w.liaison_staff = make_user(w.liaison, roles=["staff"], real_name="联络干事")
    w.liaison_head = make_user(w.liaison, roles=["head"], real_name="联络室主任")
    w.general_staff = make_user(w.general, roles=["staff"], real_name="办公厅干事")
    w.other_body = make_body("另一市政协")
    w.other_liaison = make_unit(w.other_body, "委员联络室", function="liaison_office")
    w.other_staff = make_user(w.other_liaison, roles=["staff"], real_name="外市干事")
    w.sysadmin = make_user(w.body, roles=["sysadmin"], real_name="系统管理员")
    w.secadmin = make_user(w.body, roles=["secadmin"], real_name="安全管理员")
    w.auditadmin = make_user(w.body, roles=["auditadmin"], real_name="审计管理员")
    return w


def submit(user, **changes):
    return dc.submit_data_change(actor=user, changes=changes, reason=changes.pop("reason", "工作调动"))


def deadline_for(req):
    ct = ContentType.objects.get_for_model(DataChangeRequest)
    return Deadline.objects.get(content_type=ct, object_id=req.pk, kind=DEADLINE_KIND)


@pytest.mark.req("S0-27", "S0-26")
@freeze_time("2026-09-28T09:00:00+08:00")
def test_member_submits_and_the_liaison_office_is_told_with_a_five_working_day_deadline(client, w):
    login(client, w.member)
    page = client.get(NEW)
    assert page.status_code == 200 and "某公司 经理" in page.content.decode()
    response = client.post(
        NEW,
        {
            "real_name": "张委员",
            "email": "zhang@example.cn",
            "title": "",
            "id_card": "",
            "workplace": "某大学 教授",
            "reason": "工作单位变动",
        },
    )
    assert response.status_code == 302
    req = DataChangeRequest.objects.get()
    assert response["Location"] == detail(req)
    assert (req.user, req.unit, req.status, req.reason) == (w.member, w.liaison, "submitted", "工作单位变动")
    assert req.changes == {"email": "zhang@example.cn", "workplace": "某大学 教授"}
    deadline = deadline_for(req)
    # Mon 28 Sep + 5 working days: 29, 30 Sep, 8, 9 Oct and the adjusted Saturday 10 Oct.
    assert deadline.due_at == timezone.make_aware(dt.datetime(2026, 10, 11))
    assert deadline.responsible_unit == w.liaison and deadline.met_at is None
    assert Message.objects.filter(recipient=w.liaison_staff, link=detail(req)).count() == 1
    assert not Message.objects.filter(recipient=w.general_staff).exists()
    assert AuditEvent.objects.filter(event="accounts.datachange.submit", object_id=str(req.pk)).count() == 1
    assert WorkflowEvent.objects.filter(object_id=req.pk, transition="submit", to_state="submitted").count() == 1
    # The requester sees it, with the last day.
    text = client.get(detail(req)).content.decode()
    assert "2026-10-10" in text and "某大学 教授" in text
    assert detail(req) in client.get("/accounts/data-change/mine/").content.decode()


@pytest.mark.req("S0-26")
def test_a_staff_members_request_goes_to_the_general_office(w):
    req = submit(w.clerk, title="副主任")
    assert req.unit == w.general
    assert Message.objects.filter(recipient=w.general_staff).count() == 1
    assert not Message.objects.filter(recipient=w.liaison_staff).exists()


@pytest.mark.req("S0-27", "S2-34")
@freeze_time("2026-09-29T10:00:00+08:00")
def test_staff_carry_the_change_out_and_the_user_record_changes(client, w):
    req = submit(w.member, real_name="张新名", id_card=NEW_ID.lower(), workplace="某大学 教授")
    assert "id_card" in req.changes and NEW_ID not in str(req.changes)  # stored SM4-encrypted
    login(client, w.liaison_staff)
    page = client.get(detail(req)).content.decode()
    assert NEW_ID not in page and OLD_ID not in page and "1101**********0038" in page  # masked for staff
    response = client.post(detail(req) + "apply/", {"note": "已核实"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert (req.status, req.decided_by, req.decision_note) == ("done", w.liaison_staff, "已核实")
    member = User.objects.get(pk=w.member.pk)
    assert (member.real_name, member.id_card) == ("张新名", NEW_ID)
    assert MemberProfile.objects.get(user=member).workplace == "某大学 教授"
    assert deadline_for(req).met_at is not None
    assert Message.objects.filter(recipient=w.member, event="accounts.datachange.apply").count() == 1
    apply_event = AuditEvent.objects.get(event="accounts.datachange.apply")
    assert apply_event.before["status"] == "submitted" and apply_event.after["status"] == "done"
    assert apply_event.after["values"]["id_card"] == "1101**********0038"
    assert apply_event.before["values"]["id_card"] == "1101**********002X"
    change_event = AuditEvent.objects.get(event="accounts.user.data_change")
    assert NEW_ID not in str(change_event.after) and OLD_ID not in str(change_event.before)
    assert change_event.after["real_name"] == "张新名"
    # A second click (or a second clerk) cannot carry it out again.
    response = client.post(detail(req) + "apply/", {"note": ""})
    assert response.status_code == 400
    assert AuditEvent.objects.filter(event="accounts.datachange.apply").count() == 1


@pytest.mark.req("S0-27")
def test_staff_reject_with_a_reason_and_the_user_is_told(client, w):
    req = submit(w.member, email="new@example.cn")
    login(client, w.liaison_staff)
    response = client.post(detail(req) + "reject/", {"reason": ""})
    assert response.status_code == 400
    req.refresh_from_db()
    assert req.status == "submitted" and not AuditEvent.objects.filter(event="accounts.datachange.reject").exists()
    response = client.post(detail(req) + "reject/", {"reason": "请提供单位证明"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert (req.status, req.decision_note) == ("rejected", "请提供单位证明")
    assert User.objects.get(pk=w.member.pk).email == ""
    message = Message.objects.get(recipient=w.member, event="accounts.datachange.reject")
    assert message.body == "请提供单位证明"
    assert deadline_for(req).met_at is not None


# ---- permissions ---------------------------------------------------------------------------------------------

ACTORS = [
    "requester",
    "liaison_staff",
    "liaison_head",
    "general_staff",
    "other_staff",
    "other_member",
    "sysadmin",
    "secadmin",
    "auditadmin",
]
SEES = {"requester", "liaison_staff"}


@pytest.mark.req("S0-26", "S0-27", "S0-4")
@pytest.mark.parametrize("who", ACTORS)
def test_permission_matrix(client, w, who):
    req = submit(w.member, email="new@example.cn")
    user = w.member if who == "requester" else getattr(w, who)
    login(client, user)
    view = client.get(detail(req))
    assert view.status_code == (200 if who in SEES else 404)
    queue = client.get(QUEUE)
    if who == "liaison_staff":
        assert queue.status_code == 200 and detail(req) in queue.content.decode()
    elif who in {"general_staff", "other_staff"}:
        assert queue.status_code == 200 and detail(req) not in queue.content.decode()
    else:
        assert queue.status_code == 404
    expected = {"liaison_staff": 302, "requester": 403}.get(who, 404)
    rejected = client.post(detail(req) + "reject/", {"reason": "不符合"})
    assert rejected.status_code == expected
    req.refresh_from_db()
    assert req.status == ("rejected" if who == "liaison_staff" else "submitted")
    if who != "liaison_staff":
        applied = client.post(detail(req) + "apply/", {"note": ""})
        assert applied.status_code == expected
        req.refresh_from_db()
        assert req.status == "submitted" and User.objects.get(pk=w.member.pk).email == ""


@pytest.mark.req("S0-27")
def test_missing_request_is_not_found(client, w):
    login(client, w.liaison_staff)
    assert client.get("/accounts/data-change/99999/").status_code == 404
    assert client.post("/accounts/data-change/99999/apply/", {}).status_code == 404


@pytest.mark.req("S0-27")
def test_staff_cannot_handle_their_own_request(client, w):
    req = submit(w.clerk, title="科长")
    w2 = make_user(w.general, roles=["staff"], real_name="另一办公厅干事")
    own = submit(w.general_staff, title="处长")
    login(client, w.general_staff)
    assert client.post(detail(own) + "apply/", {}).status_code == 403
    assert client.post(detail(req) + "apply/", {}).status_code == 302
    login(client, w2)
    assert client.post(detail(own) + "apply/", {}).status_code == 302


# ---- bad input -----------------------------------------------------------------------------------------------


@pytest.mark.req("S0-27")
@pytest.mark.parametrize(
    "data,field",
    [
        ({"reason": "变更"}, None),  # nothing changes
        ({"real_name": "张委员", "reason": "变更"}, None),  # same as now
        ({"email": "new@example.cn", "reason": ""}, "reason"),
        ({"email": "new@example.cn", "reason": "长" * 301}, "reason"),
        ({"real_name": "名" * 51, "reason": "改名"}, "real_name"),
        ({"email": "not-an-email", "reason": "变更"}, "email"),
        ({"id_card": "110105194912310037", "reason": "变更"}, "id_card"),  # wrong check digit
        ({"id_card": "12345", "reason": "变更"}, "id_card"),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_written(client, w, data, field):
    login(client, w.member)
    base = {"real_name": "张委员", "email": "", "title": "", "id_card": "", "workplace": "某公司 经理"}
    response = client.post(NEW, {**base, **data})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'class="errorlist' in text
    assert not DataChangeRequest.objects.exists()
    assert not Deadline.objects.exists() and not AuditEvent.objects.filter(event__startswith="accounts.data").exists()


@pytest.mark.req("S0-27")
def test_service_rejects_unknown_fields_workplace_of_non_members_and_a_second_pending_request(w):
    with pytest.raises(ValidationFailed) as exc:
        dc.submit_data_change(actor=w.member, changes={"phone": "13900000000"}, reason="换号")
    assert exc.value.code == "unknown_field"
    with pytest.raises(ValidationFailed) as exc:
        dc.submit_data_change(actor=w.clerk, changes={"workplace": "某处"}, reason="调动")
    assert exc.value.code == "invalid_changes"
    with pytest.raises(ValidationFailed) as exc:
        dc.submit_data_change(actor=w.member, changes={"email": "a@b.cn"}, reason="  ")
    assert exc.value.code == "reason_required"
    submit(w.member, email="a@example.cn")
    with pytest.raises(Conflict) as exc:
        submit(w.member, title="新职务")
    assert exc.value.code == "request_pending"
    assert DataChangeRequest.objects.count() == 1


@pytest.mark.req("S0-27")
def test_duplicate_submission_through_the_page_is_refused(client, w):
    login(client, w.member)
    post = {
        "real_name": "张委员",
        "email": "x@example.cn",
        "title": "",
        "id_card": "",
        "workplace": "某公司 经理",
        "reason": "变更",
    }
    assert client.post(NEW, post).status_code == 302
    second = client.post(NEW, {**post, "email": "y@example.cn"})
    assert second.status_code == 400 and 'class="errorlist' in second.content.decode()
    assert DataChangeRequest.objects.count() == 1


@pytest.mark.req("S0-27")
def test_body_without_a_maintaining_office_gives_a_clear_error(client):
    body = make_body("无联络室政协")
    member = make_user(body, roles=["member"])
    login(client, member)
    response = client.post(NEW, {"real_name": "新名字", "email": "", "title": "", "id_card": "", "reason": "改名"})
    assert response.status_code == 400
    assert not DataChangeRequest.objects.exists()


# ---- per-body deadline (S3-18) -------------------------------------------------------------------------------


@pytest.mark.req("S3-18", "S0-27")
@freeze_time("2026-06-01T09:00:00+08:00")
def test_a_county_body_sets_its_own_number_of_working_days(w):
    county = make_body("某县政协", level=Level.COUNTY, parent=w.body)
    liaison = make_unit(county, "委员联络室", function="liaison_office")
    make_user(liaison, roles=["staff"])
    member = make_user(county, roles=["member"])
    org_services.set_body_setting(actor=None, body=county, key="accounts.data_change_working_days", value=3)
    req = dc.submit_data_change(actor=member, changes={"title": "会长"}, reason="任职")
    # Mon 1 Jun + 3 working days: 2, 3, 4 Jun.
    assert deadline_for(req).due_at == timezone.make_aware(dt.datetime(2026, 6, 5))
    city_req = submit(w.member, title="董事长")
    assert deadline_for(city_req).due_at == timezone.make_aware(dt.datetime(2026, 6, 9))  # 2–5 Jun, 8 Jun


# ---- the queue -----------------------------------------------------------------------------------------------


def _requests(w, n, start):
    made = []
    for i in range(n):
        user = make_user(w.committee, roles=["member"], real_name=f"委员{i}")
        with freeze_time(start + dt.timedelta(days=i)):
            made.append(dc.submit_data_change(actor=user, changes={"title": f"职务{i}"}, reason="变更"))
    return made


@pytest.mark.req("S0-27")
def test_queue_shows_overdue_and_due_soon_first_and_queries_stay_constant(client, w, django_assert_max_num_queries):
    start = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
    newest = _requests(w, 3, start + dt.timedelta(days=10))
    oldest = _requests(w, 1, start)[0]  # overdue by the time we look
    login(client, w.liaison_staff)
    with freeze_time("2026-06-20T10:00:00+08:00"):
        with django_assert_max_num_queries(30) as few:
            page = client.get(QUEUE)
        text = page.content.decode()
        assert text.index(detail(oldest)) < min(text.index(detail(r)) for r in newest)
        assert 'class="tag bad"' in text  # overdue marked
        _requests(w, 25, start + dt.timedelta(days=12))
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = client.get(QUEUE)
        assert page.status_code == 200
        assert page.content.decode().count("/accounts/data-change/") >= 20
        assert client.get(QUEUE + "?page=2").status_code == 200
        assert client.get(QUEUE + "?state=closed").status_code == 200
        assert client.get(QUEUE + "?state=bogus&page=abc").status_code == 200


@pytest.mark.req("S0-27")
def test_my_requests_page_query_count_is_constant(client, w, django_assert_max_num_queries):
    login(client, w.member)
    req = submit(w.member, title="甲")
    dc.reject_data_change(actor=w.liaison_staff, request=req, reason="重复")
    with django_assert_max_num_queries(30) as few:
        client.get("/accounts/data-change/mine/")
    for i in range(5):
        r = submit(w.member, title=f"职务{i}")
        dc.reject_data_change(actor=w.liaison_staff, request=r, reason="重复")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/accounts/data-change/mine/")
    assert response.content.decode().count("/accounts/data-change/") >= 6
