"""Eye masks against hand-marked eyes (newcomer s12, class 7: "make his eyes red" painted discs about 3x
the eyes' size). Cases: three faces, each as it is, mirrored, at 0.6x and turned 12 degrees (the marked
eyes warped with the picture): 12 cases. Tuning half: the astronaut (4 cases); held out: Grace Hopper and
Groot (8 cases). Prints per case the IoU of the "eyes" mask with the marked eyes and its area over theirs.

    .venv/bin/python benchmarks/attr_eyes.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

PHOTOS = Path(sys.prefix) / "share" / "vitron-agent" / "eval-photos"
GROOT = Path(sys.prefix) / "lib" / "python3.11" / "site-packages" / "gradio" / "media_assets" / "images" / "groot.jpeg"
# each eye as a box x1, y1, x2, y2 (pixels of the original photo), marked by eye from 4x crops
EYES = {
    "astronaut": ((194, 96, 213, 104), (238, 97, 257, 105)),
    "grace_hopper": ((206, 183, 240, 198), (289, 179, 325, 196)),
    "groot": ((322, 153, 393, 192), (484, 137, 548, 182)),
}
TUNE = ("astronaut",)


def _photo(name: str) -> np.ndarray:
    from PIL import Image

    path = GROOT if name == "groot" else PHOTOS / f"{name}.png"
    return np.asarray(Image.open(path).convert("RGB"))


def _marked(shape: tuple[int, int], boxes) -> np.ndarray:
    import cv2

    m = np.zeros(shape, np.uint8)
    for x1, y1, x2, y2 in boxes:
        cv2.ellipse(m, ((x1 + x2) // 2, (y1 + y2) // 2), ((x2 - x1) // 2, (y2 - y1) // 2), 0, 0, 360, 1, -1)
    return m


def variants(image: np.ndarray, truth: np.ndarray):
    """(label, picture, marked eyes): as it is, mirrored, at 0.6x, turned 12 degrees about the centre."""
    import cv2

    h, w = truth.shape
    yield "as is", image, truth
    yield "mirrored", image[:, ::-1].copy(), truth[:, ::-1].copy()
    small = (int(w * 0.6), int(h * 0.6))
    yield "0.6x", cv2.resize(image, small, interpolation=cv2.INTER_AREA), cv2.resize(truth, small, interpolation=0)
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), 12, 1.0)
    yield "turned 12", cv2.warpAffine(image, turn, (w, h)), cv2.warpAffine(truth, turn, (w, h), flags=0)


def main() -> None:
    from vitron_agent.perception.recognise import face_region

    rows = {True: [], False: []}
    for name, boxes in EYES.items():
        image = _photo(name)
        for label, picture, truth in variants(image, _marked(image.shape[:2], boxes)):
            mask, _, _ = face_region(picture, "his eyes")
            t = truth.astype(bool)
            iou = (mask & t).sum() / max(1, (mask | t).sum())
            ratio = mask.sum() / max(1, t.sum())
            rows[name in TUNE].append(iou)
            print(f"{'tune' if name in TUNE else 'held':4}  {name:13} {label:10} IoU {iou:.2f}  area x{ratio:.1f}")
    for tune in (True, False):
        print(f"{'tuning' if tune else 'held-out'} mean IoU {np.mean(rows[tune]):.2f} over {len(rows[tune])} cases")


if __name__ == "__main__":
    main()
