"""Two tracks that are pieces of one thing the camera passes over: joined, and said.

A thing larger than the frame is never whole on one frame of a pan: its front enters at one edge while
its rear leaves at the other, and the detector, which saw it as one box while it filled the frame, may
see the two halves as two things (the newcomer's pan over one motorbike: "2 distinct motorbikes ... sure:
100%"). Box overlap cannot tell that from two things side by side. What tells it is the scene: under the
camera's motion (:mod:`vitron_agent.perception.camera_motion`), the piece of the world the second track
holds on frame ``t`` lay, on another frame ``t'`` where the second was not detected, inside the first
track's box, and it shows the same pixels there (a still thing: the same piece of the same thing). Two
bikes parked side by side fail it (the second never lay inside the first's box); a person walking where
another walked a second before fails it too (other pixels there then).
"""

from __future__ import annotations

import numpy as np

from vitron_agent.perception.camera_motion import CameraPath, shift_box

__all__ = ["join_parts", "sightings"]

BIGGER = 1.5  # a box of the whole this much larger (area) than its usual one may hold two things: not used
INSIDE = 0.7  # the share of the piece's box (where the other frame saw it) inside the other track's box
SAME_PIXELS = 0.6  # normalised cross-correlation of the piece on both frames: the same piece of the world
IN_VIEW = 0.5  # the share of the piece's box the other frame must have seen
REACH_S = 2.0  # the other frame lies at most this far in time
LOOKS = 6  # frames of the piece tried


def sightings(group: list) -> dict[int, np.ndarray]:
    """A group's detected boxes by frame (XYXY), its tracks merged (the first track's box on a shared frame)."""
    out: dict[int, np.ndarray] = {}
    for t in group:
        for i, box in t.seen.items():
            out.setdefault(i, box)
    return out


def _crop(gray: np.ndarray, box: np.ndarray, scale: float) -> tuple[slice, slice]:
    h, w = gray.shape
    x1, y1, x2, y2 = (np.asarray(box) * scale).round().astype(int)
    return slice(max(0, y1), min(h, y2)), slice(max(0, x1), min(w, x2))


def _same_pixels(path: CameraPath, t: int, u: int, box: np.ndarray) -> bool:
    """Whether ``box`` on frame ``t`` shows what the same place of the scene showed on frame ``u``."""
    a, b = path.gray.get(t), path.gray.get(u)
    if a is None or b is None:
        return False
    h, w = a.shape
    lim = (w / path.scale, h / path.scale)

    def clip(bx: np.ndarray) -> np.ndarray:
        return np.array([max(0.0, bx[0]), max(0.0, bx[1]), min(lim[0], bx[2]), min(lim[1], bx[3])])

    both_u = clip(shift_box(clip(box), path, t, u))  # the part of the box both frames saw
    both = shift_box(both_u, path, u, t)
    ya, xa = _crop(a, both, path.scale)
    yb, xb = _crop(b, both_u, path.scale)
    pa, pb = a[ya, xa], b[yb, xb]
    if pa.shape != pb.shape or min(pa.shape) < 4:
        k = min(pa.shape[0], pb.shape[0]), min(pa.shape[1], pb.shape[1])
        if min(k) < 4:
            return False
        pa, pb = pa[: k[0], : k[1]], pb[: k[0], : k[1]]
    pa, pb = pa - pa.mean(), pb - pb.mean()
    denom = float(np.sqrt((pa * pa).sum() * (pb * pb).sum()))
    return denom > 0 and float((pa * pb).sum()) / denom >= SAME_PIXELS


def _inside(a: np.ndarray, b: np.ndarray) -> float:
    """The share of box ``a`` inside box ``b``."""
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    return w * h / max(1e-6, (a[2] - a[0]) * (a[3] - a[1]))


def _piece_of(piece: dict, whole: dict, path: CameraPath, fps: float, size: tuple[int, int]) -> bool:
    """Whether the track seen at ``piece`` (boxes by frame) is a piece of the one seen at ``whole``: on
    most of the frames tried, the piece lay inside the whole's box (of its usual size: a box that grew
    may have taken in a neighbour) on a frame where the piece was not detected, showing the same pixels (a thing of its own beside the whole lies inside the whole's box
    on few of its frames, if any: when it had only begun to enter the frame)."""
    w, h = size
    reach = max(1, int(round(REACH_S * fps)))
    frames = sorted(piece)
    tried = frames[:: max(1, len(frames) // LOOKS)][:LOOKS]
    usual = float(np.median([(b[2] - b[0]) * (b[3] - b[1]) for b in whole.values()]))
    agreed = 0
    for t in tried:
        others = [
            u
            for u in whole
            if (whole[u][2] - whole[u][0]) * (whole[u][3] - whole[u][1]) <= BIGGER * usual
            and u not in piece
            and 0 < abs(u - t) <= reach
            and path.scene[u] == path.scene[t]
        ]
        best = None
        for u in sorted(others, key=lambda u: abs(u - t)):
            moved = shift_box(piece[t], path, t, u)
            seen = np.array([max(0, moved[0]), max(0, moved[1]), min(w, moved[2]), min(h, moved[3])])
            if seen[2] <= seen[0] or seen[3] <= seen[1] or _inside(seen, moved) < IN_VIEW:
                continue
            if _inside(seen, whole[u]) >= INSIDE:
                best = u
                break
        if best is not None:
            agreed += _same_pixels(path, t, best, piece[t])
    return agreed * 2 > len(tried)


def join_parts(
    groups: list[list], path: CameraPath | None, fps: float, size: tuple[int, int]
) -> tuple[list[list], int]:
    """(``groups`` with every group that is a piece of another joined to it, how many were joined).
    ``groups``: objects as lists of tracks (:func:`~vitron_agent.perception.track_boxes.stitch`);
    ``size``: (width, height) of the frame."""
    if path is None or not path.offsets:
        return groups, 0
    groups = [list(g) for g in groups]
    joined = 0
    changed = True
    while changed:
        changed = False
        seen = [sightings(g) for g in groups]
        for a in range(len(groups)):
            for b in range(len(groups)):
                if a == b or not seen[a] or not seen[b]:
                    continue
                if _piece_of(seen[b], seen[a], path, fps, size):
                    groups[a] = sorted(groups[a] + groups[b], key=lambda t: min(t.seen))
                    del groups[b]
                    joined += 1
                    changed = True
                    break
            if changed:
                break
    return groups, joined
