"""The rule planner's looking steps: describe, the questions (what colour, where, which pixels),
read the text, detect and count. Split from :mod:`picture_steps` (same handlers, same behaviour)."""

from __future__ import annotations

import re

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


def _do_describe(b: _Builder, rest: str, clause: str, last: dict[str, str], question: str | None = None) -> None:
    if _about_the_shot(b, clause):
        return
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


# a colour imagined on a thing: "what would the bike look like in green?", "how would the door look painted red?"
_WOULD_LOOK = re.compile(
    r"^(?:what|how)\s+would\s+(?P<np>(?:the|this|that|my|his|her|their)\s+.+?)\s+look(?:\s+like)?\s+"
    r"(?:in|if\s+(?:it|they|he|she)\s+(?:were|was)|painted|colou?red|with|as)\s+(?:an?\s+)?"
    rf"(?P<c>{'|'.join(_COLOR_WORDS)})(?:\s+(?:colou?r|paint|one|instead))?\s*\??$",
    re.I,
)


# whether there is text at all: reading it answers that ("is there any text in the image?" was a description)
_TEXT_THERE = re.compile(
    r"^(?:is|are)\s+there\s+(?:any\s+)?(?:text|writing|words?|letters|lettering|captions?)\b"
    r"(?:\s+(?:in|on)\s+(?:it|this|the\s+(?:image|picture|photo|shot|pic)))?\s*\??$",
    re.I,
)


# a question whose answer is written: opening times, prices, what letters or numbers something shows
_WRITTEN_ANSWER = re.compile(
    r"^(?:(?:what|which)\s+(?:time|times|hours|days?)\s+(?:does|do|is|are|will)\s+.*\b(?:open|close|closed|opens|closes|"
    r"shut|start|end)\b.*|when\s+(?:does|do|is|are|will)\s+(?:it|they|the\s+\w+(?:\s+\w+)?)\s+(?:open|close|closed|shut)\b.*|"
    r"what\s+(?:are|is|'re)\s+(?:the|their|its)\s+(?:opening|business|shop|store)\s+(?:hours|times)\b.*|"
    r"how\s+much\s+(?:is|are|does|do|for|was|were)\b(?!.*\b(?:than|bigger|smaller|larger|taller|shorter|brighter|"
    r"darker|more|less)\b).*|(?:what(?:'s|\s+is|\s+are)?|tell me)\s+(?:the\s+)?prices?\b.*|"
    r"what\s+(?:does|do)\s+.+\s+cost\b.*|"
    r"(?:what|which)\s+(?:letters?|words?|numbers?|digits?|name|names|phone number|number|address|date|website|email)"
    r"\s+(?:is|are|does|do|'s)\s+(?:on|written|printed|shown|spelled|spelt|in|it|the|there)\b.*|"
    r"what(?:'s|\s+is)\s+(?:the|their|its)\s+(?:phone number|number|address|website|email|name of the (?:shop|store|cafe|"
    r"restaurant|street|place))\b.*)\??$",
    re.I,
)


_SHOT_NAMED = r"(?:it|(?:this|that|these|the)(?:\s+(?:photo|picture|image|shot|pic|one))?)"
# the camera, its settings, the date or who took the picture: not in its pixels (a description answered something
# else). "where / when was this taken?" stay descriptions: the scene and the light answer them in part
_ABOUT_THE_SHOT = re.compile(
    r"^(?:what|which)\s+(?:kind\s+of\s+|type\s+of\s+|make\s+of\s+|model\s+of\s+)?(?:camera|lens|phone|device|settings?|"
    r"iso|shutter\s+speed|aperture|f-?stop|focal\s+length|exposure\s+settings?)\b"
    r"(?=.*\b(?:taken|shot|used|took|captured|snapped|take|shoot)\b)"
    r"|^what\s+(?:date|year|month)\s+(?:was|were)\s+" + _SHOT_NAMED + r"\s+(?:taken|shot|made|captured|snapped)\b"
    r"|^who\s+(?:took|shot|made|photographed|snapped|captured)\s+" + _SHOT_NAMED + r"\b"
    r"|\b(?:exif|metadata|gps|geo-?tag\w*)\b|\blocation\s+(?:data|info\w*|details|tags?)\b",
    re.I,
)
# a real size, weight, distance, age or amount of food: not in the pixels (no scale or depth is known); it was
# described, counted ("calories") or read as text
_MEASURED = re.compile(
    r"^(?:how\s+(?:tall|high|wide|long|deep|heavy|far|old|much\s+(?:does|do|did|would)\b.*\bweigh)\b"
    r"(?=.*\b(?:in\s+)?(?:met(?:re|er)s?|cm|centimet\w+|mm|millimet\w+|inch(?:es)?|feet|foot|ft|km|kilomet\w+|miles?|yards?|"
    r"kilos?|kg|grams?|pounds?|lbs?|tons?|years?|months?|weigh\w*)?)"
    r"|how\s+(?:heavy|far\s+away|far|old)\b"
    r"|how\s+much\s+(?:does|do|did|would)\b.*\bweigh\b"
    r"|how\s+many\s+(?:calories|kcal|grams|kilos|pounds|metres|meters|miles|km)\b"
    r"|what(?:'s|\s+is|\s+are)?\s+(?:the\s+)?(?:real\s+)?(?:height|width|length|weight|distance|age|calorie\s+count)\s+of\b)",
    re.I,
)
MEASURED = (
    "I cannot tell {what!r}: a picture holds no real sizes, distances, weights or ages (no scale or depth is known). "
    "I can say what is there, where, and how big it looks in the picture ('describe it', 'how many ...')."
)
_NAME_OF = re.compile(
    r"^what(?:'s|\s+is|\s+was)\s+(?:(?:his|her|their|its)\s+name|(?:the|this|that)\s+[a-z]+'s\s+name|the\s+name\s+of\s+"
    r"(?:the|this|that)\s+(?:man|woman|person|guy|girl|boy|lady|kid|child|baby|dog|cat|horse|pet|puppy|kitten))\b",
    re.I,
)
NAME_OF = (
    "I cannot know a name from a picture (no one and no pet is named from how they look). I can say what kind of "
    "person or animal it is and what they look like ('describe the dog'), or read a name written in it ('read the text')."
)
ABOUT_THE_SHOT = (
    "I cannot tell {what!r}: I see only the picture's pixels, not its camera data (EXIF: camera, settings, date) "
    "nor who took it. I can describe what is in it ('describe the picture') or read its text."
)


