"""ArtifactWriter: a plan step's artifacts are encoded and written off the tool's thread.

A tool calls ``ctx.store.put_image(...)`` (or put_mask, put_feature, ...); the store hashes the
content (the id is needed at once), keeps the decoded array in its memory cache and hands the
encoding, the fsynced writes and any object-store upload to this writer, so the tool goes on.
Whoever reads the artifact meanwhile waits for its write (or gets it from the cache). The step's
state update is committed only after its writes are durable (:meth:`ArtifactStore.settle`), so a
process killed at any moment never leaves state pointing at nothing.

Only a step's own store view defers (``store.deferring()``); uploads, the server's media route and
direct library calls write synchronously as before.
"""

from __future__ import annotations

import atexit
import errno
import os
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from vitron_agent.core.errors import ToolFailed

__all__ = ["ArtifactWriter", "DeferredWrites", "shared_writer", "not_stored_because"]


class ArtifactWriter:
    """A small pool of writer threads with a bound on writes in flight (backpressure: a tool
    that produces faster than the disk takes waits, its arrays are not queued without end).

    Args:
        threads: writer threads (encoding PNGs and fsync release the GIL for most of their time).
        max_pending: most writes submitted and not finished; ``submit`` blocks beyond it.
    """

    def __init__(self, threads: int = 2, max_pending: int = 64):
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="vitron-writer")
        self._slots = threading.BoundedSemaphore(max_pending)
        self._pending: dict[tuple[str, str], Future] = {}
        self._lock = threading.Lock()

    def submit(self, key: tuple[str, str], job: Callable[[], Any]) -> Future:
        """Run ``job()`` on a writer thread; ``key`` (folder, digest) marks the artifact pending
        until it returns. A second submit of a pending key returns the first write's future."""
        with self._lock:
            running = self._pending.get(key)
            if running is not None:
                return running
        self._slots.acquire()  # outside the lock: a finishing write takes the lock to give its slot back
        future: Future = Future()
        with self._lock:
            running = self._pending.get(key)
            if running is not None:  # the same artifact was submitted while this one waited for a slot
                self._slots.release()
                return running
            self._pending[key] = future

        def work() -> None:
            try:
                future.set_result(job())
            except BaseException as exc:  # handed to whoever waits for this artifact
                future.set_exception(exc)
            finally:
                with self._lock:
                    if self._pending.get(key) is future:
                        del self._pending[key]
                self._slots.release()

        self._pool.submit(work)
        return future

    def pending(self, key: tuple[str, str]) -> Future | None:
        """The write in flight for ``key``, if any."""
        return self._pending.get(key)  # a dict read is atomic; no lock on the read path

    def flush(self) -> None:
        """Wait for every write in flight (errors are left to those who wait on their futures)."""
        with self._lock:
            futures = list(self._pending.values())
        for f in futures:
            try:
                f.result()
            except BaseException:
                pass

    def __len__(self) -> int:
        return len(self._pending)


class DeferredWrites:
    """The deferred-write part of :class:`~vitron_agent.storage.store.ArtifactStore` (``writer``,
    ``_deferred``, ``dir``, ``_views`` are the store's)."""

    def deferring(self) -> Any:
        """A view of this session whose writes go to the background writer (a plan step's view):
        ``put_*`` returns once the content is hashed and cached; :meth:`settle` waits until
        every write made through this view is durable. Without a writer, the view writes at once."""
        import copy

        view = copy.copy(self)
        view.writer = self.writer if self.writer is not None else shared_writer()
        view._deferred = []
        return view

    def _active_writer(self) -> ArtifactWriter | None:
        """The writer whose writes in flight a read must wait for: this store's, else the process's
        (every store view of a folder sees the same writes, whichever view made them)."""
        return self.writer if self.writer is not None else _SHARED

    def settle(self) -> None:
        """Wait until every write made through this deferring view is on disk (and in the object
        store); a write that failed is a ToolFailed naming the artifact (a StoreUnreachable as is)."""
        if not self._deferred:
            return
        deferred, self._deferred = self._deferred, []
        for digest, future in deferred:
            self._wait_written(digest, future)

    @staticmethod
    def _wait_written(digest: str, future: Any) -> None:
        from vitron_agent.storage.object_store import StoreUnreachable

        try:
            future.result()
        except StoreUnreachable:
            raise
        except Exception as exc:
            raise ToolFailed(f"artifact {digest[:12]} could not be stored: {not_stored_because(exc)}") from None

    def _settled(self, digest: str) -> None:
        """Wait for a write of ``digest`` in flight in this session (made by any step's view)."""
        writer = self._active_writer()
        if writer is not None:
            future = writer.pending((str(self.dir), digest))
            if future is not None:
                self._wait_written(digest, future)


FULL_DISK = (
    "the disk is full ({strerror}) where the session's artifacts are kept ({folder}); free space there and run "
    "the turn again (earlier results of the session are kept)"
)


def not_stored_because(exc: BaseException) -> str:
    """Why a write failed, in words with the fix: a full disk or quota names the folder and what to do."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        folder = os.path.dirname(str(exc.filename)) if exc.filename else "the data folder"
        return FULL_DISK.format(strerror=exc.strerror or "no space left", folder=folder)
    return f"{type(exc).__name__}: {exc}"


_WRITERS: weakref.WeakSet[ArtifactWriter] = weakref.WeakSet()
_SHARED: ArtifactWriter | None = None
_SHARED_LOCK = threading.Lock()


def shared_writer() -> ArtifactWriter:
    """The process's writer (made on first use; flushed at interpreter exit)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = ArtifactWriter()
            _WRITERS.add(_SHARED)
        return _SHARED


@atexit.register
def _flush_all() -> None:  # a script that stores and exits at once still leaves complete files
    for writer in list(_WRITERS):
        writer.flush()
