"""Reusable daemon threads: the graph runs plan steps on them (with a timeout) and planners
run model calls on them; a worker stuck in a hung call never blocks interpreter exit."""

from __future__ import annotations

import contextvars
import queue
import threading
from concurrent.futures import Future

__all__ = ["submit_daemon", "WORKERS"]


class _DaemonWorkers:
    """Reusable daemon threads for step calls (starting a thread per step cost ~0.3 ms).

    A worker stuck in a hung tool stays busy; the next call starts another worker, and
    daemon threads never block interpreter exit.
    """

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0

    def submit(self, fn) -> Future:
        future: Future = Future()
        with self._lock:
            if self._idle == 0:
                threading.Thread(target=self._work, name="vitron-step", daemon=True).start()
            else:
                self._idle -= 1
        self._jobs.put((fn, future))
        return future

    def _work(self) -> None:
        while True:
            fn, future = self._jobs.get()
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to the waiting caller
                future.set_exception(exc)
            with self._lock:
                self._idle += 1


WORKERS = _DaemonWorkers()


def submit_daemon(fn) -> Future:
    """Run ``fn()`` on a reusable daemon thread (with the caller's context variables); a future of its result."""
    context = contextvars.copy_context()
    return WORKERS.submit(lambda: context.run(fn))
