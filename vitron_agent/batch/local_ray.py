"""A lean local Ray instance for ``batch --ray`` with no address (a new instance on this machine,
private to the batch, ended with it).

``ray.init()`` starts, besides the GCS and the raylet (and the raylet's dashboard and runtime-env
agents, which it cannot run without), three Python processes that a one-machine batch never
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
"""

from __future__ import annotations

import logging
import os
from typing import Any

__all__ = ["ENV", "LocalRay", "enabled", "start"]

ENV = "VITRON_RAY_LEAN"

_log = logging.getLogger(__name__)


def enabled() -> bool:
    """Whether a local instance starts lean (``VITRON_RAY_LEAN``, on unless 0/false/no/off)."""
    return os.environ.get(ENV, "1").strip().lower() not in ("0", "false", "no", "off")


class LocalRay:
    """A running lean instance: ``address`` for ``ray.init``, :meth:`stop` ends its processes."""

    def __init__(self, node: Any):
        self.node = node
        self.address: str = node.address

    def stop(self) -> None:
        """End every process the instance started (call it after ``ray.shutdown()``)."""
        node, self.node = self.node, None
        if node is None:
            return
        try:
            node.destroy_external_storage()  # as ray.shutdown does for an instance it started
        finally:
            node.kill_all_processes(check_alive=False, allow_graceful=True, wait=False)


def start(num_cpus: int) -> LocalRay | None:
    """A new lean local instance with ``num_cpus`` CPUs, or None when it cannot be started that
    way (the caller then uses ``ray.init(address="local")``). Call it on the thread that lives as
    long as the instance: on Linux the GCS and the raylet die with the thread that started them."""
    if not enabled():
        return None
    logging.getLogger("ray").setLevel(logging.ERROR)  # as ray.init(logging_level="ERROR") does first
    try:
        node_cls, params = _node_parts(num_cpus)
    except Exception as exc:  # another Ray version: its private API moved
        _log.info("lean local Ray unavailable (%s); plain ray.init", exc)
        return None
    node = None
    try:
        node = node_cls(params, head=True, shutdown_at_exit=False, spawn_reaper=True, ray_init_cluster=True)
        return LocalRay(node)
    except Exception as exc:
        _log.info("lean local Ray failed to start (%s); plain ray.init", exc)
        if node is not None:
            LocalRay(node).stop()
        return None


def _node_parts(num_cpus: int) -> tuple[type, Any]:
    """Ray's node class without an API server, and the node's parameters: what
    ``ray.init(address="local", include_dashboard=False)`` gives, less the autoscaler monitor and
    the log monitor. Token authentication and usage stats are set up as ``ray.init`` does."""
    from ray._common.usage import usage_lib
    from ray._private.authentication.authentication_token_setup import (
        enable_token_auth_by_default,
        ensure_token_if_auth_enabled,
    )
    from ray._private.node import Node
    from ray._private.parameter import RayParams

    if not callable(getattr(Node, "start_api_server", None)):
        raise AttributeError("ray._private.node.Node.start_api_server")

    class _LeanNode(Node):
        def start_api_server(self, *args: Any, **kwargs: Any) -> None:
            """No dashboard head: nothing of a batch's private instance uses it."""

    params = RayParams(num_cpus=num_cpus, include_dashboard=False, no_monitor=True, include_log_monitor=False)
    enable_token_auth_by_default()
    ensure_token_if_auth_enabled({}, create_token_if_missing=True)
    if not usage_lib.is_nightly_wheel():
        usage_lib.set_usage_stats_enabled_via_env_var(False)
    return _LeanNode, params
