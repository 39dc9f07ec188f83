"""``vitron-agent batch --ray [ADDRESS]``: the same batch on Ray actors.

The inputs become small job records (paths, not pixels: each actor reads its input where it is)
run by a fixed pool of ``--workers`` actors (:class:`_BatchActor`, a callable class), each holding
one Agent for its life (models load once per actor, with the threads Ray gave it): plain Ray
actors fed by the driver (:mod:`vitron_agent.batch.ray_actors`, the default) or Ray Data's
``map_batches`` with an ``ActorPoolStrategy`` (``VITRON_RAY_EXECUTOR=data``; on one machine its
machinery costs more CPU than the actors: see that module). An actor that sees the batch's ``--out`` (one machine,
or a filesystem every node mounts: it checks the run's token in ``--out/.batch.lock``) exports the
item's files itself and sends back only its results line, so every file is written once, where
it is made. An actor that cannot see ``--out`` sends back the turn's result (the ``--json``
contract: refs, not pixels) and the driver exports the item from the shared artifact store. The
driver is the only writer of ``results.jsonl``: resuming, ``--force``, the lock, the gallery and
the exit code are exactly those of a local batch, and the artifact hashes are the same.

While Ray and the actors start, the driver (it has an Agent already: it planned the request) runs
inputs from the end of the list until the first actor answers, each input claimed once, in Ray's
key-value store, by the driver or an actor (:mod:`vitron_agent.batch.head_start`;
``VITRON_RAY_HEAD_START=0`` turns it off). On a new local instance the workers Ray prestarts
import the runtime while ``ray.init`` ends (:mod:`vitron_agent.batch.worker_preload`), so the
actors are ready about when Ray is: then an actor plans and the driver builds no Agent and runs no
input (``VITRON_RAY_HEAD_START=1`` gives it its head start anyway).

The store must be one the actors and the driver both reach: an object-store URL (``--artifacts
s3://bucket/prefix`` or ``[store] url``: any cluster), or, without one, a folder under ``--out``.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vitron_agent.batch import head_start, local_ray, ray_actors, timeline
from vitron_agent.batch import pool as batch_pool
from vitron_agent.batch.batch_actor import BatchActor, batch_context
from vitron_agent.batch.head_start import Claims, HeadStart

__all__ = ["RayRunner"]

_NO_LOCK = contextlib.nullcontext()


_BatchActor = BatchActor  # the name earlier code and benchmarks used


class RayRunner:
    """Starts Ray (or joins the cluster) on a background thread at once, so ``ray.init`` overlaps
    the driver's listing, hashing and planning (a request is planned on an Agent in the driver);
    runs the jobs on Ray Data actors.

    ``address``: None or "local" start a new local instance (never a cluster that happens to run
    on this machine), lean: without the dashboard head and the monitors (:mod:`vitron_agent.batch.local_ray`;
    ``ray.init(address="local")`` where that cannot start); "auto" joins the cluster ``ray start``
    made here; "host:port" or "ray://host:10001" join that cluster."""

    def __init__(
        self,
        address: str | None,
        workers: int,
        config: str | None,
        planner: str | None,
        artifacts: str | None,
        out: Path,
        token: str,
        keep_s: float | None = None,
    ):
        self.address, self.workers, self.out, self.token = address, max(1, workers), out, token
        self.keep_s = ray_actors.keep_seconds(keep_s)
        self._args = (config, planner, artifacts)
        self.data_dir = None if artifacts else str((out / ".artifacts").resolve())  # a folder both sides read
        self._driver: Any = None
        self._agent_lock = threading.Lock()
        self._head: HeadStart | None = None
        self._pool: ray_actors.ActorRows | None = None
        self._started = False
        self._ray: Any = None
        self._local: local_ray.LocalRay | None = None  # a lean local instance this batch started
        self._ray_error: BaseException | None = None
        self._ready, self._stop = threading.Event(), threading.Event()
        self._starter = threading.Thread(target=self._start_ray, name="vitron-batch-ray", daemon=True)
        self._starter.start()

    def _driver_agent(self) -> Any:
        """The driver's Agent (it plans the request, runs the head start, exports for actors that
        cannot see ``--out``); built once, by whichever thread asks first."""
        with self._agent_lock:
            if self._driver is None:
                config, planner, artifacts = self._args
                self._driver = batch_pool.make_agent(config, None, planner, artifacts, data_dir=self.data_dir)
            return self._driver

    def plan(self, request: str, medium: str) -> tuple:
        """The request planned on an Agent in the driver while Ray starts on its own thread; on a
        cluster whose warm actors this batch takes, or on a new local instance whose workers
        preload the runtime (with the head start on auto), on one of the actors (the driver then
        builds no Agent: its imports and build were ~1.5 CPU-s of a warm batch's driver)."""
        if (self._may_be_warm() or self._may_plan_on_actor()) and not ray_actors.use_ray_data():
            self._ready.wait()  # joining a running cluster: about a second, mostly Ray's import
            if self._ray_error is None and (self._warm_ready() or self._actors_plan()):
                try:
                    return self._pool.plan(request, medium, self._actor_kwargs(False)["batch"])
                except Exception:  # planned again here, where its error (if any) is raised plainly
                    pass
        batch_pool.use_agent(self._driver_agent())
        try:
            return batch_pool.plan_in_worker(request, medium)
        finally:
            batch_pool.release_agent()

    def _start_ray(self) -> None:
        """The starter thread: ``ray.init`` (an error is kept for :meth:`_init` to raise), then it
        waits for :meth:`close` and shuts the instance it started down. It lives as long as Ray:
        Ray's local processes (raylet, GCS) die with the thread that started them (Linux's parent
        death signal is per thread), and the driver with them."""
        try:
            self._ray = self._connect()
            if not ray_actors.use_ray_data():  # the actors now: they load while the driver lists and plans
                where = None if self._local_instance() else self.address  # named in a full cluster's message
                self._pool = ray_actors.ActorRows(
                    self._ray, BatchActor, self._actor_kwargs(False), self.workers, warm=self._warm(), where=where
                )
        except BaseException as exc:  # raised in the caller's thread by _init
            self._ray_error = exc
        timeline.mark("ray ready", "driver", lean=self._local is not None)  # which start (local_ray)
        self._ready.set()
        if self._pool is not None:
            self._pool.start()  # an error is raised where the rows run
            timeline.mark("actors taken", "driver", status=self._pool.status())
        self._stop.wait()
        if self._started:
            if self._ray is not None:
                self._ray.shutdown()
            if self._local is not None:  # the lean instance's processes (ray.shutdown ends only its own)
                self._local.stop()
            self._started = False

    def _may_be_warm(self) -> bool:
        return self.address not in (None, "", "local") and bool(self.keep_s)

    def _may_plan_on_actor(self) -> bool:
        """Whether this batch may start a lean local instance whose workers preload the runtime,
        and then plan on an actor with no head start (see :meth:`_actors_plan`)."""
        from vitron_agent.batch import worker_preload

        local = self.address in (None, "", "local")
        return local and local_ray.enabled() and worker_preload.enabled() and not head_start.enabled(self.address, True)

    def _preloaded(self) -> bool:
        """Whether Ray is up on a lean local instance whose workers preload the actors' runtime."""
        return self._ready.is_set() and self._local is not None and self._local.slots is not None

    def _actors_plan(self) -> bool:
        """Whether an actor plans the request and every input runs on the actors (no head start:
        :func:`vitron_agent.batch.head_start.enabled`)."""
        return self._pool is not None and self._preloaded() and not head_start.enabled(self.address, True)

    def _warm(self) -> ray_actors.Warm | None:
        """Warm actors (see :mod:`vitron_agent.batch.ray_actors`) on a cluster this batch joins
        (a local instance ends with the batch, and ``--ray-keep 0`` asks for none)."""
        if not self._may_be_warm():
            return None
        return ray_actors.Warm(ray_actors.warm_name(*self._args), self.keep_s)

    def _warm_ready(self) -> bool:
        """Whether every actor was taken warm already (no head start then: the actors answer at once)."""
        pool = self._pool
        if pool is None or not self._ready.is_set():
            return False
        pool.start()  # taking warm actors is a round trip: wait for it rather than start a head start
        return pool.reused == self.workers

    def status(self) -> str:
        """How the batch's actors came (for the progress line): reused warm, or started."""
        return self._pool.status() if self._pool is not None else ""

    def _connect(self) -> Any:
        data = ray_actors.use_ray_data()
        try:
            import ray

            if data:
                import ray.data
        except ImportError as exc:
            from vitron_agent.core.errors import InputError

            raise InputError(f"--ray needs Ray ({exc}); pip install 'vitron-agent[ray]'") from None
        if not ray.is_initialized():
            from vitron_agent.runtime.ray_serve import check_address

            local = self.address in (None, "", "local")
            check_address("local" if local else self.address)
            kwargs: dict[str, Any] = {}
            address = self.address
            if local:  # a new instance here (None would join a cluster `ray start` left on this machine)
                os.environ.setdefault("RAY_worker_niceness", "0")  # the actors are the batch's work, not 15
                cpus = self._local_cpus(data)
                config, planner, _ = self._args  # the actors' runtime imported while ray.init ends
                preload = None if data else (self.workers, config, planner)
                self._local = local_ray.start(cpus, preload)  # without Ray's processes a batch never uses
                address = self._local.address if self._local is not None else "local"
                if self._local is None:
                    kwargs = {"num_cpus": cpus, "include_dashboard": False}
            else:
                kwargs["include_dashboard"] = False
            self._started = True
            ray.init(address=address, logging_level="ERROR", log_to_driver=False, ignore_reinit_error=True, **kwargs)
        if data:
            # Ray Data's usage telemetry needs one more actor (a Python process, ~1 CPU-s to start)
            # the first time a cluster runs a dataset; a batch sends none unless the user asks for it
            os.environ.setdefault("RAY_DATA_USAGE_DISABLED", "1")
            ray.data.DataContext.get_current().enable_progress_bars = False
        return ray

    def _local_cpus(self, data: bool) -> int:
        """The CPUs of a new local instance. The actors' executor: one per actor, as its actors are
        all the instance runs (Ray prestarts a worker per CPU and ``--workers`` of them preload the
        runtime: with a CPU per core, on a machine with more cores than workers, the actors could
        land on cold workers, and every worker more cost its start). Ray Data: every core (its
        read and split tasks need CPUs beside the actors')."""
        return max(os.cpu_count() or 1, self.workers) if data else self.workers

    def _init(self) -> Any:
        """Ray, once the starter thread has it (raises what it raised)."""
        self._ready.wait()
        if self._ray_error is not None:
            raise self._ray_error
        return self._ray

    def lines(self, jobs: list[batch_pool.Job]) -> Iterator[dict[str, Any]]:
        """Each job's results line, in the order they finish: on the actors and, while Ray and
        the actors start, on the driver (:mod:`vitron_agent.batch.head_start`). Each job has one
        line; a job neither side ran (it cannot happen unless Ray dropped one) runs here at the end."""
        merged: queue.Queue = queue.Queue()
        head = head_start.enabled(self.address, self._preloaded()) and not self._warm_ready()
        claims = Claims(self.token) if jobs and head else None
        if claims is None:
            self._init()
            self._start_rows(jobs, False, merged)
        else:
            threads = batch_pool.threads_per_worker(self.workers)
            self._head = HeadStart(jobs, claims, self._driver_agent, threads, merged)
            threading.Thread(target=lambda: (self._ready.wait(), merged.put(("ready", None))), daemon=True).start()
        seen: set[str] = set()
        try:
            yield from self._merge(merged, jobs, claims, seen)
            for job in [job for job in jobs if job.key not in seen]:
                batch_pool.use_agent(self._driver_agent())
                try:
                    yield batch_pool.run_job(job)
                finally:
                    batch_pool.release_agent()
        finally:
            if claims is not None:
                claims.clear()

    def _start_rows(self, jobs: list[batch_pool.Job], claims: bool, merged: queue.Queue) -> None:
        threading.Thread(target=self._ray_rows, args=(jobs, claims, merged), daemon=True).start()

    def _merge(
        self, merged: queue.Queue, jobs: list[batch_pool.Job], claims: Claims | None, seen: set[str]
    ) -> Iterator[dict[str, Any]]:
        """Lines from the driver's head start and the actors' rows as they come, each job's once.
        With a head start, the dataset is made once Ray is up ("ready") of the jobs the driver
        has not claimed by then (none left: no dataset, no actors)."""
        pending = 2 if claims is not None else 1  # sources not done: the head start, "ready", the rows
        while pending and len(seen) < len(jobs):
            item = merged.get()
            if item is None:  # the head start or the rows are done
                pending -= 1
                continue
            kind, value = item
            if kind == "error":
                raise value
            if kind == "ready":
                pending -= 1
                self._init()  # raises what ray.init raised
                taken = claims.publish()
                todo = [job for job in jobs if job.key not in taken]
                if todo:
                    self._start_rows(todo, True, merged)
                    pending += 1
                continue
            if kind == "row":
                if self._head is not None:
                    self._head.stop()  # an actor is up: the driver takes no more jobs
                reply = json.loads(value["reply"])
                if reply.get("skip"):
                    continue
                job = batch_pool.Job(**json.loads(value["job"]))
                line = reply["line"] if "line" in reply else self._export(job, reply)
            else:
                line = value
            if line["key"] not in seen:
                seen.add(line["key"])
                yield line

    def _ray_rows(self, jobs: list[batch_pool.Job], claims: bool, merged: queue.Queue) -> None:
        """The jobs on the actors (this runs on a thread of its own): each row on ``merged``, then
        None (an exception is put there to be raised in the batch's thread). A fixed pool of plain
        actors (:mod:`vitron_agent.batch.ray_actors`), or Ray Data's with ``VITRON_RAY_EXECUTOR=data``."""
        if self._pool is not None:  # made when Ray came up
            self._pool.call = {"batch": self._actor_kwargs(claims)["batch"]}
            self._pool.run([json.dumps(job.to_json()) for job in jobs], merged)
            return
        try:
            for row in self._dataset(jobs, claims).iter_rows():
                merged.put(("row", row))
        except BaseException as exc:
            merged.put(("error", exc))
        finally:
            merged.put(None)

    def _actor_kwargs(self, claims: bool) -> dict[str, Any]:
        """What each actor is built with (:class:`BatchActor`'s arguments; ``batch``: the context
        every call carries too)."""
        config, planner, artifacts = self._args
        client = (self.address or "").startswith("ray://")  # the driver is not on a cluster node
        driver = {"node": None if client else self._ray.get_runtime_context().get_node_id(), "pid": os.getpid()}
        ctx = batch_context(str(self.out.resolve()), self.token, self.data_dir, timeline.path(), claims, driver)
        kwargs = {"config": config, "planner": planner, "artifacts": artifacts, "batch": ctx}
        if self._local_instance():  # this machine's cores, shared as the local pool shares them
            kwargs["threads"] = batch_pool.threads_per_worker(self.workers)
        return kwargs

    def _local_instance(self) -> bool:
        """Whether the actors run on a new instance on this machine (private to the batch)."""
        return self.address in (None, "", "local")

    def _dataset(self, jobs: list[batch_pool.Job], claims: bool) -> Any:
        ray = self._ray
        # One job a block, one a batch: each result comes back, is logged and shown as its item
        # finishes, and a slow item holds no other up. Blocks of 4 were measured (64 photos, 2
        # actors): the driver's CPU for Ray Data went from 1.37 to 1.29 s, not worth results
        # arriving 4 at a time. The items are paths, read by the actor that runs them.
        ds = ray.data.from_items([{"job": json.dumps(job.to_json())} for job in jobs], override_num_blocks=len(jobs))
        return ds.map_batches(
            _BatchActor,
            batch_size=1,
            compute=ray.data.ActorPoolStrategy(size=self.workers),
            num_cpus=1,
            fn_constructor_kwargs=self._actor_kwargs(claims),
        )

    def _export(self, job: batch_pool.Job, reply: dict[str, Any]) -> dict[str, Any]:
        """The results line of a turn an actor ran but could not export (it cannot see ``--out``)."""
        from vitron_agent.runtime.agent import RunResult
        from vitron_agent.runtime.export import export_item

        line = job.line_head()
        if "error" in reply:
            line.update(status="error", error=reply["error"])
        else:
            try:
                result = RunResult.model_validate(reply["result"])
                with self._head.lock if self._head is not None else _NO_LOCK:  # the head start's job may be running
                    line.update(export_item(result, self._driver_agent().store, job.item_dir))
            except Exception as exc:  # e.g. the driver cannot read the actors' store
                line.update(status="error", error=batch_pool.describe_error(exc))
        line["seconds"] = round(reply["seconds"], 3)
        line["folder"] = job.item_dir
        return line

    def close(self) -> None:
        if self._head is not None:  # its job finishes before the driver's Agent closes
            self._head.stop()
            self._head.join()
        if self._pool is not None:  # the actors end now (they would die with the driver anyway)
            self._pool.stop()
        if self._driver is not None:
            self._driver.close()
            self._driver = None
        self._stop.set()  # the starter thread shuts down the Ray it started (once it has), then ends
        self._starter.join()


def release_actors(address: str) -> list[str]:
    """``vitron-agent batch --ray-release ADDRESS``: end the warm batch actors of the cluster at
    ``address`` ("auto", "host:port", "ray://host:10001"); the names of those ended."""
    from vitron_agent.core.errors import InputError

    if address in (None, "", "local"):
        raise InputError("--ray-release needs the cluster's address ('auto', HOST:PORT or ray://HOST:10001)")
    try:
        import ray
    except ImportError as exc:
        raise InputError(f"--ray-release needs Ray ({exc}); pip install 'vitron-agent[ray]'") from None
    from vitron_agent.runtime.ray_serve import check_address

    check_address(address)
    ray.init(address=address, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    try:
        return ray_actors.release(ray)
    finally:
        ray.shutdown()
