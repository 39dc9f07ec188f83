"""StepRunner: runs one plan step in-process with a timeout and progress events.

It turns the tool's Output into a record of JSON-able values (refs as dicts), so
the state update that follows holds handles only. The tool's artifacts are encoded and
written by the store's background writer while the tool goes on; ``settle`` waits until
they are durable, and only a settled record is returned to LangGraph, so a checkpoint
never points at an artifact that is not on disk (or in the object store).
"""

from __future__ import annotations

import contextvars
import functools
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures import wait as wait_futures
from typing import Any, Literal

from pydantic import BaseModel, Field

from vitron_agent.core.daemon import WORKERS, submit_daemon
from vitron_agent.core.errors import ToolArgumentError, ToolFailed
from vitron_agent.toolkit.tool import Toolbox, ToolContext, invoke, output_kind

__all__ = ["StepRecord", "StepRunner", "Dispatcher", "run_with_timeout", "submit_daemon"]

TIMED_OUT = "timed out after {seconds:g} s (raise [tools.{tool}] timeout in vitron.toml if it needs longer)"
OUT_OF_MEMORY = "ran out of memory ({error}); try a smaller image, a smaller model or another device"


def run_with_timeout(fn, timeout: float | None, cancelled: threading.Event) -> Any:
    """Call ``fn()`` on a daemon worker; raise ``TimeoutError`` after ``timeout`` seconds.

    A hung tool cannot be killed from Python, but the agent stops waiting for it,
    sets ``cancelled`` (long loops check it) and goes on.
    """
    if timeout is None or timeout <= 0:
        return fn()
    context = contextvars.copy_context()  # LangGraph's stream writer lives in context vars
    future = WORKERS.submit(lambda: context.run(fn))
    try:
        return future.result(timeout)
    except FutureTimeout:
        cancelled.set()
        raise TimeoutError from None


def _stream_writer():
    """LangGraph's custom stream writer of the running graph (a no-op outside a graph run)."""
    from langgraph.config import get_stream_writer

    try:
        return get_stream_writer()
    except RuntimeError:  # called outside a graph run
        return lambda event: None


def _is_oom(exc: BaseException) -> bool:
    return (
        isinstance(exc, MemoryError) or type(exc).__name__ == "OutOfMemoryError" or "out of memory" in str(exc).lower()
    )


