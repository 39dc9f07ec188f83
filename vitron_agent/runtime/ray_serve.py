"""Where tools run: in the agent's process (default) or as Ray Serve deployments.

With ``[execution] backend = "ray"`` every model-backed tool (and any tool with
``[tools.<name>] execution = "ray"``) becomes a Ray Serve application of one
deployment, :class:`Specialist`, that builds **the same tool class** from the
same ``[tools.<name>]`` table and keeps its model resident in each replica. The
agent keeps a :class:`RemoteTool` in its Toolbox: same name, schema and argument
checks, whose ``run`` sends the step's arguments -- refs, never pixels -- through a
deployment handle and gets the Output back as refs.

Artifacts cross the boundary through the ArtifactStore on a **shared filesystem**:
the agent's ``data_dir`` must be the same path on every node (one machine, NFS, EFS,
Lustre ...). Replicas read inputs and write outputs there with the store's atomic
write-then-rename, so a ref handed back always points at a complete file. Ray's
object store is not used for artifacts: its objects are reference-counted and die
with their owner, while refs live on in checkpointed sessions (and the encode-once
embedding cache must survive restarts). Because the SAM embedding cache is in the
store, a cached embedding is found whichever replica gets the next call.

Failures: an argument error goes back to the planner as usual; a tool's
``ToolFailed`` stays a ``ToolFailed``; a replica that dies mid-call or a call that
exceeds ``[execution] timeout`` becomes ``ToolFailed`` for that step, with a clear
message. Tools are idempotent (content-addressed outputs), so a call whose replica
died is sent again up to ``retries`` times (Serve replaces dead replicas). A
genuine bug inside a tool propagates, as in-process.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from vitron_agent.core.errors import ConfigError, ToolArgumentError, ToolFailed
from vitron_agent.toolkit.config import DeploymentSettings, ExecutionSection
from vitron_agent.toolkit.tool import ToolContext, VisionTool, invoke

__all__ = [
    "ExecutionSection",
    "DeploymentSettings",
    "RemoteTool",
    "RayExecutor",
    "Specialist",
    "app_name",
    "check_address",
]

REPLICA_DIED = (
    "the {tool} specialist's Ray Serve replica died during the call ({detail}); Serve starts a new "
    "one -- run the step again"
)
CALL_TIMEOUT = "the {tool} specialist did not answer within {timeout:g} s ([execution] timeout); the call was cancelled"
NO_RAY = '[execution] backend = "ray" needs Ray Serve: pip install "vitron-agent[ray]" (ray[serve])'


def app_name(prefix: str, tool: str) -> str:
    return f"{prefix}-{tool}"


def fingerprint(tool: str, settings: dict[str, Any], deployment: DeploymentSettings) -> str:
    """A short hash of what a deployment was built from; its deployment name carries it, so an
    agent notices a running application built from another configuration."""
    import json

    built_from = {k: v for k, v in settings.items() if k not in ("timeout", "execution")}  # agent-side only
    blob = json.dumps([tool, built_from, deployment.model_dump()], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:10]


class Specialist:
    """The Ray Serve deployment body: one tool, built from its ``[tools.<name>]`` table exactly as
    in-process, called with ``{"args", "session", "step_id", "root"}`` (and ``store_url`` /
    ``endpoint_url`` when the artifacts live in object storage: no shared folder needed); answers
    ``{"ok": output}`` or ``{"error_kind": "argument" | "failed", "message"}``."""

    def __init__(self, tool: str, settings: dict[str, Any]):
        from vitron_agent.toolkit.config import ToolConfig
        from vitron_agent.toolkit.registry import build_tool

        self.tool = build_tool(tool, ToolConfig.model_validate(settings))
        self._stores: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _store(self, root: str, session: str, url: str | None = None, endpoint_url: str | None = None) -> Any:
        """The caller's store: its folder (one machine), or its object store with a local cache here."""
        import tempfile

        from vitron_agent.storage.store import ArtifactStore

        key = url or root
        with self._lock:
            if key not in self._stores:
                if url:
                    from vitron_agent.storage.object_store import ObjectStore

                    cache = (
                        Path(tempfile.gettempdir())
                        / "vitron-object-cache"
                        / hashlib.sha256(url.encode()).hexdigest()[:12]
                    )
                    self._stores[key] = ArtifactStore(cache, "default", remote=ObjectStore(url, endpoint_url))
                else:
                    self._stores[key] = ArtifactStore(root, "default")
            return self._stores[key].for_session(session)

    def __call__(self, request: dict[str, Any]) -> dict[str, Any]:
        store = self._store(request["root"], request["session"], request.get("store_url"), request.get("endpoint_url"))
        ctx = ToolContext(store=store, step_id=request["step_id"])
        try:
            out = invoke(self.tool, request["args"], ctx)
        except ToolArgumentError as exc:
            return {"error_kind": "argument", "message": str(exc)}
        except ToolFailed as exc:
            return {"error_kind": "failed", "message": str(exc)}
        return {"ok": out.model_dump(mode="json"), "pid": os.getpid()}


