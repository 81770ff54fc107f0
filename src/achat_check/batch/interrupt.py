"""Stop a batch on Ctrl-C or SIGTERM, even when the signal's exception is lost.

Python raises a signal handler's exception wherever the main thread happens to be.  Inside
a `__del__`, a weakref callback or a library's `except BaseException` (SQLAlchemy's pool
handing a connection back) it is printed as « Exception ignored » or swallowed, and the
batch runs on: seen in CI, a SIGTERM after the first market and the job finished its 24
markets.  So the handler also remembers the signal, and the runners ask `check()` between
their steps, where nothing swallows the exception it raises.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class Terminated(KeyboardInterrupt):
    """SIGTERM, stopped as Ctrl-C is: the workers stopped, the job recorded as interrupted."""


#: signals received while `stop_on_signals` holds (the last one tells the exception)
_received: list[int] = []


def _exception(signum: int) -> KeyboardInterrupt:
    return Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


def _handler(signum: int, frame: FrameType | None) -> None:
    _received.append(signum)
    raise _exception(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Ctrl-C and SIGTERM (`kill`, a service stop) interrupt the batch run inside this block.
    Main thread only, as every signal handler."""
    _received.clear()
    previous = {s: signal.signal(s, _handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        _received.clear()


def check() -> None:
    """Raise the interruption a signal asked for, if its own exception was lost on the way."""
    if _received:
        raise _exception(_received[-1])
