"""Faces followed through a clip so that a blur misses none: detect, look again, carry, pad.

BlazeFace alone finds a face on most frames, not all: a frame of motion blur, a tilt, a face half
out of the picture or half behind something, a small face far off, a dark frame, and the face on
frame 11 stays sharp between blurred frames 10 and 12. Privacy errs on the side of blurring, so:

1. **detect on every frame** (the whole frame, reporting from :data:`LOW`, below BlazeFace's own
   :data:`~vitron_agent.perception.faces.MIN_FACE`), and every :data:`TILE_S` seconds (and on the
   first frame of each shot) also on four overlapping quarters, each enlarged, for faces too small
   for the whole-frame look;
2. **associate** the faces frame to frame (IoU with the box each track predicts from its motion,
   or a centre within half a face; sizes within 2x) into tracks that end at a shot cut;
3. **look again** where a track expects its face and none was found: BlazeFace on a crop around
   the predicted box (the face is larger there), from :data:`LOW`;
4. **carry** a track across a miss of up to :data:`GAP_S` seconds (the box interpolated between the
   sightings on both sides) and past its first and last sighting by up to :data:`EDGE_S` (a face
   entering or leaving, or turning away), never across a cut;
5. **pad** each face's ellipse (:data:`PAD`, more on carried frames, where the box is a guess) and
   turn it with the line of the eyes.

A track is a face when BlazeFace scored it :data:`~vitron_agent.perception.faces.MIN_FACE` once, or
scored it from :data:`LOW` on :data:`FEW` frames (blurred too, and said). Every frame says how its
faces were had (:class:`FaceRun` counts them for the answer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from vitron_agent.perception.faces import MIN_FACE, Face

__all__ = ["FaceRun", "FaceTrack", "follow_faces", "LOW", "GAP_S", "EDGE_S", "PAD"]

LOW = 0.5  # a face this likely is blurred too: privacy errs on the side of blurring
FEW = 3  # frames scored from LOW that make a track a face though it never reached MIN_FACE
TILE_S = 0.5  # seconds between looks at the quarters for small faces
GAP_S = 0.6  # a track unseen this long between two sightings is carried across
EDGE_S = 0.3  # a track is carried this long past its first and last sightings
PAD = 0.12  # the face ellipse grows by this share; by PAD_STEP more a carried frame from a sighting
PAD_STEP = 0.06
PAD_MOST = 0.4
MAX_RELOOKS = 6  # second looks on one frame (each a model call)


@dataclass
class Sighting:
    """A face seen on a frame: its box (XYXY pixels), keypoints (6x2), score and how it was seen."""

    box: np.ndarray
    kps: np.ndarray
    score: float
    how: str  # "found" (whole frame or quarters), "again" (a second look where it was expected)


@dataclass
class FaceTrack:
    """One face: its sightings by frame and, once filled, its face on every frame it covers."""

    id: int
    shot: int
    seen: dict[int, Sighting] = field(default_factory=dict)
    faces: dict[int, tuple[Face, int]] = field(default_factory=dict)  # frame -> (face, frames from a sighting)

    @property
    def last(self) -> int:
        return max(self.seen)

    @property
    def best(self) -> float:
        return max(s.score for s in self.seen.values())

    def is_face(self) -> bool:
        scores = [s.score for s in self.seen.values()]
        return max(scores) >= MIN_FACE or len(scores) >= FEW

    def predict(self, frame: int) -> np.ndarray:
        """The box expected on ``frame``: the last one moved along the last two sightings' velocity."""
        frames = sorted(self.seen)
        box = self.seen[frames[-1]].box
        if len(frames) < 2:
            return box
        a, b = frames[-2], frames[-1]
        velocity = (self.seen[b].box - self.seen[a].box) / (b - a)
        return box + velocity * (frame - b)


@dataclass
class FaceRun:
    """The faces of a clip: tracks (faces only), shot cuts, and per frame how its faces were had."""

    frames: int
    tracks: list[FaceTrack]
    cuts: list[int]
    doubtful: list[FaceTrack] = field(default_factory=list)  # tracks that never reached MIN_FACE

    def faces_on(self, i: int) -> list[tuple[Face, int]]:
        return [t.faces[i] for t in self.tracks if i in t.faces]

    def counts(self) -> dict[str, int]:
        """Frames: ``found`` (BlazeFace from MIN_FACE on the frame or a quarter), ``again`` (only by a
        second look or a lower score), ``carried`` (a box carried across a miss), ``blurred`` (any)."""
        out = {"found": 0, "again": 0, "carried": 0, "blurred": 0}
        for i in range(self.frames):
            seen = [t.seen[i] for t in self.tracks if i in t.seen]
            covered = any(i in t.faces for t in self.tracks)
            out["blurred"] += covered
            if any(s.how == "found" and s.score >= MIN_FACE for s in seen):
                out["found"] += 1
            elif seen:
                out["again"] += 1
            elif covered:
                out["carried"] += 1
        return out


