"""The key cache: one erasure check per period instead of a key query per subject, and erasures still win."""

import time
import uuid

from advocacy.application import AdvocacyApplication
from advocacy.storage.keyring import Keyring


def keyring(app: AdvocacyApplication, cache_seconds: float) -> Keyring:
    ring = Keyring(cache_seconds=cache_seconds)
    ring.bind(app.db)
    return ring


def test_keys_outlive_the_cache_period_when_nobody_forgot_anyone(app, monkeypatch):
    writer, reader = keyring(app, 10.0), keyring(app, 0.05)
    subjects = [uuid.uuid4() for _ in range(50)]
    sealed = writer.seal_all([(s, b'{"name": "Ani"}') for s in subjects])
    loads = []
    real_load = reader._load
    monkeypatch.setattr(reader, "_load", lambda wanted: loads.append(len(wanted)) or real_load(wanted))

    assert all(reader.open(s, box) == b'{"name": "Ani"}' for s, box in zip(subjects, sealed, strict=True))
    time.sleep(0.1)  # past the period: the next lookup checks the erasure count, once
    assert all(reader.open(s, box) == b'{"name": "Ani"}' for s, box in zip(subjects, sealed, strict=True))
    assert loads == [1] * 50  # each key read once, never again


def test_another_process_forgetting_takes_effect_within_the_period(app):
    writer, reader = keyring(app, 10.0), keyring(app, 0.05)
    subject = uuid.uuid4()
    (box,) = writer.seal_all([(subject, b"secret")])
    assert reader.open(subject, box) == b"secret"

    writer.forget([subject])
    time.sleep(0.1)
    assert reader.open(subject, box) is None
    assert reader.seal_all([(subject, b"again")]) == [None]  # nothing is sealed for a forgotten subject


def test_a_batch_of_events_is_opened_with_one_key_query_and_forgotten_names_stay_unreadable(app, store_env, monkeypatch):
    for i in range(30):
        app.register_customer(f"c-{i}", f"Name {i}")
    app.forget_customer("c-3")
    reader = AdvocacyApplication(env=store_env)  # another process: nothing cached
    try:
        loads = []
        real_load = reader.mapper.keyring._load
        monkeypatch.setattr(reader.mapper.keyring, "_load", lambda wanted: loads.append(len(wanted)) or real_load(wanted))
        stored = [n for n in reader.recorder.select_notifications(0, 1000) if n.topic.endswith("Customer.Registered")]

        events = reader.mapper.to_domain_events(stored)

        assert loads == [30]
        names = {e.crm_id: e.personal and e.personal["name"] for e in events}
        assert names == {f"c-{i}": None if i == 3 else f"Name {i}" for i in range(30)}
    finally:
        reader.close()


def test_keys_another_process_made_are_read_not_written_again(app, monkeypatch):
    maker, other = keyring(app, 10.0), keyring(app, 10.0)
    subjects = [uuid.uuid4() for _ in range(3)]
    made = maker.ensure(subjects)
    writes = []
    real_lazy_commit = app.db.lazy_commit
    monkeypatch.setattr(app.db, "lazy_commit", lambda: writes.append(1) or real_lazy_commit())

    assert other.ensure(subjects) == made
    assert writes == []
    fresh = uuid.uuid4()
    assert set(other.ensure([*subjects, fresh])) == {str(s) for s in [*subjects, fresh]}
    assert writes == [1]  # only the new subject's key is written
