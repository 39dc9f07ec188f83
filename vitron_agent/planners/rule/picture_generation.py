"""The rule planner's generative steps: replace a thing (inpainting), restyle the picture (an
instruction edit), animate it, and a video's frame. Split from :mod:`picture_steps` (same handlers,
same behaviour)."""

from __future__ import annotations

import re
from typing import Any

from vitron_agent.planners.rule.lexicon import (
    _COLOR_WORDS,
    _PRONOUN,
    _WHOLE,
    _restore,
)
from vitron_agent.planners.rule.picture_geometry import _geometry
from vitron_agent.planners.rule.step_builders import (
    _Builder,
    _edit,
    _segment,
    _target,
)
from vitron_agent.planners.rule.target_words import clean_target
from vitron_agent.toolkit import slots

NEEDS_DIFFUSERS = (
    '{what} needs a generative editor: set [tools.edit] backend = "diffusers" with checkpoint '
    "(inpainting) / instruct_checkpoint (InstructPix2Pix) in vitron.toml; I skipped {clause!r}."
)


NO_SWAP = (
    "I could not tell what to replace with what in {clause!r}: say both, e.g. 'replace the dog with a cat'. Skipped."
)
_NEW = r"(?P<new>(?:an?|some|two|three|another|the)\s+.+?)"
_OLD = r"(?P<old>.+?)"
_SWAPS = (  # (old thing, new thing) as people say a replacement; the first that matches reads the clause
    # "substitute a teddy bear for the doll": the new thing first (but "substitute the chair with a sofa")
    re.compile(rf"^substitute\s+{_NEW}\s+for\s+{_OLD}$", re.I),
    re.compile(
        r"^(?:replace|swap|switch|substitute|exchange|trade|turn|change|transform|convert)\s+(?:out\s+)?"
        rf"{_OLD}\s+(?:out\s+)?(?:with|for|by|into|to)\s+(?P<new>.+)$",
        re.I,
    ),
    # "put a lamp where the vase is", "i want a horse instead of the cow", "a boat in place of the car"
    re.compile(
        r"^(?:.*?\b(?:put|place|add|draw|insert|stick|paint|want|like|need|prefer|have|see|show|give me)\s+)?"
        rf"{_NEW}\s+(?:instead of|in place of|rather than|in the place of|(?:on|in|at) the (?:spot|place) where|where)\s+"
        rf"{_OLD}(?:\s+(?:is|are|was|were|stands|sits|used to be))?$",
        re.I,
    ),
    # "the clock should be a mirror", "make the bench a sofa instead", "make the dog into a wolf"
    re.compile(
        r"^(?P<old>(?:the|this|that|his|her|their|my)\s+.+?)\s+(?:should|must|needs? to|has to|ought to)\s+"
        r"(?:be(?:come)?|turn into)\s+(?P<new>(?:an?|some)\s+.+)$",
        re.I,
    ),
    re.compile(rf"^make\s+{_OLD}\s+(?:into\s+)?(?P<new>(?:an?|some)\s+.+)$", re.I),
)


def swap_parts(clause: str) -> tuple[str, str] | None:
    """(the thing replaced, what replaces it) in a replacement request, or None when the clause says
    no such pair: "swap the dog for a cat" -> ("the dog", "a cat"); "substitute a bear for the doll"
    -> ("the doll", "a bear"); "put a lamp where the vase is" -> ("the vase", "a lamp")."""
    text = re.sub(r"\s*,?\s*\b(?:instead|please|for me|thanks)\s*[.!?]*$", "", clause.strip(" .!?"), flags=re.I)
    text = re.sub(r"^(?:can|could|would|will) you\s+|^please\s+", "", text, flags=re.I)
    for pattern in _SWAPS:
        if m := pattern.match(text):
            old, new = m.group("old").strip(), m.group("new").strip()
            if old and new:
                return old, new
    return None


_SIDES_SWAPPED = re.compile(
    r"\b(?:swap|switch|exchange|reverse|trade|flip)\s+(?:the\s+|its\s+)?(?:(?P<lr>left\s+(?:and|with|for)\s+(?:the\s+)?right|"
    r"right\s+(?:and|with|for)\s+(?:the\s+)?left|sides|left-right)|"
    r"(?P<tb>top\s+(?:and|with|for)\s+(?:the\s+)?bottom|bottom\s+(?:and|with|for)\s+(?:the\s+)?top))\b",
    re.I,
)
# "swap the backdrop for plain white": a plain colour in the background's place is a colour fill, not new content
_PLAIN_COLOUR = re.compile(
    rf"^(?:an?\s+|some\s+)?(?:(?:plain|solid|pure|flat|simple|clean|blank)\s+)*(?P<colour>{'|'.join(_COLOR_WORDS)})"
    r"(?:\s+(?:one|colou?r|background|backdrop))?$",
    re.I,
)


