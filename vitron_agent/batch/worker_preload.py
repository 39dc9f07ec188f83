"""Ray workers of a batch's lean local instance that import the runtime before their actor comes.

A cold ``batch --ray`` can create its actors only once ``ray.init`` has returned (~5 s on 2 idle
cores); each actor then imports the runtime (LangGraph, the planner's patterns, the tool modules:
~1.6 CPU-s) before its first item, while a local pool's helpers did that from the batch's first
second. The raylet starts its Python workers seconds before ``ray.init`` returns (it prestarts one
a CPU), and Ray runs a *worker setup hook* in each (the environment variable ``ray.init``'s
``runtime_env={"worker_process_setup_hook": ...}`` sets, here set by the instance's own
environment: no runtime env). :func:`preload` is that hook: the first ``n`` workers to start
(one a batch actor; each claims a slot, an empty folder made atomically) import what
:class:`vitron_agent.batch.batch_actor.BatchActor` builds its Agent from. The actor's own
``__init__`` is unchanged: it builds the same Agent, from modules already loaded (~20 ms). What
is preloaded is code only: no model, no Agent, no file; a worker that gets no actor has spent
its import. The batch gives its instance one CPU an actor
(:meth:`vitron_agent.batch.ray_data.RayRunner._local_cpus`), so the workers Ray prestarts are the
actors' and all of them preload: with a CPU a core, a machine with more cores than ``--workers``
prestarted workers that took no slot, and the actors could land on those (cold). Any failure is swallowed (the actor then imports as before): a hook that raises
would end the worker.

:mod:`vitron_agent.batch.local_ray` sets the environment (:func:`environment`) for the instances
it starts; a cluster (``--ray ADDRESS``) and plain ``ray.init`` are untouched.
"""

from __future__ import annotations

import os

__all__ = ["ENV", "HOOK_ENV", "environment", "import_lean", "preload"]

ENV = "VITRON_RAY_PRELOAD"  # "<slot folder>:<n>": the hook's own setting (0 turns it off in the driver)
HOOK_ENV = "__RAY_WORKER_PROCESS_SETUP_HOOK_ENV_VAR"  # ray._private.ray_constants.WORKER_PROCESS_SETUP_HOOK_ENV_VAR
_CONFIG_ENV = "VITRON_RAY_PRELOAD_CONFIG"
_PLANNER_ENV = "VITRON_RAY_PRELOAD_PLANNER"


def enabled() -> bool:
    """Whether a lean local instance preloads its workers (``VITRON_RAY_PRELOAD``: on unless 0/false/no/off)."""
    return os.environ.get(ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def environment(slots: str, n: int, config: str | None, planner: str | None) -> dict[str, str]:
    """The variables the instance's raylet (and so its workers) gets: the hook, and ``n`` slots in
    the folder ``slots`` (it must exist), and the batch's configuration and planner."""
    env = {HOOK_ENV: f"{__name__}.preload", ENV: f"{slots}:{n}"}
    if config:
        env[_CONFIG_ENV] = os.path.abspath(config)
    if planner:
        env[_PLANNER_ENV] = planner
    return env


def preload() -> None:
    """Ray's worker setup hook: import the runtime in the first ``n`` workers (see the module).
    Never raises."""
    try:
        from vitron_agent.batch import timeline

        if not _claim_slot(os.environ.get(ENV, "")):
            timeline.mark("no preload slot", "actor")  # a worker more than the actors: it stays cold
            return
        timeline.mark("preload start", "actor")
        import_lean(os.environ.get(_CONFIG_ENV) or None, os.environ.get(_PLANNER_ENV) or None)
        timeline.mark("preloaded", "actor")
    except Exception:  # the actor imports what it needs itself
        pass


def import_lean(config_path: str | None, planner: str | None) -> None:
    """:func:`_import_runtime` the way the console command imports (:mod:`vitron_agent.cli`), in a
    process that is an actor's for its life (the hook's, and a batch actor's own when no hook ran:
    on a cluster, or with the preload off; where the hook ran it imports nothing more): the
    packages LangGraph's import pulls in and an actor never uses are registered without their
    ``__init__`` (LangGraph's SDK client, LangSmith's API models: a first use of one of their
    names runs it then), and the garbage collector is off during the imports, then what they made
    is frozen (never walked again). Measured in a fresh process with Ray imported, 4 runs each at
    load 15 on 2 cores: the imports 0.75-0.85 CPU-s -> 0.50-0.55; the actor's Agent and its plan
    0.23-0.31 -> 0.15-0.22; a full collection 0.09 -> 0.006."""
    import gc

    from vitron_agent.cli import _defer_unused_imports

    _defer_unused_imports()
    collecting = gc.isenabled()
    gc.disable()
    try:
        _import_runtime(config_path, planner)
    finally:
        if collecting:
            gc.freeze()
            gc.enable()


def _claim_slot(setting: str) -> bool:
    """Whether this worker got one of the ``n`` slots in ``setting`` ("<folder>:<n>")."""
    folder, _, count = setting.rpartition(":")
    if not folder or not count.isdigit():
        return False
    for slot in range(int(count)):
        try:
            os.mkdir(os.path.join(folder, str(slot)))
            return True
        except FileExistsError:
            continue
    return False


def _import_runtime(config_path: str | None, planner: str | None) -> None:
    """The modules an Agent of this configuration is built from: what the batch's actor imports
    (its own small module comes with its class: importing it here would make a cycle, as it calls
    :func:`import_lean`), the Agent and its graph, the tool modules the configuration names and its planner's class (the
    rule planner compiles its patterns on import). Nothing is built."""
    import langgraph.checkpoint.memory  # noqa: F401

    import vitron_agent.batch.head_start  # noqa: F401
    import vitron_agent.batch.pool  # noqa: F401
    import vitron_agent.batch.results_log  # noqa: F401
    import vitron_agent.graphs.agent_graph  # noqa: F401
    import vitron_agent.graphs.dataflow  # noqa: F401
    import vitron_agent.runtime.agent  # noqa: F401
    from vitron_agent.planners.kinds import PLANNER_KINDS, discover_planners
    from vitron_agent.toolkit.config import load_config
    from vitron_agent.toolkit.registry import discover

    config = load_config(config_path)
    discover(config.agent.tool_modules)
    discover_planners()
    kind = PLANNER_KINDS.get(planner or config.planner.kind)
    if kind is not None:
        kind.cls()
