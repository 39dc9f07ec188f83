"""Reading which part of a clip a clause means, for the clip records of :mod:`vitron_agent.tools.video_intents`:
the trim handler and its slots ("the first 5 seconds", "from 0:10 to the end", "cut the ending, the last 4
secs", a part without its times asked), and an edit of one part ("speed up the first 4 seconds": that part
cut out, edited and joined back). Split from ``video_intents`` (the records and the other handlers stay there).

The part an edit applies to when it is no span of seconds (a shot, a half, the part with a thing, the last N
seconds) and the frames it holds are read here too (:class:`ClipPart`, :func:`clip_part`, :func:`part_frames`). Before that, "make the last shot black and white", "blur the
first half" and "brighten the part with the cat" edited the whole clip (or tracked "the first half" as a thing).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import VideoRef
from vitron_agent.toolkit import slots
from vitron_agent.toolkit.intents import Intent, register_intent
from vitron_agent.toolkit.tool import ToolContext

__all__ = [
    "ClipPart",
    "clip_part",
    "part_frames",
    "part_said",
    "PART_WORDS",
    "TRIM_INTENT",
    "backwards_span",
    "visible_mode",
    "visible_target",
    "video_or_ask",
    "emit_step",
    "example_lines",
    "on_part",
    "trim_handler",
    "whole_clip_only",
    "trimmed_to_span",
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


NEEDS_VIDEO = "{what} works on a video: pass one (--video PATH, or upload a clip)."
# a time in a clause ("2 seconds", "1:10", "5 s", "half a minute"): the trim rules need one, so
# "cut out the dog" (an image verb) is never read as a trim
_TIME = r"(?=.*(?:\d+\s*(?:s|secs?|seconds?|mins?|minutes?)\b|\d+:\d\d|\b(?:seconds?|minutes?)\b))"
_REMOVE = re.compile(
    r"^(?:cut|chop)\s+(?:off\s+|away\s+|out\s+)?the\s+(?:first|last|opening|final|closing)\b(?!.*\b(?:keep|only)\b)|"
    r"^(?:cut|chop|trim|snip|clip)\s+(?:off\s+|away\s+|out\s+)?the\s+(?:end|ending|outro|intro|opening|beginning|start)\b"
    r"(?!\s*:)(?!.*\b(?:keep|only|(?:begin|start)\w*\s+(?:at|from))\b)|"
    r"\b(?:cut|trim|chop|clip)\s+(?:out\s+|off\s+|away\s+)?(?:everything|all|anything)\s+(?:after|before|past|until|from)\b|"
    r"\b(?:remove|drop|cut off|cut away|chop(?: off)?|delete|get rid of|lose|skip|trim off|cut|shave|trim|snip|take|knock)\b.*\boff\b|"
    r"\b(?:trim|cut|shave|chop|snip|take|knock|remove)\b.*\bfrom\s+the\s+(?:start|beginning|end|front|back)\b|"
    r"\b(?:remove|drop|chop|delete|get rid of|lose|skip|trim off|cut away|cut off|cut out(?!.*\bkeep (?:it|that|this|them)\b)|take out|take off|snip|shave off|clip off|clip out)\b",
    re.I,
)
# "trim the first 5 seconds" (no "to", "down to", "keep" or "only"): the part named is what is trimmed away;
# "trim it to the first 5 seconds" / "trim the clip down to 5 seconds" keep it
_TRIM_OFF = re.compile(
    r"^(?:trim|shave|snip)\s+(?:off\s+|away\s+)?the\s+(?:first|last|opening|final|closing|initial|starting|ending)\b"
    r"(?!.*\b(?:keep|only|just|leave)\b)",
    re.I,
)
_WISH = (
    r"^(?:(?:please|ok|okay|so)\s+)?(?:(?:can|could|would) you\s+(?:please\s+)?)?(?:just|only|"
    r"(?:i|we)(?:'d| would)? (?:only |just )?(?:want|need|like)|give me|let me (?:have|see)|(?:can|could) (?:i|we) "
    r"(?:have|get)|leave me|show me)\b\s*"
)
_SECONDS = r"(?:s|secs?|seconds?|mins?|minutes?)\b"
# a span of time: "1.5 to 4 seconds", "0:05-0:15", "seconds 3 to 8", "from 2 s to 5 s"
_SPAN = (
    r"(?:\d+(?:\.\d+)?\s*(?:s|secs?|seconds?)?\s*(?:to|-|through|till|until)\s*\d+(?:\.\d+)?\s*"
    + _SECONDS
    + r"|\d+:\d\d\s*(?:-|to|through|thru|till|until)\s*\d+:\d\d|\bseconds?\s+\w+(?:\.\d+)?\s*(?:to|through|till|until|-)\s*\w+)"
)
# "skip to when the car shows up", "jump ahead to the part with the dog", "start it when the cat appears"
_SKIP_TO = re.compile(
    r"^(?:(?:please|just)\s+)?(?:skip|jump|fast[- ]forward|go|forward|advance|move)\s+(?:straight\s+|right\s+)?"
    r"(?:ahead\s+|forward\s+)?to\b|^(?:start|begin)\s+(?:it\s+|the (?:video|clip|footage)\s+)?(?:when|where|at the)\b",
    re.I,
)
# "get rid of the part with …", "cut the bit where …", "lose the scenes with …": the parts seen are cut away
_CUT_PART = re.compile(
    r"^(?:cut|chop|snip)\s+(?:out\s+|away\s+)?(?:the|any|all(?:\s+the)?|every)\s+" + _PARTS + r"\b|"
    r"\b(?:without|except(?:\s+for)?|but not)\s+(?:the\s+)?" + _PARTS + r"\b",
    re.I,
)


_SPAN_ENDS = re.compile(
    r"(?P<a>\d+:\d\d(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<ua>s|secs?|seconds?|m|mins?|minutes?)?\s*"
    r"(?:to|-|until|till|through|thru)\s*(?P<b>\d+:\d\d(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<ub>s|secs?|seconds?|m|mins?|minutes?)?\b",
    re.I,
)
BACKWARDS = (
    "The range you gave runs backwards: it starts at {a} and ends at {b}, before its start. Did you mean from {b} "
    "to {a}? Say e.g. 'trim from {b} to {a}'."
)


def _seconds(value: str, unit: str | None) -> float:
    if ":" in value:
        m, s = value.split(":", 1)
        return 60 * float(m) + float(s)
    return float(value) * (60.0 if unit and unit.lower().startswith("m") else 1.0)


def visible_mode(text: str) -> dict[str, str]:
    """trim_video's ``visible_part`` for a clause naming a part by what is in it: kept (no argument), removed
    ("get rid of the part with the motorbike", "cut the bit where the dog appears", "without the scenes with
    the cup"), or kept from its first appearance ("skip to when the car shows up")."""
    if _SKIP_TO.search(text):
        return {"visible_part": "from_first"}
    if re.search(
        r"\b(?:everything|all(?: of it)?|the rest)\s+(?:except|but|apart from|other than|besides)\b", text, re.I
    ):
        return {}  # "delete everything except the part with the cat": that part kept
    if re.search(r"\b(?:keep|leave|only|just)\b", text, re.I) and not _CUT_PART.search(text):
        return {}
    if _CUT_PART.search(text) or _REMOVE.search(text):
        return {"visible_part": "remove"}
    return {}


def backwards_span(call) -> bool:
    """Asks back (True) when the clause names a time range whose end comes before its start ("trim from 5 s
    to 2 s", "cut 0:04-0:01"): never silently swapped, never run."""
    from vitron_agent.tools.video_time import clock

    span = slots.time_range(call.text)
    if span is None or span[1] is None:
        return False
    for m in _SPAN_ENDS.finditer(slots.digits(call.text.lower())):
        unit = m.group("ub") or m.group("ua")
        a, b = _seconds(m.group("a"), m.group("ua") or unit), _seconds(m.group("b"), unit)
        # the two ends as the time reader reads them, in the other order ("1 minute 10 to 1 minute 20" is no
        # "10 to 1")
        if b < a and abs(a - span[1]) < 1e-6 and abs(b - span[0]) < 1e-6:
            call.ask(BACKWARDS.format(a=clock(a), b=clock(b)))
            return True
    return False


_BOTH_ENDS = re.compile(
    r"\bthe\s+first\s+and\s+(?:the\s+)?last\s+(\S+\s+(?:s|secs?|seconds?)\b|(?=(?:second|sec)\b))", re.I
)


# a part named by what it is, not by its times ("the boring bit at the start", "the intro"): which seconds is asked
_PART_WITHOUT_TIME = re.compile(
    r"^(?:cut|trim|remove|drop|delete|get rid of|lose|skip|chop|snip|clip|shave)\s+(?:off\s+|out\s+|away\s+)?(?:the\s+)?"
    r"(?:\w+\s+){0,2}(?:intro|outro|opening|ending|beginning|start|end|bit|part|section|stretch|piece)\b",
    re.I,
)
# "everything except the middle", "cut out the middle part": a piece out of the middle (not supported)
_MIDDLE_CUT = re.compile(
    r"\b(?:except|but|apart from|other than|without)\s+(?:for\s+)?the\s+middle\b(?!\s+(?:frame|one)\b)|"
    r"^(?:cut|remove|drop|delete|get rid of|lose|skip)\s+(?:out\s+)?the\s+middle\b(?!\s+(?:frame|one)\b)",
    re.I,
)
MIDDLE_CUT = "Cutting a piece out of the middle is not supported; keep a part instead ('from 0:10 to 0:25')."


# "trim 1 second off each end", "shave half a second from both ends"
_EACH_END = re.compile(
    r"\b((?:\S+\s+)?(?:s|secs?|seconds?)|a\s+second|half\s+a\s+second)\s+(?:off|from)\s+(?:each|both|either)\s+ends?\b",
    re.I,
)
# a share of the clip ("the first 10 percent", "the second half"): trims go by seconds (asked)
_SHARE = re.compile(
    r"\b(?:the\s+)?(?:first|last|second|final|opening|closing|middle|other)\s+(?:(?:half|third|quarter|fifth|tenth)\b"
    r"(?!\s+(?:of\s+)?(?:an?\s+)?(?:s|secs?|seconds?|mins?|minutes?)\b)|\d+(?:\.\d+)?\s*(?:%|percent\b|per cent\b))",
    re.I,
)
SHARE = (
    "I cut by seconds, not by shares of the clip: say which seconds, e.g. 'keep the first 5 seconds' or "
    "'keep from 0:10 to the end' (the clip's length is in the answer to 'how long is the video?')."
)


def video_or_ask(call, tool: str, what: str) -> bool:
    """Whether the clause can run ``tool``: on an image it asks for a video; without the tool it notes so."""
    if not call.video:
        call.ask(NEEDS_VIDEO.format(what=what))
        return False
    if not call.has_tool(tool):
        call.note(f"{call.text!r} needs the {tool} tool, which is not configured; skipped.")
        return False
    return True


def emit_step(call, tool: str, output: str = "video", **args) -> None:
    """Add ``tool`` on the current clip; its ``output`` becomes "it" for the next clause."""
    sid = call.add(tool, video=call.picture, **args)
    call.set_output(sid, output)


# "the busiest 6 seconds", "the most action-packed 10 s": the seconds with the most motion (highlight_video)
_LIVELIEST = re.compile(
    r"\b(?:busiest|liveliest|most\s+(?:action(?:[- ]packed)?|motion|movement|active|lively)|"
    r"action[- ]packed)\s+(?:\S+\s+)?(?:s|secs?|seconds?|mins?|minutes?)\b",
    re.I,
)


# "chop the clip so it starts at 0:04", "shorten it so that it ends at 8 s": one end said
_SO_IT = re.compile(
    r"\bso(?:\s+that)?\s+(?:it|the (?:video|clip|footage))\s+(?P<side>starts?|begins?|ends?|stops?|finishes)\s+"
    r"(?:at|from|by)\s+(?P<t>(?:(?!\b(?:and|to|till|until|ends?|stops?|starts?|begins?)\b)[^,;])+?)\s*$",
    re.I,
)
_JUDGED = re.compile(
    r"\b(best|good|nicest|funniest|coolest|most (?:exciting|interesting|important|beautiful)|prettiest)\s+(?:\S+\s+)?"
    r"(?:s|secs?|seconds?|mins?|minutes?|bits?|parts?|moments?)\b",
    re.I,
)
JUDGED = (
    "I can't tell which part is the {what}: I measure motion, not interest. I can keep the seconds with the most "
    "motion ('make a 5 second highlight') or a span you name ('keep 0:03 to 0:08')."
)


def _part_by_kind(call, text: str) -> bool:
    """A part named by its motion ("the busiest 6 seconds": a highlight), by a judgement ("the best 5 seconds":
    asked), by one end ("so it starts at 0:04") or as a middle cut (asked); True when planned or asked so."""
    if _LIVELIEST.search(text) and call.has_tool("highlight_video") and (d := slots.duration(text)) is not None:
        emit_step(call, "highlight_video", seconds=d)  # (it kept the first 6 s)
        return True
    if judged := _JUDGED.search(text):  # (it kept the first 5 s)
        call.ask(JUDGED.format(what=judged.group(1).lower()))
        return True
    if (so := _SO_IT.search(text)) and (at := slots.timestamp(so.group("t"))) is not None:
        start = so.group("side").lower().startswith(("start", "begin"))  # (it ended the clip at 0:04)
        emit_step(call, "trim_video", **({"start": at} if start else {"end": at}))
        return True
    if _MIDDLE_CUT.search(text):  # "everything except the middle": no middle cut
        call.ask(MIDDLE_CUT)
        return True
    return False


def trim_handler(call) -> None:
    """first / last N s, from A to B, drop the first / last N s, or the part where X is visible."""
    if not video_or_ask(call, "trim_video", "Trimming"):
        return
    text = call.text
    if backwards_span(call) or _part_by_kind(call, text):
        return
    if _SHARE.search(text) and not re.search(r"\d\s*(?:s|secs?|seconds?|mins?|minutes?)\b|\d:\d\d", text, re.I):
        call.ask(SHARE)
        return
    if both := _BOTH_ENDS.search(text) or _EACH_END.search(text):  # "cut the first and last second": off each end
        d = slots.duration(both.group(1) or "1 second")
        if d is not None:
            emit_step(call, "trim_video", start=d)
            emit_step(call, "trim_video", drop_last=d)
            return
    what = visible_target(text)
    if what and not slots.time_range(text):
        emit_step(call, "trim_video", visible=what, **visible_mode(text))
        return
    span = slots.time_range(call.rest) or slots.time_range(text)
    if (whole := slots.time_range(text)) and whole[0] > 0 and whole[1] is not None:
        span = whole  # both ends said in the clause ("start at 3 s and end at 7 s"): the most exact reading
    if span is None and (by := re.search(r"^(?:shorten|trim|cut)\b.*\bby\s+(.+)$", text, re.I)):
        if (d := slots.duration(by.group(1))) is not None:  # "shorten it by 2 seconds": off the end
            call.note(f"I cut the last {d:g} seconds (say 'cut the first {d:g} seconds' for the start).")
            emit_step(call, "trim_video", drop_last=d)
            return
    if span is None and (
        length := re.search(
            r"\b(?:(?:down\s+)?to|keep|just|only|shorter(?:\s+to)?)\s+(?:just\s+|only\s+)?(.+?)(?:\s+long)?$",
            text,
            re.I,
        )
        or re.search(r"^make\s+(?:it|the (?:video|clip|footage))\s+(?:only\s+|just\s+)?(.+?)\s+long$", text, re.I)
    ):
        if (d := slots.duration(length.group(1))) is not None:  # "cut the clip down to 5 seconds": its first 5 s
            call.note(f"I kept the first {d:g} seconds (say 'the last {d:g} seconds' for the end).")
            span = (0.0, d)
    part = _PART_WITHOUT_TIME.match(text)
    if span is None and part and (d := slots.duration(text[part.end() :])) is not None:
        end_side = re.search(r"\b(?:end|ending|outro|finish)\b", part.group(0), re.I)  # "remove the start, about 2 s"
        span = (-d, None) if end_side else (0.0, d)
    if span is None and part:  # "cut the boring bit at the start"
        call.ask(
            f"Which seconds are {part.group(0).split(None, 1)[1]!r}? Say e.g. 'cut the first 3 seconds' or "
            "'keep from 0:05 to the end'."
        )
        return
    if span is None:
        call.ask("Which part should I keep? Say e.g. 'the first 5 seconds', 'the last 3 s' or 'from 0:10 to 0:25'.")
        return
    start, end = span
    # "… and keep the rest": the part named is cut away
    cut = re.sub(
        r"\s+(?:and\s+)?(?:keep|leave)\s+(?:the rest|everything else|what(?:'s| is) left)\s*$", "", text, flags=re.I
    )
    if cut != text:
        text = re.sub(r"^(?:trim|shave|snip)\b", "cut", cut, flags=re.I)
    elif _TRIM_OFF.search(text):  # "trim the first 5 seconds": trimmed off, as editors mean it (said so)
        what = f"first {end:g}" if start == 0 and end is not None else f"last {-start:g}" if start < 0 else ""
        if what:
            call.note(
                f"I read 'trim the {what} seconds' as cutting them off (say 'keep only the {what} seconds' to keep them)."
            )
            emit_step(call, "trim_video", **({"start": end} if start == 0 else {"drop_last": -start}))
            return
    if _REMOVE.search(text):  # what to cut away: keep the rest
        if start < 0:
            emit_step(call, "trim_video", drop_last=-start)
        elif start == 0 and end is not None:
            emit_step(call, "trim_video", start=end)
        elif end is None:
            emit_step(call, "trim_video", end=start)
        else:
            call.ask(MIDDLE_CUT)
        return
    _keep_span(call, start, end)


def _keep_span(call, start: float, end: float | None) -> None:
    """A trim step keeping (start, end) as slots.time_range gives it: (-3, None) the last 3 s, (0, 5) the
    first 5 s, else from start to end."""
    if start < 0:
        emit_step(call, "trim_video", last=-start)
    elif start == 0 and end is not None:
        emit_step(call, "trim_video", first=end)
    else:
        emit_step(call, "trim_video", start=start, end=end)


# a part of the clip named in a clause whose tool works on the whole clip ("speed up the middle part",
# "reverse the last 3 seconds"): said first, never dropped silently
_PART = re.compile(
    r"\b(?:the\s+)?(?:first|last|opening|final|closing|middle|end(?:ing)?|start(?:ing)?|beginning)\s+"
    r"(?:(?:\S+\s+)?(?:s|secs?|seconds?|mins?|minutes?|frames?)|part|bit|half|section|portion|third|quarter|moments?)\b"
    r"|\b(?:from|between)\s+(?:\d|the\s+\d)",
    re.I,
)


def whole_clip_only(call, what: str) -> None:
    """A note that leads the answer when the clause names a part of the clip ``what`` cannot be limited to."""
    if (part := _PART.search(call.text[:300])) is not None:
        call.note(
            f"I did not do it on {part.group(0).strip()!r} only: {what} works on the whole clip here, so I did it to "
            f"all of it. To change only that part, keep it first ('keep {part.group(0).strip()}') and ask again."
        )
    elif (thing := visible_target(call.text[:300])) is not None:  # "slow down the part with the cat"
        call.note(
            f"I did not do it on the part with {thing} only: {what} works on the whole clip here, so I did it to all "
            f"of it. To change only that part, keep it first ('keep the part with {thing}') and ask again."
        )


_CLOCK_SPAN = re.compile(r"\d+:\d\d\s*(?:-|to|through|thru|until|till)\s*\d+:\d\d")


def on_part(call, tool: str, done: str, **args) -> bool:
    """``tool`` on only the part of the clip the clause names ("speed up the first 4 seconds", "reverse the
    last 3 s"): the clip cut into the part before, the part, and the part after, ``tool`` on the part, and the
    pieces joined in order; a note says so. False (nothing added) when no part is named or a tool is missing."""
    named = _PART.search(call.text[:300]) or _CLOCK_SPAN.search(call.text[:300])
    if named and backwards_span(call):  # "speed up from 0:05 to 0:02": asked, never swapped
        return True
    span = slots.time_range(call.text) if named else None
    if span is None or not all(call.has_tool(t) for t in ("trim_video", "concat_videos")):
        return False
    start, end = span
    if start == 0 and end is None:  # the whole clip named
        return False
    if start < 0:
        before, part, after = {"drop_last": -start}, {"last": -start}, None
    elif start == 0:
        before, part, after = None, {"first": end}, {"start": end}
    else:
        before, part = {"end": start}, {"start": start, "end": end}
        after = {"start": end} if end is not None else None
    source = call.picture
    pieces = [call.add("trim_video", video=source, **before)] if before else []
    pieces.append(call.add(tool, video=f"${call.add('trim_video', video=source, **part)}.video", **args))
    if after:
        pieces.append(call.add("trim_video", video=source, **after))
    joined = pieces[0]
    for piece in pieces[1:]:
        joined = call.add("concat_videos", video=f"${joined}.video", other=f"${piece}.video")
    call.set_output(joined, "video")
    said = (
        f"the last {-start:g} s"
        if start < 0
        else f"the first {end:g} s"
        if start == 0
        else f"{start:g} s to {end:g} s"
        if end is not None
        else f"from {start:g} s on"
    )
    call.note(f"I {done} only {said} and joined the rest back around it.")
    return True


def trimmed_to_span(call) -> None:
    """Trim the clip to the span the clause names ("a boomerang of the first second"), if one."""
    span = slots.time_range(call.text)
    if span is not None and call.has_tool("trim_video"):
        _keep_span(call, *span)


def example_lines(block: str) -> tuple[str, ...]:
    """One example utterance per non-blank line of ``block``."""
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


TRIM_INTENT = register_intent(
    Intent(
        "trim_video",
        patterns=(
            r"^(?:trim|shorten)\b" + _TIME,
            r"^(?:(?:only|just)\s+)?(?:cut|clip|chop|keep|remove|drop|delete|get rid of|lose|skip|take out|take off|snip|"
            r"shave(?: off)?)\b" + _TIME,
            # "the last 4 secs are all i need", "the first 10 seconds will do"
            r"^(?:the\s+)?(?:first|last|opening|final|closing)\s+(?:\S+\s+)?"
            + _SECONDS
            + r"(?=.*\b(?:need|want|keep|enough|do|matter)\b)",
            # "take seconds 3 to 6", "grab 0:02-0:05": a span taken is a part kept (a frame is named so)
            r"^(?:take|grab|get|pull|use)\b(?!.*\b(?:frames?|still|snapshot|screenshot|picture|image|photo|thumbnail)\b)"
            + r"(?=.*"
            + _SPAN
            + ")",
            # "take the last 3 seconds and play them backwards": a part taken is a part kept
            r"^(?:take|grab|use)\s+(?:just\s+|only\s+)?the\s+(?:first|last|opening|final|closing)\s+(?:\S+\s+)?"
            + _SECONDS
            + r"(?!.*\b(?:off|away|out)\b)",
            # "cut the boring bit at the start", "remove the intro": a part without its times (asked which)
            _PART_WITHOUT_TIME.pattern,
            # "lose the first 10 percent", "keep the second half": a share of the clip (asked in seconds)
            r"^(?:(?:just|only)\s+)?(?:cut|trim|remove|drop|delete|get rid of|lose|skip|chop|snip|keep|leave|take)\s+(?:off\s+|out\s+)?"
            + _SHARE.pattern,
            # "everything except the middle": a middle cut (said not supported)
            r"^(?:(?:keep|leave)\s+)?(?:everything|all(?: of it)?)\s+(?:except|but|apart from|other than)\s+the\s+middle\b",
            r"^(?:cut|remove|drop|delete|get rid of|lose|skip)\s+(?:out\s+)?the\s+middle\b(?!\s+(?:frame|one)\b)",
            # "from the 3 second mark to the end please": kept from there on
            r"^(?:\w+\s+){0,3}from\b" + _TIME + r"(?=.*\b(?:to|till|until)\s+the\s+(?:very\s+)?(?:end|finish)\b)",
            # "cut the clip at 8 seconds": where it ends
            r"^cut\s+(?:it|the (?:clip|video|footage))\s+(?:off\s+)?at\b" + _TIME,
            # "can you cut the first and last second": both ends
            r"^(?:cut|trim|remove|drop|chop)\s+(?:off\s+)?the\s+first\s+and\s+(?:the\s+)?last\b" + _TIME,
            # "get rid of the part with the motorbike", "lose the scenes where the cup is", "cut out the bits with
            # people": the parts where a thing is seen, removed
            r"^(?:(?:please|now|ok|so)\s+)?(?:remove|delete|drop|lose|skip|cut|chop|snip|get rid of|take out|edit out|"
            r"throw away|trim|clip)\s+(?:out\s+|away\s+|off\s+)?(?:the|any|all(?:\s+the)?|every)\s+"
            + _PARTS
            + r"\s+(?:with|where|when|while|showing|featuring|containing|(?:that|which)\s+(?:shows?|has|have|contains?|features?|includes?))\b",
            # "delete everything except the part with the cat": that part kept
            r"^(?:remove|delete|drop|cut|lose|get rid of|trim)\s+(?:out\s+|away\s+)?(?:everything|all(?: of it)?)\s+"
            r"(?:except|but|apart from|other than|besides)\s+(?:for\s+)?the\s+"
            + _PARTS
            + r"\s+(?:with|where|when|while)\b",
            # "keep only the parts with people", "leave just the scenes showing the cat"
            r"^(?:(?:please|now|ok|so)\s+)?(?:(?:only|just)\s+)?(?:keep|leave|show|give me|save)\s+(?:me\s+)?"
            r"(?:only\s+|just\s+)?(?:the\s+)?"
            + _PARTS
            + r"\s+(?:with|where|when|while|showing|featuring|containing|(?:that|which)\s+(?:shows?|has|have|contains?|features?|includes?))\b",
            # "get rid of the motorbike part", "keep only the cat scenes": the part named by its thing
            r"^(?:(?:please|now|ok|so)\s+)?(?:(?:only|just)\s+)?(?:remove|delete|drop|lose|skip|cut|get rid of|take out|"
            r"edit out|keep|leave)\s+(?:out\s+)?(?:only\s+|just\s+)?the\s+(?!(?:first|second|third|fourth|fifth|last|final|"
            r"opening|closing|middle|next|other|\d+\w*)\b)(?:[a-z-]+\s+){1,2}(?:parts?|bits?|scenes?|"
            r"sections?|shots?|moments?)\s*$",
            # "skip to when the car shows up", "jump ahead to the part with the dog"
            "(?:" + _SKIP_TO.pattern + r")(?=.*\b(?:when|where|while|part|bit|moment|scene|section|point)\b)",
            # "take 3 s off the start", "shave 2 seconds off the end"
            "^"
            + _TIME
            + r"(?:take|shave|cut|trim|chop|snip|knock)\s+.*\boff\s+(?:of\s+)?the\s+(?:end|ending|start|beginning|front|back)\b",
            # "cut this from 2 to 4": bare numbers after "from … to" on a clip are seconds
            r"^(?:cut|clip|trim|keep)\b(?=.*\bfrom\s+\d+(?:\.\d+)?\s+(?:to|until|till|through)\s+\d+(?:\.\d+)?\s*$)",
            # "make it only 3 seconds long"
            r"^make\s+(?:it|the (?:video|clip|footage))\s+(?:only\s+|just\s+)?\S+\s+" + _SECONDS + r"\s+long\b",
            r"^(?:trim|cut|clip|keep)\s+(?:it\s+|the (?:video|clip|footage)\s+)?(?:down\s+)?(?:to\s+)?(?:only\s+|just\s+)?"
            r"(?:(?:the\s+)?(?:part|bit|section|portion|moments?)\s+)?(?:where|when|while)\b",
            r"^(?:trim|cut|clip|keep)\s+(?:it\s+|the (?:video|clip|footage)\s+)?(?:down\s+)?(?:to\s+)?(?:only\s+|just\s+)?"
            r"(?:the\s+)?(?:part|bit|section|portion|moments?)\s+with\b",
            # "trim the video so only the part with the horse is left"
            r"^(?:trim|cut|edit|shorten|clip)\s+(?:it|the (?:video|clip|footage))\s+(?:so|so that)\s+(?:only|just)\s+(?:the\s+)?"
            r"(?:part|bit|section|portion|scenes?|moments?)\s+(?:where|when|while|with)\b",
            # a wish or a bare span on a clip: "just the first five seconds", "give me 1.5 to 4 seconds of it",
            # "i want the bit where the dog is on screen"
            _WISH + r"(?:just\s+|only\s+)?(?:the\s+)?(?:first|last|opening|final|closing)\s+(?:\S+\s+)?" + _SECONDS,
            r"^(?:only\s+)?(?:the\s+)?(?:first|last|opening|final|closing)\s+(?:\S+\s+)?"
            + _SECONDS
            + r"(?:\s+of\s+(?:it|this|the\s+(?:video|clip|footage)))?(?:\s+(?:only|please|pls))?\s*$",
            _WISH + r"(?=.*" + _SPAN + ")",
            # a bare span on a clip: "seconds 3 through 8 only", "0:04-0:09 please", "2 to 5 s only"
            r"^(?:only\s+|just\s+)?(?:the\s+)?(?:from\s+)?(?="
            + _SPAN
            + r"(?:\s+(?:only|please|pls|of (?:it|the (?:video|clip))))*\s*$)",
            "(?:"
            + _WISH
            + r")?(?:just\s+|only\s+)?(?:the\s+)?(?:part|bit|section|portion|moments?|scenes?|clip|frames?)\s+"
            r"(?:where|when|while|with)\b",
            # "the part between 1 and 3 seconds", "show only the bit from 3 to 6 secs"
            r"^(?:\w+\s+){0,3}(?:the\s+)?(?:part|bit|section|portion|piece|segment|stretch)\s+(?:from|between)\b"
            + _TIME,
            # "make it start at 3s and end at 7s", "end the video at 0:09"
            r"^(?:(?:make|have|let)\s+(?:it|the (?:video|clip))\s+)?(?:start|begin)\s+(?:it\s+|the (?:video|clip|footage)\s+)?"
            r"(?:at|from)\b" + _TIME,
            # "make it start 1.5s in", "have the clip begin 2 seconds in"
            r"^(?:(?:make|have|let)\s+(?:it|the (?:video|clip|footage))\s+)?(?:start|begin)\s+\S+\s*"
            + _SECONDS
            + r"\s*in\b",
            r"^(?:(?:make|have|let)\s+(?:it|the (?:video|clip|footage))\s+(?:end|stop|finish)|"
            r"(?:end|stop|finish)\s+(?:it|the (?:video|clip|footage)))\s+(?:at|by)\b" + _TIME,
        ),
        examples=example_lines("""
        trim the clip to its first three seconds
        shorten the video to 4 seconds
        keep only the opening 2 s
        cut it down to the first ten seconds
        just the last 5 seconds please
        keep the final 3 s of the clip
        trim from 0:12 to 0:20
        cut the footage between 1:05 and 1:30
        keep from 5 s to 9 s
        only keep the part from 00:03 to 00:07
        chop off the first two seconds
        remove the last 4 seconds
        drop everything before 0:15
        delete everything after the 20 second mark
        cut the intro, the first 3 seconds
        get rid of the final second
        keep just the part where the dog is visible
        only the section where the car is on screen
        trim it to when the person is in the frame
        clip the bit where the cat shows up
        can you shorten this clip to the first 6 seconds?
        I only need seconds 2 to 5
        make it just the first half minute
        trim the beginning off, the first 1.5 seconds
        shorten it so it ends at 0:08
    """),
        slots=("time_range", "target"),
        help="trim the video: the first / last N seconds, from 1:10 to 1:25, the part where <target> is visible",
        handler=trim_handler,
        media="video",
    )
)
