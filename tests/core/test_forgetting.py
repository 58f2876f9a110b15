"""Forgetting a customer: personal data unreadable in the raw store, anonymous facts kept."""

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from advocacy.application import AdvocacyApplication
from advocacy.domain import ids
from advocacy.inputs import Handle, NewMention
from tests.conftest import PG, WIB

WHEN = datetime(2026, 11, 1, 8, 0, tzinfo=WIB)
SECRETS = ["Budi Santoso", "budi.secret@example.com", "budi_handle", "Rahasia kirim ke alamat saya", "private note"]


def seed(app):
    app.register_customer("crm-9", "Budi Santoso", "budi.secret@example.com", [Handle("instagram", "budi_handle")])
    by_customer = app.record_mention(
        NewMention("ig", "1", "Gojek", "ig", "Rahasia kirim ke alamat saya", WHEN, crm_id="crm-9")
    )
    by_handle = app.record_mention(
        NewMention("ig", "2", "Gojek", "ig", "Mantap, driver ramah", WHEN, author=Handle("instagram", "budi_handle"))
    )
    app.log_outreach("crm-9", "thank", "rina", notes="private note")
    return by_customer, by_handle


def raw_store_text(app, env) -> str:
    """Everything in the events table and the key table, as bytes turned to text."""
    if env.get("PERSISTENCE_MODULE", "").endswith("postgres"):
        import psycopg

        with psycopg.connect(**PG) as conn:
            rows = conn.execute(f'SELECT state FROM "{env["POSTGRES_SCHEMA"]}".advocacy_events').fetchall()
            keys = conn.execute(f'SELECT key FROM "{env["POSTGRES_SCHEMA"]}".personal_data_keys').fetchall()
    else:
        path = Path(env["ADVOCACY_DATA_DIR"]) / "events.sqlite"
        with sqlite3.connect(path) as conn:
            rows = conn.execute("SELECT state FROM stored_events").fetchall()
            keys = conn.execute("SELECT key FROM personal_data_keys").fetchall()
    blob = b"".join(bytes(r[0]) for r in rows)
    return blob.decode("utf-8", "replace") + repr([k[0] for k in keys])


def test_personal_data_is_never_stored_in_plaintext(app, store_env):
    seed(app)

    raw = raw_store_text(app, store_env)

    assert all(secret not in raw for secret in SECRETS)
    assert "Mantap" not in raw


def test_after_forgetting_no_personal_data_can_be_read_but_facts_remain(app, store_env):
    by_customer, by_handle = seed(app)

    app.forget_customer("crm-9")

    # A new process (fresh caches) reading the same store.
    reader = AdvocacyApplication(env=store_env)
    try:
        profile = reader.get_customer("crm-9")
        assert profile["forgotten"] is True
        assert (profile["name"], profile["email"]) == (None, None)
        assert profile["handles"] == [{"platform": "instagram", "handle": None}]
        for mention_id in (by_customer.id, by_handle.id):
            mention = reader.get_mention(mention_id)
            assert mention["text"] is None
            assert mention["sentiment"]["compound"] == pytest.approx(app.get_mention(mention_id)["sentiment"]["compound"])
            assert mention["brand"] == "gojek"
        feed = [e.data for e in reader.read_log()]
        assert all(secret not in repr(feed) for secret in SECRETS)
        assert len(feed) == 6
    finally:
        reader.close()
    assert all(key_is_null for key_is_null in _keys_destroyed(app))


def test_another_process_stops_showing_personal_data_as_soon_as_the_customer_is_forgotten(app, store_env):
    by_customer, _ = seed(app)
    other = AdvocacyApplication(env=store_env)
    try:
        assert other.get_customer("crm-9")["name"] == "Budi Santoso"  # its keys are now cached
        assert other.get_mention(by_customer.id)["text"] == "Rahasia kirim ke alamat saya"

        app.forget_customer("crm-9")

        assert other.get_mention(by_customer.id)["text"] is None
        assert all(secret not in repr([e.data for e in other.read_log()]) for secret in SECRETS)
    finally:
        other.close()


def test_personal_data_sent_after_forgetting_is_not_kept(app):
    app.register_customer("crm-9", "Budi")
    app.forget_customer("crm-9")

    late = app.record_mention(NewMention("ig", "late", "Gojek", "ig", "Saya Budi dari Bandung", WHEN, crm_id="crm-9"))

    assert app.get_mention(late.id)["text"] is None
    assert late.sentiment == app.get_mention(late.id)["sentiment"]


def test_forgetting_twice_is_harmless(app):
    app.register_customer("crm-9", "Budi")

    assert app.forget_customer("crm-9").status == "updated"
    assert app.forget_customer("crm-9").status == "duplicate"


def _keys_destroyed(app):
    rows = app.db.execute("SELECT subject, key FROM {t}personal_data_keys")
    forgotten = {str(ids.customer_id("crm-9")), str(ids.handle_id("instagram", "budi_handle"))}
    destroyed = [row["key"] is None for row in rows if row["subject"] in forgotten]
    assert len(destroyed) == 2
    return destroyed


def test_creating_keys_leaves_the_connections_as_durable_as_before(app, store_env):
    app.register_customer("crm-1", "Budi")

    if "ADVOCACY_DATA_DIR" in store_env:
        with app.db.transaction(commit=False) as c:
            c.execute("PRAGMA synchronous")
            assert int(c.fetchone()[0]) == 2  # FULL: every commit reaches the disk
    else:
        with app.db.transaction(commit=False) as c:
            c.execute("SHOW synchronous_commit")
            assert c.fetchone()["synchronous_commit"] == "on"
    assert app.get_customer("crm-1")["name"] == "Budi"
