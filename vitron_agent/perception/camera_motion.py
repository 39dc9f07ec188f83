"""Where the camera looks on each frame of a shot: a pan's offsets, by phase correlation of consecutive frames.

A pan (or a hand-held drift) moves the whole picture by one shift from frame to frame; phase correlation of
two grey frames finds that shift to a fraction of a pixel, with a response that says how much of the
picture agrees (a still camera: 0 and a high response; a person walking across a still scene: ~0 too, the
background wins). ``CameraPath.offsets[i]`` is where frame ``i``'s top-left corner lies in the first
frame's coordinates ("scene" coordinates): a point ``(x, y)`` on frame ``i`` is ``(x + ox, y + oy)`` in
the scene, so a thing that stands still in the world keeps one place in the scene while the camera pans
over it. A shot cut (``cut(i)``) starts a new scene: offsets are only compared within one.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CameraPath", "in_scene", "shift_box", "steady_in_scene", "still_in_scene"]

SIDE = 160  # frames are compared at this width (phase correlation of a 160-px grey frame: ~0.3 ms)
SURE_RESPONSE = 0.1  # a peak weaker than this says nothing: the shift is taken as none


class CameraPath:
    """Feed every frame in order (``add``); ``offsets[i]`` = (x, y) of frame ``i`` in scene coordinates
    (pixels of the full frame), ``scene[i]`` the scene (shot) it belongs to, ``gray[i]`` the small grey
    frame kept for the frames in ``keep`` (float32, ``scale`` times the full size)."""

    def __init__(self, keep: set[int] | None = None):
        self.offsets: list[tuple[float, float]] = []
        self.scene: list[int] = []
        self.gray: dict[int, np.ndarray] = {}
        self.keep = keep
        self.scale = 1.0
        self._prev: np.ndarray | None = None
        self._window: np.ndarray | None = None

    def add(self, frame: np.ndarray, cut: bool = False) -> None:
        """Frame ``len(offsets)`` (HxWx3 uint8 RGB); ``cut``: it starts a new shot."""
        import cv2

        i = len(self.offsets)
        h, w = frame.shape[:2]
        self.scale = min(1.0, SIDE / w)
        small = cv2.resize(frame, (max(8, round(w * self.scale)), max(8, round(h * self.scale))))
        gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY).astype(np.float32)
        if self.keep is None or i in self.keep:
            self.gray[i] = gray
        if self._prev is None or cut:
            self.offsets.append((0.0, 0.0) if self._prev is None else self.offsets[-1])
            self.scene.append(self.scene[-1] + 1 if self.scene else 0)
        else:
            if self._window is None or self._window.shape != gray.shape:
                self._window = cv2.createHanningWindow(gray.shape[::-1], cv2.CV_32F)
            (dx, dy), response = cv2.phaseCorrelate(self._prev, gray, self._window)
            if response < SURE_RESPONSE:
                dx = dy = 0.0
            ox, oy = self.offsets[-1]
            # the picture moved by (dx, dy): the camera by the opposite
            self.offsets.append((ox - dx / self.scale, oy - dy / self.scale))
            self.scene.append(self.scene[-1])
        self._prev = gray

    def moved(self, a: int, b: int) -> float:
        """How far (pixels) the camera moved from frame ``a`` to frame ``b``."""
        return float(np.hypot(self.offsets[b][0] - self.offsets[a][0], self.offsets[b][1] - self.offsets[a][1]))


def shift_box(box: np.ndarray, path: CameraPath, src: int, dst: int) -> np.ndarray:
    """An XYXY box on frame ``src`` placed where the same piece of the scene lies on frame ``dst``."""
    dx = path.offsets[src][0] - path.offsets[dst][0]
    dy = path.offsets[src][1] - path.offsets[dst][1]
    return np.asarray(box, float) + np.array([dx, dy, dx, dy])


def in_scene(mask: np.ndarray, path: CameraPath, src: int, dst: int) -> tuple[np.ndarray, np.ndarray]:
    """(the HxW bool ``mask`` of frame ``src`` moved onto frame ``dst``, where frame ``dst`` saw what frame
    ``src`` saw: HxW bool) under the camera's shift between them (whole pixels)."""
    h, w = mask.shape
    dx = int(round(path.offsets[src][0] - path.offsets[dst][0]))
    dy = int(round(path.offsets[src][1] - path.offsets[dst][1]))
    out = np.zeros_like(mask)
    seen = np.zeros_like(mask)
    ys, yd = (slice(0, max(0, h - dy)), slice(dy, h)) if dy >= 0 else (slice(-dy, h), slice(0, max(0, h + dy)))
    xs, xd = (slice(0, max(0, w - dx)), slice(dx, w)) if dx >= 0 else (slice(-dx, w), slice(0, max(0, w + dx)))
    if abs(dx) < w and abs(dy) < h:
        out[yd, xd] = mask[ys, xs]
        seen[yd, xd] = True
    return out, seen


