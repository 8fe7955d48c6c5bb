"""Each site of the group evaluated on the inspection indicators (reachability, updates, dead links, 纠错 entry) and
shown to the competent office and the office of the site's body (S4-2.1.3, S2-2); the sites' settings edited by
the office and the system administrator, checked and audited."""

import pytest
from django.utils import timezone

from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.monitoring.models import CrawlRun
from lvzhi.monitoring.services import raise_finding
from lvzhi.newmedia.models import Outlet, Status
from lvzhi.portal.models import Site
from lvzhi.testing import login, make_user

pytestmark = pytest.mark.django_db


def _register(w, body, url):
    return Outlet.objects.create(
        body=body, platform="portal", name=f"{body.name}门户网站", verification_subject=body.name, host_unit=body,
        competent_office=body, status=Status.OPEN, url=url,
    )  # fmt: skip


def _get(client, user, url):
    client.logout()
    if user is not None:
        login(client, user)
    return client.get(url)


@pytest.mark.req("S4-2.1.3", "S2-2")
def test_a_site_shows_its_latest_evaluation_on_the_indicators_to_the_competent_office(client, w):
    outlet = _register(w, w.city, "https://rd.jianghai.test/")
    competent = make_user(w.city, roles=[Role.NM_COMPETENT], real_name="网站主管")
    raise_finding(kind="site_unreachable", summary="首页无法访问", outlet=outlet, url="https://rd.jianghai.test/")
    dead, _ = raise_finding(kind="dead_links", summary="3个死链", outlet=outlet, url="https://rd.jianghai.test/a/")
    CrawlRun.objects.create(outlet=outlet, started_at=timezone.now(), reachable=False, error="timeout")
    html = _get(client, competent, f"/portal/office/sites/{w.city_site.pk}/").content.decode()
    assert f'href="/newmedia/outlets/{outlet.pk}/"' in html  # the registry entry
    assert 'data-indicator="reachability" data-verdict="veto"' in html
    assert 'data-indicator="dead_links" data-verdict="open"' in html
    assert 'data-indicator="updates" data-verdict="ok"' in html
    assert 'data-indicator="error_entry" data-verdict="ok"' in html
    assert f'href="/monitoring/findings/{dead.pk}/"' in html and "单项否决" in html
    # the site's body office sees it too; the list links it
    assert _get(client, w.author, f"/portal/office/sites/{w.city_site.pk}/").status_code == 200
    listing = _get(client, competent, "/portal/office/sites/").content.decode()
    assert f"/portal/office/sites/{w.city_site.pk}/" in listing
    assert f"/portal/office/sites/{w.county_site.pk}/" not in listing  # not its site
    assert "/edit/" not in listing  # the competent office evaluates, the body's office edits


@pytest.mark.req("S4-2.1.3", "S2-2")
def test_an_unregistered_site_says_so_and_offers_the_registration(client, w):
    operator = make_user(w.county_office, roles=[Role.STAFF, (Role.NM_OPERATOR, w.county, False)])
    html = _get(client, w.county_clerk, f"/portal/office/sites/{w.county_site.pk}/").content.decode()
    assert 'data-testid="unregistered"' in html and "site-evaluation" not in html
    assert 'data-testid="register-site"' not in html  # the clerk may not register
    html = _get(client, operator, f"/portal/office/sites/{w.county_site.pk}/").content.decode()
    assert f'href="/newmedia/register/?unit={w.county.pk}"' in html


@pytest.mark.req("S4-2.1.3")
@pytest.mark.parametrize(
    ("who", "city", "county"),
    [("office", 200, 404), ("county_clerk", 404, 200), ("competent", 200, 404), ("other_competent", 404, 404),
     ("deputy", 404, 404), ("sysadmin", 404, 404), ("anonymous", 302, 302)],
)  # fmt: skip
def test_who_sees_a_sites_evaluation(client, w, who, city, county):
    _register(w, w.city, "https://rd.jianghai.test/")
    users = {
        "office": w.author, "county_clerk": w.county_clerk, "deputy": w.deputy, "anonymous": None,
        "competent": make_user(w.city, roles=[Role.NM_COMPETENT]),
        "other_competent": make_user(w.county, roles=[Role.NM_COMPETENT]),
        "sysadmin": make_user(w.city, roles=[(Role.SYSADMIN, w.city, True)]),
    }  # fmt: skip
    assert _get(client, users[who], f"/portal/office/sites/{w.city_site.pk}/").status_code == city
    assert _get(client, users[who], f"/portal/office/sites/{w.county_site.pk}/").status_code == county


