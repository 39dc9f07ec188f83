"""Tracking a named object (or every one) through a long clip by detecting on keyframes only.

:func:`sparse_track` is the embedded track backend's path for clips longer than 64 frames: NanoDet
every k frames (:func:`~vitron_agent.perception.track_boxes.detect_every`, every 0.8 s) in
one forward decode, ByteTrack-style association (:class:`~vitron_agent.perception.track_boxes.BoxTracker`),
boxes interpolated in between. Masks: for every object of a class ("the people"), the union of
their boxes padded by 6 % (a blur must cover the whole person on every frame they are on); for one
object, its U²-Netp mask on its keyframes (a second decode of those frames only), moved and scaled
with its interpolated box in between.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import Box, Detection, VideoRef
from vitron_agent.perception.track_boxes import BoxTracker, boxes_per_frame, detect_every, follow, keyframes

if TYPE_CHECKING:  # a type only: the perception library sits below the tool contract
    from vitron_agent.toolkit.tool import ToolContext

__all__ = ["sparse_track", "class_detector", "PAD", "depth_word", "by_depth"]

PAD = 0.1
# keyframes use NanoDet (one quick reading: ~0.65x the time of SSD's on the same frames); the
# prompt frame is read by the default detector, as for images
KEYFRAME_DETECTOR = "nanodet"
MIN_START = 0.3  # a track starts from a detection this sure (the detector's reporting threshold)
EVERY_STEP = 0.3  # seconds between detections when every object of a kind is followed (a blur of them all)


def class_detector(name, model: str = KEYFRAME_DETECTOR):
    """``frame -> (Nx4 XYXY boxes, N scores)`` of the detections of ``name``'s classes (one quick reading)."""
    from vitron_agent.perception.detector import MIN_SCORE, detect_objects, label_score

    def detect(frame: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        boxes, scores = [], []
        for d in detect_objects(frame, MIN_SCORE * 0.8, quick=True, model=model):
            s = max(label_score(d, lab) for lab in name.labels)
            if s >= MIN_SCORE * 0.8:
                boxes.append((d.box.x1, d.box.y1, d.box.x2, d.box.y2))
                scores.append(s)
        return np.array(boxes, float).reshape(-1, 4), np.array(scores, float)

    return detect


_DEPTH = {
    "background": "background",
    "back": "background",
    "distance": "background",
    "foreground": "foreground",
    "front": "foreground",
}
NEAR = 0.5  # a box under half the height of the frame's tallest one of its kind is in the background


def depth_word(phrase: str) -> str | None:
    """ "background" / "foreground" when ``phrase`` places what it names so ("the people in the
    background", "the ones at the back", "the person in front"), else None."""
    import re

    m = re.search(r"\b(?:in|at)\s+the\s+(background|back|distance|foreground|front)\b|\bin\s+(front)\b", phrase, re.I)
    return _DEPTH[(m.group(1) or m.group(2)).lower()] if m else None


def by_depth(boxes: list, depth: str | None, frame_height: int) -> list:
    """The XYXY ``boxes`` (or items whose last element is one) ``depth`` keeps: "background" those under
    :data:`NEAR` of the tallest box's height (a lone box: under a third of the frame's height),
    "foreground" the others; all of them when ``depth`` is None. Height stands for nearness: people
    far away look short."""
    if depth is None or not boxes:
        return list(boxes)
    xyxy = [b[1] if len(b) == 2 else b for b in boxes]  # (track id, box) pairs or boxes
    heights = [float(b[3] - b[1]) for b in xyxy]
    tallest = max(heights)
    limit = NEAR * tallest if len(boxes) > 1 else frame_height / 3
    return [b for b, hh in zip(boxes, heights, strict=True) if (hh < limit) == (depth == "background")]


def _box_mask(h: int, w: int, boxes: list[np.ndarray], pad: float = PAD) -> np.ndarray:
    m = np.zeros((h, w), bool)
    for x1, y1, x2, y2 in boxes:
        px, py = pad * (x2 - x1), pad * (y2 - y1)
        a, b = max(0, int(x1 - px)), max(0, int(y1 - py))
        c, d = min(w, int(np.ceil(x2 + px))), min(h, int(np.ceil(y2 + py)))
        m[b:d, a:c] = True
    return m


def _moved(mask: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """``mask`` scaled and shifted so box ``src`` lands on box ``dst`` (XYXY)."""
    import cv2

    sx = (dst[2] - dst[0]) / max(1e-6, src[2] - src[0])
    sy = (dst[3] - dst[1]) / max(1e-6, src[3] - src[1])
    m = np.float32([[sx, 0, dst[0] - sx * src[0]], [0, sy, dst[1] - sy * src[1]]])
    h, w = mask.shape
    return cv2.warpAffine(mask.astype(np.uint8), m, (w, h), flags=cv2.INTER_NEAREST) > 0


def _chosen_id(tracker: BoxTracker, frame: int, box: Box) -> int | None:
    from vitron_agent.perception.detector import box_iou

    best, best_iou = None, 0.3
    for t in tracker.tracks:
        if frame in t.seen and box_iou(tuple(t.seen[frame]), (box.x1, box.y1, box.x2, box.y2)) > best_iou:
            best, best_iou = t.id, box_iou(tuple(t.seen[frame]), (box.x1, box.y1, box.x2, box.y2))
    return best


def _object_masks(store, video: VideoRef, track, label: str) -> dict[int, np.ndarray]:
    """U²-Netp's mask of one track's box on each keyframe it was seen on (those frames decoded only)."""
    from vitron_agent.perception.recognise import mask_of

    seen = sorted(track.seen)
    out = {}
    for i, frame in zip(seen, store.get_video(video).frames(seen), strict=True):
        x1, y1, x2, y2 = (float(v) for v in track.seen[i])
        d = Detection(label=label, score=1.0, box=Box(x1=x1, y1=y1, x2=max(x2, x1 + 1), y2=max(y2, y1 + 1)))
        out[i] = np.packbits(mask_of(frame, [d]))
    return out


def sparse_track(
    store, video: VideoRef, prompt: int, name, items: list[Detection], ctx: ToolContext, depth: str | None = None
) -> tuple[list[np.ndarray], np.ndarray, str, list[int]]:
    """(per-frame packed masks, the prompt frame's mask, how, the shot cuts found) for ``name`` from
    ``items`` on ``prompt``; every one of a kind is kept to ``depth`` ("background": :func:`by_depth`).
    No track crosses a shot cut (:func:`~vitron_agent.perception.track_boxes.follow`)."""
    n, h, w = video.frames, video.height, video.width
    # every one of a kind ("blur the people"): as dense as a count, so one walking in fast is boxed
    # within 0.3 s (at 0.8 s a woman entering close to the camera stayed sharp for half a second)
    k = detect_every(n, video.fps, seconds=EVERY_STEP if name.plural else 0.8)
    keys = keyframes(n, k, also=[prompt])
    tracker = BoxTracker(max_gap=max(2 * k, int(round(video.fps))), high=MIN_START)

    def progress(i: int) -> None:
        if ctx.cancelled.is_set():
            raise ToolFailed("tracking was cancelled")
        if i % 16 == 0:
            ctx.progress(0.05 + 0.75 * i / n, f"detected on keyframes up to frame {i + 1}/{n} (every {k} frames)")

    follow(store.get_video(video).frames(), keys, class_detector(name), tracker, progress=progress)
    per_frame = boxes_per_frame(tracker.tracks, keys, n, cuts=tracker.cuts)
    every = name.plural
    chosen = None if every else _chosen_id(tracker, prompt, items[0].box)
    packed: list[np.ndarray] = []
    if every or chosen is None:
        if not every:  # the selected box was not kept by the tracker (a low score): follow the class
            every = True
        for i in range(n):
            packed.append(np.packbits(_box_mask(h, w, [b for _, b in by_depth(per_frame[i], depth, h)])))
        masks = f"the boxes padded by {PAD:.0%}"
        if depth is not None:
            masks += (
                f"; only those in the {depth} (a box {'under' if depth == 'background' else 'at least'} "
                f"{NEAR:.0%} of the tallest one's height on its frame: height stands for nearness)"
            )
    else:
        later, again = after_cuts(tracker, chosen, name.word, video.fps)  # the dog again in a later shot
        ctx.progress(0.82, "outlining the object on its keyframes (U²-Netp)")
        key_masks = {t: _object_masks(store, video, tracker.tracks[t], name.word) for t in [chosen, *later]}
        seen = {t: np.array(sorted(km)) for t, km in key_masks.items() if km}
        for i in range(n):
            mask = np.zeros((h, w), bool)
            for t, b in per_frame[i]:
                if t not in seen:
                    continue
                near = int(seen[t][np.argmin(np.abs(seen[t] - i))])
                base = np.unpackbits(key_masks[t][near], count=h * w).reshape(h, w).astype(bool)
                mask |= base if near == i else _moved(base, tracker.tracks[t].seen[near], b)
            packed.append(np.packbits(mask))
        masks = "U²-Netp on its keyframes, moved with its box in between"
    found = sum(1 for p in per_frame if p)
    if not found:
        raise ToolFailed(
            f"I found no {name.word} in the video (NanoDet every {k} frames, {len(keys)} frames looked at)"
        )
    if depth is not None and not any(p.any() for p in packed):
        raise ToolFailed(
            f"I found {name.word} in the video but none in the {depth} (a box under {NEAR:.0%} of the tallest "
            "one's height on its frame); give a point or a box on the one you mean"
        )
    shown = prompt if packed[prompt].any() else next(i for i, p in enumerate(packed) if p.any())
    first = np.unpackbits(packed[shown], count=h * w).reshape(h, w).astype(bool)
    method = (
        f"detected every {k} frames by {KEYFRAME_DETECTOR} ({len(keys)} of {n}, one decode), followed by optical "
        "flow in between and associated by ByteTrack-style IoU "
        f"matching ({len(tracker.tracks)} tracks) "
        f"({found}/{n} frames with {'some' if every else 'it'}); masks: {masks}"
    )
    if tracker.cuts:
        method += f"; {len(tracker.cuts)} shot cut{'s' if len(tracker.cuts) > 1 else ''} (no track crosses one)"
    if not every and chosen is not None and again:
        method += f"; {again}"
    return packed, first, method, list(tracker.cuts)


def after_cuts(tracker: BoxTracker, chosen: int, word: str, fps: float) -> tuple[list[int], str]:
    """(the tracks taken as the chosen thing in the shots after its own, and how that was said). No track
    crosses a shot cut, so "blur the dog" stopped at the first cut and said the dog was not in the rest
    of the clip while it came back two shots later, unblurred. In each later shot the one of its kind seen
    longest is taken as the same thing -- every one of them when several are there (an edit then covers
    too much, never too little) -- and said as an assumption: no model here tells one dog from another."""
    end = max(tracker.tracks[chosen].seen)
    cuts = sorted(c for c in tracker.cuts if c > end)
    if not cuts:
        return [], ""
    ids, said = [], []
    for a, b in zip(cuts, [*cuts[1:], 1 << 62], strict=True):
        there = [t for t in tracker.tracks if t.seen and a <= min(t.seen) < b]
        if not there:
            continue
        longest = max(len(t.seen) for t in there)
        took = [t for t in there if len(t.seen) == longest] if len(there) == 1 else there
        ids += [t.id for t in took]
        said.append(f"{a / max(fps, 1e-6):.1f} s" + (f" (all {len(took)} there)" if len(took) > 1 else ""))
    if not ids:
        return [], ""
    return ids, (
        f"it cannot tell surely that the {word} in the shots after a cut is the same one, so it took the "
        f"{word} there as it (after the cut{'s' if len(said) > 1 else ''} at {', '.join(said)})"
    )
