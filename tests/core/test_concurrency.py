"""Concurrent writers: version conflicts are retried, nothing is lost."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from advocacy.inputs import Handle, NewMention
from tests.conftest import WIB

WHEN = datetime(2026, 11, 1, 8, 0, tzinfo=WIB)


def test_eight_threads_writing_for_one_customer_lose_nothing(app):
    app.register_customer("crm-1", "Budi")

    def work(worker: int) -> None:
        for i in range(6):
            app.record_mention(NewMention("ig", f"{worker}-{i}", "Gojek", "ig", "Mantap!", WHEN, crm_id="crm-1"))
            app.log_outreach("crm-1", "thank", f"officer-{worker}", occurred_at=WHEN)
            app.link_handle("crm-1", "tiktok", f"budi{worker}_{i}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(work, range(8)))

    profile = app.get_customer("crm-1")
    assert len(profile["outreach"]) == 48
    assert len(profile["handles"]) == 48
    types = [e.type for e in app.read_log(limit=1000)]
    assert types.count("Mention.Recorded") == 48
    assert types.count("Customer.OutreachLogged") == 48


def test_the_same_delivery_racing_itself_is_stored_once(app):
    app.register_customer("crm-1", "Budi", handles=[Handle("ig", "budi")])

    def deliver(_: int) -> bool:
        return app.record_mention(NewMention("ig", "same", "Gojek", "ig", "Mantap!", WHEN, crm_id="crm-1")).duplicate

    with ThreadPoolExecutor(max_workers=8) as pool:
        duplicates = list(pool.map(deliver, range(16)))

    assert duplicates.count(False) == 1
    assert [e.type for e in app.read_log()].count("Mention.Recorded") == 1