# a colour with a word of taste or shade: "a nice blue", "a lovely deep green", "bright red"
_TASTE = (
    r"(?:nice|lovely|pretty|beautiful|cool|deep|bright|pale|light|dark|rich|soft|vivid|warm|bold|strong|gentle|subtle)"
)
_A_COLOUR = re.compile(  # with an article, a taste word or "colour" must say it is the colour ("an orange" is a fruit)
    rf"^(?:(?:an?\s+|some\s+)(?:{_TASTE}\s+)+(?P<c>{'|'.join(_COLOR_WORDS)})(?:\s+(?:colou?r|shade|tone|one))?"
    rf"|(?:an?\s+|some\s+)?(?:{_TASTE}\s+)*(?P<c2>{'|'.join(_COLOR_WORDS)})\s+(?:colou?r|shade|tone)"
    rf"|(?:{_TASTE}\s+)*(?P<c3>{'|'.join(_COLOR_WORDS)}))\s*(?:instead|please)?$",
    re.I,
)


# what a picture is turned into when it is restyled, not a thing put in a thing's place
_STYLE_WORDS = re.compile(
    r"\b(?:painting|drawing|sketch|cartoon|anime|manga|comic|watercolou?r|oil|illustration|poster|mosaic|pixel art|"
    r"style|van gogh|monet|picasso|impressionis\w*|pop art|charcoal|pastel|engraving|woodcut|stained glass|render)\b",
    re.I,
)


# a time, season or weather of the whole scene: no thing to select ("turn the day into night" had segmented
# "the day" and inpainted night there); changing it is a restyle of the picture
_CONDITION = re.compile(
    r"^(?:the\s+|this\s+|a\s+)?(?:(?:sunny|rainy|cloudy|grey|gray|bright|dull|snowy|foggy|summer|winter|autumn|spring|"
    r"summery|wintry)\s+)?(?:day(?:time|light)?|night(?:time)?|"
    r"morning|evening|afternoon|dusk|dawn|sunset|sunrise|twilight|summer|winter|autumn|fall|spring|season|weather|"
    r"sunshine|rain|snow)(?:\s+(?:scene|time|shot|photo|picture))?$",
    re.I,
)


