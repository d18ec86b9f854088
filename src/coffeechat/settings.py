"""Coffeechat settings: one file, every value from the environment.

Each environment variable is listed in docs/configuration.md.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from coffeechat.config import (
    cache_config,
    env_bool,
    env_int,
    env_list,
    env_str,
    load_or_create_secret,
    mfa_policy,
    oidc_config,
    oidc_origin,
    parse_email_url,
    private_dir,
    private_sqlite_database,
    site_url,
    socialaccount_providers,
)
from coffeechat.core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("COFFEECHAT_DATA_DIR", str(Path.cwd() / "data"))).resolve()
# The data directory holds everyone's network: the owner only (0700, files 0600).
private_dir(DATA_DIR)

DEBUG = env_bool("COFFEECHAT_DEBUG", False)
SECRET_KEY = env_str("COFFEECHAT_SECRET_KEY") or load_or_create_secret(DATA_DIR / "secret_key")

ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", *env_list("COFFEECHAT_ALLOWED_HOSTS")]
CSRF_TRUSTED_ORIGINS = env_list("COFFEECHAT_CSRF_TRUSTED_ORIGINS")
SITE_URL = site_url(DATA_DIR)

INSTALLED_APPS = [
    "coffeechat.core",
    "coffeechat.accounts",
    "coffeechat.network",
    "coffeechat.targets",
    "coffeechat.conversations",
    "coffeechat.imports",
    "coffeechat.followups",
    "coffeechat.outreach",
    "coffeechat.bench",
    "coffeechat.progress",
    "coffeechat.coaching",
    "coffeechat.staff",
    "coffeechat.mailbox",
    "coffeechat.mydata",
    "coffeechat.demo",
    "coffeechat.pages",
    "coffeechat.server",
    "coffeechat.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_tasks_db",
]

MIDDLEWARE = [
    "coffeechat.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "coffeechat.core.request_size.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "coffeechat.accounts.backends.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "coffeechat.accounts.middleware.MfaRequiredMiddleware",
    "coffeechat.core.middleware.UserTimezoneMiddleware",
    "coffeechat.core.middleware.FirstRunMiddleware",
]

ROOT_URLCONF = "coffeechat.urls"
WSGI_APPLICATION = "coffeechat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% url %} with ids filled in, not looked up per row (core/reversing.py).
            "builtins": ["coffeechat.core.templatetags.fast_url"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "coffeechat.accounts.context_processors.instance",
                "coffeechat.followups.context_processors.follow_ups",
            ],
        },
    },
]

# Database: SQLite in the data directory unless DATABASE_URL names another.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    private_sqlite_database(DATA_DIR / "coffeechat.sqlite3")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "coffeechat.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's, reading the user with their profile (accounts/backends.py).
AUTHENTICATION_BACKENDS = [
    "coffeechat.accounts.backends.ModelBackend",
    "coffeechat.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("COFFEECHAT_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: e-mail login, sign-up that the instance can close, MFA.
SIGNUP_OPEN = env_bool("COFFEECHAT_SIGNUP_OPEN", False)
ACCOUNT_ADAPTER = "coffeechat.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Open sign-up cannot tell whether an address has an account only when new accounts
# confirm their address first (allauth then answers both alike): "mandatory" then.
ACCOUNT_EMAIL_VERIFICATION = env_str(
    "COFFEECHAT_EMAIL_VERIFICATION", "mandatory" if SIGNUP_OPEN else "optional"
)
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("COFFEECHAT_LOGIN_RATE_LIMIT", "5/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
    "signup": "20/m/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Coffeechat] "
ACCOUNT_FORMS = {"change_password": "coffeechat.accounts.password.ChangePasswordAndTokensForm"}
LOGIN_REDIRECT_URL = "pages:home"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Who must set up a second factor before using Coffeechat: none, staff or all.
MFA_REQUIRED = mfa_policy(env_str("COFFEECHAT_MFA_REQUIRED"))

# Single sign-on through one OpenID Connect provider, when COFFEECHAT_OIDC_* say so
# (docs/operations.md). Without it the sign-in pages show no button and the SSO routes 404.
OIDC = oidc_config()
SOCIALACCOUNT_PROVIDERS = socialaccount_providers(OIDC)
SSO_ALLOWED_DOMAINS = OIDC["allowed_domains"] if OIDC else []
SOCIALACCOUNT_ADAPTER = "coffeechat.accounts.sso.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False

# E-mail: EMAIL_URL, or the console when it is not set.
MAILERS = {"default": parse_email_url(env_str("EMAIL_URL"))}
# Invitations are e-mailed only when a real mail server (or file/memory) is configured.
EMAIL_CONFIGURED = bool(env_str("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Coffeechat <coffeechat@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Extra certificate authorities trusted by users' own SMTP servers (PEM file), beside the
# system's: a company CA or a self-signed mail server. Verification is never turned off.
SMTP_CA_FILE = env_str("COFFEECHAT_SMTP_CA_FILE")
ALLOW_PRIVATE_SMTP = env_bool("COFFEECHAT_ALLOW_PRIVATE_SMTP", False)

# Background work: Django's Tasks framework with the database backend.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The cache holds rate limits (logins, public pages), so every web process must share it:
# the database by default, Redis when COFFEECHAT_CACHE_URL names one ("locmem://" keeps
# it in one process's memory, for a single process only).
CACHES = {"default": cache_config(env_str("COFFEECHAT_CACHE_URL"))}

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Security. Behind HTTPS (COFFEECHAT_HTTPS=1): secure cookies, HSTS, redirect.
HTTPS = env_bool("COFFEECHAT_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("COFFEECHAT_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_bool("COFFEECHAT_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = HTTPS and env_bool("COFFEECHAT_HSTS_PRELOAD", True)
BEHIND_PROXY = env_bool("COFFEECHAT_BEHIND_PROXY", False)
# The address `coffeechat serve` accepts X-Forwarded-* headers from ("*": any).
TRUSTED_PROXY = env_str("COFFEECHAT_TRUSTED_PROXY", "127.0.0.1")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF, *oidc_origin(OIDC)],
    "frame-ancestors": [CSP.NONE],
}

# Logs: text by default, one JSON object per line with COFFEECHAT_LOG_FORMAT=json; every
# record made during a request carries its id (coffeechat.core.logs).
LOGGING = logging_config(
    env_str("COFFEECHAT_LOG_LEVEL", "INFO"), env_str("COFFEECHAT_LOG_FORMAT", "text")
)
# /metrics answers only a request with this bearer token; empty: /metrics is a 404.
METRICS_TOKEN = env_str("COFFEECHAT_METRICS_TOKEN")

# Coffeechat's own knobs.
PAGE_SIZE = env_int("COFFEECHAT_PAGE_SIZE", 50)

# Imports: uploads wait in a private folder (never served) until their batch ends.
IMPORT_DIR = DATA_DIR / "uploads"
IMPORT_MAX_BYTES = env_int("COFFEECHAT_IMPORT_MAX_MB", 100) * 1024 * 1024
# Files up to this size are read while the page loads; larger ones go to the worker.
IMPORT_INLINE_BYTES = env_int("COFFEECHAT_IMPORT_INLINE_KB", 256) * 1024
# `coffeechat serve` runs the background worker in the same process unless this is off.
EMBEDDED_WORKER = env_bool("COFFEECHAT_EMBEDDED_WORKER", True)

# Follow-ups: the worker's periodic tick (rules, notifications, the daily digest).
TICK_SECONDS = env_int("COFFEECHAT_TICK_SECONDS", 60)
# The daily digest e-mail: on when e-mail is configured, unless turned off here.
DIGEST_EMAIL = env_bool("COFFEECHAT_DIGEST_EMAIL", bool(env_str("EMAIL_URL")))
# A digest claimed by a worker that then died is retried after this many seconds.
DIGEST_CLAIM_TIMEOUT = env_int("COFFEECHAT_DIGEST_CLAIM_TIMEOUT", 300)
# Tests only: seconds to wait between claiming a digest and sending it (crash tests).
DIGEST_TEST_PAUSE = env_int("COFFEECHAT_TEST_DIGEST_PAUSE", 0)

# Backups (`coffeechat backup`, and the worker's scheduled ones when the interval is set).
BACKUP_DIR = Path(env_str("COFFEECHAT_BACKUP_DIR", str(DATA_DIR / "backups"))).resolve()
BACKUP_EVERY_HOURS = env_int("COFFEECHAT_BACKUP_EVERY_HOURS", 0)
BACKUP_KEEP = env_int("COFFEECHAT_BACKUP_KEEP", 7)