class RemoteTool(VisionTool):
    """A tool whose ``run`` happens in a Ray Serve deployment; schema and checks are the local tool's."""

    def __init__(self, local: VisionTool, executor: RayExecutor, settings: dict[str, Any]):
        self.local, self.executor, self.settings = local, executor, settings
        self.name, self.description = local.name, local.description
        self.Input, self.Output = local.Input, local.Output
        self.backend = f"{local.backend} (ray)"
        self.timeout = local.timeout

    def check_inputs(self, inp: BaseModel, ctx: ToolContext) -> None:
        self.local.check_inputs(inp, ctx)

    def run(self, inp: BaseModel, ctx: ToolContext) -> BaseModel:
        import ray.exceptions as rex
        from ray.serve.exceptions import BackPressureError

        request = {
            "args": inp.model_dump(mode="json", exclude_none=True),
            "session": ctx.session,
            "step_id": ctx.step_id,
            "root": str(ctx.store.root.resolve()),
        }
        remote = getattr(ctx.store, "remote", None)
        if remote is not None:  # an object store: the replica reads and writes the bucket, not this folder
            request["store_url"] = remote.url
            request["endpoint_url"] = remote.endpoint_url
        timeout = self.executor.section.timeout
        for attempt in range(self.executor.section.retries + 1):
            try:
                handle = self.executor.handle(self, ctx)
            except ConfigError as exc:
                raise ToolFailed(f"{self.name} runs on Ray, which is not reachable: {exc}") from None
            ctx.progress(0.05, f"sent to the Ray Serve deployment {self.executor.app(self.name)!r}")
            response = handle.remote(request)
            try:
                answer = _wait(response, timeout, ctx)
                break
            except (rex.ActorDiedError, rex.ActorUnavailableError, rex.RayActorError, rex.WorkerCrashedError) as exc:
                if attempt == self.executor.section.retries:
                    raise ToolFailed(REPLICA_DIED.format(tool=self.name, detail=_first_line(exc))) from None
            except TimeoutError:
                response.cancel()
                raise ToolFailed(CALL_TIMEOUT.format(tool=self.name, timeout=timeout)) from None
            except BackPressureError as exc:
                raise ToolFailed(
                    f"the {self.name} specialist is overloaded ({_first_line(exc)}); add replicas in "
                    f"[execution.deployments.{self.name}] or retry later"
                ) from None
            except rex.RayTaskError as exc:  # a bug inside the tool: propagate it as the original exception
                raise exc.as_instanceof_cause() from None
        if "error_kind" in answer:
            kind = ToolArgumentError if answer["error_kind"] == "argument" else ToolFailed
            raise kind(answer["message"])
        ctx.progress(0.95, f"answered by the replica with pid {answer.get('pid')}")
        return self.Output.model_validate(answer["ok"])


