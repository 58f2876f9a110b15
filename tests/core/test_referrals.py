"""Referrals: made, converted, rejected, and the input that is refused."""

from datetime import datetime
from decimal import Decimal

import pytest

from advocacy.domain.errors import Conflict, InvalidInput, NotFound
from tests.conftest import WIB

WHEN = datetime(2026, 11, 3, 12, 0, tzinfo=WIB)


@pytest.fixture
def referrer(app):
    app.register_customer("crm-1", "Budi", "budi@example.com")
    return "crm-1"


def test_a_referral_converts_with_its_value(app, referrer):
    made = app.make_referral("ref-1", referrer, WHEN, referee_email="sari@example.com", referee_name="Sari")
    converted = app.convert_referral("ref-1", "crm-2", WHEN, value="150000.50")

    assert (made.status, converted.status) == ("created", "updated")
    stored = app.get_referral("ref-1")
    assert stored["status"] == "converted"
    assert stored["converted"]["value"] == Decimal("150000.50")


def test_the_same_referral_and_conversion_delivered_twice_count_once(app, referrer):
    app.make_referral("ref-1", referrer, WHEN, referee_name="Sari")
    app.convert_referral("ref-1", "crm-2", WHEN, value=10)
    head = app.head()

    assert app.make_referral("ref-1", referrer, WHEN, referee_name="Sari").status == "duplicate"
    assert app.convert_referral("ref-1", "crm-2", WHEN, value=10).status == "duplicate"
    assert app.head() == head


def test_a_referral_id_reused_with_other_details_is_a_conflict(app, referrer):
    app.register_customer("crm-3", "Andi")
    app.make_referral("ref-1", referrer, WHEN, referee_name="Sari")

    with pytest.raises(Conflict):
        app.make_referral("ref-1", "crm-3", WHEN, referee_name="Sari")


def test_an_unknown_referrer_is_refused(app):
    with pytest.raises(NotFound) as error:
        app.make_referral("ref-1", "ghost", WHEN, referee_name="Sari")

    assert error.value.field == "referrer_crm_id"


@pytest.mark.parametrize("referee", [{"referee_crm_id": "crm-1"}, {"referee_email": "BUDI@example.com"}])
def test_referring_yourself_is_refused(app, referrer, referee):
    with pytest.raises(InvalidInput) as error:
        app.make_referral("ref-1", referrer, WHEN, **referee)

    assert error.value.field == "referee"
    assert "same person" in error.value.reason


def test_converting_an_unknown_referral_is_refused(app):
    with pytest.raises(NotFound):
        app.convert_referral("nope", "crm-2", WHEN)


def test_a_rejected_referral_cannot_convert(app, referrer):
    app.make_referral("ref-1", referrer, WHEN, referee_name="Sari")
    app.reject_referral("ref-1", "duplicate referee")

    with pytest.raises(Conflict):
        app.convert_referral("ref-1", "crm-2", WHEN)
    assert app.get_referral("ref-1")["status"] == "rejected"


@pytest.mark.parametrize(("value", "field"), [("abc", "value"), (-5, "value"), ("NaN", "value")])
def test_a_conversion_value_must_be_a_non_negative_amount(app, referrer, value, field):
    app.make_referral("ref-1", referrer, WHEN, referee_name="Sari")

    with pytest.raises(InvalidInput) as error:
        app.convert_referral("ref-1", "crm-2", WHEN, value=value)

    assert error.value.field == field


def test_a_referral_needs_a_time_zone(app, referrer):
    with pytest.raises(InvalidInput) as error:
        app.make_referral("ref-1", referrer, datetime(2026, 11, 3, 12), referee_name="Sari")

    assert error.value.field == "occurred_at"
