"""Configuration classes. Values that differ per machine come from the environment when the app
is created (never at import time), so tests and deployments can set them freely."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def database_url(instance_path: str) -> str:
    """DATABASE_URL if set (postgresql:// uses the psycopg 3 driver), else SQLite in instance/."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{Path(instance_path) / 'tracker.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def instance_secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated on first run and kept in instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def mail_settings(env) -> dict:
    """SMTP from the usual Flask names (MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS, MAIL_USERNAME,
    MAIL_PASSWORD, MAIL_DEFAULT_SENDER): only those set. No server: messages wait in the outbox."""
    names = ("MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER")
    settings = {name: env[name] for name in names if env.get(name, "").strip()}
    if port := env.get("MAIL_PORT", "").strip():
        settings["MAIL_PORT"] = int(port)
    if tls := env.get("MAIL_USE_TLS", "").strip():
        settings["MAIL_USE_TLS"] = tls.lower() in ("1", "true", "yes", "on")
    return settings


def env_flag(env, name: str, default: bool = False) -> bool:
    """A yes/no setting from the environment; anything but a clear yes or no is refused, naming
    the variable, rather than silently read as "no"."""
    text = env.get(name, "").strip().lower()
    if not text:
        return default
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name}={env[name]!r}: use 1/true/yes/on or 0/false/no/off")


# PostgreSQL planner settings for the tracker's short queries over a database held in memory
# (measured in bench/): no JIT (it costs more than it saves); random reads costed as what they
# are there, cheap (1.1, not the spinning-disk 4), so one body's few thousand assignments are
# joined by index instead of scanning every recommendation; no parallel workers, whose start-up
# costs more than they save at these sizes on a small server.
POSTGRES_OPTIONS = "-c jit=off -c random_page_cost=1.1 -c max_parallel_workers_per_gather=0"


def engine_options(uri: str, options: dict) -> dict:
    """Per-database engine options: POSTGRES_OPTIONS on every PostgreSQL connection."""
    if uri.startswith("postgresql"):
        return {**options, "connect_args": {"options": POSTGRES_OPTIONS}}
    return options


class Config:
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    LANGUAGES = ("en", "lo")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Vientiane"
    BABEL_TRANSLATION_DIRECTORIES = "../translations"
    ITEMS_PER_PAGE = 50
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = True
    WTF_CSRF_TIME_LIMIT = None  # a focal point may keep a form open all afternoon
    SEED_DIR = str(Path(__file__).parent / "seeds")
    EVIDENCE_MAX_BYTES = 20 * 1024 * 1024  # per evidence file
    EVIDENCE_DIR: str | None = None  # set by configure(): instance/evidence, outside static/
    SEED_DOCUMENTS_DIR = str(Path(__file__).parent.parent / "shared" / "seed-documents")
    MAIL_SERVER: str | None = None  # none: nothing is sent, messages stay queued in the outbox
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "tracker@localhost"
    MAIL_TIMEOUT = 30  # seconds, per SMTP operation
    OUTBOX_RETRY_BASE_SECONDS = 300  # backoff after failures: 5, 10, 20, 40, 80 minutes
    OUTBOX_MAX_ATTEMPTS = 6  # then the message is failed, for an admin to resend
    REMINDER_HOUR = 8  # local time (Asia/Vientiane) of the daily reminder sweep
    BASE_URL = "http://127.0.0.1:5000"  # where links in reminder emails point
    # The public transparency page (/public): off unless turned on; rate-limited per address.
    PUBLIC_PAGE_ENABLED = False
    PUBLIC_RATE_LIMIT = "60 per minute"
    RATELIMIT_STORAGE_URI = "memory://"  # per process; e.g. redis://host:6379 to share
    TESTING = False

    @classmethod
    def configure(cls, app) -> None:
        """Read what depends on the machine: called by create_app, after from_object."""
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.instance_path)
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
        if seed_docs := os.environ.get("SEED_DOCUMENTS_DIR"):
            app.config["SEED_DOCUMENTS_DIR"] = seed_docs
        app.config["EVIDENCE_DIR"] = os.environ.get("EVIDENCE_DIR") or str(
            Path(app.instance_path) / "evidence"
        )
        if max_bytes := os.environ.get("EVIDENCE_MAX_BYTES"):
            app.config["EVIDENCE_MAX_BYTES"] = int(max_bytes)
        app.config.update(mail_settings(os.environ))
        if hour := os.environ.get("REMINDER_HOUR"):
            app.config["REMINDER_HOUR"] = int(hour)
        if base_url := os.environ.get("BASE_URL"):
            app.config["BASE_URL"] = base_url.rstrip("/")
        app.config["PUBLIC_PAGE_ENABLED"] = env_flag(os.environ, "PUBLIC_PAGE_ENABLED")
        for name in ("PUBLIC_RATE_LIMIT", "RATELIMIT_STORAGE_URI"):
            if value := os.environ.get(name, "").strip():
                app.config[name] = value


class DevelopmentConfig(Config):
    # make run serves plain http on 127.0.0.1: a Secure cookie would never come back.
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class ProductionConfig(Config):
    pass


class TestingConfig(Config):
    TESTING = True
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False

    @classmethod
    def configure(cls, app) -> None:
        # Tests set SQLALCHEMY_DATABASE_URI and EVIDENCE_DIR themselves; never touch instance/.
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        app.config.setdefault("SQLALCHEMY_DATABASE_URI", "sqlite://")
