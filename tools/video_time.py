"""find_in_video: when is a target on screen ("when does the dog appear", "how long is the cat on screen").

Recognition runs on frames sampled every ``every`` seconds (the default COCO detector for its 80 classes,
BlazeFace for faces), in one forward decode. Wherever two neighbouring samples disagree, a
second pass decodes only the frames between them, keeps them (at the detector's input size) and
bisects to the first frame that agrees with the later sample: each change is placed to the
frame, with about log2(frames between samples) more detections. A gap of one or two frames
between two sightings (so placed) is taken as a detector miss, closed and said. A target on
screen for less than the sampling step between two samples that miss it is not seen: the answer
names how it sampled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import VideoRef
from vitron_agent.toolkit.registry import Backend, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool

__all__ = [
    "clock",
    "FindInVideoTool",
    "FindInput",
    "FindOutput",
    "TimeRange",
    "find_ranges",
    "recogniser",
    "default_step",
]


def clock(seconds: float) -> str:
    """``75.5`` -> ``"1:15.5"``; ``5`` -> ``"0:05"`` (how people write times in a clip)."""
    m, s = divmod(max(0.0, seconds), 60.0)
    text = f"{int(m)}:{s:05.2f}".rstrip("0").rstrip(".")
    return text if "." in text else f"{int(m)}:{int(round(s)):02d}"


BLINK = 2  # a gap this short (frames), found by refinement between two sightings, is a detector miss
NOT_RECOGNISABLE = (
    "I can find COCO's 80 kinds of thing (people, cars, dogs, cups ...) and faces in a video by name; "
    "{target!r} is not one of them. Track it from a point or a box instead (track)"
)


# a target that names the clip itself ("how long is the video?", "how long is this?"): its metadata answers
THE_CLIP = re.compile(
    r"^(?:(?:the|this|that|my|your|our)\s+)?(?:whole\s+|entire\s+)?"
    r"(?:video|clip|footage|film|movie|gif|animation|recording|it|this|that|one)$",
    re.I,
)


def clip_facts(video: VideoRef) -> str:
    """The clip's own facts in a sentence: length, frames, frame rate, size, sound."""
    sound = "with a sound track" if video.audio else "without sound"
    return (
        f"The video is {clock(video.duration)} long ({video.duration:.2f} s): {video.frames} frames at "
        f"{round(video.fps, 2):g} fps, {video.width}x{video.height} pixels, {sound} (read from the file's metadata)."
    )


class TimeRange(BaseModel):
    start: float = Field(description="seconds")
    end: float = Field(description="seconds (exclusive: the first frame without it)")


class FindInput(BaseModel):
    video: VideoRef = Field(description="the video")
    target: str = Field(max_length=200, description="what to look for: 'the dog', 'people', 'a face', 'a car'")
    question: Literal["when", "appear", "disappear", "how_long", "absent"] = Field(
        default="when",
        description="what is asked: when visible, when it appears, when it disappears, how long, when it is not there",
    )
    every: float | None = Field(
        default=None, gt=0, le=30, description="sampling step in seconds (default from the clip length)"
    )


class FindOutput(BaseModel):
    text: str = Field(description="the answer, with how it sampled")
    ranges: list[TimeRange] = Field(description="when the target is on screen")
    seconds: float = Field(description="time on screen in all")
    first: float | None = Field(description="first appearance (s), null when never")
    last: float | None = Field(description="end of the last appearance (s), null when never")


@dataclass
class Found:
    """``ranges``: (start, end) seconds; ``how``: the sampling said in words."""

    ranges: list[tuple[float, float]]
    how: str
    filled: int = 0
    present: list[bool] = field(default_factory=list)


# people named by what they ride: a person counts only on (overlapping) one of these
RIDES = {
    "cyclist": ("bicycle",),
    "cyclists": ("bicycle",),
    "biker": ("bicycle", "motorcycle"),
    "bikers": ("bicycle", "motorcycle"),
    "rider": ("bicycle", "motorcycle", "horse"),
    "riders": ("bicycle", "motorcycle", "horse"),
    "skier": ("skis",),
    "skiers": ("skis",),
    "surfer": ("surfboard",),
    "surfers": ("surfboard",),
}
COLOURED = 0.15  # the share of a box's middle in a colour that makes it "the red car" (as the resolver's select)
WORN = 0.3  # the share of a person's torso in a colour that makes them "the girl in the blue shirt"
# words narrower than the COCO class they are searched as: the detector cannot tell them apart
NARROWER = frozenset(
    """man men woman women guy guys girl girls boy boys child children kid kids baby lady ladies gentleman
astronaut player players cameraman photographer worker workers toddler teenager driver drivers soldier soldiers
athlete athletes taxi taxis cab cabs suv scooter moped kitten kittens puppy puppies teacup jet yacht canoe""".split()
)


