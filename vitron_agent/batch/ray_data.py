"""``vitron-agent batch --ray [ADDRESS]``: the same batch on Ray Data.

The inputs become a Ray dataset of small job records (paths, not pixels: each actor reads its
input where it is). ``map_batches`` runs them through a fixed pool of ``--workers`` actors
(:class:`_BatchActor`, a callable class), each holding one Agent for its life (models load once
per actor, with the threads Ray gave it). An actor that sees the batch's ``--out`` (one machine,
or a filesystem every node mounts: it checks the run's token in ``--out/.batch.lock``) exports the
item's files itself and sends back only its results line, so every file is written once, where
it is made. An actor that cannot see ``--out`` sends back the turn's result (the ``--json``
contract: refs, not pixels) and the driver exports the item from the shared artifact store. The
driver is the only writer of ``results.jsonl``: resuming, ``--force``, the lock, the gallery and
the exit code are exactly those of a local batch, and the artifact hashes are the same.

The store must be one the actors and the driver both reach: an object-store URL (``--artifacts
s3://bucket/prefix`` or ``[store] url``: any cluster), or, without one, a folder under ``--out``.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vitron_agent.batch import pool as batch_pool
from vitron_agent.batch.results_log import ResultsLog

__all__ = ["RayRunner"]


class _BatchActor:
    """A Ray Data actor: one Agent for the actor's life, one input per call."""

    def __init__(
        self,
        config: str | None,
        planner: str | None,
        artifacts: str | None,
        data_dir: str | None,
        out: str,
        token: str,
    ):
        import ray

        cpus = ray.get_runtime_context().get_assigned_resources().get("CPU", 1)
        batch_pool.limit_threads(max(1, int(cpus)))
        batch_pool.use_agent(batch_pool.make_agent(config, None, planner, artifacts, data_dir=data_dir))
        self.exports = ResultsLog(out).held_by(token)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        replies = []
        for text in batch["job"]:
            job = batch_pool.Job(**json.loads(text))
            if self.exports:
                replies.append(json.dumps({"line": batch_pool.run_job(job)}, default=str))
            else:
                replies.append(json.dumps(_turn_only(job)))
        return {"job": list(batch["job"]), "reply": replies}


def _turn_only(job: batch_pool.Job) -> dict[str, Any]:
    """The turn's result for the driver to export (an actor that cannot see ``--out``)."""
    agent = batch_pool.current_agent()
    t0 = time.time()
    try:
        batch_pool.use_plan(agent, job.plan)
        with batch_pool.readable_input(job) as (path, _):
            result = agent.run_turn(job.turn(path), job.session)
        return {"result": result.model_dump(mode="json"), "seconds": time.time() - t0}
    except Exception as exc:  # one bad input never stops the batch: its line says why
        return {"error": batch_pool.describe_error(exc), "seconds": time.time() - t0}


class RayRunner:
    """Plans (a request) on an Agent in the driver while Ray starts, runs the jobs on Ray Data
    actors."""

    def __init__(
        self,
        address: str | None,
        workers: int,
        config: str | None,
        planner: str | None,
        artifacts: str | None,
        out: Path,
        token: str,
    ):
        self.address, self.workers, self.out, self.token = address, max(1, workers), out, token
        self._args = (config, planner, artifacts)
        self.data_dir = None if artifacts else str((out / ".artifacts").resolve())  # a folder both sides read
        self._driver: Any = None
        self._started = False

    def _driver_agent(self) -> Any:
        if self._driver is None:
            config, planner, artifacts = self._args
            self._driver = batch_pool.make_agent(config, None, planner, artifacts, data_dir=self.data_dir)
        return self._driver

    def plan(self, request: str, medium: str) -> tuple:
        """The request planned on an Agent in the driver, built on a thread while this thread
        starts Ray (or joins the cluster): the two start-ups overlap."""
        import threading

        got: dict[str, Any] = {}

        def plan_here() -> None:
            try:
                batch_pool.use_agent(self._driver_agent())
                try:
                    got["plan"] = batch_pool.plan_in_worker(request, medium)
                finally:
                    batch_pool.release_agent()
            except BaseException as exc:  # raised in the caller's thread below
                got["error"] = exc

        planner = threading.Thread(target=plan_here, name="vitron-batch-plan", daemon=True)
        planner.start()
        try:
            self._init()
        finally:
            planner.join()
        if "error" in got:
            raise got["error"]
        return got["plan"]

    def _init(self) -> Any:
        try:
            import ray
            import ray.data
        except ImportError as exc:
            from vitron_agent.core.errors import InputError

            raise InputError(f"--ray needs Ray Data ({exc}); pip install 'vitron-agent[ray]'") from None
        if not ray.is_initialized():
            from vitron_agent.runtime.ray_serve import check_address

            target = None if self.address in (None, "", "local") else self.address
            check_address(target or "local")
            local = {"num_cpus": max(os.cpu_count() or 1, self.workers)} if target is None else {}
            if target is None:  # the actors are the batch's work: Ray would run them at niceness 15
                os.environ.setdefault("RAY_worker_niceness", "0")
            ray.init(
                address=target,
                include_dashboard=False,
                logging_level="ERROR",
                log_to_driver=False,
                ignore_reinit_error=True,
                **local,
            )
            self._started = True
        ray.data.DataContext.get_current().enable_progress_bars = False
        return ray

    def lines(self, jobs: list[batch_pool.Job]) -> Iterator[dict[str, Any]]:
        """Each job's results line, in the order they finish on the actors."""
        ray = self._init()
        config, planner, artifacts = self._args
        ds = ray.data.from_items([{"job": json.dumps(job.to_json())} for job in jobs], override_num_blocks=len(jobs))
        ds = ds.map_batches(
            _BatchActor,
            batch_size=1,
            concurrency=self.workers,
            num_cpus=1,
            fn_constructor_kwargs={
                "config": config,
                "planner": planner,
                "artifacts": artifacts,
                "data_dir": self.data_dir,
                "out": str(self.out.resolve()),
                "token": self.token,
            },
        )
        for row in ds.iter_rows():
            reply = json.loads(row["reply"])
            if "line" in reply:
                yield reply["line"]
            else:
                yield self._export(batch_pool.Job(**json.loads(row["job"])), reply)

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
                line.update(export_item(result, self._driver_agent().store, job.item_dir))
            except Exception as exc:  # e.g. the driver cannot read the actors' store
                line.update(status="error", error=batch_pool.describe_error(exc))
        line["seconds"] = round(reply["seconds"], 3)
        line["folder"] = job.item_dir
        return line

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None
        if self._started:
            import ray

            ray.shutdown()
            self._started = False
