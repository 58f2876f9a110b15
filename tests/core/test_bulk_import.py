"""Bulk import's fast paths store and refuse exactly what the one-by-one paths would."""

import json
import uuid
from datetime import datetime, timedelta

import pytest

from advocacy.domain import ids
from advocacy.domain.errors import InvalidInput
from advocacy.domain.mention import Mention
from advocacy.domain.mention_checks import MentionChecks
from advocacy.inputs import Handle, NewMention
from advocacy.sentiment import batch
from tests.conftest import WIB

WHEN = datetime(2026, 11, 1, 19, 30, tzinfo=WIB)
TEXTS = ["Mantap, driver ramah banget", "Aplikasinya lemot parah", "Great service 😍 café", "SLOT GACOR maxwin depo"]


def mentions(n: int, crm_id: str | None = None) -> list[NewMention]:
    return [
        NewMention(
            "instagram",
            f"bulk-{i}",
            " Gojek ",
            "Instagram",
            f"{TEXTS[i % len(TEXTS)]} #{i}",
            WHEN + timedelta(minutes=i),
            crm_id=crm_id if i % 3 == 0 else None,
            author=None if crm_id and i % 3 == 0 else Handle("Instagram", f"@User{i % 7}"),
            url=f"https://example.com/{i}" if i % 2 else None,
            reach=i,
            campaign="Promo Akhir Tahun" if i % 4 == 0 else None,
        )
        for i in range(n)
    ]


def test_ids_are_the_standard_uuid5_of_their_names():
    for name in ["customer:c-1", "mention:instagram:bulk-1", "handle:ig:sari", "brand:café ☕", ""]:
        assert ids.uuid5(name) == uuid.uuid5(ids.NAMESPACE, name)
    assert ids.handle_id("IG", "@Sari") == uuid.uuid5(ids.NAMESPACE, "handle:ig:sari")


def test_a_bulk_stored_mention_is_the_event_the_library_mapper_stores(app):
    app.register_customer("c-1", "Sari")
    batch.start(wait=60.0)  # the worker path, where there are two CPUs
    result = app.record_mentions(mentions(100, crm_id="c-1"))
    assert (result.accepted, result.rejected) == (100, [])

    stored = [n for n in app.recorder.select_notifications(1, 200) if n.topic.endswith("Mention.Recorded")]
    assert len(stored) == 100
    for notification in stored:
        event = app.mapper.to_domain_event(notification)
        assert isinstance(event, Mention.Recorded) and event.personal["text"]
        again = app.mapper.to_stored_event(event)  # the same event through the library's own path
        ours, theirs = json.loads(notification.state), json.loads(again.state)
        assert list(ours) == list(theirs)  # same fields, in the same order
        assert ours.pop("personal") != theirs.pop("personal")  # sealed afresh, with a new nonce
        assert ours == theirs
        assert (notification.originator_version, notification.topic) == (again.originator_version, again.topic)
    recorded = result.mentions[5]
    assert app.get_mention(recorded.id)["sentiment"] == recorded.sentiment


def test_mention_record_gives_the_vars_of_a_recorded_event():
    fields = dict(
        source="s", external_id="e", customer_id=None, handle_id=uuid.uuid4(), platform="ig", brand="b",
        channel="c", occurred_at=WHEN, reach=0, campaign=None, language="en",
        sentiment={"compound": 0.0, "pos": 0.0, "neu": 1.0, "neg": 0.0}, spam={"is_spam": False, "reasons": []},
        scorer="x", scorer_version="1", subject=uuid.uuid4(), personal={"text": "t", "url": None, "handle": "h"},
    )
    state = Mention.record(uuid.uuid4(), **fields)
    assert list(state.items()) == list(vars(Mention.Recorded(**state)).items())
    with pytest.raises(TypeError):
        Mention.record(uuid.uuid4(), **fields, extra=1)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"external_id": " "}, "external_id"),
        ({"external_id": " ", "occurred_at": WHEN.replace(tzinfo=None)}, "external_id"),
        ({"occurred_at": WHEN.replace(tzinfo=None), "reach": -1}, "occurred_at"),
        ({"reach": -1}, "reach"),
        ({"author": Handle("instagram", " @ ")}, "author.handle"),
        ({"author": Handle(["instagram"], "sari")}, "author.platform"),
        ({"brand": ["Gojek"]}, "brand"),
        ({"campaign": "x" * 201}, "campaign"),
        ({"url": "x" * 2001}, "url"),
    ],
)
def test_values_that_passed_before_in_a_batch_leave_other_fields_to_fail_as_alone(overrides, field):
    good = mentions(1)[0]
    checks = MentionChecks()
    assert checks.check(good) == MentionChecks().check(good)
    bad = NewMention(**{**{k: getattr(good, k) for k in good.__slots__}, **overrides})
    for fresh in (MentionChecks(), checks, checks):  # alone, then after the good one, then once more
        with pytest.raises(InvalidInput) as error:
            fresh.check(bad)
        assert error.value.field == field


