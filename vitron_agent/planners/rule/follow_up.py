"""Follow-ups in a session: "again", "a bit more", "less", "do the same to the cat", "and the background
too", "same but blue", "no, the other one", read against the session's previous turns.

A follow-up names no edit of its own: it points at the previous request. It is grounded by the
session's history (:attr:`PlanRequest.history`, oldest first, each turn's ``request`` and ``steps``)
and turned into a whole request the rule planner reads as usual:

* "again" / "do it again": the previous request once more, on its result;
* "more" / "a bit more": the same, when its edit has a strength (brighten, blur, speed ...); "a bit"
  halves the amount. An edit done in full (a recolour, black and white, a cut-out) has no "more": asked;
* "less" / "too much": the opposite edit where one exists (brighten <-> darken, warmer <-> cooler,
  saturate <-> desaturate), gently; otherwise asked (a blur cannot be taken back from its result);
* "do the same to X" / "now X" / "and X too": the previous request with its target replaced by X;
* "no, the other one": always asked (which one is not in the words).

The previous result is what the turn works on (the session carries it), and the thing the previous
turn selected is ``$last.mask`` / ``$last.track``, so "more" edits that thing again without
selecting it anew (its colour may have changed). A follow-up with nothing to follow asks
"the same as what?"; none edits something silently.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule.clip_questions import EARLIER_STATE
from vitron_agent.planners.rule.lexicon import _COLOR_WORDS
from vitron_agent.toolkit.plan import Plan, Step

__all__ = ["follow_up", "is_follow_up", "NOTHING_TO_FOLLOW"]

_LEAD = (
    r"^(?:(?:ok(?:ay)?|now|and|yes|yeah|great|nice|good|cool|thanks?|hmm+|oh|also|then|perfect|hm|ugh|wait|actually|um+|"
    r"please|pls|(?:can|could|would|will) (?:you|u)(?: please)?)\b[,!. ]*)*"
)
_END = r"[,!.? ]*(?:please|pls|thanks?|thank you)?[!.? ]*$"  # "and the cats?": a follow-up asked
_AGAIN = re.compile(
    _LEAD + r"(?:(?:do|apply|repeat)\s+(?:it|that|this|the same(?: thing)?)\s+(?:again|once more|one more time)|"
    r"again|once more|one more time|repeat (?:that|the last (?:step|change|edit))|same again|(?:do|apply) (?:it|that) twice)"
    + _END,
    re.I,
)
_MORE = re.compile(
    _LEAD
    + r"(?P<bit>(?:just\s+)?(?:a\s+)?(?:(?:little|tiny|wee)\s+)?(?:bit|little|tad|touch|smidge|notch)\s+|slightly\s+)?"
    r"(?:(?:do|apply|repeat)\s+(?:it|that|this)\s+again\s*,?\s*(?:but\s+|only\s+|just\s+)?)?"
    r"(?:even\s+|much\s+|way\s+|a lot\s+|lots\s+|some\s+|still\s+)?(?:more|stronger|further|harder)"
    r"(?:\s+(?:of (?:it|that)|than that|again))?" + _END,
    re.I,
)
_LESS = re.compile(
    _LEAD
    + r"(?:(?:that(?:'s| is)|it(?:'s| is)|way|far|a bit|a little|bit)\s+)*too (?:much|strong)(?:[,!. ]+(?:less|tone it down))?"
    + _END
    + "|"
    + _LEAD
    + r"(?P<bit>(?:just\s+)?(?:a\s+)?(?:(?:little|tiny)\s+)?(?:bit|little|tad|touch|notch)\s+|slightly\s+)?"
    r"(?:less|weaker|not so much|not as much)(?:\s+(?:of (?:it|that)|than that))?" + _END,
    re.I,
)
# said of the last change only in a session ("make it stronger", "tone it down a bit", "actually no, blue");
# alone, the usual reading stands ("tone it down" is a desaturation, "blue" a question)
_SOFT_MORE = re.compile(
    _LEAD
    + r"(?:make|do)\s+(?:it|that|this)\s+(?:(?:a\s+)?(?:bit|little|tad|touch)\s+|even\s+|much\s+)?(?:stronger|more intense|"
    r"heavier|more)(?P<bit>\s+(?:a\s+)?(?:bit|little|tad|touch))?" + _END,
    re.I,
)
_SOFT_LESS = re.compile(
    _LEAD + r"(?:tone|dial|pull|take|turn|bring|back)\s+(?:it|that|this)\s+(?:down|back|off)(?:\s+a\s+notch)?"
    r"(?P<bit>\s+(?:a\s+)?(?:bit|little|tad|touch|notch))?|" + _LEAD[1:] + r"(?:make|do)\s+(?:it|that|this)\s+"
    r"(?P<bit2>(?:a\s+)?(?:bit|little|tad|touch)\s+)?(?:weaker|subtler|lighter|softer|less intense|less strong|gentler)"
    + _END,
    re.I,
)
_BARE_COLOUR = re.compile(
    r"^(?:(?:actually|no+|nope|wait|hmm+|hm|sorry|oops|or|maybe|try|let's try)\b[,!. ]*)+"
    r"(?:make it\s+|in\s+|try\s+)?(?P<what>[a-z]+)(?:\s+instead)?" + _END,
    re.I,
)
# "do the same to the cat", "now the background", "and the background too", "the dog as well"
_SAME_TO = re.compile(
    _LEAD + r"(?:(?:do|apply|try)\s+(?:the same(?: thing)?|that|it|this)(?: again)?\s+(?:to|on|for|with)\s+|"
    r"(?:the\s+)?same\s+(?:thing\s+)?(?:to|for|on|with)\s+)(?P<what>.+?)(?:\s+(?:too|as well|also))?" + _END,
    re.I,
)
_X_TOO = re.compile(
    r"^(?:(?:and|now|also|ok(?:ay)?|then)\b[,!. ]*)+(?P<what>(?:the|his|her|my|their|that|those)\s+[\w' -]+?)"
    r"(?:\s+(?:too|as well|also))?"
    + _END
    + r"|^(?P<what2>(?:the|his|her|my|their)\s+[\w' -]+?)\s+(?:too|as well|now)"
    + _END,
    re.I,
)
# "and people?", "what about cats?" after a question: the question asked again of them (after an edit: no follow-up)
_ASKED_OF = re.compile(r"^(?:and|what about|how about)\s+(?P<what>[a-z]+(?:\s+[a-z]+)?)\s*\?\s*$", re.I)
_NOT_ASKED_OF = re.compile(
    r"\b(?:now|then|so|why|how|where|when|what|who|else|yes|no|ok|okay|after|before|later)\b", re.I
)
_QUESTION_TOOLS = {"count", "count_in_video", "find_in_video", "describe", "describe_video", "detect", "read_text"}
# "no, I meant the background", "not the disc, the background": the last request was meant for another thing
_MEANT = re.compile(
    r"^(?:(?:no+|nope|sorry|oops|wait|actually)\b[,!. ]*)*(?:i\s+(?:meant|mean|said|wanted)\s+(?:it\s+(?:on|for)\s+)?|"
    r"not\s+(?:the\s+|that\s+|this\s+)?[\w' -]+?\s*[,;]\s*(?:but\s+|i meant\s+)?)(?P<what>(?:the|his|her|my|their)\s+[\w' -]+?)"
    r"(?:\s+instead)?" + _END,
    re.I,
)
# "more blur", "even brighter", "a bit less warmth": a quality of the last edit, more or less of it
_QUALITY_MORE = re.compile(
    _LEAD + r"(?P<bit>(?:just\s+)?(?:a\s+)?(?:(?:little|tiny)\s+)?(?:bit|little|tad|touch|notch)\s+|slightly\s+)?"
    r"(?:(?:even|much|way|a lot|still)\s+)?(?:(?P<dir>more|less)\s+)?(?P<q>[a-z]+)" + _END,
    re.I,
)
_QUALITIES = {
    "brighten": "bright|brighter|brightness|light|lighter|exposure",
    "darken": "dark|darker|darkness|dim|dimmer",
    "blur": "blur|blurry|blurrier|blurred|soft|softer|fuzzier",
    "blur_background": "blur|blurry|blurrier|blurred|soft|softer|fuzzier",
    "sharpen": "sharp|sharper|sharpness|crisp|crisper|detail",
    "contrast": "contrast|contrasty|punchier",
    "warmer": "warm|warmer|warmth",
    "cooler": "cool|cooler|cold|colder",
    "saturate": "saturated|saturation|colour|color|colourful|colorful|vivid|vivider|vibrant",
    "desaturate": "muted|duller|dull|pale|paler|desaturated",
    "pixelate": "pixelated|pixels|pixelation|blocky|blockier|pixelly",
    "denoise": "smooth|smoother|cleaner",
}
# "no, make it cooler instead", "nope, warmer": the last request was not what was meant; the rest is the request
_CORRECTION = re.compile(
    r"^(?:no+|nah|nope|actually|sorry|oops|wait|hmm+)\s*[,!.;:-]+\s*(?:no+\s*[,!.;:-]+\s*)?"
    r"(?!(?:i\s+(?:meant|mean|said|wanted)|not|the other|that's|that is)\b)"
    r"(?P<rest>[a-z].*?)(?:\s*,?\s+instead)?[.!? ]*$",
    re.I,
)
_NAMED = re.compile(r"^(?:the|his|her|my|their)\s+[\w' -]+$", re.I)
_SAME_BUT = re.compile(_LEAD + r"(?:the\s+)?same\s+(?:thing\s+)?(?:but|in|with)\b", re.I)
_OTHER_ONE = re.compile(
    _LEAD
    + r"(?:no+\b[,!. ]*|nope[,!. ]*|wrong one[,!. ]*|not (?:that|this) one[,!. ]*)*(?:(?:what|how) about |i meant |i mean )?"
    r"(?:the other(?: one| ones| \w+)?|not (?:that|this) one|wrong one|(?:that's|that is) the wrong (?:one|\w+))"
    + _END,
    re.I,
)
_THIS_ONE = re.compile(
    r"^(?:this|that|it|these|the new|the next|the other)(?:\s+(?:one|ones|picture|image|photo|pic|clip|video|shot))?$",
    re.I,
)
# words that say a turn, not a thing: "now the same" is no target
_NOT_A_THING = re.compile(r"^(?:same|it|that|this|them|more|less|again|one|rest)$", re.I)

NOTHING_TO_FOLLOW = (
    "{what}? There is no earlier request in this session to follow. Say the whole request, "
    "e.g. 'brighten the picture' or 'make the car blue'."
)
OTHER_ONE = (
    "Which one did you mean? 'The other one' does not say which: name it by position, colour or size "
    "('the cat on the left', 'the smaller dog') or mark it with a point."
)
LAST_CHANGE = "The last change ({base!r}) is still in the picture: send the original again to start from it."
NO_MORE = (
    "More of what? {base!r} is already done in full, so doing it again changes nothing. Say what to change, "
    "e.g. 'make it darker', 'more contrast' or another colour."
)
NO_LESS = (
    "I cannot take back part of {base!r} from its result. Send the original again and ask for a lighter "
    "version (e.g. '{base} a little'), or say what to change now."
)
NO_TARGET = (
    "The same as what, on {what!r}? I could not find what {base!r} was done to; say the whole request for {what!r}."
)
# edits with a strength: "more" does them again on the result (a recolour or a cut-out has no "more")
_STRENGTH = {
    *("brighten", "darken", "contrast", "sharpen", "blur", "pixelate", "blur_background"),
    *("warmer", "cooler", "saturate", "desaturate", "denoise"),
}
_OPPOSITE = {"brighten": "darken", "darken": "brighten", "warmer": "cooler", "cooler": "warmer"}
_OPPOSITE |= {"saturate": "desaturate", "desaturate": "saturate"}
_SELECTORS = {"segment": "mask", "track": "track"}


def is_follow_up(text: str) -> bool:
    """Whether ``text`` only points at the previous request ("again", "a bit more", "do the same to the cat")."""
    t = text.strip()
    return any(p.match(t) for p in (_AGAIN, _MORE, _LESS, _SAME_TO, _OTHER_ONE)) or _x_too(t) is not None


def _x_too(text: str) -> str | None:
    m = _X_TOO.match(text.strip())
    what = m and (m.group("what") or m.group("what2") or "").strip()
    return what if what and not _NOT_A_THING.match(re.sub(r"^the\s+", "", what, flags=re.I)) else None


def previous_request(history: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]] | None:
    """The latest earlier request that did something (a turn that only asked or refused is skipped) and
    the history before it; None when there is none."""
    for k in range(len(history) - 1, -1, -1):
        turn = history[k]
        if turn.get("request") and any(s.get("status", "ok") == "ok" for s in turn.get("steps") or []):
            return str(turn["request"]), history[:k]
    return None


def _kind(text: str) -> tuple[str | None, str, bool]:
    """(kind, target, a-bit) of a follow-up: kind in again / more / less / same / other / same_but, or None."""
    t = text.strip()
    if _OTHER_ONE.match(t):
        return "other", "", False
    for kind, pattern in (("again", _AGAIN), ("more", _MORE), ("less", _LESS), ("same", _SAME_TO)):
        if m := pattern.match(t):
            what = m.group("what").strip() if kind == "same" else ""
            return kind, what, bool(m.groupdict().get("bit"))
    if what := _x_too(t):
        return "same", what, False
    if m := _WHAT_ABOUT.match(t):  # "what about the background?": the same for it
        return "same", m.group("what").strip(), False
    if (m := _ASKED_OF.match(t)) and not (_NOT_A_THING.match(m.group("what")) or _NOT_ASKED_OF.search(m.group("what"))):
        return "asked_of", m.group("what"), False
    for kind, pattern in (("soft_more", _SOFT_MORE), ("soft_less", _SOFT_LESS), ("colour", _BARE_COLOUR)):
        if m := pattern.match(t):
            what = m.group("what") if kind == "colour" else ""
            if kind != "colour" or what.lower() in _COLOR_WORDS:
                return kind, what, bool(m.groupdict().get("bit") or m.groupdict().get("bit2"))
    return ("same_but" if _SAME_BUT.match(t) else None), "", False


def follow_up(planner: Any, request: PlanRequest, toolbox: Any, text: str) -> Plan | None:
    """The plan for a follow-up ``text`` read against ``request.history`` (module docstring), or None
    when ``text`` is no follow-up (the planner reads it as usual)."""
    if (asked := _about_span(planner, request, toolbox, text)) is not None:  # "what about the first 5 seconds?"
        return asked
    if (asked := _about_it(planner, request, toolbox, text)) is not None:  # "when does it leave?" after "track X"
        return asked
    if _PAST_COLOUR.match(text.strip()) and _edited_before(planner, request, toolbox):
        return Plan(answer=EARLIER_STATE)  # "and what colour was the disc?" after an edit: not kept to look at
    kind, target, bit = _kind(text)
    if kind is None and (m := _CORRECTION.match(text.strip())) and previous_request(request.history) is not None:
        rest = m.group("rest").strip()
        if _NAMED.match(rest) and (meant := _quality_or_meant(planner, request, toolbox, f"I meant {rest}")):
            return meant  # "no, the cat": the last request, on the cat
        return planner.plan(dataclasses.replace(request, text=rest), toolbox)  # "no, make it cooler instead"
    if kind is None:
        return _quality_or_meant(planner, request, toolbox, text)
    if kind == "colour":  # "actually no, blue": the last thing in that colour; with none, asked
        if previous_request(request.history) is None and not request.inputs.get("last"):
            return Plan(answer=NOTHING_TO_FOLLOW.format(what=f"{target.capitalize()} for what"))
        last = request.inputs.get("last", {})
        if (
            "mask" not in last
            and "track" not in last
            and (base := _base(planner, request, toolbox, request.history, 0))
        ):
            if (again := _same_but(planner, request, toolbox, base, f"same but {target}")) is not None:
                return again  # no mask kept (a new picture): the last request again in that colour
        return planner.plan(dataclasses.replace(request, text=f"make it {target}", history=[]), toolbox)
    if kind in ("soft_more", "soft_less"):
        if previous_request(request.history) is None:
            return None  # alone: the usual reading
        kind = kind[5:]
    base = _base(planner, request, toolbox, request.history, 0)
    if kind == "same" and _ONE.match(target) and base is not None:  # "and the other one": the other dog, if placed
        if _swap_target(planner, request, toolbox, base, target) is not None:
            return _same_to(planner, request, toolbox, base, target)
    if kind == "same" and _THIS_ONE.match(target):  # "do the same to this one" (a new picture): the request again
        kind = "again"
    if kind == "asked_of":  # "and people?": only after a question (after an edit it is no follow-up)
        if base is None or not _was_question(planner, request, toolbox, base):
            return None
        kind = "same"
    if kind == "other":  # "no, the other one" after "make the dog on the left red": the dog on the right
        if base is not None and (plan := _same_to(planner, request, toolbox, base, "the other one")).steps:
            plan.notes.insert(0, LAST_CHANGE.format(base=base))
            return plan
        return Plan(answer=OTHER_ONE + (f" {LAST_CHANGE.format(base=base)}" if base else ""))
    if base is None:
        if request.inputs.get("last") and kind in ("again", "more", "less", "same_but"):
            return None  # no history but a previous result (a plan read alone): the usual reading binds "it"
        what = {"less": "Less of what", "more": "More of what", "again": "Do what again"}.get(kind, "The same as what")
        return Plan(answer=NOTHING_TO_FOLLOW.format(what=what))
    if kind == "same_but":  # "same but blue": with the last mask, the usual reading ("it" is that mask)
        last = request.inputs.get("last", {})
        return None if "mask" in last or "track" in last else _same_but(planner, request, toolbox, base, text)
    if kind == "same":
        return _same_to(planner, request, toolbox, base, target)
    plan = planner.plan(dataclasses.replace(request, text=base, history=[]), toolbox)
    if not plan.steps:
        return plan
    steps = _reuse_selection(plan.steps, request.inputs.get("last", {}))
    said = text.strip()
    if kind == "more":
        return _more(steps, base, bit, said)
    if kind == "less":
        return _less(steps, base, bit, said)
    return Plan(steps=steps, notes=[f"I did {base!r} again, on its result ({said!r})."])


# "what about the first 5 seconds?", "and in the last 3 s?", "only between 0:02 and 0:04?": the last question again,
# asked of that part of the clip
_ABOUT = re.compile(
    r"^(?:(?:and|ok(?:ay)?|now|so)\b[,!. ]*)*(?:(?:what|how)\s+about\s+|and\s+|only\s+|just\s+)(?:only\s+|just\s+)?"
    r"(?P<part>(?:in|for|during|within|over|from|between|after|before)?\s*.+?)\s*\??$",
    re.I,
)
_WHAT_ABOUT = re.compile(
    r"^(?:(?:and|ok(?:ay)?|now|so)\b[,!. ]*)*(?:what|how)\s+about\s+(?P<what>(?:the|his|her|my|their)\s+[\w' -]+?)\s*\??$",
    re.I,
)


# a question about "it" on a clip ("when does it leave?", "does it ever come back?", "how long is it on screen?")
_IT_ASKED = re.compile(
    r"^(?:(?:and|so|ok(?:ay)?|now)\b[,!. ]*)*(?:when|does|did|is|was|how long|for how long|at what)\b.*?\b(?P<it>it|they|them)\b",
    re.I,
)
_CLIP_ITSELF = re.compile(r"\b(?:it|they)\s+(?:is|are|was)\s+(?:shorter|longer|faster|slower|silent|muted)\b", re.I)
# a colour in the past tense after an edit: how it was before the edit
_PAST_COLOUR = re.compile(r"^(?:(?:and|so|but|ok(?:ay)?)\b[,!. ]*)*(?:what|which)\s+colou?rs?\s+(?:was|were)\b", re.I)


def _edited_before(planner: Any, request: PlanRequest, toolbox: Any) -> bool:
    """Whether the session's previous request edited a picture (on a clip, a past tense is about the clip's time)."""
    found = previous_request(request.history)
    if found is None or "image" not in request.inputs.get("input", {}):
        return False
    before = planner.plan(dataclasses.replace(request, text=found[0], history=[]), toolbox)
    return any(s.tool == "edit" for s in before.steps)


def _about_it(planner: Any, request: PlanRequest, toolbox: Any, text: str) -> Plan | None:
    """A question about "it" on a clip read as a question about the thing the previous turn tracked ("track the
    dog" then "when does it leave?": when the dog leaves); None when nothing was tracked or no "it" is asked of."""
    m = _IT_ASKED.match(text.strip())
    found = previous_request(request.history)
    if m is None or found is None or _CLIP_ITSELF.search(text) or "video" not in request.inputs.get("input", {}):
        return None
    before = planner.plan(dataclasses.replace(request, text=found[0], history=[]), toolbox)
    target = next(
        (s.args.get("target") for s in before.steps if s.tool in ("track", "find_in_video", "count_in_video")), None
    )
    if not isinstance(target, str) or not target.strip():
        return None
    asked = text.strip()[: m.start("it")] + target.strip() + text.strip()[m.end("it") :]
    return planner.plan(dataclasses.replace(request, text=asked, history=[]), toolbox)


def _about_span(planner: Any, request: PlanRequest, toolbox: Any, text: str) -> Plan | None:
    """The previous question about the clip asked again of the part of it ``text`` names ("how many cars?" then
    "what about the first 10 seconds?"); None when ``text`` names no time or no question came before."""
    from vitron_agent.planners.rule.clip_questions import is_clip_question
    from vitron_agent.planners.rule.step_builders import _TIME_WORDS, clause_span

    m = _ABOUT.match(text.strip())
    if m is None or "video" not in request.inputs.get("input", {}):
        return None
    part = m.group("part")
    if clause_span(part, True) is None or _TIME_WORDS.sub("", part).strip(" ,.?"):
        return None  # no time said, or more than a time ("and the dog in the first 5 s")
    asked = str(request.history[-1].get("request") or "") if request.history else ""  # answered or not
    if not is_clip_question(asked):
        return None
    question = _TIME_WORDS.sub("", asked.strip().rstrip("?")).strip()
    part = part if re.match(r"^(?:in|for|during|within|over|from|between|after|before)\b", part, re.I) else f"in {part}"
    return planner.plan(dataclasses.replace(request, text=f"{question} {part}", history=[]), toolbox)


def _quality_or_meant(planner: Any, request: PlanRequest, toolbox: Any, text: str) -> Plan | None:
    """ "more blur" / "even brighter" after an edit of that quality: more (or, for the opposite quality or
    "less", some back) of it on the same thing; "no, I meant the background": the last request on that
    thing, said to leave the last change in. None when the words say no such thing (the usual reading)."""
    t = text.strip()
    meant, quality = _MEANT.match(t), _QUALITY_MORE.match(t)
    if not (meant or quality) or not request.history:
        return None
    base = _base(planner, request, toolbox, request.history, 0)
    if base is None:
        return None
    if meant:
        plan = _same_to(planner, request, toolbox, base, meant.group("what").strip())
        if plan.steps:
            plan.notes.insert(0, LAST_CHANGE.format(base=base))
        return plan
    said = _quality_side(planner, request, toolbox, base, quality)
    if said is None:
        return None  # a quality the last edit does not change ("more contrast" after a blur): the usual reading
    plan = planner.plan(dataclasses.replace(request, text=base, history=[]), toolbox)
    steps = _reuse_selection(plan.steps, request.inputs.get("last", {}))
    bit = bool(quality.group("bit"))
    if said == "same":  # "more blur", "even brighter"
        return _more(steps, base, bit, t)
    return _less(steps, base, bit, t)  # "less blur", "a bit darker" after brightening


def _quality_side(planner: Any, request: PlanRequest, toolbox: Any, base: str, quality: re.Match[str]) -> str | None:
    """ "same" when the quality words ask for more of ``base``'s one edit ("more blur" after a blur), its
    opposite edit's name when they ask for less ("a bit darker" after brightening: "darken"), None when
    they are about another quality or ``base`` is no single edit."""
    plan = planner.plan(dataclasses.replace(request, text=base, history=[]), toolbox)
    ops = {s.args.get("operation") for s in plan.steps if s.tool.startswith("edit")}
    if len(ops) != 1 or not plan.steps:
        return None
    op = ops.pop()
    q = quality.group("q").lower()
    same = re.fullmatch(_QUALITIES.get(op, "(?!)"), q) is not None
    opposite = op in _OPPOSITE and re.fullmatch(_QUALITIES[_OPPOSITE[op]], q) is not None
    if not (same or opposite):
        return None
    less = (quality.group("dir") or "").lower() == "less"
    return "same" if same != less else _OPPOSITE.get(op, "")


def _base(planner: Any, request: PlanRequest, toolbox: Any, history: list[dict[str, Any]], depth: int) -> str | None:
    """The request the latest turn of ``history`` amounts to, as words the planner reads ("more" after
    "brighten it" is "brighten it"; "the cat too" after "make the dog red" is "make the cat red")."""
    found = previous_request(history) if depth < 4 else None
    if found is None:
        return None
    text, earlier = found
    kind, target, _ = _kind(text)
    if kind is None and (meant := _MEANT.match(text.strip())):  # "no, I meant the background": that request
        before = _base(planner, request, toolbox, earlier, depth + 1)
        return before and _swap_target(planner, request, toolbox, before, meant.group("what").strip())
    if kind is None and (quality := _QUALITY_MORE.match(text.strip())):  # "even brighter": the request it built on
        before = _base(planner, request, toolbox, earlier, depth + 1)
        if before is not None and (said := _quality_side(planner, request, toolbox, before, quality)) is not None:
            return before if said == "same" else _OPPOSITE_WORDS.get(said)
    if kind in (None, "same_but", "other"):
        return text
    if kind == "colour":
        return f"make it {target}"
    kind = {"soft_more": "more", "soft_less": "less"}.get(kind, kind)
    base = _base(planner, request, toolbox, earlier, depth + 1)
    if base is None or kind in ("again", "more"):
        return base
    if kind == "same":
        return _swap_target(planner, request, toolbox, base, target)
    plan = planner.plan(dataclasses.replace(request, text=base, history=[]), toolbox)
    ops = [s.args.get("operation") for s in plan.steps if s.tool.startswith("edit")]
    return _OPPOSITE_WORDS.get(_OPPOSITE.get(ops[-1] if ops else "", ""))


_OPPOSITE_WORDS = {
    "brighten": "brighten it",
    "darken": "darken it",
    "warmer": "make it warmer",
    "cooler": "make it cooler",
    "saturate": "make it more colourful",
    "desaturate": "make it less colourful",
}
_PRONOUN = re.compile(r"\b(?:it|them|this|that|the (?:picture|image|photo|video|clip))\b", re.I)


def _swap_target(planner: Any, request: PlanRequest, toolbox: Any, base: str, what: str) -> str | None:
    """``base`` with what it was done to replaced by ``what`` (None: no target to replace)."""
    plan = planner.plan(dataclasses.replace(request, text=base, history=[]), toolbox)
    said = next((s.args["target"] for s in plan.steps if isinstance(s.args.get("target"), str)), None)
    if _ONE.match(what.strip()):  # "the left one", "the other one": the same kind of thing as before, there
        what = _one_named(said, what.strip()) if isinstance(said, str) else None
        if what is None:
            return None
    if isinstance(said, str) and (m := _said_in(base, said)):
        return base[: m.start()] + what + base[m.end() :]
    if m := _PRONOUN.search(base):
        return base[: m.start()] + what + base[m.end() :]
    return None


# "the left one", "the bigger one", "the other one": a thing named by where or how big it is, of the kind said before
_SIDES = {"left": "right", "right": "left", "top": "bottom", "bottom": "top", "upper": "lower", "lower": "upper"}
_RELATIVE = {"front": "back", "back": "front", "near": "far", "far": "near", "closer": "farther", "farther": "closer"}
_RELATIVE |= {"bigger": "smaller", "smaller": "bigger", "larger": "smaller", "big": "small", "small": "big"}
_RELATIVE |= {"largest": "smallest", "smallest": "largest", "biggest": "smallest"}
_PLACE_WORD = "|".join(sorted({*_SIDES, *_RELATIVE}, key=len, reverse=True))
_ONE = re.compile(
    rf"^(?:the\s+)?(?:(?P<pos>{_PLACE_WORD}|other)(?:-hand)?\s+ones?|ones?\s+(?:on|at|in)\s+the\s+(?P<side>{'|'.join(_SIDES)}))$",
    re.I,
)
_PLACED = re.compile(
    rf"\s*\b(?:(?:on|at|in|to)\s+the\s+(?P<side>{'|'.join(_SIDES)})(?:-hand)?(?:\s+side)?|(?P<rel>{_PLACE_WORD})(?:-hand)?)\b",
    re.I,
)


def _said_in(base: str, said: str) -> re.Match[str] | None:
    """Where ``base`` names the target its plan reads as ``said``: verbatim, or (the plan's words normalised:
    "the bigger dog" read as "the biggest dog") the noun phrase ending in the same head noun."""
    if m := re.search(re.escape(said), base, re.I):
        return m
    head = said.split()[-1] if said.split() else ""
    if not head.isalpha():
        return None
    return re.search(
        rf"\b(?:the|a|an|this|that|my|his|her)\s+(?:[\w-]+\s+){{0,3}}?{re.escape(head)}\b(?:\s+(?:on|at|in) the \w+(?:\s+side)?)?",
        base,
        re.I,
    )


def _one_named(said: str, what: str) -> str | None:
    """ "the left one" after "the dog on the right" -> "the dog on the left"; "the other one" -> the opposite
    place or size of the one said; None when "other" has nothing to be the opposite of ("the dog")."""
    said_one = _ONE.match(what)
    pos = (said_one.group("pos") or said_one.group("side")).lower()
    placed = _PLACED.search(said)
    head = _PLACED.sub("", said).strip()
    head = re.sub(r"^(?:the|a|an)\s+", "", head, flags=re.I).strip()
    if not head:
        return None
    if pos == "other":
        if placed is None:
            return None
        word = (placed.group("side") or placed.group("rel")).lower()
        pos = _SIDES.get(word) or _RELATIVE.get(word)
    if pos in _SIDES:
        return f"the {head} on the {pos}"
    return f"the {pos} {head}"


def _same_but(planner: Any, request: PlanRequest, toolbox: Any, base: str, text: str) -> Plan | None:
    """ "same but pink" with no mask of the last turn (a new picture): the previous request with its colour
    changed; None when the words after "but" name no colour (the usual reading)."""
    m = re.search(r"\b(?:but|in|with)\s+(?P<rest>.+?)" + _END, text.strip(), re.I)
    colour = m and re.sub(r"^(?:make it|in)\s+", "", m.group("rest").strip(), flags=re.I).lower()
    if not colour or colour not in _COLOR_WORDS:
        return None
    plan = planner.plan(dataclasses.replace(request, text=base, history=[]), toolbox)
    if not any(isinstance(s.args.get("color"), str) for s in plan.steps):
        return None
    steps = [
        Step(id=s.id, tool=s.tool, args={**s.args, "color": colour} if "color" in s.args else s.args, after=s.after)
        for s in plan.steps
    ]
    return Plan(steps=steps, notes=[f"I did {base!r} again in {colour} ({text.strip()!r})."])


def _was_question(planner: Any, request: PlanRequest, toolbox: Any, base: str) -> bool:
    """Whether the previous request ``base`` was a question (its plan only counts, finds, describes or reads)."""
    plan = planner.plan(dataclasses.replace(request, text=base, history=[]), toolbox)
    return bool(plan.steps) and plan.steps[-1].tool in _QUESTION_TOOLS


def _new_colour(what: str) -> tuple[str, str | None]:
    """ "the orange part green" -> ("the orange part", "green"): a thing named with the colour it should take now
    ("and the background black" after "make the sky blue"); (what, None) when no colour ends it."""
    m = re.match(
        r"^(?P<thing>.+?)\s+(?:in\s+)?(?P<colour>(?:(?:light|dark|bright|pale|deep)\s+)?[a-z]+)$", what.strip(), re.I
    )
    if m is None or m.group("colour").split()[-1].lower() not in _COLOR_WORDS:
        return what, None
    if m.group("thing").split()[-1].lower() in ("the", "a", "an", "his", "her", "their", "my", "its"):
        return what, None  # "the green" is a thing named by its colour, not a thing and a colour
    return m.group("thing"), m.group("colour")


def _recoloured(planner: Any, request: PlanRequest, toolbox: Any, text: str, thing: str, colour: str) -> str:
    """``text`` (the last request on the new thing) with its colour replaced by ``colour``; a request that gave
    no colour becomes "make <thing> <colour>"."""
    plan = planner.plan(dataclasses.replace(request, text=text, history=[]), toolbox)
    old = next((str(s.args["color"]) for s in plan.steps if s.tool.startswith("edit") and s.args.get("color")), None)
    spots = list(re.finditer(rf"\b{re.escape(old)}\b", text, re.I)) if old else []
    if not spots:
        return f"make {thing} {colour}"
    last = spots[-1]
    return text[: last.start()] + colour + text[last.end() :]


def _same_to(planner: Any, request: PlanRequest, toolbox: Any, base: str, what: str) -> Plan:
    """ "do the same to the cat": the previous request with its target replaced, read afresh; "and the background
    black": with its colour too (newcomer s13: 7 of 7 such follow-ups kept the last colour, or read the new one
    as part of the thing)."""
    what, colour = _new_colour(what)
    text = _swap_target(planner, request, toolbox, base, what)
    if colour:  # a thing and its colour: the last request's verb on it, else "make <thing> <colour>"
        text = _recoloured(planner, request, toolbox, text, what, colour) if text else f"make {what} {colour}"
    if text is None and re.match(r"^(?:the\s+)?other\b", what.strip(), re.I):  # the other of what: asked
        return Plan(answer=OTHER_ONE)
    if text is None:
        return Plan(answer=NO_TARGET.format(what=what, base=base))
    plan = planner.plan(dataclasses.replace(request, text=text, history=[]), toolbox)
    if plan.steps:
        plan.notes.insert(0, f"I read {request.text.strip()!r} as {text!r}.")
    return plan


def _reuse_selection(steps: list[Step], last: dict[str, Any]) -> list[Step]:
    """The steps with their one selection (segment / track) replaced by the previous turn's mask or
    track: the thing was selected before (and may look different now). Unchanged when there are
    several selections or the previous turn left none."""
    chosen = [s for s in steps if s.tool in _SELECTORS]
    if len(chosen) != 1 or _SELECTORS[chosen[0].tool] not in last:
        return steps
    sel = chosen[0]
    ref = f"$last.{_SELECTORS[sel.tool]}"

    def fix(v: Any) -> Any:
        return ref if isinstance(v, str) and v.startswith(f"${sel.id}.") else v

    return [
        Step(
            id=s.id, tool=s.tool, args={k: fix(v) for k, v in s.args.items()}, after=[a for a in s.after if a != sel.id]
        )
        for s in steps
        if s is not sel
    ]


def _more(steps: list[Step], base: str, bit: bool, said: str) -> Plan:
    ops = [(s.tool, s.args.get("operation")) for s in steps]
    if not all(op in _STRENGTH if tool.startswith("edit") else tool == "speed_video" for tool, op in ops):
        return Plan(answer=NO_MORE.format(base=base))
    if bit:
        steps = [_gentle(s, 0.25) for s in steps]
    return Plan(steps=steps, notes=[f"I did {base!r} again on its result ({said!r})."])


def _less(steps: list[Step], base: str, bit: bool, said: str) -> Plan:
    edits = [s for s in steps if s.tool.startswith("edit")]
    if len(edits) != len(steps) or not all(s.args.get("operation") in _OPPOSITE for s in edits):
        return Plan(answer=NO_LESS.format(base=base))
    amount = 0.1 if bit else 0.25
    out = [
        Step(
            id=s.id,
            tool=s.tool,
            args={**s.args, "operation": _OPPOSITE[s.args["operation"]], "amount": amount},
            after=s.after,
        )
        for s in steps
    ]
    what = ", ".join(_OPPOSITE[s.args["operation"]] for s in edits)
    return Plan(steps=out, notes=[f"I read {said!r} as taking some of {base!r} back: {what}, gently."])


def _gentle(step: Step, amount: float) -> Step:
    factor = step.args.get("factor")
    if step.tool == "speed_video" and isinstance(factor, (int, float)) and factor > 0:  # "a bit more" after 2x: 1.41x
        return Step(id=step.id, tool=step.tool, args={**step.args, "factor": round(factor**0.5, 3)}, after=step.after)
    if not step.tool.startswith("edit"):
        return step
    return Step(id=step.id, tool=step.tool, args={**step.args, "amount": amount}, after=step.after)