def rides(target: str) -> tuple[str, ...] | None:
    """The COCO classes a rider word rides on ("the cyclist": bicycle), or None."""
    from vitron_agent.perception.detector import named

    name = named(target)
    return RIDES.get(name.word) if name is not None and name.labels == ("person",) else None


def riding(person, found: list, vehicles: tuple[str, ...]) -> bool:
    """Whether detection ``person`` is on one of ``vehicles`` among ``found``: the vehicle's box lies
    at least 30 % inside the person's (a cyclist's box holds most of the bicycle)."""
    from vitron_agent.perception.detector import MIN_SCORE, label_score

    p = person.box
    for d in found:
        if max(label_score(d, lab) for lab in vehicles) < MIN_SCORE * 0.8:
            continue
        b = d.box
        inter = max(0.0, min(p.x2, b.x2) - max(p.x1, b.x1)) * max(0.0, min(p.y2, b.y2) - max(p.y1, b.y1))
        if inter >= 0.3 * max(1e-6, (b.x2 - b.x1) * (b.y2 - b.y1)):
            return True
    return False


# people named by what they do or are, words the detector does not know ("the audience": h12, probe s9)
PEOPLE_ROLES = frozenset(
    """audience spectators spectator fans passers-by passersby onlookers dancer dancers singer singers pianist
pianists performer performers musician musicians guitarist drummer actor actors actress presenter speaker
audience-members""".split()
)


def people_role(target: str) -> str | None:
    """The word of ``target`` that names people by a role the detector has no name for ("the singer on
    stage": "singer"), or None."""
    for word in re.findall(r"[a-z-]+", target.lower()):
        if word in PEOPLE_ROLES:
            return word
    return None


def narrower(target: str) -> tuple[str, str] | None:
    """(the class searched; the sentence that says so) for a word narrower than the COCO class it is
    searched as ("the taxi": ("a car", "I can only look for cars (the detector does not tell a taxi
    from other cars).")), or None."""
    from vitron_agent.perception.coco_names import one_of
    from vitron_agent.perception.detector import named

    if (role := people_role(target)) is not None:  # "the audience", "the singer": people the detector has no word for
        article = "an" if role[0] in "aeiou" else "a"
        return (
            "a person",
            f"I can only look for people (the detector does not tell {article} {role} from other people).",
        )
    name = named(target)
    if name is None or name.word not in NARROWER:
        return None
    label = name.labels[0]
    many = "people" if label == "person" else _plural(label)
    one = one_of(name.word)
    article = "an" if one[0] in "aeiou" else "a"
    said = f"I can only look for {many} (the detector does not tell {article} {one} from other {many})."
    return f"{'an' if label[0] in 'aeiou' else 'a'} {label}", said


def _plural(label: str) -> str:
    return label if label.endswith("s") else f"{label}es" if label.endswith(("s", "sh", "ch", "x")) else f"{label}s"


def recogniser(target: str):
    """``(frame -> bool, model name)`` for a target, or None when it names nothing recognisable.
    A rider word ("the cyclist") is seen only where a person is on what they ride (:data:`RIDES`); a
    colour ("the red car") only where a detection's middle is at least :data:`COLOURED` that colour."""
    from vitron_agent.perception.detector import MIN_SCORE, detect_objects, label_score, named
    from vitron_agent.perception.recognise import face_part

    if face_part(target) is not None:
        from vitron_agent.perception.faces import detect_faces

        return (lambda frame: bool(detect_faces(frame))), "BlazeFace"
    name = named(target) or (named("people") if people_role(target) else None)
    if name is None:
        return None
    vehicles = rides(target)
    from vitron_agent.perception.target_spec import parse_target

    color = parse_target(target)[0]

    def seen(frame: np.ndarray) -> bool:
        found = detect_objects(frame, quick=True)
        ones = [d for d in found if max(label_score(d, lab) for lab in name.labels) >= MIN_SCORE]
        if color:
            ones = [d for d in ones if coloured(frame, d, color)]
        return any(riding(d, found, vehicles) for d in ones) if vehicles else bool(ones)

    from vitron_agent.perception import detector

    model = f"the COCO detector ({getattr(detector, 'DEFAULT_DETECTOR', 'nanodet')})"
    model += f": a person on a {' or '.join(vehicles)}" if vehicles else ""
    worn = "person" in name.labels
    return seen, f"{model}, {color} {'on their torso' if worn else 'in the middle of its box'}" if color else model


