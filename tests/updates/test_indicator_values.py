"""Indicator values are entered by the focal points of the bodies assigned to the indicator's
recommendation (or the secretariat) and validated in the same queue; only validated values are
actuals."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from tests.conftest import csrf_token
from tests.updates.test_validation import review
from tracker.extensions import db
from tracker.models import IndicatorValue, ReviewState
from tracker.updates.indicators import validated_values


def post_value(browser, indicator_id: int, query: str = "", **fields):
    data = {
        "csrf_token": csrf_token(browser, "/"),
        "period": "2024",
        "value": "42",
        "source_note": "MoJ training register, 2024.",
    } | fields
    return browser.post(f"/indicators/{indicator_id}/values/new{query}", data=data)


def actual_cell(page: str) -> str:
    start = page.index("Judges trained")
    return page[start : page.index("</tr>", start)]


def test_indicator_value_is_pending_until_validated_then_shows_as_the_actual(world, signed_in):
    focal = signed_in(world.focal_a)
    detail = focal.get("/recommendations/GEN23-A-01").get_data(as_text=True)
    assert f"/indicators/{world.indicator.id}/values/new" in detail

    response = post_value(focal, world.indicator.id)
    assert response.status_code == 302
    value = db.session.scalars(select(IndicatorValue)).one()
    assert value.review_state is ReviewState.SUBMITTED and value.author_id == world.focal_a.id
    assert validated_values(world.indicator) == []
    cell = actual_cell(focal.get("/recommendations/GEN23-A-01").get_data(as_text=True))
    assert "2024: 42 people" in cell and "pending validation" in cell

    secretariat = signed_in(world.secretariat)
    queue = secretariat.get("/validation").get_data(as_text=True)
    assert "GEN23-IND-1 · 2024: 42 people" in queue and "MoJ training register" in queue
    assert review(secretariat, value.id, "approve", kind="values").status_code == 302

    assert value.review_state is ReviewState.VALIDATED and value.reviewer_id == world.secretariat.id
    assert validated_values(world.indicator) == [value]
    cell = actual_cell(focal.get("/recommendations/GEN23-A-01").get_data(as_text=True))
    assert "2024: 42 people" in cell and "pending" not in cell


def test_returned_value_is_not_an_actual_and_is_resubmitted_as_a_new_value(world, signed_in):
    focal = signed_in(world.focal_a)
    post_value(focal, world.indicator.id, value="4200")
    value = db.session.scalars(select(IndicatorValue)).one()
    secretariat = signed_in(world.secretariat)
    response = review(secretariat, value.id, "send_back", "", kind="values")
    assert response.status_code == 422  # a comment is required
    assert "the comment is required" in response.get_data(as_text=True)
    review(secretariat, value.id, "send_back", "4200 judges? Check the unit.", kind="values")
    assert value.review_state is ReviewState.RETURNED

    cell = actual_cell(focal.get("/recommendations/GEN23-A-01").get_data(as_text=True))
    assert "4,200" not in cell
    listing = focal.get("/updates/returned").get_data(as_text=True)
    assert "4200 judges? Check the unit." in listing
    url = f"/indicators/{world.indicator.id}/values/new?replaces={value.id}"
    assert 'value="4200"' in focal.get(url).get_data(as_text=True)  # prefilled

    assert post_value(focal, world.indicator.id, query=f"?replaces={value.id}").status_code == 302
    new = db.session.scalars(select(IndicatorValue).where(IndicatorValue.id != value.id)).one()
    assert new.replaces_id == value.id and new.value == Decimal(42)
    assert value.review_state is ReviewState.RETURNED and value.value == Decimal(4200)
    assert "Check the unit" not in focal.get("/updates/returned").get_data(as_text=True)


def test_only_focal_points_of_assigned_bodies_and_the_secretariat_enter_values(world, signed_in):
    url = f"/indicators/{world.indicator.id}/values/new"
    other = signed_in(world.focal_b)
    assert other.get(url).status_code == 403
    assert post_value(other, world.indicator.id).status_code == 403
    assert signed_in(world.viewer).get(url).status_code == 403
    assert signed_in(world.focal_a).get("/indicators/999999/values/new").status_code == 404
    assert post_value(signed_in(world.secretariat), world.indicator.id).status_code == 302
    assert db.session.scalars(select(IndicatorValue)).one().author_id == world.secretariat.id


def test_value_must_be_a_number_with_a_period_and_a_source(world, signed_in):
    response = post_value(
        signed_in(world.focal_a), world.indicator.id, value="many", period="", source_note=""
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give the period." in page and "Say where the value comes from." in page
    assert db.session.scalars(select(IndicatorValue)).all() == []
