"""Settings for the test suite: the real settings with fast hashing and tasks run at once."""

import os
import tempfile
from pathlib import Path

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303  (tests only: speed)
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LVZHI_SMS_BACKEND = "file"
LVZHI_SMS_FILE_DIR = Path(tempfile.mkdtemp(prefix="lvzhi-sms-"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="lvzhi-media-"))
LANGUAGE_CODE = "zh-hans"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Derived values are computed afresh in tests (a test's rolled-back transaction never bumps a version); the
# caching itself is tested with LVZHI_SHARED_CACHE switched on (core/tests/test_shared_cache.py).
LVZHI_SHARED_CACHE = False
LVZHI_AUDIT_CHECKPOINT_FILE = Path(tempfile.mkdtemp(prefix="lvzhi-audit-")) / "checkpoints.log"

if REDIS_URL:  # noqa: F405
    # One Redis database, several xdist workers (and test runs): each worker keeps its keys under its own prefix,
    # and the per-test cache reset (conftest `_fresh_caches`) deletes only those keys, never the whole database.
    TEST_CACHE_PREFIX = f"lvzhi-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
    for _alias in CACHES.values():  # noqa: F405
        _alias["KEY_PREFIX"] = TEST_CACHE_PREFIX
