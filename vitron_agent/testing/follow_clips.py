"""Clips where one animal is followed through a gap while another one is about, with the truth.

Two cats from real photos (scikit-image's ``chelsea``, a tabby; gradio's ``cheetah2.jpg``, a
cheetah, which the COCO detector calls a cat 0.99), each a soft-edged cut-out, move over a real
photo (scikit-image's grass, gravel, brick, or coffee). A brick pillar stands in front of the
middle of the picture. The target is the first cat on screen (A); the other (B) is the distractor.

Kinds:

* ``swap``: A walks behind the pillar; while it is hidden, B walks the other way past where A was
  last seen; A comes out on the other side (right: follow A, never B);
* ``replaced``: A walks behind the pillar and stays there; B comes out of it (right: say A was
  lost; B is not A);
* ``lookalike``: A walks behind the pillar and stays; a tabby like A (mirrored, a shade darker)
  comes out (right: "found something similar (may be another one)", never a silent "followed");
* ``return``: A walks behind the pillar and comes out; B sits far off the whole time (right: A
  again after the gap);
* ``cross``: no gap: B walks across in front of A (right: A, not B, after they part).

``follow_clips(seeds)`` makes every kind for each seed; the benchmark keeps even seeds for tuning
and odd ones as the held-out half (written before the fixes they measure).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["FollowClip", "follow_clips", "KINDS", "on_box"]

SIZE = (240, 320)
FPS = 10.0
FRAMES = 48
PILLAR = (140, 200)  # x range of the pillar in front


@dataclass
class FollowClip:
    """``frames`` HxWx3 uint8 RGB; ``a[i]`` / ``b[i]`` the target's / the other one's box (XYXY) on
    frame i when at least half of it shows, else None; ``kind`` what should be said."""

    name: str
    kind: str
    frames: list[np.ndarray] = field(default_factory=list)
    a: list[tuple | None] = field(default_factory=list)
    b: list[tuple | None] = field(default_factory=list)
    fps: float = FPS


def _sprite(which: str) -> tuple[np.ndarray, np.ndarray]:
    """(RGB, alpha in [0, 1]) of a cat cut out as a soft-edged oval of its photo's main box."""
    import cv2

    if which in ("tabby", "lookalike"):
        from skimage import data

        img = data.chelsea()[0:297, 20:400]
        size = (112, 88)
    else:
        from PIL import Image

        from vitron_agent.testing.sample_clips import gradio_file

        img = np.array(Image.open(gradio_file("../test_data/cheetah2.jpg")).convert("RGB"))[66:753, 30:719]
        size = (100, 100)
    rgb = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
    if which == "lookalike":
        rgb = (rgb[:, ::-1].astype(np.float32) * 0.85).astype(np.uint8)
    a = np.zeros(size[::-1], np.float32)
    cv2.ellipse(a, (size[0] // 2, size[1] // 2), (int(size[0] * 0.5), int(size[1] * 0.5)), 0, 0, 360, 1.0, -1)
    return np.ascontiguousarray(rgb), cv2.GaussianBlur(a, (0, 0), 3)[..., None]


def _paste(frame: np.ndarray, sprite, x: float, y: float) -> tuple[float, float, float, float] | None:
    """Paste at (x, y) top-left; the visible box (None when less than half shows, pillar aside)."""
    rgb, al = sprite
    h, w = SIZE
    sh, sw = rgb.shape[:2]
    x0, y0 = int(round(x)), int(round(y))
    a, b, c, d = max(0, x0), max(0, y0), min(w, x0 + sw), min(h, y0 + sh)
    if c <= a or d <= b:
        return None
    reg = frame[b:d, a:c].astype(np.float32)
    al_c = al[b - y0 : d - y0, a - x0 : c - x0]
    frame[b:d, a:c] = (al_c * rgb[b - y0 : d - y0, a - x0 : c - x0] + (1 - al_c) * reg).astype(np.uint8)
    return (float(a), float(b), float(c), float(d))


def _shown(box, full_w: float) -> tuple | None:
    """The part of ``box`` not behind the pillar, when it is at least half of the sprite's width."""
    if box is None:
        return None
    x1, y1, x2, y2 = box
    left, right = (x1, min(x2, PILLAR[0])), (max(x1, PILLAR[1]), x2)
    part = max((p for p in (left, right) if p[1] > p[0]), key=lambda p: p[1] - p[0], default=None)
    if part is None or part[1] - part[0] < 0.5 * full_w:
        return None
    return (part[0], y1, part[1], y2)


def _paths(kind: str, rng: np.random.Generator) -> tuple[list, list, str]:
    """Per frame (x, y) top-left of A and of B (None: not drawn), and B's sprite."""
    ya, yb = rng.uniform(60, 110), rng.uniform(70, 120)
    va = rng.uniform(6.0, 8.0)
    a, b = [], []
    for i in range(FRAMES):
        xa = -20 + va * i
        if kind in ("replaced", "lookalike"):
            xa = min(xa, 120.0)  # walks behind the pillar and stays there
        a.append((xa, ya) if kind != "cross" else (40 + 2.0 * i, ya))
        if kind == "swap":
            b.append((330 - 9.0 * max(0, i - 14), yb) if i >= 14 else None)
        elif kind in ("replaced", "lookalike"):
            b.append((120 + 7.5 * (i - 24), ya + rng.uniform(-2, 2)) if i >= 24 else None)
        elif kind == "return":
            b.append((250.0, 150.0))
        else:  # cross: B walks right to left in front of A
            b.append((330 - 8.0 * i, ya + 15))
    sprite_b = "lookalike" if kind == "lookalike" else "cheetah"
    return a, b, sprite_b


KINDS = ("swap", "replaced", "lookalike", "return", "cross")


def _clip(kind: str, rng: np.random.Generator) -> FollowClip:
    import cv2
    from skimage import data

    bg_name = str(rng.choice(["grass", "gravel", "brick", "coffee"]))
    bg = getattr(data, bg_name)()
    bg = cv2.resize(np.stack([bg] * 3, -1) if bg.ndim == 2 else bg[..., :3], SIZE[::-1])
    brick = data.brick()
    pillar = np.stack([cv2.resize(brick, (PILLAR[1] - PILLAR[0], SIZE[0]))] * 3, -1)
    pillar = (pillar.astype(np.float32) * [1.0, 0.55, 0.4]).astype(np.uint8)  # a red-brown brick
    pa, pb, sb = _paths(kind, rng)
    sprites = {"a": _sprite("tabby"), "b": _sprite(sb)}
    clip = FollowClip(f"{kind}-{bg_name}", kind)
    for i in range(FRAMES):
        f = bg.copy()
        box_a = _paste(f, sprites["a"], *pa[i])
        box_b = _paste(f, sprites["b"], *pb[i]) if pb[i] is not None else None
        if kind == "cross" and box_a is not None and box_b is not None:  # B in front: A is hidden where B is
            ix = max(0.0, min(box_a[2], box_b[2]) - max(box_a[0], box_b[0]))
            box_a = None if ix > 0.5 * (box_a[2] - box_a[0]) else box_a
        if kind != "cross":
            f[:, PILLAR[0] : PILLAR[1]] = pillar
            box_a = _shown(box_a, sprites["a"][0].shape[1])
            box_b = _shown(box_b, sprites["b"][0].shape[1])
        clip.frames.append(f)
        clip.a.append(box_a)
        clip.b.append(box_b)
    return clip


def follow_clips(seeds=(0, 1)) -> list[FollowClip]:
    out = []
    for seed in seeds:
        for j, kind in enumerate(KINDS):
            clip = _clip(kind, np.random.default_rng(2000 * seed + j))
            clip.name = f"{clip.name}-{seed}"
            out.append(clip)
    return out


def on_box(mask: np.ndarray, box) -> bool:
    """Whether most of ``mask`` (HxW bool) lies in ``box`` (XYXY): the track is on that thing."""
    if box is None or not mask.any():
        return False
    ys, xs = np.nonzero(mask)
    x1, y1, x2, y2 = box
    inside = (xs >= x1 - 4) & (xs < x2 + 4) & (ys >= y1 - 4) & (ys < y2 + 4)
    return bool(inside.mean() >= 0.5)