def _faces_in(image: np.ndarray, origin=(0, 0), scale: float = 1.0) -> list[Face]:
    """BlazeFace's faces from :data:`LOW` in ``image``, moved back to frame pixels (``image`` is a crop
    at ``origin`` enlarged ``scale`` times)."""
    from vitron_agent.perception.faces import detect_faces

    ox, oy = origin
    out = []
    if image.size == 0:
        return out
    for f in detect_faces(image, LOW):
        x1, y1, x2, y2 = f.box
        box = (ox + x1 / scale, oy + y1 / scale, ox + x2 / scale, oy + y2 / scale)
        kps = tuple((ox + x / scale, oy + y / scale) for x, y in f.keypoints)
        out.append(Face(f.score, box, kps))
    return out


def _crop(frame: np.ndarray, x1: float, y1: float, x2: float, y2: float) -> tuple[np.ndarray, tuple[int, int], float]:
    """The frame's region (clipped) enlarged so its longer side is 256 px (BlazeFace's input): (crop, origin, scale)."""
    import cv2

    h, w = frame.shape[:2]
    a, b, c, d = int(max(0, x1)), int(max(0, y1)), int(min(w, x2)), int(min(h, y2))
    if c - a < 16 or d - b < 16:  # (nearly) off the frame: nothing to look at
        return np.zeros((0, 0, 3), np.uint8), (a, b), 1.0
    crop = frame[b:d, a:c]
    scale = 256.0 / max(1, max(crop.shape[:2]))
    if scale > 1.0:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR)
    else:
        scale = 1.0
    return np.ascontiguousarray(crop), (a, b), scale


def _quarters(frame: np.ndarray) -> list[Face]:
    """Faces in four overlapping quarters of the frame (each about 60 % of its width and height)."""
    h, w = frame.shape[:2]
    cw, ch = 0.6 * w, 0.6 * h
    out = []
    for x0 in (0.0, w - cw):
        for y0 in (0.0, h - ch):
            crop, origin, scale = _crop(frame, x0, y0, x0 + cw, y0 + ch)
            out += _faces_in(crop, origin, scale)
    return out


def _merge(faces: list[Face]) -> list[Face]:
    """One face per place: of faces overlapping (IoU >= 0.3), the best scored."""
    from vitron_agent.perception.detector import box_iou

    kept: list[Face] = []
    for f in sorted(faces, key=lambda f: -f.score):
        if all(box_iou(f.box, k.box) < 0.3 for k in kept):
            kept.append(f)
    return kept


def _continues(predicted: np.ndarray, box: np.ndarray) -> float:
    """How well ``box`` continues a track expected at ``predicted``: IoU, or 0.15 for a centre within
    half a face (a fast face overlaps little); -1 when it does not (or sizes differ over 2x)."""
    from vitron_agent.perception.detector import box_iou

    pw, bw = predicted[2] - predicted[0], box[2] - box[0]
    if not 0.5 <= bw / max(pw, 1e-6) <= 2.0:
        return -1.0
    iou = box_iou(predicted, box)
    if iou >= 0.2:
        return iou
    d = np.hypot(*((predicted[:2] + predicted[2:]) / 2 - (box[:2] + box[2:]) / 2))
    return 0.15 if d <= 0.5 * max(pw, bw) else -1.0


class _Follower:
    """The online part: sightings per frame, associated into tracks."""

    def __init__(self, fps: float):
        from vitron_agent.perception.track_boxes import CutTest

        self.tracks: list[FaceTrack] = []
        self.cuts: list[int] = []
        self.shot = 0
        self.cut_test = CutTest()
        self.tile_every = max(1, int(round(TILE_S * fps)))
        self.max_gap = max(1, int(round(GAP_S * fps)))

    def live(self, i: int) -> list[FaceTrack]:
        return [t for t in self.tracks if t.shot == self.shot and i - t.last <= self.max_gap]

    def step(self, i: int, frame: np.ndarray) -> None:
        import cv2

        if self.cut_test.is_cut(cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY)):
            self.cuts.append(i)
            self.shot += 1
        faces = _faces_in(frame)
        if i % self.tile_every == 0 or (self.cuts and self.cuts[-1] == i):
            faces = _merge(faces + _quarters(frame))
        free = self._assign(i, faces, "found")
        looks = sorted((t for t in self.live(i) if i not in t.seen), key=lambda t: -t.best)[:MAX_RELOOKS]
        for t in looks:
            x1, y1, x2, y2 = t.predict(i)
            side = max(96.0, 3.0 * max(x2 - x1, y2 - y1))
            cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
            crop, origin, scale = _crop(frame, cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)
            found = [f for f in _faces_in(crop, origin, scale) if _continues(t.predict(i), np.array(f.box)) >= 0]
            if found:
                best = max(found, key=lambda f: _continues(t.predict(i), np.array(f.box)))
                t.seen[i] = Sighting(np.array(best.box), np.array(best.keypoints), best.score, "again")
        for f in free:
            t = FaceTrack(len(self.tracks), self.shot)
            t.seen[i] = Sighting(np.array(f.box), np.array(f.keypoints), f.score, "found")
            self.tracks.append(t)

    def _assign(self, i: int, faces: list[Face], how: str) -> list[Face]:
        """Give each face to the live track it continues best (greedy, best pairs first); the faces left."""
        pairs = []
        for t in self.live(i):
            guess = t.predict(i)
            for k, f in enumerate(faces):
                s = _continues(guess, np.array(f.box))
                if s >= 0:
                    pairs.append((s, t.id, k))
        used_t, used_f = set(), set()
        for _, tid, k in sorted(pairs, reverse=True):
            if tid in used_t or k in used_f:
                continue
            f = faces[k]
            self.tracks[tid].seen[i] = Sighting(np.array(f.box), np.array(f.keypoints), f.score, how)
            used_t.add(tid)
            used_f.add(k)
        return [f for k, f in enumerate(faces) if k not in used_f]


