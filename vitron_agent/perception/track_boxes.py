"""Following many objects by detection every k frames: a ByteTrack-style box tracker and the
in-between frames filled by interpolation.

Why not a library: supervision 0.31 moved ByteTrack out (to ``trackers``, which requires
``opencv-python`` beside the pinned ``opencv-python-headless`` and pulls ``inference-models``);
supervision 0.26 still has it but imports matplotlib on ``import supervision`` and also requires
``opencv-python``; norfair pins ``numpy<2``. ByteTrack's idea is small (Zhang et al. 2022): match
confident detections to the tracks' predicted boxes by IoU (Hungarian assignment, scipy), then the
leftover tracks to the low-score detections (a person half hidden keeps their track), start tracks
from confident leftovers, drop a track unseen for ``max_age`` keyframes. It is written here in
~100 lines against that description.

:func:`follow` runs a detector on keyframes only (every ``k`` frames, decoding every frame once and
keeping none) and follows every track in between by optical flow (pyramidal Lucas-Kanade on a grid
of points inside its box, at half size; the median shift moves the box), so the next keyframe's
detections are matched against where each object has moved to, and a track the detector misses for
a while keeps moving with its object. :func:`boxes_per_frame` gives each frame's boxes; a track is
also extended back to the keyframe before its first sighting (along its velocity), so a person
entering between two keyframes is covered from the first frame they may be on (what a blur needs).

Shot cuts (a film, a sports edit): :func:`follow` notices a cut (the 32x32 thumbnail changes by
more than :data:`CUT_JUMP` grey levels on average, and five times its recent typical change) and
ends every track there: optical flow never carries a box into the next shot (where it would sit on
whatever is there), a track lost at a cut is not picked up by a look-alike in the next shot, the
cut frame is looked at by the detector at once, and no box is extended back across it. The cuts
are kept in ``BoxTracker.cuts``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "BoxTracker",
    "Track",
    "follow",
    "boxes_per_frame",
    "detect_every",
    "keyframes",
    "stitch",
    "appearance",
    "CutTest",
]

HIGH = 0.5  # ByteTrack's split between confident and low-score detections
# a shot cut: the mean change of the 32x32 grey thumbnail (0-255) is over this and 5x its running median
# (measured on a real film edit: cuts 44-81, fast pans and motion blur within a shot at most 20)
CUT_JUMP = 30.0


def detect_every(frames: int, fps: float, seconds: float = 0.8) -> int:
    """The detection stride: every frame for short clips (up to 64 frames), else every ``seconds``
    (optical flow follows the boxes in between)."""
    return 1 if frames <= 64 else max(2, int(round(fps * seconds)))


def keyframes(frames: int, k: int, also: Iterable[int] = ()) -> list[int]:
    """Frames detection runs on: every ``k``-th, the last, and ``also``."""
    return sorted(set(range(0, frames, k)) | {frames - 1} | set(also))


def _iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of every box of ``a`` (Nx4 XYXY) with every box of ``b`` (Mx4)."""
    if not len(a) or not len(b):
        return np.zeros((len(a), len(b)))
    x1 = np.maximum(a[:, None, 0], b[None, :, 0])
    y1 = np.maximum(a[:, None, 1], b[None, :, 1])
    x2 = np.minimum(a[:, None, 2], b[None, :, 2])
    y2 = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    area = lambda r: (r[:, 2] - r[:, 0]) * (r[:, 3] - r[:, 1])  # noqa: E731
    return inter / np.maximum(area(a)[:, None] + area(b)[None, :] - inter, 1e-6)


@dataclass
class Track:
    """One object: ``seen`` its detected boxes (XYXY pixels) by keyframe, ``path`` its box on every
    frame from its first sighting (detected or followed by flow), ``scores`` the detector's."""

    id: int
    seen: dict[int, np.ndarray] = field(default_factory=dict)
    path: dict[int, np.ndarray] = field(default_factory=dict)
    scores: list[float] = field(default_factory=list)
    last_seen: int = -1
    last: int = -1
    look: np.ndarray | None = None  # appearance: a colour histogram, averaged over sightings

    def add(self, frame: int, box: np.ndarray, score: float, look: np.ndarray | None = None) -> None:
        self.seen[frame] = self.path[frame] = box
        self.last_seen = self.last = frame
        self.scores.append(score)
        if look is not None:
            self.look = look if self.look is None else 0.7 * self.look + 0.3 * look

    def velocity(self) -> np.ndarray:
        """Box change per frame over its last sightings (up to the last five)."""
        keys = sorted(self.seen)[-5:]
        a, b = keys[0], keys[-1]
        return (self.seen[b] - self.seen[a]) / (b - a) if b > a else np.zeros(4)

    def move(self, frame: int, box: np.ndarray) -> None:
        self.path[frame], self.last = box, frame


