"""Segmentation quality and speed on scikit-image's photos: the weight-free GrabCut (cv backend)
against the embedded learned models (U²-Netp salient objects, LiteMedSAM boxes), side by side.

Reference masks: polygons traced by hand on a 25-pixel grid over each photo (below; about
±5 px on the outline): the cat in ``chelsea``, the astronaut in ``astronaut`` (the person,
her suit and the helmet she holds), the cup in ``coffee`` (with its handle; without the
saucer and the spoon). Each prompt kind is measured: words ("segment the cat": no prompt),
a click on the object, and a box (the reference's bounding box, 4 % margin).

    python benchmarks/segment_quality.py [--repeat 3]

Prints IoU with each reference and the median seconds of each method, and the speed ratio
GrabCut / learned on the cat.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REFERENCES = {
    "chelsea": {
        "target": "the cat",
        "click": (200, 130),
        "polygon": [
            (0, 300),
            (0, 95),
            (25, 75),
            (40, 40),
            (45, 5),
            (50, 0),
            (395, 0),
            (385, 30),
            (372, 70),
            (365, 110),
            (362, 150),
            (355, 195),
            (345, 230),
            (333, 265),
            (325, 300),
        ],
    },
    "astronaut": {
        "target": "the astronaut",
        "click": (230, 420),
        "polygon": [
            (230, 14),
            (190, 25),
            (158, 55),
            (153, 95),
            (170, 125),
            (160, 150),
            (128, 165),
            (117, 190),
            (112, 215),
            (70, 240),
            (45, 290),
            (28, 330),
            (20, 400),
            (22, 511),
            (511, 511),
            (508, 460),
            (490, 405),
            (455, 360),
            (400, 343),
            (362, 345),
            (360, 300),
            (350, 260),
            (330, 240),
            (305, 225),
            (300, 170),
            (280, 140),
            (290, 115),
            (300, 70),
            (285, 35),
            (260, 18),
        ],
    },
    "coffee": {
        "target": "the cup",
        "click": (290, 150),
        "polygon": [
            (175, 100),
            (178, 65),
            (200, 35),
            (240, 20),
            (290, 17),
            (340, 20),
            (380, 35),
            (400, 60),
            (405, 100),
            (400, 160),
            (390, 200),
            (375, 225),
            (345, 245),
            (320, 262),
            (300, 280),
            (270, 285),
            (255, 285),
            (250, 300),
            (230, 307),
            (208, 302),
            (198, 280),
            (200, 255),
            (212, 235),
            (200, 205),
            (185, 170),
        ],
    },
}


def reference_mask(name: str, shape: tuple[int, int]) -> np.ndarray:
    import cv2

    mask = np.zeros(shape, np.uint8)
    cv2.fillPoly(mask, [np.array(REFERENCES[name]["polygon"], np.int32)], 1)
    return mask > 0


def reference_box(name: str, shape: tuple[int, int], margin: float = 0.04) -> tuple[float, float, float, float]:
    ys, xs = np.nonzero(reference_mask(name, shape))
    h, w = shape
    mx, my = margin * w, margin * h
    return (max(0.0, xs.min() - mx), max(0.0, ys.min() - my), min(w - 1.0, xs.max() + mx), min(h - 1.0, ys.max() + my))


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / max(1, (a | b).sum()))


_TOOLS: dict[tuple[str, str], object] = {}


def segment_with(backend: str, settings: dict, image: np.ndarray, **prompt) -> tuple[np.ndarray, str, float]:
    """The segment tool of ``backend`` run through the agent's tool call on a fresh store (no
    cached embedding); (mask, method, seconds). Models are loaded before timing."""
    import tempfile

    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.toolkit.config import ToolConfig
    from vitron_agent.toolkit.registry import build_tool
    from vitron_agent.toolkit.tool import ToolContext, invoke

    key = (backend, repr(sorted(settings.items())))
    if key not in _TOOLS:
        _TOOLS[key] = build_tool("segment", ToolConfig(backend=backend, **settings))
    tool = _TOOLS[key]
    store = ArtifactStore(Path(tempfile.mkdtemp()), "bench")
    ref = store.put_image(image)
    ctx = ToolContext(store=store, step_id="s1")
    start = time.perf_counter()
    out = invoke(tool, {"image": ref.model_dump(), **prompt}, ctx)
    seconds = time.perf_counter() - start
    return store.get_mask(out.mask), out.method, seconds


def main() -> None:
    from skimage import data

    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    methods = {
        "cv (GrabCut)": ("cv", {}),
        "embedded (default)": ("embedded", {}),
        "embedded, box_model=lite_medsam": ("embedded", {"box_model": "lite_medsam"}),
    }
    rows, times = [], {}
    for name, ref in REFERENCES.items():
        image = getattr(data, name)()
        truth = reference_mask(name, image.shape[:2])
        x1, y1, x2, y2 = reference_box(name, image.shape[:2])
        prompts = {
            "words": {"target": ref["target"]},
            "click": {"point": {"x": ref["click"][0], "y": ref["click"][1]}},
            "box": {"box": {"x1": x1, "y1": y1, "x2": x2, "y2": y2}},
        }
        for kind, prompt in prompts.items():
            for label, (backend, settings) in methods.items():
                if kind != "box" and settings:
                    continue
                segment_with(backend, settings, image, **prompt)  # warm: models loaded, onnx sessions made
                secs = []
                for _ in range(args.repeat):
                    mask, method, s = segment_with(backend, settings, image, **prompt)
                    secs.append(s)
                times[(name, kind, label)] = statistics.median(secs)
                rows.append((name, kind, label, iou(mask, truth), statistics.median(secs), method))
    print(f"{'photo':10} {'prompt':6} {'method':34} {'IoU':>6} {'seconds':>8}  how")
    for name, kind, label, score, secs, method in rows:
        print(f"{name:10} {kind:6} {label:34} {score:6.3f} {secs:8.3f}  {method[:70]}")
    cat_cv = times[("chelsea", "words", "cv (GrabCut)")]
    cat_emb = times[("chelsea", "words", "embedded (default)")]
    print(
        f"\n'segment the cat' on the 451x300 cat: GrabCut {cat_cv:.3f} s, embedded {cat_emb:.3f} s "
        f"(GrabCut / embedded = {cat_cv / cat_emb:.2f}x)"
    )


if __name__ == "__main__":
    main()