@functools.lru_cache(maxsize=512)
def _output_kinds(output_cls: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(field, kind) of an Output class, read from its annotations once (not at every step)."""
    return tuple((name, output_kind(info.annotation)) for name, info in output_cls.model_fields.items())


class StepRecord(BaseModel):
    """What the state keeps of one step (as a dict: ``model_dump()``): its call, outcome and
    outputs (refs as dicts, small values), never pixels. The runner builds these dicts directly
    (:func:`new_record`); a test checks they keep this model's shape."""

    id: str
    tool: str
    args: dict[str, Any] = Field(default_factory=dict)
    after: list[str] = Field(default_factory=list)
    status: Literal["ok", "error", "skipped"] = "ok"
    error: str | None = None
    error_kind: Literal["argument", "failed", "timeout", "oom", "skipped", "held"] | None = None
    seconds: float = 0.0
    outputs: dict[str, dict[str, Any]] = Field(default_factory=dict)
    sig: str | None = Field(default=None, description="the step's signature, to keep a record across a replan")

    def fail(self, kind: str, error: str, status: str = "error") -> None:
        self.status, self.error, self.error_kind = status, error, kind


def new_record(step: dict[str, Any]) -> dict[str, Any]:
    """A fresh step record as a plain dict: what ``StepRecord(...).model_dump()`` gives (the same
    keys in the same order; ``args`` and ``after`` copied), built without pydantic (building and
    dumping the model cost ~15 µs a step, the values are the runner's own)."""
    return {
        "id": step["id"],
        "tool": step["tool"],
        "args": dict(step.get("args") or {}),
        "after": list(step.get("after") or []),
        "status": "ok",
        "error": None,
        "error_kind": None,
        "seconds": 0.0,
        "outputs": {},
        "sig": None,
    }


def _fail(record: dict[str, Any], kind: str, error: str, status: str = "error") -> None:
    record.update(status=status, error=error, error_kind=kind)


class StepRunner:
    """Runs steps of ``toolbox`` against ``store`` (the root ArtifactStore).

    Args:
        timeouts: tool name -> seconds; ``default_timeout`` for the rest (None: no limit).
        settings: tool name -> its vitron.toml table, handed to the tool as ``ctx.settings``.
        defer_writes: the tool's artifacts are encoded and written by the store's background
            writer while the tool goes on; :meth:`settle` waits until they are durable, and a
            step's record is handed on (to be checkpointed) only after that.
    """

    def __init__(
        self,
        toolbox: Toolbox,
        store,
        default_timeout: float | None = 300.0,
        timeouts: dict[str, float] | None = None,
        settings: dict[str, dict[str, Any]] | None = None,
        defer_writes: bool = True,
    ):
        self.toolbox = toolbox
        self.store = store
        self.default_timeout = default_timeout
        self.timeouts = dict(timeouts or {})
        self.settings = dict(settings or {})
        self.defer_writes = defer_writes

    def timeout_for(self, tool) -> float | None:
        if tool.name in self.timeouts:
            return self.timeouts[tool.name]
        return tool.timeout if tool.timeout is not None else self.default_timeout

    def run(self, session: str, step: dict[str, Any], args: dict[str, Any], settle: bool = True) -> dict[str, Any]:
        """Run one step; its record (a dict). With ``settle=False`` the record may carry the
        step's writes in flight (``"_writes"``): pass it to :meth:`settle` before using it."""
        sid, name = step["id"], step["tool"]
        record = new_record(step)
        if step.get("held"):  # the destructive-edit policy (graphs/policy.py): not run at all
            _fail(record, "held", step["held"], status="skipped")
            return self.settle(record) if settle else record
        writer = _stream_writer()
        writer({"type": "step_started", "step": sid, "tool": name})
        tool = self.toolbox.get(name)

        def progress(fraction: float, message: str = "") -> None:
            writer(
                {
                    "type": "progress",
                    "step": sid,
                    "tool": name,
                    "fraction": max(0.0, min(1.0, float(fraction))),
                    "message": message,
                }
            )

        view = self.store.for_session(session)
        if self.defer_writes:
            view = view.deferring()
        ctx = ToolContext(store=view, step_id=sid, settings=self.settings.get(name, {}), progress=progress)
        timeout = self.timeout_for(tool)
        start = time.perf_counter()
        try:
            out = run_with_timeout(lambda: invoke(tool, args, ctx), timeout, ctx.cancelled)
            record["outputs"] = self.serialise_outputs(tool, out, ctx.store)
        except ToolArgumentError as exc:
            _fail(record, "argument", str(exc))
        except ToolFailed as exc:
            _fail(record, "failed", str(exc))
        except TimeoutError:
            _fail(record, "timeout", TIMED_OUT.format(seconds=timeout, tool=name))
        except Exception as exc:
            if not _is_oom(exc):
                raise
            _fail(record, "oom", OUT_OF_MEMORY.format(error=exc))
        record["seconds"] = round(time.perf_counter() - start, 4)
        if view._deferred and record["status"] == "ok":  # (a failed step's writes finish on their own)
            record["_writes"] = view
        return self.settle(record) if settle else record

    def settle(self, record: dict[str, Any]) -> dict[str, Any]:
        """Wait until the step's artifacts are durable, then announce it (``step_finished``); a
        write that failed turns the record into a failed step (its outputs would point at nothing)."""
        view = record.pop("_writes", None)
        if view is not None:
            try:
                view.settle()
            except ToolFailed as exc:
                record.update(status="error", error=str(exc), error_kind="failed", outputs={})
        _stream_writer()(
            {
                "type": "step_finished",
                "step": record["id"],
                "tool": record["tool"],
                "status": record["status"],
                "error": record["error"],
                "seconds": record["seconds"],
                "outputs": record["outputs"],
            }
        )
        return record

    @staticmethod
    def serialise_outputs(tool, out: BaseModel, store) -> dict[str, dict[str, Any]]:
        outputs = {}
        for fname, kind in _output_kinds(type(out)):
            value = getattr(out, fname)
            if value is None:
                continue
            if isinstance(value, BaseModel):
                value = value.model_dump(mode="json")
            elif isinstance(value, (list, tuple)) and any(isinstance(v, BaseModel) for v in value):
                # read_text's lines, find_times' ranges: plain data in the checkpoint, as one model is (a
                # model class there is "unregistered" to LangGraph's msgpack: warned now, blocked in strict mode)
                value = [v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in value]
            outputs[fname] = {"kind": kind, "value": value}
        return outputs

    @staticmethod
    def skipped_record(step: dict[str, Any], failed_deps: list[str]) -> dict[str, Any]:
        record = new_record(step)
        _fail(record, "skipped", f"skipped because {', '.join(failed_deps)} did not complete", status="skipped")
        return record


class Dispatcher:
    """Dataflow execution: a step starts as soon as its own dependencies are done.

    Running steps live here, keyed by ``(session, turn, step id, step signature)``, between
    the graph's supersteps: the ``execute`` node starts every ready step, returns as soon as
    one (or several) finish -- so LangGraph checkpoints each finished step while the others
    keep running -- and the next ``execute`` starts their dependants. A process killed with
    -9 loses only the running steps; a resumed run starts them again.

    Args:
        runner: runs one step (see :class:`StepRunner`).
        max_parallel: most steps of one turn running at once.
    """

    def __init__(self, runner: StepRunner, max_parallel: int = 8):
        if max_parallel < 1:
            raise ValueError(f"max_parallel must be >= 1, got {max_parallel}")
        self.runner, self.max_parallel = runner, max_parallel
        self._running: dict[tuple[Any, ...], Future] = {}
        self._lock = threading.Lock()

    def start(self, key: tuple[Any, ...], session: str, step: dict[str, Any], args: dict[str, Any]) -> bool:
        """Start ``step`` unless it is already running or the turn is at ``max_parallel``."""
        with self._lock:
            if key in self._running:
                return True
            if sum(1 for k in self._running if k[:2] == key[:2]) >= self.max_parallel:
                return False
            context = contextvars.copy_context()  # LangGraph's stream writer lives in context vars
            self._running[key] = WORKERS.submit(lambda: context.run(self.runner.run, session, step, args, settle=False))
            return True

    def discard(self, keys: list[tuple[Any, ...]]) -> None:
        """Forget running steps whose result is no longer wanted (a dependency failed after they
        started): their records are never collected, so they must not count against ``max_parallel``."""
        if not self._running:
            return
        with self._lock:
            for k in keys:
                self._running.pop(k, None)

    def running(self, keys: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        with self._lock:
            return [k for k in keys if k in self._running]

    def wait_any(self, keys: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], dict[str, Any]]:
        """Block until at least one of ``keys`` finishes; the records of every finished one.
        A bug in a tool (an exception of no handled kind) propagates from here."""
        with self._lock:
            futures = {k: self._running[k] for k in keys if k in self._running}
        if not futures:
            return {}
        wait_futures(list(futures.values()), return_when=FIRST_COMPLETED)
        done = {k: f for k, f in futures.items() if f.done()}
        with self._lock:
            for k in done:
                self._running.pop(k, None)
        return {k: f.result() for k, f in done.items()}
