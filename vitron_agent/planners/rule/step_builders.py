"""The rule planner's step builders: one ``_do_<intent>`` per action, each adding steps to the
:class:`_Builder` (segment the target, edit it, describe it ...), and the bindings of "it" / "them"
to the latest mask and picture."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from vitron_agent.planners.rule.lexicon import (
    _BACKGROUND,
    _COLOR_RE,
    _COMPLEMENT,
    _FOREGROUND,
    _INTENSITY_WORDS,
    _PRONOUN,
    _QUALITY,
    _SHADES,
    _TONE_WORDS,
    _WHOLE,
    EXCEPT,
    _restore,
    intensity,
    np_target,
)
from vitron_agent.planners.rule.target_words import (
    _PARTS,
    ONE_OF_A_KIND,
    clean_target,
    one_of_kind,
    part_of_whole,
    split_exclusion,
)
from vitron_agent.toolkit.plan import Step
from vitron_agent.toolkit.tool import Toolbox


@dataclass
class _Builder:
    toolbox: Toolbox
    inputs: dict[str, dict[str, str]]
    regions: dict[str, dict[str, Any]]
    steps: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    image: str | None = None
    mask: str | None = None
    box: str | None = None
    last_output: str | None = None
    answer: str | None = None  # set by a handler that cannot plan the clause: the plan's whole answer
    video_mode: bool = False  # ``image`` holds a video reference and ``mask`` a track reference
    fresh: bool = False  # a clause made a new picture: the previous turn's mask no longer applies
    named: str | None = None  # a thing a text step named ("read the sign"): what "it" means next, while no mask is
    span: tuple[float, float | None] | None = None  # the clause's time span on a clip ("the first 3 seconds")
    part: dict[str, Any] | None = None  # the part of a clip the clause names ("the last shot", "the first half")

    def add(self, tool: str, **args: Any) -> str:
        sid = f"s{len(self.steps) + 1}"
        self.steps.append(Step(id=sid, tool=tool, args={k: v for k, v in args.items() if v is not None}))
        return sid

    def tool(self, image_tool: str) -> str:
        """The tool serving ``image_tool``'s role on the current medium."""
        return _VIDEO_TOOLS.get(image_tool, image_tool) if self.video_mode else image_tool

    @property
    def media_arg(self) -> str:
        return "video" if self.video_mode else "image"

    @property
    def mask_arg(self) -> str:
        return "track" if self.video_mode else "mask"


# a target that is the place a kept thing stands in ("brighten the garage but keep the motorcycle unchanged"):
# it gives way to everything but the kept thing
_SCENE = re.compile(
    r"\b(?:room|garage|kitchen|bedroom|bathroom|hall|office|shop|street|road|garden|yard|park|field|landscape|scene|"
    r"view|city|town|beach|forest|woods|interior|background|backdrop|foreground|surroundings|setting|place|area)s?$",
    re.I,
)
_VIDEO_TOOLS = {"segment": "track", "edit": "edit_video", "describe": "describe_video"}


# operations that edit what lies around their mask (the mask is the thing kept): "blur the background but keep the
# cup sharp" had blurred round the main object and said "I left the cup as it is" (newcomer s13, class 2)
_AROUND_THE_MASK = ("blur_background", "replace_background", "keep_only")


def _exclude(b: _Builder, before: int, kept: str, clause: str, last: dict[str, str]) -> None:
    """Make the clause's edit spare ``kept``: it runs outside ``kept``'s mask. When the clause's
    own target was the scene ("the garage", "the room", ``_SCENE``), the background (an edit outside the
    main object) or the whole image, that target gives way; a thing the user named is edited alone and ``kept`` is left as it is (said); a part of
    it ("the wheels") cannot be taken out of its mask (said)."""
    from vitron_agent.perception.recognise import face_part

    added = b.steps[before:]
    edit = next((s for s in reversed(added) if s.tool in ("edit", "edit_video")), None)
    if edit is None or edit.args.get("operation") in ("crop", "rotate", "resize", "flip"):
        return
    used = str(edit.args.get(b.mask_arg) or "")
    seg = next((s for s in added if s.tool in ("segment", "track") and used.startswith(f"${s.id}.")), None)
    target = str(seg.args.get("target", "")) if seg is not None else ""
    around = edit.args.get("operation") in _AROUND_THE_MASK  # "blur the background but keep the cup sharp"
    if seg is not None and not _SCENE.search(target) and edit.args.get("where", "inside") != "outside" and not around:
        # "make the flower yellow and leave the tower alone": a thing the user named is edited alone, so the
        # other thing is left as it is anyway (it had edited everything but the tower); a part of the thing
        # ("the car red but keep the wheels") cannot be taken out of its mask, and is said
        part = face_part(kept) or re.search(rf"\b(?:{_PARTS})$", clean_target(kept) or "", re.I)
        if part:
            b.notes.append(f"I cannot subtract {kept!r} from {target!r}: the edit covers {target!r} whole.")
        else:
            b.notes.append(f"I left {kept} as it is: the edit covers {target} only.")
        return
    held = b.mask or (f"$last.{b.mask_arg}" if b.mask_arg in last else None)
    if seg is None and held is not None and _PRONOUN.match(clean_target(kept) or ""):
        edit.args[b.mask_arg], edit.args["where"] = held, "outside"  # "… leave it in colour": the selection
        return
    image, b.image = b.image, edit.args[b.media_arg]  # the kept object is found on the picture the edit starts from
    mask = _segment(b, kept, last)
    b.image = image
    new = b.steps.pop()
    if seg is not None:  # the scene's segment step becomes the kept object's (same id, same place)
        b.steps[b.steps.index(seg)] = new = Step(id=seg.id, tool=new.tool, args=new.args)
        mask = f"${seg.id}.{b.mask_arg}"
    else:
        b.steps.insert(b.steps.index(edit), new)
    b.mask = mask
    edit.args[b.mask_arg] = mask
    if around:  # the background is what lies around the kept thing: the operation edits outside its mask itself
        b.notes.append(f"The background is everything but {kept} ({new.id}'s mask); {kept} is left as it is.")
        return
    edit.args["where"] = "outside"
    b.notes.append(f"Everything but {kept} was edited ({edit.id} outside {new.id}'s mask).")


