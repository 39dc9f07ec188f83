"""The worker side of ``vitron-agent batch``: one job, one Agent per worker, the local process pool.

Each worker process (:func:`init_worker`, the pool's initializer) divides the machine's cores
among the workers *before* any inference library is imported (``OMP_NUM_THREADS`` and friends;
then torch, OpenCV and onnxruntime read them), dies with the batch that started it
(``PR_SET_PDEATHSIG`` on Linux, plus a parent watch everywhere), and builds one Agent that it
keeps for its life: models load once per worker. Jobs stream in a few at a time (never the whole
list pickled up front) and their results lines stream back to the driver, the only writer.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vitron_agent.batch.timeline import mark
from vitron_agent.runtime.report import printable

if TYPE_CHECKING:
    from vitron_agent.runtime.turns import TurnRequest

__all__ = ["Job", "init_worker", "limit_threads", "pool_lines", "run_job", "threads_per_worker"]

_THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS")
_PARENT_POLL_S = 0.5
_WORKER: dict[str, Any] = {}


@dataclass(frozen=True)
class Job:
    """One input of a batch. ``path``: the file as found (absolute) or an object-store URL;
    ``name``: its path relative to the input it was found under (shown to people; part of
    ``key``); ``sha``: its content's SHA-256 (an object's: of its ETag and size); ``key``: what
    ``results.jsonl`` knows it by (name + ``sha`` + workflow fingerprint); ``plan``: the workflow's
    plan (None: the worker's planner plans this input); ``item_dir``: where its files go."""

    path: str
    name: str
    sha: str
    key: str
    medium: str
    request: str
    item_dir: str
    plan: dict[str, Any] | None = None

    @property
    def session(self) -> str:
        """The input's own session (its name and content: identical files in two folders apart)."""
        return "batch-" + hashlib.sha256(self.key.encode()).hexdigest()[:12]

    def turn(self, path: str) -> TurnRequest:
        """This input's turn: its request on ``path`` (a local copy of the input, image or video)."""
        from vitron_agent.runtime.turns import TurnRequest

        return (
            TurnRequest(self.request, video=path) if self.medium == "video" else TurnRequest(self.request, image=path)
        )

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def line_head(self) -> dict[str, Any]:
        """The first fields of its results line (``name`` as people read it: see :func:`printable`)."""
        sha = None if "://" in self.path else self.sha  # an object's is set once its bytes are read
        return {"input": self.path, "name": printable(self.name), "sha256": sha, "key": self.key}


def threads_per_worker(workers: int) -> int:
    """The cores this process may use (its CPU affinity) divided among ``workers``, at least 1."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, cores // max(1, workers))


def limit_threads(n: int) -> Callable[[], None]:
    """Run the inference libraries with ``n`` threads: the OpenMP/BLAS variables are set for
    libraries not imported yet (onnxruntime sessions read ``OMP_NUM_THREADS`` in
    :func:`vitron_agent.perception.salient.onnx_session`), and torch and OpenCV are told directly.
    Returns a function that puts the previous settings back."""
    saved_env = {var: os.environ.get(var) for var in _THREAD_VARS}
    torch = sys.modules.get("torch")
    saved_torch = torch.get_num_threads() if torch is not None else None
    for var in _THREAD_VARS:
        os.environ[var] = str(n)
    if torch is not None:
        torch.set_num_threads(n)
    try:
        import cv2
    except ImportError:
        cv2 = None
    saved_cv2 = cv2.getNumThreads() if cv2 is not None else None
    if cv2 is not None:
        cv2.setNumThreads(n)

    def restore() -> None:
        for var, value in saved_env.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value
        if torch is not None and saved_torch is not None:
            torch.set_num_threads(saved_torch)
        if cv2 is not None and saved_cv2 is not None:
            cv2.setNumThreads(saved_cv2)

    return restore


def thread_counts() -> dict[str, int | None]:
    """The threads this process's inference libraries were given (what :func:`limit_threads`
    set: torch's and OpenCV's own counts, ``OMP_NUM_THREADS`` that onnxruntime sessions read) and
    the OS threads it has now (Linux; None elsewhere). For the batch's timeline."""
    torch, cv2 = sys.modules.get("torch"), sys.modules.get("cv2")
    omp = os.environ.get("OMP_NUM_THREADS", "")
    try:
        alive: int | None = len(os.listdir("/proc/self/task"))
    except OSError:
        alive = None
    return {
        "torch": torch.get_num_threads() if torch is not None else None,
        "cv2": cv2.getNumThreads() if cv2 is not None else None,
        "omp": int(omp) if omp.isdigit() else None,
        "os_threads": alive,
    }


