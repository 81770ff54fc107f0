"""A time limit for one market checked in a thread that cannot be killed (a Dask task).

The local pool enforces `--market-timeout` by killing the worker process.  A Dask task
runs in a thread of a worker the cluster owns, and Dask has no way to stop a running
task.  Our checking is Python code (the documents are read by the reader process, under
their own time limit), so a watchdog thread can interrupt it: past the deadline it
raises `MarketTimeout` in the task's thread (CPython's `PyThreadState_SetAsyncExc`), at
the next Python instruction.  The exception unwinds the market's work like any other,
and the worker takes the next market.
"""

from __future__ import annotations

import ctypes
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

#: how often the watchdog looks at the deadlines (a market overruns by at most this much,
#: plus the time to the next Python instruction of its thread)
TICK = 0.1


class MarketTimeout(BaseException):  # noqa: N818 - named for what happened, not an *Error
    """Raised in a market's thread past its deadline.  A BaseException: the checking
    code's `except Exception` (one bad document never stops a market) must not take it."""


_lock = threading.Lock()
#: thread id -> monotonic deadline of the market it runs now; _FIRED once its timeout is raised
_deadlines: dict[int, float] = {}
_FIRED = math.inf
_watchdog: threading.Thread | None = None


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    """Make `exc` pending in that thread (None: cancel a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None)


def _watch() -> None:
    while True:
        time.sleep(TICK)
        now = time.monotonic()
        with _lock:
            for thread_id, deadline in _deadlines.items():
                if now > deadline:  # never true of _FIRED: each deadline fires once
                    _deadlines[thread_id] = _FIRED
                    _raise_in(thread_id, MarketTimeout)


def _ensure_watchdog() -> None:
    global _watchdog
    if _watchdog is None or not _watchdog.is_alive():
        _watchdog = threading.Thread(target=_watch, name="market-deadline", daemon=True)
        _watchdog.start()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Run the block in this thread for at most `seconds`, or raise MarketTimeout in it.

    The timeout may land anywhere in the block, including this function's own exit:
    callers catch MarketTimeout around the `with`, never inside it.
    """
    me = threading.get_ident()
    with _lock:
        _ensure_watchdog()
        _deadlines[me] = time.monotonic() + seconds
    try:
        yield
    finally:
        with _lock:
            if _deadlines.pop(me, None) == _FIRED:  # fired, perhaps not raised yet: it must not land in the caller's caller
                _raise_in(me, None)
