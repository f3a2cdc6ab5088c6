"""Configuration comes from the environment; the secret key is never a constant in the code."""

from pathlib import Path

from config import DevelopmentConfig
from tracker import create_app


def make_app(tmp_path: Path):
    return create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.db'}")


def test_secret_key_is_generated_once_into_instance_and_reused(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path / "inst"))
    first = make_app(tmp_path).config["SECRET_KEY"]
    second = make_app(tmp_path).config["SECRET_KEY"]
    key_file = tmp_path / "inst" / "secret_key"
    assert first == second == key_file.read_text().strip()
    assert len(first) >= 64
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_environment_wins_for_secret_key_and_database(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("DATABASE_URL", "postgresql://someone@db.example/tracker")
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path / "inst"))
    app = create_app(DevelopmentConfig)
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://someone@db.example/tracker"
    )
    assert not (tmp_path / "inst" / "secret_key").exists()


def test_default_database_is_sqlite_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path / "inst"))
    app = create_app(DevelopmentConfig)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'inst' / 'tracker.db'}"


def test_an_id_too_large_for_the_database_is_a_404(client, make_user):
    from tests.conftest import login
    from tracker.models import Role

    make_user(Role.ADMIN, email="admin@example.org")
    login(client, "admin@example.org")
    assert client.get("/evidence/99999999999").status_code == 404
    assert client.get("/assignments/2147483648/edit").status_code == 404