def worn_share(frame: np.ndarray, d, color: str) -> float:
    """The share of a person detection's torso (the middle 40 % across, 20-50 % down its box) in
    ``color``: a box's middle is mostly wall or floor beside a thin person (a girl in white in front of
    a blue wall scored 0.38 "blue" there, 0.05 on her torso)."""
    from vitron_agent.perception.colors import color_mask

    x1, y1, x2, y2 = d.box.x1, d.box.y1, d.box.x2, d.box.y2
    w, h = x2 - x1, y2 - y1
    crop = frame[int(y1 + 0.2 * h) : int(y1 + 0.5 * h) + 1, int(x1 + 0.3 * w) : int(x2 - 0.3 * w) + 1]
    return float(color_mask(crop, color).mean()) if crop.size else 0.0


def coloured(frame: np.ndarray, d, color: str) -> bool:
    """Whether detection ``d`` is "the <color> one": a person by what their torso wears (:data:`WORN`),
    anything else by its box's middle (:data:`COLOURED`)."""
    from vitron_agent.perception.resolving import colour_share

    if d.label == "person":
        return worn_share(frame, d, color) >= WORN
    return colour_share(frame, d, color) >= COLOURED


def default_step(duration: float) -> float:
    """Sampling step: 0.25 s for clips up to 10 s, then about 40 samples, at most 2 s apart."""
    return 0.25 if duration <= 10 else min(2.0, max(0.25, duration / 40))


def _small(frame: np.ndarray, side: int = 416) -> np.ndarray:
    import cv2

    h, w = frame.shape[:2]
    s = side / max(h, w)
    return frame if s >= 1 else cv2.resize(frame, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)


def _bisect(frames: list[np.ndarray], seen, later: bool) -> tuple[int, int]:
    """Index of the first frame of ``frames`` whose presence is ``later`` (len when none), detections used."""
    lo, hi, used = 0, len(frames), 0
    while lo < hi:
        mid = (lo + hi) // 2
        used += 1
        if seen(frames[mid]) == later:
            hi = mid
        else:
            lo = mid + 1
    return lo, used


def find_ranges(store, video: VideoRef, target: str, every: float | None, ctx: ToolContext) -> Found:
    """When ``target`` is on screen in ``video``: sampled, filled, refined to the frame. Where no sampled
    frame shows it at the detector's size, a second look zooms in on what moves against the clip's still
    background (a small thing crossing a large frame: :func:`zoomed`), said in ``how``."""
    rec = recogniser(target)
    if rec is None:
        raise ValueError(NOT_RECOGNISABLE.format(target=target))
    seen, model = rec
    step = every or default_step(video.duration)
    k = max(1, int(round(step * video.fps)))
    samples = list(range(0, video.frames, k))
    if samples[-1] != video.frames - 1:
        samples.append(video.frames - 1)
    clip = store.get_video(video)
    small = {i: _small(f) for i, f in zip(samples, clip.frames(samples), strict=True)}
    timeline, extra = _timeline(clip, video, samples, small, seen, model, ctx)
    how = (
        f"{model} on frames sampled every {k / video.fps:.2f} s ({len(samples)} frames), each change placed to "
        f"the frame ({extra} more frames)"
    )
    if not timeline.any() and (look := zoomed(seen, list(small.values()))) is not None:
        timeline, more = _timeline(clip, video, samples, small, look, model, ctx)
        if timeline.any():
            how += (
                f"; not seen at that size, found only by looking again, zoomed in on what moves against a still "
                f"background or on the salient object ({len(samples)} frames, {more} more to place each change): "
                "small on screen, so less sure"
            )
    filled = _fill_blinks(timeline)
    ranges, i, n = [], 0, video.frames
    while i < n:
        if timeline[i]:
            j = i
            while j < n and timeline[j]:
                j += 1
            ranges.append((i / video.fps, j / video.fps))
            i = j
        else:
            i += 1
    if filled:
        how += f"; {filled} gap{'s' if filled > 1 else ''} of at most {BLINK} frames taken as detector misses"
    return Found(ranges, how, filled, timeline.tolist())


