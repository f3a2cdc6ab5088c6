"""A small world for the management pages: two bodies with assignments, a source with a cluster
tree, and a way to sign in with any role."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.conftest import csrf_token, login
from tracker.extensions import db
from tracker.models import Role
from tracker.register.services import cluster_by_path


@pytest.fixture
def world(app):
    src = f.source("UPR-3")
    f.body("MOJ", name="Ministry of Justice", acronym="MoJ")
    f.body("MOHA", name="Ministry of Home Affairs", acronym="MoHA")
    rights = cluster_by_path(src, ["C. Economic, social and cultural rights"])
    cluster_by_path(src, ["C. Economic, social and cultural rights", "Right to health"])
    cluster_by_path(src, ["C. Economic, social and cultural rights", "Right to education"])
    f.recommendation(src, "R-1", lead="MOJ", supporting=("MOHA",), cluster=rights)
    f.recommendation(src, "R-2", lead="MOJ")
    db.session.commit()
    return src


@pytest.fixture
def sign_in(client, make_user):
    """Create an account with the role (and body) and sign the client in with it."""

    def sign_in(role: Role, body_code: str | None = None, email: str | None = None):
        user = make_user(role, email=email, body_code=body_code)
        response = login(client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return sign_in


def post(client, path: str, data: dict | None = None, **kwargs):
    """A form post with a valid CSRF token, as a browser sends it."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, "/")}, **kwargs)