_EVERYONES = re.compile(
    r"\b(?:every(?:one|body|\s+person)'?s|all (?:the )?(?:people|persons)'?s?|(?:the\s+)?people'?s)\s+"
    r"(face|head|eye|hand|plate)s?\b",
    re.I,
)


def _target(b: _Builder, phrase: str, last: dict[str, str]) -> tuple[str, str | None]:
    """Classify a target phrase: ('pronoun'|'whole'|'background'|'none'|'object', mask reference)."""
    phrase = _ALL_OF_IT.sub("everything", _AS_SELECTION.sub("", phrase))  # "all of it except X", "X as a mask"
    phrase = _EVERYONES.sub(lambda m: f"{m.group(1)}s", phrase)  # "everyone's face": all the faces
    if b.video_mode:  # on a clip: "the horse goes", "the faces throughout" name the horse, the faces
        phrase = _TRACK_TAIL.sub("", _PATH_OF.sub("", phrase.strip())).strip() or phrase
        if b.span is not None or b.part is not None:  # "the first 3 seconds", "the last shot": when, not what
            phrase = _part_words().sub("", _TIME_WORDS.sub("", phrase)).strip()
            if not phrase or re.fullmatch(
                r"(?:the\s+)?(?:part|bit|section|portion|stretch)(?:\s+of it)?", phrase, re.I
            ):
                return "whole", None
    if _WHAT_IS_SEEN.match(phrase.strip()):  # "describe what you see in the video": the whole clip or picture
        return "whole", None
    cleaned = clean_target(phrase)
    if m := _COMPLEMENT.match(re.sub(r"^(?:the\s+)?", "", phrase.strip(), flags=re.I)):
        if _PRONOUN.match(clean_target(m.group(1)) or "it"):  # "blur behind her": outside the last or main selection
            kept = b.mask or (f"$last.{b.mask_arg}" if b.mask_arg in last else None)
            return "complement", kept or _segment(b, "the main object", last)
        return "complement", _segment(b, m.group(1), last)  # "everything except the person": outside its mask
    if (not cleaned or cleaned.lower() in ("the", "a", "an", "its", "their")) and not re.search(r"@r\d+@", phrase):
        if b.mask is None and _marked(b):  # "blur" with a box drawn: the marked thing, not the whole picture
            return "object", _segment(b, "the main object", last)
        return "none", b.mask
    if _QUALITY.match(phrase.strip(" ,.?!")):  # "the colour", "the exposure": a quality of the picture
        return "whole", None
    if _PRONOUN.match(cleaned) or cleaned.lower() == "they":  # "what colour they are": the things just named
        if b.mask:
            return "pronoun", b.mask
        if b.named:  # "read the sign and then blur it": it is the sign, selected now
            named, b.named = b.named, None
            return "object", _segment(b, named, last)
        if counted := _counted(b):  # "count the apples and then outline them": them is the apples
            return "object", _segment(b, counted, last)
        if _marked(b):  # "blur this", "what colour is it?" with a box or a click: the marked thing
            return "object", _segment(b, "the main object", last)
        if b.mask_arg in last:
            return "pronoun", f"$last.{b.mask_arg}"
        return "pronoun", None
    if (_WHOLE.match(cleaned) and not _A_THING.match(cleaned)) or _QUALITY.match(cleaned):
        return "whole", None
    if re.match(
        r"^(?:everything|all|anything) else$|^the rest(?: of (?:it|the (?:image|picture|photo|scene)))?$", cleaned, re.I
    ):
        mask = b.mask or (f"$last.{b.mask_arg}" if b.mask_arg in last else None)  # outside what was selected
        if mask is not None:
            return "complement", mask
    if _BACKGROUND.match(cleaned):
        return "background", b.mask
    return "object", _segment(b, phrase, last)


_WHAT_IS_SEEN = re.compile(
    r"^(?:what|everything|anything)\s+(?:(?:you|we|i)\s+(?:can\s+)?(?:see|spot|notice)|(?:is|'s)\s+(?:there|in (?:it|here|there)|"
    r"going on|happening)|happens|goes on|is shown)\b",
    re.I,
)


# "the dog as a selection", "the sky as a mask": how the result is wanted, not part of the thing
_AS_SELECTION = re.compile(
    r"\s+(?:as|into|for)\s+(?:a|an|the|my)\s+(?:selection|mask|region|layer|cut-?out)\b.*$", re.I
)
_ALL_OF_IT = re.compile(r"^(?:all|the whole|the entirety)\s+of\s+(?:it|this|that|the (?:image|picture|photo))\b", re.I)


