"""ModelPool: lazy loading, one instance per (checkpoint, device, dtype) per process,
a memory budget with least-recently-used offload, and a CUDA out-of-memory retry.

Constructors of model-backed tools store configuration only; weights load on the
first call through :meth:`ModelPool.get`. Devices and dtypes come from config
(``cpu``, ``cuda``, ``cuda:N``, ``auto``; ``float32``, ``float16``, ``bfloat16``,
``auto``), never hard-coded.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vitron_agent.core.errors import ConfigError, ToolFailed

__all__ = [
    "ModelKey",
    "ModelPool",
    "default_pool",
    "resolve_device",
    "resolve_dtype",
    "model_bytes",
    "is_oom",
    "quiet_hf",
]

OOM_FAILED = (
    "out of memory running {family} on {device} even after offloading every other model{needed}; "
    'use a smaller model, dtype = "float16", or another device'
)


@dataclass(frozen=True)
class ModelKey:
    """Identity of a loaded model: one instance per key per process."""

    family: str
    checkpoint: str
    device: str = "cpu"
    dtype: str = "float32"
    variant: str = ""


def quiet_hf() -> None:
    """Silence transformers / diffusers / hub progress bars and advisory logs (we report our own)."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("DIFFUSERS_VERBOSITY", "error")
    try:
        import transformers

        transformers.utils.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
    except Exception:  # transformers is optional
        pass


def resolve_device(device: str | None) -> str:
    """``auto`` -> ``cuda`` when available, else ``mps`` when available, else ``cpu``."""
    device = (device or "auto").strip().lower()
    import torch

    if device == "auto":
        if torch.cuda.is_available():
            return "cuda"
        mps = getattr(torch.backends, "mps", None)
        return "mps" if mps is not None and mps.is_available() else "cpu"
    if not re.fullmatch(r"cpu|mps|cuda(:\d+)?", device):
        raise ConfigError(f"device {device!r} is not one of: auto, cpu, mps, cuda, cuda:N")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ConfigError(
            f'device {device!r} was asked for but CUDA is not available on this machine; use device = "cpu" or "auto"'
        )
    return device


def resolve_dtype(dtype: str | None, device: str) -> Any:
    """torch dtype: ``auto`` -> float16 on CUDA, float32 elsewhere."""
    import torch

    name = (dtype or "auto").strip().lower()
    if name == "auto":
        return torch.float16 if device.startswith("cuda") else torch.float32
    table = {
        "float32": torch.float32,
        "fp32": torch.float32,
        "float16": torch.float16,
        "fp16": torch.float16,
        "half": torch.float16,
        "bfloat16": torch.bfloat16,
        "bf16": torch.bfloat16,
    }
    if name not in table:
        raise ConfigError(f"dtype {dtype!r} is not one of: auto, float32, float16, bfloat16")
    return table[name]


def _held(model: Any) -> Any:
    """The torch module inside a holder that has no ``to``/``parameters`` of its own
    (segment-anything's ``SamPredictor`` keeps its model as ``.model``)."""
    inner = getattr(model, "model", None)
    if not hasattr(model, "parameters") and not hasattr(model, "to") and hasattr(inner, "parameters"):
        return inner
    return model


def model_bytes(model: Any) -> int:
    """Bytes of parameters and buffers of a torch module (or a holder of one, such as a
    SamPredictor) or of a diffusers pipeline's modules."""
    model = _held(model)
    modules = [model]
    components = getattr(model, "components", None)
    if isinstance(components, dict):
        modules = [m for m in components.values() if hasattr(m, "parameters")]
    total = 0
    for m in modules:
        for t in list(getattr(m, "parameters", lambda: [])()) + list(getattr(m, "buffers", lambda: [])()):
            total += t.numel() * t.element_size()
    return total


def is_oom(exc: BaseException) -> bool:
    return type(exc).__name__ == "OutOfMemoryError" or "out of memory" in str(exc).lower()


def _needed(exc: BaseException) -> str:
    m = re.search(r"Tried to allocate ([\d.]+ [KMGT]i?B)", str(exc))
    return f" (it tried to allocate {m.group(1)})" if m else ""


class _Entry:
    def __init__(self, model: Any, device: str, nbytes: int):
        self.model = model
        self.device = device  # where it currently lives
        self.nbytes = nbytes


# Model loads are serialised process-wide: transformers / diffusers build models under
# accelerate's init_empty_weights, which patches torch.nn.Module.register_parameter for the whole
# process while it runs -- a model built in another thread at that moment (two steps of a plan
# loading SAM and a diffusers pipeline side by side) gets meta tensors and fails. Reentrant, so
# a loader that loads another model itself does not deadlock. Running models stays concurrent.
LOAD_LOCK = threading.RLock()


