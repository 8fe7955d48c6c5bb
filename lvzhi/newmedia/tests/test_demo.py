import pytest

from lvzhi.newmedia import selectors
from lvzhi.newmedia.demo import load_newmedia_demo
from lvzhi.newmedia.models import Outlet
from lvzhi.orgs.models import BodyType
from lvzhi.testing import make_body

pytestmark = pytest.mark.django_db


@pytest.mark.req("S1-1", "S2-2", "S1-3.1")
def test_demo_city_registry_is_complete_and_idempotent(client):
    from lvzhi.accounts.models import User
    from lvzhi.testing import login

    make_body("江海市人民政府", body_type=BodyType.GOVERNMENT)
    assert load_newmedia_demo() > 0
    assert load_newmedia_demo() == 0
    outlets = Outlet.objects.all()
    assert outlets.filter(platform="portal").count() == 1 and outlets.filter(platform="site").count() == 5
    accounts = outlets.filter(platform__in=["wechat", "weibo", "douyin", "toutiao"])
    assert 18 <= accounts.count() <= 24
    office = User.objects.get(phone="13900001501")
    assert [why for _a, _b, why in selectors.duplicates(office)].count("same_unit") == 1
    assert [o.name for o in selectors.closure_list(office)] == ["文旅江海"]
    login(client, office, password="Lvzhi@2026demo")
    page = client.get("/newmedia/").content.decode()
    assert "住建之声服务号" in page and "江海发布" in page
