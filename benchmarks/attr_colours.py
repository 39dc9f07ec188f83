"""Colour words that pick a target (newcomer s12, class 6: "the brown spots" on the stained slide took the
purple tissue, "the red part" of a colour wheel a small blob, "the red box" the bike's stripes).

Cases: patches of a named colour pasted on scikit-image photos (spots, a box, a band, a leaf-like blob),
the whole picture then lit by a warm, cool or neutral light (each channel scaled), so the true region is
known to the pixel: 12 cases written before the fix. Tuning half: the first six; held out: the other six
(other photos, colours and lights). Prints, per case, the IoU of the segment step's mask with the patches.

    .venv/bin/python benchmarks/attr_colours.py

Measured 2026-12-08 (session 13, attr), the colour models as they are: tuning mean IoU 0.77 (5 of 6 at
0.5), held out 0.74 (4 of 6). Judging the colours against the light first (colors.against_light on the
whole picture before the colour mask) gave tuning 0.52 (3 of 6): worse on the tuning half, so not kept;
it did not change the newcomer's slide ("the brown spots": 51 % of the picture, the tissue, either way).
"the <colour> part / area / region / section" now takes the whole of the colour's regions (each at least a
tenth of the largest) instead of its purest blob: tuning 0.77 -> 0.85 (the moon's yellow part 0.52 -> 1.00),
held out 0.74 -> 0.58 (the brown part on the warm-lit grass photo 0.99 -> 0.05: the warm light makes a
large swathe of grass brown, and the whole of the brown is taken; a reading of "part" as one distinct
patch would have been right there). On scikit-image's colour wheel (hue sectors by HSV, written first):
"the red part" / "blue area" / "green region" IoU 0.30 / 0.26 / 0.26 -> 0.72 / 0.60 / 0.48, "the yellow
section" / "purple part" / "cyan area" 0.18 / 0.32 / 0.22 -> 0.68 / 0.35 / 0.70.
These pasted patches are saturated: the failures are a second region of the colour taken with the patch
(the blue box on bricks, the orange band on the rocket photo), not the light.
"""

from __future__ import annotations

import numpy as np

LIGHTS = {"warm": (1.12, 1.0, 0.78), "cool": (0.82, 0.97, 1.18), "neutral": (1.0, 1.0, 1.0)}
# photo, request (the colour word picks the target), patch RGB, shape, light
TUNE = [
    ("camera", "make the brown spots blue", (125, 80, 45), "spots", "cool"),
    ("coffee", "make the green box yellow", (40, 150, 60), "box", "warm"),
    ("astronaut", "make the purple band white", (120, 50, 150), "band", "warm"),
    ("gravel", "make the red spots green", (200, 30, 35), "spots", "warm"),
    ("moon", "make the yellow part red", (230, 200, 40), "blob", "cool"),
    ("brick", "make the blue box orange", (40, 70, 190), "box", "neutral"),
]
HELD_OUT = [
    ("chelsea", "make the green spots red", (60, 160, 70), "spots", "warm"),
    ("rocket", "make the orange band blue", (235, 130, 30), "band", "cool"),
    ("grass", "make the brown part blue", (110, 70, 40), "blob", "warm"),
    ("hubble_deep_field", "make the yellow box purple", (225, 205, 50), "box", "cool"),
    ("retina", "make the blue spots yellow", (40, 80, 200), "spots", "warm"),
    ("camera", "make the red band green", (205, 35, 40), "band", "neutral"),
]


def _photo(name: str) -> np.ndarray:
    import skimage.data as skdata

    img = getattr(skdata, name)()
    return np.ascontiguousarray(np.stack([img] * 3, -1) if img.ndim == 2 else img[..., :3])


def render(case) -> tuple[np.ndarray, np.ndarray]:
    """(picture HxWx3 uint8, the patches HxW bool): patches of the case's colour (with a little texture)
    pasted, then the whole picture lit by the case's light."""
    import cv2

    name, _, rgb, shape, light = case
    photo = _photo(name).astype(np.float32)
    h, w = photo.shape[:2]
    m = np.zeros((h, w), np.uint8)
    if shape == "spots":
        for i in range(7):
            cv2.circle(m, (int(w * (0.15 + 0.11 * i)), int(h * (0.3 + 0.08 * (i % 3)))), max(4, w // 60), 1, -1)
    elif shape == "box":
        cv2.rectangle(m, (int(w * 0.55), int(h * 0.55)), (int(w * 0.75), int(h * 0.78)), 1, -1)
    elif shape == "band":
        cv2.rectangle(m, (0, int(h * 0.42)), (w - 1, int(h * 0.5)), 1, -1)
    else:
        cv2.ellipse(m, (int(w * 0.4), int(h * 0.6)), (w // 7, h // 10), 30, 0, 360, 1, -1)
    rng = np.random.default_rng(0)
    shade = 1.0 + 0.08 * rng.standard_normal((h, w, 1)).astype(np.float32)
    photo[m > 0] = (np.array(rgb, np.float32) * shade)[m > 0]
    lit = np.clip(photo * np.array(LIGHTS[light], np.float32), 0, 255).astype(np.uint8)
    return lit, m > 0


def main() -> None:
    from vitron_agent.runtime.agent import Agent

    agent = Agent()
    for label, cases in (("tuning", TUNE), ("held-out", HELD_OUT)):
        ious = []
        for case in cases:
            picture, truth = render(case)
            r = agent.run(case[1], image=picture)
            seg = next((s for s in r.steps if s.tool == "segment"), None)
            if seg is None or seg.status != "ok":
                iou = 0.0
            else:
                mask = np.asarray(agent.load(seg.output("mask")), bool)
                iou = float((mask & truth).sum() / max(1, (mask | truth).sum()))
            ious.append(iou)
            print(
                f"{label[:4]} {case[0]:18} {case[1]!r:34} {case[4]:7} IoU {iou:.2f}  {r.answer.splitlines()[-1][:70]}"
            )
        print(f"{label}: mean IoU {np.mean(ious):.2f}, {sum(i >= 0.5 for i in ious)} of {len(ious)} at 0.5 or more")
    agent.close()


if __name__ == "__main__":
    main()