def test_a_batch_refuses_each_bad_item_and_records_the_rest(app):
    batch.start(wait=60.0)
    items = mentions(80)
    items[3] = NewMention("instagram", "bad-1", "Gojek", "ig", "", WHEN, author=Handle("ig", "a"))
    items[40] = NewMention("instagram", "bad-2", "Gojek", "ig", "ok", WHEN, author=Handle("ig", " @ "))
    result = app.record_mentions(items)
    assert [(r["index"], r["error"].field) for r in result.rejected] == [(3, "text"), (40, "author.handle")]
    assert (result.accepted, result.duplicates) == (78, 0)
    again = app.record_mentions(items)
    assert (again.accepted, again.duplicates) == (0, 78)
    assert [m.sentiment for m in again.mentions if m] == [m.sentiment for m in result.mentions if m]


def test_a_batch_retried_after_a_concurrent_insert_gets_the_same_verdicts(app, tmp_path, monkeypatch):
    from eventsourcing.persistence import IntegrityError

    from advocacy.application import AdvocacyApplication

    batch.start(wait=60.0)
    items = mentions(70)
    reference = AdvocacyApplication(env={"ADVOCACY_DATA_DIR": str(tmp_path / "reference")})
    expected = [(m.id, m.sentiment, m.spam, m.language) for m in reference.record_mentions(items).mentions]
    reference.close()
    from advocacy import application
    from advocacy.storage.append import append_events

    calls = []

    def insert_once_failing(recorder, stored):
        calls.append(len(stored))
        if len(calls) == 1:
            raise IntegrityError("a concurrent writer got there first")
        return append_events(recorder, stored)

    monkeypatch.setattr(application, "append_events", insert_once_failing)
    result = app.record_mentions(items)
    assert calls == [70, 70] and result.accepted == 70
    assert [(m.id, m.sentiment, m.spam, m.language) for m in result.mentions] == expected


def test_a_batch_reports_the_log_position_of_its_last_event(app):
    first = app.record_mentions(mentions(30))
    second = app.record_mentions(mentions(45)[30:])
    notifications = app.recorder.select_notifications(1, 10_000)
    mention_ids = {m.id for m in first.mentions} | {m.id for m in second.mentions}
    positions = [n.id for n in notifications if n.originator_id in mention_ids]
    assert first.position == positions[29] and second.position == positions[-1] == notifications[-1].id
    assert len(positions) == 45


def test_an_append_that_meets_a_stored_event_stores_none_of_its_events(app):
    from eventsourcing.persistence import IntegrityError, StoredEvent

    from advocacy.storage.append import append_events

    app.record_mentions(mentions(3))
    head = app.recorder.max_notification_id()
    taken = app.recorder.select_notifications(1, 1)[0]  # as if a concurrent writer had stored it first
    new = StoredEvent(originator_id=uuid.uuid4(), originator_version=1, topic=taken.topic, state=taken.state)
    with pytest.raises(IntegrityError):
        append_events(app.recorder, [new, taken])
    assert app.recorder.max_notification_id() == head
    assert app.recorder.select_events(new.originator_id) == []


def test_a_batch_stored_on_postgresql_holds_the_table_lock_and_notifies_listeners(pg_schema):
    import threading

    import psycopg

    from advocacy.application import AdvocacyApplication
    from tests.conftest import PG, postgres_env

    app = AdvocacyApplication(env=postgres_env(pg_schema))
    try:
        app.record_mentions(mentions(2))  # tables and keys exist before anyone listens or locks
        table = f'"{pg_schema}"."{app.recorder.events_table_name}"'
        with psycopg.connect(**PG, autocommit=True) as setup:  # records whether each insert ran under the table lock
            setup.execute(f'CREATE TABLE "{pg_schema}".locked (held BOOLEAN)')
            setup.execute(
                f'CREATE FUNCTION "{pg_schema}".note_lock() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN'
                f' INSERT INTO "{pg_schema}".locked SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = pg_backend_pid()'
                f" AND relation = '{table}'::regclass AND mode = 'ExclusiveLock' AND granted); RETURN NULL; END $$"
            )
            setup.execute(f'CREATE TRIGGER note_lock BEFORE INSERT ON {table} FOR EACH STATEMENT EXECUTE FUNCTION "{pg_schema}".note_lock()')
        with psycopg.connect(**PG, autocommit=True) as listener, psycopg.connect(**PG) as writer:
            listener.execute(f'LISTEN "{app.recorder.channel_name}"')
            writer.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")  # another writer mid-transaction
            writer.execute(f"INSERT INTO {table} (originator_id, originator_version, topic, state) VALUES (%s, 1, 't', '')", (uuid.uuid4(),))
            done: list = []
            thread = threading.Thread(target=lambda: done.append(app.record_mentions(mentions(40)[2:])))
            thread.start()
            thread.join(0.5)
            assert not done  # the append waits for the other writer, so the log never has gaps filled in later
            writer.commit()
            thread.join(30)
            assert done[0].accepted == 38
            assert any(n.channel == app.recorder.channel_name for n in listener.notifies(timeout=5, stop_after=1))
        head = app.recorder.max_notification_id()
        assert done[0].position == head  # after the other writer's row, which took the position before
        assert app.recorder.select_notifications(head - 38, 1)[0].topic == "t"
        with psycopg.connect(**PG) as check:
            assert check.execute(f'SELECT held FROM "{pg_schema}".locked').fetchall() == [(True,), (True,)]
    finally:
        app.close()
