"""The resolver on 32 more referring expressions written in session 13 (recog, issue 42), before any
change they measure: package photos outside the recognition set's held-out half only (the right view
of scikit-image's motorcycle, gradio's groot.jpeg and test_data/cheetah2.jpg, and new phrases on
tuning-half photos: astronaut, coffee, chelsea, dogs_door, sunset, rowing_boats, china, nuthatch,
eiffel). No phrase repeats one of the tuning half's refs.json or of ``recognition_fresh.py``.
Kinds: names outside COCO (headlight, fuel tank, name tag, teaspoon, pebbles, fence post), place and
order words ("the dog on the right", "the second boat from the left"), size words ("the small bird"),
stuff (sky, lake, sun, trees) and parts (the engine, the nose), plurals ("the dogs", "the wheels").

Regions were drawn by hand on a 50-px grid over each photo, in the photo's pixels as
:func:`recognition_fresh._photo` gives it (native size for the motorcycle, the longer side 640 for
the others): coarse polygons, ellipses, boxes for box-like things. The split is by index (even: ``fit``,
may be looked at while changing the resolver; odd: ``held``, its figures only), fixed before any change.

    python benchmarks/recognition_s13.py [fit|held|both] [-v]

Per half: hit rate (box IoU >= 0.5, as the evaluation counts), the mask's own box, cIoU / gIoU,
refusals, answers said unsure, and milliseconds per expression.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from recognition_fresh import Case, _draw, _photo, score  # noqa: E402

Shape = tuple
BACK_WHEEL = ("ellipse", 158, 318, 78, 82)
FRONT_WHEEL = ("ellipse", 548, 362, 82, 88)
LOWER_DOG = ("poly", [(200, 287), (245, 283), (275, 300), (287, 340), (275, 385), (250, 395), (240, 415),
                      (222, 420), (205, 380), (198, 330)])  # fmt: skip
UPPER_DOG = ("poly", [(130, 160), (150, 150), (185, 150), (210, 170), (222, 210), (215, 255), (195, 260),
                      (160, 250), (135, 230), (128, 190)])  # fmt: skip
TOWER = ("poly", [(227, 67), (263, 200), (313, 400), (353, 453), (402, 590), (402, 640), (33, 640), (103, 453),
                  (140, 400), (193, 200)])  # fmt: skip

# (photo, sentence, shapes added, shapes taken away)
CASES: list[tuple[str, str, list[Shape], list[Shape]]] = [
    ("moto_r", "the front wheel", [FRONT_WHEEL], []),
    ("moto_r", "the headlight", [("ellipse", 480, 157, 24, 22)], []),
    ("moto_r", "the engine", [("poly", [(285, 250), (330, 238), (400, 235), (430, 250), (435, 300), (420, 350),
                                        (380, 372), (320, 375), (290, 350), (282, 300)])], []),
    ("moto_r", "the fuel tank", [("poly", [(270, 185), (320, 168), (390, 160), (420, 175), (415, 210), (380, 235),
                                           (320, 248), (278, 228)])], []),
    ("moto_r", "the white basket on the shelf", [("box", 538, 120, 600, 168)], []),
    ("groot", "the eye on the left", [("ellipse", 253, 122, 22, 13)], []),
    ("groot", "the tree creature", [("poly", [(127, 0), (407, 0), (400, 133), (400, 233), (467, 260), (587, 280),
                                              (640, 320), (640, 360), (27, 360), (100, 287), (200, 265), (200, 220),
                                              (153, 80)])], []),
    ("cheetah2", "the nose", [("ellipse", 313, 358, 45, 32)], []),
    ("cheetah2", "the eye on the right", [("ellipse", 400, 253, 42, 35)], []),
    ("astronaut", "the name tag", [("box", 279, 339, 328, 377)], []),
    ("astronaut", "the helmet on the right", [("poly", [(277, 400), (300, 360), (360, 343), (427, 347), (480, 380),
                                                        (510, 427), (512, 512), (280, 512)])], []),
    ("astronaut", "the shuttle model", [("box", 353, 0, 473, 287)], []),
    ("coffee", "the plate under the cup", [("ellipse", 278, 228, 200, 160)], [("ellipse", 290, 150, 118, 115)]),
    ("coffee", "the teaspoon", [("poly", [(327, 250), (330, 240), (370, 235), (385, 215), (395, 150), (405, 68),
                                          (423, 70), (415, 150), (400, 230), (405, 270), (395, 315), (365, 325),
                                          (330, 305)])], []),
    ("chelsea", "the tabby cat", [("poly", [(0, 0), (553, 0), (527, 80), (513, 167), (480, 267), (433, 426),
                                            (0, 426)])], []),
    ("chelsea", "the cat's eye on the left", [("ellipse", 243, 160, 50, 41)], []),
    ("dogs_door", "the dog on the right", [LOWER_DOG], []),
    ("dogs_door", "the fence post on the right", [("box", 373, 387, 426, 640)], []),
    ("sunset", "the sun", [("ellipse", 320, 173, 30, 30)], []),
    ("sunset", "the sky", [("poly", [(0, 0), (640, 0), (640, 180), (560, 183), (450, 190), (330, 195), (250, 195),
                                     (190, 200), (100, 205), (0, 215)])], []),
    ("rowing_boats", "the lake", [("poly", [(0, 150), (470, 150), (490, 160), (640, 165), (640, 185), (500, 190),
                                            (400, 195), (280, 198), (200, 203), (100, 207), (0, 225)])], []),
    ("rowing_boats", "the second boat from the left", [("poly", [(13, 373), (20, 310), (70, 255), (140, 210),
                                                                 (185, 203), (190, 220), (165, 260), (110, 300),
                                                                 (50, 345)])], []),
    ("rowing_boats", "the pebbles", [("poly", [(270, 262), (380, 250), (480, 240), (640, 235), (640, 400), (60, 400),
                                               (110, 340), (190, 290)])], []),
    ("china", "the water on the right", [("poly", [(330, 230), (550, 218), (550, 295), (500, 292), (450, 300),
                                                   (380, 320), (345, 320), (340, 245)])], []),
    ("china", "the trees on the right", [("poly", [(550, 140), (600, 135), (640, 150), (640, 427), (340, 427),
                                                   (350, 340), (420, 300), (500, 290), (548, 280), (545, 200)])], []),
    ("china", "the lowest roof", [("poly", [(200, 357), (300, 345), (340, 328), (370, 330), (355, 360), (320, 380),
                                            (280, 390), (210, 388)])], []),
    ("nuthatch", "the tree on the left", [("poly", [(0, 0), (240, 0), (250, 60), (250, 150), (255, 240), (275, 300),
                                                    (300, 360), (0, 360)])], []),
    ("nuthatch", "the small bird", [("poly", [(258, 125), (270, 130), (285, 170), (310, 205), (345, 228), (320, 232),
                                              (295, 235), (270, 225), (262, 180)])], []),
    ("eiffel", "the sky", [("box", 0, 0, 402, 640)], [TOWER]),
    ("dogs_door", "the dogs", [UPPER_DOG, LOWER_DOG], []),
    ("moto_r", "the wheels", [FRONT_WHEEL, BACK_WHEEL], []),
    ("groot", "the eye on the right", [("ellipse", 363, 113, 22, 13)], []),
]  # fmt: skip


def build_cases() -> list[Case]:
    cache: dict[str, np.ndarray] = {}
    out = []
    for photo, sentence, plus, minus in CASES:
        img = cache.setdefault(photo, _photo(photo))
        h, w = img.shape[:2]
        truth = np.zeros((h, w), bool)
        for s in plus:
            truth |= _draw(s, h, w)
        for s in minus:
            truth &= ~_draw(s, h, w)
        out.append(Case(photo, sentence, img, truth))
    return out


def main(half: str = "both", verbose: bool = False) -> int:
    cases = build_cases()
    for h in {"fit": [0], "held": [1], "both": [0, 1]}[half]:
        rows = []
        for i, c in enumerate(cases):
            if i % 2 != h:
                continue
            t0 = time.perf_counter()
            r = score(c)
            r["ms"] = 1000 * (time.perf_counter() - t0)
            rows.append((i, c, r))
            if verbose and h == 0:  # the held half: its figures only
                iou = r["n"] / r["u"] if r["u"] else 0.0
                print(
                    f"{i:2d} {'hit ' if r['hit'] else 'miss'} box {r['b']:.2f} mask {iou:.2f} {r['ms']:6.0f} ms "
                    f"{c.photo:12s} {c.sentence!r:34s} {r['said'][:180]}",
                    flush=True,
                )
        k = len(rows)
        hits = sum(r["hit"] for _, _, r in rows)
        mhits = sum(r["mhit"] for _, _, r in rows)
        inter, union = sum(r["n"] for _, _, r in rows), sum(r["u"] for _, _, r in rows)
        giou = float(np.mean([r["n"] / r["u"] if r["u"] else 0.0 for _, _, r in rows]))
        refused = sum(r["said"].startswith("refused") for _, _, r in rows)
        unsure = sum(r["said"].startswith("[unsure]") for _, _, r in rows)
        ms = float(np.median([r["ms"] for _, _, r in rows]))
        print(
            f"{('fit', 'held')[h]}: hit {hits}/{k} = {hits / k:.2f}, by the mask's box {mhits}/{k}, "
            f"cIoU {inter / max(1, union):.3f}, gIoU {giou:.3f}, refused {refused}, unsure {unsure}, "
            f"median {ms:.0f} ms an expression",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(next((a for a in args if not a.startswith("-")), "both"), "-v" in args))
