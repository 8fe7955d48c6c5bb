"""The back office's permission matrix: every role against every page and action, incl. another body's data."""

import json

import pytest

from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import BodySetting, OrgUnit
from lvzhi.testing import make_user

from .conftest import ROLES

OK, NOT_FOUND, LOGIN, FORM = "ok", 404, "login", "form"


def expect(allowed, form=()):
    """Outcome per role: OK for `allowed`, FORM (a form error, nothing done) for `form`, else not found."""
    table = {}
    for role in ROLES:
        if role == "anonymous":
            table[role] = LOGIN
        elif role in allowed:
            table[role] = OK
        elif role in form:
            table[role] = FORM
        else:
            table[role] = NOT_FOUND
    return table


BACKOFFICE_ROLES = {"info_in", "info_out", "general", "liaison", "sysadmin", "secadmin", "auditadmin"}


# Each action: (client, world) -> (response, done?)
def index(c, w):
    r = c.get("/office/")
    return r, r.status_code == 200


def user_list(c, w):
    r = c.get("/office/users/")
    return r, r.status_code == 200


def list_shows_city_staff(c, w):
    r = c.get("/office/users/", {"q": "陈研究"})
    return r, r.status_code == 200 and f'data-user="{w.staff.pk}"' in r.content.decode()


def view_staff(c, w):
    r = c.get(f"/office/users/{w.staff.pk}/")
    return r, r.status_code == 200


def view_member(c, w):
    r = c.get(f"/office/users/{w.member.pk}/")
    return r, r.status_code == 200


def view_outsider(c, w):
    r = c.get(f"/office/users/{w.outsider.pk}/")
    return r, r.status_code == 200


def create_user(c, w):
    r = c.post(
        "/office/users/new/",
        {"phone": "13900009999", "real_name": "新用户", "unit": w.research.pk, "password_mode": "generate"},
    )
    return r, User.objects.filter(phone="13900009999").exists()


def edit_staff(c, w):
    data = {"real_name": "陈研究员", "phone": w.staff.phone, "unit": w.research.pk, "title": "", "email": ""}
    r = c.post(f"/office/users/{w.staff.pk}/edit/", data)
    return r, User.objects.get(pk=w.staff.pk).real_name == "陈研究员"


def edit_member_profile(c, w):
    data = {"sector": w.sector.pk, "committee": w.committee.pk, "term": "第十三届", "workplace": "江海大学"}
    r = c.post(f"/office/users/{w.member.pk}/profile/", data)
    return r, w.member.member_profiles.filter(sector=w.sector, committee=w.committee).exists()


def grant_role(c, w):
    r = c.post(f"/office/users/{w.staff.pk}/roles/", {"role": Role.HEAD, "unit": w.research.pk})
    return r, RoleAssignment.objects.filter(user=w.staff, role=Role.HEAD, revoked_at__isnull=True).exists()


def grant_admin_role(c, w):
    plain = make_user(w.research, real_name="白无角色")
    r = c.post(f"/office/users/{plain.pk}/roles/", {"role": Role.AUDITADMIN, "unit": w.city.pk})
    return r, RoleAssignment.objects.filter(user=plain, role=Role.AUDITADMIN, revoked_at__isnull=True).exists()


def revoke_role(c, w):
    assignment = RoleAssignment.objects.get(user=w.staff, role=Role.STAFF)
    r = c.post(f"/office/users/{w.staff.pk}/roles/{assignment.pk}/revoke/")
    return r, RoleAssignment.objects.filter(pk=assignment.pk, revoked_at__isnull=False).exists()


def freeze(c, w):
    r = c.post(f"/office/users/{w.staff.pk}/freeze/", {"reason": "疑似账号被盗"})
    return r, User.objects.get(pk=w.staff.pk).is_frozen


def deactivate(c, w):
    r = c.post(f"/office/users/{w.staff.pk}/deactivate/", {"reason": "调离"})
    return r, not User.objects.get(pk=w.staff.pk).is_active


def reset_password(c, w):
    r = c.post(f"/office/users/{w.staff.pk}/reset-password/", {"password_mode": "generate"})
    return r, User.objects.get(pk=w.staff.pk).must_change_password


def unit_tree(c, w):
    r = c.get("/office/units/")
    return r, r.status_code == 200


def tree_shows_city(c, w):
    r = c.get("/office/units/")
    return r, r.status_code == 200 and f'data-unit="{w.research.pk}"' in r.content.decode()


def unit_create(c, w):
    r = c.post(f"/office/units/{w.city.pk}/new/", {"name": "新媒体中心", "kind": "office", "function": ""})
    return r, OrgUnit.objects.filter(name="新媒体中心", parent=w.city).exists()


def unit_rename(c, w):
    r = c.post(f"/office/units/{w.research.pk}/rename/", {"name": "研究室（改）"})
    return r, OrgUnit.objects.get(pk=w.research.pk).name == "研究室（改）"