# a time span in a target phrase on a clip (``_Builder.span`` holds its value)
_SECS = r"(?:s|secs?|seconds?|mins?|minutes?)\b"
_TIME_WORDS = re.compile(
    r"(?:^|\s+)(?:(?:for|during|in|over|within|across|of)\s+)?(?:only\s+|just\s+)?(?:the\s+)?"
    r"(?:(?:first|last|opening|final|closing|initial)\s+(?:\S+\s+)?(?:half\s+(?:a\s+)?)?"
    + _SECS
    + r"|(?:first|last|opening|final)\s+(?:second|minute)\b"
    r"|(?:(?:from|between)\s+)?(?:seconds?\s+)?[\d.:]+\s*(?:s|secs?|seconds?)?\s*(?:to|and|-|until|till|through)\s*[\d.:]+\s*(?:"
    + _SECS
    + r")?"
    r"|(?:after|before|until|till|from|up to)\s+(?:the\s+)?[\d.:]+(?:\s*"
    + _SECS
    + r")?(?:\s+mark)?(?:\s+on(?:wards)?|\s+(?:to|till|until)\s+the\s+end)?)"
    r"(?:\s+of\s+(?:it|the (?:video|clip|footage)))?",
    re.I,
)
_SAYS_TIME = re.compile(r"\d\s*(?:s|secs?|seconds?|mins?|minutes?)\b|\d+:\d\d|\b(?:seconds?|minutes?)\b", re.I)


def clause_span(clause: str, video: bool) -> tuple[float, float | None] | None:
    """The time span a clause on a clip names with a time unit ("the first 3 seconds", "from 0:02 to
    0:05"); None on a picture or when no time is said ("the first 2 people" is no span)."""
    from vitron_agent.toolkit import slots

    return slots.time_range(clause) if video and _SAYS_TIME.search(clause) else None


def clause_part(clause: str, video: bool) -> dict[str, Any] | None:
    """The part of a clip a clause names by shot, share or content ("the last shot", "the first half", "the
    part with the cat"), as edit_video's ``part`` argument; None on a picture or when none is named."""
    if not video:
        return None
    from vitron_agent.tools.video_clip_parts import clip_part

    part = clip_part(clause)
    return None if part is None else part.model_dump(exclude_none=True)


# "the white thing", "that round object": a thing described, not "the whole thing" (it washed the picture)
_A_THING = re.compile(
    r"^(?!.*\b(?:whole|entire|full|complete|same)\b)(?:the |a |an |that |this )?(?:[a-z]+ ){1,2}(?:thing|object)$", re.I
)


def _marked(b: _Builder) -> bool:
    """The request came with a box, a click or a scribble that no step of this plan has used yet: "this",
    "it" or no target at all then mean the marked thing (a box drawn around a sign and "blur this" had
    blurred the whole picture; "what colour is this?" had described the whole picture)."""
    given = b.inputs.get("input", {})
    kinds = [k for k in ("box", "point", "scribble") if k in given]
    used = {f"$input.{k}" for k in kinds}
    return bool(kinds) and not any(v in used for step in b.steps for v in step.args.values() if isinstance(v, str))


def _counted(b: _Builder) -> str | None:
    """The thing the latest count or detection of this plan named, while no mask is current ("count the
    apples and then outline them"); None when there is none."""
    for step in reversed(b.steps):
        if step.tool in ("count", "detect") and isinstance(step.args.get("target"), str):
            return step.args["target"]
        if step.tool not in ("count", "detect"):
            return None
    return None


def _segment(b: _Builder, phrase: str, last: dict[str, str]) -> str:
    """Add a segment step for ``phrase`` and make its mask current."""
    from vitron_agent.perception.target_spec import parse_target_phrase
    from vitron_agent.tools.segment import parse_target

    region = next((b.regions[k] for k in re.findall(r"@r\d+@", phrase)), None)
    target = clean_target(phrase) or "the main object"
    if ONE_OF_A_KIND.search(target) and (kind := _counted(b) or b.named):  # "count the hens, make the brown one white"
        target = one_of_kind(target, kind)
    if (left_out := split_exclusion(re.sub(r"@r\d+@", " ", phrase))[1]) is not None:  # "the swans but not the babies"
        b.notes.append(
            f"I selected {target} only; I cannot cut {left_out} out of it, so any of {left_out} inside it stays in."
        )
    if (part := part_of_whole(target)) is not None:  # "the hammer handle": no tool outlines a handle
        target = part[0]
        b.notes.append(f"I cannot pick out the {part[1]} of {target}; I selected {target} whole.")
    color, position, largest = parse_target(target)
    args: dict[str, Any] = {b.media_arg: b.image, "target": target}
    if color:
        args["color"] = color
    if position:
        args["position"] = position
    if largest:
        args["largest"] = True
    parts = parse_target_phrase(target)
    if parts.relation and "relation" in _fields(b, b.tool("segment")):  # "the crowd behind the player"
        args["relation"], args["relative_to"] = parts.relation, parts.relative_to
    given = b.inputs.get("input", {})
    if b.video_mode:
        args.pop("largest", None)  # track has no "largest" argument; its target words carry it
    if region is not None:
        args[region["type"]] = {k: v for k, v in region.items()}
    elif not color and not position and not largest:
        for kind in ("box", "point") if b.video_mode else ("box", "point", "scribble"):
            if kind in given:
                args[kind] = f"$input.{kind}"
                break
        else:
            if "ground" in b.toolbox and not _FOREGROUND.search(target) and not b.video_mode:
                gid = b.add("ground", image=b.image, target=target)
                args["box"] = f"${gid}.box"
    sid = b.add(b.tool("segment"), **args)
    b.mask, b.box, b.last_output = f"${sid}.{b.mask_arg}", f"${sid}.box", b.mask_arg
    return b.mask


