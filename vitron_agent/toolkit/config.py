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
    # url = "s3://bucket/prefix"   # artifacts in S3-compatible storage (many machines); default: data_dir
    # endpoint_url = "http://minio:9000"   # else AWS_ENDPOINT_URL / AWS itself
    max_pixels = 64000000    # larger images / video frames are rejected (decompression bombs)
    max_video_frames = 20000 # longer videos are rejected with a clear error (never silently cut)
    max_video_seconds = 3600
    deferred_writes = true   # a step's outputs are written in the background (checkpointed once durable)

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
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vitron_agent.core.errors import ConfigError

__all__ = [
    "Config",
    "ToolConfig",
    "AgentSection",
    "StoreSection",
    "PlannerSection",
    "ModelsSection",
    "ExecutionSection",
    "DeploymentSettings",
    "load_config",
]


class DeploymentSettings(BaseModel):
    """Resources and scaling of one specialist's deployment (``[execution.deployments.<tool>]``)."""

    model_config = ConfigDict(extra="forbid")
    num_cpus: float = Field(default=1.0, ge=0)
    num_gpus: float = Field(default=0.0, ge=0)
    memory_gb: float | None = Field(default=None, gt=0, description="memory Ray reserves for each replica")
    replicas: int = Field(default=1, ge=1)
    min_replicas: int | None = Field(default=None, ge=0, description="with max_replicas: autoscale between them")
    max_replicas: int | None = Field(default=None, ge=1)
    target_ongoing_requests: float = Field(default=2.0, gt=0)
    max_ongoing_requests: int = Field(default=4, ge=1)
    env: dict[str, str] = Field(default_factory=dict, description="environment variables of the replicas")


class ExecutionSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    backend: Literal["in_process", "ray"] = "in_process"
    address: str = Field(
        default="local", description='"local" starts a Ray instance here; "auto" or "ray://host:10001" joins a cluster'
    )
    app_prefix: str = Field(default="vitron", pattern=r"^[A-Za-z0-9_-]{1,40}$")
    timeout: float = Field(default=300.0, gt=0, description="seconds per remote call")
    retries: int = Field(default=1, ge=0, le=5, description="re-sends after a replica died (tools are idempotent)")
    deploy: Literal["auto", "never"] = Field(
        default="auto",
        description="auto: deploy missing specialists on first use; never: expect `vitron-agent serve-models`",
    )
    local_cpus: int | None = Field(default=None, ge=1, description="CPUs of a local Ray instance (default: all)")
    deployments: dict[str, DeploymentSettings] = Field(default_factory=dict)


class ToolConfig(BaseModel):
    model_config = ConfigDict(extra="allow")
    backend: str = "cv"
    timeout: float | None = Field(default=None, gt=0)
    execution: Literal["in_process", "ray"] | None = Field(
        default=None, description="where this tool runs (default: [execution] backend for model tools, else in_process)"
    )


class AgentSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_repairs: int = Field(default=2, ge=0, le=10)
    max_react_rounds: int = Field(default=4, ge=0, le=20)
    allowed_roots: list[str] | None = Field(default=None, description="folders image paths must lie in (None: any)")
    step_timeout: float | None = Field(default=300.0, gt=0)
    data_dir: str | None = None
    db: str | None = None
    scheduler: Literal["dataflow", "waves"] = Field(
        default="dataflow", description="dataflow: a step starts when its own inputs are ready; waves: round by round"
    )
    max_parallel_steps: int = Field(default=8, ge=1, le=256, description="most steps of one turn running at once")
    tool_modules: list[str] = Field(default_factory=list, description="modules that register more tools (see README)")
    max_plan_steps: int = Field(
        default=16, ge=1, le=64, description="longer plans are refused with a message asking to split the request"
    )


class StoreSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cache_mb: float = Field(default=512, ge=0)
    max_pixels: int = Field(default=64_000_000, gt=0)
    max_video_frames: int = Field(default=20_000, gt=0, description="longer videos are rejected, never cut")
    max_video_seconds: float = Field(default=3600.0, gt=0)
    url: str | None = Field(
        default=None, description='artifacts in object storage, e.g. "s3://bucket/prefix" (default: the local data_dir)'
    )
    endpoint_url: str | None = Field(
        default=None, description="S3-compatible endpoint (default: AWS_ENDPOINT_URL or AWS itself)"
    )
    local_cache_mb: float = Field(default=2048, gt=0, description="with url: local read cache of artifacts, bounded")
    deferred_writes: bool = Field(
        default=True,
        description="a step's artifacts are encoded and written in the background while the tool goes on "
        "(its record is checkpointed only once they are durable); false: written before the tool returns",
    )


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


MAX_CONFIG_BYTES = 1 << 20  # a vitron.toml is a few KB


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
    if not p.exists():
        raise ConfigError(f"config file {p} does not exist")
    from vitron_agent.core.errors import MediaError
    from vitron_agent.media.images import file_size, read_regular

    try:  # a regular file, read bounded: a FIFO or /dev/zero named by mistake neither hangs nor fills memory
        file_size(p, str(p), "config")
        data = tomllib.loads(read_regular(p, str(p), MAX_CONFIG_BYTES, "config").decode("utf-8"))
    except MediaError as exc:
        raise ConfigError(f"config file {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{p} is not UTF-8 text; a vitron.toml is a TOML text file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p} is not valid TOML: {exc}") from None
    try:
        cfg = Config.model_validate(data)
    except ValidationError as exc:
        from vitron_agent.toolkit.tool import format_validation_error

        raise ConfigError(f"{p}: {format_validation_error(exc)}") from None
    base = p.resolve().parent
    for key in ("data_dir", "db"):
        value = getattr(cfg.agent, key)
        if value and not Path(value).is_absolute():
            setattr(cfg.agent, key, str(base / value))
    if cfg.agent.allowed_roots:
        cfg.agent.allowed_roots = [
            str((base / r).resolve()) if not Path(r).expanduser().is_absolute() else str(Path(r).expanduser())
            for r in cfg.agent.allowed_roots
        ]
    for tool in cfg.tools.values():  # checkpoint paths are relative to the config file
        for key, value in (tool.model_extra or {}).items():
            if (
                key.endswith("checkpoint")
                and isinstance(value, str)
                and not Path(value).expanduser().is_absolute()
                and (base / value).exists()
            ):
                tool.model_extra[key] = str((base / value).resolve())
    extra = cfg.planner.model_extra or {}
    for key in ("checkpoint", "lora", "image_tower", "video_tower"):  # planner paths too
        value = extra.get(key)
        if isinstance(value, str) and not Path(value).expanduser().is_absolute() and (base / value).exists():
            extra[key] = str((base / value).resolve())
    cfg.source = str(p)
    return cfg
