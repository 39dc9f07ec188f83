"""A lean local Ray instance for ``batch --ray`` with no address (a new instance on this machine,
private to the batch, ended with it).

``ray.init()`` starts, besides the GCS and the raylet (and the raylet's dashboard and runtime-env
agents, which it cannot run without: here stand-ins, see below), three Python processes that a one-machine batch never
uses: the dashboard head (``include_dashboard=False`` still starts it, with its usage-stats module,
and ``ray.init`` waits until it has published its address), the autoscaler monitor (a local
instance has nothing to scale) and the log monitor (it forwards the workers' output to the driver,
which ``log_to_driver=False`` turns off). Measured (``benchmarks/batch.py --only``, every
process's CPU seconds): they cost about 1.5 CPU-s of a ~20 CPU-s batch on 2 idle cores, 3 at load,
and the dashboard head's start is on ``ray.init``'s critical path.

:func:`start` starts the instance the way ``ray.init(address="local")`` does (the same token
authentication, usage stats off, the same node and parent-death handling) without those three,
through Ray's own node class (``ray._private.node.Node`` with ``no_monitor`` and
``include_log_monitor=False``, the options ``ray start`` and Ray's test clusters use, and no API
server); the driver then connects with ``ray.init(address=...)``. That class is Ray's private
API: if anything of it is missing or fails, :func:`start` returns None and the caller starts Ray
with plain ``ray.init(address="local")``. ``VITRON_RAY_LEAN=0`` asks for plain ``ray.init`` (every
process Ray starts). ``ray status``, the dashboard and ``ray logs`` need what is left out; a batch's
private instance serves none of them, and a cluster (``--ray ADDRESS``) is untouched.

Two more savings, both measured on a cold batch (``benchmarks/batch.py --only``): the raylet's
dashboard agent runs *minimal* (``--minimal``, what Ray does when its dashboard's dependencies are
not installed: no gRPC metrics server, no HTTP server, no reporter polling every process's stats;
about 0.5 CPU-s less a batch), and the workers the raylet prestarts import the runtime while
``ray.init`` finishes (:mod:`vitron_agent.batch.worker_preload`: ``preload``; off with
``VITRON_RAY_PRELOAD=0``).

And the raylet's two agents are stand-ins (:mod:`vitron_agent.batch.agent_stand_in`: a
standard-library program that writes the ports the raylet waits for and answers a request for a
runtime environment with a clear failure) instead of Ray's (each a Python process importing Ray,
gRPC and aiohttp, ~1 CPU-s together on the raylet's start, before its workers start). Ray has no
option to leave them out (the raylet requires both commands and ends when an agent does), so the
raylet's command line is rewritten as it is started; where it does not hold the two commands as
expected, Ray's own agents start. ``VITRON_RAY_STAND_INS=0`` keeps Ray's agents.
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from typing import Any

__all__ = ["ENV", "STAND_INS_ENV", "LocalRay", "enabled", "stand_ins_enabled", "start"]

ENV = "VITRON_RAY_LEAN"
STAND_INS_ENV = "VITRON_RAY_STAND_INS"

_log = logging.getLogger(__name__)


def stand_ins_enabled() -> bool:
    """Whether a lean instance's raylet gets stand-in agents (``VITRON_RAY_STAND_INS``, on unless 0/false/no/off)."""
    return os.environ.get(STAND_INS_ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def enabled() -> bool:
    """Whether a local instance starts lean (``VITRON_RAY_LEAN``, on unless 0/false/no/off)."""
    return os.environ.get(ENV, "1").strip().lower() not in ("0", "false", "no", "off")


class LocalRay:
    """A running lean instance: ``address`` for ``ray.init``, :meth:`stop` ends its processes."""

    def __init__(self, node: Any, slots: str | None = None):
        self.node = node
        self.address: str = node.address
        self.slots = slots  # the preload's slot folder (removed by stop)

    def stop(self) -> None:
        """End every process the instance started (call it after ``ray.shutdown()``)."""
        node, self.node = self.node, None
        if self.slots:
            shutil.rmtree(self.slots, ignore_errors=True)
            self.slots = None
        if node is None:
            return
        try:
            node.destroy_external_storage()  # as ray.shutdown does for an instance it started
        finally:
            node.kill_all_processes(check_alive=False, allow_graceful=True, wait=False)


def start(num_cpus: int, preload: tuple[int, str | None, str | None] | None = None) -> LocalRay | None:
    """A new lean local instance with ``num_cpus`` CPUs, or None when it cannot be started that
    way (the caller then uses ``ray.init(address="local")``). ``preload``: (actors, config path,
    planner) whose runtime that many of its workers import before their actor comes
    (:mod:`vitron_agent.batch.worker_preload`). Call it on the thread that lives as long as the
    instance: on Linux the GCS and the raylet die with the thread that started them."""
    if not enabled():
        return None
    logging.getLogger("ray").setLevel(logging.ERROR)  # as ray.init(logging_level="ERROR") does first
    from vitron_agent.batch import worker_preload

    slots = None
    env: dict[str, str] = {}
    if preload is not None and preload[0] > 0 and worker_preload.enabled():
        slots = tempfile.mkdtemp(prefix="vitron-ray-preload-")
        env = worker_preload.environment(slots, *preload)
    try:
        node_cls, params = _node_parts(num_cpus, env)
    except Exception as exc:  # another Ray version: its private API moved
        _log.info("lean local Ray unavailable (%s); plain ray.init", exc)
        if slots:
            shutil.rmtree(slots, ignore_errors=True)
        return None
    node = None
    try:
        node = node_cls(params, head=True, shutdown_at_exit=False, spawn_reaper=True, ray_init_cluster=True)
        return LocalRay(node, slots)
    except Exception as exc:
        _log.info("lean local Ray failed to start (%s); plain ray.init", exc)
        if node is not None:
            LocalRay(node, slots).stop()
        elif slots:
            shutil.rmtree(slots, ignore_errors=True)
        return None


def _node_parts(num_cpus: int, env: dict[str, str]) -> tuple[type, Any]:
    """Ray's node class without an API server, and the node's parameters: what
    ``ray.init(address="local", include_dashboard=False)`` gives, less the autoscaler monitor and
    the log monitor, with a minimal dashboard agent; ``env``: more environment for the raylet and
    the workers it starts. Token authentication and usage stats are set up as ``ray.init`` does."""
    from ray._common.usage import usage_lib
    from ray._private import services
    from ray._private import utils as ray_utils
    from ray._private.authentication.authentication_token_setup import (
        enable_token_auth_by_default,
        ensure_token_if_auth_enabled,
    )
    from ray._private.node import Node
    from ray._private.parameter import RayParams

    for owner, name in (
        (Node, "start_api_server"),
        (Node, "start_raylet"),
        (ray_utils, "get_dashboard_dependency_error"),
        (services, "start_ray_process"),
    ):
        if not callable(getattr(owner, name, None)):
            raise AttributeError(f"{owner.__name__}.{name}")

    class _LeanNode(Node):
        def start_api_server(self, *args: Any, **kwargs: Any) -> None:
            """No dashboard head: nothing of a batch's private instance uses it."""

        def start_raylet(self, *args: Any, **kwargs: Any) -> None:
            """The raylet, its dashboard agent told ``--minimal`` (Ray adds it when the dashboard's
            dependencies are missing: the check is answered so for this call only), and with
            stand-in agents (:func:`with_stand_ins`) unless ``VITRON_RAY_STAND_INS=0``."""
            check, start_process = ray_utils.get_dashboard_dependency_error, services.start_ray_process
            ray_utils.get_dashboard_dependency_error = _minimal_agent
            if stand_ins_enabled():

                def start_with_stand_ins(command: list[str], *more: Any, **options: Any) -> Any:
                    try:
                        command = with_stand_ins(command)
                    except Exception as exc:  # another Ray's command line: its own agents
                        _log.info("Ray's own agents (no stand-ins: %s)", exc)
                    return start_process(command, *more, **options)

                services.start_ray_process = start_with_stand_ins
            try:
                super().start_raylet(*args, **kwargs)
            finally:
                ray_utils.get_dashboard_dependency_error, services.start_ray_process = check, start_process

    params = RayParams(
        num_cpus=num_cpus, include_dashboard=False, no_monitor=True, include_log_monitor=False, env_vars=env or None
    )
    enable_token_auth_by_default()
    ensure_token_if_auth_enabled({}, create_token_if_missing=True)
    if not usage_lib.is_nightly_wheel():
        usage_lib.set_usage_stats_enabled_via_env_var(False)
    return _LeanNode, params


def with_stand_ins(command: list[str]) -> list[str]:
    """The raylet's ``command`` with its dashboard and runtime-env agent commands replaced by
    :mod:`vitron_agent.batch.agent_stand_in` (given the port files Ray's agents write, named as
    Ray names them). Raises when the command does not hold both as this Ray version writes them."""
    from ray._raylet import (
        DASHBOARD_AGENT_LISTEN_PORT_NAME,
        METRICS_AGENT_PORT_NAME,
        METRICS_EXPORT_PORT_NAME,
        RUNTIME_ENV_AGENT_PORT_NAME,
        get_port_filename,
    )

    from vitron_agent.batch import agent_stand_in

    keys = {"--dashboard_agent_command=": None, "--runtime_env_agent_command=": None}
    for i, arg in enumerate(command):
        for key in keys:
            if arg.startswith(key):
                keys[key] = i
    if None in keys.values():
        raise LookupError("the raylet's command names no agent commands")
    dash_at, env_at = keys.values()
    dash = _options(command[dash_at].split("=", 1)[1])
    env = _options(command[env_at].split("=", 1)[1])
    node, session = dash["--node-id"], dash["--session-dir"]

    def port_file(name: str) -> str:
        return os.path.join(session, get_port_filename(node, name))

    program = [sys.executable, "-I", "-S", os.path.abspath(agent_stand_in.__file__)]
    unused = (METRICS_AGENT_PORT_NAME, METRICS_EXPORT_PORT_NAME, DASHBOARD_AGENT_LISTEN_PORT_NAME)
    dashboard = [*program, "dashboard", *(f"--unused={port_file(name)}" for name in unused)]
    runtime_env = [*program, "runtime-env", f"--host={env['--node-ip-address']}"]
    runtime_env += [
        f"--port={int(env['--runtime-env-agent-port'])}",
        f"--port-file={port_file(RUNTIME_ENV_AGENT_PORT_NAME)}",
    ]
    out = list(command)
    out[dash_at] = "--dashboard_agent_command=" + subprocess.list2cmdline(dashboard)
    out[env_at] = "--runtime_env_agent_command=" + subprocess.list2cmdline(runtime_env)
    return out


def _options(command_line: str) -> dict[str, str]:
    """``--name=value`` options of an agent's command line."""
    return dict(arg.split("=", 1) for arg in shlex.split(command_line) if arg.startswith("--") and "=" in arg)


def _minimal_agent() -> str:
    return "a batch's private instance runs the minimal dashboard agent"