def _wait(response: Any, timeout: float, ctx: ToolContext) -> Any:
    """The response's result, polled so that a step cancelled by the agent (its own step timeout)
    cancels the remote call too; ``TimeoutError`` after ``timeout`` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        try:
            return response.result(timeout_s=min(left, 0.5))
        except TimeoutError:
            if ctx.cancelled.is_set():
                response.cancel()
                raise ToolFailed("the step was cancelled (step timeout); the remote call was cancelled too") from None


def check_address(address: str, timeout: float = 5.0) -> None:
    """ConfigError unless ``address`` is "local", "auto", or a ``host:port`` / ``ray://host:port``
    that accepts a TCP connection (checked here because Ray retries an unreachable one for minutes)."""
    import socket

    if address in ("local", "auto"):
        return
    hostport = address.removeprefix("ray://").rsplit("/", 1)[0]
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(
            f'[execution] address = {address!r}: expected "local", "auto", "host:port" or "ray://host:port"'
        )
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except OSError as exc:
        raise ConfigError(
            f"[execution] address = {address!r}: nothing answers there ({exc.strerror or exc}); "
            "start the cluster (`ray start --head`) or fix the address"
        ) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return line if len(line) < 240 else line[:237] + "..."


class RayExecutor:
    """Connects to Ray, deploys specialists (one Serve application each) and hands out handles."""

    def __init__(self, section: ExecutionSection):
        self.section = section
        self._handles: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._deploying = threading.Lock()  # parallel steps must not deploy one app twice

    def app(self, tool: str) -> str:
        return app_name(self.section.app_prefix, tool)

    def connect(self) -> None:
        try:
            import ray
            from ray import serve
        except ImportError:
            raise ConfigError(NO_RAY) from None
        if not ray.is_initialized():
            address = None if self.section.address == "local" else self.section.address
            check_address(address or "local")
            try:
                ray.init(
                    address=address,
                    num_cpus=self.section.local_cpus if address is None else None,
                    include_dashboard=False,
                    logging_level="ERROR",
                    log_to_driver=False,
                    namespace="vitron",
                    ignore_reinit_error=True,
                )
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise ConfigError(
                    f"[execution] address = {self.section.address!r}: cannot connect to Ray ({_first_line(exc)})"
                ) from None
        serve.start(proxy_location="Disabled")

    def deploy(self, tool: str, settings: dict[str, Any]) -> Any:
        """Run (or update) the Serve application of ``tool``; returns its handle."""
        from ray import serve

        d = self._deployment(tool)
        actor = {"num_cpus": d.num_cpus, "num_gpus": d.num_gpus}
        if d.memory_gb:
            actor["memory"] = int(d.memory_gb * 1024**3)
        if d.env:
            actor["runtime_env"] = {"env_vars": dict(d.env)}
        options: dict[str, Any] = {
            "name": f"{tool}-{fingerprint(tool, settings, d)}",
            "ray_actor_options": actor,
            "max_ongoing_requests": d.max_ongoing_requests,
        }
        if d.min_replicas is not None or d.max_replicas is not None:
            lo = d.min_replicas if d.min_replicas is not None else 1
            options["autoscaling_config"] = {
                "min_replicas": lo,
                "max_replicas": d.max_replicas or max(lo, d.replicas),
                "target_ongoing_requests": d.target_ongoing_requests,
            }
        else:
            options["num_replicas"] = d.replicas
        app = serve.deployment(Specialist).options(**options).bind(tool, settings)
        handle = serve.run(app, name=self.app(tool), route_prefix=None)
        with self._lock:
            self._handles[tool] = handle
        return handle

    def handle(self, remote: RemoteTool, ctx: ToolContext) -> Any:
        with self._lock:
            found = self._handles.get(remote.name)
        if found is not None:
            return found
        with self._deploying:
            return self._find_or_deploy(remote, ctx)

    def _find_or_deploy(self, remote: RemoteTool, ctx: ToolContext) -> Any:
        from ray import serve

        with self._lock:
            if remote.name in self._handles:
                return self._handles[remote.name]
        self.connect()
        app = self.app(remote.name)
        running = serve.status().applications.get(app)
        wanted = f"{remote.name}-{fingerprint(remote.name, remote.settings, self._deployment(remote.name))}"
        if running is not None and wanted in running.deployments:
            handle = serve.get_app_handle(app)
            with self._lock:
                self._handles[remote.name] = handle
            return handle
        if self.section.deploy == "never":
            state = "runs another configuration of the tool" if running is not None else "is not running"
            raise ToolFailed(
                f"the Serve application {app!r} {state}; deploy this configuration with `vitron-agent "
                'serve-models --config vitron.toml` or set [execution] deploy = "auto"'
            )
        ctx.progress(0.02, f"deploying {app!r} on Ray Serve")
        return self.deploy(remote.name, remote.settings)

    def _deployment(self, tool: str) -> DeploymentSettings:
        return self.section.deployments.get(tool, DeploymentSettings())

    def remote_tool(self, local: VisionTool, settings: dict[str, Any]) -> RemoteTool:
        return RemoteTool(local, self, settings)
