"""The rule planner's whole-picture steps: flip, rotate, resize, crop, cut out, composite,
outline. The looking steps (describe, what colour, read, detect, count) are in
:mod:`picture_questions`, the generative ones (replace, restyle, animate, a video frame) in
:mod:`picture_generation` (importable from here too); the region steps and the builder in
:mod:`step_builders`."""

from __future__ import annotations

import math
import re
from typing import Any

from vitron_agent.planners.rule.lexicon import (
    _COLOR_RE,
    _COLOR_WORDS,
    _PRONOUN,
    _restore,
)
from vitron_agent.planners.rule.picture_geometry import _geometry
from vitron_agent.planners.rule.step_builders import (
    _Builder,
    _do_segment,
    _edit,
    _segment,
    _target,
)
from vitron_agent.planners.rule.target_words import clean_target
from vitron_agent.toolkit import slots


def _do_flip(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    if re.search(r"\binvert\w*\b", clause, re.I) and re.search(_NOT_A_SIDE, clause, re.I):
        b.answer = INVERT_WHAT  # "invert the selection / the mask": no mirror image was asked for
        return
    vertical = re.search(r"\b(?:vertical(?:ly)?|upside[- ]down|top to bottom|up and down|up-down|over)\b", clause, re.I)
    _geometry(b, clause, operation="flip", direction="vertical" if vertical else "horizontal")


# "invert" is a flip only when it names a direction or the picture; of a selection or colours it is no flip
_NOT_A_SIDE = r"\b(?:selection|selected|mask|region|area|colou?rs?|negative|tones?|brightness|light)\b"
INVERT_WHAT = (
    "I cannot invert a selection or the colours. To edit everything but a thing, say the edit with 'except': "
    "'blur everything except the dog'; to mirror the picture, say 'flip it'."
)


def _do_rotate(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    if re.search(r"\bflip(?:ping|ped)?\b", clause, re.I) and re.search(r"upside[- ]down", clause, re.I):
        _do_flip(b, rest, clause, last)  # "turn it upside down by flipping": a flip, not a half turn
        return
    low = slots.digits(clause.lower())
    m = re.search(r"(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(?:degrees?|deg|°)?", low)  # "1e9 degrees" is not 1
    words = re.search(r"\b([a-z]+(?:[- ][a-z]+)?)\s+(?:degrees?|°)", low)  # "fifteen degrees"
    spelt = slots.number(words.group(1)) if words and not m else None
    angle = (
        float(m.group(1))
        if m
        else spelt
        if spelt is not None
        else 180.0
        if re.search(r"upside[- ]down|half (?:a )?turn", low)
        else 90.0
    )
    if re.search(r"\b(?:counter-?clockwise|anti-?clockwise|to the left|left)\b", low):
        angle = -abs(angle)
    if abs(angle) > 360 and math.isfinite(angle):  # full turns change nothing: 450° is 90°, said so
        turned = math.copysign(abs(angle) % 360, angle)
        said = f"{int(angle)}" if angle.is_integer() and abs(angle) < 1e15 else f"{angle:g}"
        b.notes.append(f"I read {said}° as {turned:g}° (whole turns change nothing).")
        angle = turned
    _geometry(b, clause, operation="rotate", angle=angle)


def _do_resize(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    low = slots.digits(clause.lower())
    args: dict[str, Any] = {"operation": "resize"}
    if m := re.search(r"(\d+)\s*(?:x|×|by)\s*(\d+)\s*(?:px|pixels?)?\b", low):
        args["width"], args["height"] = int(m.group(1)), int(m.group(2))
    elif m := re.search(
        r"(\d+)\s*(?:px|pixels?)?\s*(?:wide|in width|width|across)\b|\bwidth\s+(?:of\s+|to\s+)?(\d+)", low
    ):
        args["width"] = int(m.group(1) or m.group(2))
    elif m := re.search(
        r"(\d+)\s*(?:px|pixels?)?\s*(?:tall|high|in height|height)\b|\bheight\s+(?:of\s+|to\s+)?(\d+)", low
    ):
        args["height"] = int(m.group(1) or m.group(2))
    elif m := re.search(r"\b(\d{3,4})p\b", low):  # "scale it to 1080p": that many lines tall
        args["height"] = int(m.group(1))
    elif m := re.search(r"(\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)", low):
        args["scale"] = float(m.group(1)) / 100
        if re.search(r"(?:%|percent|per cent)\s+(?:smaller|less|down)\b", low):  # "50% smaller"
            args["scale"] = 1 - args["scale"]
        elif re.search(r"(?:%|percent|per cent)\s+(?:bigger|larger|more|up)\b", low):  # "10 percent bigger"
            args["scale"] = 1 + args["scale"]
        elif re.search(
            r"\bby\s+\d+(?:\.\d+)?\s*(?:%|percent|per cent)", low
        ):  # "blow it up by 50%": a change by that much
            if re.search(
                r"\b(?:enlarge|blow\w*\s+(?:it\s+|this\s+|the \w+\s+)?up|upscale|grow|expand|increase|bigger|larger|up)\b",
                low,
            ):
                args["scale"] = 1 + args["scale"]
            elif re.search(r"\b(?:shrink|reduce|decrease|smaller|downscale|downsize|down|cut)\b", low):
                args["scale"] = 1 - args["scale"]
    elif m := re.search(r"(\d+(?:\.\d+)?)\s*(?:x|times)\b|\bfactor of\s+(\d+(?:\.\d+)?)", low):
        args["scale"] = float(m.group(1) or m.group(2))
        if re.search(r"\b(?:smaller|shrink|down|downscale|downsize|reduce|decrease)\b", low) and args["scale"] > 1:
            args["scale"] = 1 / args["scale"]  # "scale down by a factor of two", "three times smaller"
    elif m := re.search(r"\bby\s+(\d+(?:\.\d+)?)\s*$", low):  # "upscale it by three", "shrink it by 2"
        factor = float(m.group(1))
        shrink = re.search(r"\b(?:smaller|shrink|down|downscale|downsize|reduce|decrease)\b", low)
        args["scale"] = 1 / factor if shrink and factor > 0 else factor
    elif re.search(r"\b(?:half|halve|50 ?percent)\b", low):
        args["scale"] = 0.5
    elif re.search(r"\b(?:quarter)\b", low):
        args["scale"] = 0.25
    elif re.search(r"\bthird\b", low):
        args["scale"] = 1 / 3
    elif m := re.search(r"\b(fifth|tenth|eighth|sixth|fourth)\b", low):
        args["scale"] = 1 / {"fifth": 5, "tenth": 10, "eighth": 8, "sixth": 6, "fourth": 4}[m.group(1)]
    elif re.search(r"\b(?:double|twice)\b", low):
        args["scale"] = 0.5 if re.search(r"\btwice as (?:small|little|tiny)\b", low) else 2.0
    elif re.search(r"\b(?:smaller|shrink|downscale|downsize|reduce|decrease|lower|down|tiny)\b", low):
        args["scale"] = 0.5
        b.notes.append("No size was given: I halved it (say '50%', 'half size' or '800 pixels wide').")
    elif re.search(r"\b(?:bigger|larger|enlarge|upscale|increase|up)\b", low):
        args["scale"] = 2.0
        b.notes.append("No size was given: I doubled it (say '200%', 'twice the size' or '1600 pixels wide').")
    else:
        b.notes.append(
            f"{_restore(clause, b.regions)!r}: say the size ('half size', '50%', '800 pixels wide', "
            "'1024x768'). Skipped."
        )
        return
    if "scale" in args and not 0 < args["scale"] <= 8:
        b.notes.append(
            f"{_restore(clause, b.regions)!r}: a scale of {args['scale']:g} is out of range (0 to 8). Skipped."
        )
        return
    _geometry(b, clause, **args)


# room asked for around the thing a crop keeps: "with a bit of margin", "leave some space around it"
_ROOM = re.compile(
    r"\s*,?\s*\b(?:with|leave|leaving|keep|keeping|and|plus|but)\s+(?P<much>a\s+(?:little\s+)?bit\s+(?:of\s+)?|a\s+little\s+|"
    r"some\s+|a\s+touch\s+of\s+|a\s+lot\s+of\s+|lots\s+of\s+|plenty\s+of\s+|more\s+|extra\s+|generous\s+)?"
    r"(?:margin|room|space|padding|breathing\s+(?:room|space)|air)\b(?:\s+(?:around|round|on all sides|at the edges?)"
    r"(?:\s+(?:it|him|her|them|the\s+\w+))?)?",
    re.I,
)
# none asked for: "crop close to the bird, no extra space", "a tight crop on the face"
_NO_ROOM = re.compile(
    r"\s*,?\s*\b(?:(?:(?:with|and|but)\s+)?no\s+(?:extra\s+|spare\s+)?(?:margin|room|space|padding|border)s?(?:\s+around(?:\s+(?:it|him|her|them))?)?"
    r"|without\s+(?:any\s+)?(?:margin|space|padding|border)s?|(?:as\s+)?tight(?:ly)?(?:\s+as\s+(?:possible|you can))?)\b"
    r"|^\s*(?:close|right)\s+(?=to\b)",
    re.I,
)
CROP_MARGIN = {"none": 0.0, "some": 0.15, "lots": 0.3}  # of the thing's size on each side (the tool's default: 0.05)


def _crop_margin(rest: str) -> tuple[float | None, str]:
    """(margin, the words left) for a crop: the room said around the thing (``CROP_MARGIN``; None when
    nothing is said: the tool's default), those words taken off the phrase."""
    if m := _ROOM.search(rest):
        much = (m.group("much") or "").lower()
        margin = CROP_MARGIN["lots"] if re.search(r"lot|plenty|generous", much) else CROP_MARGIN["some"]
        return margin, (rest[: m.start()] + rest[m.end() :]).strip()
    if _NO_ROOM.search(rest):
        rest = re.sub(r"\s+(?:and|but)\s*$", "", _NO_ROOM.sub(" ", rest).strip(), flags=re.I)
        return CROP_MARGIN["none"], rest.strip()
    return None, rest


def _do_cutout(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    """ "cut out the cat", "make a transparent png of the cat": an RGBA cut-out (a video: its track)."""
    rest = re.sub(r"\s+out\s*$", "", rest, flags=re.I)  # "cut the cat out"
    rest = re.sub(
        r"\s+(?:as|into|to)\s+(?:a\s+|an\s+)?(?:transparent\s+)?(?:png|cut-?out|sticker|layer|image|file)\b.*$",
        "",
        rest,
        flags=re.I,
    )
    rest = re.sub(r"\s+(?:with|on)\s+(?:a\s+)?transparent\s+(?:background|backdrop)\s*$", "", rest, flags=re.I)
    rest = re.sub(r"\s+(?:with\s+no|without\s+(?:a|the|any))\s+(?:background|backdrop)\s*$", "", rest, flags=re.I)
    rest = re.sub(r"\s+(?:cut|snipped|clipped)(?:\s+out)?\s*$", "", rest, flags=re.I)  # "i need the car cut out"
    # "cut around the girl", "(a transparent) background behind the mug": the thing itself is cut out
    rest = re.sub(
        r"^(?:a?round|along)\s+|^(?:a\s+)?(?:background|backdrop)\s+(?:behind|around|for)\s+",
        "",
        rest.strip(),
        flags=re.I,
    )
    if b.video_mode:
        _do_segment(b, rest, clause, last)
        b.notes.append(
            "A video has no transparency here: I tracked it; say 'keep only ...' or 'make the background "
            "white' to edit its frames."
        )
        return
    kind, mask = _target(b, rest, last)
    if kind == "complement":
        previous = b.steps[-2] if len(b.steps) > 1 else None  # the complement's own mask step may come last
        done = next((s for s in reversed(b.steps) if s.args.get("operation") == "cutout"), None)
        if (
            done is not None
            and (done.args.get("mask") == mask or previous is done)
            and done.args.get("where", "inside") == "inside"
        ):
            # "cut out the mug and make the rest transparent": already so (a cut-out of the rest would erase the mug)
            return
        if re.search(r"\b(?:transparent|see-through|invisible|clear)\b", clause, re.I):
            # "make everything except the mug transparent": what turns transparent is the rest; the mug stays
            _edit(b, operation="cutout", mask=mask)
            return
        _edit(b, operation="cutout", mask=mask, where="outside")  # "cut out everything except the bus": all but it
        return
    _edit(
        b,
        operation="cutout",
        mask=mask if mask is not None and kind != "whole" else _segment(b, "the main object", last),
    )


def _do_composite(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    """ "put it on this picture": the previous turn's cut-out (or a target segmented in the previous
    turn's picture) laid over this turn's picture."""
    m = _PASTE.match(clause)
    what = clean_target(next((g for g in m.group("what", "what2", "what3", "what4") if g), "it")) if m else "it"
    if not b.video_mode and (scene := _ONTO_A_SCENE.match(clause.strip(" .!?"))):
        _new_scene(b, scene.group("who"), scene.group("scene"), clause, last)  # "put him on a beach": a new background
        return
    if "image" not in last or b.video_mode:
        b.answer = (
            "There is no earlier picture to take it from: first cut the object out ('cut out the cat'), then "
            "send the picture to put it on with 'put it on this picture'."
        )
        return
    if _ONTO_EARLIER.search(clause):  # "place the dog onto the earlier picture": this one's thing over that one
        _composite_onto_earlier(b, clause)
        return
    box = _placed(b, clause)
    what = re.sub(r"\s+(?:in|at|on|into|to|towards?)\s+the\s+" + _PLACE_WORDS + r"$", "", what, flags=re.I)
    if (
        _PRONOUN.match(what)
        or re.match(r"^(?:the\s+|that\s+|this\s+|my\s+)?(?:cut-?out|sticker)$", what, re.I)
        or not what
    ):
        b.add("edit", image="$last.image", operation="composite", background=b.image, box=box)
    else:  # "put the cat from the last picture on this one"
        what = re.sub(
            r"\s+(?:from|in|of)\s+(?:the\s+)?(?:last|previous|other|first|earlier)\s+(?:picture|photo|image|one)\b.*$",
            "",
            what,
            flags=re.I,
        )
        sid = b.add("segment", image="$last.image", target=what)
        b.add("edit", image="$last.image", mask=f"${sid}.mask", operation="composite", background=b.image, box=box)
    b.image, b.mask, b.last_output = f"${b.steps[-1].id}.image", None, "image"


def _placed(b: _Builder, clause: str) -> Any:
    """Where the cut-out goes: the box the user marked on this picture (``$input.box``, or a box
    written in the request), else None (centred, scaled to fit). A place or size said only in words
    ("in the bottom left", "a bit smaller") cannot be honoured: a note says so, never dropped silently."""
    inline = next((b.regions[k] for k in re.findall(r"@r\d+@", clause) if b.regions[k]["type"] == "box"), None)
    if inline is not None:
        return dict(inline)
    if "box" in b.inputs.get("input", {}):
        return "$input.box"
    if (m := _PLACE_SAID.search(clause)) and not re.fullmatch(
        r"(?:the\s+)?(?:middle|centre|center)", (m.group("place") or "").strip(), re.I
    ):
        b.notes.append(PLACE_NOT_HONOURED.format(said=m.group(0)))
    return None


def _new_scene(b: _Builder, who: str, scene: str, clause: str, last: dict[str, str]) -> None:
    """The subject kept and a new scene painted around it (a generative background); said when no
    generative editor is configured."""
    from vitron_agent.planners.rule.picture_generation import NEEDS_DIFFUSERS

    if not b.toolbox.supports(b.tool("edit"), "inpaint"):
        b.notes.append(
            NEEDS_DIFFUSERS.format(what="A new scene around the subject", clause=_restore(clause, b.regions))
        )
        return
    phrase = "the main object" if _PRONOUN.match(who) else who
    mask = _segment(b, phrase, last)
    _edit(b, operation="inpaint", mask=mask, prompt=_restore(scene, b.regions), where="outside")


# the other direction: this picture's thing laid over the previous picture ("drop the cat onto the first photo",
# "put this on the previous picture")
_ONTO_EARLIER = re.compile(
    r"\b(?:on|onto|into|in|over|to|on top of)\s+(?:the\s+)?(?:previous|earlier|last|old|older|first|original|other)\s+"
    r"(?:picture|photo|image|one|scene|shot|pic)\b|\b(?:on|onto|into|over)\s+the\s+(?:picture|photo|image|one)\s+from\s+before\b",
    re.I,
)
_PASTED = re.compile(
    r"^(?:put|place|paste|insert|add|drop|move|stick|lay|overlay|set)\s+(?P<what>.+?)\s+(?:on top of|onto|on|into|in|over|to)\s+",
    re.I,
)


def _composite_onto_earlier(b: _Builder, clause: str) -> None:
    """This turn's picture (a cut-out, or the thing named, selected in it) laid over the previous turn's."""
    m = _PASTED.match(clause)
    what = clean_target(m.group("what")) if m else "it"
    if _PRONOUN.match(what) or re.match(r"^(?:the\s+)?(?:cut-?out|this|this one|this picture|this image)$", what, re.I):
        b.add("edit", image=b.image, operation="composite", background="$last.image")
    else:
        sid = b.add("segment", image=b.image, target=what)
        b.add("edit", image=b.image, mask=f"${sid}.mask", operation="composite", background="$last.image")
    b.image, b.mask, b.last_output = f"${b.steps[-1].id}.image", None, "image"


# a thing put somewhere that is no picture of this session: "put him on a beach", "place the dog in a forest"
_ONTO_A_SCENE = re.compile(
    r"^(?:(?:can|could|would) you\s+|please\s+)?(?:put|place|set|stick|drop|move|transport|take)\s+"
    r"(?P<who>him|her|them|it|(?:the|my|this|that)\s+[a-z]+(?:\s+[a-z]+)?)\s+(?:on|in|at|onto|into|to|in front of)\s+"
    r"(?P<scene>(?:an?|some)\s+(?!(?:new\s+)?(?:picture|photo|image|pic|shot|one)\b)"
    # a plain colour is a fill, not a scene: "put it on a white background" keeps it on white
    r"(?!(?:(?:plain|solid|pure|flat|simple|clean|blank|transparent|clear)\s+)*(?:(?:"
    + "|".join(_COLOR_WORDS)
    + r"|transparent|clear)\s*)+(?:(?:background|backdrop|one|colou?r)\b)?\s*$).+)$",
    re.I,
)


# a place on the picture named in words ("the bottom left", "the top right corner", "the middle")
_PLACE_WORDS = (
    r"(?:(?:very|far)\s+)?(?:(?:top|bottom|upper|lower|left|right|middle|centre|center|front)(?:[\s-]+hand)?"
    r"(?:[\s-]+(?:left|right|middle|centre|center))?)(?:\s+(?:corner|side|edge|half|part|bit|area))?"
)
_PLACE_SAID = re.compile(
    r"\b(?:in|at|on|into|to|towards?)\s+the\s+(?P<place>" + _PLACE_WORDS + r")\b"
    r"|\b(?P<size>smaller|bigger|larger|tiny|huge|half (?:the )?size|(?:a )?(?:bit|little|lot) (?:smaller|bigger|larger))\b",
    re.I,
)
PLACE_NOT_HONOURED = (
    "I put it in the middle, scaled to fit: I cannot place or size a cut-out by words ({said!r}). "
    "Mark a box where it should go and ask again: it is fitted into the box."
)


_PASTE = re.compile(
    r"^(?:(?:put|place|paste|insert|add|drop|move|stick|layer|lay|overlay|set|plonk|pop|slap|superimpose|composite|bring|"
    r"merge|blend|combine)\s+(?P<what>.+?)|(?:i\s*(?:'d like|would like|want|need)\s+)?(?P<what2>it|that|this|them|"
    r"the cut-?out|the sticker)\s+(?:pasted|put|placed|dropped|laid|layered|set|stuck|composited|merged))\s+"
    r"(?:on top of|onto|on|into|in|over|to|against|with|behind|at)\s+(?:to\s+)?"
    r"(?:(?:the\s+)?" + _PLACE_WORDS + r"\s+(?:of|in|on)\s+)?"  # "in the bottom left of this one": where on it
    r"(?:this|the\s+new|the\s+other|the\s+second|my|that|the\s+current)\s+(?:new\s+)?(?:[a-z]+\s+)?"
    r"(?:picture|photo|image|scene|background|backdrop|one|shot|pic)\b"
    # "use this as the (new) background for it": this picture is where the earlier cut-out goes
    r"|^use\s+(?:this|the\s+new|this\s+(?:picture|photo|image|one))\s+as\s+(?:the\s+|its\s+|a\s+)?(?:new\s+)?"
    r"(?:background|backdrop)\b(?:\s+for\s+(?P<what3>.+))?"
    # "paste the cat from the last photo here"
    r"|^(?:put|place|paste|drop|stick|bring|slap|layer|overlay)\s+(?P<what4>(?:it|that|them|the|my|those|these)\b.*?)\s+"
    r"(?:(?:in|into|onto|on|over|on top of)\s+(?:here|this)|here|in)\s*$"
    # "put him on a beach": a new scene around the subject (:func:`_new_scene`)
    r"|" + _ONTO_A_SCENE.pattern,
    re.I,
)


_LINE_OF = re.compile(  # "(give) the house a white outline": the thing, then the line it gets
    rf"^(?P<what>.+?)\s+(?:an?\s+)(?:(?:thick|thin|bold|neat)\s+)?(?:(?P<c>{_COLOR_RE.pattern[3:-3]})\s+)?"
    r"(?:(?:thick|thin|bold|neat)\s+)?(?:outline|border|contour|stroke|edge|line)$",
    re.I,
)


def _do_outline(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    rest = re.sub(
        r"^(?:i\s*(?:'d|would)?\s*(?:want|need|like)|give me|(?:can|could) i (?:have|get))\s+",
        "",
        rest.strip(),
        flags=re.I,
    )
    if (given := _LINE_OF.match(rest.strip(" .!?"))) and not re.search(
        r"\b(?:a?round|of|on|to|along)\b", given.group("what")
    ):
        rest = f"a {given.group('c') or ''} outline around {given.group('what')}"
    colors = list(_COLOR_RE.finditer(rest))
    dest = next((m for m in colors if re.search(r"\b(?:in|with|using)\s+$", rest[: m.start()], re.I)), None)
    # "a yellow border around the bus", "with a blue line": the line's colour, then its target
    line = re.match(
        rf"^(?:(?:a|an|the)\s+)?(?:thick\s+|thin\s+)?(?:(?P<c1>{_COLOR_RE.pattern[3:-3]})\s+)?(?:thick\s+|thin\s+)?"
        r"(?:outline|border|line|contour|"
        r"edge|circle|ring)\s+(?:around|round|on|of|along|to|for)\s+(?P<what>.+)$",
        rest.strip(),
        re.I,
    )
    near = re.search(  # "with a red line", "with a circle", "with a thick ring": what it is drawn with, not the thing
        rf"\s+with\s+(?:a|an)\s+(?:(?:thick|thin|bold|neat)\s+)?(?:(?P<c2>{_COLOR_RE.pattern[3:-3]})\s+)?"
        r"(?:(?:thick|thin|bold|neat)\s+)?(?:line|outline|border|contour|circle|ring|stroke)\s*\??$",
        rest,
        re.I,
    )
    if line:
        color = (line.group("c1") or (dest.group(1) if dest else "red")).lower()
        phrase = line.group("what")
        if dest and not line.group("c1"):  # "an outline around the car in green": the colour is the line's
            phrase = phrase[: max(0, dest.start() - line.start("what"))]
    elif near:
        color, phrase = (near.group("c2") or (dest.group(1) if dest else "red")).lower(), rest[: near.start()]
    else:
        color = dest.group(1).lower() if dest else "red"
        phrase = rest[: dest.start()] if dest else rest
    phrase = re.sub(r"\s+(?:in|with|using)\s*$", "", phrase.strip(), flags=re.I)
    kind, mask = _target(b, phrase, last)
    if mask is None or kind == "whole":
        mask = _segment(b, "the main object", last)
    _edit(b, operation="outline", mask=mask, color=color)


# "crop it to 9:16 for instagram", "for my profile picture": what the crop is for, never a thing to find
_CROP_PURPOSE = re.compile(
    r"\s*\bfor\s+(?:an?\s+|my\s+|the\s+|our\s+|a\s+)?(?:instagram|tiktok|youtube|stories|story|reels?|shorts|"
    r"phones?|mobile|profile|avatar|thumbnail|banner|cover|post|print|twitter|facebook|social|web|website|wallpaper)"
    r"\b.*$",
    re.I,
)


# "crop out the logo", "crop the text out", "crop away the sky": a crop that leaves the thing out (it cropped
# TO the thing: the opposite); "crop out everything but the plate" and a strip by its share are not this
_CROP_OUT = re.compile(
    r"^(?:please\s+)?crop\s+(?:(?:out|away|off)\s+(?!(?:everything|all|the\s+(?:rest|image|picture|photo|edges?|borders?))\b)"
    r"(?P<x>(?!.*\b(?:transparent|png|cut-?out)\b)(?!.*\d\s*(?:%|percent|per cent)).+?)"
    r"|(?P<y>(?:the|that|this|his|her|their)\s+[a-z ]+?)\s+(?:out|away|off))\s*(?:of\s+(?:it|the\s+(?:image|picture|photo)))?[.!]?$",
    re.I,
)


def _crop_phrase(b: _Builder, phrase: str, args: dict[str, Any]) -> str:
    """The thing a crop keeps, from its phrase: what the crop is for is dropped; on a clip, "the video" is
    the picture, not a thing, and a place by words ("the left half") goes to ``args["part"]``."""
    phrase = _CROP_PURPOSE.sub("", phrase.strip())  # "to 9:16 for instagram stories": what it is for, not a thing
    if not b.video_mode:
        return phrase
    from vitron_agent.tools.segment import geometric
    from vitron_agent.tools.video_transform import place_mask

    phrase = re.sub(
        r"^(?:the\s+)?(?:video|clip|footage|film|movie)\b\s*(?:(?:in)?to|down to|on|around)?\s*",
        "",
        phrase.strip(),
        flags=re.I,
    )
    if geometric(phrase) or place_mask(4, 4, phrase) is not None:  # "crop to the left half": a place, not a thing
        args["part"] = phrase.strip()
        return ""
    return phrase


def _do_crop(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    if b.video_mode and "transform_video" not in b.toolbox:
        b.notes.append(f"{_restore(clause, b.regions)!r}: crop works on images here; take a frame first. Skipped.")
        return
    if not b.video_mode and (out := _CROP_OUT.match(clause.strip())):  # "crop out the logo": crop it away
        kind, mask = _target(b, out.group("x") or out.group("y"), last)
        if kind not in ("whole", "none", "background", "complement") and mask is not None:
            sid = b.add("edit", image=b.image, operation="crop", mask=mask, where="outside")
            b.image, b.mask, b.last_output = f"${sid}.image", None, "image"
            return
    margin, rest = _crop_margin(rest)
    low = rest.lower()
    aspect = None
    low = re.sub(r"\b(\d+)\s+by\s+(\d+)\b", r"\1:\2", slots.digits(low))  # "a 4 by 3 ratio", "four by three"
    if m := re.search(r"\b(\d+(?:\.\d+)?)\s*[:x/]\s*(\d+(?:\.\d+)?)\b", low):
        aspect = f"{m.group(1)}:{m.group(2)}"
    elif re.search(r"\bsquare\b", low):
        aspect = "1:1"
    phrase = re.sub(
        r"\b(?:an?\s+)?(?:(?:portrait|landscape|vertical|horizontal|wide|tall)\s+)*(?:square|portrait|landscape|"
        r"\d+(?:\.\d+)?\s*(?:[:x/]|by)\s*\d+(?:\.\d+)?)(?:\s+(?:aspect(?:\s+ratio)?|ratio|format|shape|orientation))?\b",
        " ",
        re.sub(r"\b(\d+)\s+by\s+(\d+)\b", r"\1:\2", slots.digits(rest)) if aspect else rest,
        flags=re.I,
    )
    phrase = re.sub(r"\bcrop(?:ped)?\b(?!\s+(?:to|around|on)\b)", " ", phrase, flags=re.I)  # "make it a square crop"
    # "cropped to the flower", "closer to the face", "so the bird is centred": the thing itself
    phrase = re.sub(
        r"^\s*(?:(?:cropped|trimmed|cut)\s+(?:down\s+)?|(?:(?:closer|tighter|tightly|right|in|a bit|more)\s+){1,2})(?=to\b|around\b|on\b)",
        "",
        phrase.strip(),
        flags=re.I,
    )
    if so := re.match(
        r"^so\s+(?:that\s+)?(?P<x>.+?)\s+(?:is|are)\s+(?:centred|centered|in the (?:middle|centre|center)|in frame|the focus)\b",
        phrase.strip(),
        re.I,
    ):
        phrase = so.group("x")
    phrase = re.sub(r"^\s*(?:to|around|on|at)\s+", "", phrase.strip(), flags=re.I)
    # "crop this into a square", "frame it tighter on the bird": the picture named, then the thing
    phrase = re.sub(
        r"^(?:(?:it|this|that|the (?:image|picture|photo|shot))(?:\s+(?:tighter|closer|more tightly|tightly|in|down))?)?"
        r"(?:\s*(?:into|to|as|on|around|onto)\b|\s*$)\s*",
        "",
        phrase.strip(),
        flags=re.I,
    )
    # "crop out everything except the plate", "(cut) the picture down to the house": a crop keeps the named thing
    phrase = re.sub(
        r"^(?:out\s+|away\s+)?(?:everything|all|the (?:rest|image|picture|photo))\s+(?:except(?:\s+for)?|but|apart from|"
        r"other than|around|down to|to)\s+|^(?:the (?:image|picture|photo)\s+)?(?:down\s+)?to\s+",
        "",
        phrase.strip(),
        flags=re.I,
    )
    inline = next((b.regions[k] for k in re.findall(r"@r\d+@", phrase) if b.regions[k]["type"] == "box"), None)
    args: dict[str, Any] = {"operation": "crop", "aspect": aspect, "margin": margin}
    phrase = _crop_phrase(b, phrase, args)
    if inline is not None:
        args["box"] = dict(inline)
    elif "box" in b.inputs.get("input", {}) and not clean_target(phrase):
        args["box"] = "$input.box"
    elif clean_target(phrase):
        kind, mask = _target(b, phrase, last)
        if kind not in ("whole", "none") and mask is not None:
            args["mask"] = mask
    elif aspect is None and b.mask:
        args["mask"] = b.mask
    if "mask" not in args and "box" not in args and "part" not in args and aspect is None:
        args["mask"] = _segment(b, "the main object", last)
    if b.video_mode:  # every frame cropped alike; a thing named is followed first, the crop holds it throughout
        if "mask" in args:
            args["track"] = args.pop("mask")
        sid = b.add("transform_video", video=b.image, **args)
        b.image, b.mask, b.last_output = f"${sid}.video", None, "video"
        return
    sid = b.add("edit", image=b.image, **args)
    b.image, b.mask, b.last_output = f"${sid}.image", None, "image"  # a new, smaller picture: old masks do not fit it


# The looking and generative handlers live in their own modules (split by concept); their names are
# importable from here as before.
from vitron_agent.planners.rule.picture_generation import (  # noqa: E402
    NEEDS_DIFFUSERS,
    NO_SWAP,
    _do_animate,
    _do_frame,
    _do_replace,
    _do_restyle,
    swap_parts,
)
from vitron_agent.planners.rule.picture_questions import (  # noqa: E402
    _do_count,
    _do_describe,
    _do_detect,
    _do_question,
    _do_read,
)

__all__ = [
    "NEEDS_DIFFUSERS",
    "NO_SWAP",
    "swap_parts",
    "_do_animate",
    "_do_frame",
    "_do_replace",
    "_do_restyle",
    "_do_count",
    "_do_describe",
    "_do_detect",
    "_do_question",
    "_do_read",
    "_do_crop",
    "_do_cutout",
    "_do_composite",
    "_do_outline",
    "_do_flip",
    "_do_rotate",
    "_do_resize",
    "_geometry",
    "_PASTE",
]
