"""vitron.toml: which backend serves each tool, the planner, limits and paths.

Example::

    [agent]
    max_repairs = 2          # planner repair rounds for an invalid plan
    step_timeout = 300       # seconds; per tool: [tools.<name>] timeout
    data_dir = "vitron-data" # artifacts (and sessions.sqlite when db is set)
    db = "vitron-data/sessions.sqlite"   # persistent sessions; omit for in-memory

    [store]
    cache_mb = 512           # in-memory LRU of decoded arrays
    max_pixels = 64000000    # larger images are rejected (decompression bombs)

    [planner]
    kind = "rule"

    [tools.segment]
    backend = "cv"           # cv is the embedded default for segment, edit, describe, count
    timeout = 60

    [tools.generate]
    backend = "none"         # no image generator ships without weights
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vitron_agent.errors import ConfigError

__all__ = ["Config", "ToolConfig", "load_config", "build_toolbox", "build_planner", "TOOL_BACKENDS",
           "DEFAULT_BACKENDS"]


class ToolConfig(BaseModel):
    model_config = ConfigDict(extra="allow")
    backend: str = "cv"
    timeout: float | None = Field(default=None, gt=0)


class AgentSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_repairs: int = Field(default=2, ge=0, le=10)
    step_timeout: float | None = Field(default=300.0, gt=0)
    data_dir: str | None = None
    db: str | None = None


class StoreSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cache_mb: float = Field(default=512, ge=0)
    max_pixels: int = Field(default=64_000_000, gt=0)


class PlannerSection(BaseModel):
    model_config = ConfigDict(extra="allow")
    kind: str = "rule"


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")
    agent: AgentSection = Field(default_factory=AgentSection)
    store: StoreSection = Field(default_factory=StoreSection)
    planner: PlannerSection = Field(default_factory=PlannerSection)
    tools: dict[str, ToolConfig] = Field(default_factory=dict)
    source: str | None = Field(default=None, exclude=True)

    def tool(self, name: str) -> ToolConfig:
        return self.tools.get(name) or ToolConfig(backend=DEFAULT_BACKENDS.get(name, "cv"))


DEFAULT_BACKENDS = {"segment": "cv", "edit": "cv", "describe": "cv", "count": "cv", "generate": "none"}


def _cv(module: str, cls: str) -> Callable[[ToolConfig], Any]:
    def build(cfg: ToolConfig) -> Any:
        import importlib

        return getattr(importlib.import_module(module), cls)()

    return build


# (tool, backend) -> builder. Model backends register here as they land.
TOOL_BACKENDS: dict[tuple[str, str], Callable[[ToolConfig], Any]] = {
    ("segment", "cv"): _cv("vitron_agent.tools.segment", "CvSegmentTool"),
    ("edit", "cv"): _cv("vitron_agent.tools.edit", "CvEditTool"),
    ("describe", "cv"): _cv("vitron_agent.tools.describe", "CvDescribeTool"),
    ("count", "cv"): _cv("vitron_agent.tools.describe", "CvCountTool"),
}


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read ``path`` (or ``./vitron.toml`` when it exists; defaults otherwise)."""
    if path is None:
        candidate = Path("vitron.toml")
        if not candidate.is_file():
            return Config()
        path = candidate
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {p} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p} is not valid TOML: {exc}") from None
    try:
        cfg = Config.model_validate(data)
    except ValidationError as exc:
        from vitron_agent.tool import format_validation_error

        raise ConfigError(f"{p}: {format_validation_error(exc)}") from None
    base = p.resolve().parent
    for key in ("data_dir", "db"):
        value = getattr(cfg.agent, key)
        if value and not Path(value).is_absolute():
            setattr(cfg.agent, key, str(base / value))
    cfg.source = str(p)
    return cfg


def build_toolbox(config: Config):
    """The Toolbox that ``config`` describes: every known tool whose backend is not "none"."""
    from vitron_agent.tool import Toolbox

    names = list(dict.fromkeys([*DEFAULT_BACKENDS, *config.tools]))
    tools = []
    for name in names:
        cfg = config.tool(name)
        if cfg.backend == "none":
            continue
        builder = TOOL_BACKENDS.get((name, cfg.backend))
        if builder is None:
            known = sorted(b for (t, b) in TOOL_BACKENDS if t == name)
            if not known:
                raise ConfigError(f"[tools.{name}]: there is no tool named {name!r}; tools: {', '.join(sorted({t for t, _ in TOOL_BACKENDS}))}")
            raise ConfigError(f"[tools.{name}] backend = {cfg.backend!r} is not available; choose one of: "
                              f"{', '.join(known + ['none'])}")
        tool = builder(cfg)
        if cfg.timeout is not None:
            tool.timeout = cfg.timeout
        tools.append(tool)
    return Toolbox(tools)


def build_planner(config: Config):
    kind = config.planner.kind
    if kind == "rule":
        from vitron_agent.planners.rule import RulePlanner

        return RulePlanner()
    raise ConfigError(f"[planner] kind = {kind!r} is not available; choose one of: rule")
