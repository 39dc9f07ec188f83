"""Clips with faces whose boxes are known on every frame, for "blur the faces" and face tracks.

Made from real photos that ship in scikit-image: the astronaut and the cameraman filmed by a
moving camera (pan, zoom, tilt, a hand-held shake with motion blur, light falling and coming back,
a textured shape passing in front), and faces of scikit-image's LFW subset (25x25 crops of real
people, upscaled) walking over its other photos (one crossing another, small and far, through a
cut). The face's box on the still (BlazeFace on the clean photo or patch) moved by the same
geometry as the frame gives the truth on every frame, whatever a detector says there.

``face_clips(seeds)`` makes every kind for each seed; the benchmark keeps even seeds for tuning
and odd ones as the held-out half (written before the fixes they measure).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["FaceClip", "face_clips", "KINDS", "coverage"]

SIZE = (240, 320)  # frame height, width
FPS = 10.0
FRAMES = 40
ASTRONAUT_FACE = (173.0, 75.0, 277.0, 178.0)  # BlazeFace 0.88 on the 512x512 photo
CAMERAMAN_FACE = (184.0, 126.0, 256.0, 198.0)  # BlazeFace 0.77 (a three-quarter face)
LFW_FACE = (0.02, 0.15, 0.84, 0.97)  # where BlazeFace puts the face on an LFW crop (share of the crop)


@dataclass
class FaceClip:
    """``frames`` HxWx3 uint8 RGB; ``faces[i]`` the boxes (XYXY pixels) of the faces on frame i that
    need blurring (at least 40 % of the face in the frame and unoccluded); ``hidden[i]`` those that
    are on the frame but mostly covered or out of it (no blur needed, none harmful)."""

    name: str
    frames: list[np.ndarray]
    faces: list[list[tuple[float, float, float, float]]]
    fps: float = FPS
    hidden: list[list[tuple[float, float, float, float]]] = field(default_factory=list)


def _photo(name: str) -> np.ndarray:
    from skimage import data

    img = getattr(data, name)()
    if img.ndim == 2:
        img = np.stack([img] * 3, -1)
    return np.ascontiguousarray(img[..., :3])


def _lfw(k: int) -> np.ndarray:
    """LFW face ``k`` (0-99 are faces) as a 25x25x3 uint8 RGB patch."""
    from skimage import data

    g = (data.lfw_subset()[k] * 255).astype(np.uint8)
    return np.stack([g] * 3, -1)


def _camera(frame_no: int, scene: np.ndarray, centre, zoom: float, angle: float) -> np.ndarray:
    """The 2x3 affine taking scene pixels to frame pixels: the scene point ``centre`` at the frame's
    centre, scaled by ``zoom`` and rotated by ``angle`` degrees."""
    import cv2

    h, w = SIZE
    m = cv2.getRotationMatrix2D((float(centre[0]), float(centre[1])), angle, zoom)
    m[0, 2] += w / 2 - centre[0]
    m[1, 2] += h / 2 - centre[1]
    return m


def _move_box(m: np.ndarray, box) -> tuple[float, float, float, float]:
    """The bounding box of ``box``'s inscribed ellipse moved by the affine ``m`` (a tilted face's box
    stays tight)."""
    x1, y1, x2, y2 = box
    t = np.linspace(0, 2 * np.pi, 36, endpoint=False)
    pts = np.stack([(x1 + x2) / 2 + (x2 - x1) / 2 * np.cos(t), (y1 + y2) / 2 + (y2 - y1) / 2 * np.sin(t), np.ones(36)])
    q = m @ pts
    return float(q[0].min()), float(q[1].min()), float(q[0].max()), float(q[1].max())


def _visible(box, occluder: np.ndarray | None) -> float:
    """Share of ``box``'s inscribed ellipse inside the frame and not under ``occluder`` (HxW bool)."""
    h, w = SIZE
    x1, y1, x2, y2 = box
    ys, xs = np.mgrid[0:h, 0:w]
    cx, cy, ax, ay = (x1 + x2) / 2, (y1 + y2) / 2, max(1.0, (x2 - x1) / 2), max(1.0, (y2 - y1) / 2)
    inside = ((xs + 0.5 - cx) / ax) ** 2 + ((ys + 0.5 - cy) / ay) ** 2 <= 1
    area = np.pi * ax * ay
    seen = inside if occluder is None else inside & ~occluder
    return float(seen.sum()) / max(area, 1.0)