def appearance(frame: np.ndarray, box: np.ndarray) -> np.ndarray:
    """A colour signature of the box's middle: hue x saturation (12 x 4) and value (8) histograms, L1-normalised."""
    import cv2

    h, w = frame.shape[:2]
    x1, y1, x2, y2 = box
    cx1, cx2 = int(max(0, x1 + 0.2 * (x2 - x1))), int(min(w, x2 - 0.2 * (x2 - x1)))
    cy1, cy2 = int(max(0, y1 + 0.1 * (y2 - y1))), int(min(h, y2 - 0.1 * (y2 - y1)))
    if cx2 <= cx1 or cy2 <= cy1:
        return np.full(56, 1 / 56, np.float32)
    hsv = cv2.cvtColor(np.ascontiguousarray(frame[cy1:cy2, cx1:cx2]), cv2.COLOR_RGB2HSV)
    hs = cv2.calcHist([hsv], [0, 1], None, [12, 4], [0, 180, 0, 256]).reshape(-1)
    v = cv2.calcHist([hsv], [2], None, [8], [0, 256]).reshape(-1)
    sig = np.concatenate([hs / max(1.0, hs.sum()), v / max(1.0, v.sum())]).astype(np.float32) / 2
    return sig


def _unlike(a: np.ndarray | None, b: np.ndarray | None) -> float:
    """Bhattacharyya distance of two signatures (0 = the same colours, 1 = none shared); 0 when one is unknown."""
    if a is None or b is None:
        return 0.0
    return float(np.sqrt(max(0.0, 1.0 - np.sum(np.sqrt(a * b)))))


