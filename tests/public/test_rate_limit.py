"""The public pages are rate-limited per client address; nothing else in the app is."""

from __future__ import annotations

from tests.conftest import IsolatedClient
from tests.public.conftest import public_app, switch_language
from tracker.extensions import db


def test_public_pages_answer_429_after_the_limit_and_nothing_else_is_limited(
    app, world, database_url
):
    limited = public_app(database_url, app.config["EVIDENCE_DIR"], PUBLIC_RATE_LIMIT="3 per hour")
    limited.test_client_class = IsolatedClient
    try:
        browser = limited.test_client()
        # One limit shared by every public route: the overview, the list, a page, a file.
        assert browser.get("/public/").status_code == 200
        assert browser.get("/public/recommendations?q=court").status_code == 200
        assert browser.get("/public/recommendations/PUB-01").status_code == 200
        for url in ("/public/", f"/public/evidence/{world.public_files[0]}", "/public/x"):
            refused = browser.get(url)
            assert refused.status_code == 429, url
            page = refused.get_data(as_text=True)
            assert "Too many requests" in page and "Please wait a minute" in page
            assert 'href="/public/"' in page  # the public layout, with a way back

        # The rest of the app is not limited, and the language switch still works.
        for _ in range(5):
            assert browser.get("/login").status_code == 200
        switch_language(browser, "lo", "/login")
        lao = browser.get("/public/")
        assert lao.status_code == 429 and '<html lang="lo">' in lao.get_data(as_text=True)

        # Another address has its own allowance.
        other = {"REMOTE_ADDR": "203.0.113.9"}
        assert limited.test_client().get("/public/", environ_base=other).status_code == 200
    finally:
        with limited.app_context():
            db.engine.dispose()


def test_with_the_page_off_there_is_no_limiter_at_all(app):
    assert "limiter" not in app.extensions and "public_limiter" not in app.extensions
