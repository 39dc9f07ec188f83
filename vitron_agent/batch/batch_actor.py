"""The Ray actor of ``batch --ray`` (:class:`BatchActor`): one process that holds the models and runs
a batch's inputs, one a call.

Each call carries its batch (:func:`batch_context`: ``--out``, the run's lock token, the artifact
folder, the timeline file, whether the driver has a head start, who the driver is), so one actor
can serve several batches in turn: a *warm* actor (detached and named, see
:mod:`vitron_agent.batch.ray_actors`) outlives the batch that started it and the cluster's next
batch with the same configuration reuses it, models loaded. An Agent is built per artifact folder
(~16 ms once the runtime is imported; the model sessions are the process's and are kept), the last
two kept.

A warm actor ends itself once it has been idle ``keep_s`` seconds (a watch thread closes its Agents
and asks Ray to kill it for good; a driver that takes the actor first keeps it: :meth:`BatchActor.touch`);
``vitron-agent batch --ray-release ADDRESS`` ends them at once. It runs nothing for a batch whose
driver is gone: a job whose driver process on the same node has died, or whose ``--out`` lock now
names another run, is answered ``{"skip": true}`` without running (at most the call running when
the driver died finishes; on another node the lock check is what stops it).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
import time
from typing import Any

from vitron_agent.batch import pool as batch_pool
from vitron_agent.batch import timeline, worker_preload
from vitron_agent.batch.head_start import Claims
from vitron_agent.batch.results_log import ResultsLog

__all__ = ["BatchActor", "batch_context"]

_AGENTS_KEPT = 2


def batch_context(
    out: str, token: str, data_dir: str | None, timeline_file: str | None, claims: bool, driver: dict[str, Any]
) -> dict[str, Any]:
    """What a call tells the actor about its batch (``driver``: ``{"node": Ray node id, "pid": ...}``)."""
    return {
        "out": out,
        "token": token,
        "data_dir": data_dir,
        "timeline_file": timeline_file,
        "claims": claims,
        "driver": driver,
    }


class BatchActor:
    """A callable class: ``BatchActor(config, planner, artifacts, batch=<context>, keep_s=None, threads=None)``.

    The constructor imports the runtime and builds the Agent for ``batch`` (so an actor pool's
    actors load concurrently, before any input reaches them); ``batch`` is also the context of
    calls that carry none (Ray Data's ``map_batches``). ``keep_s``: end this actor after that many
    idle seconds (None: never; it then ends with its owner, the batch's driver). ``threads``: the
    inference libraries' threads (None: the CPUs Ray gave the actor; a batch's private local
    instance gives each actor one CPU and passes its share of the machine's cores)."""

    def __init__(
        self,
        config: str | None,
        planner: str | None,
        artifacts: str | None,
        batch: dict[str, Any] | None = None,
        keep_s: float | None = None,
        threads: int | None = None,
    ):
        import ray

        self._set_timeline(batch)
        timeline.mark("actor started", "actor")
        if threads is None:
            threads = int(ray.get_runtime_context().get_assigned_resources().get("CPU", 1))
        batch_pool.limit_threads(max(1, threads))
        self._args = (config, planner, artifacts)
        self._default = batch
        self._agents: dict[str | None, Any] = {}  # data_dir -> Agent, the last used last
        self._node = ray.get_runtime_context().get_node_id()
        try:  # the runtime as the preload hook imports it (on a worker that ran the hook: nothing more)
            worker_preload.import_lean(config, planner)
        except Exception:  # the Agent's build below raises it plainly
            pass
        self._last, self._busy, self._ending = time.monotonic(), False, False
        self._life = threading.Lock()  # the idle check and a driver's touch
        self.keep_s = keep_s
        self._use_agent((batch or {}).get("data_dir"))
        batch_pool.mark_as("actor")
        timeline.mark("agent built", "actor", threads=batch_pool.thread_counts())
        if keep_s is not None:
            threading.Thread(target=self._watch, name="vitron-batch-idle-watch", daemon=True).start()

    # -- the batch's work -------------------------------------------------------------------------

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        """``{"job": [job record, ...], "batch": context}`` -> ``{"job": [...], "reply": [reply, ...]}``."""
        with self._life:
            self._busy, self._last = True, time.monotonic()
        try:
            ctx = batch.get("batch") or self._default or {}
            self._set_timeline(ctx)
            self._use_agent(ctx.get("data_dir"))
            claims = Claims(ctx["token"], shared=True) if ctx.get("claims") else None
            exports = ResultsLog(ctx["out"]).held_by(ctx["token"])
            replies = [json.dumps(self._run(text, ctx, claims, exports), default=str) for text in batch["job"]]
            return {"job": list(batch["job"]), "reply": replies}
        finally:
            self._last, self._busy = time.monotonic(), False

    def plan(self, request: str, medium: str, batch: dict[str, Any] | None = None) -> tuple:
        """Plan ``request`` once on this actor's Agent (a warm actor plans for a driver that then
        builds no Agent of its own): :func:`vitron_agent.batch.pool.plan_in_worker`'s tuple."""
        self._set_timeline(batch)
        agent = batch_pool.current_agent()
        batch_pool.use_agent(agent)  # the planner's own ``plan`` back (a workflow's plan may be set)
        batch_pool.mark_as("actor")
        self._last = time.monotonic()
        return batch_pool.plan_in_worker(request, medium)

    def _run(self, text: str, ctx: dict[str, Any], claims: Claims | None, exports: bool) -> dict[str, Any]:
        job = batch_pool.Job(**json.loads(text))
        if self._driver_gone(ctx):
            return {"skip": True, "why": "the batch's driver is gone"}
        if claims is not None and not claims.actor_runs(job.key):
            return {"skip": True}  # the driver ran it during its head start
        if exports:
            return {"line": batch_pool.run_job(job)}
        return _turn_only(job)

    def _driver_gone(self, ctx: dict[str, Any]) -> bool:
        """Whether the batch's driver process is known dead (it runs on this node and its pid is
        gone), or ``--out``'s lock (seen from here) names another run."""
        driver = ctx.get("driver") or {}
        if driver.get("node") == self._node and driver.get("pid"):
            try:
                os.kill(int(driver["pid"]), 0)
            except ProcessLookupError:
                return True
            except OSError:  # another user's process: alive
                pass
        lock = os.path.join(ctx.get("out", ""), ".batch.lock")
        return os.path.exists(lock) and not ResultsLog(ctx["out"]).held_by(ctx["token"])

    def _use_agent(self, data_dir: str | None) -> None:
        """This process's Agent for ``data_dir`` (built once; the models are the process's)."""
        agent = self._agents.pop(data_dir, None)
        if agent is None:
            config, planner, artifacts = self._args
            agent = batch_pool.make_agent(config, None, planner, artifacts, data_dir=data_dir)
        self._agents[data_dir] = agent
        while len(self._agents) > _AGENTS_KEPT:
            _close(self._agents.pop(next(iter(self._agents))))
        if batch_pool.current_agent() is not agent:
            batch_pool.use_agent(agent)
            batch_pool.mark_as("actor")

    @staticmethod
    def _set_timeline(ctx: dict[str, Any] | None) -> None:
        """This call's items are marked in its batch's timeline (if it keeps one)."""
        file = (ctx or {}).get("timeline_file")
        if file:
            os.environ[timeline.ENV] = file
        else:
            os.environ.pop(timeline.ENV, None)

    # -- a warm actor's life ----------------------------------------------------------------------

    def touch(self, keep_s: float | None = None) -> dict[str, Any]:
        """A driver takes this actor for its batch: the idle clock starts again (``keep_s``: the
        new idle limit). Returns what the actor is; raises once the actor is ending (idle)."""
        with self._life:
            if self._ending:
                raise RuntimeError("this warm actor is ending (idle); make a new one")
            self._last = time.monotonic()
            if keep_s is not None:
                self.keep_s = keep_s
        return {"pid": os.getpid(), "node": self._node, "keep_s": self.keep_s}

    def end_if_idle(self, idle_s: float = 1.0) -> bool:
        """End this actor now if no call has come for ``idle_s`` seconds and none runs (another
        batch needs its CPU: :meth:`ActorRows.make_room`). True when it is ending; the kill comes
        from a thread a moment after this reply (a caller may see the actor die instead)."""
        with self._life:
            if self._busy or self._ending or time.monotonic() - self._last < idle_s:
                return False
            self._ending = True
        threading.Thread(target=self._end, name="vitron-batch-end", daemon=True).start()
        return True

    def _watch(self) -> None:
        """End this actor once it has been idle ``keep_s`` seconds (a touch or a call first keeps
        it: the check and the touch take the same lock)."""
        while True:
            keep = self.keep_s
            time.sleep(max(0.2, min(5.0, (keep or 20.0) / 4)))
            with self._life:
                if self._ending:
                    return
                if keep is None or self._busy or time.monotonic() - self._last < keep:
                    continue
                self._ending = True
            self._end()
            return

    def _end(self) -> None:
        """Its Agents closed, then Ray asked to kill it for good (no restart; its name freed). The
        kill comes whatever the closing raised: an actor that said it was ending and lived on would
        hold its CPU (and a batch waiting for that CPU) until its idle limit."""
        time.sleep(0.05)  # end_if_idle's reply goes first
        try:
            self._close_agents()
        finally:
            import ray

            ray.kill(ray.get_runtime_context().current_actor, no_restart=True)

    def _close_agents(self) -> None:
        for agent in self._agents.values():
            _close(agent)
        self._agents.clear()
        writer = sys.modules.get("vitron_agent.storage.writer")
        if writer is not None:
            writer._flush_all()


def _close(agent: Any) -> None:
    """Close an Agent this actor built, and remove its temporary artifact folder if it made one."""
    try:
        agent.close()
    finally:
        if getattr(agent, "scratch", None) is not None:
            shutil.rmtree(agent.scratch, ignore_errors=True)


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