# what a thing says, however the question is put ("whats the text on the sign say", "what's the banner saying")
_SAYS = re.compile(r"^what(?:'s|s|\s+is|\s+does|\s+do)?\b.*\b(?:say|says|saying|read|reads)\s*\??$", re.I)


def _about_the_shot(b: _Builder, clause: str) -> bool:
    """Whether ``clause`` asks what the pixels cannot tell: the camera, its settings, the date or who took the
    picture; a real size, weight, distance or age; a person's or pet's name. If so the answer says so and why
    (and no step is planned)."""
    said = clause.strip()
    if b.video_mode:
        return False
    what = _restore(said.strip(" ?.!"), b.regions)
    if _ABOUT_THE_SHOT.search(said):
        b.answer = ABOUT_THE_SHOT.format(what=what)
    elif _MEASURED.match(said) and not re.search(r"\b(?:compared\s+(?:to|with)|than|relative\s+to)\b", said, re.I):
        b.answer = MEASURED.format(what=what)
    elif _NAME_OF.match(said):
        b.answer = NAME_OF
    return b.answer is not None


def _do_question(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    if _about_the_shot(b, clause):
        return
    if not b.video_mode and (pixels := _WHICH_PIXELS.match(clause.strip())):  # a selection asked as a question
        _do_segment(b, pixels.group("what") or pixels.group("what2"), clause, last)
        return
    if not b.video_mode and (seen := _WOULD_LOOK.match(clause.strip())):
        # "what would the bike look like in green?": shown by painting a copy (it was described as it is)
        kind, mask = _target(b, seen.group("np"), last)
        if kind not in ("whole", "none", "background", "complement") and mask is not None:
            _edit(b, operation="recolor", mask=mask, color=seen.group("c").lower())
            b.notes.append("To show it, I recoloured a copy; the original picture is unchanged.")
            return
    if _TEXT_THERE.match(clause.strip()) or _SAYS.match(clause.strip()):  # "whats the text on the sign say"
        _do_read(b, "the text", clause, last)
        return
    if not b.video_mode and _WRITTEN_ANSWER.match(clause.strip(" .!")):
        # "what time does it open on saturday?", "how much are the eggs": the answer is written on the
        # picture (a sign, a price tag, letter blocks); reading it answers, describing did not
        _do_read(b, "the text", clause, last)
        b.notes.append("The answer to that is written in the picture: I read all its text.")
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
    elif mask is None and box is None and phrase and _TEXT_WORDS.match(phrase):
        b.named = "the text"  # "read the text then blur it": the text (it blurred the whole picture)


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
            if not _used(b, prev.id):  # "find all the traffic lights and box them": the boxes are the finding
                b.steps.pop()
                b.mask = b.box = None
    b.add("detect", image=b.image, target=None if _ALL_OBJECTS.match(target) else target)
    b.last_output = "text"


def _used(b: _Builder, step_id: str) -> bool:
    """Whether a later step of the plan reads an output of ``step_id``."""
    return any(str(v).startswith(f"${step_id}.") for st in b.steps for v in st.args.values())


_ASKED_AFTER = re.compile(
    r"\s*,?\s+(?:and|then|and then)\s+(?P<ask>(?:tell|show|say|let|give|point|which|what|where|who|how)\b.+?)\s*[?.!]*$",
    re.I,
)


_TIMES_SEEN = re.compile(
    r"\bhow (?:many times|often)\s+(?:does|do|did|is|are|was|were)\s+(?P<what>[a-z][a-z ]*?)\s+"
    r"(?:appear|show up|come (?:back|in|on|by|past)|enter|reappear|pass|go (?:by|past)|cross|visible|seen|shown|on screen)\b",
    re.I,
)


def _do_count(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    from vitron_agent.perception.target_spec import parse_target_phrase

    if _about_the_shot(b, clause):  # "how many calories are in this burger": no count of a thing
        return
    if b.video_mode and (seen := _TIMES_SEEN.search(clause)) and "find_in_video" in b.toolbox:
        # "how many times does the ball appear?": its appearances with their times (it counted things called "times")
        b.add("find_in_video", video=b.image, target=target_words(seen.group("what")), question="when")
        b.last_output = "text"
        return
    target = clean_target(_counted_thing(b, rest)) or "objects"
    if more := _ASKED_AFTER.search(rest):  # "count the meerkats and tell me which one is tallest"
        b.notes.append(f"I counted; {more.group('ask')!r} is a question of its own: ask it after the count.")
    if _PRONOUN.match(target) or target.lower() in ("there", "they", "there are"):
        named = next((st.args["target"] for st in reversed(b.steps) if isinstance(st.args.get("target"), str)), None)
        target = named or target  # "segment the people and count them": count the people
    if (parts := parse_target_phrase(target)).relation:  # "windows on the house": the count tool counts the things
        target = parts.head
    # "the cars in the top left": a part of the picture the count tool limits itself to (it was dropped)
    place = _COUNT_PLACE.search(target)
    target = target[: place.start()] if place else target
    target = re.sub(  # "apples in the bowl": where they are is no part of what is counted
        r"\s+(?:in|inside|within|at)\s+(?:the|this|that|a|an|my|his|her|their|our)\s+[a-z ]+$", "", target, flags=re.I
    )
    color = next((c.lower() for c in _COLOR_RE.findall(target)), None)
    inline = next((b.regions[k] for k in re.findall(r"@r\d+@", rest) if b.regions[k]["type"] == "box"), None)
    box = dict(inline) if inline else "$input.box" if "box" in b.inputs.get("input", {}) else None
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
    regions = {"box": box, "place": place.group("place") if place else None}
    regions = {k: v for k, v in regions.items() if v and not b.video_mode}
    b.add("count", image=image, target=target, color=color, **regions)
    b.last_output = "text"


# "how many cars are parked here", "how many dogs are there in the park", "how many people are sitting down":
# the things counted, then what they are doing or where they are
_STATE = re.compile(r"^(?P<thing>.+?)\s+(?:there\s+)?(?:(?:who|that|which)\s+)?(?:are|is)(?:\s+(?P<state>.*))?$", re.I)
_THERE = re.compile(  # where the count looks, or when ("now"): no state of the things ("in this drawing" was one)
    r"^(?:(?:there|here|now|visible|shown|pictured|present|in (?:it|view|shot|(?:this|the|that|my) (?:picture|photo|"
    r"image|shot|drawing|sketch|painting|video|clip|footage|frame|scene|pic|one|collage|grid)|this))\b\s*)+",
    re.I,
)
_WHERE = re.compile(
    r"^(?:in|on|at|inside|within|near|by|under|over|above|below|behind|beside|next to|around|along)\b", re.I
)


def _counted_thing(b: _Builder, target: str) -> str:
    """The things a count counts in ``target`` ("cars are parked here" -> "cars", "dogs are there in the park"
    -> "dogs in the park"). A state the count cannot check ("parked", "sitting down", "smiling") is not
    counted by: every one of the things is, and a note says so (the state had become part of the name)."""
    m = _STATE.match(target.strip())
    if m is None or _PRONOUN.match(m.group("thing")) or m.group("thing").lower() in ("there", "they"):
        return target
    thing, state = m.group("thing").strip(), _THERE.sub("", (m.group("state") or "").strip(" ?.!")).strip()
    state = re.sub(
        r"\s+(?:here|there|now|in (?:it|this|(?:this|the) (?:picture|photo|image|shot|drawing|video|clip)))$",
        "",
        state,
        flags=re.I,
    )
    if not state:
        return thing
    if _WHERE.match(state):
        return f"{thing} {state}"
    if _COLOR_RE.fullmatch(state):
        return f"{state} {thing}"
    b.notes.append(f"I counted all the {thing}: I cannot tell which of them are {state}.")
    return thing


# "in the top left (corner)", "on the right", "in the middle of the picture": where a count looks
_COUNT_PLACE = re.compile(
    r"\s+(?:in|at|on|along)\s+(?:the\s+)?(?P<place>(?:(?:top|bottom|upper|lower)[\s-]*)?(?:left|right|middle|centre|center|"
    r"top|bottom)(?:[\s-]+(?:hand\s+)?(?:side|corner|half|part|edge))?)(?:\s+of\s+the\s+(?:image|picture|photo|frame))?\s*$",
    re.I,
)
