"""Stuff by name -- the sky, clouds, trees -- and the sky's colour: the heuristic now beside the one
at a git revision (default: a5d7603, before the fixes of session s7), printed side by side.

    python benchmarks/stuff_check.py                  # photos from $STUFF_PHOTOS or /work/probe_s7/img
    python benchmarks/stuff_check.py --before <rev>   # compare with another revision

Photos: Plasma wallpapers (plasma-workspace-wallpapers 4:5.27.5-2, LGPL-3.0: Kite, Autumn,
DarkestHour, summer_1am, Path, SafeLanding, ColdRipple, OneStandsOut, BytheWater, Grey, as 800-px
JPEG copies named kite.jpg ...) and scikit-image's samples. None are in benchmarks/recognition/heldout.

References, made by hand for this check (see REFS): the sky above a horizon line traced on a 25-px
grid; the autumn tree's crown traced as a polygon; the kite photo's clouds = the pixels lighter than
L* 60 inside three boxes drawn round the three cloud banks (the sky = the rest, less the kite).
Presence cases: whether the mask covers >= 0.2 % (what the resolver calls found) on photos that
plainly have or lack trees / clouds; "unsure" (the method says so) is counted apart from right and
wrong. Sky colour: the main colour named (as the describe tool does) of sky pixels and swatches.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PHOTOS = Path(os.environ.get("STUFF_PHOTOS", "/work/probe_s7/img"))
BEFORE = "a5d7603"

# polygons (x, y) in the 800 x 500 copies
REFS = {
    "autumn_tree": [
        (395, 215), (410, 160), (445, 120), (505, 55), (515, 15), (600, 5), (800, 0), (800, 400),
        (700, 420), (560, 440), (500, 400), (470, 340), (410, 290),
    ],
    "darkesthour_sky": [(0, 0), (800, 0), (800, 265), (650, 285), (560, 305), (0, 305)],
    "summer_sky": [(0, 0), (800, 0), (800, 312), (550, 322), (0, 322)],
}  # fmt: skip
KITE_CLOUD_BOXES = [(0, 0, 125, 405), (600, 0, 800, 190), (735, 420, 800, 500)]
KITE_BOX = (505, 145, 580, 210)
# (photo, stuff kind, has it: True / False)
PRESENCE = [
    ("autumn", "trees", True), ("path", "trees", True), ("safelanding", "trees", True),
    ("bythewater", "trees", True), ("coffee", "trees", False), ("chelsea", "trees", False),
    ("coins", "trees", False), ("hubble_deep_field", "trees", False), ("astronaut", "trees", False),
    ("kite", "trees", False), ("summer", "trees", False), ("grey", "trees", False),
    ("moto_right", "trees", False), ("kite", "clouds", True), ("summer", "clouds", False),
    ("darkesthour", "clouds", False), ("path", "clouds", False), ("coffee", "clouds", False),
    ("chelsea", "clouds", False), ("grey", "clouds", False),
]  # fmt: skip
# sky colour: (what, expected main colour(s)); swatches are RGB triples
SKY_COLOURS = [
    ("kite", {"blue"}), ("darkesthour", {"blue"}), ("rocket", {"blue"}), ("camera", {"gray", "white"}),
    ("coldripple", {"gray", "white"}),
    ((22, 83, 148), {"blue"}), ((9, 63, 125), {"blue"}), ((70, 130, 200), {"blue"}), ((25, 35, 110), {"blue"}),
    ((90, 80, 160), {"blue"}), ((10, 20, 90), {"blue"}), ((4, 4, 16), {"black"}), ((125, 45, 170), {"purple"}), ((140, 60, 200), {"purple"}), ((75, 0, 130), {"purple"}),
    ((215, 40, 190), {"magenta"}), ((30, 200, 210), {"cyan"}), ((128, 128, 128), {"gray"}),
]  # fmt: skip


def photo(name: str) -> np.ndarray:
    from PIL import Image

    path = PHOTOS / f"{name}.jpg"
    if path.is_file():
        return np.asarray(Image.open(path).convert("RGB"))
    from skimage import data

    img = getattr(data, name)()
    return np.stack([img] * 3, -1) if img.ndim == 2 else img


def poly(points, shape) -> np.ndarray:
    import cv2

    m = np.zeros(shape, np.uint8)
    cv2.fillPoly(m, [np.array(points, np.int32)], 1)
    return m > 0


def kite_refs(img: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sky, clouds) of the kite photo (see the module docstring)."""
    from vitron_agent.perception.colors import rgb_to_lab

    light = rgb_to_lab(img)[..., 0] > 60
    clouds = np.zeros(img.shape[:2], bool)
    for x1, y1, x2, y2 in KITE_CLOUD_BOXES:
        clouds[y1:y2, x1:x2] = light[y1:y2, x1:x2]
    kite = np.zeros_like(clouds)
    x1, y1, x2, y2 = KITE_BOX
    kite[y1:y2, x1:x2] = True
    return ~clouds & ~kite, clouds


