"""The sentences that ask for :mod:`vitron_agent.tools.video_effects` ("add a fade out", "freeze frame at
3 s", "make a 5 second highlight", "extract every 10th frame", "which frame is sharpest?") and the ones
asked of a part no tool can find ("speed up the boring part": which part is boring is asked, with what
can be done). Records of the intent table, tried before the built-in table: on a clip, "fade" is a
fade to black here, never the colour edit of a picture."""

from __future__ import annotations

import re

from vitron_agent.toolkit import slots
from vitron_agent.toolkit.intents import Intent, register_intent
from vitron_agent.tools.video_clip_parts import whole_clip_only
from vitron_agent.tools.video_intents import emit_step, example_lines, video_or_ask

__all__ = ["VIDEO_EFFECT_INTENTS", "sheet_every"]

BORING = (
    "I can't tell which part is {what}: I measure motion, not interest. I can speed up the whole clip ('make it "
    "2x faster'), keep a span you name ('keep 0:03 to 0:08'), or keep the seconds with the most motion ('make a "
    "5 second highlight')."
)
_ORDINALS = {"other": 2, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "tenth": 10}


# "fade it in", "a fade at the start"; "fade the clip out", "fade to black at the end"; "in and out", "both ends"
_IT = r"(?:[- ]?|\s+(?:it|this|that|the (?:video|clip|footage|movie|film))\s+)"
_FADE_IN = re.compile(
    r"\bfade[sd]?"
    + _IT
    + r"in\b|\bfrom black\b|\bfade[sd]? up\b|\b(?:at|on|to|from) the (?:very )?(?:start|beginning|opening)\b"
)
_FADE_OUT = re.compile(
    r"\bfade[sd]?"
    + _IT
    + r"out\b|\bto black\b|\bfade[sd]? (?:down|away)\b|\b(?:at|on|to) the (?:very )?(?:end|ending|close)\b"
    r"|\bfade (?:the )?(?:ending|end|outro)\b"
)
_FADE_BOTH = re.compile(
    r"\bin and (?:fade )?out\b|\bout and (?:fade )?in\b|\bboth (?:ends|sides)\b|\beach end\b"
    r"|\b(?:start|beginning) and (?:the )?end\b"
)


def fade_handler(call) -> None:
    if not video_or_ask(call, "fade_video", "A fade"):
        return
    text = call.text.lower()
    inward = bool(_FADE_IN.search(text) or _FADE_BOTH.search(text))
    outward = bool(_FADE_OUT.search(text) or _FADE_BOTH.search(text))
    if not inward and not outward and re.search(r"\bcolou?rs?\b|\bsaturat|\btones?\b|\bwash", text):
        emit_step(call, "edit_video", operation="desaturate", amount=0.5)  # "fade the colours": not a fade to black
        return
    fade = "both" if inward and outward else "in" if inward else "out"
    if not inward and not outward:
        call.note("I faded out to black at the end (say 'fade in' for the start).")
    if re.search(r"\bto white\b|\bfrom white\b", text):
        call.note("Fades here go to and from black, not white.")
    seconds = slots.duration(text)
    if seconds is None:
        call.note("Each fade lasts 1 s (say e.g. 'a 2 second fade out' to choose).")
    emit_step(call, "fade_video", fade=fade, seconds=seconds or 1.0)


_ENDS = re.compile(
    r"\b(?:the\s+)?(?:(?P<first>first|opening|start(?:ing)?|beginning)|last|final|closing|end(?:ing)?)\s+"
    r"(?:frame|image|picture|shot|moment)\b|\bat\s+the\s+(?:(?P<first2>start|beginning)|end)\b"
)