def _sort(clip: FaceClip, i: int, box, occluder: np.ndarray | None) -> None:
    (clip.faces if _visible(box, occluder) >= 0.4 else clip.hidden)[i].append(box)


def _disc(frame: np.ndarray, texture: np.ndarray, centre, radius: float) -> np.ndarray:
    """Paint a disc of ``texture`` (same size as the frame) at ``centre``; its HxW bool mask."""
    import cv2

    m = np.zeros(frame.shape[:2], np.uint8)
    cv2.circle(m, (int(centre[0]), int(centre[1])), int(radius), 1, -1)
    frame[m > 0] = texture[m > 0]
    return m > 0


def _filmed(name: str, rng: np.random.Generator, kind: str) -> FaceClip:
    """A photo with a face filmed by a moving camera: ``kind`` pan / zoom / tilt / shake / dark / occlude."""
    import cv2

    scene = _photo(name)
    face = ASTRONAUT_FACE if name == "astronaut" else CAMERAMAN_FACE
    fc = np.array([(face[0] + face[2]) / 2, (face[1] + face[3]) / 2])
    tex = cv2.resize(_photo(str(rng.choice(["rocket", "coffee", "brick"]))), SIZE[::-1])
    clip = FaceClip(f"{kind}-{name}", [], [[] for _ in range(FRAMES)], hidden=[[] for _ in range(FRAMES)])
    sign = float(rng.choice([-1, 1]))
    for i in range(FRAMES):
        t = i / (FRAMES - 1)
        centre, zoom, angle = fc.copy(), 0.9, 0.0
        if kind == "pan":  # the face slides from one side to the other, leaving the frame partly
            centre = fc + np.array([sign * (t - 0.5) * 380, 20 * np.sin(3 * t)])
        elif kind == "zoom":  # from close up to wide: the face shrinks to a third
            zoom, centre = 1.4 * (1 - t) + 0.45 * t, fc + np.array([0, 60 * t])
        elif kind == "tilt":  # the camera rolls to +-30 degrees and back
            angle = sign * 30 * np.sin(np.pi * t)
        elif kind == "shake":
            centre = fc + rng.normal(0, 14, 2)
            angle = float(rng.normal(0, 4))
        m = _camera(i, scene, centre, zoom, angle)
        frame = cv2.warpAffine(scene, m, SIZE[::-1], borderMode=cv2.BORDER_REPLICATE)
        box, occ = _move_box(m, face), None
        if kind == "shake" and i % 3 == 1:  # a jerk: motion blur along a random direction
            k = np.zeros((9, 9), np.float32)
            cv2.line(k, (0, int(rng.integers(0, 9))), (8, int(rng.integers(0, 9))), 1.0, 1)
            frame = cv2.filter2D(frame, -1, k / k.sum())
        if kind == "dark":  # light falls to a fifth and comes back
            frame = (frame.astype(np.float32) * (1 - 0.8 * np.sin(np.pi * t))).astype(np.uint8)
        if kind == "occlude":  # a textured disc crosses in front of the face
            cx = (box[0] + box[2]) / 2 + sign * (1 - 2 * t) * 200
            occ = _disc(frame, tex, (cx, (box[1] + box[3]) / 2 + 10), 0.6 * (box[2] - box[0]))
        clip.frames.append(frame)
        _sort(clip, i, box, occ)
    return clip


