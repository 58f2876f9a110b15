"""Bulk import holds off the garbage collector only while it runs, whatever the threads do."""

import gc
import threading

from advocacy.gc_pause import gc_paused


def test_collection_resumes_when_the_last_block_ends():
    assert gc.isenabled()
    first_in, second_done = threading.Event(), threading.Event()

    def other() -> None:
        with gc_paused():
            first_in.set()
            second_done.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    first_in.wait(5)
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's block is still running
    second_done.set()
    thread.join(5)
    assert gc.isenabled()


def test_collection_stays_off_if_it_was_off_before():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_error_in_the_block_still_resumes_collection():
    try:
        with gc_paused():
            raise KeyError("x")
    except KeyError:
        pass
    assert gc.isenabled()
