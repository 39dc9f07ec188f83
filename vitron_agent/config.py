"""vitron.toml: which backend serves each tool, the planner, limits and paths.

Example::

    [agent]
    max_repairs = 2          # planner repair rounds for an invalid plan
    step_timeout = 300       # seconds; per tool: [tools.<name>] timeout
    data_dir = "vitron-data" # artifacts (and sessions.sqlite when db is set)
    db = "vitron-data/sessions.sqlite"   # persistent sessions; omit for in-memory
    scheduler = "dataflow"   # a step starts when its own inputs are ready ("waves": round by round)
    max_parallel_steps = 8

    [store]
    cache_mb = 512           # in-memory LRU of decoded arrays
    max_pixels = 64000000    # larger images / video frames are rejected (decompression bombs)
    max_video_frames = 20000 # longer videos are rejected with a clear error (never silently cut)
    max_video_seconds = 3600

    [planner]
    kind = "rule"

    [tools.segment]
    backend = "cv"           # cv is the embedded default for segment, edit, describe, count
    timeout = 60

    [tools.generate]
    backend = "none"         # no image generator ships without weights

    [tools.track]            # video tools: track, edit_video, describe_video, frame, animate (cv by default),
    backend = "cv"           # generate_video (none by default); model backends as for images
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vitron_agent.errors import ConfigError
from vitron_agent.execution import ExecutionSection

__all__ = ["Config", "ToolConfig", "load_config", "build_toolbox", "build_tool", "tool_execution", "build_planner", "TOOL_BACKENDS",
           "MODEL_BACKENDS", "DEFAULT_BACKENDS", "describe_config", "resolve_checkpoint"]


class ToolConfig(BaseModel):
    model_config = ConfigDict(extra="allow")
    backend: str = "cv"
    timeout: float | None = Field(default=None, gt=0)
    execution: Literal["in_process", "ray"] | None = Field(
        default=None, description="where this tool runs (default: [execution] backend for model tools, else in_process)")


class AgentSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_repairs: int = Field(default=2, ge=0, le=10)
    max_react_rounds: int = Field(default=4, ge=0, le=20)
    allowed_roots: list[str] | None = Field(default=None, description="folders image paths must lie in (None: any)")
    step_timeout: float | None = Field(default=300.0, gt=0)
    data_dir: str | None = None
    db: str | None = None
    scheduler: Literal["dataflow", "waves"] = Field(
        default="dataflow", description="dataflow: a step starts when its own inputs are ready; waves: round by round")
    max_parallel_steps: int = Field(default=8, ge=1, le=256, description="most steps of one turn running at once")


class StoreSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cache_mb: float = Field(default=512, ge=0)
    max_pixels: int = Field(default=64_000_000, gt=0)
    max_video_frames: int = Field(default=20_000, gt=0, description="longer videos are rejected, never cut")
    max_video_seconds: float = Field(default=3600.0, gt=0)


class ModelsSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    budget_gb: float | None = Field(default=None, gt=0, description="most GB of weights per device before LRU offload")


class PlannerSection(BaseModel):
    model_config = ConfigDict(extra="allow")
    kind: str = "rule"


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")
    agent: AgentSection = Field(default_factory=AgentSection)
    store: StoreSection = Field(default_factory=StoreSection)
    planner: PlannerSection = Field(default_factory=PlannerSection)
    models: ModelsSection = Field(default_factory=ModelsSection)
    execution: ExecutionSection = Field(default_factory=ExecutionSection)
    tools: dict[str, ToolConfig] = Field(default_factory=dict)
    source: str | None = Field(default=None, exclude=True)

    def tool(self, name: str) -> ToolConfig:
        return self.tools.get(name) or ToolConfig(backend=DEFAULT_BACKENDS.get(name, "cv"))


DEFAULT_BACKENDS = {"segment": "cv", "ground": "none", "edit": "cv", "describe": "cv", "count": "cv", "generate": "none",
                    "track": "cv", "edit_video": "cv", "describe_video": "cv", "frame": "cv", "animate": "cv",
                    "generate_video": "none"}


def _cv(module: str, cls: str) -> Callable[[ToolConfig], Any]:
    def build(cfg: ToolConfig) -> Any:
        import importlib

        return getattr(importlib.import_module(module), cls)()

    return build


# (tool, backend) -> builder. Model backends: (module, class, {setting: "file" | "folder" | "folder?"}).
TOOL_BACKENDS: dict[tuple[str, str], Callable[[ToolConfig], Any]] = {
    ("segment", "cv"): _cv("vitron_agent.tools.segment", "CvSegmentTool"),
    ("edit", "cv"): _cv("vitron_agent.tools.edit", "CvEditTool"),
    ("describe", "cv"): _cv("vitron_agent.tools.describe", "CvDescribeTool"),
    ("count", "cv"): _cv("vitron_agent.tools.describe", "CvCountTool"),
    ("track", "cv"): _cv("vitron_agent.tools.track", "CvTrackTool"),
    ("edit_video", "cv"): _cv("vitron_agent.tools.video", "CvEditVideoTool"),
    ("describe_video", "cv"): _cv("vitron_agent.tools.video", "CvDescribeVideoTool"),
    ("frame", "cv"): _cv("vitron_agent.tools.video", "FrameTool"),
    ("animate", "cv"): _cv("vitron_agent.tools.video", "CvAnimateTool"),
}
MODEL_BACKENDS: dict[tuple[str, str], tuple[str, str, dict[str, str]]] = {
    ("segment", "segment-anything"): ("vitron_agent.tools.segment_sam", "SamSegmentTool", {"checkpoint": "file"}),
    ("ground", "transformers"): ("vitron_agent.tools.ground", "OwlGroundTool", {"checkpoint": "folder"}),
    ("generate", "diffusers"): ("vitron_agent.tools.generate", "DiffusersGenerateTool", {"checkpoint": "folder"}),
    ("edit", "diffusers"): ("vitron_agent.tools.edit_diffusers", "DiffusersEditTool",
                            {"checkpoint": "folder?", "instruct_checkpoint": "folder?"}),
    ("describe", "transformers"): ("vitron_agent.tools.describe_vlm", "VlmDescribeTool", {"checkpoint": "folder"}),
    ("track", "segment-anything"): ("vitron_agent.tools.track_sam", "SamTrackTool", {"checkpoint": "file"}),
    ("generate_video", "diffusers"): ("vitron_agent.tools.video_diffusers", "DiffusersVideoGenerateTool", {"checkpoint": "folder"}),
    ("animate", "diffusers"): ("vitron_agent.tools.video_diffusers", "DiffusersAnimateTool", {"checkpoint": "folder"}),
    ("edit_video", "diffusers"): ("vitron_agent.tools.video_diffusers", "DiffusersEditVideoTool",
                                  {"checkpoint": "folder?", "video_checkpoint": "folder?"}),
    ("describe_video", "transformers"): ("vitron_agent.tools.describe_vlm", "VlmDescribeVideoTool", {"checkpoint": "folder"}),
}


def _model_builder(tool: str, backend: str) -> Callable[[ToolConfig], Any]:
    module, cls_name, paths = MODEL_BACKENDS[(tool, backend)]

    def build(cfg: ToolConfig) -> Any:
        import importlib
        import inspect

        cls = getattr(importlib.import_module(module), cls_name)
        params = [p for p in inspect.signature(cls.__init__).parameters if p not in ("self", "pool")]
        extra = dict(cfg.model_extra or {})
        unknown = sorted(set(extra) - set(params))
        if unknown:
            raise ConfigError(f"[tools.{tool}] unknown setting(s) {', '.join(unknown)} for backend {backend!r}; "
                              f"settings: backend, timeout, {', '.join(params)}")
        for key, kind in paths.items():
            if key in extra:
                extra[key] = resolve_checkpoint(tool, key, str(extra[key]), kind.rstrip("?"))
            elif not kind.endswith("?"):
                raise ConfigError(f"[tools.{tool}] backend = {backend!r} needs {key} = \"/path/to/local/checkpoint\"")
        if tool == "edit" and not (extra.get("checkpoint") or extra.get("instruct_checkpoint")):
            raise ConfigError("[tools.edit] backend = \"diffusers\" needs checkpoint (inpainting pipeline) "
                              "and/or instruct_checkpoint (InstructPix2Pix pipeline)")
        if tool == "edit_video" and not (extra.get("checkpoint") or extra.get("video_checkpoint")):
            raise ConfigError("[tools.edit_video] backend = \"diffusers\" needs checkpoint (image inpainting pipeline, "
                              "used frame by frame) and/or video_checkpoint (video-to-video pipeline)")
        return cls(**extra)

    return build


for _tool, _backend in MODEL_BACKENDS:
    TOOL_BACKENDS[(_tool, _backend)] = _model_builder(_tool, _backend)


def resolve_checkpoint(tool: str, key: str, value: str, kind: str) -> str:
    """A local path (checked to exist, of the right kind) or a Hugging Face repo id found in the
    local cache (never downloaded); anything else is a ConfigError naming the setting."""
    p = Path(value).expanduser()
    if p.exists():
        if kind == "file" and not p.is_file():
            raise ConfigError(f"[tools.{tool}] {key} = {value!r} is a folder; expected a checkpoint file")
        if kind == "folder" and not p.is_dir():
            raise ConfigError(f"[tools.{tool}] {key} = {value!r} is a file; expected a saved model folder")
        return str(p.resolve())
    if kind == "folder" and re.fullmatch(r"[\w.-]+/[\w.-]+", value):
        try:
            from huggingface_hub import snapshot_download

            return snapshot_download(value, local_files_only=True)
        except Exception:
            raise ConfigError(f"[tools.{tool}] {key} = {value!r} is neither a local folder nor a repo in the local "
                              "Hugging Face cache (nothing is downloaded): give the path of a local copy") from None
    raise ConfigError(f"[tools.{tool}] {key} = {value!r} does not exist; set it to the local checkpoint path")


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read ``path`` (or ``$VITRON_CONFIG``, or ``./vitron.toml`` when it exists; defaults otherwise)."""
    if path is None and os.environ.get("VITRON_CONFIG"):
        path = os.environ["VITRON_CONFIG"]
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
    if cfg.agent.allowed_roots:
        cfg.agent.allowed_roots = [str((base / r).resolve()) if not Path(r).expanduser().is_absolute()
                                   else str(Path(r).expanduser()) for r in cfg.agent.allowed_roots]
    for tool in cfg.tools.values():  # checkpoint paths are relative to the config file
        for key, value in (tool.model_extra or {}).items():
            if (key.endswith("checkpoint") and isinstance(value, str) and not Path(value).expanduser().is_absolute()
                    and (base / value).exists()):
                tool.model_extra[key] = str((base / value).resolve())
    cfg.source = str(p)
    return cfg


