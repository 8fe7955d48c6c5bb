"""Finding 8: dates and integers out of range in a query string never answer 500 (every page and endpoint named)."""

import pytest

from lvzhi.testing import login

pytestmark = pytest.mark.django_db

BAD = [
    "date_from=0001-01-01",
    "date_to=9999-12-31",
    "date_from=0001-01-01&date_to=9999-12-31",
    "from=0001-01-01&to=9999-12-31",
    "unit=9223372036854775808",
    "committee=9223372036854775808",
    "org_unit=9223372036854775808",
    "body=9223372036854775808",
    "year=9223372036854775808",
    "page=9223372036854775808",
    "before=9223372036854775808",
]


@pytest.fixture
def opinions_world(db):
    from lvzhi.opinions.tests.conftest import build_world

    return build_world()


OPINION_PAGES = [
    ("leader", "/opinions/queue/?state=all&"),
    ("leader", "/opinions/queue/export.xlsx?state=all&"),
    ("leader", "/opinions/statistics/?"),
    ("leader", "/opinions/statistics/export.xlsx?"),
    ("auditadmin", "/office/audit/?"),
    ("auditadmin", "/office/audit/export.xlsx?"),
]
API_PAGES = [("leader", "/api/v1/opinions/queue?"), ("leader", "/api/v1/opinions/statistics?")]


def _statuses(client, url):
    return {query: client.get(url + query).status_code for query in BAD}


@pytest.mark.req("S2-34", "S2-22")
@pytest.mark.parametrize(("who", "url"), OPINION_PAGES)
def test_pages_ignore_out_of_range_values(client, opinions_world, who, url):
    """The queue, statistics and audit-log pages (and their exports) drop a filter they cannot use."""
    login(client, getattr(opinions_world, who))
    refused = set()
    if url.startswith("/office/audit/export"):  # the export refuses filters its form refuses (the page shows them)
        refused = {q for q in BAD if q.startswith(("date_", "org_unit"))}
    assert _statuses(client, url) == {q: 400 if q in refused else 200 for q in BAD}


@pytest.mark.req("S2-34", "S2-22")
@pytest.mark.parametrize(("who", "url"), API_PAGES)
def test_endpoints_refuse_out_of_range_values_with_json(client, opinions_world, who, url):
    login(client, getattr(opinions_world, who))
    refused = {"date_from=0001-01-01", "date_to=9999-12-31", "date_from=0001-01-01&date_to=9999-12-31"}
    if "queue" in url:
        refused.add("committee=9223372036854775808")
        refused.add("page=9223372036854775808")
    statuses = _statuses(client, url)
    assert statuses == {q: 422 if q in refused else 200 for q in BAD}
    assert client.get(url + "date_to=9999-12-31").json()["code"] == "validation_failed"


@pytest.mark.req("S2-34", "S2-22", "S0-10")
@pytest.mark.parametrize("url", ["/content/register/?", "/content/register/export/?"])
def test_the_register_ignores_out_of_range_values(client, db, url):
    from lvzhi.content.tests.conftest import build_body

    world = build_body()
    login(client, world.head)
    assert _statuses(client, url) == dict.fromkeys(BAD, 200)
