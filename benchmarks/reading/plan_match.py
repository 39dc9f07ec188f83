"""Plan-exact comparison for the paraphrase benchmark (benchmarks/reading/).

A case is one JSON line::

    {"id": "i0042", "request": "make the car blue", "input": "image", "intent": "recolor",
     "plan": [{"tool": "segment", "args": {"target": "car"}},
              {"tool": "edit", "args": {"operation": "recolor", "color": "blue"}}],
     "alternatives": [...],          # optional: other plans that are just as right
     "last": {"image": "image"}}     # optional: what the session's previous turn left

A planned request *matches* a labelled plan when (rules, in order):

1. it has the same number of steps, and step k calls the same tool as labelled step k;
2. every argument the label names is equal after normalisation (below); arguments the label does
   not name are not compared (references such as ``$s1.mask`` are never compared), except
3. on ``edit`` / ``edit_video``: ``operation`` and ``where`` (default ``inside``) always; ``direction``
   of a flip (default ``horizontal``) and ``angle`` of a rotate (default 90) always. Two spellings of
   one edit are one edit: ``blur_background`` = ``blur`` outside the mask, ``replace_background`` =
   ``keep_only`` (colour default white for both). On ``trim_video``: ``first=N`` = ``start=0, end=N``,
   ``last=N`` = ``start=-N`` (from the end), and both ends are always compared.

Normalisation of each kind of argument:

* targets (``target``): lower case, British -> American spelling (``SPELLING``), the picture's
  main object under any of its names (``MAIN_OBJECT``), sides and halves as a position
  (``the left side`` -> ``left``, ``SIDES``), then a *set* of words with the stop words
  (``TARGET_STOP``) dropped and each word singularised (``people`` -> ``person``, ``boxes`` -> ``box``)
  and mapped through ``SYNONYMS``. A person as owner (``his``, ``her``, ``their``: ``OWNERS``) is compared
  only where the label names one: the planner keeps it ("his coat" is found on a person), and labels written
  before it did ("make his face sharper": ``face``) name the same thing without it. A target the planner
  gives as a structure (a dict) is read as the words of its values (and the keys whose value is ``true``, e.g. ``largest``);
* colours: lower case, ``SPELLING`` (``grey`` -> ``gray``);
* prompts: the same word set as targets with ``PROMPT_STOP`` dropped too; equal sets, except an
  ``instruct`` edit's prompt (the planner passes the user's whole clause), where the labelled
  words must all appear;
* numbers: ``angle`` modulo 360 within 0.5 degree; ``scale`` within 2 %; ``time`` within 0.05 s;
  ``width``, ``height``, ``index`` exactly; ``aspect``: ``square`` = ``1:1``;
* a number labelled ``<1`` or ``>1`` (``make it smaller``, ``faster``: no amount said): only the
  direction is compared (the plan's value below or above the bound);
* ``amount``: the label says only ``low`` (the plan's amount must be below the default 0.5) or
  ``high`` (above 0.5); a label without ``amount`` accepts any amount;
* any other string: lower case and ``SPELLING``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = [
    "FAMILIES",
    "load_cases",
    "plan_matches",
    "case_matches",
    "normalise_target",
    "steps_of",
    "SPELLING",
    "SYNONYMS",
    "MAIN_OBJECT",
]

HERE = Path(__file__).resolve().parent

# The intent families the cases cover: the rule table's intents (same names), the video tools'
# sentences, and mixed forms (chains, pronouns bound to the previous turn, the picture named, typos
# in verbs and colours, and real words a typo fixer must leave alone: "bed", "shed", "bold").
FAMILIES = (
    *("segment", "cutout", "composite", "detect", "flip", "rotate", "resize", "sharpen", "warmer", "cooler"),
    *("saturate", "desaturate", "denoise", "outline", "recolor", "remove", "background", "keep_only", "blur"),
    *("brighten", "darken", "contrast", "grayscale", "crop", "describe", "question", "read", "count"),
    *("generate", "replace", "restyle", "animate", "generate_video", "track", "frame"),
    *("video_edit", "describe_video", "count_in_video", "find_in_video", "trim_video", "speed_video"),
    *("reverse_video", "loop_video", "concat_videos", "export_gif"),
    *("chain", "pronoun", "whole_picture", "video_chain", "typo", "real_word"),
)
# Requests for things the agent cannot do (sepia, sound, stabilising ...): the right answer is a
# refusal or a question with no steps, labelled ``"plan": []``. Tune half only so far (not a FAMILY:
# the held-out half has none, and FAMILIES must have cases in both halves).
CANNOT = "cannot"
EDIT_TOOLS = ("edit", "edit_video")
QUESTION_KINDS = ("when", "appear", "disappear", "how_long")  # find_in_video's question

SPELLING = {
    "colour": "color",
    "colours": "colors",
    "coloured": "colored",
    "colourful": "colorful",
    "grey": "gray",
    "greyscale": "grayscale",
    "centre": "center",
    "favourite": "favorite",
    "jewellery": "jewelry",
    "tyre": "tire",
    "tyres": "tires",
    "aeroplane": "airplane",
    "licence": "license",
    "theatre": "theater",
    "metre": "meter",
    "mum": "mom",
    "watercolour": "watercolor",
    "greyhound": "greyhound",
}
SYNONYMS = {  # one word for words that name the same thing in a target
    "biggest": "largest",
    "smallest": "smallest",
    # of two or more, the bigger one is the biggest: the planner hands the tools the superlative they read
    "bigger": "largest",
    "larger": "largest",
    "smaller": "smallest",
    "middle": "center",
    "upper": "top",
    "lower": "bottom",
    "persons": "person",
    "kid": "child",
    "bike": "bicycle",
    "motorbike": "motorcycle",
    "automobile": "car",
    "tv": "television",
}
MAIN_OBJECT = (  # whole-target names of "the thing the picture is about"
    "main object",
    "main subject",
    "subject",
    "foreground",
    "foreground object",
    "main thing",
    "salient object",
)
SIDES = [
    (re.compile(r"\b(left|right|top|bottom)(?:\s*-?\s*hand)?\s+(?:side|half|part|portion|area)\b"), r"\1"),
    (re.compile(r"\bupper\s+(?:side|half|part)\b"), "top"),
    (re.compile(r"\blower\s+(?:side|half|part)\b"), "bottom"),
]
TARGET_STOP = {"the", "a", "an", "on", "in", "at", "of", "to", "this", "that", "these", "those", "please", "some"}
TARGET_STOP |= {"all", "every", "each", "any"}
OWNERS = frozenset({"his", "her", "their"})
PROMPT_STOP = TARGET_STOP | {"with", "and", "for", "it", "like", "look", "make", "style", "image", "picture", "photo"}
IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child", "mice": "mouse", "geese": "goose"}
IRREGULAR |= {"feet": "foot", "teeth": "tooth", "sheep": "sheep", "fish": "fish", "leaves": "leaf", "knives": "knife"}


def load_cases(path: str | Path) -> list[dict[str, Any]]:
    """The cases of a JSON-lines file; raises ValueError naming the line of a malformed case."""
    cases = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}:{n}: not JSON ({e})") from None
        for key in ("id", "request", "input", "intent", "plan"):
            if key not in case:
                raise ValueError(f"{path}:{n}: case lacks {key!r}")
        if case["intent"] not in (*FAMILIES, CANNOT):
            raise ValueError(f"{path}:{n}: unknown intent family {case['intent']!r} (see FAMILIES)")
        if case["input"] not in ("image", "video"):
            raise ValueError(f"{path}:{n}: input must be image or video, not {case['input']!r}")
        if case["intent"] == CANNOT and case["plan"]:
            raise ValueError(f"{path}:{n}: a {CANNOT!r} case is labelled with an empty plan (a refusal)")
        for plan in [case["plan"], *case.get("alternatives", [])]:
            if (not plan and case["intent"] != CANNOT) or any(
                not isinstance(s.get("tool"), str) or not isinstance(s.get("args"), dict) for s in plan
            ):
                raise ValueError(f"{path}:{n}: a plan must be a non-empty list of {{tool, args}} steps")
        cases.append(case)
    return cases


def _singular(word: str) -> str:
    if word in IRREGULAR:
        return IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and re.search(r"(?:ss|x|ch|sh)es$", word):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not re.search(r"(?:ss|us|is)$", word):
        return word[:-1]
    return word


def _words(text: str, stop: set[str]) -> frozenset[str]:
    text = text.lower().replace("&", " and ")
    text = " ".join(SPELLING.get(w, w) for w in re.findall(r"[a-z0-9:'°.-]+", text))
    for pattern, repl in SIDES:
        text = pattern.sub(repl, text)
    words = [w.strip(".-'") for w in text.split()]
    out = set()
    for w in words:
        if not w or w in stop:
            continue
        w = SYNONYMS.get(w, w)
        w = _singular(w)
        out.add(SYNONYMS.get(w, w))
    return frozenset(out)


def _flatten(value: Any) -> str:
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            if v is True:
                parts.append(str(k))
            elif v not in (None, False, "", [], {}):
                parts.append(_flatten(v))
        return " ".join(parts)
    if isinstance(value, (list, tuple)):
        return " ".join(_flatten(v) for v in value)
    return str(value)


def normalise_target(value: Any) -> frozenset[str]:
    """The word set a target is compared by (see the module docstring)."""
    text = _flatten(value).lower().strip()
    text = re.sub(r"^(?:the|a|an)\s+", "", text)
    if text in MAIN_OBJECT:
        return frozenset({"main object"})
    return _words(text, TARGET_STOP)


def _color(value: Any) -> str:
    return " ".join(SPELLING.get(w, w) for w in str(value).lower().split())


def _num(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _arg_equal(key: str, want: Any, got: Any, operation: str | None) -> bool:
    if key == "amount":
        g = _num(got)
        g = 0.5 if g is None else g
        return g < 0.5 if want == "low" else g > 0.5 if want == "high" else False
    if got is None:
        return want is None
    if key in ("target", "visible"):
        want_words, got_words = normalise_target(want), normalise_target(got)
        if not want_words & OWNERS:  # a label written without the owner: "his face" is the face it names
            got_words -= OWNERS
        return want_words == got_words
    if key == "question":
        if want in QUESTION_KINDS:
            return want == got
        return _words(str(want), PROMPT_STOP) == _words(str(got), PROMPT_STOP)
    if key in ("color", "colour"):
        return _color(want) == _color(got)
    if key == "prompt":
        w, g = _words(str(want), PROMPT_STOP), _words(str(got), PROMPT_STOP)
        return w <= g if operation == "instruct" else w == g
    if isinstance(want, str) and want[:1] in "<>" and _num(want[1:]) is not None:
        g, bound = _num(got), float(want[1:])  # a direction only ("faster": factor > 1)
        return g is not None and (g < bound if want[0] == "<" else g > bound)
    if key in ("angle", "scale", "time", "start", "end", "first", "last", "factor", "duration", "seconds"):
        w, g = _num(want), _num(got)
        if w is None or g is None:
            return False
        if key == "angle":
            return abs((w - g + 180.0) % 360.0 - 180.0) <= 0.5
        if key in ("scale", "factor"):
            return abs(w - g) <= 0.02 * abs(w)
        return abs(w - g) <= 0.05
    if key == "aspect":
        sq = {"square": "1:1"}
        return sq.get(str(want).lower(), str(want).lower()) == sq.get(str(got).lower(), str(got).lower())
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return _num(got) == float(want)
    if isinstance(want, str):
        return _color(want) == _color(got)
    return want == got


def _canonical_edit(args: dict[str, Any]) -> dict[str, Any]:
    """One spelling per edit (rule 3): blur_background -> blur outside; replace_background -> keep_only."""
    args = dict(args)
    op, where = args.get("operation"), args.get("where") or "inside"
    if op == "blur_background":
        args["operation"], where = "blur", "outside" if where == "inside" else "inside"
    elif op == "replace_background":
        args["operation"] = "keep_only"
    if args["operation"] == "keep_only" and not args.get("color"):
        args["color"] = "white"
    args["where"] = where
    if args["operation"] == "flip":
        args.setdefault("direction", "horizontal")
    if args["operation"] == "rotate":
        args.setdefault("angle", 90.0)
    return args


def _canonical_trim(args: dict[str, Any]) -> dict[str, Any]:
    """One spelling per cut (rule 3): ``first=N`` = ``start=0, end=N``; ``last=N`` = ``start=-N`` (a
    negative start counts from the end); ``start`` alone runs to the end. Both ends always compared."""
    args = dict(args)
    first, last = args.pop("first", None), args.pop("last", None)
    if first is not None:
        args["start"], args["end"] = 0.0, first
    elif last is not None:
        args["start"], args["end"] = -float(last), None
    if not args.get("visible"):
        args.setdefault("start", 0.0)
        args.setdefault("end", None)
    return args


def _step_matches(want: dict[str, Any], got: dict[str, Any]) -> bool:
    if want["tool"] != got["tool"]:
        return False
    wargs, gargs = dict(want["args"]), dict(got["args"])
    if want["tool"] == "trim_video":
        wargs, gargs = _canonical_trim(wargs), _canonical_trim(gargs)
    if want["tool"] in EDIT_TOOLS:
        wargs, gargs = _canonical_edit(wargs), _canonical_edit(gargs)
    op = wargs.get("operation")
    for key, want_value in wargs.items():
        if isinstance(want_value, str) and want_value.startswith("$"):
            continue  # references are not compared
        if not _arg_equal(key, want_value, gargs.get(key), op):
            return False
    return True


def plan_matches(want: list[dict[str, Any]], got: list[dict[str, Any]]) -> bool:
    """Whether planned steps ``got`` ([{tool, args}]) match the labelled ``want`` (module docstring)."""
    return len(want) == len(got) and all(_step_matches(w, g) for w, g in zip(want, got, strict=True))


def case_matches(case: dict[str, Any], got: list[dict[str, Any]]) -> bool:
    """Whether ``got`` matches the case's plan or one of its alternatives."""
    return any(plan_matches(p, got) for p in [case["plan"], *case.get("alternatives", [])])


def steps_of(plan: Any) -> list[dict[str, Any]]:
    """[{tool, args}] of a vitron_agent Plan."""
    return [{"tool": s.tool, "args": dict(s.args)} for s in plan.steps]


def show_plan(steps: Iterable[dict[str, Any]]) -> str:
    """A one-line plan for the misses list: ``segment(target=car) > edit(recolor, color=blue)``."""
    out = []
    for s in steps:
        args = {k: v for k, v in s["args"].items() if not (isinstance(v, str) and v.startswith("$"))}
        op = args.pop("operation", None)
        parts = ([op] if op else []) + [f"{k}={v}" for k, v in args.items()]
        out.append(f"{s['tool']}({', '.join(parts)})")
    return " > ".join(out) or "(no steps)"
