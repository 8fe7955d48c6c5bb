"""Finding 12: the OpenAPI description tells the truth — one schema per name, every error answer documented, every
API answer JSON with a stable code (also an unmatched path such as /api/v1/opinions/-1, even with DEBUG on)."""

import pytest
from ninja import Schema

from lvzhi.api.api import ERROR_STATUSES, api

pytestmark = pytest.mark.django_db


def _schemas_by_name():
    """Every schema class reachable from an operation, by the name it gets in the OpenAPI components."""
    seen = {}

    def walk(annotation):
        if isinstance(annotation, type) and issubclass(annotation, Schema):
            if annotation in seen.setdefault(annotation.__name__, set()):
                return
            seen[annotation.__name__].add(annotation)
            for field in annotation.model_fields.values():
                walk(field.annotation)
        for arg in getattr(annotation, "__args__", ()) or ():
            walk(arg)

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                for model in (op.response_models or {}).values():
                    if "response" in getattr(model, "model_fields", {}):
                        walk(model.model_fields["response"].annotation)
                for model in op.models or []:
                    for field in model.model_fields.values():
                        walk(field.annotation)
    return seen


@pytest.mark.req("S2-34", "S4-2.2")
def test_no_two_documented_schemas_share_a_name():
    components = set(api.get_openapi_schema()["components"]["schemas"])
    clashes = {
        name: sorted(c.__module__ for c in classes)
        for name, classes in _schemas_by_name().items()
        if name in components and len({str(sorted(c.model_json_schema().items())) for c in classes}) > 1
    }
    assert clashes == {}


@pytest.mark.req("S2-34", "S4-2.2")
def test_the_inbox_and_the_content_feed_are_documented_with_their_own_schemas(client):
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]

    def response_schema(path, method="get"):
        content = schema["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        ref = content.get("$ref") or content.get("items", {}).get("$ref")
        return components[ref.rsplit("/", 1)[1]]

    page = response_schema("/api/v1/inbox")
    message = components[page["properties"]["items"]["items"]["$ref"].rsplit("/", 1)[1]]
    assert {"title", "body", "link", "event"} <= set(message["properties"])  # not a report's message
    feed = response_schema("/api/v1/content/feed")
    assert set(feed["properties"]) == {"page", "has_next", "items"}  # not a proposals page {count, pages}


@pytest.mark.req("S2-34", "S4-2.2")
def test_every_operation_documents_the_error_answers(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {str(s) for s in ERROR_STATUSES} <= documented, (method, path)
            assert "200" in documented or "201" in documented or "204" in documented, (method, path)


@pytest.mark.req("S2-34")
@pytest.mark.parametrize("path", ["/api/v1/opinions/-1", "/api/v2/x", "/api/v1/proposals/abc/merge"])
def test_unmatched_api_paths_are_json_even_with_debug(client, settings, path):
    settings.DEBUG = True
    response = client.get(path)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found" and response.json()["message"]
