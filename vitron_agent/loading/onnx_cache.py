"""onnxruntime sessions whose graph optimisation is done once and kept on disk.

Building a session optimises the graph (constant folding, fusions, the CPU's layouts) before the
first run: 0.06-0.09 s of CPU for each of U²-Netp and the two EfficientNet-Lite2 graphs, in every
process. :func:`cached_session` saves the optimised graph once, in onnxruntime's own ORT format,
under :func:`~vitron_agent.loading.disk_cache.cache_dir` (``onnx-optimized/<model>-<key>.ort``),
and later processes load that file with optimisation switched off (0.015-0.025 s each). The
graph is the one onnxruntime would build in this process, so outputs are the same bit for bit
(tests/unit/test_session_cache.py checks it).

The key (:func:`~vitron_agent.loading.disk_cache.stamp`) covers the model file (path, size,
time), onnxruntime's version, this module's source and the CPU's instruction-set flags: an
optimised graph may use kernels of this CPU only (onnxruntime's documentation says so of layout
optimisations), so another CPU reading the same cache folder gets its own file. An unreadable
file is logged on ``vitron_agent.cache``, removed and built again; a folder that cannot be written,
or a model given as bytes, means optimising in every process, as before.
"""

from __future__ import annotations

import os
import platform
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from vitron_agent.loading.disk_cache import cache_dir, log, stamp

__all__ = ["cached_session", "optimized_path"]


@lru_cache(maxsize=1)
def _cpu() -> str:
    """The machine and the CPU's feature flags (what kernels an optimised graph may assume)."""
    flags = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            flags = next((line for line in f if line.startswith(("flags", "Features"))), "")
    except OSError:
        flags = platform.processor()
    return f"{platform.machine()} {' '.join(sorted(flags.split()))}"


def optimized_path(model: str | os.PathLike[str]) -> Path:
    """Where the optimised graph of ``model`` is kept (whether or not it exists yet)."""
    import onnxruntime as ort

    path = Path(model)
    key = stamp(path, ort.__version__, _cpu(), Path(__file__).read_bytes())
    return cache_dir() / "onnx-optimized" / f"{path.stem}-{key}.ort"


def _options(threads: int, optimize: bool) -> Any:
    """Session options: ``threads`` intra-op threads that sleep between operators rather than spin
    (onnxruntime's default keeps them busy-waiting after every operator: with the interpreter, the
    warm-up thread and other processes wanting the same cores, a resolve burnt 0.5 s more CPU for
    no gain in time, measured side by side at load 14; outputs are the same, only scheduling
    changes); the graph optimised here unless ``optimize`` is False (a kept optimised graph)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.log_severity_level = 3
    if not optimize:
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    return opts


def _session(source: Any, opts: Any) -> Any:
    import onnxruntime as ort

    return ort.InferenceSession(source, sess_options=opts, providers=["CPUExecutionProvider"])


def cached_session(source: str | os.PathLike[str] | bytes, threads: int) -> Any:
    """A CPU ``InferenceSession`` of ``source`` (an ONNX file, or its bytes) with ``threads``
    intra-op threads: from the kept optimised graph when there is one, else optimised here and
    the result kept for the next process."""
    if isinstance(source, bytes):
        return _session(source, _options(threads, True))
    target = optimized_path(source)
    if target.is_file():
        try:
            return _session(str(target), _options(threads, False))
        except Exception as exc:  # cut short, overwritten, another onnxruntime: say so, build again
            log.warning(
                "vitron-agent: the optimised graph %s cannot be read (%s); optimising %s again", target, exc, source
            )
            target.unlink(missing_ok=True)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
    except OSError:  # no writable cache: optimise in every process
        return _session(str(source), _options(threads, True))
    try:
        opts = _options(threads, True)
        opts.optimized_model_filepath = tmp
        opts.add_session_config_entry("session.save_model_format", "ORT")
        sess = _session(str(source), opts)
        if os.path.getsize(tmp):  # (an empty file: nothing was saved; keep nothing)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    stale = re.compile(re.escape(Path(source).stem) + r"-[0-9a-f]{32}\.ort")
    for old in target.parent.glob("*.ort"):  # older keys of this model: never read again
        if old != target and stale.fullmatch(old.name):
            old.unlink(missing_ok=True)
    return sess
