"""A head start for ``batch --ray``: the driver runs inputs while Ray and its actors start.

Starting Ray (``ray.init``: 3-4 s for a new local instance on 2 idle cores) and then the batch's
actors (a Python process each, Ray's and the runtime's imports, the Agent) leaves the
machine partly idle for seconds, and that start-up cannot begin before Ray is up. The driver has
an Agent already (it planned the request), so it runs inputs itself, from the *end* of the list,
until the first reply comes back from an actor; the actors take the list from the front. Each
input runs exactly once: it is claimed before it runs, in this process while Ray is not up yet,
then in Ray's key-value store (GCS), where a claim is an atomic put-if-absent that the actors make
too (:meth:`Claims.take`). The dataset is made only of the inputs the driver has not claimed by
the time Ray is up, so an actor skips (answers ``{"skip": true}`` at once) only the few the driver
claims after that.

``VITRON_RAY_HEAD_START=0`` turns it off (every input then runs on an actor), ``1`` on. Unset
(``auto``), it is on unless the batch's actors are preloaded (a lean local instance whose workers
import the runtime while ``ray.init`` ends: :mod:`vitron_agent.batch.worker_preload`): those
actors are ready about when Ray is, so the driver builds no Agent (~1.8 CPU-s on a 2-core machine
where every process competes for the cores) and an actor plans the request, as on a cluster's
warm actors. It is off under Ray Client (``ray://``), whose driver is outside the cluster and
should not run work.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from typing import Any

from vitron_agent.batch import pool as batch_pool

__all__ = ["ENV", "Claims", "HeadStart", "enabled"]

ENV = "VITRON_RAY_HEAD_START"
_NAMESPACE = "vitron_batch_claims"
_DRIVER = b"driver"


def enabled(address: str | None, preloaded: bool = False) -> bool:
    """Whether a batch on Ray at ``address`` gives its driver a head start (see the module;
    ``preloaded``: its actors' workers imported the runtime before them)."""
    value = os.environ.get(ENV, "auto").strip().lower()
    if value in ("0", "false", "no", "off") or (address or "").startswith("ray://"):
        return False
    return value in ("1", "true", "yes", "on") or not preloaded


class Claims:
    """Which inputs of one batch (``token``: the batch's lock token) are taken, and by whom.

    Before :meth:`publish` the claims are a set in this process (Ray is not up); after it, keys
    ``<token>:<input key>`` in Ray's key-value store: the first to put one runs that input. Actors
    build their own with ``Claims(token, shared=True)``."""

    def __init__(self, token: str, shared: bool = False):
        self.token, self.shared = token, shared
        self._local: set[str] = set()
        self._lock = threading.Lock()

    def _kv(self) -> Any:
        from ray.experimental import internal_kv

        return internal_kv

    def _key(self, key: str) -> bytes:
        return f"{self.token}:{key}".encode()

    def take(self, key: str) -> bool:
        """The driver claims input ``key``: True when it got it (and must run it), False when an
        actor has it. Should Ray's store not answer, the driver runs it anyway (a second line
        for the same input is dropped by the driver; a lost input is worse)."""
        with self._lock:
            if not self.shared:
                if key in self._local:
                    return False
                self._local.add(key)
                return True
            try:
                existed = self._kv()._internal_kv_put(self._key(key), _DRIVER, overwrite=False, namespace=_NAMESPACE)
            except Exception:
                return True
            return not existed

    def actor_runs(self, key: str) -> bool:
        """An actor claims input ``key``: False only when the driver has it. A claim an actor made
        (a job retried after its actor died) does not stop another actor running it."""
        kv = self._kv()
        if not kv._internal_kv_put(self._key(key), b"actor", overwrite=False, namespace=_NAMESPACE):
            return True
        return kv._internal_kv_get(self._key(key), namespace=_NAMESPACE) != _DRIVER

    def publish(self) -> set[str]:
        """Move the claims made so far into Ray's store (Ray is up); later claims go there too.
        Returns the keys claimed so far."""
        with self._lock:
            kv = self._kv()
            for key in self._local:
                kv._internal_kv_put(self._key(key), _DRIVER, overwrite=True, namespace=_NAMESPACE)
            self.shared = True
            return set(self._local)

    def clear(self) -> None:
        """Remove this batch's keys from Ray's store (once every input has its line)."""
        if self.shared:
            try:
                self._kv()._internal_kv_del(f"{self.token}:".encode(), del_by_prefix=True, namespace=_NAMESPACE)
            except Exception:  # Ray already gone: its store with it
                pass


class HeadStart:
    """The driver's share of a Ray batch: a thread that runs ``jobs`` from the end on the Agent
    ``agent()`` gives (built there when the driver has none yet), with ``threads`` inference
    threads, until :meth:`stop`, putting each results line on ``lines`` (a queue it shares with the
    actors' rows). Every job it runs was claimed first (``claims``); it stops when a claim fails
    (an actor has that job) or the list is done, and puts ``None`` on ``lines`` when it ends."""

    def __init__(
        self, jobs: list[batch_pool.Job], claims: Claims, agent: Callable[[], Any], threads: int, lines: queue.Queue
    ):
        self.jobs, self.claims, self.agent, self.threads, self.lines = jobs, claims, agent, threads, lines
        self.ran = 0
        self._stop = threading.Event()
        self.lock = threading.Lock()  # held while the driver's Agent runs a job (the driver's exports take it too)
        self._thread = threading.Thread(target=self._run, name="vitron-batch-head-start", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Take no more jobs (the one running finishes and its line is still put)."""
        self._stop.set()

    def join(self) -> None:
        self._thread.join()

    def _run(self) -> None:
        restore: Callable[[], None] | None = None
        agent = None
        try:
            restore = batch_pool.limit_threads(self.threads)
            agent = self.agent()
            batch_pool.use_agent(agent)
            for job in reversed(self.jobs):
                if self._stop.is_set() or not self.claims.take(job.key):
                    break
                with self.lock:
                    line = batch_pool.run_job(job)
                self.ran += 1
                self.lines.put(("line", line))
        except BaseException as exc:  # raised in the consumer's thread
            self.lines.put(("error", exc))
        finally:
            if agent is not None and batch_pool.current_agent() is agent:
                batch_pool.release_agent()
            if restore is not None:
                restore()
            self.lines.put(None)