@pytest.mark.req("S4-2.1.3")
def test_the_evaluation_page_reads_a_bounded_number_of_queries(client, w, django_assert_max_num_queries):
    outlet = _register(w, w.city, "https://rd.jianghai.test/")
    login(client, w.author)
    url = f"/portal/office/sites/{w.city_site.pk}/"
    raise_finding(kind="dead_links", summary="死链", outlet=outlet, url="https://rd.jianghai.test/0")
    client.get(url)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    for i in range(1, 30):
        kind = ("dead_links", "stale_column", "no_error_entry")[i % 3]
        raise_finding(kind=kind, summary="问题", outlet=outlet, url=f"https://rd.jianghai.test/{i}")
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    for i in range(25):
        Site.objects.create(body=_body(w, i), code=f"s{i}", name=f"站点{i}")
    with django_assert_max_num_queries(12):
        assert client.get("/portal/office/sites/").status_code == 200


def _body(w, i):
    from lvzhi.orgs.models import BodyType
    from lvzhi.testing import make_body

    return make_body(f"区人大{i}", body_type=BodyType.CONGRESS, parent=w.city)


# ---- editing a site ----------------------------------------------------------------------------------------------


def _form(site, **changes):
    data = {
        "name": site.name, "code": site.code, "host": site.host, "colour": site.colour, "logo_text": site.logo_text,
        "contact": site.contact, "is_active": "on",
    }  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.req("S4-2.1.3", "S2-2")
def test_the_office_edits_its_site_checked_and_audited(client, w):
    login(client, w.author)
    url = f"/portal/office/sites/{w.city_site.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="menu_legislation"' in page.content.decode()
    taken = client.post(url, _form(w.city_site, host="RD.xishan.test"))
    assert taken.status_code == 400 and "其他站点已使用该域名" in taken.content.decode()
    assert client.post(url, _form(w.city_site, colour="red")).status_code == 400
    assert client.post(url, _form(w.city_site, host="localhost")).status_code == 400
    saved = client.post(
        url, _form(w.city_site, name="江海人大网", host="www.rd.jianghai.test", colour="#0A5C36",
                   contact="江海市人民路1号 电话0551-1234567", menu_supervision="1", menu_legislation="2"),
    )  # fmt: skip
    assert saved.status_code == 302
    site = Site.objects.get(pk=w.city_site.pk)
    assert (site.name, site.host, site.colour) == ("江海人大网", "www.rd.jianghai.test", "#0a5c36")
    assert site.navigation == ["supervision", "legislation"]
    event = AuditEvent.objects.filter(event="portal.site.edit").latest("pk")
    assert event.before["host"] == "rd.jianghai.test" and event.after["host"] == "www.rd.jianghai.test"
    # the public site follows: its menu, its contact line, its new host name
    client.logout()
    home = client.get("/site/jianghai/").content.decode()
    assert home.index("/supervision/") < home.index("/legislation/") and "电话0551-1234567" in home


@pytest.mark.req("S4-2.1.3")
def test_switching_a_site_off_and_who_may_edit(client, w):
    url = f"/portal/office/sites/{w.county_site.pk}/edit/"
    assert _get(client, w.author, url).status_code == 404  # another body's office
    assert _get(client, w.deputy, url).status_code == 404
    sysadmin = make_user(w.city, roles=[(Role.SYSADMIN, w.city, True)])
    login(client, sysadmin)
    assert client.get(url).status_code == 200
    assert client.post(url, _form(w.county_site, is_active=None)).status_code == 302
    assert not Site.objects.get(pk=w.county_site.pk).is_active
    assert client.get("/site/xishan/").status_code == 404
    default = Site.objects.get(pk=w.city_site.pk)
    Site.objects.filter(pk=default.pk).update(is_default=True)
    off = client.post(f"/portal/office/sites/{default.pk}/edit/", _form(default, is_active=None))
    assert off.status_code == 400 and "默认站点不能关闭" in off.content.decode()
