"""S2-25: what goes out through Lvzhi is logged without anyone typing it: publishing an article through the content
module's chain logs an item for the body's watched portal (the `content.published` hook)."""

import datetime as dt

import pytest

from lvzhi.content.tests.conftest import build_body, publish_article
from lvzhi.monitoring.models import OutletItem, Watch
from lvzhi.newmedia.models import Outlet, Status


@pytest.mark.req("S2-25")
def test_publishing_an_article_logs_an_item_for_the_watched_portal(db):
    w = build_body()
    portal = Outlet.objects.create(
        body=w.body, platform="portal", name="江海政协网", verification_subject=w.body.name, host_unit=w.body,
        competent_office=w.body, status=Status.OPEN,
    )  # fmt: skip
    Watch.objects.create(outlet=portal, since=dt.date(2026, 1, 1))
    article = publish_article(w, title="关于召开全委会的通知")
    item = OutletItem.objects.get(outlet=portal)
    assert item.source == "register" and item.title == "关于召开全委会的通知"
    assert item.url == f"/content/a/{article.pk}/" and item.content_hash and "全体委员会议" in item.excerpt
