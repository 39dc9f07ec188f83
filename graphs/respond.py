"""The answer of a turn, and what the next turn may call "it".

No tool is named here: how a step's result is said comes from its tool's declaration
(:class:`~vitron_agent.toolkit.registry.Traits`: ``role``, ``said_empty``, ``result_words``).
"""

from __future__ import annotations

from typing import Any

from vitron_agent.toolkit.plan import Plan
from vitron_agent.toolkit.registry import SELECTS, traits
from vitron_agent.toolkit.tool import ANSWER_OUTPUTS, METHOD_OUTPUT

__all__ = ["compose_answer", "answer_details", "next_turn_inputs", "summarise_outputs"]


def summarise_outputs(record: dict[str, Any]) -> str:
    """'mask covering 12.5% of the image', '451x300 image' ... for the artifacts of a step
    (numbers and boxes only when a step made no artifact)."""
    parts, scalars = [], []
    for name, out in record.get("outputs", {}).items():
        kind, value = out["kind"], out["value"]
        if kind == "mask":
            parts.append(f"mask covering {100 * value.get('area', 0):.1f}% of the image")
        elif kind == "image":
            declared = traits(str(record.get("tool") or ""))
            op = (record.get("args") or {}).get(declared.operation)
            what = declared.result_words.get(str(op), "image")
            parts.append(f"{value['width']}x{value['height']} {what}")
        elif kind == "video":
            parts.append(f"{value.get('frames', '?')}-frame video")
        elif kind == "feature":
            parts.append(f"{value.get('kind', 'feature')} {tuple(value.get('shape', ()))}")
        elif kind == "box":
            scalars.append(f"{name} ({value['x1']:.0f}, {value['y1']:.0f}, {value['x2']:.0f}, {value['y2']:.0f})")
        elif kind == "detections":
            items = value.get("items", [])
            parts.append(f"{len(items)} detection{'s' if len(items) != 1 else ''}")
        elif kind == "number" and not isinstance(value, bool):
            scalars.append(f"{name} {value:g}")
    method = record.get("outputs", {}).get(METHOD_OUTPUT, {})
    if (
        method.get("kind") == "text"
        and method.get("value")
        and any(k in ("mask", "track") for k in (o["kind"] for o in record["outputs"].values()))
    ):
        parts.append(f"by {str(method['value']).split(';')[0]}")  # which model or heuristic made the mask
    return ", ".join(parts or scalars)


def _text_of(record: dict[str, Any]) -> str | None:
    return next(
        (o["value"] for n, o in record.get("outputs", {}).items() if n in ANSWER_OUTPUTS and o["kind"] == "text"),
        None,
    )


def _joined(items: list[str]) -> str:
    """'a, b and c'; a phrase said twice or more once, with how often ('run invert twice')."""
    counts = {i: items.count(i) for i in dict.fromkeys(items)}
    items = [i if n == 1 else f"{i} {'twice' if n == 2 else f'{n} times'}" for i, n in counts.items()]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", ")")) else text + "."


