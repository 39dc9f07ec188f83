"""References to what the previous answer named: "what's in this picture?" -> "I see a brown dog in the
middle; a red ball at the bottom-left." -> "make them blue", "remove the second one", "crop to that".

The user read the answer, so "it", "them", "the first one", "the latter", "both" mean the things it named,
in its order, not the picture's main object (which is what "it" had selected: the newcomer's "remove it"
after a description erased the main object instead of the one thing named). Only the session's latest turn
counts, and only when it answered a question (a description, a count, a detection, a yes/no) and named
something. A selection that turn left ("count the discs" -> "make them purple") is what a pronoun means, as
usual; the answer's order still picks "the second one". A singular reference to one of several things named asks which one ("the dog or the ball?");
a reference the usual reading already binds elsewhere (the picture: "make it brighter") is left alone.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from vitron_agent.perception.colors import COLORS
from vitron_agent.planners.base import PlanRequest
from vitron_agent.toolkit.plan import Plan

__all__ = ["named_in_answer", "after_answer"]

_I = re.IGNORECASE
_ASKING_TOOLS = {"describe", "count", "detect", "read_text"}  # a turn that answered and changed nothing
_COLOUR = "|".join([*COLORS, "grey", "gray", "dark", "light", "pale", "bright", "small", "large", "big", "little"])
_HEDGE = re.compile(r"^(?:and\s+)?(?:what\s+(?:may|might)\s+be\s+|probably\s+|maybe\s+|perhaps\s+)?", _I)
_COUNTED = re.compile(
    r"^(?:a|an|the|one|two|three|four|five|six|seven|eight|nine|ten|\d+|some|several|many|a\s+few)\s+", _I
)
# where the thing's name ends: its place, what it does, what it is in or on ("a woman in blue in the middle")
_NAME_ENDS = re.compile(
    r"\s+(?:in|at|on|filling|holding|near|next|beside|behind|under|over|with|from|to|of|by|against|leaning|"
    r"sitting|standing|lying|and|that|which|who|is|are|\(|,)\b.*$",
    _I,
)
_SEEN = re.compile(r"\bI\s+(?:see|can\s+see|found|spot)\s+(?!no\b|nothing\b)(?P<list>[^.]+)", _I)
_COUNT = re.compile(
    r"\bI\s+count(?:ed)?\s+(?:at\s+least\s+)?(?:\d+|one|two|three|four|five|six)\s+(?P<kind>[a-z]+(?:\s+[a-z]+)?)", _I
)
_YES = re.compile(r"^\s*yes\b[:,.!]?\s*(?:there\s+(?:is|are)\s+)?(?P<list>[^.]+)", _I)
_THERE = re.compile(r"^\s*there\s+(?:is|are)\s+(?P<list>[^.]+)", _I)  # a describer's "There are two cats on a sofa."
_THE_X_IS = re.compile(r"^\s*(?:the|a|an)\s+(?P<thing>[a-z]+(?:\s+[a-z]+)?)\s+(?:is|are|looks?|seems?)\b", _I)
_SHE_HOLDS = re.compile(
    r"^\s*(?:she|he|it|they)\s+(?:is|are)\s+(?:holding|carrying|wearing|eating)\s+(?P<list>[^.]+)", _I
)

# references: "the first one", "the 2nd one", "the latter"; "both", "them"; "it", "that", "her"
_ORDINALS = {"first": 0, "1st": 0, "former": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "last": -1, "latter": -1}
_ORDINAL = re.compile(
    # "the second-hand bike", "the first-class seats", "the last-minute sign": a compound word, no ordinal
    r"\bthe\s+(?P<n>first|1st|second|2nd|third|3rd|last|former|latter)(?![-\w])(?:\s+(?:one|thing|object|item|animal)"
    r"(?:\s+(?:that\s+)?(?:you|u)\s+(?:mentioned|named|said|listed|saw|found|described))?\b"
    # a bare ordinal is the thing, but not before a unit of the picture or clip: "the last frame", "the first 3
    # seconds", "the first third" (after a description, "save the last frame" took a still of the first)
    r"|(?!\s+(?:\d|one\b|frames?|seconds?|secs?|minutes?|mins?|half|halves|thirds?|quarters?|shots?|scenes?|parts?|"
    r"bits?|rows?|columns?|times?|pages?|lines?|words?|letters?|clips?|photos?|pictures?|images?|steps?|edits?|"
    r"turns?|few|couple|moments?|sections?|segments?)\b))",
    _I,
)
_BOTH = re.compile(
    r"\b(?:both(?:\s+of\s+them)?|all\s+(?:of\s+them|(?:two|three|four|five|\d)(?:\s+of\s+them)?)|the\s+(?:two|three|four)\s+of\s+them|"
    r"them\s+both|them\s+all|them|they|those|these)\b",
    _I,
)
_ONE = re.compile(
    r"\b(?:(?:that|this|the)\s+(?:one|thing|object|animal)|it|that|this|her|him)\b(?!\s+(?:is|was|'s)\b)", _I
)
_OTHER = re.compile(r"\bthe\s+other(?:\s+one)?\b", _I)
_PEOPLE = re.compile(r"^(?:woman|man|girl|boy|person|lady|guy|child|kid|baby)$", _I)
_MAIN = re.compile(r"^(?:the\s+)?main\s+object$", _I)


def _name(item: str) -> str | None:
    """The thing an answer's item names ("what may be a brown dog at the bottom-left" -> "dog"), or None
    ("no dog": what was not found is nothing named)."""
    if re.match(r"^\s*no\b", item, _I):
        return None
    words = _COUNTED.sub("", _HEDGE.sub("", item.strip()))
    words = _NAME_ENDS.sub("", words).strip()
    words = re.sub(rf"^(?:(?:{_COLOUR})\s+)+", "", words, flags=_I)
    return words.lower() if re.fullmatch(r"[a-z]+(?:\s+[a-z]+)?", words, _I) else None


_PLURALS = {"person": "people", "man": "men", "woman": "women", "child": "children", "sheep": "sheep", "fish": "fish"}


def _plural(name: str) -> str:
    """ "bird" -> "birds", "person" -> "people", "bus" -> "buses" (the last word of a name)."""
    head, _, last = name.rpartition(" ")
    if last in _PLURALS:
        last = _PLURALS[last]
    elif re.search(r"(?:s|x|z|ch|sh)$", last):
        last += "es"
    elif re.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}".strip()


def named_in_answer(answer: str) -> list[str]:
    """The things an answer named, in its order: "I see a cat on the left; a dog on the right." ->
    ["cat", "dog"]; "I count 3 birds." -> ["birds"]; "The car is red." -> ["car"]; [] for none."""
    text = re.sub(r"\([^()]*\)", " ", answer or "")
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        for pattern in (_SEEN, _YES, _SHE_HOLDS, _THERE):
            if m := pattern.search(sentence):
                items = re.split(r"\s*;\s*|\s*,\s*(?:and\s+)?|\s+and\s+", m.group("list"))
                names = [n for n in (_name(item) for item in items) if n]
                if names:  # one kind seen twice ("a bird at the top-left, a bird at the top-right"): the birds
                    return [n if names.count(n) == 1 else _plural(n) for n in dict.fromkeys(names)]
        if m := _COUNT.search(sentence):
            return [_NAME_ENDS.sub("", m.group("kind")).lower()]
        if m := _THE_X_IS.match(sentence):
            return [m.group("thing").lower()]
    return []


def _asking_turn(history: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The session's latest turn that ran, when it answered a question without changing the picture (a
    question back in between, "which one: the person or the mouse?", runs nothing: passed over), else None."""
    turn = next((t for t in reversed(history or []) if t.get("steps")), None)
    if turn is None:
        return None
    tools = {str(s.get("tool")) for s in turn.get("steps") or []}
    if not tools & _ASKING_TOOLS or not tools <= _ASKING_TOOLS | {"segment"}:  # "what colour is the car?" selects it
        return None
    return turn


