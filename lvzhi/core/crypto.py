"""Commercial cryptography (GB/T 39786): SM3 digests and SM4-GCM encrypted model fields."""

import base64
import hmac
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as chmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.db import models

_PREFIX = "sm4g1:"


def sm3_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def sm3_hmac_hex(data: bytes | str, key: bytes | None = None) -> str:
    """Keyed SM3 (HMAC-SM3): for look-up digests of secrets such as tokens and SMS codes."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    key = key if key is not None else settings.SECRET_KEY.encode("utf-8")

    mac = chmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _field_key() -> bytes:
    key = bytes.fromhex(settings.LVZHI_FIELD_KEY)
    if len(key) != 16:
        raise ValueError("LVZHI_FIELD_KEY must be 32 hexadecimal digits (a 128-bit SM4 key).")
    return key


def sm4_encrypt(plaintext: str) -> str:
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(_field_key()), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    return _PREFIX + base64.b64encode(nonce + encryptor.tag + body).decode("ascii")


def sm4_decrypt(token: str) -> str:
    if not token.startswith(_PREFIX):
        raise ValueError("not an SM4 ciphertext")
    raw = base64.b64decode(token[len(_PREFIX) :])
    nonce, tag, body = raw[:12], raw[12:28], raw[28:]
    decryptor = Cipher(algorithms.SM4(_field_key()), modes.GCM(nonce, tag)).decryptor()
    return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")


class EncryptedCharField(models.TextField):
    """A text value stored SM4-GCM encrypted; Python code sees the plain text.

    It cannot be filtered on; store a keyed SM3 digest beside it where look-ups are needed.
    """

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return sm4_decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return sm4_encrypt(value)