def unit_deactivate(c, w):
    empty = OrgUnit.objects.create(
        name="空处室", kind="office", level=w.city.level, body_type=w.city.body_type, parent=w.city, body=w.city
    )
    OrgUnit.objects.filter(pk=empty.pk).update(path=f"{w.city.path}{empty.pk}/", depth=1)
    r = c.post(f"/office/units/{empty.pk}/deactivate/")
    return r, not OrgUnit.objects.get(pk=empty.pk).is_active


def settings_page(c, w):
    r = c.get(f"/office/settings/{w.city.pk}/")
    return r, r.status_code == 200


def settings_set(c, w):
    r = c.post(f"/office/settings/{w.city.pk}/", {"key": "accounts.data_change_working_days", "value": "3"})
    return r, BodySetting.objects.filter(body=w.city, key="accounts.data_change_working_days", value=3).exists()


MATRIX = [
    (index, expect(BACKOFFICE_ROLES)),
    (user_list, expect({"info_in", "info_out", "general", "liaison", "secadmin"})),
    (list_shows_city_staff, expect({"info_in", "general", "secadmin"}, form={"info_out", "liaison"})),
    (view_staff, expect({"info_in", "general", "secadmin"})),
    (view_member, expect({"info_in", "liaison", "secadmin"})),
    (view_outsider, expect({"info_out"})),
    (create_user, expect({"info_in"}, form={"info_out"})),
    (edit_staff, expect({"info_in", "general"})),
    (edit_member_profile, expect({"liaison"})),
    (grant_role, expect({"info_in", "secadmin"})),
    (grant_admin_role, expect({"secadmin"}, form={"info_in"})),
    (revoke_role, expect({"info_in", "secadmin"})),
    (freeze, expect({"info_in", "secadmin"})),
    (deactivate, expect({"info_in"})),
    (reset_password, expect({"info_in"})),
    (unit_tree, expect({"sysadmin", "info_in", "info_out", "secadmin"})),
    (tree_shows_city, expect({"sysadmin", "info_in", "secadmin"}, form={"info_out"})),
    (unit_create, expect({"sysadmin"})),
    (unit_rename, expect({"sysadmin"})),
    (unit_deactivate, expect({"sysadmin"})),
    (settings_page, expect({"sysadmin"})),
    (settings_set, expect({"sysadmin"})),
]

CASES = [
    pytest.param(action, role, outcome, id=f"{action.__name__}-{role}")
    for action, table in MATRIX
    for role, outcome in table.items()
]


@pytest.mark.django_db
@pytest.mark.req("S0-2", "S0-25", "S0-26", "S2-34")
@pytest.mark.parametrize(("action", "role", "outcome"), CASES)
def test_permission_matrix(client, world, as_role, action, role, outcome):
    as_role(role)
    response, done = action(client, world)
    if outcome == OK:
        # A page is shown (200); a form that did its work redirects (302, post/redirect/get), except where the
        # result is a one-time password shown on the page itself (a new account, a reset).
        shows_result = action in (create_user, reset_password)
        expected = 302 if response.request["REQUEST_METHOD"] == "POST" and not shows_result else 200
        assert response.status_code == expected, response.status_code
        assert done, f"{role} should be able to {action.__name__}"
    elif outcome == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert not done
    elif outcome == FORM:
        assert response.status_code == 200
        assert not done
    else:
        assert response.status_code == 404, f"{role} {action.__name__}: {response.status_code}"
        assert not done


@pytest.mark.django_db
@pytest.mark.req("S0-25", "S2-34")
@pytest.mark.parametrize("role", sorted(BACKOFFICE_ROLES))
def test_side_nav_by_role(client, world, as_role, role):
    as_role(role)
    html = client.get("/office/").content.decode()
    shown = {
        "users": 'data-nav="backoffice:users"' in html,
        "units": 'data-nav="backoffice:units"' in html,
        "settings": 'data-nav="backoffice:settings"' in html,
        "calendar": 'data-nav="workdays:calendar"' in html,
        "audit": 'data-nav="audit:events"' in html,
        "datachange": 'data-nav="datachange:queue"' in html,
    }
    expected = {
        "users": role in {"info_in", "info_out", "general", "liaison", "secadmin"},
        "units": role in {"info_in", "info_out", "sysadmin", "secadmin"},
        "settings": role == "sysadmin",
        "calendar": role == "sysadmin",
        "audit": role == "auditadmin",
        "datachange": role in {"general", "liaison"},
    }
    assert shown == expected


@pytest.mark.django_db
@pytest.mark.req("S2-34")
def test_settings_set_writes_audit_row(client, world, as_role):
    from lvzhi.audit.models import AuditEvent

    as_role("sysadmin")
    settings_set(client, world)
    event = AuditEvent.objects.filter(event="orgs.setting.set").latest("id")
    assert event.actor_id == world.users["sysadmin"].pk
    assert event.after == {"accounts.data_change_working_days": 3}
    assert json.dumps(event.before) == json.dumps({"accounts.data_change_working_days": None})