def _timeline(clip, video: VideoRef, samples: list[int], small: dict, seen, model: str, ctx: ToolContext):
    """(per-frame presence, extra frames looked at): ``seen`` on the sampled frames (``small``: index ->
    frame at the detector's size), then each change between two samples bisected to the frame."""
    present: dict[int, bool] = {}
    for j, i in enumerate(samples):
        if ctx.cancelled.is_set():
            raise ToolFailed("the search was cancelled")
        present[i] = bool(seen(small[i]))
        if j % 4 == 0:
            ctx.progress(0.05 + 0.6 * j / len(samples), f"looked at {j + 1}/{len(samples)} sampled frames ({model})")
    changes = [(a, b) for a, b in zip(samples, samples[1:], strict=False) if present[a] != present[b] and b - a > 1]
    wanted = sorted({i for a, b in changes for i in range(a + 1, b)})
    edge: dict[tuple[int, int], int] = {(a, b): b for a, b in zip(samples, samples[1:], strict=False)}
    extra, groups = 0, {c: [] for c in changes}
    by_index = {i: c for c in changes for i in range(c[0] + 1, c[1])}
    for i, frame in zip(wanted, clip.frames(wanted), strict=True) if wanted else ():
        groups[by_index[i]].append(_small(frame))
        c = by_index[i]
        if i == c[1] - 1:
            pos, used = _bisect(groups.pop(c), seen, present[c[1]])
            edge[c], extra = c[0] + 1 + pos, extra + used
            ctx.progress(0.7 + 0.25 * i / video.frames, f"placed a change at frame {edge[c]}")
    timeline = np.zeros(video.frames, bool)
    for a, b in zip(samples, samples[1:], strict=False):
        cut = edge[(a, b)]
        timeline[a:cut] = present[a]
        timeline[cut:b] = present[b]
    timeline[samples[-1]] = present[samples[-1]]
    return timeline, extra


MOVED = 30  # a pixel differs from the still background by more than this (0-255, any channel)