def _die_with_parent(parent: int, pdeathsig: bool) -> None:
    """Exit when the batch that started this worker dies (kill -9 included): the kernel's parent
    death signal where the spawning thread is the parent's main thread (it fires when that thread
    exits), and a watch on the parent's pid everywhere."""
    if pdeathsig and sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_POLL_S)
        os._exit(1)

    threading.Thread(target=watch, name="vitron-batch-parent-watch", daemon=True).start()


def init_worker(
    config: str | None,
    planner: str | None,
    artifacts: str | None,
    threads: int,
    parent: int | None = None,
    pdeathsig: bool = False,
) -> None:
    """The pool's initializer: threads limited, tied to ``parent``'s life, one Agent built."""
    mark("started", "helper")
    if parent is not None:
        _die_with_parent(parent, pdeathsig)
    limit_threads(threads)
    _WORKER["agent"] = make_agent(config, None, planner, artifacts)
    _WORKER["who"] = "helper"
    mark("agent built", "helper", threads=thread_counts())
    from multiprocessing import util

    util.Finalize(None, _exit_quickly, exitpriority=-100)  # the last thing the helper's process does


def _exit_quickly() -> None:
    """A helper's end, once the pool has told it to stop and its last reply is sent: the store's
    pending writes flushed (every item's files are durable before its reply anyway), the standard
    streams flushed, then ``os._exit(0)``. The interpreter's teardown of torch, LangGraph and the
    model sessions does nothing the batch needs and cost the whole run ~0.4 CPU-s a helper at its
    end (two helpers: 1.2 s of wall at load 3, the batch waiting for them)."""
    writer = sys.modules.get("vitron_agent.storage.writer")
    if writer is not None:
        writer._flush_all()
    mark("exit", "helper")
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(0)


def make_agent(
    config_path: str | None,
    plan: dict[str, Any] | None,
    planner: str | None,
    artifacts: str | None = None,
    data_dir: str | None = None,
) -> Any:
    """An Agent for a batch: ``plan`` given, it runs that plan on every input (a ScriptedPlanner)."""
    from vitron_agent.planners.base import ScriptedPlanner
    from vitron_agent.runtime.agent import Agent
    from vitron_agent.toolkit.config import load_config

    return Agent(
        config=load_config(config_path),
        planner=ScriptedPlanner([plan]) if plan is not None else planner,
        artifacts=artifacts,
        data_dir=data_dir,
    )


def use_agent(agent: Any) -> None:
    """Make ``agent`` the one :func:`run_job` and :func:`plan_in_worker` use in this process."""
    _restore_planner()
    _WORKER.clear()
    _WORKER["agent"] = agent


def mark_as(who: str) -> None:
    """Name this process's part in the batch's timeline ("helper", "actor"; default "driver")."""
    _WORKER["who"] = who


def current_agent() -> Any | None:
    return _WORKER.get("agent")


def release_agent() -> Any:
    """Stop using this process's Agent (its planner's own ``plan`` given back); returns it."""
    _restore_planner()
    agent = _WORKER.pop("agent")
    _WORKER.clear()
    return agent


def plan_in_worker(request: str, medium: str) -> tuple[dict[str, Any], str, dict[str, str], list[str], str]:
    """Plan ``request`` once on this worker's Agent: (plan, planner name, tools, problems, answer)."""
    agent = _WORKER["agent"]
    mark("plan start", _WORKER.get("who", "driver"))
    plan = agent.plan(request, **({"video": "<video>"} if medium == "video" else {"image": "<image>"}))
    tools = {t.name: getattr(t, "backend", "") for t in agent.toolbox}
    problems = list(getattr(plan, "problems", []) or [])
    mark("plan done", _WORKER.get("who", "driver"))
    return plan.model_dump(mode="json"), getattr(agent.planner, "name", "custom"), tools, problems, plan.answer or ""