class BoxTracker:
    """ByteTrack's association on keyframes, optical flow in between, and a colour signature per
    track (a match must look alike; a track lost for a while is picked up again by a detection that
    looks like it where it should be by now). ``update(frame, boxes, scores, image)`` returns the
    ids given to the boxes (-1 for a low-score box that continues nothing)."""

    def __init__(self, max_gap: int, gate: float = 0.2, high: float = HIGH, unlike: float = 0.4):
        self.max_gap, self.gate, self.high, self.unlike = max_gap, gate, high, unlike
        self.tracks: list[Track] = []
        self.active: list[Track] = []
        self.cuts: list[int] = []  # first frames of the shots after the first
        # where the camera looked (a CameraPath fed each frame before it is updated here), when known
        self.camera = None
        self.width = 0

    def cut(self, frame: int) -> None:
        """A shot cut before ``frame``: every track ends (none is flowed or continued into the new shot)."""
        self.cuts.append(frame)
        self.active = []

    def _across_cut(self, before: int, frame: int) -> bool:
        return any(before < c <= frame for c in self.cuts)

    def _match(self, tracks: list[Track], boxes: np.ndarray, looks: list) -> list[tuple[int, int]]:
        from scipy.optimize import linear_sum_assignment

        if not tracks or not len(boxes):
            return []
        iou = _iou_matrix(np.stack([t.path[t.last] for t in tracks]), boxes)
        far = np.array([[_unlike(t.look, lk) for lk in looks] for t in tracks])
        heights = np.array([t.path[t.last][3] - t.path[t.last][1] for t in tracks])[:, None]
        ratio = (boxes[:, 3] - boxes[:, 1])[None, :] / np.maximum(heights, 1e-6)
        ok = (iou >= self.gate) & (far <= self.unlike) & (ratio >= 0.8) & (ratio <= 1.25)  # people keep their height
        rows, cols = linear_sum_assignment(-(iou - 0.5 * far) * ok)
        return [(r, c) for r, c in zip(rows, cols, strict=True) if ok[r, c]]

    def _lost_match(self, frame: int, box: np.ndarray, look) -> Track | None:
        """A track lost lately (not matched now) that this box continues: alike, near where it should be."""
        best, best_d = None, None
        width = box[2] - box[0]
        for t in self.tracks:
            if t.last_seen == frame or not (0 < frame - t.last_seen <= 3 * self.max_gap) or t.look is None:
                continue
            if self._across_cut(t.last_seen, frame):  # a look-alike in another shot is a guess, not a sighting
                continue
            if self._panned_out(t, frame):  # a still thing the camera left behind: not this one
                continue
            guess = t.seen[t.last_seen] + t.velocity() * (frame - t.last_seen)
            d = np.hypot(*((guess[:2] + guess[2:]) / 2 - (box[:2] + box[2:]) / 2)) / max(1.0, width)
            if d <= 2.0 and _unlike(t.look, look) <= 0.3 and (best_d is None or d < best_d):
                best, best_d = t, d
        return best

    def _panned_out(self, t: Track, frame: int) -> bool:
        """Whether ``t`` stood still in the scene while the camera panned (its box's inner edge moved with
        the picture) and the camera has since left it outside the frame: a look-alike now is another one."""
        from vitron_agent.perception.camera_motion import shift_box, still_in_scene

        cam = self.camera
        if cam is None or frame >= len(cam.offsets) or not self.width or not still_in_scene(t.seen, cam, self.width):
            return False
        moved = shift_box(t.seen[t.last_seen], cam, t.last_seen, frame)
        return moved[2] <= 0 or moved[0] >= self.width

    def update(self, frame: int, boxes: np.ndarray, scores: np.ndarray, image: np.ndarray | None = None) -> list[int]:
        if image is not None:
            self.width = image.shape[1]
        boxes = np.asarray(boxes, float).reshape(-1, 4)
        scores = np.asarray(scores, float).reshape(-1)
        looks = [appearance(image, b) if image is not None else None for b in boxes]
        ids = [-1] * len(boxes)
        self.active = [t for t in self.active if frame - t.last_seen <= self.max_gap]
        high = [i for i in range(len(boxes)) if scores[i] >= self.high]
        low = [i for i in range(len(boxes)) if scores[i] < self.high]
        free = list(self.active)
        for stage in (high, low):
            pairs = self._match(free, boxes[stage], [looks[i] for i in stage]) if stage else []
            for r, c in pairs:
                free[r].add(frame, boxes[stage[c]], float(scores[stage[c]]), looks[stage[c]])
                ids[stage[c]] = free[r].id
            taken = {free[r].id for r, _ in pairs}
            free = [t for t in free if t.id not in taken]
        for i in high:
            if ids[i] == -1:
                t = self._lost_match(frame, boxes[i], looks[i])
                if t is None:
                    t = Track(id=len(self.tracks))
                    self.tracks.append(t)
                if t not in self.active:
                    self.active.append(t)
                t.add(frame, boxes[i], float(scores[i]), looks[i])
                ids[i] = t.id
        return ids

    def flow(self, prev: np.ndarray, gray: np.ndarray, frame: int, scale: float) -> None:
        """Move every active track from ``frame - 1`` to ``frame`` by the median optical flow of a 4x4
        grid of points inside its box (``prev`` / ``gray``: the frames in gray at ``scale``)."""
        import cv2

        live = [t for t in self.active if t.last == frame - 1]
        if not live:
            return
        grids = []
        for t in live:
            x1, y1, x2, y2 = t.path[t.last] * scale
            gx = np.linspace(x1 + 0.2 * (x2 - x1), x2 - 0.2 * (x2 - x1), 4)
            gy = np.linspace(y1 + 0.2 * (y2 - y1), y2 - 0.2 * (y2 - y1), 4)
            grids.append(np.stack(np.meshgrid(gx, gy), -1).reshape(-1, 2))
        pts = np.concatenate(grids).astype(np.float32).reshape(-1, 1, 2)
        new, ok, _ = cv2.calcOpticalFlowPyrLK(prev, gray, pts, None, winSize=(15, 15), maxLevel=2)
        for j, t in enumerate(live):
            sl = slice(16 * j, 16 * j + 16)
            good = ok[sl].reshape(-1).astype(bool)
            box = t.path[t.last]
            if good.sum() >= 4:
                d = np.median((new[sl] - pts[sl]).reshape(-1, 2)[good], axis=0) / scale
                box = box + np.array([d[0], d[1], d[0], d[1]])
            t.move(frame, box)


def follow(
    frames: Iterable[np.ndarray],
    keys: list[int],
    detect: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
    tracker: BoxTracker,
    progress: Callable[[int], None] | None = None,
    scale: float = 0.5,
) -> int:
    """Run ``detect(frame) -> (Nx4 boxes, N scores)`` on the keyframes of ``frames`` and optical flow
    on every frame, feeding ``tracker``: one pass, no frame kept but the last one in gray. A shot cut
    ends every track (``tracker.cut``) and its first frame is detected on too. The frame count."""
    import cv2

    wanted, n, prev = set(keys), 0, None
    cuts = CutTest()
    for i, frame in enumerate(frames):
        n = i + 1
        small = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
        cut = cuts.is_cut(gray)
        if cut:
            tracker.cut(i)
        elif prev is not None:
            tracker.flow(prev, gray, i, scale)
        if i in wanted or cut:
            boxes, scores = detect(frame)
            tracker.update(i, boxes, scores, frame)
        prev = gray
        if progress is not None:
            progress(i)
    return n


