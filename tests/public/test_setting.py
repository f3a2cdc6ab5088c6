"""The public page is off unless PUBLIC_PAGE_ENABLED turns it on; off, its addresses are 404."""

from __future__ import annotations

import pytest

from config import DevelopmentConfig
from tracker import create_app


def test_off_by_default_every_public_address_is_404_not_a_sign_in(client, world):
    for url in (
        "/public/",
        "/public",
        "/public/recommendations",
        "/public/recommendations/PUB-01",
        f"/public/evidence/{world.public_files[0]}",
    ):
        assert client.get(url).status_code == 404, url


@pytest.fixture
def env_app(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path))

    def make(**env):
        for name in ("PUBLIC_PAGE_ENABLED", "PUBLIC_RATE_LIMIT", "RATELIMIT_STORAGE_URI"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI="sqlite://")

    return make


def test_the_environment_turns_it_on_and_sets_the_limit(env_app):
    assert "public.index" not in env_app().view_functions
    assert "public.index" not in env_app(PUBLIC_PAGE_ENABLED="0").view_functions
    app = env_app(PUBLIC_PAGE_ENABLED="true", PUBLIC_RATE_LIMIT="10 per second")
    assert "public.index" in app.view_functions
    assert app.config["PUBLIC_RATE_LIMIT"] == "10 per second"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    page = app.test_client().get("/public/no/such/page")  # needs no database
    assert page.status_code == 404 and "There is no published recommendation" in page.text


def test_unclear_settings_are_refused_naming_the_variable(env_app):
    with pytest.raises(ValueError, match="PUBLIC_PAGE_ENABLED='maybe'"):
        env_app(PUBLIC_PAGE_ENABLED="maybe")
    with pytest.raises(ValueError, match="PUBLIC_RATE_LIMIT='lots' is not a rate limit"):
        env_app(PUBLIC_PAGE_ENABLED="1", PUBLIC_RATE_LIMIT="lots")