def use_plan(agent: Any, plan: dict[str, Any] | None) -> None:
    """Make ``agent`` run ``plan`` on every input (validated once per distinct plan), or plan each
    input with its own planner (``plan`` None).

    The agent's graph holds the planner object it was built with (replacing ``agent.planner``
    changes nothing there: every input was planned anew, and a workflow file's plan was ignored),
    so the plan is given to that object: its ``plan`` method is overridden on the instance (and
    ``react`` set off: a workflow is one plan) until :func:`release_agent` or the next call."""
    from vitron_agent.core.errors import InputError
    from vitron_agent.toolkit.plan import Plan

    planner = agent.planner
    if _WORKER.get("plan") == plan and _WORKER.get("planner") is planner:
        return
    _restore_planner()
    if plan is None:
        return
    fixed = Plan.model_validate(plan)
    saved = {name: planner.__dict__[name] for name in ("plan", "react") if name in getattr(planner, "__dict__", {})}
    try:
        planner.plan = lambda request, toolbox: fixed
        planner.react = False
    except (AttributeError, TypeError):
        raise InputError(
            f"the agent's planner ({type(planner).__name__}) cannot be given a workflow's plan; "
            "run the batch without agent= (it builds its own)"
        ) from None
    _WORKER.update(plan=plan, planner=planner, saved=saved)


def _restore_planner() -> None:
    """Give the planner :func:`use_plan` overrode its own ``plan`` and ``react`` back."""
    planner, saved = _WORKER.pop("planner", None), _WORKER.pop("saved", {})
    _WORKER.pop("plan", None)
    if planner is None:
        return
    for name in ("plan", "react"):
        if name in saved:
            setattr(planner, name, saved[name])
        else:
            planner.__dict__.pop(name, None)


def run_job(job: Job) -> dict[str, Any]:
    """Run one input on this process's Agent and export it; its results line (never raises)."""
    from vitron_agent.runtime.export import export_item

    agent = _WORKER["agent"]
    t0 = time.time()
    mark("job start", _WORKER.get("who", "driver"), name=job.name)
    line = job.line_head()
    try:
        use_plan(agent, job.plan)
        with readable_input(job) as (path, sha):
            if sha is not None:
                line["sha256"] = sha  # the bytes this worker read (the key used the listing's ETag)
            result = agent.run_turn(job.turn(path), job.session)
        line.update(export_item(result, agent.store, job.item_dir))
    except Exception as exc:  # one bad input never stops the batch: its line says why
        line.update(status="error", error=describe_error(exc))
    line["seconds"] = round(time.time() - t0, 3)
    line["folder"] = job.item_dir
    mark("job done", _WORKER.get("who", "driver"), name=job.name)
    return line


@contextmanager
def readable_input(job: Job) -> Iterator[tuple[str, str | None]]:
    """(a local path for the job's input, the SHA-256 of an object-store input's bytes or None)."""
    if "://" not in job.path:
        yield job.path, None
        return
    from vitron_agent.batch.remote import local_copy

    with local_copy(job.path) as copy:
        yield copy


def describe_error(exc: BaseException) -> str:
    from vitron_agent.core.errors import VitronError

    return str(exc) if isinstance(exc, VitronError) else f"{type(exc).__name__}: {exc}"


def pool_lines(
    jobs: Iterable[Job], pool: Any, in_flight: int, run_here: Callable[[Job], dict[str, Any]], warn: Any = None
) -> Iterator[dict[str, Any]]:
    """``jobs`` run on ``pool`` (a ProcessPoolExecutor), kept ``in_flight`` jobs ahead so no helper
    waits for this process (never the whole list pickled up front); yields each results line as
    its job finishes, in the order they finish. Should a helper die (killed, out of memory),
    ``warn`` is told and its jobs and all later ones run here (``run_here``): nothing is lost or
    recorded as failed for it."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    pending: dict[Any, Job] = {}
    source = iter(jobs)
    queued: list[Job] = []  # taken from ``source``, not yet submitted
    try:
        while True:
            while len(pending) < in_flight:
                if not queued:
                    queued = [job for job in [next(source, None)] if job is not None]
                if not queued:
                    break
                pending[pool.submit(run_job, queued[0])] = queued[0]  # raises when the pool is broken
                queued.clear()
            if not pending:
                break
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for fut in done:
                line = fut.result()
                del pending[fut]
                yield line
    except BrokenProcessPool as exc:
        finished = [f for f in pending if f.done() and not f.cancelled() and f.exception() is None]
        for fut in finished:  # lines that came back before the helper died
            del pending[fut]
            yield fut.result()
        if warn is not None:
            warn(
                f"a batch helper process died ({exc}); its {len(queued) + len(pending)} inputs "
                "and the rest run in this process"
            )
    for job in itertools.chain(queued, list(pending.values()), source):
        yield run_here(job)