def freeze_handler(call) -> None:
    if not video_or_ask(call, "freeze_frame", "A freeze frame"):
        return
    text = call.text.lower()
    at = re.search(r"\b(?:at|on|from)\s+(.+?)(?=\s+for\b|$)", text)
    held = re.search(r"\bfor\s+(.+)$", text)
    time = slots.timestamp(at.group(1)) if at else None
    if time is None and not held:
        time = slots.timestamp(text)
    if time is None and (end := _ENDS.search(text)):  # "hold the first frame for 2 seconds", "freeze the ending"
        time = 0.0 if end.group("first") or end.group("first2") else -1.0
    if time is None:
        call.ask(
            "Which moment should I freeze? Say e.g. 'freeze frame at 3 s' (or 'for 2 seconds' to choose how long)."
        )
        return
    said = re.sub(r"^(?:just\s+)?(?:a|one)\s+(?=sec)", "1 ", held.group(1)) if held else ""  # "for a second"
    said = re.sub(r"^half\s+a\s+(?=sec)", "0.5 ", said)
    seconds = slots.duration(said) if held else None
    if seconds is None:
        call.note("I held it for 2 s (say e.g. 'for 3 seconds' to choose).")
    emit_step(call, "freeze_frame", time=time, seconds=seconds or 2.0)


def highlight_handler(call) -> None:
    if verb := re.match(r"^highlight\s+(?!reels?\b|clips?\b|videos?\b)(.+)$", call.text.strip(), re.I):
        # "highlight the dog": mark it, as the track intent does (the matcher can send the verb here)
        if video_or_ask(call, "track", "Following a thing"):
            emit_step(call, "track", output="track", target=call.target_words(verb.group(1)))
        return
    if not video_or_ask(call, "highlight_video", "A highlight"):
        return
    seconds = slots.duration(call.text)
    if seconds is None:
        call.note("I made it 5 s long (say e.g. 'a 10 second highlight' to choose).")
    whole_clip_only(call, "a highlight")
    emit_step(call, "highlight_video", seconds=seconds or 5.0)


def boring_handler(call) -> None:
    what = re.search(r"\b(boring|dull|slow|uneventful|quiet|empty|exciting|interesting|best|good)\b", call.text, re.I)
    call.ask(BORING.format(what=what.group(1).lower() if what else "meant"))


def sheet_every(text: str) -> tuple[int | None, int | None]:
    """(every, count) a sheet request names: "every 10th frame" -> (10, None), "every other frame" -> (2, None),
    "12 frames" -> (None, 12); (None, None) when it names neither."""
    low = text.lower()
    if m := re.search(r"\bevery\s+(\d+)(?:st|nd|rd|th)?\s+frames?\b", low):
        return max(1, int(m.group(1))), None
    if m := re.search(r"\bevery\s+(other|second|third|fourth|fifth|tenth)\s+frame\b", low):
        return _ORDINALS[m.group(1)], None
    if m := re.search(r"\b(\d+)\s+(?:key\s*)?(?:frames|thumbnails|stills)\b", low):
        return None, int(m.group(1))
    return None, None


def sheet_handler(call) -> None:
    if not video_or_ask(call, "frame_sheet", "A contact sheet of frames"):
        return
    every, count = sheet_every(call.text)
    if every is None and count is None:
        call.note("I put up to 12 frames, evenly spread, on one sheet (say e.g. 'every 10th frame' to choose).")
    whole_clip_only(call, "a contact sheet")
    emit_step(call, "frame_sheet", output="image", every=every, count=count or None)  # > 60: refused naming the range


def sharpest_handler(call) -> None:
    if video_or_ask(call, "sharpest_frame", "Finding the sharpest frame"):
        whole_clip_only(call, "finding the sharpest frame")
        emit_step(call, "sharpest_frame", output="image")