def old_stuff(rev: str):
    """The stuff module as it was at ``rev`` (its own file; the rest of the package is today's)."""
    src = subprocess.run(
        ["git", "show", f"{rev}:vitron_agent/perception/stuff.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    path = Path(tempfile.mkdtemp()) / "stuff_before.py"
    path.write_text(src)
    spec = importlib.util.spec_from_file_location("stuff_before", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run_mask(mod, img, kind, phrase=None):
    old_kind = kind if kind in mod.STUFF else mod.stuff_kind(phrase or kind)  # before: 'clouds' was the sky
    try:
        return mod.stuff_mask(img, kind, None, phrase)
    except TypeError:  # before: no phrase argument
        return mod.stuff_mask(img, old_kind or kind)


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / max(1, (a | b).sum()))


def mask_rows(before, after) -> list[tuple]:
    kite = photo("kite")
    sky, clouds = kite_refs(kite)
    cases = [
        ("kite", "sky", "the sky", sky),
        ("kite", "clouds", "the clouds", clouds),
        ("darkesthour", "sky", "the sky", poly(REFS["darkesthour_sky"], (500, 800))),
        ("summer", "sky", "the sky", poly(REFS["summer_sky"], (500, 800))),
        ("autumn", "trees", "the tree", poly(REFS["autumn_tree"], (500, 800))),
        ("autumn", "trees", "the orange tree", poly(REFS["autumn_tree"], (500, 800))),
    ]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from recognition import ROCKET_NOT_SKY, ROCKET_SKY, traced

    rocket = photo("rocket")
    gt = np.zeros(rocket.shape[:2], bool)
    gt[ROCKET_SKY[1] : ROCKET_SKY[3], ROCKET_SKY[0] : ROCKET_SKY[2]] = True
    for x1, y1, x2, y2 in ROCKET_NOT_SKY:
        gt[y1:y2, x1:x2] = False
    cases += [("rocket", "sky", "the sky", gt), ("camera", "sky", "the sky", traced("camera_sky", (512, 512)))]
    rows = []
    for name, kind, phrase, ref in cases:
        img = photo(name)
        b = run_mask(before, img, "sky" if kind == "clouds" else kind)[0]
        a = run_mask(after, img, kind, phrase)[0]
        rows.append((f"{name}: {phrase}", iou(b, ref), iou(a, ref)))
    return rows


def presence_rows(before, after) -> list[tuple]:
    rows = []
    for name, kind, has in PRESENCE:
        img = photo(name)
        b, _ = run_mask(before, img, "sky" if kind == "clouds" else kind)
        a, method = run_mask(after, img, kind)
        judge = ["right" if (m.mean() >= 0.002) == has else "wrong" for m in (b, a)]
        if "unsure" in method and judge[1] == "wrong":
            judge[1] = "unsure"
        rows.append((f"{name}: {kind} {'present' if has else 'absent'}", *judge))
    return rows


def main_colour(pixels: np.ndarray, image: np.ndarray) -> str:
    from vitron_agent.perception.colors import name_colors

    name_colors.memo_clear()
    colors = name_colors(pixels)
    chroma = next((c for c, f in colors if c not in ("gray", "black", "white") and f >= 0.12), None)
    return chroma or colors[0][0]


def colour_rows(after) -> list[tuple]:
    from vitron_agent.perception import colors

    rows = []
    for what, expected in SKY_COLOURS:
        if isinstance(what, tuple):
            img = np.full((8, 8, 3), what, np.uint8)
            px, label = img.reshape(-1, 3), f"swatch {what}"
        else:
            img = photo(what)
            px, label = img[after.stuff_mask(img, "sky")[0]], f"{what}: the sky"
        saved = colors.BLUE_CHROMA
        colors.BLUE_CHROMA = float("inf")  # before: colours named by distance only
        b = main_colour(px, img)
        colors.BLUE_CHROMA = saved
        a = main_colour(px, img)
        rows.append((label, "/".join(sorted(expected)), b, a, b in expected, a in expected))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help="git revision of the stuff module to compare with")
    args = parser.parse_args()
    from vitron_agent.perception import stuff as after

    before = old_stuff(args.before)
    print(f"Masks: IoU against the hand-made references (before = {args.before}, after = the working tree)")
    print(f"{'case':34s} {'before':>7s} {'after':>7s}")
    for label, b, a in mask_rows(before, after):
        print(f"{label:34s} {b:7.3f} {a:7.3f}")
    print("\nPresence (mask >= 0.2 % of the picture, as the resolver counts found)")
    print(f"{'case':34s} {'before':>7s} {'after':>7s}")
    rows = presence_rows(before, after)
    for label, b, a in rows:
        print(f"{label:34s} {b:>7s} {a:>7s}")
    for col, name in ((1, "before"), (2, "after")):
        got = [r[col] for r in rows]
        print(f"  {name}: {got.count('right')} right, {got.count('unsure')} unsure, {got.count('wrong')} wrong")
    print("\nSky colour: the main colour named (of today's sky mask; before = named by Lab distance only)")
    print(f"{'case':34s} {'expected':>11s} {'before':>8s} {'after':>8s}")
    crows = colour_rows(after)
    for label, exp, b, a, _, _ in crows:
        print(f"{label:34s} {exp:>11s} {b:>8s} {a:>8s}")
    print(f"  right: before {sum(r[4] for r in crows)}/{len(crows)}, after {sum(r[5] for r in crows)}/{len(crows)}")


if __name__ == "__main__":
    main()
