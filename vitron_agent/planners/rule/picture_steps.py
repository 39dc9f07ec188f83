"""The rule planner's whole-picture steps: flip, rotate, resize, crop, cut out, composite,
outline; the questions (describe, what colour, read, detect, count); and generation (replace,
restyle, animate, a video frame). The region steps and the builder are in rule_steps."""

from __future__ import annotations

import math
import re
from typing import Any

from vitron_agent.planners.rule.lexicon import (
    _COLOR_RE,
    _COLOR_WORDS,
    _PRONOUN,
    _WHOLE,
    _restore,
)
from vitron_agent.planners.rule.step_builders import (
    _Builder,
    _do_segment,
    _edit,
    _segment,
    _target,
)
from vitron_agent.planners.rule.target_words import clean_target, target_words
from vitron_agent.toolkit import slots


def _geometry(b: _Builder, clause: str, **args: Any) -> None:
    if b.video_mode and args.get("operation") != "flip":
        b.notes.append(
            f"{_restore(clause, b.regions)!r}: {args['operation']} works on images; take a frame first. Skipped."
        )
        return
    if (thing := _one_thing(clause)) is not None:  # "rotate the horse 90°": the whole picture turns, said first
        verb = {"rotate": "rotate", "flip": "flip", "resize": "resize"}[args["operation"]]
        b.notes.append(
            f"I did not do it on {thing!r} only: I can {verb} only the whole picture, so I did that "
            f"(to change one thing alone, cut it out first: 'cut out {thing}')."
        )
    sid = b.add(b.tool("edit"), **{b.media_arg: b.image}, **args)
    b.image, b.last_output = f"${sid}.{b.media_arg}", b.media_arg
    if args["operation"] != "flip" or not b.video_mode:
        b.mask = None  # the picture moved: earlier masks do not fit it