def _answered(history: list[dict[str, Any]]) -> list[str]:
    """What the latest question's answer named (:func:`_asking_turn`), in its order."""
    turn = _asking_turn(history)
    return named_in_answer(str(turn.get("answer") or "")) if turn else []


# a question about one thing ("is there a dog?", "do you see a cat?", "what colour is the car?"): "it" next is
# that thing, if found, even where the usual reading takes the whole picture ("blur it" blurred everything)
_ABOUT_ONE = re.compile(
    r"^\s*(?:(?:is|are)\s+there|(?:do|can|could)\s+(?:you|u)\s+(?:see|spot|find)|any)\b"
    r"|^\s*(?:what|which)\s+(?:colou?r|kind|sort|type|breed|make)\s+(?:of\s+\w+\s+)?(?:is|are)\s+(?:the|that|this)\b",
    _I,
)
_NONE_FOUND = re.compile(
    r"^\s*(?:no\b|I\s+(?:see|count|found|find|can\s*not\s+see|don't\s+see)\s+no\b|"
    r"(?P<unsure>I'?m\s+not\s+sure|I\s+am\s+not\s+sure)\s*[:,]\s*I\s+(?:find|see)\s+no\b)",  # perception/absence.py's
    _I,
)
# edits that work on a part of the picture: "it" after a question about one thing is that thing for these;
# a turn, a flip, a resize or a crop to a shape stays the picture's ("rotate it")
_LOCAL_OPS = frozenset(
    "blur pixelate recolor remove cutout keep_only sharpen brighten darken outline grayscale desaturate saturate "
    "warmer cooler contrast denoise inpaint".split()
)


