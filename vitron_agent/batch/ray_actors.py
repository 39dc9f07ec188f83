"""A fixed pool of plain Ray actors for ``batch --ray`` (the default; ``VITRON_RAY_EXECUTOR=data``
runs the same actors through Ray Data instead).

Each actor is a callable class (:class:`vitron_agent.batch.ray_data._BatchActor`) that holds one
Agent for its life; the driver keeps ``in_flight`` jobs (job records: paths, not pixels) queued on
each actor so none waits for the driver, and each reply comes back as its job finishes. Why not
Ray Data: on one 2-core machine its machinery costs more CPU than the pool of actors it drives
(``benchmarks/batch.py`` prints every process's CPU seconds): its per-cluster actors (stats,
autoscaling coordinator, actor locations: three more Python processes, ~2.4 CPU-s on a cluster's
first dataset), the streaming executor's loop in the driver (~1 CPU-s for 64 inputs) and its
import (pyarrow, pandas) in the driver and in every actor. (The plain actors take the workers
``ray.init`` prestarts, Ray already imported.) Two runs of 64 trivial jobs in a new local Ray used 7.5 CPU-s through Ray
Data against 1.6 here, every process counted (``benchmarks/ray_overhead.py --batch``).

Actors are spread over the cluster's nodes (``SPREAD``), one CPU each; an actor whose process dies
is restarted and its jobs retried (at most :data:`RETRIES` times), as Ray Data did; an error that
outlasts the retries ends the batch with that error. The actors are owned by the driver: they die
with it, and :meth:`ActorRows.stop` ends them at once.
"""

from __future__ import annotations

import os
import queue
import threading
from typing import Any

__all__ = ["ENV", "RETRIES", "ActorRows", "use_ray_data"]

ENV = "VITRON_RAY_EXECUTOR"
RETRIES = 3
_WAIT_S = 1.0  # how often the feeding loop looks at its stop flag while every actor is busy


def use_ray_data() -> bool:
    """Whether ``VITRON_RAY_EXECUTOR`` asks for Ray Data ("data") instead of the actor pool."""
    value = os.environ.get(ENV, "actors").strip().lower()
    if value not in ("actors", "data", ""):
        from vitron_agent.core.errors import InputError

        raise InputError(f"{ENV}={value!r}: say 'actors' (the default) or 'data' (Ray Data)")
    return value == "data"


class ActorRows:
    """``workers`` actors of ``actor_cls`` (built with ``kwargs``) running job records.

    :meth:`run` feeds the jobs and puts ``("row", {"job": record, "reply": reply})`` on ``merged``
    for each one as it finishes (the rows Ray Data's ``map_batches`` gave), then ``None``; an
    error goes on ``merged`` as ``("error", exc)``. ``in_flight`` jobs are queued on each actor."""

    def __init__(self, ray: Any, actor_cls: type, kwargs: dict[str, Any], workers: int, in_flight: int = 2):
        self.ray, self.workers, self.in_flight = ray, max(1, workers), max(1, in_flight)
        remote = ray.remote(num_cpus=1, max_restarts=RETRIES, max_task_retries=RETRIES, scheduling_strategy="SPREAD")
        self._cls = remote(actor_cls)
        self._kwargs = kwargs
        self._actors: list[Any] = []
        self._stop = threading.Event()

    def run(self, records: list[str], merged: queue.Queue) -> None:
        """Every record through the actors (call it on a thread of its own)."""
        try:
            self._actors = [self._cls.remote(**self._kwargs) for _ in range(self.workers)]
            self._feed(list(reversed(records)), merged)
        except BaseException as exc:
            merged.put(("error", exc))
        finally:
            merged.put(None)

    def _feed(self, todo: list[str], merged: queue.Queue) -> None:
        ray = self.ray
        pending: dict[Any, tuple[Any, str]] = {}  # task ref -> (actor, record)
        free = [actor for _ in range(self.in_flight) for actor in self._actors]  # round robin
        while (todo or pending) and not self._stop.is_set():
            while todo and free:
                actor, record = free.pop(0), todo.pop()
                pending[actor.__call__.remote({"job": [record]})] = (actor, record)
            ready, _ = ray.wait(list(pending), num_returns=1, timeout=_WAIT_S)
            for ref in ready:
                actor, record = pending.pop(ref)
                reply = ray.get(ref)  # raises what outlasted the retries
                free.append(actor)
                merged.put(("row", {"job": record, "reply": reply["reply"][0]}))

    def stop(self) -> None:
        """Feed nothing more and end the actors (their running job is abandoned; nothing of it
        is recorded)."""
        self._stop.set()
        for actor in self._actors:
            try:
                self.ray.kill(actor, no_restart=True)
            except Exception:  # already gone, or Ray is
                pass
        self._actors = []
