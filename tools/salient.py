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

__all__ = ["salient_map", "salient_session", "SIZE"]

SIZE = 320
_MEAN = np.array([0.485, 0.456, 0.406], np.float32)
_STD = np.array([0.229, 0.224, 0.225], np.float32)
_sessions: dict[str, Any] = {}
_lock = threading.Lock()


def onnx_session(path: str) -> Any:
    """One onnxruntime CPU session per model file in this process (sessions are thread-safe)."""
    with _lock:
        if path not in _sessions:
            import onnxruntime as ort

            opts = ort.SessionOptions()
            opts.intra_op_num_threads = max(1, min(4, os.cpu_count() or 1))
            opts.log_severity_level = 3
            _sessions[path] = ort.InferenceSession(path, sess_options=opts, providers=["CPUExecutionProvider"])
        return _sessions[path]


def salient_session() -> Any:
    from vitron_agent.weights import embedded_path

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
