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
outlasts the retries ends the batch with that error.

Two lifetimes. *Owned* (a local instance, ``--ray-keep 0``, tests): the driver owns the actors,
they die with it, and :meth:`ActorRows.stop` ends them at once. *Warm* (a batch attached to a
cluster): detached actors named by :func:`warm_name` (the configuration, planner, artifact store
and package version, and the worker slot) in the namespace :data:`NAMESPACE`; the next batch on
that cluster with the same configuration takes them (``ray.get_actor``) with their models loaded,
and a changed configuration gets new ones. A warm actor ends itself after ``keep_s`` idle seconds
(:data:`KEEP_ENV`, ``--ray-keep``; default :data:`KEEP_S`), and :func:`release` (``vitron-agent
batch --ray-release ADDRESS``) ends them at once (:mod:`vitron_agent.batch.batch_actor`). A warm
actor holds one CPU of the cluster while it waits: a batch that finds too few free asks the idle
warm actors of other configurations to end first (:meth:`ActorRows.make_room`).

A bounded wait for room. An actor that the cluster cannot place (every CPU held: busy warm actors,
another user's work, ``--workers`` more than the cluster's CPUs) would wait for a CPU for ever, and
the batch with it. An actor not placed :data:`PLACE_S` seconds after it was asked for
(:data:`PLACE_ENV`; 0: no limit) ends the run with :class:`ClusterFull`, whose message names the
cluster's free CPUs and the fixes; the unplaced actors are cancelled, the lines already written
are kept (the same command goes on from them). Placed means given a worker process (its
constructor may still be loading): Ray's actor table (``ray._private.state``; where that private
API is missing, an actor that has not answered by then counts as unplaced).
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any

from vitron_agent.core.errors import InputError, VitronError

__all__ = ["ENV", "KEEP_ENV", "KEEP_S", "NAMESPACE", "PLACE_ENV", "PLACE_S", "RETRIES", "ActorRows", "ClusterFull"]
__all__ += ["Warm", "keep_seconds", "place_seconds", "release", "use_ray_data", "warm_name"]

ENV = "VITRON_RAY_EXECUTOR"
KEEP_ENV = "VITRON_RAY_KEEP_S"
KEEP_S = 600.0  # a warm actor's idle seconds before it ends itself
NAMESPACE = "vitron_batch"
RETRIES = 3
_WAIT_S = 1.0  # how often the feeding loop looks at its stop flag while every actor is busy
_TOUCH_S = 600.0  # how long a reused actor may take to answer (it may be finishing another batch's item)
PLACE_ENV = "VITRON_RAY_PLACE_S"
PLACE_S = 120.0  # how long an actor may wait for room on the cluster before the run ends


class ClusterFull(VitronError, RuntimeError):
    """Actors of the batch could not be placed on the cluster in time (every CPU taken)."""


def place_seconds(value: float | str | None = None) -> float:
    """How long a batch's actors may wait to be placed: ``value``, else ``$VITRON_RAY_PLACE_S``,
    else :data:`PLACE_S`; 0 means no limit."""
    raw = value if value is not None else os.environ.get(PLACE_ENV, "")
    if raw in ("", None):
        return PLACE_S
    try:
        place = float(raw)
    except ValueError:
        place = -1.0
    if place < 0:
        raise InputError(f"{PLACE_ENV} {raw!r}: say a number of seconds (0: wait for room without a limit)")
    return place


def use_ray_data() -> bool:
    """Whether ``VITRON_RAY_EXECUTOR`` asks for Ray Data ("data") instead of the actor pool."""
    value = os.environ.get(ENV, "actors").strip().lower()
    if value not in ("actors", "data", ""):
        from vitron_agent.core.errors import InputError

        raise InputError(f"{ENV}={value!r}: say 'actors' (the default) or 'data' (Ray Data)")
    return value == "data"


def keep_seconds(value: float | str | None = None) -> float:
    """A warm actor's idle limit: ``value`` (``--ray-keep``), else ``$VITRON_RAY_KEEP_S``, else
    :data:`KEEP_S`; 0 means no warm actors (they end with the batch)."""
    raw = value if value is not None else os.environ.get(KEEP_ENV, "")
    if raw in ("", None):
        return KEEP_S
    try:
        keep = float(raw)
    except ValueError:
        keep = -1.0
    if keep < 0:
        from vitron_agent.core.errors import InputError

        raise InputError(f"{KEEP_ENV} / --ray-keep {raw!r}: say a number of seconds (0: actors end with the batch)")
    return keep


