"""The planner registry: one declaration per ``[planner] kind``, in the style of the tool registry.

A :class:`PlannerKind` names its class lazily (``"module:Class"``: nothing heavy is imported until
that planner is built), the settings it requires, those that are local checkpoint paths (resolved
and checked like a tool's), those read from the environment, and what an error message suggests.
:func:`build_planner` is the one builder: the same checks for every kind, unknown settings named
with the valid ones (the class's ``__init__`` parameters, as for tools).

The kinds here are the built-in ones; a planner module named in ``$VITRON_PLANNER_MODULES`` (a
module name or a file path, comma-separated) registers its own at import, and
:func:`planner_names` -- what ``--planner`` accepts -- imports those first
(``examples/echo_planner.py``). This module is light (no pydantic): the CLI's parser reads it.
"""

from __future__ import annotations

import importlib
import inspect
import os
from dataclasses import dataclass, field
from typing import Any

from vitron_agent.core.errors import ConfigError

__all__ = [
    "PlannerKind",
    "PLANNER_KINDS",
    "build_planner",
    "register_planner",
    "unregister_planner",
    "discover_planners",
    "planner_names",
]


@dataclass(frozen=True)
class PlannerKind:
    """One planner kind.

    Attributes:
        name: the ``[planner] kind`` (and ``--planner``) value.
        target: ``"module:Class"`` of the planner.
        required: settings that must be given; ``example`` shows them in the error.
        checkpoints: setting -> ``"file"`` | ``"folder"``: local paths, resolved relative to the toml.
        from_env: setting -> the setting that names an environment variable holding its value
            (``api_key`` <- ``api_key_env``).
        ignored: settings accepted in the table but not passed (shared tables).
        factory: a setting naming ``"module:function"`` whose return value is the class's only argument
            (a LangChain chat model for ``chat``).
        takes_settings: False for a kind built without settings (``rule``): the ``[planner]`` table may
            hold another kind's settings for ``--planner`` to switch to, and they are left alone.
    """

    name: str
    target: str
    required: tuple[str, ...] = ()
    example: str = ""
    checkpoints: dict[str, str] = field(default_factory=dict)
    from_env: dict[str, str] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()
    factory: str | None = None
    takes_settings: bool = True

    def cls(self) -> type:
        module, _, name = self.target.partition(":")
        return getattr(importlib.import_module(module), name)


PLANNER_KINDS: dict[str, PlannerKind] = {}


_DISCOVERED: set[str] = set()


def register_planner(kind: PlannerKind) -> PlannerKind:
    """Declare a planner kind (called by planner modules at import); a name is declared once
    (the same declaration again is a no-op)."""
    old = PLANNER_KINDS.get(kind.name)
    if old is not None and old != kind:
        raise ValueError(f"planner kind {kind.name!r} is already declared ({old.target})")
    PLANNER_KINDS[kind.name] = kind
    return kind


def unregister_planner(name: str) -> None:
    """Remove a planner kind (tests and unloaded plugins)."""
    PLANNER_KINDS.pop(name, None)


def discover_planners(extra: list[str] | None = None) -> None:
    """Import the planner modules of ``$VITRON_PLANNER_MODULES`` and ``extra`` (once each)."""
    from vitron_agent.toolkit.plugins import import_plugin, plugin_names

    for name in plugin_names("VITRON_PLANNER_MODULES") + list(extra or []):
        if name in _DISCOVERED:
            continue
        try:
            import_plugin(name)
        except (ImportError, OSError) as exc:
            raise ConfigError(f"planner module {name!r} cannot be imported: {exc}") from None
        _DISCOVERED.add(name)


def planner_names() -> list[str]:
    """Every planner kind, built-in first: what ``[planner] kind`` and ``--planner`` accept."""
    discover_planners()
    return list(PLANNER_KINDS)


for _kind in (
    PlannerKind("rule", "vitron_agent.planners.rule:RulePlanner", takes_settings=False),
    PlannerKind("local", "vitron_agent.planners.local:LocalPlanner"),
    PlannerKind(
        "vitron",
        "vitron_agent.planners.vitron:VitronPlanner",
        required=("checkpoint",),
        example='checkpoint = "/path/to/local/model"',
        checkpoints={"checkpoint": "folder", "lora": "folder", "image_tower": "folder", "video_tower": "folder"},
    ),
    PlannerKind(
        "chat",
        "vitron_agent.planners.chat:ChatModelPlanner",
        required=("model_factory",),
        example='model_factory = "package.module:function" returning a langchain-core chat model (or build '
        "ChatModelPlanner(model) in Python)",
        factory="model_factory",
        takes_settings=False,
    ),
    PlannerKind(
        "openai",
        "vitron_agent.planners.openai_compat:OpenAICompatPlanner",
        required=("base_url", "model"),
        example='e.g. base_url = "http://localhost:8000/v1", model = "my-model"',
        from_env={"api_key": "api_key_env"},
        ignored=("checkpoint",),
    ),
):
    register_planner(_kind)


def build_planner(config: Any, kind: str | None = None) -> Any:
    """The planner of ``[planner]`` (``kind`` overrides ``[planner] kind``)."""
    from vitron_agent.toolkit.registry import resolve_checkpoint

    name = kind or config.planner.kind
    discover_planners()
    spec = PLANNER_KINDS.get(name)
    if spec is None:
        raise ConfigError(f"[planner] kind = {name!r} is not available; choose one of: {', '.join(PLANNER_KINDS)}")
    settings = dict(config.planner.model_extra or {})
    for key in spec.ignored:
        settings.pop(key, None)
    missing = [k for k in spec.required if not settings.get(k)]
    if missing:
        raise ConfigError(
            f"--planner {name} needs [planner] {' and '.join(missing)}"
            + (f" ({spec.example})" if spec.example else "")
            + " in vitron.toml"
        )
    for key, what in spec.checkpoints.items():
        if settings.get(key):
            settings[key] = resolve_checkpoint("planner", key, str(settings[key]), what, table="planner")
    for key, env_key in spec.from_env.items():
        env = settings.pop(env_key, None)
        if env:
            settings[key] = os.environ.get(env)
    cls = spec.cls()
    if not spec.takes_settings and spec.factory is None:
        return cls()
    if spec.factory is not None:
        factory = str(settings.pop(spec.factory))
        module, _, attr = factory.partition(":")
        if not module or not attr:
            raise ConfigError(f'[planner] {spec.factory} = {factory!r}: expected "package.module:function"')
        try:
            made = getattr(importlib.import_module(module), attr)()
        except (ImportError, AttributeError) as exc:
            raise ConfigError(f"[planner] {spec.factory} = {factory!r} cannot be loaded: {exc}") from None
        return cls(made)
    return construct(cls, settings, "planner")


def construct(cls: type, settings: dict[str, Any], table: str) -> Any:
    """``cls(**settings)``, an unknown setting named with the valid ones (its ``__init__`` parameters)."""
    params = [p for p in inspect.signature(cls.__init__).parameters if p not in ("self", "pool")]
    unknown = sorted(set(settings) - set(params))
    if unknown:
        raise ConfigError(f"[{table}] unknown setting(s) {', '.join(unknown)}; settings: kind, {', '.join(params)}")
    try:
        return cls(**settings)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[{table}] {exc}") from None
