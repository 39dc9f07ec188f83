"""RulePlanner: the embedded, deterministic planner (no weights).

It splits an instruction into clauses ("then", "and then", "after that",
commas and semicolons, "and" before a verb), recognises one action per clause
and chains the steps: "it", "them", "that" and "the result" bind to the latest
mask and image of the plan (or of the session's previous turn). Explicit
regions are read from the text: "at (x, y)" and "in box (x1, y1, x2, y2)".

A request it cannot understand gets a plan-free answer listing what it
understands; it never raises.
"""

from __future__ import annotations

import re
from typing import Any

from vitron_agent.plan import Plan, Step
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule_intents import (
    INTENT_HANDLERS,
    INTENTS,
    UNDERSTOOD,
    Clause,
    Intent,
    parse_clause,
    split_clauses,
    understood_help,
)
from vitron_agent.planners.rule_lexicon import (
    _EXCLUSION,
    _FILLER,
    MAX_REQUEST_CHARS,
    NEEDS_IMAGE,
    NO_GENERATOR,
    NO_VIDEO_GENERATOR,
    NOT_ENGLISH,
    TOO_LONG,
    _fix_colours,
    _fix_verb,
    _looks_foreign,
    _protect_regions,
    _restore,
    bounded,
)
from vitron_agent.planners.rule_steps import _Builder, _do_tool_intent, _exclude
from vitron_agent.tool import Toolbox

__all__ = [  # the planner; its words (rule_lexicon), steps (rule_steps, rule_picture_steps), intents (rule_intents)
    "RulePlanner",
    "UNDERSTOOD",
    "NO_GENERATOR",
    "NO_VIDEO_GENERATOR",
    "NEEDS_IMAGE",
    "NOT_ENGLISH",
    "split_clauses",
    "Intent",
    "INTENTS",
    "Clause",
    "parse_clause",
]


class RulePlanner:
    """Deterministic planner for everyday instructions (see module docstring)."""

    name = "rule"

    def plan(self, request: PlanRequest, toolbox: Toolbox) -> Plan:
        raw = bounded(request.text)  # before any pattern: no run of blanks for one to backtrack over
        if len(raw) > MAX_REQUEST_CHARS:
            return Plan(answer=TOO_LONG.format(n=len(raw), cap=MAX_REQUEST_CHARS))
        if _looks_foreign(raw):
            return Plan(answer=NOT_ENGLISH)
        text, regions = _protect_regions(raw)
        text = re.sub(r"\([^()]*\)", " ", text)  # what is left in brackets is an aside ("(again)"), not a target
        clauses = split_clauses(text)
        inp, last = request.inputs.get("input", {}), request.inputs.get("last", {})
        b = _Builder(toolbox=toolbox, inputs=request.inputs, regions=regions)
        b.image = "$input.image" if inp.get("image") == "image" else None
        if b.image is None and inp.get("video") == "video":
            b.image, b.video_mode = "$input.video", True
        understood, misunderstood = 0, False
        for clause in clauses:
            clause = _FILLER.sub("", clause.strip()).strip()
            parsed = parse_clause(_fix_colours(clause, b.notes))
            if parsed.intent is None and (fixed := _fix_verb(parsed.text)) is not None:
                retry = parse_clause(fixed[0])
                if retry.intent is not None:
                    b.notes.append(f"I read {fixed[1]!r} as {fixed[2]!r}.")
                    parsed = retry
            clause, intent, rest = parsed.text, parsed.intent, parsed.rest
            kept = None
            if intent is not None and (
                ex := _EXCLUSION.match(clause)
            ):  # "brighten the garage but keep the bike unchanged"
                kept = ex.group("kept") or ex.group("kept2")
                retry = parse_clause(ex.group("main") or ex.group("main2"))
                if retry.intent is not None:
                    clause, intent, rest = retry.text, retry.intent, retry.rest
                else:
                    kept = None
            if intent is None:
                b.notes.append(f"I did not understand {_restore(clause, regions)!r}, so I skipped it.")
                misunderstood = True
                continue
            if intent == "generate":
                if "generate" not in toolbox:
                    return Plan(answer=NO_GENERATOR)
                sid = b.add("generate", prompt=_restore(rest, regions).strip() or clause)
                b.image, b.mask, b.last_output, b.video_mode = f"${sid}.image", None, "image", False
                last = {}  # a new picture: the previous turn's mask does not apply to it
                understood += 1
                continue
            if intent == "generate_video":
                if "generate_video" not in toolbox:
                    return Plan(answer=NO_VIDEO_GENERATOR)
                sid = b.add("generate_video", prompt=_restore(rest, regions).strip() or clause)
                b.image, b.mask, b.last_output, b.video_mode = f"${sid}.video", None, "video", True
                last = {}
                understood += 1
                continue
            if b.image is None:
                return Plan(answer=NEEDS_IMAGE)
            if intent.startswith("tool:"):
                _do_tool_intent(b, intent[5:], clause)
                understood += 1
                continue
            before = len(b.steps)
            INTENT_HANDLERS[intent](b, rest, clause, last)
            if kept is not None:
                _exclude(b, before, kept, clause, last)
            if b.answer is not None:
                return Plan(answer=b.answer)
            understood += 1
        if not understood:
            if _looks_foreign(raw, hits=1):
                return Plan(answer=NOT_ENGLISH)
            return Plan(answer=f"I could not turn {raw!r} into steps. {understood_help()}")
        if misunderstood:
            b.notes.append(understood_help())
        return Plan(steps=_renumbered(b.steps), notes=b.notes)


def _renumbered(steps: list[Step]) -> list[Step]:
    """The steps with ids s1, s2 ... in list order (an exclusion inserts a step before its edit),
    references rewritten."""
    ids = {s.id: f"s{i + 1}" for i, s in enumerate(steps)}
    if all(k == v for k, v in ids.items()):
        return steps

    def fix(v: Any) -> Any:
        if isinstance(v, str) and v.startswith("$"):
            head, _, tail = v[1:].partition(".")
            return f"${ids.get(head, head)}.{tail}" if tail else v
        if isinstance(v, dict):
            return {k: fix(x) for k, x in v.items()}
        if isinstance(v, list):
            return [fix(x) for x in v]
        return v

    return [
        Step(id=ids[s.id], tool=s.tool, args=fix(dict(s.args)), after=[ids.get(a, a) for a in s.after]) for s in steps
    ]
