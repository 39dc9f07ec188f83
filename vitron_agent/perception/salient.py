"""U²-Netp salient-object maps from the embedded ``rembg/u2netp.onnx`` (MIT), run with onnxruntime.

Preprocessing as the model was trained (rembg): RGB resized to 320x320, divided by its
maximum, normalised with ImageNet mean/std, NCHW; the first output (1x1x320x320) is
min-max normalised and resized back to the image.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import numpy as np

from vitron_agent.perception.masks import components, fill_holes

__all__ = ["salient_map", "salient_session", "object_in_box", "salient_objects", "SIZE"]

SIZE = 320
_MEAN = np.array([0.485, 0.456, 0.406], np.float32)
_STD = np.array([0.229, 0.224, 0.225], np.float32)
_sessions: dict[str, Any] = {}
_lock = threading.Lock()


def _threads() -> int:
    """``OMP_NUM_THREADS`` when set (a batch worker's share of the cores), else up to 4."""
    try:
        return max(1, int(os.environ.get("OMP_NUM_THREADS", "")))
    except ValueError:
        return max(1, min(4, os.cpu_count() or 1))


def onnx_session(path: str) -> Any:
    """One onnxruntime CPU session per model file in this process (sessions are thread-safe); a
    ``.json`` path is a TF.js graph model, read into ONNX by :mod:`vitron_agent.loading.tfjs` once and
    kept on disk (:func:`~vitron_agent.loading.tfjs.cached_onnx`); the graph is optimised once and kept too
    (:func:`~vitron_agent.loading.onnx_cache.cached_session`: the same outputs, a quarter of the set-up)."""
    with _lock:
        if path not in _sessions:
            from vitron_agent.loading.onnx_cache import cached_session

            source: Any = path
            if path.endswith(".json"):
                from vitron_agent.loading.tfjs import cached_onnx

                source = cached_onnx(path)
            _sessions[path] = cached_session(source, _threads())  # the optimised graph kept on disk
        return _sessions[path]


def salient_session() -> Any:
    from vitron_agent.loading.weights import embedded_path

    return onnx_session(str(embedded_path("u2netp")))


def salient_map(image: np.ndarray) -> np.ndarray:
    """HxW float32 in 0..1: how much each pixel belongs to the most prominent object."""
    import cv2

    h, w = image.shape[:2]
    x = cv2.resize(image, (SIZE, SIZE), interpolation=cv2.INTER_LANCZOS4).astype(np.float32)
    x = (x / max(float(x.max()), 1e-6) - _MEAN) / _STD
    sess = salient_session()
    out = sess.run(None, {sess.get_inputs()[0].name: x.transpose(2, 0, 1)[None]})[0][0, 0]
    lo, hi = float(out.min()), float(out.max())
    out = (out - lo) / max(hi - lo, 1e-6)
    return cv2.resize(out.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)


def object_in_box(
    image: np.ndarray, x1: float, y1: float, x2: float, y2: float, pad: float = 0.1, spill: bool = False
) -> np.ndarray:
    """HxW bool: the salient object of a window padded by ``pad`` around the box (XYXY pixels),
    limited to the box -- or, with ``spill`` (a detector's box, which often cuts a wheel or a
    hand off), to the padded window. Measured against LiteMedSAM's box prompt by
    benchmarks/segment_quality.py."""
    from vitron_agent.perception.masks import components, fill_holes

    h, w = image.shape[:2]
    x1, y1, x2, y2 = int(x1), int(y1), int(min(x2, w)), int(min(y2, h))
    px, py = max(2, int((x2 - x1) * pad)), max(2, int((y2 - y1) * pad))
    cx1, cy1, cx2, cy2 = max(0, x1 - px), max(0, y1 - py), min(w, x2 + px), min(h, y2 + py)
    prob = salient_map(image[cy1:cy2, cx1:cx2])
    comps = components(prob > 0.5, min_pixels=max(4, prob.size // 5000))
    local = np.zeros(prob.shape, bool)
    if comps:
        big = comps[0].sum()
        local = fill_holes(np.logical_or.reduce([c for c in comps if c.sum() >= 0.15 * big]))
    mask = np.zeros((h, w), bool)
    mask[cy1:cy2, cx1:cx2] = local
    if spill:
        return mask
    inside = np.zeros((h, w), bool)
    inside[y1 : y2 + 1, x1 : x2 + 1] = True
    return fill_holes(mask & inside)


def salient_objects(prob: np.ndarray, keep: float = 0.15) -> np.ndarray:
    """The salient mask: components of prob > 0.5 at least ``keep`` of the largest one's size."""
    comps = components(prob > 0.5, min_pixels=max(4, prob.size // 5000))
    if not comps:
        return np.zeros(prob.shape, bool)
    big = comps[0].sum()
    return fill_holes(np.logical_or.reduce([c for c in comps if c.sum() >= keep * big]))
