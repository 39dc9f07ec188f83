"""Assembling what a config describes: the Toolbox (local tools, or Ray Serve proxies) and
the planner; ``describe_config`` for ``vitron-agent check-config``.

The pieces come from the registry (tool backends) and from ``vitron_agent.ray_serve``
(Ray); :mod:`vitron_agent.config` holds the settings only.
"""

from __future__ import annotations

import os
from typing import Any

from vitron_agent.config import Config
from vitron_agent.errors import ConfigError
from vitron_agent.registry import (
    build_tool,
    default_backends,
    discover,
    is_model_backend,
    resolve_checkpoint,
    tool_config,
)

__all__ = ["build_toolbox", "build_planner", "tool_execution", "describe_config", "PLANNERS"]


def tool_execution(config: Config, name: str) -> str:
    """ "ray" or "in_process" for tool ``name``: its own ``execution`` setting, else [execution] backend
    for model-backed tools (cv tools are cheap and stay in-process)."""
    cfg = tool_config(config, name)
    if cfg.execution is not None:
        return cfg.execution
    return config.execution.backend if is_model_backend(name, cfg.backend) else "in_process"


def build_toolbox(config: Config):
    """The Toolbox that ``config`` describes: every known tool whose backend is not "none"; tools
    that run on Ray (see :func:`tool_execution`) are :class:`~vitron_agent.ray_serve.RemoteTool` s."""
    from vitron_agent.tool import Toolbox

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
            from vitron_agent.ray_serve import RayExecutor

            executor = executor or RayExecutor(config.execution)
            tool = executor.remote_tool(tool, cfg.model_dump())
        tools.append(tool)
    if config.models.budget_gb is not None:
        from vitron_agent.models import default_pool

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
            from vitron_agent.models import resolve_device, resolve_dtype

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
        from vitron_agent.ray_serve import check_address

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
    from vitron_agent.planners.release import is_release, release_pieces

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


PLANNERS = ("rule", "local", "vitron", "chat", "openai")


def build_planner(config: Config, kind: str | None = None):
    """The planner of ``[planner]`` (``kind`` overrides ``[planner] kind``)."""
    kind = kind or config.planner.kind
    settings = dict(config.planner.model_extra or {})
    if kind == "rule":
        from vitron_agent.planners.rule import RulePlanner

        return RulePlanner()
    if kind == "vitron":
        from vitron_agent.planners.vitron import VitronPlanner

        if "checkpoint" not in settings:
            raise ConfigError('--planner vitron needs [planner] checkpoint = "/path/to/local/model" in vitron.toml')
        settings["checkpoint"] = resolve_checkpoint(
            "planner", "checkpoint", str(settings["checkpoint"]), "folder", table="planner"
        )
        for key in ("lora", "image_tower", "video_tower"):
            if settings.get(key):
                settings[key] = resolve_checkpoint("planner", key, str(settings[key]), "folder", table="planner")
        return _construct(VitronPlanner, settings, "planner")
    if kind == "local":
        from vitron_agent.planners.local import LocalPlanner

        return _construct(LocalPlanner, settings, "planner")
    if kind == "openai":
        from vitron_agent.planners.openai_compat import OpenAICompatPlanner

        settings.pop("checkpoint", None)
        missing = [k for k in ("base_url", "model") if k not in settings]
        if missing:
            raise ConfigError(
                f"--planner openai needs [planner] {' and '.join(missing)} (e.g. base_url = "
                '"http://localhost:8000/v1", model = "my-model") in vitron.toml'
            )
        key_env = settings.pop("api_key_env", None)
        if key_env:
            settings["api_key"] = os.environ.get(key_env)
        return _construct(OpenAICompatPlanner, settings, "planner")
    if kind == "chat":
        factory = settings.get("model_factory")
        if not factory or ":" not in str(factory):
            raise ConfigError(
                '--planner chat needs [planner] model_factory = "package.module:function" returning a '
                "langchain-core chat model (or build ChatModelPlanner(model) in Python)"
            )
        import importlib

        from vitron_agent.planners.chat import ChatModelPlanner

        module, _, attr = str(factory).partition(":")
        try:
            model = getattr(importlib.import_module(module), attr)()
        except (ImportError, AttributeError) as exc:
            raise ConfigError(f"[planner] model_factory = {factory!r} cannot be loaded: {exc}") from None
        return ChatModelPlanner(model)
    raise ConfigError(f"[planner] kind = {kind!r} is not available; choose one of: {', '.join(PLANNERS)}")


def _construct(cls, settings: dict[str, Any], table: str):
    import inspect

    params = [p for p in inspect.signature(cls.__init__).parameters if p not in ("self", "pool")]
    unknown = sorted(set(settings) - set(params))
    if unknown:
        raise ConfigError(f"[{table}] unknown setting(s) {', '.join(unknown)}; settings: kind, {', '.join(params)}")
    try:
        return cls(**settings)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[{table}] {exc}") from None