def zoomed(seen, frames: list[np.ndarray]):
    """A second ``seen`` (frame -> bool) that also looks, zoomed in, at each compact region where a frame
    differs from the clip's still background (the per-pixel median of ``frames``, all one size), then (the
    camera moves or cuts, or nothing moving was it) at the salient object (U²-Netp): a thing 70 px wide on a 640 px frame is 45 px at
    the detector's input and missed, but named in its own crop. None for fewer than 5 frames."""
    if len(frames) < 5 or len({f.shape for f in frames}) != 1:
        return None
    background = np.median(np.stack(frames[:: max(1, len(frames) // 24)]), axis=0).astype(np.int16)
    still = [(np.abs(f.astype(np.int16) - background).max(-1) > MOVED).mean() for f in frames]
    moving = float(np.median(still)) <= 0.2

    def look(frame: np.ndarray) -> bool:
        if seen(frame):
            return True
        if moving and frame.shape == background.shape and any(seen(c) for c in _moving_crops(frame, background)):
            return True  # a still background: what moves is the proposal
        return any(seen(crop) for crop in _salient_crop(frame))  # else (a pan, a plain texture) the salient object

    return look


def _salient_crop(frame: np.ndarray) -> list[np.ndarray]:
    """The crop around U²-Netp's salient object (twice its size, longer side 320 px) when it is small (under a
    sixth of the frame's width and height), else none: a large salient thing was already seen whole."""
    import cv2

    from vitron_agent.perception.salient import salient_map

    ys, xs = np.nonzero(salient_map(frame) > 0.5)
    h, w = frame.shape[:2]
    if not len(ys) or (xs.max() - xs.min()) > w / 6 or (ys.max() - ys.min()) > h / 6:
        return []
    return [_crop_around(frame, xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1, cv2)]


def _crop_around(frame: np.ndarray, x: int, y: int, bw: int, bh: int, cv2) -> np.ndarray:
    """A square crop twice the box's longer side around its centre, scaled so its longer side is 320 px."""
    side = int(max(bw, bh) * 2)
    cx, cy = x + bw // 2, y + bh // 2
    x1, y1 = max(0, cx - side // 2), max(0, cy - side // 2)
    crop = frame[y1 : y1 + side, x1 : x1 + side]
    s = 320 / max(crop.shape[:2])
    return cv2.resize(crop, (max(1, round(crop.shape[1] * s)), max(1, round(crop.shape[0] * s))))


def _moving_crops(frame: np.ndarray, background: np.ndarray, most: int = 3) -> list[np.ndarray]:
    """Up to ``most`` crops of ``frame`` around its largest compact regions that differ from ``background``,
    each twice the region's size and scaled so its longer side is 320 px."""
    import cv2

    moved = (np.abs(frame.astype(np.int16) - background).max(-1) > MOVED).astype(np.uint8)
    moved = cv2.morphologyEx(moved, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(moved)
    h, w = frame.shape[:2]
    regions = sorted((s for s in stats[1:n] if 60 <= s[4] <= 0.25 * h * w), key=lambda s: -s[4])[:most]
    return [_crop_around(frame, x, y, bw, bh, cv2) for x, y, bw, bh, _ in regions]


def _fill_blinks(timeline: np.ndarray) -> int:
    """Close gaps of at most :data:`BLINK` frames between two sightings (in place); how many."""
    filled, i, n = 0, 0, len(timeline)
    while i < n:
        if not timeline[i] and i > 0 and timeline[i - 1]:
            j = i
            while j < n and not timeline[j]:
                j += 1
            if j < n and j - i <= BLINK:
                timeline[i:j] = True
                filled += 1
            i = j
        else:
            i += 1
    return filled


def _gaps(ranges: list[tuple[float, float]], duration: float, least: float = 1e-6) -> list[tuple[float, float]]:
    """The times between ``ranges`` (sorted (start, end) seconds) within ``[0, duration]``."""
    out, t = [], 0.0
    for a, b in ranges:
        if a - t > least:
            out.append((t, a))
        t = max(t, b)
    if duration - t > least:
        out.append((t, duration))
    return out


def _is_plural(what: str) -> bool:
    from vitron_agent.perception.detector import named

    name = named(what)
    return name.plural if name is not None else bool(re.search(r"[^s]s$", what.strip().lower()))


def answer(target: str, question: str, ranges: list[tuple[float, float]], duration: float, how: str) -> str:
    """The sentence for ``question`` from the ranges (the way it sampled in brackets); "cars appear",
    "a car appears"."""
    kind = narrower(target)
    if kind is not None:  # "is there a taxi?": cars were looked for, and the answer says so first
        from vitron_agent.perception.target_spec import parse_target

        color, searched = parse_target(target)[0], kind[0]
        if color:  # "the girl in white": a person in white, not any person
            searched = f"{searched} in {color}" if searched.endswith("person") else f"a {color} {searched[2:]}"
        return f"{kind[1]} {answer(searched, question, ranges, duration, how)}"
    if re.fullmatch(r"\s*(?:she|he|her|him)\s*", target, re.I):  # one person named by a pronoun: any person found
        return ONE_PERSON.format(who=target.strip().lower()) + answer("a person", question, ranges, duration, how)
    apart = _kept_apart(target)
    what = apart[0] if apart else (target.strip() or "it")
    if not ranges:
        return f"{apart[1] if apart else ''}I did not see {what} in the video ({how})."
    return (apart[1] if apart else "") + _said(what, question, ranges, duration, how)


ONE_PERSON = (
    "I can't follow one person ('{who}') through the clip (people are not told apart), so I looked for any person: "
)


def _kept_apart(target: str) -> tuple[str, str] | None:
    """("a bottle", "I can't keep to 'the bottle on the left' through the clip ... ") when the target is
    placed or chosen among several ("the bottle on the left", "the second car"): the search finds any
    of them, and the answer says so first; None otherwise."""
    from vitron_agent.perception.detector import named
    from vitron_agent.perception.target_spec import parse_target

    name = named(target)
    if name is None or name.plural:
        return None
    position = parse_target(target)[1]
    if position is None and not re.search(r"\b(?:first|second|third|last|other|biggest|smallest|nearest)\b", target):
        return None
    one = f"{'an' if name.word[0] in 'aeiou' else 'a'} {name.word}"
    return one, (
        f"I can't keep to {target.strip()!r} through the clip (one {name.word} is not told from another), so I "
        f"looked for any {name.word}. "
    )


def _said(what: str, question: str, ranges: list[tuple[float, float]], duration: float, how: str) -> str:
    """The sentence for ``question`` about ``what`` seen over ``ranges``."""
    cap = what[0].upper() + what[1:]
    many = _is_plural(what)
    is_, s_, it = ("are", "", "They are") if many else ("is", "s", "It is")
    spans = ", ".join(f"{clock(a)} to {clock(b)}" for a, b in ranges)
    total = sum(b - a for a, b in ranges)
    whole = ranges[0][0] <= 1e-9 and abs(ranges[-1][1] - duration) < 1e-6 and len(ranges) == 1
    if question == "appear":
        text = (
            f"{cap} {is_} there from the start (0:00)."
            if ranges[0][0] <= 1e-9
            else f"{cap} first appear{s_} at {clock(ranges[0][0])}."
        )
        if len(ranges) > 1:
            text += f" {it} on screen {spans}."
    elif question == "disappear":
        end = ranges[-1][1]
        text = (
            f"{cap} {is_} still there at the end."
            if abs(end - duration) < 1e-6
            else f"{cap} disappear{s_} at {clock(end)}."
        )
        if len(ranges) > 1:
            text += f" {it} on screen {spans}."
    elif question == "absent":
        gaps = ", ".join(f"{clock(a)} to {clock(b)}" for a, b in _gaps(ranges, duration))
        some = re.match(r"^an? (.+)$", what)  # "a bottle" (any of them): "no bottle is on screen ..."
        if not gaps:
            text = f"{cap} {is_} on screen throughout ({spans})."
        else:
            text = f"No {some.group(1)} is on screen {gaps}." if some else f"{cap} {is_} out of view {gaps}."
    elif question == "how_long":
        text = f"{cap} {is_} on screen for {total:.1f} s of the {duration:.1f} s clip ({spans})."
    else:
        text = f"{cap} {is_} visible throughout ({spans})." if whole else f"{cap} {is_} visible from {spans}."
    return f"{text} ({how}.)"


class FindInVideoTool(VisionTool):
    name = "find_in_video"
    description = (
        "When is something on screen in a video: the time ranges where a named thing (COCO's 80 classes: "
        "people, cars, dogs ...) or a face is visible, when it appears or disappears, how long it is seen."
    )
    Input = FindInput
    Output = FindOutput
    backend = "embedded"

    def check_inputs(self, inp: FindInput, ctx: ToolContext) -> None:
        if THE_CLIP.match(inp.target.strip(" ?.")):
            return
        if recogniser(inp.target) is None:
            raise ValueError(NOT_RECOGNISABLE.format(target=inp.target))

    def run(self, inp: FindInput, ctx: ToolContext) -> FindOutput:
        v = inp.video
        if THE_CLIP.match(inp.target.strip(" ?.")):  # "how long is the video?": no search, the metadata
            whole = [TimeRange(start=0.0, end=round(v.duration, 4))]
            return FindOutput(
                text=clip_facts(v), ranges=whole, seconds=round(v.duration, 4), first=0.0, last=whole[0].end
            )
        found = find_ranges(ctx.store, inp.video, inp.target, inp.every, ctx)
        text = answer(inp.target, inp.question, found.ranges, inp.video.duration, found.how)
        return FindOutput(
            text=text,
            ranges=[TimeRange(start=round(a, 4), end=round(b, 4)) for a, b in found.ranges],
            seconds=round(sum(b - a for a, b in found.ranges), 4),
            first=round(found.ranges[0][0], 4) if found.ranges else None,
            last=round(found.ranges[-1][1], 4) if found.ranges else None,
        )


register(Backend("find_in_video", "embedded", FindInVideoTool, default=True))


def _find_phrase(step) -> str:
    """ "looked for the cat through the video"; "read the video's length" when the clip itself was asked about."""
    if THE_CLIP.match(str(step.args.get("target") or "").strip(" ?.")):
        return f"{step.verb('read', 'read')} the video's length and size"
    return f"{step.verb('looked', 'look')} for {step.target()} through the video"


declare(Traits("find_in_video", phrase=_find_phrase))