def _paste(frame: np.ndarray, patch: np.ndarray, x: float, y: float, size: int) -> tuple[float, ...] | None:
    """Paste the face ``patch`` resized to ``size`` at (x, y) (top-left) with a soft oval edge; the
    face's box in the frame, or None when it is off the frame."""
    import cv2

    h, w = SIZE
    p = cv2.resize(patch, (size, size), interpolation=cv2.INTER_CUBIC).astype(np.float32)
    a = np.zeros((size, size), np.float32)
    cv2.ellipse(a, (size // 2, size // 2), (int(size * 0.48), int(size * 0.5)), 0, 0, 360, 1.0, -1)
    a = cv2.GaussianBlur(a, (0, 0), max(1.0, size / 20))[..., None]
    x0, y0 = int(round(x)), int(round(y))
    sx1, sy1, sx2, sy2 = max(0, -x0), max(0, -y0), min(size, w - x0), min(size, h - y0)
    if sx2 <= sx1 or sy2 <= sy1:
        return None
    region = frame[y0 + sy1 : y0 + sy2, x0 + sx1 : x0 + sx2].astype(np.float32)
    al = a[sy1:sy2, sx1:sx2]
    frame[y0 + sy1 : y0 + sy2, x0 + sx1 : x0 + sx2] = (al * p[sy1:sy2, sx1:sx2] + (1 - al) * region).astype(np.uint8)
    fx1, fy1, fx2, fy2 = LFW_FACE
    return (x0 + fx1 * size, y0 + fy1 * size, x0 + fx2 * size, y0 + fy2 * size)


def _walkers(rng: np.random.Generator, kind: str) -> FaceClip:
    """LFW faces moving over a photo: ``walk`` (two faces, one passing the other), ``small`` (three
    faces 28-40 px across) or ``cut`` (a face, a shot with none, another face)."""
    import cv2

    bg_name = str(rng.choice(["rocket", "brick", "grass", "gravel", "chelsea"]))
    bg = cv2.resize(_photo(bg_name), SIZE[::-1])
    other = cv2.resize(_photo("coffee"), SIZE[::-1])
    ids = rng.choice(100, 3, replace=False)
    sizes = {"walk": (90, 70, 0), "small": (40, 34, 28), "cut": (80, 80, 0)}[kind]
    starts = [(rng.uniform(-60, 40), rng.uniform(20, 120)) for _ in range(3)]
    speeds = [(rng.uniform(5, 9), rng.uniform(-1.5, 1.5)), (rng.uniform(-9, -5), rng.uniform(-1.5, 1.5))]
    speeds.append((rng.uniform(-3, 3), rng.uniform(-1, 1)))
    starts[1] = (SIZE[1] - 20 + rng.uniform(-20, 20), starts[1][1])
    clip = FaceClip(f"{kind}-{bg_name}", [], [[] for _ in range(FRAMES)], hidden=[[] for _ in range(FRAMES)])
    for i in range(FRAMES):
        shot = 0 if kind != "cut" else (0 if i < 14 else 1 if i < 26 else 2)
        frame = (other if shot == 1 else bg).copy()
        for k, size in enumerate(sizes):
            if not size or shot == 1 or (kind == "cut" and k != shot // 2):
                continue
            x = starts[k][0] + speeds[k][0] * i if kind != "small" else 40 + 100 * k + speeds[k][0] * i
            y = starts[k][1] + speeds[k][1] * i if kind != "small" else 60 + 50 * (k % 2) + speeds[k][1] * i
            box = _paste(frame, _lfw(int(ids[k])), x, y, size)
            if box is not None:
                _sort(clip, i, box, None)
        clip.frames.append(frame)
    return clip


KINDS = ("pan", "zoom", "tilt", "shake", "dark", "occlude", "walk", "small", "cut")


def face_clips(seeds=(0, 1)) -> list[FaceClip]:
    """Every kind of clip for each seed (names end with the seed)."""
    out = []
    for seed in seeds:
        for j, kind in enumerate(KINDS):
            rng = np.random.default_rng(1000 * seed + j)
            if kind in ("walk", "small", "cut"):
                clip = _walkers(rng, kind)
            else:
                clip = _filmed("astronaut" if (seed + j) % 3 else "camera", rng, kind)
            clip.name = f"{clip.name}-{seed}"
            out.append(clip)
    return out


def coverage(mask: np.ndarray, box) -> float:
    """Share of the face's core (an ellipse 80 % as wide and 90 % as tall as ``box``, inside the
    frame) that ``mask`` (HxW bool) covers."""
    h, w = mask.shape
    x1, y1, x2, y2 = box
    ys, xs = np.mgrid[0:h, 0:w]
    cx, cy, ax, ay = (x1 + x2) / 2, (y1 + y2) / 2, max(1.0, 0.4 * (x2 - x1)), max(1.0, 0.45 * (y2 - y1))
    core = ((xs + 0.5 - cx) / ax) ** 2 + ((ys + 0.5 - cy) / ay) ** 2 <= 1
    if not core.any():
        return 1.0
    return float((mask & core).sum()) / float(core.sum())