def warm_name(config: str | None, planner: str | None, artifacts: str | None) -> str:
    """The name prefix of the warm actors for this configuration: ``vitron-batch-<16 hex>`` of
    the package version, the configuration as loaded here (a changed file: new actors), the
    planner and the artifact store."""
    from vitron_agent import __version__
    from vitron_agent.toolkit.config import load_config

    what = [__version__, config and os.path.abspath(config), load_config(config).model_dump_json(), planner, artifacts]
    return "vitron-batch-" + hashlib.sha256(json.dumps(what).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Warm:
    """Warm actors: ``name``-<slot> in :data:`NAMESPACE`, ending after ``keep_s`` idle seconds."""

    name: str
    keep_s: float


def release(ray: Any) -> list[str]:
    """End every warm batch actor of the cluster ``ray`` is connected to; their names."""
    ended = []
    for entry in ray.util.list_named_actors(all_namespaces=True):
        if entry.get("namespace") != NAMESPACE or not entry.get("name", "").startswith("vitron-batch-"):
            continue
        try:
            ray.kill(ray.get_actor(entry["name"], namespace=NAMESPACE), no_restart=True)
            ended.append(entry["name"])
        except ValueError:  # it ended meanwhile
            pass
    return sorted(ended)


class ActorRows:
    """``workers`` actors of ``actor_cls`` (built with ``kwargs``) running job records.

    :meth:`run` feeds the jobs and puts ``("row", {"job": record, "reply": reply})`` on ``merged``
    for each one as it finishes (the rows Ray Data's ``map_batches`` gave), then ``None``; an
    error goes on ``merged`` as ``("error", exc)``. ``in_flight`` jobs are queued on each actor;
    ``call``: more keys every call carries (the batch's context). ``warm``: take or make warm
    actors (see the module) instead of owned ones. :meth:`start` makes the actors early (it may
    be called on another thread before :meth:`run`). ``place_s``: how long an actor may wait to be
    placed (:func:`place_seconds`); ``where``: the cluster's address, for the message if not."""

    def __init__(
        self,
        ray: Any,
        actor_cls: type,
        kwargs: dict[str, Any],
        workers: int,
        in_flight: int = 2,
        warm: Warm | None = None,
        call: dict[str, Any] | None = None,
        place_s: float | None = None,
        where: str | None = None,
    ):
        self.ray, self.workers, self.in_flight, self.warm = ray, max(1, workers), max(1, in_flight), warm
        self.place_s, self.where = place_seconds(place_s), where
        remote = ray.remote(num_cpus=1, max_restarts=RETRIES, max_task_retries=RETRIES, scheduling_strategy="SPREAD")
        self._cls = remote(actor_cls)
        self._kwargs = kwargs
        self.call = call or {}  # more keys every call carries (set before run)
        self._actors: list[Any] = []
        self._pending: dict[Any, tuple[Any, str]] = {}
        self._stop = threading.Event()
        self._start_lock = threading.Lock()
        self._error: BaseException | None = None
        self.reused = self.started = 0
        self._asked_at = 0.0  # when the actors were asked for (the placement deadline counts from it)
        self._placed: set[int] = set()  # actors known placed (reused, answered, or so in Ray's table)

    def start(self) -> None:
        """Make (or, warm, take) the actors; idempotent. An error is kept for :meth:`run`."""
        with self._start_lock:
            if self._actors or self._error is not None:
                return
            try:
                if self.warm is None:
                    self.make_room(self.workers)
                    self._actors = [self._cls.remote(**self._kwargs) for _ in range(self.workers)]
                    self.started = self.workers
                else:
                    self._actors = self._warm_actors(self.warm)
                self._asked_at = time.monotonic()
            except BaseException as exc:
                self._error = exc

    def make_room(self, need: int, wait_s: float = 10.0) -> list[str]:
        """Idle warm actors of *other* configurations hold the cluster's CPUs (one each) until they
        end: when fewer than ``need`` CPUs are free, ask them to end now (those idle a second or
        more; a busy one stays) and wait, up to ``wait_s``, for their CPUs. Their names."""
        ray = self.ray
        if need <= 0 or ray.available_resources().get("CPU", 0) >= need:
            return []
        mine = f"{self.warm.name}-" if self.warm is not None else None
        others = [
            entry["name"]
            for entry in ray.util.list_named_actors(all_namespaces=True)
            if entry.get("namespace") == NAMESPACE
            and entry.get("name", "").startswith("vitron-batch-")
            and not (mine and entry["name"].startswith(mine))
        ]
        asked = {}
        for name in others:
            try:
                asked[name] = ray.get_actor(name, namespace=NAMESPACE).end_if_idle.remote()
            except ValueError:  # ended meanwhile
                pass
        from ray.exceptions import GetTimeoutError

        ended = []
        for name, ref in asked.items():
            try:
                if ray.get(ref, timeout=wait_s):
                    ended.append(name)
            except GetTimeoutError:  # busy with a long item of another batch: it stays
                pass
            except Exception:  # it died answering: it was ending
                ended.append(name)
        deadline = time.monotonic() + wait_s
        while ended and ray.available_resources().get("CPU", 0) < need and time.monotonic() < deadline:
            time.sleep(0.2)
        return ended

    def _warm_actors(self, warm: Warm) -> list[Any]:
        """One warm actor a slot: the running one (its idle clock started again), else a new one.
        An actor that ends (idle) just as it is taken is made anew."""
        ray = self.ray
        from ray.exceptions import RayActorError, RayTaskError

        named = {entry["name"] for entry in ray.util.list_named_actors(all_namespaces=True)}
        names = [f"{warm.name}-{slot}" for slot in range(self.workers)]
        handles: dict[str, Any] = {}
        touched: dict[str, Any] = {}
        for name in names:
            if name in named:
                try:
                    handles[name] = ray.get_actor(name, namespace=NAMESPACE)
                    touched[name] = handles[name].touch.remote(warm.keep_s)
                except ValueError:  # ended since the listing
                    pass
        for name, ref in touched.items():
            try:
                ray.get(ref, timeout=_TOUCH_S)
                self.reused += 1
            except (RayActorError, RayTaskError):  # it is ending (idle), or cannot be built: make it anew
                del handles[name]
                self._wait_gone(name)
        self.make_room(len(names) - len(handles))
        self._placed = {slot for slot, name in enumerate(names) if name in handles}  # running already
        for name in names:
            if name not in handles:
                handles[name] = self._new_warm(name, warm)
                self.started += 1
        return [handles[name] for name in names]

    def _wait_gone(self, name: str, timeout: float = 30.0) -> None:
        """Until no actor holds ``name`` (one ending frees it within a second or two)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.ray.get_actor(name, namespace=NAMESPACE)
            except ValueError:
                return
            time.sleep(0.2)

    def _new_warm(self, name: str, warm: Warm) -> Any:
        options = {"name": name, "namespace": NAMESPACE, "lifetime": "detached", "get_if_exists": True}
        for attempt in range(3):
            try:
                return self._cls.options(**options).remote(**self._kwargs, keep_s=warm.keep_s)
            except ValueError:  # the name is still held by an actor that is ending
                time.sleep(0.5 * (attempt + 1))
        return self._cls.options(**options).remote(**self._kwargs, keep_s=warm.keep_s)

    def plan(self, request: str, medium: str, batch: dict[str, Any] | None = None) -> tuple:
        """``request`` planned on the first actor (see :meth:`BatchActor.plan`; ``batch``: its context)."""
        self.start()
        if self._error is not None:
            raise self._error
        timeout = self.place_s or None  # an actor never placed: the caller plans elsewhere
        return tuple(self.ray.get(self._actors[0].plan.remote(request, medium, batch), timeout=timeout))

    def run(self, records: list[str], merged: queue.Queue) -> None:
        """Every record through the actors (call it on a thread of its own)."""
        try:
            self.start()
            if self._error is not None:
                raise self._error
            self._feed(list(reversed(records)), merged)
        except BaseException as exc:
            merged.put(("error", exc))
        finally:
            merged.put(None)

    def _feed(self, todo: list[str], merged: queue.Queue) -> None:
        ray = self.ray
        pending = self._pending  # task ref -> (actor, record)
        free = [actor for _ in range(self.in_flight) for actor in self._actors]  # round robin
        slot = {id(actor): i for i, actor in enumerate(self._actors)}
        while (todo or pending) and not self._stop.is_set():
            while todo and free:
                actor, record = free.pop(0), todo.pop()
                pending[actor.__call__.remote({"job": [record], **self.call})] = (actor, record)
            ready, _ = ray.wait(list(pending), num_returns=1, timeout=_WAIT_S)
            for ref in ready:
                actor, record = pending.pop(ref)
                reply = ray.get(ref)  # raises what outlasted the retries
                self._placed.add(slot[id(actor)])
                free.append(actor)
                merged.put(("row", {"job": record, "reply": reply["reply"][0]}))
            self._check_placed()

    def _check_placed(self) -> None:
        """Raise :class:`ClusterFull` (the unplaced actors cancelled) once :attr:`place_s` has
        passed since the actors were asked for and one of them has still no place."""
        if not self.place_s or len(self._placed) == len(self._actors):
            return
        if time.monotonic() - self._asked_at < self.place_s:
            return
        unplaced = [i for i in range(len(self._actors)) if i not in self._placed and not self._in_table(i)]
        if not unplaced:
            return
        for i in unplaced:
            try:
                self.ray.kill(self._actors[i], no_restart=True)  # its creation is cancelled: nothing waits
            except Exception:
                pass
        raise ClusterFull(self._full_message(len(unplaced)))

    def _in_table(self, i: int) -> bool:
        """Whether Ray's actor table shows actor ``i`` placed (given a worker, or alive); placed
        ones are remembered. False where the table cannot be read (Ray's private API moved)."""
        try:
            from ray._private.state import state

            entry = state.actor_table(self._actors[i]._actor_id.hex()) or {}
        except Exception:
            return False
        placed = entry.get("State") in ("ALIVE", "RESTARTING") or bool((entry.get("Address") or {}).get("Port"))
        if placed:
            self._placed.add(i)
        return placed

    def _full_message(self, unplaced: int) -> str:
        """What :class:`ClusterFull` says: the cluster, its free CPUs, who holds them, the fixes."""
        ray = self.ray
        where = f"the Ray cluster at {self.where}" if self.where else "this batch's Ray instance"
        try:
            free, total = ray.available_resources().get("CPU", 0), ray.cluster_resources().get("CPU", 0)
            cpus = f"{free:g} of its {total:g} CPUs free"
        except Exception:
            cpus = "its free CPUs unknown"
        mine = f"{self.warm.name}-" if self.warm is not None else None
        try:
            warm = [
                entry["name"]
                for entry in ray.util.list_named_actors(all_namespaces=True)
                if entry.get("namespace") == NAMESPACE
                and entry.get("name", "").startswith("vitron-batch-")
                and not (mine and entry["name"].startswith(mine))
            ]
        except Exception:
            warm = []
        held = f"; warm batch actors of other configurations hold {len(warm)}" if warm else ""
        release = f"vitron-agent batch --ray-release {self.where or 'ADDRESS'}"
        return (
            f"{where} is full: {unplaced} of the batch's {len(self._actors)} actors (one CPU each) found no room "
            f"in {self.place_s:g} s ({cpus}{held}). The lines written so far are kept: the same command goes on "
            f"from them. Fix: fewer --workers, end the warm actors ({release}), or a bigger cluster; "
            f"{PLACE_ENV} sets this wait (0: no limit)"
        )

    def stop(self) -> None:
        """Feed nothing more. Owned actors end now (their running job is abandoned; nothing of it
        is recorded); warm ones stay, their queued jobs cancelled (a running one finishes unrecorded)."""
        self._stop.set()
        if self.warm is not None:
            for ref in list(self._pending):
                try:
                    self.ray.cancel(ref)
                except Exception:  # done already, or Ray is gone
                    pass
            self._actors = []
            return
        for actor in self._actors:
            try:
                self.ray.kill(actor, no_restart=True)
            except Exception:  # already gone, or Ray is
                pass
        self._actors = []

    def status(self) -> str:
        """How the actors came: 'Ray actors: 2 reused (warm)', '... 2 started (kept warm 600 s idle)'."""
        if not (self.reused or self.started):
            return ""
        parts = [f"{n} {what}" for n, what in ((self.reused, "reused (warm)"), (self.started, "started")) if n]
        kept = f"; kept warm {self.warm.keep_s:g} s idle" if self.warm is not None else ""
        return f"Ray actors: {', '.join(parts)}{kept}"
