"""Moving the requests from the accounts app into their own app keeps an existing database's data (S0-27)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lvzhi.datachange.models import DataChangeRequest
from lvzhi.testing import make_body, make_unit, make_user

BEFORE = [("accounts", "0001_initial"), ("datachange", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
@pytest.mark.req("S0-27")
def test_migrating_from_the_accounts_app_keeps_requests_and_their_content_type():
    body = make_body("迁移测试政协")
    office = make_unit(body, "委员联络室", function="liaison_office")
    member = make_user(body, roles=["member"])
    try:
        # The database as it was before the move: the model belonged to accounts.
        executor = _migrate(BEFORE)
        old_apps = executor.loader.project_state([("accounts", "0001_initial")]).apps
        old_model = old_apps.get_model("accounts", "DataChangeRequest")
        assert old_model._meta.db_table == "accounts_datachangerequest"
        old = old_model.objects.create(user_id=member.pk, unit_id=office.pk, changes={"title": "新"}, reason="调动")
        # Migrating back gave the content type back to accounts, as it was before the move.
        assert not ContentType.objects.filter(app_label="datachange", model="datachangerequest").exists()
        old_type = ContentType.objects.get(app_label="accounts", model="datachangerequest")
    finally:
        executor = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    moved = DataChangeRequest.objects.get(pk=old.pk)
    assert (moved.user_id, moved.unit_id, moved.reason) == (member.pk, office.pk, "调动")
    assert moved.changes == {"title": "新"}
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(DataChangeRequest).pk == old_type.pk  # history keeps pointing at it
    assert not ContentType.objects.filter(app_label="accounts", model="datachangerequest").exists()


@pytest.mark.django_db
@pytest.mark.req("S0-27")
def test_the_model_state_matches_the_migrations():
    call_command("makemigrations", "datachange", "accounts", "--check", "--dry-run", verbosity=0)