def build_tool(name: str, cfg: ToolConfig):
    """One tool from its ``[tools.<name>]`` table (the same code in-process and in a Ray replica)."""
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
    return tool


def tool_execution(config: Config, name: str) -> str:
    """"ray" or "in_process" for tool ``name``: its own ``execution`` setting, else [execution] backend
    for model-backed tools (cv tools are cheap and stay in-process)."""
    cfg = config.tool(name)
    if cfg.execution is not None:
        return cfg.execution
    return config.execution.backend if (name, cfg.backend) in MODEL_BACKENDS else "in_process"


def build_toolbox(config: Config):
    """The Toolbox that ``config`` describes: every known tool whose backend is not "none"; tools
    that run on Ray (see :func:`tool_execution`) are :class:`~vitron_agent.execution.RemoteTool` s."""
    from vitron_agent.tool import Toolbox

    names = list(dict.fromkeys([*DEFAULT_BACKENDS, *config.tools]))
    tools = []
    executor = None
    for name in names:
        cfg = config.tool(name)
        if cfg.backend == "none":
            continue
        tool = build_tool(name, cfg)
        if tool_execution(config, name) == "ray":
            from vitron_agent.execution import RayExecutor

            executor = executor or RayExecutor(config.execution)
            tool = executor.remote_tool(tool, cfg.model_dump())
        tools.append(tool)
    if config.models.budget_gb is not None:
        from vitron_agent.models import default_pool

        default_pool().budget_bytes = int(config.models.budget_gb * 1024 ** 3)
    return Toolbox(tools)


