"""Assembling what a config describes: the Toolbox (local tools, or Ray Serve proxies) and
the planner; ``describe_config`` for ``vitron-agent check-config``.

The pieces come from the registry (tool backends) and from ``vitron_agent.runtime.ray_serve``
(Ray); :mod:`vitron_agent.toolkit.config` holds the settings only.
"""

from __future__ import annotations

from vitron_agent.core.errors import ConfigError
from vitron_agent.toolkit.config import Config
from vitron_agent.toolkit.registry import (
    build_tool,
    default_backends,
    discover,
    is_model_backend,
    tool_config,
)

__all__ = ["build_toolbox", "build_planner", "tool_execution", "describe_config"]


def tool_execution(config: Config, name: str) -> str:
    """ "ray" or "in_process" for tool ``name``: its own ``execution`` setting, else [execution] backend
    for model-backed tools (cv tools are cheap and stay in-process)."""
    cfg = tool_config(config, name)
    if cfg.execution is not None:
        return cfg.execution
    return config.execution.backend if is_model_backend(name, cfg.backend) else "in_process"


def build_toolbox(config: Config):
    """The Toolbox that ``config`` describes: every known tool whose backend is not "none"; tools
    that run on Ray (see :func:`tool_execution`) are :class:`~vitron_agent.runtime.ray_serve.RemoteTool` s."""
    from vitron_agent.toolkit.tool import Toolbox

    discover(config.agent.tool_modules)
    names = list(dict.fromkeys([*default_backends(), *config.tools]))
    tools = []
    executor = None
    for name in names:
        cfg = tool_config(config, name)
        if cfg.backend == "none":
            continue
        tool = build_tool(name, cfg)
        if tool_execution(config, name) == "ray":
            from vitron_agent.runtime.ray_serve import RayExecutor

            executor = executor or RayExecutor(config.execution)
            tool = executor.remote_tool(tool, cfg.model_dump())
        tools.append(tool)
    if config.models.budget_gb is not None:
        from vitron_agent.loading.models import default_pool

        default_pool().budget_bytes = int(config.models.budget_gb * 1024**3)
    return Toolbox(tools)


def describe_config(config: Config) -> list[str]:
    """What each tool would load (validating every setting on the way); for ``check-config``."""
    toolbox = build_toolbox(config)
    lines = [f"config: {config.source or '(defaults)'}", f"planner: {config.planner.kind}"]
    lines += _release_lines(config)
    for shown in toolbox:
        tool = getattr(shown, "local", shown)  # a RemoteTool describes the tool its replicas build
        if hasattr(tool, "device_setting"):
            from vitron_agent.loading.models import resolve_device, resolve_dtype

            device = resolve_device(tool.device_setting)  # raises ConfigError for an unusable device
            resolve_dtype(getattr(tool, "dtype_setting", "auto"), device)
        where = []
        for attr in ("checkpoint", "instruct_checkpoint", "video_checkpoint"):
            if getattr(tool, attr, None):
                where.append(f"{attr}={getattr(tool, attr)}")
        for attr in ("model_type", "device_setting", "dtype_setting"):
            if getattr(tool, attr, None):
                where.append(f"{attr.removesuffix('_setting')}={getattr(tool, attr)}")
        lines.append(f"{tool.name}: {shown.backend}" + (f" ({', '.join(where)})" if where else " (no weights)"))
    remote = [t.name for t in toolbox if hasattr(t, "executor")]
    if remote:
        from vitron_agent.runtime.ray_serve import check_address

        check_address(config.execution.address)
        lines.append(
            f"execution: Ray Serve at {config.execution.address} for {', '.join(remote)} "
            f"(apps {config.execution.app_prefix}-<tool>, deploy = {config.execution.deploy})"
        )
    missing = [n for n in default_backends() if n not in toolbox]
    if missing:
        lines.append(f"not configured: {', '.join(missing)}")
    return lines


def _release_lines(config: Config) -> list[str]:
    """check-config's report on each piece of a Vitron release named by [planner]."""
    settings = dict(config.planner.model_extra or {})
    if config.planner.kind != "vitron" or not settings.get("checkpoint"):
        return []
    from vitron_agent.vitron.release import is_release, release_pieces

    ckpt, lora = str(settings["checkpoint"]), settings.get("lora")
    if settings.get("template", "auto") == "project" or not is_release(lora or ckpt):
        return [f"  planner checkpoint: {ckpt} (a transformers LM, prompted with the project's template)"]
    rows = release_pieces(ckpt, lora, settings.get("image_tower"), settings.get("video_tower"))
    lines = ["  planner: the Vitron release (llava_v1 template)"]
    lines += [f"  {'ok' if ok else 'MISSING'} {piece}: {path} ({detail})" for piece, path, ok, detail in rows]
    if not lora:
        lines.append("  note: no [planner] lora: the base is used without Vitron-lora (Vitron's demo merges it)")
    bad = [piece for piece, _, ok, _ in rows if not ok]
    if bad:
        raise ConfigError(
            "the Vitron release is incomplete: "
            + "; ".join(f"{piece}: {detail}" for piece, _, ok, detail in rows if not ok)
        )
    return lines


def build_planner(config: Config, kind: str | None = None):
    """The planner of ``[planner]`` (``kind`` overrides ``[planner] kind``): see
    :mod:`vitron_agent.planners.kinds`, one declaration per kind."""
    from vitron_agent.planners.kinds import build_planner as build

    return build(config, kind)