def _do_replace(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    if m := _SIDES_SWAPPED.search(clause):  # "swap left and right": a mirror image
        _geometry(b, clause, operation="flip", direction="vertical" if m.group("tb") else "horizontal")
        return
    parts = swap_parts(clause)
    it_is_the_picture = (
        parts and _PRONOUN.match(clean_target(parts[0]) or "it") and b.mask is None and not last.get("mask")
    )
    if parts and (
        _WHOLE.match(clean_target(parts[0]))
        or not clean_target(parts[0])
        or _CONDITION.match(clean_target(parts[0]))  # "turn the day into night": the whole scene's time or season
        or (it_is_the_picture and _STYLE_WORDS.search(parts[1]))  # "turn it into a van gogh painting", nothing selected
    ):
        # "turn the picture into a cartoon / a short clip": the whole picture restyled or animated
        if re.search(r"\b(?:video|clip|animation|movie|film|gif)\b", parts[1], re.I):
            return _do_animate(b, rest, clause, last)
        return _do_restyle(b, rest, clause, last)
    if not b.toolbox.supports(b.tool("edit"), "inpaint"):
        b.notes.append(
            NEEDS_DIFFUSERS.format(what="Replacing a region with new content", clause=_restore(clause, b.regions))
        )
        return
    if not parts:
        b.notes.append(NO_SWAP.format(clause=_restore(clause, b.regions)))
        return
    if (paint := _A_COLOUR.match(parts[1].strip())) and not re.match(r"^(?:replace|swap|substitute)\b", clause, re.I):
        # "make the front door a nice blue": a colour said as what it becomes is a recolour, not new content
        kind, mask = _target(b, parts[0], last)
        if kind not in ("background", "complement"):
            colour = (paint.group("c") or paint.group("c2") or paint.group("c3")).lower()
            _edit(b, operation="recolor", mask=mask or _segment(b, "the main object", last), color=colour)
            return
    kind, mask = _target(b, parts[0], last)
    if kind in ("background", "complement") and (plain := _PLAIN_COLOUR.match(parts[1].strip())):
        mask = mask or _segment(b, "the main object", last)
        _edit(b, operation="replace_background", mask=mask, color=plain.group("colour").lower())
        return
    if kind in ("background", "complement"):  # "turn the background into a night sky": new content around the subject
        mask = mask or _segment(b, "the main object", last)
        _edit(b, operation="inpaint", mask=mask, prompt=_restore(parts[1], b.regions), where="outside")
        return
    if mask is None or kind == "whole":
        mask = _segment(b, "the main object", last)
    _edit(b, operation="inpaint", mask=mask, prompt=_restore(parts[1], b.regions))


_GREY_LOOK = re.compile(  # "make it look like an old black and white photo": a grayscale, no generative edit
    r"^(?:make|turn|render)\s+(?:it|this|that|the (?:image|picture|photo|pic|scene))\s+(?:look\s+)?like\s+(?:an?\s+)?"
    r"(?:(?:old|vintage|classic|old-fashioned|retro)\s+)*(?:black[- ]and[- ]white|gr[ae]y ?scale|monochrome|b&w)"
    r"(?:\s+(?:photo|photograph|picture|image|film|movie|shot|one))?$",
    re.I,
)


# something of the user's own that no picture here shows ("add my logo", "put our signature in the corner"): an
# editor would invent one (it was planned as an instruction edit, said done)
_THEIR_OWN = re.compile(
    r"^(?:add|put|place|stick|insert|overlay|stamp|paste|drop)\s+(?:in\s+)?(?:my|our|the company'?s?|my company'?s?)\s+"
    r"(?P<what>logo|signature|brand(?:ing)?|emblem|crest|monogram|initials|stamp|seal|qr\s*code|trademark|icon|avatar)\b",
    re.I,
)
THEIR_OWN = (
    "I cannot add your {what}: I have no picture of it, and an editor would only invent one. Send it as a "
    "cut-out (a PNG with a transparent background) and ask me to put it on this picture."
)


def _do_restyle(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    if own := _THEIR_OWN.match(clause.strip()):
        b.answer = THEIR_OWN.format(what=own.group("what").lower())
        return
    if _GREY_LOOK.match(clause.strip(" .!?")):
        _edit(b, operation="grayscale")
        return
    if swap_parts(clause) and not re.match(r"^(?:make|turn|render|change)\b", clause.strip(), re.I):
        return _do_replace(b, rest, clause, last)  # "put a hat on the spot where the ball is": a replacement
    if not b.toolbox.supports(b.tool("edit"), "instruct"):
        b.notes.append(NEEDS_DIFFUSERS.format(what="Instruction editing", clause=_restore(clause, b.regions)))
        return
    _edit(b, operation="instruct", prompt=_restore(clause, b.regions))


def _do_animate(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    if b.video_mode:
        b.notes.append(
            f"{_restore(clause, b.regions)!r} asks to animate an image, but this is already a video; skipped."
        )
        return
    if "animate" not in b.toolbox:
        b.notes.append("Animating an image is not configured: set [tools.animate] backend in vitron.toml.")
        return
    rest = re.sub(r"^(?:it|this|that|the (?:image|picture|photo|result))\b\s*", "", rest, flags=re.I)
    prompt = _restore(re.sub(r"^(?:so that|so|with|where|as if|like)\s+", "", rest, flags=re.I), b.regions) or None
    sid = b.add("animate", image=b.image, prompt=prompt)
    b.image, b.mask, b.last_output, b.video_mode = f"${sid}.video", None, "video", True


def _do_frame(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    """One frame of the video as an image: by number ("frame 250", "the 30th frame"), by time ("the
    still at 0:05", "at twelve seconds") or by place (first / middle / last; the first when none is said)."""
    if not b.video_mode:
        b.notes.append(f"{_restore(clause, b.regions)!r} needs a video; skipped.")
        return
    low = slots.digits(clause.lower())
    args: dict[str, Any] = {"video": b.image}
    from vitron_agent.tools.video_clip_parts import visible_target  # "a still of when the cat is visible"

    if (
        slots.timestamp(low) is None
        and (what := visible_target(clause)) is not None
        and "visible" in b.toolbox.get("frame").Input.model_fields
    ):
        args["visible"] = what
    elif (index := slots.frame_index(low)) is not None:
        args["index"] = index
    elif (t := slots.timestamp(low)) is not None:
        args["time"] = t
    elif m := re.search(r"\b(?:second|sec)\s+(\d+(?:\.\d+)?)\b", low):  # "the image at second 6"
        args["time"] = float(m.group(1))
    else:
        middle = re.search(r"\b(?:middle|half-?way|midway|mid-?point|cent(?:re|er))\b", low)
        args["position"] = (
            "middle" if middle else "last" if re.search(r"\b(?:last|final|closing|end)\b", low) else "first"
        )
    sid = b.add("frame", **args)
    b.image, b.mask, b.last_output, b.video_mode = f"${sid}.image", None, "image", False