class ModelPool:
    """Loaded models by :class:`ModelKey`.

    Args:
        budget_bytes: most bytes of model weights resident on one device; when a load
            would exceed it, least recently used models on that device are offloaded
            (moved to CPU from an accelerator, dropped when already on CPU).
            None: no budget.
    """

    def __init__(self, budget_bytes: int | None = None):
        self.budget_bytes = budget_bytes
        self._entries: OrderedDict[ModelKey, _Entry] = OrderedDict()
        self._lock = threading.RLock()
        self._use_locks: dict[ModelKey, threading.Lock] = {}
        self.loads: list[ModelKey] = []
        self.offloads: list[ModelKey] = []

    def get(
        self, key: ModelKey, loader: Callable[[], Any], progress: Callable[[float, str], None] | None = None
    ) -> Any:
        """The model for ``key``, loading it with ``loader()`` on first use (or after eviction)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                if entry.device != key.device:
                    self._make_room(key.device, entry.nbytes, exclude=key)
                    entry.model = _move(entry.model, key.device)
                    entry.device = key.device
                return entry.model
        if progress:
            progress(0.0, f"loading {key.family} from {key.checkpoint}")
        start = time.perf_counter()
        with LOAD_LOCK:
            model = loader()
        nbytes = model_bytes(model)
        with self._lock:
            self._make_room(key.device, nbytes, exclude=key)
            self._entries[key] = _Entry(model, key.device, nbytes)
            self.loads.append(key)
        if progress:
            progress(0.05, f"loaded {key.family} ({nbytes / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s")
        return model

    def run(
        self,
        key: ModelKey,
        loader: Callable[[], Any],
        fn: Callable[[Any], Any],
        progress: Callable[[float, str], None] | None = None,
    ) -> Any:
        """``fn(model)``; on out-of-memory, offload every other model, retry once, then ToolFailed.

        Calls on one model are serialised (stateful predictors such as SamPredictor are
        not thread-safe); different models run concurrently."""
        with self._lock:
            use_lock = self._use_locks.setdefault(key, threading.Lock())
        with use_lock:
            return self._run_once_retry(key, loader, fn, progress)

    def _run_once_retry(self, key, loader, fn, progress):
        """Loading or moving the model counts as part of the call: an out-of-memory there
        is retried like one in ``fn``."""
        try:
            return fn(self.get(key, loader, progress))
        except Exception as exc:
            if not is_oom(exc):
                raise
        self.offload_all(except_key=key)
        _empty_cache()
        try:
            return fn(self.get(key, loader, progress))
        except Exception as exc2:
            if is_oom(exc2):
                _empty_cache()
                raise ToolFailed(
                    OOM_FAILED.format(family=key.family, device=key.device, needed=_needed(exc2))
                ) from None
            raise

    def offload(self, key: ModelKey) -> None:
        """Move ``key`` to CPU (or drop it when it is already on CPU)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return
            if entry.device == "cpu":
                del self._entries[key]
            else:
                entry.model = _move(entry.model, "cpu")
                entry.device = "cpu"
            self.offloads.append(key)

    def offload_all(self, except_key: ModelKey | None = None) -> None:
        with self._lock:
            for key in [k for k in self._entries if k != except_key]:
                self.offload(key)

    def resident(self, device: str | None = None) -> list[ModelKey]:
        """Keys of the models held, least recently used first (optionally on one device)."""
        with self._lock:
            return [k for k, e in self._entries.items() if device is None or e.device == device]

    def _make_room(self, device: str, nbytes: int, exclude: ModelKey) -> None:
        if self.budget_bytes is None:
            return
        used = sum(e.nbytes for k, e in self._entries.items() if e.device == device and k != exclude)
        for key in [k for k, e in self._entries.items() if e.device == device and k != exclude]:
            if used + nbytes <= self.budget_bytes:
                break
            used -= self._entries[key].nbytes
            self.offload(key)


def _move(model: Any, device: str) -> Any:
    held = _held(model)
    to = getattr(held, "to", None)
    if to is None:
        return model
    moved = to(device)
    if held is not model:
        if hasattr(model, "reset_image"):  # a SamPredictor's cached features stay on the old device
            model.reset_image()
        return model
    return moved


def _empty_cache() -> None:
    try:
        import torch

        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    except Exception:
        pass


_DEFAULT: ModelPool | None = None
_DEFAULT_LOCK = threading.Lock()


def default_pool() -> ModelPool:
    """The process-wide pool (budget from ``VITRON_MODEL_BUDGET_GB`` when set)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            gb = os.environ.get("VITRON_MODEL_BUDGET_GB")
            _DEFAULT = ModelPool(int(float(gb) * 1024**3) if gb else None)
        return _DEFAULT


class Bundle:
    """A model with its companions (processor, tokenizer, heads ...) that the pool moves and
    measures as one: ``Bundle(model, processor=p)``; parts are attributes."""

    def __init__(self, model: Any, **parts: Any):
        self.model = model
        for name, part in parts.items():
            setattr(self, name, part)
        self._parts = list(parts)

    def to(self, device: str) -> Bundle:
        self.model.to(device)
        for name in self._parts:
            part = getattr(self, name)
            if hasattr(part, "parameters") and hasattr(part, "to"):
                part.to(device)
        return self

    def parameters(self):
        return self.model.parameters()

    def buffers(self):
        return self.model.buffers()


class ModelBacked:
    """Shared settings of model-backed tools and planners: checkpoint, device, dtype, pool.

    Subclasses set ``family`` and call :meth:`_setup` in their constructor; weights load
    only through ``self.pool`` on first use.
    """

    family: str = "model"
    variant: str = ""

    def _setup(self, checkpoint: str, device: str, dtype: str, pool: ModelPool | None) -> None:
        self.checkpoint = str(checkpoint)
        self.device_setting, self.dtype_setting = device, dtype
        self.pool = pool or default_pool()

    @property
    def device(self) -> str:
        return resolve_device(self.device_setting)

    @property
    def torch_dtype(self) -> Any:
        return resolve_dtype(self.dtype_setting, self.device)

    @property
    def key(self) -> ModelKey:
        return ModelKey(self.family, self.checkpoint, self.device, str(self.torch_dtype), self.variant)