def _fields(b: _Builder, tool: str) -> set[str]:
    """The argument names ``tool`` takes here (empty when it is not in the toolbox)."""
    return set(b.toolbox.get(tool).Input.model_fields) if tool in b.toolbox else set()


def _mask_or_foreground(b: _Builder, phrase: str, last: dict[str, str]) -> str:
    kind, mask = _target(b, phrase, last)
    if mask is None or kind == "whole":
        mask = _segment(b, "the main object", last)
    return mask


def _part_words():
    from vitron_agent.tools.video_clip_parts import PART_WORDS

    return PART_WORDS


def _edit(b: _Builder, mask: str | None = None, **args: Any) -> None:
    fields = _fields(b, "edit_video") if b.video_mode else set()
    if b.part is not None and "part" in fields:
        args["part"] = b.part  # "make the last shot black and white": only that shot, found on the clip
    elif b.span is not None and b.span[0] < 0 and b.span[1] is None and "part" in fields:
        args["part"] = {"last": -b.span[0]}  # "blur the last 3 seconds": counted from the clip's end
    elif b.video_mode and b.span is not None and "start" in fields:
        start, end = b.span  # "make the first 3 seconds black and white": only that part of the clip
        if start < 0:
            b.answer = (
                f"I can edit a part of the clip given from its start ('from 0:08 to 0:10'), not the last "
                f"{-start:g} seconds counted from the end; say the times from the start."
            )
            return
        args.update(start=start, end=end)
    sid = b.add(b.tool("edit"), **{b.media_arg: b.image, b.mask_arg: mask}, **args)
    b.image, b.last_output = f"${sid}.{b.media_arg}", b.media_arg


# words after a tracked thing that say how long or where it goes, not what it is: "the goalkeeper
# throughout", "the horse goes", "the bus in every frame", "the ball across the video"
_TRACK_TAIL = re.compile(
    r"(?:'s?\s+(?:movements?|motion|path|trajectory|route|progress|journey)\b.*"
    r"|\s+(?:as|while|when|until|till|wherever)\s+(?:it|they|he|she|its|their)\b.*"
    r"|\s+(?:frame by frame|around|about|everywhere|the whole way|from start to (?:finish|end))\s*"
    r"|\s+(?:(?:goes|go|went|moves?|moving|runs?|walks?|is going|travels?)\b.*"
    r"|(?:throughout|all the way|the whole (?:time|way|clip|video)|all (?:the )?(?:time|along))\b.*"
    r"|(?:in|on|through|across|over|during|for) (?:every|each|all(?: of)?|the whole|the entire|the)\s*(?:the\s+)?"
    r"(?:frames?|video|clip|footage|film|movie|shot|time)\b.*))$",
    re.I,
)


# "the path of the boat", "the movement of the players": the thing itself is what is followed
_PATH_OF = re.compile(
    r"^(?:the\s+)?(?:path|movements?|motion|trajectory|route|progress|journey|whereabouts)\s+of\s+(?=\w)", re.I
)


