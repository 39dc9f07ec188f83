"""The answer of a turn, and what the next turn may call "it"."""

from __future__ import annotations

from typing import Any

from vitron_agent.plan import Plan

__all__ = ["compose_answer", "next_turn_inputs", "summarise_outputs"]


def summarise_outputs(record: dict[str, Any]) -> str:
    """'mask covering 12.5% of the image', '451x300 image' ... for the artifacts of a step
    (numbers and boxes only when a step made no artifact)."""
    parts, scalars = [], []
    for name, out in record.get("outputs", {}).items():
        kind, value = out["kind"], out["value"]
        if kind == "mask":
            parts.append(f"mask covering {100 * value.get('area', 0):.1f}% of the image")
        elif kind == "image":
            op = (record.get("args") or {}).get("operation")
            what = {"cutout": "cut-out (a PNG, transparent outside the mask)"}.get(op, "image")
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
    method = record.get("outputs", {}).get("method", {})
    if (
        method.get("kind") == "text"
        and method.get("value")
        and any(k in ("mask", "track") for k in (o["kind"] for o in record["outputs"].values()))
    ):
        parts.append(f"by {str(method['value']).split(';')[0]}")  # which model or heuristic made the mask
    return ", ".join(parts or scalars)


def compose_answer(plan: Plan, records: dict[str, dict[str, Any]], problems: list[str]) -> str:
    """A reply that leads with what the user asked for and names every failure."""
    if problems:
        listed = "\n".join(f"- {p}" for p in problems)
        return f"I could not make a valid plan for this request. Problems:\n{listed}"
    if not plan.steps:
        return (
            "\n".join([*([plan.answer] if plan.answer else []), *plan.notes])
            or "There is nothing to do for this request."
        )
    texts, done, failed, skipped = [], [], [], []
    for step in plan.steps:
        rec = records.get(step.id)
        if rec is None:
            skipped.append(step.id)
            continue
        if rec["status"] == "ok":
            text = next(
                (o["value"] for n, o in rec["outputs"].items() if n in ("text", "answer") and o["kind"] == "text"), None
            )
            if text:
                texts.append(str(text))
            elif step.tool == "read_text":
                texts.append("I found no readable text.")
            summary = summarise_outputs(rec)
            done.append(f"{step.id} {step.tool}" + (f" ({summary})" if summary else ""))
        elif rec["status"] == "error":
            failed.append(f"Step {step.id} ({step.tool}) failed: {rec['error']}")
        elif rec.get("error_kind") == "held":
            continue  # said first, among the warnings
        else:
            skipped.append(step.id)
    from vitron_agent.graphs.policy import turn_warnings

    warnings = turn_warnings(plan, records)  # what had to be assumed comes first
    parts = warnings + ([plan.answer] if plan.answer else []) + texts  # then the planner's own words
    if done:
        parts.append("Done: " + "; ".join(done) + ".")
    parts.extend(failed)
    if skipped:
        parts.append(f"Skipped {', '.join(skipped)} because a step they depend on did not complete.")
    parts.extend(n for n in plan.notes if n not in warnings)
    return "\n".join(parts)


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
