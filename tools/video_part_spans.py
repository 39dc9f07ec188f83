"""Parts of a clip that are no span of seconds, and the frames they hold: a shot, an equal piece (a half, a
third), the part where a thing is seen, or the last N seconds. Built once (:class:`ClipPart`, read from the
words by :func:`clip_part`), resolved on the clip's pixels by :func:`part_frames`, and passed to every
per-frame edit (``edit_video``) and to ``speed_video``; the frames outside the part pass through untouched.
Shots are the cuts PySceneDetect's content detector finds (those ``shot_video`` and "how many shots" use);
"the part with X" is found as ``find_in_video`` finds it (:func:`visible_target` reads X from the words).
Split from :mod:`vitron_agent.tools.video_clip_parts` (which reads trims and re-exports these names).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import VideoRef
from vitron_agent.toolkit.tool import ToolContext

__all__ = [
    "ClipPart",
    "clip_part",
    "part_frames",
    "part_said",
    "visible_target",
    "PART_WORDS",
    "frame_spans",
    "spans_said",
]

_PARTS = r"(?:parts?|bits?|sections?|portions?|pieces?|scenes?|moments?|shots?|segments?|stretch(?:es)?)"
_SHOWS = (
    r"(?:is|are|appears?|shows?(?:\s+up)?|turns?\s+up|pops?\s+up|comes?\s+(?:in|on|into view)|enters?|"
    r"can be seen|gets?\s+in)"
)
_VISIBLE = re.compile(
    # ("a second" is the unit: "trim a second off the start because the dog is blurry" cut every dog part)
    r"\b(?:where|when|while|with|(?:moment|point|instant)\s+(?:that\s+|when\s+)?)\s*"
    r"(?P<what>(?:the|a|an|my|his|her|their|some|any)\s+[a-z -]{1,40}?|[a-z]+s)\s+"
    + _SHOWS
    + r"\b(?:\s+(?:visible|on screen|in (?:the )?(?:frame|shot|view|picture)|seen|shown))?"
    # "the bit with the cat in it", "the part with the dog in view", "the scenes showing the cup"
    r"|\b"
    + _PARTS
    + r"\s+(?:with|showing|featuring|containing|of|(?:that|which)\s+(?:shows?|has|have|contains?|features?|includes?))\s+(?P<what2>.+?)(?:\s+in\s+"
    r"(?:it|them|(?:the\s+)?(?:frame|shot|view|picture))|\s+(?:is|are)\s+(?:left|kept|remaining))?"
    r"(?:\s+(?:into|as|to)\s+an?\s+(?:animated\s+)?gifs?|\s+(?:and|then)\b.*)?\s*$",
    re.I,
)

# "the motorbike part", "the bits with people": a part named by its thing ahead of the word part (read only
# where the words name something the detector knows: "the boring bit" and "the first part" are not things)
_THING_PART = re.compile(r"\bthe\s+(?P<what>(?:[a-z-]+\s+){0,2}?[a-z-]+)\s+" + _PARTS + r"\b", re.I)
# "a screenshot of the horse", "a still with the cat": a picture of a thing taken from the clip
_STILL_OF = re.compile(
    r"\b(?:stills?|frames?|screen\s*shots?|snap\s*shots?|screen\s*grabs?|screen\s*caps?|pictures?|images?|photos?|"
    r"thumbnails?)\s+(?:of|with|showing|featuring)\s+(?P<what>(?:an?|the|some|my|our)\s+[a-z -]+?)"
    r"(?=\s+(?:in|from|on|out of)\s+(?:it|this|the (?:video|clip|footage))\b|\s*(?:[,.?!]|$|\s+(?:please|pls)\b))",
    re.I,
)


def visible_target(text: str) -> str | None:
    """The thing whose stretch of the clip the clause names ("the part with the motorbike", "the motorbike
    part", "when the cat shows up", "the moment the cat is visible"), or None. "The X part" counts only where
    X names something the video search knows (not "the boring part")."""
    from vitron_agent.tools.video_time import recogniser

    if m := _VISIBLE.search(text):
        what = (m.group("what") or m.group("what2")).strip()
        if not re.match(r"^(?:it|this|that|there|the (?:video|clip|footage))$", what, re.I):
            return what
    if (m := _STILL_OF.search(text)) and recogniser(m.group("what")) is not None:  # "a screenshot of the horse"
        return m.group("what").strip()
    for m in _THING_PART.finditer(text):
        what = m.group("what").strip()
        if re.match(
            r"^(?:first|last|middle|next|other|second|third|final|opening|same|whole|best|boring)\b", what, re.I
        ):
            continue
        if recogniser(f"the {what}") is not None:
            return f"the {what}"
    return None


class ClipPart(BaseModel):
    """One part of a clip; exactly one of its fields is set."""

    shot: int | Literal["middle"] | None = Field(
        default=None, description="a shot (hard cut to hard cut), counted from 1; -1 = the last; 'middle'"
    )
    piece: int | Literal["middle"] | None = Field(
        default=None, description="with pieces: which equal piece, from 1; -1 = the last; 'middle'"
    )
    pieces: int | None = Field(default=None, ge=2, le=10, description="the clip cut in N equal pieces (2 = halves)")
    visible: str | None = Field(default=None, max_length=200, description="the part where this thing is seen")
    last: float | None = Field(default=None, gt=0, description="the last N seconds")


_ORDINALS = {"first": 1, "opening": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1, "final": -1}
_SHARES = {"half": 2, "halves": 2, "third": 3, "quarter": 4, "fifth": 5}
_ORD = r"first|opening|second|third|fourth|fifth|last|final|closing|ending|middle|1st|2nd|3rd|4th|5th"
_SHOT_RE = re.compile(
    rf"\b(?:(?:in|on|during|for|of|over)\s+)?(?:only\s+)?(?:the\s+)?(?P<ord>{_ORD})\s+(?:shot|scene|cut|take)\b"
    r"|\b(?:(?:in|on|during|for|of)\s+)?(?:shot|scene)\s+(?:number\s+)?(?P<num>\d+)\b",
    re.I,
)
_SHARE_RE = re.compile(
    r"\b(?:(?:in|on|during|for|of|over)\s+)?(?:only\s+)?(?:the\s+)?(?P<ord>first|second|third|fourth|last|final|"
    r"middle|opening|closing|other)\s+(?P<share>half|third|quarter|fifth)\b"
    r"(?!\s+(?:of\s+)?(?:an?\s+)?(?:s|secs?|seconds?|mins?|minutes?)\b)(?:\s+of\s+(?:it|the (?:video|clip|footage)))?",
    re.I,
)
_PART_OF_THING = re.compile(
    r"\b(?:(?:in|on|during|for|over)\s+)?(?:only\s+)?(?:the\s+)?(?:part|bit|section|portion|stretch|moments?|"
    r"scenes?|shots?)\s+(?:with|where|when|while|showing|that shows|in which)\b.*$",
    re.I,
)
# the words of a target phrase that say when (a part), not what: stripped before the target is read
PART_WORDS = re.compile(
    re.sub(r"\?P<\w+>", "?:", rf"(?:{_SHOT_RE.pattern})|(?:{_SHARE_RE.pattern})|(?:{_PART_OF_THING.pattern})"), re.I
)


def _ordinal(word: str) -> int | Literal["middle"]:
    word = word.lower()
    if word == "middle":
        return "middle"
    if word in ("closing", "ending"):
        return -1
    if word[0].isdigit():
        return int(re.sub(r"\D", "", word))
    return _ORDINALS[word]


def clip_part(text: str) -> ClipPart | None:
    """The part of a clip a clause names ("the last shot", "the first half", "the second third", "the part with
    the cat", "scene 2"), or None. Explicit seconds are not read here (``slots.time_range`` reads them)."""
    if m := _SHOT_RE.search(text):
        return ClipPart(shot=_ordinal(m.group("ord")) if m.group("ord") else int(m.group("num")))
    if m := _SHARE_RE.search(text):
        pieces = _SHARES[m.group("share").lower()]
        word = m.group("ord").lower()
        piece = pieces if word == "other" else _ordinal(word)  # "the other half": the second
        if isinstance(piece, int) and piece > pieces:
            return None
        return ClipPart(piece=piece, pieces=pieces)
    if _PART_OF_THING.search(text) and (what := visible_target(text)):
        return ClipPart(visible=what)
    return None


def _index(which: int | Literal["middle"], n: int) -> int | None:
    """0-based index of ``which`` among ``n`` (None when there is no such one; the middle of an even count)."""
    if which == "middle":
        return n // 2 if n % 2 else None
    i = which - 1 if which > 0 else n + which
    return i if 0 <= i < n else None


def _nth(k: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(k, f"{k}th")


def part_frames(store, video: VideoRef, part: ClipPart, ctx: ToolContext) -> tuple[list[tuple[int, int]], str]:
    """The frame spans ``[lo, hi)`` of ``part`` on ``video`` and the words that say them ("the last shot, 0:04
    to 0:06"). Raises ToolFailed when the part is not there (no such shot, the thing never seen)."""
    from vitron_agent.tools.video_time import clock

    n, fps = video.frames, video.fps
    if part.shot is not None:
        return _shot(store, video, part.shot, ctx)
    if part.pieces is not None and part.piece is not None:
        i = _index(part.piece, part.pieces)
        if i is None:
            raise ToolFailed(f"a clip cut in {part.pieces} equal parts has no middle one; say which seconds")
        lo, hi = int(round(i * n / part.pieces)), int(round((i + 1) * n / part.pieces))
        name = {2: "half", 3: "third", 4: "quarter", 5: "fifth"}[part.pieces]
        which = "last" if i == part.pieces - 1 else _nth(i + 1)
        if hi <= lo:  # (a third of a 2-frame clip was said done over "0:00 to 0:00": review s12)
            raise ToolFailed(f"the clip has {n} frames: its {which} {name} holds none; nothing edited")
        return [(lo, hi)], f"the {which} {name}, {clock(lo / fps)} to {clock(hi / fps)}"
    if part.last is not None:
        lo = max(0, n - int(round(part.last * fps)))
        if lo >= n:  # "the last 0 seconds"
            raise ToolFailed(f"the last {part.last:g} s of the clip hold no frame; nothing edited")
        whole = f" (the clip is only {clock(n / fps)} long: all of it)" if lo == 0 and part.last * fps > n else ""
        return [(lo, n)], f"the last {part.last:g} s, {clock(lo / fps)} to {clock(n / fps)}{whole}"
    if part.visible:
        return _visible(store, video, part.visible, ctx)
    raise ToolFailed("the part of the clip was not said: give a shot, a half or third, or a thing seen in it")


def _shot(store, video: VideoRef, which, ctx: ToolContext) -> tuple[list[tuple[int, int]], str]:
    from vitron_agent.media.shots import shot_cuts, shot_spans
    from vitron_agent.tools.video_time import clock

    ctx.progress(0.02, "finding the shots")
    spans = shot_spans(shot_cuts(store.get_video(video).frames(), video.fps), video.frames)
    listed = ", ".join(f"{k + 1}: {clock(a / video.fps)}-{clock(b / video.fps)}" for k, (a, b) in enumerate(spans))
    i = _index(which, len(spans))
    if len(spans) == 1 and which in (1, -1):
        return [spans[0]], f"the whole clip (I found no cut: it is one shot, {clock(video.duration)})"
    if i is None:
        said = "a middle shot" if which == "middle" else f"shot {which}"
        raise ToolFailed(f"the clip has {len(spans)} shots ({listed}); there is no {said}; nothing edited")
    a, b = spans[i]
    name = "the last shot" if i == len(spans) - 1 else f"the {_nth(i + 1)} shot"
    return [(a, b)], f"{name} of {len(spans)}, {clock(a / video.fps)} to {clock(b / video.fps)}"


def _visible(store, video: VideoRef, what: str, ctx: ToolContext) -> tuple[list[tuple[int, int]], str]:
    from vitron_agent.tools.video_time import NOT_RECOGNISABLE, find_ranges, recogniser

    if recogniser(what) is None:
        raise ToolFailed(NOT_RECOGNISABLE.format(target=what))
    found = find_ranges(store, video, what, None, ctx)
    if not found.ranges:
        raise ToolFailed(f"I did not find {what} in the video ({found.how}); nothing edited")
    spans = [(lo, hi) for lo, hi in frame_spans(found.ranges, video)]
    return (
        spans,
        f"the part with {what}, {spans_said([list(s) for s in spans], video.fps)} (seen by {found.how.split(', ')[0]})",
    )


def part_said(part: ClipPart | None) -> str:
    """The part in a few words for the plan's phrases ("the last shot", "the first half")."""
    if part is None:
        return ""
    if part.shot is not None:
        return (
            "the middle shot" if part.shot == "middle" else "the last shot" if part.shot == -1 else f"shot {part.shot}"
        )
    if part.pieces:
        name = {2: "half", 3: "third", 4: "quarter", 5: "fifth"}[part.pieces]
        which = part.piece if part.piece == "middle" else "last" if part.piece == -1 else _nth(int(part.piece or 1))
        return f"the {which} {name}"
    if part.last:
        return f"the last {part.last:g} s"
    return f"the part with {part.visible}"


def frame_spans(ranges: list[tuple[float, float]], v: VideoRef) -> list[list[int]]:
    """Seconds ranges as [lo, hi) frame spans; a gap under half a second is bridged (a cut would only jolt)."""
    spans: list[list[int]] = []
    for a, b in ranges:
        lo = int(round(a * v.fps))
        hi = max(lo + 1, min(v.frames, int(round(b * v.fps))))
        if spans and lo - spans[-1][1] < 0.5 * v.fps:
            spans[-1][1] = hi
        else:
            spans.append([lo, hi])
    return spans


def spans_said(spans: list[list[int]], fps: float) -> str:
    """Frame spans in clock time: "0:01 to 0:03, 0:05 to 0:06"."""
    from vitron_agent.tools.video_time import clock

    return ", ".join(f"{clock(lo / fps)} to {clock(hi / fps)}" for lo, hi in spans)
