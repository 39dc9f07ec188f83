"""The rule planner's geometry step (flip, rotate, resize of the whole picture), and the thing named in
one ("rotate the horse 90 degrees": the whole picture turns, said first). Its own module so that the
generative handlers (:mod:`picture_generation`) and the whole-picture ones (:mod:`picture_steps`) both
use it without importing each other."""

from __future__ import annotations

import re
from typing import Any

from vitron_agent.planners.rule.lexicon import _WHOLE, _restore
from vitron_agent.planners.rule.step_builders import _Builder
from vitron_agent.planners.rule.target_words import clean_target


def _geometry(b: _Builder, clause: str, **args: Any) -> None:
    if b.video_mode and args.get("operation") != "flip":
        _video_geometry(b, clause, args)
        return
    if (thing := _one_thing(clause)) is not None and _ONLY_IT.match(clause.strip()):
        # "rotate only the sign 20 degrees", "tilt just the bottle": the thing alone was asked for; turning the
        # whole picture is not that (it turned the picture, said nothing)
        thing = re.sub(r"\s+(?:only|alone)$", "", thing, flags=re.I)
        b.answer = (
            f"I cannot {args['operation']} {thing!r} alone: I can only {args['operation']} the whole picture. To change "
            f"one thing alone, cut it out first ('cut out {thing}') and then {args['operation']} the cut-out."
        )
        return
    if thing is not None:  # "rotate the horse 90°": the whole picture turns, said first
        verb = {"rotate": "rotate", "flip": "flip", "resize": "resize"}[args["operation"]]
        b.notes.append(
            f"I did not do it on {thing!r} only: I can {verb} only the whole picture, so I did that "
            f"(to change one thing alone, cut it out first: 'cut out {thing}')."
        )
    sid = b.add(b.tool("edit"), **{b.media_arg: b.image}, **args)
    b.image, b.last_output = f"${sid}.{b.media_arg}", b.media_arg
    if args["operation"] != "flip" or not b.video_mode:
        b.mask = None  # the picture moved: earlier masks do not fit it


def _video_geometry(b: _Builder, clause: str, args: dict[str, Any]) -> None:
    """Rotate or resize every frame of the clip (``transform_video``); a toolbox without that tool
    says so (the clause is skipped, never done as something else)."""
    if "transform_video" not in b.toolbox:
        b.notes.append(
            f"{_restore(clause, b.regions)!r}: {args['operation']} works on images here; take a frame first. Skipped."
        )
        return
    if (thing := _one_thing(clause)) is not None:
        b.notes.append(
            f"I did not do it on {thing!r} only: I can {args['operation']} only the whole video, so I did that."
        )
    args = {k: v for k, v in args.items() if k in ("operation", "angle", "scale", "width", "height")}
    sid = b.add("transform_video", video=b.image, **args)
    b.image, b.last_output, b.mask = f"${sid}.video", "video", None  # the frames moved: earlier tracks do not fit


# "rotate the horse 90 degrees", "make the dog twice as big", "flip the car": a thing named, not the picture
_THING_OF_GEOMETRY = re.compile(
    r"^(?:please\s+)?(?:rotate|turn|spin|tilt|flip|mirror|resize|scale|shrink|enlarge|make)\s+(?:only\s+|just\s+)?"
    r"(?P<x>(?:the|his|her|their|that|this)\s+[a-z]+(?:\s+[a-z]+)?)\b",
    re.I,
)
_ONLY_IT = re.compile(
    r"^(?:please\s+)?(?:rotate|turn|spin|tilt|flip|mirror|resize|scale|shrink|enlarge|make)\s+(?:only|just)\s+"
    r"|.*\b(?:only|alone|on its own|by itself|and nothing else)\s*[.!?]?$",
    re.I,
)


def _one_thing(clause: str) -> str | None:
    m = _THING_OF_GEOMETRY.match(clause.strip())
    if m is None:
        return None
    words = re.sub(
        r"\s+(?:by|to|through|around|upside|sideways|clockwise|counter\w*|anti\w*|left|right|over|twice|half|"
        r"bigger|smaller|larger|up|down|horizontally|vertically|\d.*)(?:\s.*)?$",
        "",
        m.group("x"),
        flags=re.I,
    )
    thing = clean_target(words)
    if not thing or _WHOLE.match(thing) or re.fullmatch(r"(?:the\s+)?(?:way|other way|right way)", thing, re.I):
        return None
    return words
