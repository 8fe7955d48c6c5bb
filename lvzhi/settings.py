"""Lvzhi settings, read from the environment.

Development (the default) runs with zero set-up: SQLite in ./var, console SMS, development keys.
Production (`LVZHI_ENV=production`) refuses to start without SECRET_KEY and LVZHI_FIELD_KEY.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("LVZHI_VAR_DIR", PROJECT_DIR / "var"))


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


LVZHI_ENV = env("LVZHI_ENV", "development")
PRODUCTION = LVZHI_ENV == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)

# Development-only keys. `lvzhi check --deploy` and production start-up refuse them.
DEV_SECRET_KEY = "dev-only-lvzhi-secret-key-not-for-production-0123456789abcdef"
DEV_FIELD_KEY = "00112233445566778899aabbccddeeff"
SECRET_KEY = env("SECRET_KEY", DEV_SECRET_KEY)
# SM4 key (32 hex digits = 128 bits) for encrypted fields (ID-card numbers and other identifiers).
LVZHI_FIELD_KEY = env("LVZHI_FIELD_KEY", DEV_FIELD_KEY)
# HMAC-SM3 key of the audit chain and of its signed checkpoints: held outside the database, so that whoever can
# rewrite the audit table cannot recompute the chain (see README "Deploying").
DEV_AUDIT_KEY = "dev-only-lvzhi-audit-chain-key-not-for-production"
LVZHI_AUDIT_KEY = env("LVZHI_AUDIT_KEY", DEV_AUDIT_KEY)
if PRODUCTION and (
    SECRET_KEY == DEV_SECRET_KEY or LVZHI_FIELD_KEY == DEV_FIELD_KEY or LVZHI_AUDIT_KEY == DEV_AUDIT_KEY
):
    raise ImproperlyConfigured("Production needs SECRET_KEY, LVZHI_FIELD_KEY and LVZHI_AUDIT_KEY in the environment.")

# SM4 key of the backup files (`lvzhi backup`/`lvzhi restore`), kept apart from the database and the field key;
# `lvzhi backup` refuses the development key in production.
DEV_BACKUP_KEY = "ffeeddccbbaa99887766554433221100"
LVZHI_BACKUP_KEY = env("LVZHI_BACKUP_KEY", DEV_BACKUP_KEY)
LVZHI_BACKUP_DIR = Path(env("LVZHI_BACKUP_DIR", VAR_DIR / "backups"))

ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
# The public sites (lvzhi.portal): the platform's own hosts reach them under /site/<code>/; any host in
# LVZHI_SITE_HOSTS (comma-separated; ".example.gov.cn" allows its sub-domains) is a site's own host name. In
# development every *.localhost name (which resolves to 127.0.0.1) is allowed, e.g. jhrd.localhost:8000.
LVZHI_PLATFORM_HOSTS = list(ALLOWED_HOSTS)
LVZHI_SITE_HOSTS = [
    h.strip() for h in env("LVZHI_SITE_HOSTS", "" if PRODUCTION else ".localhost").split(",") if h.strip()
]
ALLOWED_HOSTS += [h for h in LVZHI_SITE_HOSTS if h not in ALLOWED_HOSTS]
LVZHI_SITE_UNKNOWN_HOST = env("LVZHI_SITE_UNKNOWN_HOST", "default")  # "default": the default site; "404"
CSRF_FAILURE_VIEW = "lvzhi.core.middleware.csrf_failure"
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the built-in widget templates, for the project form renderer below
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "lvzhi.core",
    "lvzhi.orgs",
    "lvzhi.accounts",
    "lvzhi.audit",
    "lvzhi.notify",
    "lvzhi.security",
    "lvzhi.workdays",
    "lvzhi.workflow",
    "lvzhi.datachange",
    "lvzhi.web",
    "lvzhi.screening",
    "lvzhi.search",
    "lvzhi.content",
    "lvzhi.opinions",
    "lvzhi.proposals",
    "lvzhi.duty",
    "lvzhi.feedback",
    "lvzhi.deliberation",
    "lvzhi.consultation",
    "lvzhi.newmedia",
    "lvzhi.monitoring",
    "lvzhi.inspections",
    "lvzhi.portal",
    "lvzhi.learning",
    "lvzhi.backoffice",
    "lvzhi.api",
    "lvzhi.deputies",
    "lvzhi.letters",
    "lvzhi.dashboards",
    "lvzhi.onboarding",
]

MIDDLEWARE = [
    "lvzhi.core.middleware.CompressTextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lvzhi.core.uploads.UploadCleanupMiddleware",
    "lvzhi.core.middleware.SecurityHeadersMiddleware",
    "lvzhi.core.middleware.BadRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "lvzhi.portal.middleware.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lvzhi.accounts.middleware.AccountPolicyMiddleware",
    "lvzhi.core.idempotency.IdempotencyMiddleware",
    "lvzhi.security.middleware.PendingIncidentsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lvzhi.core.middleware.ApplicationErrorMiddleware",
]

ROOT_URLCONF = "lvzhi.urls"
WSGI_APPLICATION = "lvzhi.wsgi.application"

# Every `{{ form }}` and `{{ field.as_field_group }}` renders templates/_form.html and templates/_field.html.
FORM_RENDERER = "lvzhi.core.forms.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lvzhi.web.context_processors.shell",
                "lvzhi.portal.context_processors.public_site",
            ],
        },
    }
]

# Database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL is set.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "lvzhi.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
# "shared": state every app server must see (login-failure counters, rate limits, cache versions) — Redis, or a
# database table without it (lvzhi.core.cache); never process memory.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("LVZHI_CACHE_PREFIX", ""),  # several deployments on one Redis keep apart
        },
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("LVZHI_CACHE_PREFIX", ""),
        },
    }
    # Sessions read from the shared cache, written through to the database (a lost cache loses no session).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lvzhi_shared_cache",
            # Never culled by count: culling would drop lockout and rate-limit counters with the rest. Expired rows
            # go by the tick job core.purge_shared_cache.
            "OPTIONS": {"MAX_ENTRIES": 2**62},
        },
    }
# Values derived from the database (unread counts, rendered column tiles) are kept under versioned keys whose
# versions every process reads from the shared cache (lvzhi.core.cache.cached): no process serves a stale value.
LVZHI_SHARED_CACHE = env_bool("LVZHI_SHARED_CACHE", True)

# Background work: Django's task API. The database backend needs no extra server; with Redis, the RQ backend
# (`LVZHI_TASK_BACKEND=rq`, worker: `lvzhi rqworker --job-class django_tasks_rq.Job default`).
TASK_BACKENDS = {"db": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}
TASK_BACKEND = env("LVZHI_TASK_BACKEND", "db")
TASK_BACKEND = TASK_BACKENDS.get(TASK_BACKEND, TASK_BACKEND)
TASKS = {"default": {"BACKEND": TASK_BACKEND}}
if TASK_BACKENDS["rq"] == TASK_BACKEND:
    if not REDIS_URL:
        raise ImproperlyConfigured("LVZHI_TASK_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["lvzhi.accounts.backends.PhonePasswordBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [{"NAME": "lvzhi.accounts.passwords.LvzhiPasswordValidator"}]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"

# Sessions: no "remember me"; the cookie dies with the browser; idle limits are enforced per request.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
# Internal government hosts are not submitted to browsers' public HSTS preload list.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None

# Account policy (S0-22…S0-24, S2-37); every figure can be changed from the environment.
LVZHI_LOCKOUT_ATTEMPTS = env_int("LVZHI_LOCKOUT_ATTEMPTS", 5)
LVZHI_LOCKOUT_MINUTES = env_int("LVZHI_LOCKOUT_MINUTES", 30)
LVZHI_IDLE_MINUTES = env_int("LVZHI_IDLE_MINUTES", 30)
LVZHI_ADMIN_IDLE_MINUTES = env_int("LVZHI_ADMIN_IDLE_MINUTES", 10)
LVZHI_ADMIN_PASSWORD_MAX_AGE_DAYS = env_int("LVZHI_ADMIN_PASSWORD_MAX_AGE_DAYS", 90)
LVZHI_PASSWORD_HISTORY = env_int("LVZHI_PASSWORD_HISTORY", 5)
LVZHI_SMS_CODE_MINUTES = env_int("LVZHI_SMS_CODE_MINUTES", 5)
LVZHI_SMS_CODE_TRIES = env_int("LVZHI_SMS_CODE_TRIES", 5)
LVZHI_SMS_PER_DAY = env_int("LVZHI_SMS_PER_DAY", 10)
LVZHI_SMS_INTERVAL_SECONDS = env_int("LVZHI_SMS_INTERVAL_SECONDS", 60)
# Reset codes from one IP address per hour, and from everyone per minute (besides the per-number limits).
LVZHI_SMS_PER_IP_HOUR = env_int("LVZHI_SMS_PER_IP_HOUR", 20)
LVZHI_SMS_GLOBAL_PER_MINUTE = env_int("LVZHI_SMS_GLOBAL_PER_MINUTE", 60)
# The reverse proxies in front of the app servers (addresses or networks, comma-separated): only from them is
# X-Forwarded-For believed, and then only its rightmost address that is not one of them (lvzhi.core.netaddr).
LVZHI_TRUSTED_PROXIES = tuple(p.strip() for p in env("LVZHI_TRUSTED_PROXIES", "").split(",") if p.strip())
try:
    [ipaddress.ip_network(p, strict=False) for p in LVZHI_TRUSTED_PROXIES]
except ValueError as error:
    raise ImproperlyConfigured(f"LVZHI_TRUSTED_PROXIES: {error}") from None
LVZHI_API_TOKEN_DAYS = env_int("LVZHI_API_TOKEN_DAYS", 30)
LVZHI_INCIDENT_WINDOW_MINUTES = env_int("LVZHI_INCIDENT_WINDOW_MINUTES", 60)  # repeats within it: one incident
LVZHI_AUDIT_RETENTION_DAYS = max(180, env_int("LVZHI_AUDIT_RETENTION_DAYS", 365))
# Signed checkpoints of the audit chain (head hash, count, time), appended every N minutes by `lvzhi tick` to a file
# outside the database (put it on another host or a WORM mount) and to the "lvzhi.audit.checkpoint" logger (syslog).
LVZHI_AUDIT_CHECKPOINT_FILE = Path(env("LVZHI_AUDIT_CHECKPOINT_FILE", VAR_DIR / "audit-checkpoints.log"))
LVZHI_AUDIT_CHECKPOINT_MINUTES = env_int("LVZHI_AUDIT_CHECKPOINT_MINUTES", 10)

# SMS: "console" (development), "file" (writes to var/sms/), "http" (generic gateway, see README).
LVZHI_SMS_BACKEND = env("LVZHI_SMS_BACKEND", "console")
LVZHI_SMS_FILE_DIR = Path(env("LVZHI_SMS_FILE_DIR", VAR_DIR / "sms"))
LVZHI_SMS_HTTP_URL = env("LVZHI_SMS_HTTP_URL", "")
LVZHI_SMS_HTTP_TOKEN = env("LVZHI_SMS_HTTP_TOKEN", "")
LVZHI_SMS_HTTP_SIGN = env("LVZHI_SMS_HTTP_SIGN", "")
LVZHI_SMS_HTTP_TIMEOUT = env_int("LVZHI_SMS_HTTP_TIMEOUT", 10)

# Video meetings (remote consultation): a Jitsi Meet server of the deployment's own.
LVZHI_VIDEO_PROVIDER = env("LVZHI_VIDEO_PROVIDER", "jitsi")
LVZHI_JITSI_URL = env("LVZHI_JITSI_URL", "")
LVZHI_JITSI_APP_ID = env("LVZHI_JITSI_APP_ID", "")
LVZHI_JITSI_APP_SECRET = env("LVZHI_JITSI_APP_SECRET", "")
# Minutes a participant's room token stays valid (it is only needed to enter the room).
LVZHI_JITSI_TOKEN_MINUTES = env_int("LVZHI_JITSI_TOKEN_MINUTES", 10)

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "lvzhi@localhost")

OTP_TOTP_ISSUER = "Lvzhi 履职"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
if PRODUCTION:
    # Hashed names (app.3f2a….css) after `collectstatic`, so nginx can let browsers keep each file a year.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
MEDIA_ROOT = Path(env("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Uploaded images: at most this many pixels, checked from the header before decoding (lvzhi.core.uploads).
LVZHI_UPLOAD_MAX_PIXELS = env_int("LVZHI_UPLOAD_MAX_PIXELS", 25_000_000)
# Images are decoded in a forked worker with an address-space ceiling (MB above the app server's own) and a time limit.
LVZHI_IMAGE_WORKER = env_bool("LVZHI_IMAGE_WORKER", True)
LVZHI_IMAGE_WORKER_MB = env_int("LVZHI_IMAGE_WORKER_MB", 256)
LVZHI_IMAGE_WORKER_SECONDS = env_int("LVZHI_IMAGE_WORKER_SECONDS", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {"lvzhi": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO"), "propagate": False}},
}