VIDEO_EFFECT_INTENTS = (
    Intent(
        "fade_video",
        patterns=(r"^(?=.*\bfade[sd]?[- ]?(?:in|out|to black|from black|up|away)\b)",),
        examples=example_lines("""
            add a fade out
            fade in from black
            fade it out at the end
            add a fade in and fade out
            a 2 second fade to black
            make the video fade out
        """),
        slots=("duration",),
        help="fade the video in from black / out to black (N seconds; the sound fades too)",
        handler=fade_handler,
        media="video",
    ),
    Intent(
        "freeze_frame",
        patterns=(
            r"^(?=.*\bfreeze\b)(?!.*\b(?:colou?rs?|face)\b)",
            r"^(?:hold|pause)\s+(?:on\s+)?the\s+(?:(?:first|last|final|opening|closing|end|ending|start)\s+)?frame\b",
        ),
        examples=example_lines("""
            freeze frame at 3 s
            freeze the frame at 2 seconds for 3 seconds
            hold the frame at 0:05 for 2 seconds
            add a freeze frame at 4 s
            pause on the frame at 1:10
        """),
        slots=("timestamp", "duration"),
        help="freeze frame: hold the frame at a time for N seconds, then play on",
        handler=freeze_handler,
        media="video",
    ),
    Intent(
        "highlight_video",
        # the noun ("a 5 second highlight", "the highlights"), not the verb ("highlight the goalkeeper")
        patterns=(
            r"^(?!highlight\s+(?!reel|clip|video)\w)(?=.*\b(?:an?|the|\d+\s*(?:s|secs?|seconds?)|second|minute|short|"
            r"quick|make|cut|give me|create|some|its)\s+(?:\w+\s+)?highlights?\b(?!\s+(?:the|it|him|her|them|all)\b))"
            r"(?!.*\b(?:colou?rs?|text|outline|edges?)\b)",
            r"^highlights?\s+(?:reel|clip|video)\b",
        ),
        examples=example_lines("""
            make a 5 second highlight
            give me the highlight of the video
            cut a 10 s highlight
            make a highlight reel
            a short highlight clip
        """),
        slots=("duration",),
        help="a highlight: the N seconds with the most motion (motion, not meaning, chooses)",
        handler=highlight_handler,
        media="video",
        order=-1,  # before trim's "cut ... 10 s"
    ),
    Intent(
        "video_part_by_interest",
        patterns=(
            r"^(?=.*\b(?:boring|dull|uneventful|exciting|interesting)\s+(?:part|bit|bits|parts|section|stretch|"
            r"moments?|scenes?)\b)",
            r"^(?=.*\bthe\s+(?:best|good)\s+(?:part|bit|bits|parts|moments?)\b)",
        ),
        examples=example_lines("""
            speed up the boring part
            cut out the boring bits
            keep only the exciting part
            skip the dull section
            just the best part please
        """),
        help="",
        handler=boring_handler,
        media="video",
        order=-1,  # before "speed it up": which part is the question
    ),
    Intent(
        "frame_sheet",
        patterns=(
            r"^(?=.*\bevery\s+(?:\d+(?:st|nd|rd|th)?|other|second|third|fourth|fifth|tenth)\s+frames?\b)",
            r"^(?=.*\b(?:contact sheet|thumbnails|storyboard|film ?strip)\b)",
            r"^(?:extract|export|save|get|pull|grab|give me|show me|take|pick)\s+(?:out\s+)?\d+\s+(?:key\s*)?"
            r"(?:frames|stills)\b",
        ),
        examples=example_lines("""
            extract every 10th frame
            give me every other frame
            make a contact sheet of the video
            show me 12 frames from the clip
            thumbnails of the video
        """),
        slots=("count",),
        help="every Nth frame (or N frames) on one contact sheet image",
        handler=sheet_handler,
        media="video",
    ),
    Intent(
        "sharpest_frame",
        patterns=(
            r"^(?=.*\b(?:sharpest|least blurr(?:y|ed)|clearest|crispest|most in focus|best focused|"
            r"in best focus)\b)(?=.*\b(?:frame|still|shot|picture|image|moment)\b)",
        ),
        examples=example_lines("""
            which frame is sharpest?
            give me the sharpest frame
            find the least blurry frame
            the clearest still from the video
            pick the most in focus frame
        """),
        help="the sharpest frame of the video (least blurred), as an image",
        handler=sharpest_handler,
        media="video",
    ),
)

for _intent in VIDEO_EFFECT_INTENTS:
    register_intent(_intent)
