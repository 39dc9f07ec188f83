"""count_in_video: how many distinct people (cars, dogs, faces ...) pass through a clip.

Counts objects followed through the clip, not boxes on one frame: the keyframe detector and the
ByteTrack-style tracker with optical flow in between and a colour signature per track
(:mod:`vitron_agent.perception.track_boxes`, one decode); tracks broken by an occlusion are joined
(:func:`~vitron_agent.perception.track_boxes.stitch`). An object seen on two looks or more with one
confident detection is counted; others are reported apart (a fast pass or a false detection), so
the answer is a number and a range, with how sure it is.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import VideoRef
from vitron_agent.toolkit.registry import Backend, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool
from vitron_agent.tools.video_time import clock

__all__ = ["CountInVideoTool", "CountVideoInput", "CountVideoOutput", "count_tracks", "SURE"]

SURE = 0.4  # an object counts when one of its detections scored this much (weaker ones are listed apart)
COUNT_STEP = 0.3  # seconds between detections when counting (a blur's track uses 0.8 s)
MIN_SECONDS = 1.0  # ... and it was followed this long (a quarter of a short clip): shorter ones are fragments
WHOLE_SHOT = 0.8  # ... or for this share of its shot at least (a cup filling a 1 s shot is no fragment)
CROWD = 10  # this many at once is a crowd: small, far-off and overlapping ones are missed (13 counted of ~40)
# colour signatures this close (Bhattacharyya) may be one object seen again after it left (the joining
# threshold of track_boxes.stitch; three alike bottles taken away and put back measured 0.13-0.43 apart)
ALIKE = 0.45


class CountVideoInput(BaseModel):
    video: VideoRef = Field(description="the video")
    target: str = Field(
        default="people", max_length=200, description="what to count: 'people', 'cars', 'dogs', 'faces'"
    )


class CountVideoOutput(BaseModel):
    count: int = Field(description="distinct ones followed over at least two looks")
    text: str = Field(description="the answer: the count, the range, how it was counted")
    confidence: float = Field(ge=0, le=1, description="how sure: the share of tracks seen more than once")
    brief: int = Field(description="more seen only once (maybe the same ones, maybe a fast pass)")


def _detector(target: str):
    """(detect(frame) -> (boxes, scores), the word counted, model name), or None."""
    from vitron_agent.perception.detector import named
    from vitron_agent.perception.recognise import face_part

    if face_part(target) is not None:
        from vitron_agent.perception.faces import detect_faces

        def faces(frame: np.ndarray):
            found = detect_faces(frame)
            return np.array([f.box for f in found], float).reshape(-1, 4), np.array([f.score for f in found], float)

        return faces, "faces", "BlazeFace"
    name = named(target)
    if name is None:
        return None
    from vitron_agent.perception.track_sparse import KEYFRAME_DETECTOR, class_detector
    from vitron_agent.tools.video_time import rides

    word = name.word if name.plural else f"{name.word}s" if not name.word.endswith("s") else name.word
    vehicles = rides(target)
    if vehicles is not None:  # "how many cyclists": the people on a bicycle, not every passer-by
        return _riders(vehicles, KEYFRAME_DETECTOR), word, f"{KEYFRAME_DETECTOR} (people on a {' or '.join(vehicles)})"
    return class_detector(name), word, KEYFRAME_DETECTOR


def _riders(vehicles: tuple[str, ...], model: str):
    """``frame -> (Nx4 boxes, N scores)`` of the people riding one of ``vehicles`` (one quick reading)."""
    from vitron_agent.perception.detector import MIN_SCORE, detect_objects, label_score
    from vitron_agent.tools.video_time import riding

    def detect(frame: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        found = detect_objects(frame, MIN_SCORE * 0.8, quick=True, model=model)
        people = [d for d in found if label_score(d, "person") >= MIN_SCORE * 0.8 and riding(d, found, vehicles)]
        boxes = [(d.box.x1, d.box.y1, d.box.x2, d.box.y2) for d in people]
        return np.array(boxes, float).reshape(-1, 4), np.array([label_score(d, "person") for d in people], float)

    return detect


def count_tracks(
    store, video: VideoRef, target: str, ctx: ToolContext, camera=None
) -> tuple[list, int, str, list[int]]:
    """(the tracks, the detection stride, the model, the shot cuts) of ``target`` through ``video``
    (one decode: the cuts are found on the frames the tracker reads); ``camera``, a
    :class:`~vitron_agent.perception.camera_motion.CameraPath`, is fed every frame when given (it keeps
    the keyframes)."""
    from vitron_agent.perception.track_boxes import BoxTracker, detect_every, follow, keyframes
    from vitron_agent.tools.video_describe import _Cuts, _small

    found = _detector(target)
    if found is None:
        raise ValueError(
            f"I can count COCO's 80 kinds of thing (people, cars, dogs ...) and faces; {target!r} is not one of them"
        )
    detect, _, model = found
    n = video.frames
    k = detect_every(n, video.fps, seconds=COUNT_STEP)  # identities must survive crossings: denser than a blur's
    keys = keyframes(n, k)
    tracker = BoxTracker(max_gap=max(2 * k, int(round(video.fps))), high=0.3)
    tracker.camera = camera

    def progress(i: int) -> None:
        if ctx.cancelled.is_set():
            raise ToolFailed("the count was cancelled")
        if i % 16 == 0:
            ctx.progress(0.05 + 0.9 * i / n, f"followed {i + 1}/{n} frames ({model} every {k})")

    cuts = _Cuts(video.fps)
    if camera is not None:
        from vitron_agent.perception.track_boxes import CutTest

        camera.keep, cut_test = set(keys), CutTest()

    def frames():
        for i, frame in enumerate(store.get_video(video).frames()):
            cuts.add(i, _small(frame, 320))
            if camera is not None:
                camera.add(frame, cut=cut_test.is_cut(frame[::4, ::4, 1]))
            yield frame

    follow(frames(), keys, detect, tracker, progress=progress)
    return tracker.tracks, k, model, cuts.finish(n)


def long_enough(first: int, last: int, video: VideoRef, cuts: list[int]) -> bool:
    """Whether an object seen from frame ``first`` to ``last`` (inclusive) was on screen long enough to
    count: :data:`MIN_SECONDS` (a quarter of a short clip), or :data:`WHOLE_SHOT` of the shot it is in
    (a thing filling a short shot is no fragment)."""
    seen = (last - first + 1) / video.fps
    if seen >= min(MIN_SECONDS, video.duration / 4):
        return True
    bounds = [0, *cuts, video.frames]
    for a, b in zip(bounds, bounds[1:], strict=False):
        if a <= first < b:
            return last < b and (last - first + 1) >= WHOLE_SHOT * (b - a)
    return False


class CountInVideoTool(VisionTool):
    name = "count_in_video"
    description = (
        "Count how many distinct people (or cars, dogs, faces ... COCO's 80 classes) pass through a video: "
        "objects followed from frame to frame and counted once each, with how sure the count is."
    )
    Input = CountVideoInput
    Output = CountVideoOutput
    backend = "embedded"

    def check_inputs(self, inp: CountVideoInput, ctx: ToolContext) -> None:
        if _detector(inp.target) is None:
            raise ValueError(
                f"I can count COCO's 80 kinds of thing (people, cars, dogs ...) and faces; {inp.target!r} "
                "is not one of them"
            )

    def run(self, inp: CountVideoInput, ctx: ToolContext) -> CountVideoOutput:
        from vitron_agent.perception.camera_motion import CameraPath
        from vitron_agent.perception.track_boxes import stitch
        from vitron_agent.perception.track_parts import join_parts

        v = inp.video
        camera = CameraPath()
        tracks, k, model, cuts = count_tracks(ctx.store, v, inp.target, ctx, camera)
        word = _detector(inp.target)[1]
        objects = stitch(tracks, max(2 * k, int(round(3 * v.fps))), v.width, v.height, cuts, camera)
        objects, pieces = join_parts(objects, camera, v.fps, (v.width, v.height))
        least = min(MIN_SECONDS, v.duration / 4)
        sure = [
            g
            for g in objects
            if sum(len(t.seen) for t in g) >= 2
            and max(s for t in g for s in t.scores) >= SURE
            and long_enough(*_span(g), v, cuts)
        ]
        brief = len(objects) - len(sure)
        confidence = len(sure) / len(objects) if objects else 1.0
        spans = [_span(g) for g in sure]
        lower = fewest(spans, [g[-1].look for g in sure]) if sure else 0
        if lower < len(sure):  # some may be the same one coming back: a range, and no more than unsure
            confidence = min(confidence, lower / len(sure))
        across = sum(1 for g in sure if _travel(g) > 0.25 * v.width)
        crowd = bool(spans) and at_once(spans) >= CROWD
        if not objects:
            text = f"I saw no {word} in the video (the detector can miss small or partly hidden ones)"
        else:
            from vitron_agent.perception.coco_names import one_of

            one = one_of(word)
            text = f"I counted {len(sure)} distinct {one if len(sure) == 1 else word}"
            if lower < len(sure):
                text = (
                    f"I saw {word} come into view {len(sure)} times, at most {at_once(spans)} at once: "
                    f"{len(sure)} distinct {word} if each was a new one, at least {lower} (ones that look alike "
                    "may be the same one coming back; I can't tell them apart)"
                )
            if brief:
                upto = f"between {len(sure)} and {len(objects)} in all" if lower == len(sure) else "maybe more"
                text += f" (and {brief} more seen briefly or faintly: {upto})"
            if across:
                text += (
                    "; it moved across the frame" if len(sure) == 1 else f"; {across} of them moved across the frame"
                )
            if crowd:
                text += f"; a crowd ({at_once(spans)} at once): the detector misses small, far-off or overlapping {word}, so there are likely more"
            each = [_on_screen(g, v.fps, k) for g in sure[:12]]
            shown = f"all of them {each[0]}" if len(each) > 1 and len(set(each)) == 1 else "; ".join(each)
            text += f". On screen: {shown}" if shown else ""
        how = (
            f"{model} every {k} frame{'s' if k > 1 else ''} ({len(range(0, v.frames, k))} of {v.frames}), followed "
            "in between by optical flow, matched ByteTrack-style with a colour signature, broken tracks joined; "
            f"one counts when seen on two looks, followed {least:.1f} s or more (or {WHOLE_SHOT:.0%} of its shot; "
            f"{len(cuts) + 1} shot{'s' if cuts else ''}), with a score of {SURE} or more"
        )
        joined = sum(len(g) - 1 for g in sure)  # tracks joined into the counted objects (pieces, breaks)
        sure_word = _sure_word(lower < len(sure) or confidence < 0.5 or crowd, confidence, joined)
        how += _joined_note(pieces, joined - pieces, word)
        said = f"{sure_word}: {confidence:.0%} of what I followed counted; {how}" if objects else how
        from vitron_agent.tools.video_time import narrower

        kind = narrower(inp.target)  # "how many men": people were counted, and the answer says so first
        return CountVideoOutput(
            count=len(sure),
            text=f"{kind[1].replace('look for', 'count') + ' ' if kind else ''}{text} ({said}).",
            confidence=round(confidence, 3),
            brief=brief,
        )


def _on_screen(group: list, fps: float, k: int) -> str:
    """When one counted object was on screen: its tracks' spans, those a detection stride apart merged
    ("0:01-0:02.5 and 0:03.5-0:04.2": the same person in two shots, not on screen in between)."""
    parts: list[list[int]] = []
    for t in group:
        a, b = min(t.seen), max(t.seen) + 1
        if parts and a - parts[-1][1] <= k:
            parts[-1][1] = max(parts[-1][1], b)
        else:
            parts.append([a, b])
    return " and ".join(f"{clock(a / fps)}-{clock(b / fps)}" for a, b in parts)


def fewest(spans: list[tuple[int, int]], looks: list) -> int:
    """The fewest distinct objects the sightings may be: sightings that overlap in time are different
    objects; one that starts after another ended and looks alike (:data:`ALIKE`) may be it coming back
    (three bottles taken away and put back are three, not seven). Greedy, in time order."""
    from vitron_agent.perception.track_boxes import _unlike

    ends: list[tuple[int, object]] = []  # per identity: (its last frame, its look)
    for (a, b), look in sorted(zip(spans, looks, strict=True), key=lambda x: x[0][0]):
        free = [j for j, (end, lk) in enumerate(ends) if end < a and _unlike(lk, look) <= ALIKE]
        if free:
            j = min(free, key=lambda j: _unlike(ends[j][1], look))
            ends[j] = (b, look)
        else:
            ends.append((b, look))
    return len(ends)


def at_once(spans: list[tuple[int, int]]) -> int:
    """The most sightings on screen on one frame (inclusive spans of frames)."""
    events = sorted([(a, 1) for a, _ in spans] + [(b + 1, -1) for _, b in spans], key=lambda e: (e[0], e[1]))
    most = now = 0
    for _, d in events:
        now += d
        most = max(most, now)
    return most


def _sure_word(doubt: bool, confidence: float, joined: int) -> str:
    """How sure a count is: never "sure" when tracks were joined into one object (a guess that they are one)."""
    if doubt:
        return "unsure"
    return "sure" if confidence >= 0.8 and not joined else "fairly sure"


def _joined_note(pieces: int, breaks: int, word: str) -> str:
    """What was joined, for the count's method ("" when nothing was)."""
    said = []
    if pieces:
        said.append(
            f"{pieces} track{'s' if pieces > 1 else ''} taken as a piece of another (the same piece of the scene lay "
            f"inside its box on a frame the camera saw it whole; a {one_of_word(word)} larger than the frame is seen "
            "in pieces)"
        )
    if breaks:
        said.append(f"{breaks} broken track{'s' if breaks > 1 else ''} joined (lost and found again where it went)")
    return "".join(f"; {s}" for s in said)


def one_of_word(word: str) -> str:
    from vitron_agent.perception.coco_names import one_of

    return one_of(word)


def _span(group: list) -> tuple[int, int]:
    """The first and last frame an object (its tracks, which may overlap in time) was seen on."""
    return min(min(t.seen) for t in group), max(max(t.seen) for t in group)


def _travel(group: list) -> float:
    """How far an object's box centre moved, first to last sighting (pixels, horizontally)."""
    from vitron_agent.perception.track_parts import sightings

    seen = sightings(group)
    a, b = seen[min(seen)], seen[max(seen)]
    return abs((b[0] + b[2]) - (a[0] + a[2])) / 2


register(Backend("count_in_video", "embedded", CountInVideoTool, default=True))
declare(Traits("count_in_video", phrase=("counted {target} through the video", "count {target} through the video")))