def describe_config(config: Config) -> list[str]:
    """What each tool would load (validating every setting on the way); for ``check-config``."""
    toolbox = build_toolbox(config)
    lines = [f"config: {config.source or '(defaults)'}", f"planner: {config.planner.kind}"]
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
        from vitron_agent.execution import check_address

        check_address(config.execution.address)
        lines.append(f"execution: Ray Serve at {config.execution.address} for {', '.join(remote)} "
                     f"(apps {config.execution.app_prefix}-<tool>, deploy = {config.execution.deploy})")
    missing = [n for n, b in DEFAULT_BACKENDS.items() if n not in toolbox]
    if missing:
        lines.append(f"not configured: {', '.join(missing)}")
    return lines


PLANNERS = ("rule", "vitron", "chat", "openai")


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
        settings["checkpoint"] = resolve_checkpoint("planner", "checkpoint", str(settings["checkpoint"]), "folder")
        return _construct(VitronPlanner, settings, "planner")
    if kind == "openai":
        from vitron_agent.planners.openai_compat import OpenAICompatPlanner

        settings.pop("checkpoint", None)
        missing = [k for k in ("base_url", "model") if k not in settings]
        if missing:
            raise ConfigError(f"--planner openai needs [planner] {' and '.join(missing)} (e.g. base_url = "
                              '"http://localhost:8000/v1", model = "my-model") in vitron.toml')
        key_env = settings.pop("api_key_env", None)
        if key_env:
            settings["api_key"] = os.environ.get(key_env)
        return _construct(OpenAICompatPlanner, settings, "planner")
    if kind == "chat":
        factory = settings.get("model_factory")
        if not factory or ":" not in str(factory):
            raise ConfigError('--planner chat needs [planner] model_factory = "package.module:function" returning a '
                              "langchain-core chat model (or build ChatModelPlanner(model) in Python)")
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
