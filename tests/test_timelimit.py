"""The time limit of a market checked in a thread (Dask tasks): it interrupts our Python
code, and never lands after the market's block."""

from __future__ import annotations

import time

import pytest

from achat_check.batch.timelimit import MarketTimeout, time_limit


def test_a_deadline_interrupts_a_market_that_loops():
    with pytest.raises(MarketTimeout):
        with time_limit(0.2):
            while True:
                pass


def test_a_market_that_ends_in_time_is_not_interrupted():
    with time_limit(30):
        total = sum(range(100_000))
    assert total == 4_999_950_000


def test_a_deadline_never_lands_after_its_block():
    """Blocks that end around their deadline, then Python code across several watchdog
    ticks: the block's deadline goes with it (one left behind interrupts the code after)."""
    for _ in range(15):
        try:
            with time_limit(0.1):
                time.sleep(0.1)  # C code: the exception can only land after it, near the block's end
        except MarketTimeout:
            pass
        for _ in range(3):  # Python code after the block, across several watchdog ticks
            sum(range(200_000))
            time.sleep(0.05)


def test_a_reader_interrupted_mid_document_never_answers_for_the_next_one(monkeypatch):
    """A market's deadline landing while the reader process reads: the reader is replaced,
    else its late answer for that document would be taken as the next document's text."""
    from achat_check.ingest import READERS
    from achat_check.ingest.guard import ReaderProcess
    from achat_check.settings import get_limits

    read_txt = READERS["txt"]

    def slow_for_one(data, path, limits):
        if b"lent" in data:
            time.sleep(2)
        return read_txt(data, path, limits)

    monkeypatch.setitem(READERS, "txt", slow_for_one)  # the reader forked below serves it
    reader = ReaderProcess()
    reader.start()
    try:
        with pytest.raises(MarketTimeout):
            with time_limit(0.2):
                reader.read("txt", b"Le document lent.\n", "lent.txt", get_limits())
        raw = reader.read("txt", b"Le document rapide.\n", "rapide.txt", get_limits())
        assert raw.pages[0].lines[0] == "Le document rapide."
    finally:
        reader.stop()