# "rotate the horse 90 degrees", "make the dog twice as big", "flip the car": a thing named, not the picture
_THING_OF_GEOMETRY = re.compile(
    r"^(?:please\s+)?(?:rotate|turn|spin|tilt|flip|mirror|resize|scale|shrink|enlarge|make)\s+"
    r"(?P<x>(?:the|his|her|their|that|this)\s+[a-z]+(?:\s+[a-z]+)?)\b",
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
    if "image" not in last or b.video_mode:
        b.answer = (
            "There is no earlier picture to take it from: first cut the object out ('cut out the cat'), then "
            "send the picture to put it on with 'put it on this picture'."
        )
        return
    if _ONTO_EARLIER.search(clause):  # "place the dog onto the earlier picture": this one's thing over that one
        _composite_onto_earlier(b, clause)
        return
    if (
        _PRONOUN.match(what)
        or re.match(r"^(?:the\s+|that\s+|this\s+|my\s+)?(?:cut-?out|sticker)$", what, re.I)
        or not what
    ):
        b.add("edit", image="$last.image", operation="composite", background=b.image)
    else:  # "put the cat from the last picture on this one"
        what = re.sub(
            r"\s+(?:from|in|of)\s+(?:the\s+)?(?:last|previous|other|first|earlier)\s+(?:picture|photo|image|one)\b.*$",
            "",
            what,
            flags=re.I,
        )
        sid = b.add("segment", image="$last.image", target=what)
        b.add("edit", image="$last.image", mask=f"${sid}.mask", operation="composite", background=b.image)
    b.image, b.mask, b.last_output = f"${b.steps[-1].id}.image", None, "image"


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


_PASTE = re.compile(
    r"^(?:(?:put|place|paste|insert|add|drop|move|stick|layer|lay|overlay|set|plonk|pop|slap|superimpose|composite|bring|"
    r"merge|blend|combine)\s+(?P<what>.+?)|(?:i\s*(?:'d like|would like|want|need)\s+)?(?P<what2>it|that|this|them|"
    r"the cut-?out|the sticker)\s+(?:pasted|put|placed|dropped|laid|layered|set|stuck|composited|merged))\s+"
    r"(?:on top of|onto|on|into|in|over|to|against|with|behind)\s+(?:to\s+)?"
    r"(?:this|the\s+new|the\s+other|the\s+second|my|that|the\s+current)\s+(?:new\s+)?(?:[a-z]+\s+)?"
    r"(?:picture|photo|image|scene|background|backdrop|one|shot|pic)\b"
    # "use this as the (new) background for it": this picture is where the earlier cut-out goes
    r"|^use\s+(?:this|the\s+new|this\s+(?:picture|photo|image|one))\s+as\s+(?:the\s+|its\s+|a\s+)?(?:new\s+)?"
    r"(?:background|backdrop)\b(?:\s+for\s+(?P<what3>.+))?"
    # "paste the cat from the last photo here"
    r"|^(?:put|place|paste|drop|stick|bring|slap|layer|overlay)\s+(?P<what4>(?:it|that|them|the|my|those|these)\b.*?)\s+"
    r"(?:(?:in|into|onto|on|over|on top of)\s+(?:here|this)|here|in)\s*$",
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
    near = re.search(
        rf"\s+with\s+(?:a|an)\s+(?P<c2>{_COLOR_RE.pattern[3:-3]})\s+(?:line|outline|border|contour)\s*\??$", rest, re.I
    )
    if line:
        color = (line.group("c1") or (dest.group(1) if dest else "red")).lower()
        phrase = line.group("what")
        if dest and not line.group("c1"):  # "an outline around the car in green": the colour is the line's
            phrase = phrase[: max(0, dest.start() - line.start("what"))]
    elif near:
        color, phrase = near.group("c2").lower(), rest[: near.start()]
    else:
        color = dest.group(1).lower() if dest else "red"
        phrase = rest[: dest.start()] if dest else rest
    phrase = re.sub(r"\s+(?:in|with|using)\s*$", "", phrase.strip(), flags=re.I)
    kind, mask = _target(b, phrase, last)
    if mask is None or kind == "whole":
        mask = _segment(b, "the main object", last)
    _edit(b, operation="outline", mask=mask, color=color)


def _do_describe(b: _Builder, rest: str, clause: str, last: dict[str, str], question: str | None = None) -> None:
    if question is None and not b.video_mode and (pixels := _WHICH_PIXELS.match(clause.strip())):
        _do_segment(b, pixels.group("what") or pixels.group("what2"), clause, last)
        return
    rest = re.sub(  # "explain what this image shows", "what is going on here": the picture itself
        r"^(?:what\s+|what's\s+|what(?='s))?(?:(?:this|the|that)\s+(?:image|picture|photo|scene|video|clip)\s+(?:shows|is about|contains)|"
        r"(?:is|'s) (?:going on|happening)|going on|happening|happens|happened|goes on|takes place|(?:it|this) (?:shows|is))"
        r"(?:\s+(?:here|in (?:it|(?:this|that|the) (?:image|picture|photo|video|clip|footage|movie|scene)|this|that)))?\s*\??$",
        "",
        rest.strip(),
        flags=re.I,
    )
    kind, mask = _target(b, rest, last)
    if kind == "whole":
        mask = None
    b.add(b.tool("describe"), **{b.media_arg: b.image, b.mask_arg: mask}, question=question)
    b.last_output = "text"


# a question that asks for a selection: "which pixels are the cat?", "what area does the car cover?"
_WHICH_PIXELS = re.compile(
    r"^(?:which|what)\s+(?:pixels?|parts?|areas?|regions?|bits?)\s+(?:of\s+(?:the|this)\s+(?:image|picture|photo|shot)\s+)?"
    r"(?:(?:is|are|belong\s+to|make\s+up|show)\s+(?P<what>(?:the|this|that|his|her|my|their|an?)\s+(?!\w+est\b|most\b|best\b).+?)|"
    r"does\s+(?P<what2>(?:the|this|that|his|her|my|their)\s+.+?)\s+(?:cover|take\s+up|occupy|fill))\s*\??$",
    re.I,
)


# whether there is text at all: reading it answers that ("is there any text in the image?" was a description)
_TEXT_THERE = re.compile(
    r"^(?:is|are)\s+there\s+(?:any\s+)?(?:text|writing|words?|letters|lettering|captions?)\b"
    r"(?:\s+(?:in|on)\s+(?:it|this|the\s+(?:image|picture|photo|shot|pic)))?\s*\??$",
    re.I,
)


def _do_question(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    if not b.video_mode and (pixels := _WHICH_PIXELS.match(clause.strip())):  # a selection asked as a question
        _do_segment(b, pixels.group("what") or pixels.group("what2"), clause, last)
        return
    if _TEXT_THERE.match(clause.strip()):
        _do_read(b, "the text", clause, last)
        return
    if bw := re.match(  # "is this picture black and white?": whether it has colour, about what the words name
        r"^(?:is|are|was|were)\s+(.+?)\s+(?:in\s+)?(?:black[- ]and[- ]white|b\s*&\s*w|gr[ae]y\s*scale|monochrome)\s*\??$",
        rest.strip(),
        re.I,
    ):
        _do_describe(b, bw.group(1), clause, last, question=_restore(rest, b.regions))
        return
    m = re.match(
        r"^(?:what|which)\s+colou?r\s+(?:is|are)\s+(.*)$"
        r"|^(?:where|whereabouts|how big|how large|how bright|how dark)\s+(?:exactly\s+|roughly\s+)?(?:is|are)\s+(.*)$"
        r"|^(?:what|which)\s+colou?rs?\s+(.+?)\s+(?:is|are|has|have)\s*\??$"
        r"|^where\s+(.+?)\s+(?:is|are)\s*\??$|^where's\s+(.+?)\s*\??$"
        rf"|^(?:is|are)\s+(.+?)\s+(?:{'|'.join(_COLOR_WORDS)})\s+or\s+(?:{'|'.join(_COLOR_WORDS)})\s*\??$"
        rf"|^(?:is|are)\s+(.+?)\s+(?:colou?red\s+|mostly\s+|all\s+)?(?:{'|'.join(_COLOR_WORDS)})\s*\??$"
        r"|^what\s+(?:is|are)\s+(?:in\s+)?(.*)$|^what's\s+(?:in\s+)?(.*)$",
        rest,
        re.I,
    )
    phrase = next((g for g in (m.groups() if m else ()) if g), "it" if (b.mask or b.last_output) else "the image")
    if re.match(r"^(?:going on|happening|that happens|happens)\b", phrase.strip(), re.I):  # "what's going on here?"
        phrase = "the image"
    if re.match(
        r"^(?:this|it|that)\s+(?:an?\s+)?(?:picture|photo|image|shot|pic|photograph)\s+of\s*\??$", phrase.strip(), re.I
    ):
        phrase = "the image"  # "what's this a picture of?": the picture described, not "this a picture of" selected
    _do_describe(b, phrase, clause, last, question=_restore(rest, b.regions) + ("" if rest.endswith("?") else "?"))


def _do_crop(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    if b.video_mode:
        b.notes.append(f"{_restore(clause, b.regions)!r}: crop works on images; take a frame first. Skipped.")
        return
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
    args: dict[str, Any] = {"operation": "crop", "aspect": aspect}
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
    if len(args) == 2 and aspect is None:
        args["mask"] = _segment(b, "the main object", last)
    sid = b.add("edit", image=b.image, **args)
    b.image, b.mask, b.last_output = f"${sid}.image", None, "image"  # a new, smaller picture: old masks do not fit it


def _do_read(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    if "read_text" not in b.toolbox:
        b.notes.append(
            "Reading text is not configured: [tools.read_text] needs the embedded OCR weights "
            f"(make install); I skipped {_restore(clause, b.regions)!r}."
        )
        return
    image = b.image
    if b.video_mode:
        image = f"${b.add('frame', video=b.image, position='middle')}.image"
        b.notes.append("Reading text works on images: I read the middle frame of the video.")
    phrase = clean_target(rest)
    inline = next((b.regions[k] for k in re.findall(r"@r\d+@", rest) if b.regions[k]["type"] == "box"), None)
    box = {k: v for k, v in inline.items()} if inline else "$input.box" if "box" in b.inputs.get("input", {}) else None
    mask = b.mask if box is None and _PRONOUN.match(phrase or "it") and b.mask and not b.video_mode else None
    on = _ON_A_THING.match(rest.strip(" ?.!"))
    if on and box is None and mask is None and not b.video_mode:
        thing = clean_target(on.group("x"))
        if (
            thing
            and not _PRONOUN.match(thing)
            and not _WHOLE.match(thing)
            and not _TEXT_WORDS.match(thing)
            and not _TEXT_SURFACE.search(thing)
        ):
            # "what is written on the yellow bottle?": the bottle's text, not the whole picture's (it read
            # the motorbike's badge); a thing not found is said, not read around
            mask = _segment(b, on.group("x"), last)
            phrase = ""
    b.add("read_text", image=image, mask=mask, box=box)
    b.last_output = "text"
    if mask is None and box is None and phrase and not _PRONOUN.match(phrase) and not _TEXT_WORDS.match(phrase):
        b.named = phrase  # "read the sign and then blur it": a later "it" is the sign


# "on the bottle", "the text on the sign", "written across his shirt": where the text is
_ON_A_THING = re.compile(
    r"^(?:(?:the|any|all|some)\s+)?(?:(?:text|writing|words?|letters|label|numbers?)\s+)?(?:written\s+)?"
    r"(?:on|across|along|upon|printed on)\s+(?P<x>.+)$",
    re.I,
)

# things that are mostly text (the picture's text is theirs; no model here outlines them): read as they are
_TEXT_SURFACE = re.compile(
    r"\b(?:signs?|signboards?|posters?|boards?|whiteboards?|blackboards?|billboards?|labels?|stickers?|pages?|papers?|"
    r"notes?|notices?|screens?|monitors?|banners?|cards?|menus?|documents?|receipts?|tickets?|letters?|envelopes?|"
    r"covers?|plates?|placards?|plaques?|slides?|forms?|books?|magazines?|newspapers?|maps?|charts?|tags?)$",
    re.I,
)

_TEXT_WORDS = re.compile(  # what is read, not a thing to select: "read the text", "what the words say"
    r"^(?:(?:the|any|all|some)\s+)?(?:text|writing|words?|letters|characters|numbers?|captions?|everything|it|this|that|"
    r"them|image|picture|photo)$|^what\b",
    re.I,
)


_ALL_OBJECTS = re.compile(
    r"^(?:(?:all|every|each|any)\s+)?(?:the\s+)?(?:(?:different|visible|main)\s+)?(?:objects?|things?|items?|"
    r"everything|anything(?:\s+(?:interesting|at all|notable))?|it|them|(?:the\s+)?(?:image|picture|photo|scene)|"
    r"what(?:'s|\s+is)?(?:\s+in\s+(?:it|(?:the|this|that)\s+(?:image|picture|photo|scene)))?)?"
    r"(?:\s+(?:are there|there are|"
    r"you see|in it|and label them|with labels|with boxes))*$",
    re.I,
)


def _do_detect(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    """Labelled boxes for what ``rest`` names (every object when it names none)."""
    if "detect" not in b.toolbox or b.video_mode:
        _do_segment(b, rest, clause, last)
        return
    rest = re.sub(
        r"\s+(?:with|in|using)\s+(?:an?\s+)?(?:bounding\s+)?box(?:es)?\s*$", "", rest, flags=re.I
    )  # "… with boxes"
    # "i want boxes around every boat": the boxes asked for are how it is shown, the boats the target
    rest = re.sub(
        r"^(?:i\s*(?:'d like|would like|want|need)\s+)?(?:(?:bounding\s+)?box(?:es)?|labels?|rectangles?)\s+"
        r"(?:around|round|on|over|for)\s+(?:every|each|all(?:\s+(?:of\s+)?the)?|the)?\s*",
        "",
        rest.strip(),
        flags=re.I,
    )
    # "with their positions", "(object) detection on this", "bounding boxes": how it is shown, no thing
    rest = re.sub(r"\s+with\s+(?:their\s+)?(?:positions?|locations?|labels|coordinates)\s*$", "", rest, flags=re.I)
    rest = re.sub(
        r"^(?:(?:object\s+)?detection(?:\s+on\s+(?:this|it|the (?:image|picture|photo)))?|(?:bounding\s+)?box(?:es)?)\s*$",
        "",
        rest.strip(),
        flags=re.I,
    )
    target = clean_target(re.sub(r"\s+(?:and\s+)?(?:label|box|outline)\s+(?:them|it)$", "", rest, flags=re.I))
    if _PRONOUN.match(target or "it") and b.steps:  # "find the cars and label them"
        prev = b.steps[-1]
        if prev.tool == "detect":
            return  # already labelled
        if prev.tool == "segment" and prev.args.get("target"):
            target = str(prev.args["target"])
    b.add("detect", image=b.image, target=None if _ALL_OBJECTS.match(target) else target)
    b.last_output = "text"


def _do_count(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    from vitron_agent.perception.target_spec import parse_target_phrase

    target = clean_target(rest) or "objects"
    if _PRONOUN.match(target) or target.lower() in ("there", "they", "there are"):
        named = next((st.args["target"] for st in reversed(b.steps) if isinstance(st.args.get("target"), str)), None)
        target = named or target  # "segment the people and count them": count the people
    if (parts := parse_target_phrase(target)).relation:  # "windows on the house": the count tool counts the things
        target = parts.head
    target = re.sub(  # "apples in the bowl": where they are is no part of what is counted
        r"\s+(?:in|inside|within|at)\s+(?:the|this|that|a|an|my|his|her|their|our)\s+[a-z ]+$", "", target, flags=re.I
    )
    color = next((c.lower() for c in _COLOR_RE.findall(target)), None)
    image = b.image
    if b.video_mode and re.match(r"^(?:the\s+)?(?:frames?|images?|pictures?)\b", target, re.I):
        b.add("describe_video", video=b.image, question="how many frames are there?")
        b.last_output = "text"
        return
    if b.video_mode and re.match(r"^(?:the\s+)?(?:shots?|scenes?|cuts?|camera angles?)\b", target, re.I):
        b.add("describe_video", video=b.image, question="how many shots are there?")  # PySceneDetect's shots
        b.last_output = "text"
        return
    generic = re.search(r"\b(?:things?|objects?|items?|shapes?|blobs?|ones|regions?|spots?)\b", target, re.I)
    if b.video_mode and "count_in_video" in b.toolbox and not generic:  # named things: followed through the clip
        what = re.sub(r"\s+(?:in|through|across|during)\s+(?:the\s+|this\s+)?(?:video|clip|footage)\b.*$", "", target)
        b.add("count_in_video", video=b.image, target=target_words(what) or "people")
        b.last_output = "text"
        return
    if b.video_mode:
        image = f"${b.add('frame', video=b.image, position='middle')}.image"
        b.notes.append("Counting works on images: I counted on the middle frame of the video.")
    b.add("count", image=image, target=target, color=color)
    b.last_output = "text"


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


# what a picture is turned into when it is restyled, not a thing put in a thing's place
_STYLE_WORDS = re.compile(
    r"\b(?:painting|drawing|sketch|cartoon|anime|manga|comic|watercolou?r|oil|illustration|poster|mosaic|pixel art|"
    r"style|van gogh|monet|picasso|impressionis\w*|pop art|charcoal|pastel|engraving|woodcut|stained glass|render)\b",
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


def _do_restyle(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
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
    if (index := slots.frame_index(low)) is not None:
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