class CutTest:
    """Whether each next frame (grey, any size) starts a new shot: its 32x32 thumbnail differs from the
    previous one by more than :data:`CUT_JUMP` and 5x the median of the last 30 changes within the shot."""

    def __init__(self) -> None:
        self.prev: np.ndarray | None = None
        self.diffs: list[float] = []

    def is_cut(self, gray: np.ndarray) -> bool:
        import cv2

        thumb = cv2.resize(gray, (32, 32), interpolation=cv2.INTER_AREA).astype(np.float32)
        prev, self.prev = self.prev, thumb
        if prev is None:
            return False
        diff = float(np.abs(thumb - prev).mean())
        cut = diff > max(CUT_JUMP, 5.0 * (float(np.median(self.diffs)) if self.diffs else 0.0))
        if not cut:
            self.diffs = (self.diffs + [diff])[-30:]
        return cut


def boxes_per_frame(
    tracks: list[Track], keys: list[int], frames: int, min_hits: int = 1, cuts: Iterable[int] = ()
) -> list[list[tuple]]:
    """Per frame, the (track id, XYXY box) of every track sighted on at least ``min_hits`` keyframes:
    its path (detected or followed), and back to the keyframe before its first sighting (never
    across a shot cut in ``cuts``) its first box joined with that box moved back along its velocity
    (a person walking in was already partly there, and a straight line is only a guess of where)."""
    out: list[list[tuple]] = [[] for _ in range(frames)]
    keys = sorted(set(keys) | set(cuts))
    pos = {k: j for j, k in enumerate(keys)}
    cuts = sorted(cuts)
    for t in tracks:
        if len(t.seen) < min_hits:
            continue
        first = min(t.seen)
        lo = keys[pos[first] - 1] + 1 if pos.get(first, 0) > 0 else 0
        lo = max([lo, *(c for c in cuts if c <= first)])
        v, box = t.velocity(), t.seen[first]
        for i in range(lo, first):  # before its first sighting: where its motion says it was, and where it was
            back = box - v * (first - i)  # first seen (someone walking in fast, or turning, is not where a
            out[i].append((t.id, np.concatenate([np.minimum(back[:2], box[:2]), np.maximum(back[2:], box[2:])])))
        for i, box in t.path.items():
            out[i].append((t.id, box))
    return out


def stitch(
    tracks: list[Track],
    max_gap: int,
    width: int,
    height: int,
    cuts: list[int] | tuple[int, ...] = (),
    camera=None,
) -> list[list[Track]]:
    """Tracklets joined into objects: a track that starts at most ``max_gap`` frames after another
    ended, within two box widths of where that one's motion puts it by then (still inside the
    ``width`` x ``height`` frame: one that walked out is not back) and alike in colour, continues
    it (an occlusion or a bad box broke it). Never across a shot cut in ``cuts`` (first frames of
    shots): a dog that ends at a cut and a kitten where the next shot starts are two things (they were
    joined, and "how many animals" said 2 for 3, sure). With ``camera`` (a
    :class:`~vitron_agent.perception.camera_motion.CameraPath`), a thing that stood still in the scene
    while the camera panned past it is not continued by a look-alike once the camera has left it outside
    the frame (two cups side by side were one). Each object is its tracks in time order."""
    from vitron_agent.perception.camera_motion import shift_box, still_in_scene

    groups: list[list[Track]] = []
    for t in sorted((t for t in tracks if t.seen), key=lambda t: min(t.seen)):
        start, box = min(t.seen), t.seen[min(t.seen)]
        best, best_d = None, 2.0
        for g in groups:
            end = max(g[-1].seen)
            if not 0 < start - end <= max_gap or any(end < c <= start for c in cuts):
                continue
            guess = g[-1].seen[end] + g[-1].velocity() * (start - end)
            cx, cy = (guess[0] + guess[2]) / 2, (guess[1] + guess[3]) / 2
            if not (0 <= cx <= width and 0 <= cy <= height) or _unlike(g[-1].look, t.look) > 0.45:
                continue
            if camera is not None and start < len(camera.offsets) and still_in_scene(g[-1].seen, camera, width):
                left = shift_box(g[-1].seen[end], camera, end, start)
                if left[2] <= 0 or left[0] >= width:
                    continue
            size = max(1.0, guess[2] - guess[0], box[2] - box[0])
            d = float(np.hypot(cx - (box[0] + box[2]) / 2, cy - (box[1] + box[3]) / 2)) / size
            if d <= best_d:
                best, best_d = g, d
        if best is None:
            groups.append([t])
        else:
            best.append(t)
    return groups
