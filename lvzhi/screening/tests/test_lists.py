"""The word-list pages (/office/screening/): who sees and keeps which lists, adding, importing, retiring, audit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import NotFound, PermissionDenied
from lvzhi.screening import services
from lvzhi.screening.models import ListKind, ScreeningState, Term, WordList
from lvzhi.testing import login

pytestmark = pytest.mark.django_db
URL = "/office/screening/"


def as_user(client, user):
    client.logout()
    if user is not None:
        login(client, user)
    return client


@pytest.fixture
def lists(world):
    """A list of each kind at the city (top level), one at the county, one at the other city."""
    return {
        "city_secret": WordList.objects.create(name="市保密", kind=ListKind.SECRET, body=world.city),
        "city_sensitive": WordList.objects.create(name="市敏感", kind=ListKind.SENSITIVE, body=world.city),
        "county_advert": WordList.objects.create(name="区广告", kind=ListKind.ADVERT, body=world.county),
        "other_sensitive": WordList.objects.create(name="外市敏感", kind=ListKind.SENSITIVE, body=world.other),
        "global_secret": WordList.objects.get(name="保密标识（默认）"),
        "global_advert": WordList.objects.get(name="商业广告与赌博（默认）"),
    }


@pytest.mark.req("S2-21")
def test_url_names():
    assert reverse("screening:lists") == URL
    assert reverse("screening:list", args=[3]) == URL + "3/"
    assert reverse("screening:check") == URL + "check/"


# who sees which list: role → lists visible (read or keep)
SEES = {
    "info_city": {"city_sensitive", "county_advert", "global_advert"},
    "secrecy_city": {"city_secret", "city_sensitive", "county_advert", "global_secret", "global_advert"},
    "info_county": {"city_sensitive", "county_advert", "global_advert"},
    "secrecy_county": {"city_secret", "city_sensitive", "county_advert", "global_secret", "global_advert"},
    "info_other": {"other_sensitive", "global_advert"},
}
# who keeps (may change) which list
KEEPS = {
    "info_city": {"city_sensitive", "county_advert", "global_advert"},
    "secrecy_city": {"city_secret", "city_sensitive", "county_advert", "global_secret", "global_advert"},
    "info_county": {"county_advert"},
    "secrecy_county": {"county_advert"},
    "info_other": {"other_sensitive", "global_advert"},
}


@pytest.mark.req("S2-21", "S0-9")
@pytest.mark.parametrize("role", list(SEES))
def test_list_page_and_detail_matrix(client, world, lists, role):
    user = world.users[role]
    as_user(client, user)
    response = client.get(URL + "?status=all")
    assert response.status_code == 200
    text = response.content.decode()
    for key, word_list in lists.items():
        assert (f'data-list="{word_list.pk}"' in text) == (key in SEES[role]), key
        detail = client.get(URL + f"{word_list.pk}/")
        assert detail.status_code == (200 if key in SEES[role] else 404), key
        if detail.status_code == 200:
            keeps = 'action="' + reverse("screening:term_add", args=[word_list.pk]) + '"' in detail.content.decode()
            assert keeps == (key in KEEPS[role]), key
        response = client.post(URL + f"{word_list.pk}/terms/", {"term": "测试词语"})
        expected = 302 if key in KEEPS[role] else 403 if key in SEES[role] else 404
        assert response.status_code == expected, key
        assert Term.objects.filter(word_list=word_list, text="测试词语").exists() == (key in KEEPS[role])


@pytest.mark.req("S2-21", "S0-9")
@pytest.mark.parametrize("role", ["anonymous", "member", "staff", "sysadmin"])
def test_others_do_not_reach_the_lists(client, world, lists, role):
    as_user(client, world.users.get(role))
    for url in (URL, URL + "new/", URL + "check/", URL + f"{lists['global_advert'].pk}/"):
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 404
    response = client.post(URL + f"{lists['global_advert'].pk}/terms/", {"term": "测试词语"})
    assert response.status_code == (302 if role == "anonymous" else 404)
    assert not Term.objects.filter(text="测试词语").exists()
    response = client.post(URL + f"{lists['global_advert'].pk}/retire/")
    assert WordList.objects.get(pk=lists["global_advert"].pk).is_active


@pytest.mark.req("S2-21")
def test_the_side_navigation_shows_the_lists_to_the_offices_only(client, world):
    as_user(client, world.users["info_city"])
    assert 'data-nav="screening:lists"' in client.get(URL).content.decode()
    as_user(client, world.users["sysadmin"])
    assert 'data-nav="screening:lists"' not in client.get("/office/").content.decode()


@pytest.mark.req("S2-21")
def test_list_page_query_count_is_constant(client, world, django_assert_max_num_queries):
    as_user(client, world.users["secrecy_city"])
    client.get(URL)
    with django_assert_max_num_queries(12) as few:
        assert client.get(URL).status_code == 200
    for i in range(40):
        word_list = WordList.objects.create(name=f"表{i:02d}", kind=ListKind.ADVERT, body=world.county)
        Term.objects.bulk_create([Term(word_list=word_list, text=f"词语{i}{j}") for j in range(3)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert response.status_code == 200 and response.content.decode().count("data-list=") == 20
    word_list = WordList.objects.get(name="表00")
    Term.objects.bulk_create([Term(word_list=word_list, text=f"多词{j}") for j in range(200)])
    client.get(URL + f"{word_list.pk}/")
    with django_assert_max_num_queries(12):
        response = client.get(URL + f"{word_list.pk}/?page=2")
    assert response.status_code == 200 and response.content.decode().count("data-term=") == 50


@pytest.mark.req("S2-21", "S0-9")
def test_create_lists_by_kind_and_scope(client, world):
    as_user(client, world.users["info_county"])
    response = client.post(URL + "new/", {"name": "区敏感词", "kind": "sensitive", "scope": str(world.county.pk)})
    assert response.status_code == 302
    created = WordList.objects.get(name="区敏感词")
    assert (created.kind, created.body, created.created_by) == ("sensitive", world.county, world.users["info_county"])
    event = AuditEvent.objects.get(event="screening.list.create", object_id=str(created.pk))
    assert event.actor == world.users["info_county"] and event.org_unit_id == world.county.pk
    assert ScreeningState.objects.get(pk=1).version > 1

    # the information office cannot create secrecy lists; the county cannot create platform-wide ones,
    # nor lists of the city above it; nobody of another city
    for data in (
        {"name": "x1", "kind": "secret", "scope": str(world.county.pk)},
        {"name": "x2", "kind": "sensitive", "scope": ""},
        {"name": "x3", "kind": "sensitive", "scope": str(world.city.pk)},
        {"name": "x4", "kind": "sensitive", "scope": str(world.other.pk)},
        {"name": "", "kind": "sensitive", "scope": str(world.county.pk)},
        {"name": "长" * 101, "kind": "sensitive", "scope": str(world.county.pk)},
        {"name": "区敏感词", "kind": "sensitive", "scope": str(world.county.pk)},
    ):
        response = client.post(URL + "new/", data)
        assert response.status_code == 400, data
        assert 'class="errorlist' in response.content.decode()
    assert WordList.objects.filter(name__startswith="x").count() == 0
    assert WordList.objects.filter(name="区敏感词").count() == 1

    as_user(client, world.users["secrecy_city"])
    response = client.post(URL + "new/", {"name": "全省保密", "kind": "secret", "scope": ""})
    assert response.status_code == 302
    assert WordList.objects.get(name="全省保密").body is None


@pytest.mark.req("S0-9")
def test_service_errors_have_stable_codes(world):
    info = world.users["info_city"]
    with pytest.raises(PermissionDenied) as exc:
        services.create_list(actor=info, name="密", kind="secret", body=world.city)
    assert exc.value.code == "secret_lists_only_secrecy"
    with pytest.raises(PermissionDenied) as exc:
        services.create_list(actor=world.users["info_county"], name="全", kind="advert", body=None)
    assert exc.value.code == "scope_not_allowed"
    with pytest.raises(NotFound):
        services.create_list(actor=world.users["info_other"], name="越界", kind="advert", body=world.city)
    assert not WordList.objects.filter(name__in=["密", "全", "越界"]).exists()


@pytest.mark.req("S2-21")
def test_add_retire_and_restore_terms_through_the_pages(client, world):
    word_list = WordList.objects.create(name="区广告", kind=ListKind.ADVERT, body=world.county)
    as_user(client, world.users["info_county"])
    url = URL + f"{word_list.pk}/"
    assert client.post(url + "terms/", {"term": "  Ｖip棋牌  "}).status_code == 302
    term = Term.objects.get(word_list=word_list)
    assert term.text == "vip棋牌" and term.is_active
    assert [f.value for f in services.scan("VIP棋牌室", body=world.county) if f.category == "term"] == ["VIP棋牌"]
    event = AuditEvent.objects.get(event="screening.term.add")
    assert event.after["term_id"] and "term" not in event.after and event.org_unit_id == world.county.pk

    for bad, message in (("vip棋牌", ""), ("赌", "2"), ("长" * 51, "50"), ("", "")):
        response = client.post(url + "terms/", {"term": bad})
        assert response.status_code == 400, bad
        assert 'class="errorlist' in response.content.decode() and message in response.content.decode()
    assert Term.objects.filter(word_list=word_list).count() == 1

    assert client.post(url + f"terms/{term.pk}/retire/").status_code == 302
    term.refresh_from_db()
    assert not term.is_active and term.retired_by == world.users["info_county"]
    assert not [f for f in services.scan("VIP棋牌室", body=world.county) if f.category == "term"]
    assert client.post(url + f"terms/{term.pk}/retire/").status_code == 409  # already retired
    assert client.post(url + "terms/", {"term": "VIP棋牌"}).status_code == 302  # brought back
    term.refresh_from_db()
    assert term.is_active and Term.objects.filter(word_list=word_list).count() == 1
    assert AuditEvent.objects.filter(event="screening.term.restore").count() == 1
    # a term of another list through this list's URL: not found
    other = Term.objects.filter(word_list__name="商业广告与赌博（默认）").first()
    assert client.post(url + f"terms/{other.pk}/retire/").status_code == 404


@pytest.mark.req("S2-21")
def test_bulk_import_counts_and_all_or_nothing(client, world):
    word_list = WordList.objects.create(name="区广告", kind=ListKind.ADVERT, body=world.county)
    Term.objects.create(word_list=word_list, text="已有词", is_active=True)
    Term.objects.create(word_list=word_list, text="旧词语", is_active=False)
    as_user(client, world.users["info_county"])
    url = URL + f"{word_list.pk}/import/"
    response = client.post(url, {"text": "\ufeff新词一\r\n\r\n新词二\n新词一\n已有词\n旧词语\n  ＡＢＣ  \n"})
    assert response.status_code == 302
    assert set(Term.objects.filter(word_list=word_list, is_active=True).values_list("text", flat=True)) == {
        "已有词",
        "旧词语",
        "新词一",
        "新词二",
        "abc",
    }
    event = AuditEvent.objects.get(event="screening.term.import")
    assert (event.after["added"], event.after["restored"], event.after["duplicates"]) == (3, 1, 2)
    follow = client.get(URL + f"{word_list.pk}/")
    assert "3" in follow.content.decode()

    before = Term.objects.count()
    response = client.post(url, {"text": "好词一\n坏\n好词二"})
    assert response.status_code == 400 and "2" in response.content.decode()
    response = client.post(url, {"text": "\n \n"})
    assert response.status_code == 400
    response = client.post(url, {"text": "\n".join(f"词{i}" for i in range(10_001))})
    assert response.status_code == 400
    assert Term.objects.count() == before

    upload = SimpleUploadedFile("terms.txt", "文件词一\n文件词二\n".encode("gb18030"), content_type="text/plain")
    assert client.post(url, {"text": "", "file": upload}).status_code == 302
    assert Term.objects.filter(word_list=word_list, text__startswith="文件词").count() == 2
    upload = SimpleUploadedFile("terms.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    assert client.post(url, {"file": upload}).status_code == 400


@pytest.mark.req("S0-9")
def test_secrecy_terms_stay_out_of_the_audit_log(world):
    word_list = WordList.objects.create(name="市保密", kind=ListKind.SECRET, body=world.city)
    secrecy = world.users["secrecy_city"]
    services.import_terms(actor=secrecy, word_list=word_list, text="江海一号工程\n青石基地")
    term = services.add_term(actor=secrecy, word_list=word_list, term="东湖三号")
    services.retire_term(actor=secrecy, term=term)
    events = AuditEvent.objects.filter(event__startswith="screening.term.")
    assert events.count() == 3
    for event in events:
        dumped = str(event.before) + str(event.after) + event.object_repr
        assert "江海一号" not in dumped and "青石" not in dumped and "东湖三号" not in dumped
    assert services.has_blocking(services.scan("关于青石基地的通知", body=world.county))
    assert not services.has_blocking(services.scan("关于青石基地的通知", body=world.other))


@pytest.mark.req("S2-21", "S0-9")
def test_retire_and_restore_a_list(client, world):
    word_list = WordList.objects.create(name="区广告", kind=ListKind.ADVERT, body=world.county)
    services.add_term(actor=world.users["info_county"], word_list=word_list, term="东湖彩票站")
    assert services.scan("东湖彩票站", body=world.county)
    as_user(client, world.users["info_county"])
    assert client.post(URL + f"{word_list.pk}/retire/").status_code == 302
    word_list.refresh_from_db()
    assert not word_list.is_active and word_list.retired_by == world.users["info_county"]
    assert services.scan("东湖彩票站", body=world.county) == []
    assert client.post(URL + f"{word_list.pk}/retire/").status_code == 409
    assert client.post(URL + f"{word_list.pk}/terms/", {"term": "新的词"}).status_code == 400  # retired list
    assert client.get(URL).content.decode().count(f'data-list="{word_list.pk}"') == 0
    assert client.get(URL + "?status=retired").content.decode().count(f'data-list="{word_list.pk}"') == 1
    assert client.post(URL + f"{word_list.pk}/restore/").status_code == 302
    assert services.scan("东湖彩票站", body=world.county)
    assert [e.event for e in AuditEvent.objects.filter(event__startswith="screening.list.").order_by("pk")] == [
        "screening.list.retire",
        "screening.list.restore",
    ]


@pytest.mark.req("S2-21", "S2-26")
def test_check_page_shows_findings_with_personal_data_masked(client, world):
    as_user(client, world.users["info_city"])
    response = client.post(URL + "check/", {"text": "联系13800138000，博彩广告，见 https://shop.example.com/"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "138****8000" in text and "13800138000" not in text.split('name="text"')[0]
    assert 'data-kind="personal_data"' in text and 'data-kind="advert"' in text
    assert 'data-kind="external_link"' in text
    assert client.post(URL + "check/", {"text": ""}).status_code == 400
    assert client.post(URL + "check/", {"text": "字" * 200_001}).status_code == 400
    response = client.post(URL + "check/", {"text": "平平常常的一句话"})
    assert 'data-testid="no-findings"' in response.content.decode()
