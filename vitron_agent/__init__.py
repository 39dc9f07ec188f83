"""vitron-agent: a vision LLM as the planner node of a LangGraph state machine that
drives typed vision tools over images and videos.

Light to import: torch, transformers, diffusers and OpenCV load only when a
tool that needs them runs.
"""

from vitron_agent.errors import (
    ConfigError,
    InputError,
    MediaError,
    PlannerError,
    PlanValidationError,
    RefError,
    ToolArgumentError,
    ToolFailed,
    VitronError,
)
from vitron_agent.plan import Plan, Step, validate_plan
from vitron_agent.refs import (
    Box,
    FeatureRef,
    ImageRef,
    MaskRef,
    MaskTrackRef,
    Point,
    Scribble,
    TextRef,
    VideoRef,
)
from vitron_agent.tool import Toolbox, ToolContext, VisionTool

__version__ = "0.1.0"

__all__ = [
    "Agent",
    "RunResult",
    "StepResult",
    "Config",
    "load_config",
    "ArtifactStore",
    "Plan",
    "Step",
    "validate_plan",
    "PlanRequest",
    "ScriptedPlanner",
    "ReplayPlanner",
    "ImageRef",
    "MaskRef",
    "VideoRef",
    "MaskTrackRef",
    "FeatureRef",
    "TextRef",
    "Point",
    "Box",
    "Scribble",
    "Toolbox",
    "ToolContext",
    "VisionTool",
    "Backend",
    "register",
    "VitronError",
    "ToolArgumentError",
    "ToolFailed",
    "PlanValidationError",
    "RefError",
    "MediaError",
    "ConfigError",
    "InputError",
    "PlannerError",
    "__version__",
]


def __getattr__(name: str):
    # Agent pulls in LangGraph; load it on first use so `import vitron_agent` stays light.
    if name in ("Agent", "RunResult", "StepResult"):
        from vitron_agent import agent

        return getattr(agent, name)
    if name in ("PlanRequest", "ScriptedPlanner", "ReplayPlanner"):
        from vitron_agent import planners

        return getattr(planners, name)
    if name in ("Backend", "register"):
        from vitron_agent import registry

        return getattr(registry, name)
    if name in ("Config", "load_config"):
        from vitron_agent import config

        return getattr(config, name)
    if name == "ArtifactStore":
        from vitron_agent.store import ArtifactStore

        return ArtifactStore
    raise AttributeError(f"module 'vitron_agent' has no attribute {name!r}")
