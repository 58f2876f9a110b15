"""Registering customers from the CRM, linking handles, consent."""

import pytest

from advocacy.domain.errors import CustomerForgotten, InvalidInput, NotFound
from advocacy.inputs import Handle


def test_registering_a_new_customer_creates_it(app):
    result = app.register_customer("crm-1", "Budi Santoso", "Budi@Example.com", [Handle("Instagram", "@BudiS")])

    assert result.status == "created"
    profile = app.get_customer("crm-1")
    assert profile["name"] == "Budi Santoso"
    assert profile["email"] == "budi@example.com"
    assert profile["handles"] == [{"platform": "instagram", "handle": "budis"}]


def test_registering_the_same_customer_twice_stores_nothing_new(app):
    app.register_customer("crm-1", "Budi", "budi@example.com")
    head = app.head()

    again = app.register_customer("crm-1", "Budi", "budi@example.com")

    assert again.status == "duplicate"
    assert app.head() == head


def test_registering_a_known_customer_with_changed_data_records_the_change(app):
    app.register_customer("crm-1", "Budi", "budi@example.com")

    changed = app.register_customer("crm-1", "Budi Santoso", "budi@example.com", [Handle("tiktok", "budi")])

    assert changed.status == "updated"
    types = [e.type for e in app.customer_history("crm-1")]
    assert types == ["Customer.Registered", "Customer.DetailsChanged", "Customer.HandleLinked"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"crm_id": "", "name": "Budi"}, "crm_id"),
        ({"crm_id": "c", "name": "   "}, "name"),
        ({"crm_id": "c", "name": "x" * 201}, "name"),
        ({"crm_id": "c", "name": "Budi", "email": "not-an-email"}, "email"),
        ({"crm_id": "c", "name": "Budi", "handles": [Handle("", "budi")]}, "handles[0].platform"),
        ({"crm_id": "c", "name": "Budi", "handles": [Handle("ig", "@")]}, "handles[0].handle"),
    ],
)
def test_invalid_customer_data_is_refused_naming_the_field(app, kwargs, field):
    with pytest.raises(InvalidInput) as error:
        app.register_customer(**kwargs)

    assert error.value.field == field
    assert app.head() == 0


def test_opting_out_and_back_in_is_recorded_once_each(app):
    app.register_customer("crm-1", "Budi")

    assert app.opt_out("crm-1").status == "updated"
    assert app.opt_out("crm-1").status == "duplicate"
    assert app.get_customer("crm-1")["opted_out"] is True
    assert app.opt_in("crm-1").status == "updated"
    assert app.get_customer("crm-1")["opted_out"] is False


def test_unknown_customer_is_reported_as_not_found(app):
    with pytest.raises(NotFound) as error:
        app.get_customer("nobody")

    assert error.value.field == "crm_id"


def test_a_forgotten_customer_cannot_be_registered_again(app):
    app.register_customer("crm-1", "Budi")
    app.forget_customer("crm-1")

    with pytest.raises(CustomerForgotten):
        app.register_customer("crm-1", "Budi")


def test_events_can_be_read_back_by_log_position(app):
    first = app.register_customer("crm-1", "Budi")
    second = app.opt_out("crm-1")

    events = app.events_at([second.position, 999, first.position])

    assert [e.type for e in events] == ["Customer.OptedOut", "Customer.Registered"]
    assert events[1].data["personal"]["name"] == "Budi"