def _do_track(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    """Follow a thing through the clip (a selection on a video is a track)."""
    _do_segment(b, rest, clause, last)


def _do_segment(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    kind, _ = _target(b, rest, last)
    if kind == "pronoun" and b.mask is not None:
        return  # "find the cat and mask it": selected already
    if kind in ("pronoun", "none", "whole") and not re.search(r"@r\d+@", rest):
        _segment(b, "the main object", last)
    elif kind == "background":
        _segment(b, "the main object", last)
        b.notes.append("The mask is of the main object; the background is everything outside it.")


_SHADE_OF = {
    "deep": "dark",
    "deeper": "dark",
    "darker": "dark",
    "lighter": "light",
    "paler": "pale",
    "brighter": "bright",
}


def _named_shade(color: str, phrase: str) -> tuple[str, str]:
    """A shade the edit paints by its two-word name ("make it sky blue", "the car royal blue"): the colour is
    the shade and its first word leaves the thing ("it sky" was the target). After a bare determiner the
    word is the thing ("make the sky blue")."""
    from vitron_agent.perception.colors import SHADES

    m = re.search(r"(?:^|\s)([a-z]+)$", phrase, re.I)
    if m is None or f"{m.group(1).lower()} {color}" not in SHADES:
        return color, phrase
    left = phrase[: m.start()].strip()
    before = left.lower().split()[-1] if left else ""
    if before in ("", "the", "a", "an", "this", "that", "these", "those", "my", "your", "our", "and", "then"):
        return color, phrase
    return f"{m.group(1).lower()} {color}", left


def _do_recolor(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    rest = re.sub(r"^(?:the\s+)?colou?r\s+of\s+", "", rest, flags=re.I)
    colors = list(_COLOR_RE.finditer(rest))
    if not colors:  # read as a colour change, but no colour is named: ask, never guess one
        b.answer = "Which colour should it be? Say the colour too, e.g. 'make the car blue'."
        return
    dest = next((m for m in colors if re.search(r"\b(?:to|into|in|as)\s+$", rest[: m.start()], re.I)), colors[-1])
    # "change the colour of the walls to a nice sage green": what comes after "to a" describes the colour
    before = re.sub(r"\s+(?:to|into|as)\s+(?:a|an|some)\s+(?:[a-z-]+\s+){0,3}$", " ", rest[: dest.start()], flags=re.I)
    phrase = re.sub(r"\s+(?:to|into|in|as)\s*$", "", before, flags=re.I).strip()
    phrase = re.sub(
        r"(?:\s+(?:a\s+(?:bit|little|lot)|much|slightly|very|far|even|way|more|less|somewhat|really|too))+\s*$",
        "",
        phrase,
        flags=re.I,
    ).strip()
    # "change the shirt from red to blue": the old colour names no thing; "colour in the sky pink": no "in"
    phrase = re.sub(
        rf"\s+from\s+(?:(?:dark|light|pale|bright)\s+)?(?:{_COLOR_RE.pattern[3:-3]})\s*$", "", phrase, flags=re.I
    )
    if re.match(r"^colou?r\s+in\b", clause, re.I):
        phrase = re.sub(r"^in\s+", "", phrase, flags=re.I)
    if re.match(r"^give\b", clause, re.I):  # "give the car a metallic blue finish": the car, not "the car a metallic"
        phrase = re.sub(r"\s+(?:a|an|some)\b.*$", "", phrase, flags=re.I).strip()
    color = dest.group(1).lower()
    if shade := re.search(rf"\b({_SHADES})[ -]?$", rest[: dest.start()].strip() + " ", re.I) or re.search(
        rf"\b({_SHADES})\s*$", rest[: dest.start()], re.I
    ):
        tone = _SHADE_OF.get(shade.group(1).lower(), shade.group(1).lower())  # "a deep red", "a deeper red": dark red
        color = f"{tone} {color}"  # "make the uniform dark green": dark green, not green
        phrase = re.sub(rf"\s*\b(?:(?:a|an)\s+)?(?:{_SHADES})\s*$", "", phrase, flags=re.I).strip()
    color, phrase = _named_shade(color, phrase)
    kind, mask = _target(b, phrase, last)
    if shift := re.search(r"\b(?:less|not so|not as)\s+(blue|bluish|orange|yellow|yellowish)\b", rest, re.I):
        # "make the sky less blue": less of a colour is no paint in it, but the other temperature
        op = "cooler" if shift.group(1).lower().startswith(("orange", "yellow")) else "warmer"
        _edit(b, operation=op, mask=None if kind == "whole" else mask, amount=intensity(clause))
        return
    if less := re.search(rf"\b(?:less|not so|not as)\s+({_COLOR_RE.pattern[3:-3]})(?:ish)?\b", rest, re.I):
        # "make the car look less red": less of that colour, which no paint gives ("less red" painted it red);
        # "the sky less grey": more colour
        grey = less.group(1).lower() in ("gray", "grey", "black", "white", "silver")
        _edit(b, operation="saturate" if grey else "desaturate", mask=None if kind == "whole" else mask)
        b.notes.append(
            f"I cannot take out one colour: I made {'it more colourful' if grey else 'its colours weaker'} instead."
        )
        return
    if kind == "whole" or (kind in ("pronoun", "none") and mask is None):  # the picture itself
        if color in ("gray", "grey"):  # "turn it grey": the whole picture grey is grayscale, not a grey paint
            _edit(b, operation="grayscale")
            return
        tone = {"blue": "cooler", "cyan": "cooler", "orange": "warmer", "yellow": "warmer", "amber": "warmer"}.get(
            color
        )
        cast = re.search(r"\b(?:tint|cast|tone|hue|wash)\b", clause, re.I)
        if tone and (cast or kind == "whole"):
            # "give it a cool blue tint", "tint the picture blue", "make the whole photo more blue": a colour
            # over the whole picture is its temperature
            _edit(b, operation=tone, amount=intensity(clause))
            return
        if (cast or kind == "whole") and not b.steps:  # "tint the whole picture red": no such edit here
            b.answer = (
                f"I cannot wash the whole picture {color}: I can recolour a thing in it ('make the car {color}'), "
                "make the whole picture warmer or cooler, or black and white."
            )
            return
    if kind == "background" and color in ("white", "black", "gray", "grey"):
        _edit(b, operation="replace_background", mask=mask or _segment(b, "the main object", last), color=color)
        return
    if kind in ("background", "complement"):
        mask = mask or _segment(b, "the main object", last)
        _edit(b, operation="recolor", mask=mask, where="outside", color=color)
        return
    if mask is None:
        mask = _segment(b, "the main object", last)
    _edit(b, operation="recolor", mask=mask, color=color)


def _do_remove(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    kind, mask = _target(b, rest, last)
    if kind == "complement":  # "remove everything except the cat" = keep only the cat
        _edit(b, operation="keep_only", mask=mask)
        return
    if kind == "background":  # "get rid of the background completely": the subject cut out (it erased the subject)
        _edit(b, operation="cutout", mask=mask or _segment(b, "the main object", last))
        return
    _edit(
        b,
        operation="remove",
        mask=mask if mask is not None and kind != "whole" else _segment(b, "the main object", last),
    )


def _do_keep_only(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    kind, mask = _target(b, rest, last)
    if kind == "pronoun" and mask is None and b.steps:  # "cut out 0:05 to 0:10 and keep it": it is kept already
        return
    if kind == "complement":  # "keep everything except the cat" = remove the cat; but "hide / white out
        # everything but the cake" (read as keep-only by its meaning) keeps only the cake
        hides = not re.match(
            r"^(?:(?:please|just|only)\s+)?(?:keep|leave|retain|preserve|save)\b", clause.strip(), re.I
        )
        _edit(b, operation="keep_only" if hides else "remove", mask=mask)
        return
    # "keep only the cat on a black background": the colour is the background's, not the cat's
    on = re.search(  # "… on a black background", "just the bottle on white"
        r"\b(?:on|against|over)\s+(?:(?:a|an|the)\s+)?(?:plain\s+|pure\s+|solid\s+)?(?P<c>\w+)(?:\s+(?:background|backdrop)\b|\s*$)",
        rest,
        re.I,
    )
    color = on.group("c").lower() if on and _COLOR_RE.fullmatch(on.group("c")) else None
    _edit(
        b,
        operation="keep_only",
        mask=mask if mask is not None and kind != "whole" else _segment(b, "the main object", last),
        color=color,
    )


# "more blur on the background", "add blur to the face", "some blur on the plate": the blur named as a noun;
# the thing is after "on" / "to" (it had become the target "blur", or "to the face")
_BLUR_NOUN = re.compile(
    r"^(?:(?:more|some|extra|a bit of|a little|a little bit of|heavy|strong|light|a lot of|lots of)\s+)*"
    r"(?:(?:blur|blurring|pixelation|pixels)\s+)?(?:on|to|onto|over|across)\s+(?=\S)",
    re.I,
)


def _do_blur(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    op = "pixelate" if re.match(r"^(?:pixelate|pixellate|mosaic|censor)\b", clause, re.I) else "blur"
    kind, mask = _target(b, _BLUR_NOUN.sub("", rest), last)
    extra = {} if intensity(clause) == 0.5 else {"amount": intensity(clause)}  # "heavily blur the car"
    if kind == "whole" or (kind in ("none", "pronoun") and mask is None):
        _edit(b, operation=op, **extra)
    elif kind in ("complement", "background"):  # "blur the rest of the image": outside the subject
        _edit(b, operation=op, mask=mask or _segment(b, "the main object", last), where="outside", **extra)
    else:
        _edit(b, operation=op, mask=mask, **extra)


_PUT_ON = re.compile(
    r"^(?:put|place|paste|set|show|(?:give|get|make)\s+me|i(?:'d|\s+would)?\s+(?:want|like|need)|(?:can|could)\s+i\s+"
    r"(?:have|get)|just|only)\s+(?:(?:just|only)\s+)?(?P<what>.+?)\s+(?:on|onto|against|in front of|over)\s+(?:a\s+|an\s+|the\s+)?",
    re.I,
)


_BACKGROUND_TONES = (  # a tone edit of the background, by its words (the less-saturated side first)
    ("desaturate", r"\b(?:desaturat\w*|mute\w*|tone down|fade\w*|less (?:saturated|colou?rful|vivid))\b"),
    ("saturate", r"\b(?:saturat\w*|more (?:colou?rful|vivid|vibrant))\b"),
    ("warmer", r"\bwarm(?:er|th)?\b"),
    ("cooler", r"\b(?:cool(?:er)?|colder)\b"),
    ("sharpen", r"\bsharpen\w*\b"),
    ("contrast", r"\bcontrast\b"),
)


def _background_owner(rest: str) -> re.Match | None:
    """The match whose group "what" names the thing whose background it is (what stays): "the
    background behind the man", "the dog's background", "the background but not the girl"; None for
    the picture's own background ("the background of the photo")."""
    behind = re.search(r"\b(?:background|backdrop)\s+(?:behind|around|of|surrounding|from)\s+(?P<what>.+)$", rest, re.I)
    if behind and re.match(
        r"^(?:the\s+)?(?:(?:photo|picture|image|shot|pic|clip|video|footage|film|movie|scene)\b(?!\s+(?:of|with)\b)|(?:it|this)$)",
        behind.group("what").strip(" .?!"),
        re.I,
    ):
        behind = None  # "the background of the photo" is the photo's background
    # "blur the dog's background", "her backdrop": the owner is what stays
    behind = behind or re.search(
        r"(?P<what>(?:the\s+)?\w+(?=')|\bhis|\bher|\btheir)(?:'s?)?\s+(?:background|backdrop)\b", rest, re.I
    )
    return behind or re.search(  # "brighten the background but not the girl": the girl is what stays
        r"\b(?:background|backdrop)\b.*?\s+(?:but not|except(?:\s+for)?|apart from|other than|and not)\s+(?P<what>.+)$",
        rest,
        re.I,
    )


def _without_colour(what: str) -> str:
    """The thing whose background it is, without the colour said after it: "make the background behind them
    black" is them, with a black background ('them black' was the thing)."""
    return re.sub(
        rf"\s+(?:(?:to|into|in|as)\s+)?(?:(?:a|an)\s+)?(?:(?:plain|solid|pure|{_SHADES})\s+)?"
        rf"(?:{_COLOR_RE.pattern[3:-3]})(?:\s+(?:colou?r|one))?\s*[.!?]*$",
        "",
        what,
        flags=re.I,
    )


def _background_colour(rest: str) -> str | None:
    """The colour a background edit puts there (the last one said), None for none: "remove the white background"
    names the colour it has now, not one to put there (it had been made white)."""
    colors = _COLOR_RE.findall(rest)
    color = colors[-1].lower() if colors else None
    low = rest.lower()
    if len(colors) == 1 and re.match(r"^(?:remove|erase|delete|get rid of|lose|ditch|drop|kill|strip|hide)\b", low):
        if re.search(rf"\b{re.escape(color)}(?:ish)?[\s-]+(?:back(?:ground|drop)|bg|surroundings)\b", low):
            return None
    return color


def _do_background(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    low = rest.lower()
    before, mask_before = len(b.steps), b.mask  # (a skipped clause leaves no selection step behind)
    color = _background_colour(rest)
    put = _PUT_ON.match(rest)
    if (
        put
        and color
        and b.steps
        and b.steps[-1].args.get("operation") == "cutout"
        and _PRONOUN.match(clean_target(put.group("what")) or "it")
    ):
        cut = b.steps.pop()  # "cut out X and put it on a white background": X kept on white, one step
        b.image = cut.args["image"]
        _edit(b, operation="keep_only", mask=cut.args["mask"], color=color)
        return
    behind = _background_owner(rest)
    if put and not _PRONOUN.match(clean_target(put.group("what")) or "it"):
        mask = _mask_or_foreground(b, put.group("what"), last)  # "put the cat on a blue background"
    elif behind:  # "erase the background behind the man": the man is what stays
        mask = _mask_or_foreground(b, _without_colour(behind.group("what")), last)
    else:
        mask = b.mask or ("$last.mask" if "mask" in last else None) or _segment(b, "the main object", last)
    extra = {} if intensity(clause) == 0.5 else {"amount": intensity(clause)}  # "darken the background a bit"
    scene = re.search(r"\b(?:with|for|by|into|to|like)\s+(?P<prompt>(?:a|an|some)\s+.+)$", clause, re.I)
    if re.search(
        r"\b(?:blur(?:red|ry)?|soften|soft|fuzzy|hazy|dreamy|defocus(?:ed)?|unfocused|out[- ]of[- ]focus|bokeh|busy|"
        r"distracting|clutter(?:ed)?|messy)\b",
        low,
    ):  # reading round 5 added the words of a soft background ("fuzzy", "out-of-focus", "soft background")
        _edit(b, operation="blur_background", mask=mask, **extra)
    elif (
        re.search(r"\b(?:transparent|see-through|invisible|gone|removal|removed|hidden|vanish(?:ed)?)\b", low)
        or re.match(r"^(?:remove|erase|delete|get rid of|lose|ditch|drop|kill|strip|hide)\b", low)
        and not color
    ):
        if b.video_mode:  # no transparency in a video here: the background becomes white
            _edit(b, operation="replace_background", mask=mask, color="white")
        else:  # "remove the background", as photo tools mean it: a transparent cut-out
            _edit(b, operation="cutout", mask=mask)
    elif re.match(r"^(?:remove|erase|delete|blank|white)\b", low):  # "blank out / white out the background"
        # "remove the background and put the parrot on black": the colour it goes on, else white
        onto = re.search(r"\b(?:on|onto|to|with|into|against)\s+(?:(?:a|an|plain|solid|pure)\s+)*(\w+)\b", low)
        dest = onto.group(1) if onto and _COLOR_RE.fullmatch(onto.group(1)) else "white"
        _edit(b, operation="replace_background", mask=mask, color=dest)
    elif re.search(r"\b(?:dark(?:en|er)|dim(?:mer)?)\b", low):
        _edit(b, operation="darken", mask=mask, where="outside", **extra)
    elif re.search(r"\b(?:brighten|brighter|lighten|lighter)\b", low):
        _edit(b, operation="brighten", mask=mask, where="outside", **extra)
    elif re.search(r"\b(?:gr[ae]y ?scale|black and white|monochrome)\b", low):
        _edit(b, operation="grayscale", mask=mask, where="outside")
    elif tone := next((op for op, words in _BACKGROUND_TONES if re.search(words, low)), None):
        _edit(b, operation=tone, mask=mask, where="outside", **extra)  # "desaturate the background"
    elif color and re.match(r"^(?:put|place|paste)\b", low):  # "cut out X and put it on a white background"
        _edit(b, operation="keep_only", mask=mask, color=color)
    elif color:  # "make / paint / turn / set / fill the background white": that colour, exactly
        _edit(b, operation="replace_background", mask=mask, color=color)
    elif (
        scene
        and re.match(r"^(?:replace|change|swap|turn|make|set)\b", low)
        and b.toolbox.supports(b.tool("edit"), "inpaint")
    ):  # "replace the background with a beach": new content outside the subject (a generative editor)
        _edit(b, operation="inpaint", mask=mask, prompt=_restore(scene.group("prompt"), b.regions), where="outside")
    elif scene and re.match(r"^(?:replace|change|swap|turn|make|set|put)\b", low):
        # "replace the background with a beach" and no generative editor: said, never a white one instead
        del b.steps[before:]
        b.mask = mask_before
        b.notes.append(
            f"I did not do {_restore(clause, b.regions)!r}: putting {_restore(scene.group('prompt'), b.regions)!r} "
            'behind the subject needs a generative editor (set [tools.edit] backend = "diffusers" with an inpainting '
            "checkpoint in vitron.toml). I can make the background a plain colour, blur, darken or remove it."
        )
    elif re.match(r"^(?:replace|change|swap|remove)\b", low):
        _edit(b, operation="replace_background", mask=mask, color="white")
    else:
        b.notes.append(
            f"I did not understand what to do with the background in {_restore(clause, b.regions)!r}; "
            "say blur, darken, brighten, grayscale or a colour."
        )


_ONE_NP = r"(?:the|a|an|his|her|their|my)\s+[a-z]+(?:\s+[a-z]+)?"
_THINGS_LISTED = re.compile(rf"{_ONE_NP}(?:\s*,\s*{_ONE_NP})*\s+and\s+{_ONE_NP}", re.I)


def _pronoun_or_np(phrase: str) -> str:
    """A tone edit's target words: a pronoun ("it now") or region mark as they are, else the noun
    phrase a determiner introduces (none: the whole picture)."""
    if not phrase or re.search(r"@r\d+@", phrase) or _PRONOUN.match(phrase) or _BACKGROUND.match(phrase):
        return phrase
    first = phrase.split(" ", 1)[0].lower()
    if first in ("it", "them", "this", "that", "those", "these") and _PRONOUN.match(clean_target(phrase)):
        return phrase
    if re.match(r"^(?:everything|all|anything)\b", phrase, re.I):
        return phrase  # "everything except the face" / "everything but X": the complement reads it
    if _THINGS_LISTED.fullmatch(phrase):
        return phrase  # "make the dog and the cat black and white": both (it took the dog alone)
    np = np_target(phrase)
    if np is None or not re.search(r"\s", np):  # no noun phrase ("pop", "richer", "the"): a thing by name only
        from vitron_agent.perception.detector import named
        from vitron_agent.perception.stuff import stuff_kind

        bare = clean_target(phrase)
        return bare if bare and (named(bare) is not None or stuff_kind(bare) is not None) else ""
    return np


def _spared(b: _Builder, op: str, clause: str, last: dict[str, str], extra: dict[str, Any]) -> bool:
    """ "black and white, except the bus" / "warmer apart from the face": the edit runs outside the
    spared target's mask (the complement). True when the clause was planned so."""
    m = EXCEPT.search(clause)
    if m is None or _PRONOUN.match(m.group("kept").strip()):
        return False
    head = np_target(clause[: m.start()])
    if head is not None and not (_WHOLE.match(head) or _QUALITY.match(head) or _PRONOUN.match(head)):
        return False  # an object's edit minus another: not this case
    mask = _segment(b, m.group("kept"), last)
    _edit(b, operation=op, mask=mask, where="outside", **extra)
    return True


_IN_COLOUR = re.compile(r"^(?:keep|leave)\s+(?P<kept>.+?)\s+in\s+(?:full\s+)?colou?rs?\b", re.I)


# the grayscale words and what follows them ("... black and white for the whole video", "... throughout", "...
# the whole time"): what follows is when, not what ("the kitten black" was tracked by the colour black)
_AFTER_GREY = re.compile(
    r"(?P<grey>\s+(?:(?:to|into|in)\s+)?(?:gr[ae]y\s?scale|black and white|black-and-white|b\s?&\s?w|monochrome))"
    r"\s+(?!(?:but|except|apart|other|save|besides|excluding|aside|not|without)\b)\S.*$",
    re.I,
)


_QUALITY_ON = re.compile(
    r"\b(?:contrast|brightness|exposure|darkness|light(?:ing)?|shadows?)\s+(?:on|in|to|for|across|over)\s+(.+)$", re.I
)


def _adjust(op: str):
    def handler(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
        if op == "grayscale" and (kept := _IN_COLOUR.match(clause)):  # "keep the dress in colour": the rest grey
            _edit(b, operation=op, mask=_segment(b, kept.group("kept"), last), where="outside")
            return
        if _spared(
            b, op, clause, last, {} if op == "grayscale" or intensity(clause) == 0.5 else {"amount": intensity(clause)}
        ):
            return
        if op == "grayscale":  # "make the kitten black and white for the whole video": nothing after it is the target
            rest = _AFTER_GREY.sub(r"\g<grey>", rest)
        m = re.match(
            r"^(?:make|render|convert|turn|change|put|set|show|have|get|leave|increase|boost|enhance|raise|decrease|reduce|lower|add|improve|brighten|lighten|darken|dim|desaturate|contrast|gr[ae]y\s?scale|gr[ae]y\s+out)\s+(.*?)(?:\s+(?:brighter|lighter|darker|more contrasty|(?:to\s+|into\s+|in\s+)?(?:gr[ae]y\s?scale|black and white|black-and-white|b\s?&\s?w|monochrome)))?\s*$",
            rest,
            re.I,
        )  # the whole clause (as rewritten: "X should be darker" -> "make X darker")
        # "more contrast on the mountains only", "a bit more brightness in the faces": no verb, the place after the noun
        on = None if m else _QUALITY_ON.search(rest)
        phrase = m.group(1) if m else on.group(1) if on else ""
        phrase = re.sub(r"^(?:the\s+)?(?:brightness|contrast)\s*(?:of\s+)?", "", phrase, flags=re.I)
        phrase = _pronoun_or_np(re.sub(r"\s+", " ", _INTENSITY_WORDS.sub(" ", phrase)).strip())
        kind, mask = _target(b, phrase, last)
        extra = {} if op == "grayscale" or intensity(clause) == 0.5 else {"amount": intensity(clause)}
        if kind in ("background", "complement"):
            mask = mask or _segment(b, "the main object", last)
            _edit(b, operation=op, mask=mask, where="outside", **extra)
        elif kind in ("whole", "none") or mask is None:
            _edit(b, operation=op, **extra)
        else:
            _edit(b, operation=op, mask=mask, **extra)

    return handler


def _tone(op: str):
    """Handler for whole-image-or-region adjustments named by a word (warmer, sharper ...)."""

    def handler(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
        if _spared(b, op, clause, last, {"amount": intensity(clause)}):
            return
        phrase = re.sub(r"\s+", " ", _TONE_WORDS.sub(" ", clause)).strip(" ,.")
        phrase = re.sub(r"^(?:to|of|in|on|for)\s+", "", phrase, flags=re.I)
        phrase = re.sub(r"^(?:(?:the|a|an|its|of|to|in)\s*)+$", "", phrase, flags=re.I)
        phrase = _pronoun_or_np(phrase)
        kind, mask = _target(b, phrase, last)
        amount = intensity(clause)
        if kind in ("background", "complement"):
            _edit(b, operation=op, mask=mask or _segment(b, "the main object", last), where="outside", amount=amount)
        elif kind in ("whole", "none") or mask is None:
            _edit(b, operation=op, amount=amount)
        else:
            _edit(b, operation=op, mask=mask, amount=amount)

    return handler
