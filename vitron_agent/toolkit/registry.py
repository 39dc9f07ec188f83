"""The tool registry: every tool module declares the backends it provides.

A backend is one line at the bottom of its tool module (like segment-anything's model
registry, a dict of small builders)::

    register(Backend("segment", "cv", CvSegmentTool, default=True))
    register(Backend("segment", "segment-anything", SamSegmentTool, checkpoints={"checkpoint": "file"},
                     tiny="vitron_agent.testing.tiny_checkpoints:sam_table", group="sam"))

``checkpoints`` names the settings that are checkpoint paths (``file``, ``folder``, or
``folder?`` when optional; ``one_of`` when at least one of them must be set); every other
setting must be a parameter of the class's ``__init__`` (``check-config`` reports the rest).
``tiny`` names (``"module:function"``, imported only when tiny checkpoints are built, so no tool
module imports the testing package) a ``builder(root)`` that writes a tiny random checkpoint under
``root`` and returns the ``[tools.<name>]`` table that loads it (``make-tiny-checkpoints``).

Discovery imports the modules of ``vitron_agent.tools`` -- light: they import no model
library at import time -- and any module named in ``$VITRON_TOOL_MODULES``
(comma-separated) or :func:`discover`'s ``extra``: adding a tool is adding one module.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
import re
import string
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from vitron_agent.core.errors import ConfigError
from vitron_agent.toolkit.config import Config, ToolConfig
from vitron_agent.toolkit.plugins import import_plugin, plugin_names

__all__ = [
    "Backend",
    "register",
    "unregister",
    "discover",
    "backends",
    "backend_of",
    "default_backends",
    "tool_config",
    "build_tool",
    "resolve_checkpoint",
    "is_model_backend",
    "Traits",
    "StepWords",
    "declare",
    "traits",
    "SELECTS",
    "EDITS",
    "MASK_KINDS",
]


@dataclass(frozen=True)
class Backend:
    """One backend of one tool.

    Attributes:
        tool: the tool's name (``segment``); several backends share it.
        backend: the backend's name in ``[tools.<tool>] backend``.
        cls: the VisionTool class.
        default: the backend used when the config names none (one per tool at most).
        checkpoints: setting -> ``file`` | ``folder`` | ``folder?`` (optional), resolved to local paths.
        one_of: settings of which at least one must be given (e.g. edit's two pipelines).
        tiny: ``"module:function"`` of ``builder(root) -> table``: writes a tiny checkpoint, returns the
            settings that load it (resolved by :meth:`tiny_builder`).
        group: ``make-tiny-checkpoints`` group (several tools share one tiny checkpoint).
    """

    tool: str
    backend: str
    cls: type
    default: bool = False
    checkpoints: dict[str, str] = field(default_factory=dict)
    one_of: tuple[str, ...] = ()
    tiny: str | Callable[[Path], dict[str, Any]] | None = None
    group: str = ""

    def tiny_builder(self) -> Callable[[Path], dict[str, Any]]:
        """The tiny-checkpoint builder, imported now (``tiny`` may be a ``"module:function"`` string)."""
        if self.tiny is None:
            raise ValueError(f"backend {self.tool}/{self.backend} has no tiny checkpoint builder")
        if callable(self.tiny):
            return self.tiny
        module, _, func = self.tiny.partition(":")
        return getattr(importlib.import_module(module), func)

    @property
    def settings(self) -> list[str]:
        """The settings the class accepts (its ``__init__`` parameters, but the pool)."""
        return [
            p for p in inspect.signature(self.cls.__init__).parameters if p not in ("self", "pool", "args", "kwargs")
        ]


class StepWords(Protocol):
    """One plan step as a tool's ``phrase`` function sees it (built by graphs/step_phrases.py).

    Attributes:
        args: the step's arguments, references unresolved (``"$s1.mask"``).
        past: True for what the step did ("made it purple"), False for what it was to do ("make it
            purple": "I could not ...", "I did not ...").
        record: the step's run record (``outputs`` once it ran; ``{}`` before).
    """

    args: dict[str, Any]
    past: bool
    record: dict[str, Any]

    def verb(self, done: str, todo: str) -> str:
        """``done`` or ``todo``, by ``past``."""
        ...

    def it(self, medium: str = "picture") -> str:
        """What the step's mask or track selects: "it" right after the step that selected it, else
        its name ("the cat"), "everything except ..." outside it, "the <medium>" without one."""
        ...

    def named(self, ref: Any) -> str | None:
        """What the step that made ``ref`` names ("the cat"; "the region you marked"), or None when
        ``ref`` is no earlier step's output (or that step names nothing)."""
        ...

    def made_by_a_step(self, ref: Any) -> bool:
        """Whether ``ref`` is an earlier step's output ("$s1.mask")."""
        ...


@dataclass(frozen=True)
class Traits:
    """What the hold policy and the answer builder must know of a tool, declared once in its module
    beside its backends (``declare(Traits("edit", role="edit", destructive={"remove": "remove"}))``);
    a tool that declares nothing gets ``Traits(tool)``: no role, nothing destructive.

    Attributes:
        tool: the tool's name.
        role: ``"select"`` -- the step only picks what a later step looks at (a mask, a track, a box,
            a frame); a mask it made for a named target is checked for being suspiciously small.
            ``"edit"`` -- the step changes the content under the mask or track it is given: it is held
            when that mask is suspect. ``""`` -- neither.
        destructive: operation -> its words ("keep only"): edits that remove or replace content that
            cannot be got back from the result; held when their mask or track was an assumption.
        target: the argument that names what the step looks for ("": none; a selecting step with one
            is said by what it names: "selected the cat").
        operation: the argument that picks the operation (the keys of ``destructive``).
        said_empty: what the answer says when the step finished without text ("I found no readable
            text."); None: nothing.
        result_words: operation -> how the image it made is described ("cut-out (a PNG ...)").
        regions: the arguments that mark a region by hand (filled from the backends' Input fields of
            kind point, box, scribble or mask: a marked region is never an assumption).
        masks: the arguments that carry the mask or track the step works on (Input fields of kind mask
            or track).
        makes: the kinds of value the step outputs (its backends' Output fields: ``box``, ``mask``,
            ...); a selecting step that makes no mask or track only finds where something is.
        phrase: how the answer says the step, in words a person reads (no tool or step name): either
            ``(done, todo)`` templates (``("selected {target}", "select {target}")``; ``{target}`` is
            what the step names or works on, ``{it}`` what its mask selects, ``{prompt}`` its prompt)
            or a function of a :class:`StepWords` (for phrases that need the step's arguments:
            ``"rotated the picture 90° clockwise"``). None: a generic phrase ("ran <tool>").
    """

    tool: str
    role: str = ""
    destructive: dict[str, str] = field(default_factory=dict)
    target: str = "target"
    operation: str = "operation"
    said_empty: str | None = None
    result_words: dict[str, str] = field(default_factory=dict)
    regions: tuple[str, ...] = ()
    masks: tuple[str, ...] = ()
    makes: tuple[str, ...] = ()
    phrase: tuple[str, str] | Callable[[StepWords], str] | None = None


def _same(a: Traits, b: Traits) -> bool:
    """Equal declarations; a phrase function counts as the same by its qualified name (a module
    imported afresh declares a new function object)."""

    def key(t: Traits) -> Traits:
        f = t.phrase
        return replace(t, phrase=f"{f.__module__}.{f.__qualname__}") if callable(f) else t  # type: ignore[arg-type]

    return key(a) == key(b)


SELECTS, EDITS = "select", "edit"  # the roles a tool may declare
ROLES = ("", SELECTS, EDITS)
REGION_KINDS = {"point", "box", "scribble", "mask"}
MASK_KINDS = {"mask", "track"}
_REGISTRY: dict[tuple[str, str], Backend] = {}
_TRAITS: dict[str, Traits] = {}
_LOCK = threading.RLock()
_DISCOVERED: set[str] = set()
_VERSION = [0]  # bumped by every register / unregister / declare: what traits() remembers is of one version
_TRAIT_CACHE: dict[str, tuple[int, Traits]] = {}


def register(backend: Backend) -> Backend:
    """Declare ``backend`` (called by tool modules at import). Registering the same class
    twice is a no-op; another class under a taken name, or a second default, is an error."""
    with _LOCK:
        key = (backend.tool, backend.backend)
        old = _REGISTRY.get(key)
        if old is not None and old.cls is not backend.cls:
            if f"{old.cls.__module__}.{old.cls.__qualname__}" != f"{backend.cls.__module__}.{backend.cls.__qualname__}":
                raise ValueError(
                    f"tool {backend.tool!r} already has a backend {backend.backend!r} ({old.cls.__qualname__})"
                )
        if backend.default and any(
            b.default and b.tool == backend.tool and (b.tool, b.backend) != key for b in _REGISTRY.values()
        ):
            raise ValueError(f"tool {backend.tool!r} already has a default backend")
        _REGISTRY[key] = backend
        _VERSION[0] += 1
    return backend


def unregister(tool: str, backend: str) -> None:
    """Remove a backend (tests and plugins that are unloaded), and the tool's traits with its last
    backend; its module is discovered again on
    the next :func:`discover` only when it is imported afresh."""
    with _LOCK:
        _REGISTRY.pop((tool, backend), None)
        _VERSION[0] += 1
        if not any(t == tool for t, _ in _REGISTRY):  # its last backend: its declaration goes too
            _TRAITS.pop(tool, None)


def declare(declared: Traits) -> Traits:
    """Declare what the policy and the answer builder need of a tool (called by its module at import,
    once per tool). Declaring the same traits again is a no-op; different ones for a declared tool,
    or an unknown role, is an error."""
    if declared.role not in ROLES:
        raise ValueError(f"tool {declared.tool!r}: role {declared.role!r} is not one of {ROLES}")
    _check_phrase(declared)
    with _LOCK:
        old = _TRAITS.get(declared.tool)
        if old is not None and not _same(old, declared):
            raise ValueError(f"tool {declared.tool!r} already declared its traits: {old}")
        _TRAITS[declared.tool] = declared
        _VERSION[0] += 1
    return declared


PHRASE_FIELDS = ("target", "it", "prompt")  # what a phrase template may name


def _check_phrase(declared: Traits) -> None:
    """A phrase is a function, or two templates naming only :data:`PHRASE_FIELDS`."""
    phrase = declared.phrase
    if phrase is None or callable(phrase):
        return
    if not (isinstance(phrase, tuple) and len(phrase) == 2 and all(isinstance(t, str) for t in phrase)):
        raise ValueError(f"tool {declared.tool!r}: phrase must be (done, todo) templates or a function, got {phrase!r}")
    for template in phrase:
        names = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
        if unknown := sorted(names - set(PHRASE_FIELDS)):
            raise ValueError(
                f"tool {declared.tool!r}: phrase {template!r} names {', '.join(unknown)}; a template may name "
                f"{{{'}, {'.join(PHRASE_FIELDS)}}} (a function of the step can say anything else)"
            )


def traits(tool: str) -> Traits:
    """The declared traits of ``tool`` (``Traits(tool)`` when it declared none), with ``regions``
    and ``masks`` read from the Input fields of all its registered backends (their types say it),
    ``makes`` from their Output fields.
    Worked out once per tool and registry version (the policy asks several times a plan step).
    A hit is returned before discovery (listing the tools folder and the plugin variable cost
    ~12 µs, ~85 asks a 16-step turn): the first ask for a tool discovered, and every register,
    unregister or declare since then changes the version."""
    from vitron_agent.toolkit.tool import field_kinds

    hit = _TRAIT_CACHE.get(tool)  # (version, traits): one read of a dict entry, atomic
    if hit is not None and hit[0] == _VERSION[0]:
        return hit[1]
    discover()
    with _LOCK:  # the version, the backends and the declaration read together
        version = _VERSION[0]
        hit = _TRAIT_CACHE.get(tool)
        if hit is not None and hit[0] == version:
            return hit[1]
        found = dict(_REGISTRY)
        declared = _TRAITS.get(tool) or Traits(tool)
    regions: dict[str, None] = {}
    masks: dict[str, None] = {}
    makes: dict[str, None] = {}
    for (name, _), b in found.items():
        if name != tool:
            continue
        for arg, info in b.cls.Input.model_fields.items():
            kinds = field_kinds(info.annotation)
            if kinds & REGION_KINDS:
                regions[arg] = None
            if kinds & MASK_KINDS:
                masks[arg] = None
        for info in b.cls.Output.model_fields.values():
            makes.update(dict.fromkeys(sorted(field_kinds(info.annotation))))
    result = replace(declared, regions=tuple(regions), masks=tuple(masks), makes=tuple(makes))
    with _LOCK:
        _TRAIT_CACHE[tool] = (version, result)
    return result


_LISTED: dict[tuple[tuple[str, int], ...], list[str]] = {}  # the tools folder's modules, by (folder, mtime)


def _tool_modules() -> list[str]:
    """The modules of the ``vitron_agent.tools`` folder, listed again only when the folder changed
    (its mtime): listing it cost ~1.4 ms, and ``traits()`` (several calls a plan step) discovers."""
    import os

    # the package's folder, found without importing the package (tool modules import this one)
    spec = importlib.util.find_spec("vitron_agent.tools")
    folders = list(spec.submodule_search_locations or []) if spec else []
    key = tuple((f, os.stat(f).st_mtime_ns if os.path.isdir(f) else -1) for f in folders)
    names = _LISTED.get(key)
    if names is None:
        names = [f"vitron_agent.tools.{m.name}" for m in pkgutil.iter_modules(folders)]
        with _LOCK:
            _LISTED.clear()
            _LISTED[key] = names
    return names


def discover(extra: list[str] | None = None) -> None:
    """Import the tool modules (once each) so their backends are registered."""
    names = list(_tool_modules())
    names += plugin_names("VITRON_TOOL_MODULES")
    names += list(extra or [])
    for name in names:
        if name in _DISCOVERED:
            continue
        try:
            import_plugin(name)  # a module name, or a file path: examples/mirror_tool.py
        except (ImportError, OSError) as exc:
            raise ConfigError(f"tool module {name!r} cannot be imported: {exc}") from None
        with _LOCK:
            _DISCOVERED.add(name)


def backends() -> dict[tuple[str, str], Backend]:
    """Every registered backend, by ``(tool, backend)``, in registration order."""
    discover()
    with _LOCK:
        return dict(_REGISTRY)


# The built-in tools in the order planners and `tools --json` list them; other tools follow
# in registration order.
ORDER = (
    "segment",
    "ground",
    "edit",
    "describe",
    "count",
    "generate",
    "track",
    "edit_video",
    "describe_video",
    "frame",
    "animate",
    "generate_video",
    # the rest of the built-in tools, so that their order never depends on which module was imported first
    "detect",
    "read_text",
    "find_in_video",
    "count_in_video",
    "trim_video",
    "speed_video",
    "reverse_video",
    "loop_video",
    "mute_video",
    "fade_video",
    "freeze_frame",
    "highlight_video",
    "frame_sheet",
    "sharpest_frame",
    "concat_videos",
    "export_gif",
    "transform_video",
    "shot_video",
)


def default_backends() -> dict[str, str]:
    """tool -> its default backend (``none`` for tools that need a configured checkpoint)."""
    out: dict[str, str] = {}
    for (tool, name), b in backends().items():
        if b.default:
            out[tool] = name
        else:
            out.setdefault(tool, "none")
    rank = {t: i for i, t in enumerate(ORDER)}
    return dict(sorted(out.items(), key=lambda kv: rank.get(kv[0], len(rank))))


def is_model_backend(tool: str, backend: str) -> bool:
    """Whether the backend loads weights (has checkpoint settings)."""
    b = backends().get((tool, backend))
    return b is not None and bool(b.checkpoints)


def tool_config(config: Config, name: str) -> ToolConfig:
    """``[tools.<name>]``, or the tool's default backend when the config has no table."""
    return config.tools.get(name) or ToolConfig(backend=default_backends().get(name, "cv"))


def backend_of(name: str, cfg: ToolConfig) -> Backend:
    found = backends().get((name, cfg.backend))
    if found is None:
        known = sorted(b for (t, b) in backends() if t == name)
        if not known:
            raise ConfigError(
                f"[tools.{name}]: there is no tool named {name!r}; tools: "
                f"{', '.join(sorted({t for t, _ in backends()}))}"
            )
        raise ConfigError(
            f"[tools.{name}] backend = {cfg.backend!r} is not available; choose one of: {', '.join(known + ['none'])}"
        )
    return found


def build_tool(name: str, cfg: ToolConfig) -> Any:
    """One tool from its ``[tools.<name>]`` table (the same code in-process and in a Ray replica):
    unknown settings, missing or wrong checkpoints are ConfigErrors naming the setting."""
    b = backend_of(name, cfg)
    extra = dict(cfg.model_extra or {})
    unknown = sorted(set(extra) - set(b.settings))
    if unknown:
        raise ConfigError(
            f"[tools.{name}] unknown setting(s) {', '.join(unknown)} for backend {cfg.backend!r}; "
            f"settings: backend, timeout, execution{''.join(', ' + s for s in b.settings)}"
        )
    for key, kind in b.checkpoints.items():
        if key in extra:
            extra[key] = resolve_checkpoint(name, key, str(extra[key]), kind.rstrip("?"))
        elif not kind.endswith("?"):
            raise ConfigError(f'[tools.{name}] backend = {cfg.backend!r} needs {key} = "/path/to/local/checkpoint"')
    if b.one_of and not any(extra.get(k) for k in b.one_of):
        raise ConfigError(
            f"[tools.{name}] backend = {cfg.backend!r} needs {' and/or '.join(b.one_of)} (local checkpoint paths)"
        )
    try:
        tool = b.cls(**extra)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[tools.{name}] {exc}") from None
    if cfg.timeout is not None:
        tool.timeout = cfg.timeout
    return tool


def resolve_checkpoint(tool: str, key: str, value: str, kind: str, table: str | None = None) -> str:
    """A local path (checked to exist, of the right kind) or a Hugging Face repo id found in the
    local cache (never downloaded); anything else is a ConfigError naming the setting."""
    where = table or f"tools.{tool}"
    if value.startswith("package:"):
        from vitron_agent.loading.weights import resolve_source

        return str(resolve_source(value, kind=kind, where=f"[{where}] {key}"))
    p = Path(value).expanduser()
    if p.exists():
        if kind == "file" and not p.is_file():
            raise ConfigError(f"[{where}] {key} = {value!r} is a folder; expected a checkpoint file")
        if kind == "folder" and not p.is_dir():
            raise ConfigError(f"[{where}] {key} = {value!r} is a file; expected a saved model folder")
        return str(p.resolve())
    if kind == "folder" and re.fullmatch(r"[\w.-]+/[\w.-]+", value):
        try:
            from huggingface_hub import snapshot_download

            return snapshot_download(value, local_files_only=True)
        except Exception:
            raise ConfigError(
                f"[{where}] {key} = {value!r} is neither a local folder nor a repo in the local "
                "Hugging Face cache (nothing is downloaded): give the path of a local copy"
            ) from None
    raise ConfigError(f"[{where}] {key} = {value!r} does not exist; set it to the local checkpoint path")