def _asked_about_one(history: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The latest question's turn when it asked about one thing (``_ABOUT_ONE``), else None."""
    turn = _asking_turn(history)
    return turn if turn and _ABOUT_ONE.search(str(turn.get("request") or "")) else None


def _local_edit(plan: Plan) -> bool:
    """Whether the plan edits the whole picture by an edit that could be done on a thing instead."""
    edits = [s for s in plan.steps if s.tool == "edit"]
    return bool(edits) and all(s.args.get("operation") in _LOCAL_OPS and not s.args.get("mask") for s in edits)


def _none_found(planner: Any, request: PlanRequest, toolbox: Any, raw: str) -> Plan | None:
    """ "is there a dog?" -> "I see no dog ..." -> "blur it": "it" names nothing found, so a question back
    (the whole picture was blurred); None when the request does not lean on that answer."""
    turn = _asked_about_one(request.history)
    said = _NONE_FOUND.search(str(turn.get("answer") or "")) if turn is not None else None
    if turn is None or said is None:
        return None
    m = _ONE.search(raw) or _BOTH.search(raw)
    if m is None:
        return None
    usual = planner.plan(dataclasses.replace(request, history=[], text=raw), toolbox)
    if not (_targets_main(usual) or _local_edit(usual)):
        return None
    asked = re.sub(r"[?.!\s]+$", "", str(turn.get("request") or ""))
    return Plan(
        answer=f"I found nothing for {m.group(0)!r} to mean: to '{asked}?' I answered that "
        f"{'I am not sure there is one' if said.group('unsure') else 'I see none'}. Say what "
        f"to edit, e.g. '{raw[: m.start()]}the picture{raw[m.end() :]}' or name the thing."
    )


def _each(text: str, ref: re.Match[str], names: list[str]) -> str:
    """The request on all the things named at once ("make them blue" -> "make the dog and the ball blue"): one
    selection of all of them and one edit, not an edit of each in turn ("crop to them" cropped to the dog, then
    looked for the ball in the crop; "keep only them" kept the dog, then only the ball of what was left)."""
    things = [f"the {n}" for n in names]
    joined = things[0] if len(things) == 1 else f"{', '.join(things[:-1])} and {things[-1]}"
    return f"{text[: ref.start()]}{joined}{text[ref.end() :]}"


def _nth(names: list[str], m: re.Match[str]) -> str:
    """ "the second one" -> "the ball" when the answer named a second thing; else the words as they are."""
    k = _ORDINALS[m.group("n").lower()]
    return f"the {names[k]}" if k < len(names) else m.group(0)


def _one_of(names: list[str], word: str) -> str | None:
    """The one thing a singular reference means: the only one named, or the only person for "her" / "him"."""
    if word.lower() in ("her", "him"):
        people = [n for n in names if _PEOPLE.match(n)]
        return people[0] if len(people) == 1 else None
    return names[0] if len(names) == 1 else None


def _targets_main(plan: Plan) -> bool:
    """Whether the plan selected the picture's main object (what "it" falls back to)."""
    return any(s.tool == "segment" and _MAIN.match(str(s.args.get("target") or "")) for s in plan.steps)


def after_answer(planner: Any, request: PlanRequest, toolbox: Any, raw: str) -> Plan | None:
    """The plan for ``raw`` read against what the latest answer named (module docstring), or None for the
    usual reading."""
    names = _answered(request.history)
    if not names:
        return _none_found(planner, request, toolbox, raw)
    again = dataclasses.replace(request, history=[])

    def plan(text: str) -> Plan:
        return planner.plan(dataclasses.replace(again, text=text), toolbox)

    if _ORDINAL.search(raw):
        picked = _ORDINAL.sub(lambda o: _nth(names, o), raw)
        if picked != raw:
            return plan(picked)
    if _OTHER.search(raw) and len(rest := [n for n in names if not re.search(rf"\b{re.escape(n)}\b", raw, _I)]) == 1:
        return plan(_OTHER.sub(f"the {rest[0]}", raw))  # "paint the horse brown and remove the other one"
    if _OTHER.search(raw) and len(names) > 1:
        listed = " or ".join(f"the {n}" for n in names)
        return Plan(
            answer=f"Which one is 'the other one': {listed}? Name it, e.g. '{_OTHER.sub(f'the {names[-1]}', raw)}'."
        )
    if request.inputs.get("last", {}).get("mask"):
        return None  # "count the discs" -> "make them purple": the count's own selection, as the usual reading has it
    if (m := _BOTH.search(raw)) and len(names) > 1:
        return plan(_each(raw, m, names))
    if m := _BOTH.search(raw):
        return plan(f"{raw[: m.start()]}the {names[0]}{raw[m.end() :]}")
    m = _ONE.search(raw)
    if m is None:
        return None
    usual = plan(raw)
    if not (_targets_main(usual) or (_asked_about_one(request.history) and _local_edit(usual))):
        return None  # "make it brighter": the picture, as the usual reading has it
    one = _one_of(names, m.group(0))
    if one is None:
        listed = " or ".join(f"the {n}" for n in names)
        return Plan(
            answer=f"Which one do you mean by {m.group(0)!r}: {listed}? Name it, e.g. '{raw[: m.start()]}the {names[-1]}{raw[m.end() :]}'."
        )
    return plan(f"{raw[: m.start()]}the {one}{raw[m.end() :]}")