def compose_answer(plan: Plan, records: dict[str, dict[str, Any]], problems: list[str]) -> str:
    """The answer people read: what the turn had to assume or held back first (an unsure result says
    so first), then one sentence of what was done ("I selected the cat and made it purple."), then
    what was found (the tools' own words: a description, a count, the text read), then what failed
    or was skipped, in words. Step ids, tool and model names and raw scores are not in it: they are
    in :func:`answer_details` (``--verbose``), the report and ``--json``."""
    if problems:
        listed = "\n".join(f"- {p}" for p in problems)
        return f"I could not make a valid plan for this request. Problems:\n{listed}"
    if not plan.steps:
        return (  # a refusal the planner gives as its answer and as a note is said once
            "\n".join(dict.fromkeys([*([plan.answer] if plan.answer else []), *plan.notes]))
            or "There is nothing to do for this request."
        )
    from vitron_agent.graphs.policy import turn_warnings
    from vitron_agent.graphs.step_phrases import feeds_a_segment, phrases

    done_words, todo_words = phrases(plan, records, past=True), phrases(plan, records, past=False)
    texts, done, failed, skipped = [], [], [], []
    selecting_only = True
    for step in plan.steps:
        rec = records.get(step.id)
        if rec is None or (rec["status"] not in ("ok", "error") and rec.get("error_kind") != "held"):
            skipped.append(todo_words[step.id])
        elif rec["status"] == "ok":
            text = _text_of(rec)
            if text:
                texts.append(str(text))
            elif (empty := traits(step.tool).said_empty) is not None:
                texts.append(empty)
            elif not feeds_a_segment(plan, step):  # "found the cat" is said as "selected the cat"
                done.append(_as_taken(done_words[step.id], rec))
                selecting_only = selecting_only and traits(step.tool).role == SELECTS
        elif rec["status"] == "error":
            failed.append(f"I could not {todo_words[step.id]}: {_sentence(str(rec['error']))}")
    warnings = turn_warnings(plan, records)  # what had to be assumed comes first
    parts = warnings + ([plan.answer] if plan.answer else [])  # then the planner's own words
    if done and not (texts and selecting_only):  # a question's answer needs no "I selected the bike." first
        parts.append(f"I {_joined(done)}.")
    parts += texts + failed
    if skipped:
        them = "it" if len(skipped) == 1 else "them"
        parts.append(f"I did not {_joined(skipped)}, because a step before {them} did not complete.")
    parts.extend(n for n in plan.notes if n not in warnings)
    return "\n".join(dict.fromkeys(parts))


def _as_taken(phrase: str, record: dict[str, Any]) -> str:
    """A selection made on an assumption is said as what was taken: "took the most prominent object as
    the circuit board", not "selected the circuit board" right after "I can't recognise 'circuit board'"
    (a red chip read as a red board)."""
    from vitron_agent.graphs.policy import _assumed

    found = _assumed(record)
    if found is None or found[0] == "cannot tell" or not phrase.startswith("selected "):
        return phrase
    import re

    did = re.sub(r"\s*\([^()]*\)", "", found[2])  # the model's name in brackets is for the warning, not here
    return f"{did} as {phrase[len('selected ') :]}"


def answer_details(plan: Plan, records: dict[str, dict[str, Any]]) -> str:
    """The technical account the plain answer leaves out (``--verbose``): each step's id, tool,
    arguments, status, what it made (sizes, areas, which model or heuristic) and time."""
    lines = ["Steps:"]
    for step in plan.steps:
        rec = records.get(step.id) or {}
        args = ", ".join(f"{k}={v!r}" for k, v in step.args.items() if not str(v).startswith("$input"))
        status = rec.get("status", "not run")
        what = summarise_outputs({"tool": step.tool, **rec}) if status == "ok" else str(rec.get("error") or "")
        took = f" ({rec['seconds']:.2f} s)" if isinstance(rec.get("seconds"), (int, float)) else ""
        lines.append(f"  {step.id} {step.tool}({args}): {status}" + (f", {what}" if what else "") + took)
        for name, out in (rec.get("outputs") or {}).items():  # how it was found: method, details ...
            said = name in ANSWER_OUTPUTS or (name == METHOD_OUTPUT and " by " in f" {what}")
            if out.get("kind") == "text" and out.get("value") and not said:
                lines.append(f"    {name}: {str(out['value'])[:300]}")
    return "\n".join(lines)


def next_turn_inputs(
    plan: Plan, records: dict[str, dict[str, Any]], inputs: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The latest image, mask, box, text ... of this turn (falling back to the earlier
    ``last`` and this turn's inputs), which the next turn sees as ``$last.<kind>``."""
    last: dict[str, Any] = dict(inputs.get("last", {}))
    for name in ("image", "video"):
        if name in inputs.get("input", {}):
            last[name] = inputs["input"][name]
            last["_medium"] = name  # what a follow-up turn without new media works on
    for step in plan.steps:
        rec = records.get(step.id)
        if not rec or rec["status"] != "ok":
            continue
        for out in rec["outputs"].values():
            if out["kind"] in ("image", "mask", "video", "track", "feature", "box", "text"):
                last[out["kind"]] = out["value"]
                if out["kind"] in ("image", "video"):
                    last["_medium"] = out["kind"]
    return last
