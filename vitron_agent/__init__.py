"""vitron-agent: a vision LLM as the planner node of a LangGraph state machine that
drives typed vision tools over images and videos.

Light to import: every public name loads on first use (``vitron_agent.Agent`` imports
LangGraph, ``vitron_agent.Plan`` pydantic); torch, transformers, diffusers and OpenCV load
only when a tool that needs them runs.
"""

from typing import TYPE_CHECKING

from vitron_agent.loading.pattern_cache import install as _install_pattern_cache

_install_pattern_cache()  # the package's regular expressions compiled once per machine (its docstring)

if TYPE_CHECKING:  # for type checkers; at run time each name loads on first use (below)
    from vitron_agent.core.errors import (
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
    from vitron_agent.core.refs import (
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
    from vitron_agent.runtime.sessions import SessionHandle
    from vitron_agent.runtime.turns import TurnRequest
    from vitron_agent.toolkit.plan import Plan, Step, validate_plan
    from vitron_agent.toolkit.tool import Toolbox, ToolContext, VisionTool

__version__ = "0.1.0"

__all__ = [
    "Agent",
    "RunResult",
    "StepResult",
    "TurnRequest",
    "SessionHandle",
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


# where each public name lives; a name is imported on first use, so that `import vitron_agent`
# (and with it every subcommand's argument parsing, `vitron-agent --help`) imports no pydantic
# model, LangGraph or numpy until something needs them
_HOMES = {
    "vitron_agent.core.errors": (
        "ConfigError InputError MediaError PlannerError PlanValidationError RefError ToolArgumentError "
        "ToolFailed VitronError"
    ),
    "vitron_agent.toolkit.plan": "Plan Step validate_plan",
    "vitron_agent.core.refs": "Box FeatureRef ImageRef MaskRef MaskTrackRef Point Scribble TextRef VideoRef",
    "vitron_agent.toolkit.tool": "Toolbox ToolContext VisionTool",
    "vitron_agent.runtime.agent": "Agent RunResult StepResult",
    "vitron_agent.planners": "PlanRequest ScriptedPlanner ReplayPlanner",
    "vitron_agent.toolkit.registry": "Backend register",
    "vitron_agent.toolkit.config": "Config load_config",
    "vitron_agent.storage.store": "ArtifactStore",
    "vitron_agent.runtime.turns": "TurnRequest",
    "vitron_agent.runtime.sessions": "SessionHandle",
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names.split()}


def __getattr__(name: str):
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'vitron_agent' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME_OF})