def still_in_scene(seen: dict[int, np.ndarray], path: CameraPath, width: int, last: int = 10) -> bool:
    """Whether a thing seen at ``seen`` (XYXY boxes by frame) stood still in the scene over its last ``last``
    sightings while the camera panned: the box edge away from the frame's border (the other is cut by it)
    moved with the picture, the camera moving at least a pixel a frame."""
    frames = sorted(seen)[-last:]
    if len(frames) < 3 or path.moved(frames[0], frames[-1]) < frames[-1] - frames[0]:
        return False
    misses = []
    for a, b in zip(frames, frames[1:], strict=False):
        pic = path.offsets[a][0] - path.offsets[b][0]  # how far the picture moved, in x
        edges = [e for e in (0, 2) if 1 < seen[a][e] < width - 1 and 1 < seen[b][e] < width - 1]
        if not edges:
            continue
        misses.append(min(abs((seen[b][e] - seen[a][e]) - pic) for e in edges) / max(1.0, abs(pic)))
    return bool(misses) and float(np.median(misses)) <= 0.5


STILL_IOU = 0.6  # masks that line up this well under the camera's motion: a thing still in the scene
VOTE = 0.5  # a pixel is the thing's where this share of the frames that saw it had it in the mask
VOTE_REACH = 30  # frames either side that vote


def _lined_up(masks: list[np.ndarray], path: CameraPath, step: int = 3) -> float:
    """The median IoU of masks ``step`` frames apart, one moved onto the other by the camera's shift (where
    both frames saw), over frames of one scene with both masks present; 0 when there are none."""
    ious = []
    for i in range(len(masks) - step):
        j = i + step
        if path.scene[i] != path.scene[j] or not masks[i].any() or not masks[j].any():
            continue
        moved, seen = in_scene(masks[i], path, i, j)
        a, b = moved & seen, masks[j] & seen
        union = (a | b).sum()
        if union:
            ious.append(float((a & b).sum() / union))
    return float(np.median(ious)) if ious else 0.0


def steady_in_scene(masks: list[np.ndarray], path: CameraPath) -> list[np.ndarray] | None:
    """A still thing's masks (HxW bool per frame) through a pan, each pixel voted on by every frame that saw
    that piece of the scene (up to :data:`VOTE_REACH` frames away): a part the segmenter missed on some
    frames -- the front of a motorbike entering at the frame's edge, where a salient segmenter sees little
    -- is kept where most frames that saw it had it. None (nothing changed) when the camera did not pan
    (under a tenth of the frame) or the masks do not line up under its motion (the thing moves itself)."""
    if not masks or len(path.offsets) != len(masks):
        return None
    w = masks[0].shape[1]
    if path.moved(0, len(masks) - 1) < 0.1 * w or _lined_up(masks, path) < STILL_IOU:
        return None
    out = []
    for i, m in enumerate(masks):
        votes = np.zeros(m.shape, np.int32)
        seen = np.zeros(m.shape, np.int32)
        for j in range(max(0, i - VOTE_REACH), min(len(masks), i + VOTE_REACH + 1)):
            if path.scene[j] != path.scene[i]:
                continue
            moved, saw = in_scene(masks[j], path, j, i)
            votes += moved
            seen += saw
        out.append(np.where(seen >= 3, votes >= VOTE * np.maximum(seen, 1), m))
    return out
