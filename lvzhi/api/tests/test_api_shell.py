import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.req("S4-2.2")
def test_openapi_schema_is_published(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"].startswith("Lvzhi")
    assert "/api/v1/me" in schema["paths"]


@pytest.mark.req("S2-34")
def test_unknown_api_path_answers_json_not_found(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.req("S2-34")
def test_unknown_page_answers_in_chinese(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "未找到" in response.content.decode()