def _lerp(a: Sighting, b: Sighting, t: float) -> tuple[np.ndarray, np.ndarray]:
    return a.box + (b.box - a.box) * t, a.kps + (b.kps - a.kps) * t


def _fill(track: FaceTrack, fps: float, frames: int, bounds: tuple[int, int], size: tuple[int, int]) -> None:
    """The track's face on every frame it covers: sightings, boxes interpolated across misses of up to
    :data:`GAP_S`, and boxes carried past its ends by up to :data:`EDGE_S` along its motion (inside its
    shot ``bounds``, clipped to the frame ``size`` (h, w))."""
    h, w = size
    frames_seen = sorted(track.seen)
    gap, edge = max(1, int(round(GAP_S * fps))), max(1, int(round(EDGE_S * fps)))

    def put(i: int, box: np.ndarray, kps: np.ndarray, score: float, away: int) -> None:
        box = np.clip(box, 0, [w, h, w, h])
        if box[2] - box[0] >= 2 and box[3] - box[1] >= 2:
            track.faces[i] = (Face(score, tuple(map(float, box)), tuple(map(tuple, kps))), away)

    for i in frames_seen:
        s = track.seen[i]
        put(i, s.box, s.kps, s.score, 0)
    for a, b in zip(frames_seen, frames_seen[1:], strict=False):
        if 1 < b - a <= gap + 1:
            for i in range(a + 1, b):
                box, kps = _lerp(track.seen[a], track.seen[b], (i - a) / (b - a))
                put(i, box, kps, min(track.seen[a].score, track.seen[b].score), min(i - a, b - i))
    first, last = frames_seen[0], frames_seen[-1]
    ahead = track.predict(last + 1) - track.seen[last].box
    behind = (
        -(track.seen[frames_seen[1]].box - track.seen[first].box) / (frames_seen[1] - first)
        if len(frames_seen) > 1
        else np.zeros(4)
    )
    for k in range(1, edge + 1):
        if last + k < min(bounds[1], frames):
            put(last + k, track.seen[last].box + ahead * k, track.seen[last].kps, track.seen[last].score, k)
        if first - k >= bounds[0]:
            put(first - k, track.seen[first].box + behind * k, track.seen[first].kps, track.seen[first].score, k)


def follow_faces(
    frames: Iterable[np.ndarray],
    n: int,
    fps: float,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> FaceRun:
    """Every face of a clip (``frames``: ``n`` HxWx3 uint8 RGB frames at ``fps``), followed and filled
    as the module docstring says. ``progress(i)`` is called after frame i; ``cancelled()`` stops it
    (raises RuntimeError)."""
    follower = _Follower(fps)
    size = (0, 0)
    count = 0
    for i, frame in enumerate(frames):
        if cancelled is not None and cancelled():
            raise RuntimeError("cancelled")
        size = frame.shape[:2]
        follower.step(i, frame)
        count = i + 1
        if progress is not None:
            progress(i)
    n = count or n
    shots = [0, *follower.cuts, n]
    kept, doubtful = [], []
    for t in follower.tracks:
        if not t.is_face():
            continue
        _fill(t, fps, n, (shots[t.shot], shots[t.shot + 1]), size)
        kept.append(t)
        if t.best < MIN_FACE:
            doubtful.append(t)
    return FaceRun(n, kept, follower.cuts, doubtful)


def run_masks(run: FaceRun, shape: tuple[int, int], part: str = "face") -> Iterable[np.ndarray]:
    """HxW bool per frame: the padded, eye-line-turned ellipse of each face (``part`` "face"), or the
    part's discs (:func:`~vitron_agent.perception.faces.face_mask`)."""
    from vitron_agent.perception.faces import face_mask

    for i in range(run.frames):
        on = run.faces_on(i)
        if part != "face":
            yield face_mask(shape, [f for f, _ in on], part)
            continue
        m = np.zeros(shape, bool)
        for f, away in on:
            m |= face_mask(shape, [f], "face", pad=min(PAD_MOST, PAD + PAD_STEP * away), turn=True)
        yield m
