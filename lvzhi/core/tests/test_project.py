import pytest
from django.core.management import call_command

from lvzhi.core import crypto, masking


@pytest.mark.django_db
@pytest.mark.req("S2-34")
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.req("S2-34", "S3-14")
def test_sm4_field_encryption_round_trips_and_hides_plain_text():
    token = crypto.sm4_encrypt("110101199003071234")
    assert "110101199003071234" not in token
    assert token != crypto.sm4_encrypt("110101199003071234")  # fresh nonce every time
    assert crypto.sm4_decrypt(token) == "110101199003071234"


@pytest.mark.req("S2-34")
def test_sm3_matches_the_standard_test_vector():
    # GB/T 32905-2016, example 1: SM3("abc")
    assert crypto.sm3_hex("abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


@pytest.mark.req("S2-34")
@pytest.mark.parametrize(
    ("func", "value", "shown"),
    [
        (masking.mask_phone, "13812345678", "138****5678"),
        (masking.mask_id_card, "110101199003071234", "1101**********1234"),
        (masking.mask_name, "张三丰", "张*丰"),
        (masking.mask_name, "李四", "李*"),
        (masking.mask_bank_card, "6222020200112233445", "6222 **** **** 3445"),
    ],
)
def test_masking_keeps_only_what_identifies(func, value, shown):
    assert func(value) == shown


@pytest.mark.req("S2-34")
def test_every_page_forbids_other_origins(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.req("S2-34", "S3-14")
def test_production_settings_pass_the_deployment_check_and_refuse_development_keys(tmp_path):
    import os
    import secrets
    import subprocess
    import sys

    env = dict(
        os.environ,
        LVZHI_ENV="production",
        DJANGO_SETTINGS_MODULE="lvzhi.settings",
        LVZHI_VAR_DIR=str(tmp_path),
        ALLOWED_HOSTS="lvzhi.example.gov.cn",
        LVZHI_SMS_BACKEND="http",
    )
    env.pop("DATABASE_URL", None)  # the default SQLite in tmp_path
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    command = [sys.executable, "-m", "lvzhi.cli", "check", "--deploy", "--fail-level", "WARNING"]
    refused = subprocess.run(command, env=env, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "SECRET_KEY, LVZHI_FIELD_KEY and LVZHI_AUDIT_KEY" in refused.stderr
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        LVZHI_FIELD_KEY=secrets.token_hex(16),
        LVZHI_AUDIT_KEY=secrets.token_hex(32),
    )
    clean = subprocess.run(command, env=env, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr
