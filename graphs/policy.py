"""Right, or honest: what a turn had to assume, and the destructive-edit policy.

* A step that had to *assume* -- a named target its backend cannot recognise, so it took the
  most prominent object; a word read as a nearby one -- says so in its ``method`` output.
  :func:`turn_warnings` turns those into the turn's ``warnings`` (the JSON contract's
  ``warnings``, the answer's first sentences, the report's amber box).
* **Destructive edits on an assumed target are held back.** The operations a tool declares
  ``destructive`` (:class:`~vitron_agent.toolkit.registry.Traits`: the edit tools' remove, keep only, cut
  out, replace) change or erase content that cannot be got back from the result; when their mask
  comes from a selecting step of this turn that could not recognise its target, the edit does not
  run: its record is ``skipped`` with ``error_kind = "held"`` and a message that
  says how to go on (mark the object with a point or a box, name "the main object", or
  configure a detector). Non-destructive edits (recolor, blur, brighten ...) run, with the
  warning. A marked region, or a foreground word ("the main object"), is never an assumption.
* **Anything on a weak guess is held, whatever it does.** A guess is weak when nothing in the picture
  singles the target out: the most prominent object taken for a name no model knows, a rough rectangle
  taken for an outline not found, or a colour's regions scattered in pieces (none holding three
  quarters) taken for one thing
  (:func:`weak_guess`). Every step that works on such a mask -- a recolour, a highlight, a colour
  question -- waits, and asks back with what was found instead (newcomer s12: "make the lens red"
  painted the whole webcam icon, "what colour is the circuit board?" answered "dark grey" from a chip,
  both only warned of).

No tool or argument is named here: which tools select or edit, which operations are destructive,
which arguments name the target, mark a region or carry the mask all come from the tools' own
declarations (:func:`vitron_agent.toolkit.registry.traits`), so a new tool is held by the same rules.
"""

from __future__ import annotations

from typing import Any

from vitron_agent.toolkit.plan import Plan, parse_ref
from vitron_agent.toolkit.registry import EDITS, MASK_KINDS, SELECTS, traits
from vitron_agent.toolkit.tool import METHOD_OUTPUT

__all__ = ["assumption", "hold_reason", "turn_warnings", "tiny_mask", "weak_guess"]

ASSUMED = "cannot recognise"


def assumption(record: dict[str, Any]) -> tuple[str, str] | None:
    """(the target a finished step could not recognise, what it did instead), or None. Read
    from the step's ``method``: "...; it cannot recognise 'the flag' by name, so it took the
    most prominent object; ..." or "...; it found no car, so it took the red regions"."""
    found = _assumed(record)
    return None if found is None else (found[1], found[2])


def _assumed(record: dict[str, Any]) -> tuple[str, str, str] | None:
    """(how: "cannot recognise" | "found no" | "cannot tell", target, what it did instead), or None."""
    import re

    if record.get("status") != "ok":
        return None
    method = str(record.get("outputs", {}).get(METHOD_OUTPUT, {}).get("value") or "")
    m = re.search(r"(cannot recognise|found no|cannot tell) (.+?)(?: by name)?, so it ([^;]+)", method)
    if not m:
        return None
    named = record.get("args", {}).get(traits(str(record.get("tool") or "")).target)
    target = m.group(2).strip().strip("'\"") or str(named or "the target")
    did, depth = m.group(3), 0
    for i, ch in enumerate(did):  # a note in brackets ends at its own closing bracket
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            did = did[:i]
            break
    return m.group(1), target, did.strip().rstrip(".")


WEAK_TAKES = ("most prominent object", "rough rectangle")  # what a step took with nothing of the name behind it


def weak_guess(record: dict[str, Any]) -> str | None:
    """What a finished selecting step took on a weak guess ("the most prominent object", "a rough rectangle",
    "the red regions, scattered in 6 pieces"), else None. Weak: nothing in the picture singles the target out --
    no model named it and the step took the most prominent object or a rectangle, or it took a colour's
    regions and they lie scattered (no piece holds three quarters of them) while the target names one thing
    ("the red box": the bike's red stripes and half the box)."""
    import re

    found = _assumed(record)
    if found is None:
        return None
    _, target, did = found
    took = did.removeprefix("took ")
    if any(w in did for w in WEAK_TAKES):
        return took
    method = str(record.get("outputs", {}).get(METHOD_OUTPUT, {}).get("value") or "")
    pieces = re.search(r"\bscattered in (\d+) pieces\b", method)
    one_thing = not re.search(r"(?<!s)s\b\W*$|\b(?:all|every)\b", target.lower())
    if pieces and int(pieces.group(1)) >= 2 and one_thing:
        return f"{took}, scattered in {pieces.group(1)} pieces"
    return None


def _said(how: str, target: str) -> str:
    if how == "cannot tell":  # "which of the 2 people is the older man"
        return f"I can't tell {target}"
    return f"I found no {target} in the image" if how == "found no" else f"I can't recognise {target!r} by name"


TINY = 0.005  # a named target's mask under this share of the image is suspect
SMALL_BY_NATURE = (
    "eye",
    "mouth",
    "nose",
    "ear",
    "lip",
    "ball",
    "phone",
    "remote",
    "mouse",
    "ring",
    "button",
    "coin",
    "star",
    "dot",
    "spot",
    "logo",
    "sign",
    "light",
    "bird",
    "insect",
    "bee",
    "fly",
    "key",
    "pen",
    "badge",
    "patch",
    "text",
    "letter",
    "word",
    "number",
    "plate",
    "tie",
    "watch",
    "earring",
)


def tiny_mask(record: dict[str, Any]) -> tuple[str, float] | None:
    """(target, share) when a finished selecting step (a tool declared ``role="select"``) found a
    named target in a mask or track under 0.5 % of the image (and the target is not small by
    nature, and no region was marked by hand), else None."""
    if record.get("status") != "ok":
        return None
    declared = traits(str(record.get("tool") or ""))
    if declared.role != SELECTS:
        return None
    args = record.get("args", {})
    target = str(args.get(declared.target) or "")
    if not target or any(args.get(k) for k in declared.regions):
        return None
    if any(w in target.lower() for w in SMALL_BY_NATURE):
        return None
    if _recognised_surely(record):  # a kite the detector found at 0.76 is that small: not suspect
        return None
    area = _mask_area(record)
    return (target, area) if area is not None and area < TINY else None


def _mask_area(record: dict[str, Any] | None) -> float | None:
    """The share of the picture the first mask or track among a step record's outputs covers (its
    ``area``), or None when it has none."""
    outs = (record or {}).get("outputs", {}).values()
    area = next((o.get("value", {}).get("area") for o in outs if o.get("kind") in MASK_KINDS), None)
    return None if area is None else float(area)


def _recognised_surely(record: dict[str, Any]) -> bool:
    """Whether the step's method says a model recognised its target at 0.5 or more ("SSD-MobileNetV2
    recognised kite 0.76"), with nothing in it unsure."""
    import re

    method = str(record.get("outputs", {}).get(METHOD_OUTPUT, {}).get("value") or "")
    m = re.search(r"\b(?:recognised|named) [A-Za-z' -]+? (\d\.\d+)", method)
    return bool(m) and float(m.group(1)) >= 0.5 and "unsure" not in method and _assumed(record) is None


def hold_reason(step: dict[str, Any], records: dict[str, dict[str, Any]]) -> str | None:
    """Why ``step`` (a plan step, references unresolved) must not run, or None. Only steps of tools
    declared ``role="edit"`` are held: any of them on a suspiciously tiny mask of a named target,
    and a ``destructive`` operation on a mask or track that was an assumption."""
    declared = traits(str(step.get("tool") or ""))
    args = step.get("args", {})
    sources = [ref for name in declared.masks if (ref := parse_ref(args.get(name)))]
    if (weak := _on_weak_guess(sources, records)) is not None:
        return weak
    if declared.role != EDITS:
        return None
    for ref in sources:  # any edit on a suspiciously tiny mask of a named target waits
        if ref[0] in records and (tiny := tiny_mask(records[ref[0]])) is not None:
            return (
                f"held back: the mask of {tiny[0]!r} covers only {100 * tiny[1]:.2f}% of the picture, which is "
                "probably not it. Mark it with a point or a box (--point X,Y / --box X1,Y1,X2,Y2, or a click in "
                "the UI)"
            )
    words = declared.destructive.get(str(args.get(declared.operation)))
    if words is None:
        return None
    for ref in sources:
        if ref[0] in ("input", "last") or ref[0] not in records:
            continue
        found = _assumed(records[ref[0]])
        if found is not None:
            how, target, did = found
            took = did.removeprefix("took ")
            return (
                f"held back: {_said(how, target)}, and to {words} what I found instead ({took}) could "
                f"destroy the wrong thing. Mark it with a point or a box (--point X,Y / --box X1,Y1,X2,Y2, or a "
                f'click in the UI), say "the main object", or configure [tools.ground]'
            )
    return None


def _on_weak_guess(sources: list[tuple[str, str]], records: dict[str, dict[str, Any]]) -> str | None:
    """The hold message for a step whose mask or track comes from a selecting step of this turn that took
    a weak guess (:func:`weak_guess`), else None: says what was not found and what was found instead."""
    for ref in sources:
        if ref[0] in ("input", "last") or ref[0] not in records:
            continue
        rec = records[ref[0]]
        if (took := weak_guess(rec)) is None:
            continue
        how, target, _ = _assumed(rec) or ("cannot recognise", "the target", "")
        area = _mask_area(rec)
        share = f", {100 * area:.0f}% of the picture" if area is not None else ""
        return (
            f"held back: {_said(how, target)}, and what I found instead ({took}{share}) is only a guess, so "
            "neither a change nor an answer on it would be about what you asked. Mark it with a point or a box "
            '(--point X,Y / --box X1,Y1,X2,Y2, or a click in the UI), say "the main object", or configure '
            "[tools.ground]"
        )
    return None


def _by_heuristic(record: dict[str, Any]) -> str | None:
    """The stuff (sky, water, grass, trees, ground, clouds ...) a finished step selected by the stuff
    heuristic (its method says "stuff heuristic for <kind>"), else None: no model names those, and a
    newcomer's sky, water and leaves masks came out partial or on the wrong thing in 6 of 8 fresh
    cases, said done without a word."""
    import re

    if record.get("status") != "ok":
        return None
    method = str(record.get("outputs", {}).get(METHOD_OUTPUT, {}).get("value") or "")
    m = re.match(r"stuff heuristic for ([a-z ]+?):", method)
    return m.group(1) if m else None


def _how_sure(record: dict[str, Any]) -> str:
    """' How sure: low (it blends into what is round it: 8 Lab units).' from the stuff heuristic's
    method ("how sure: <level> (<why>)", vitron_agent.perception.stuff_sure), else ''."""
    import re

    method = str(record.get("outputs", {}).get(METHOD_OUTPUT, {}).get("value") or "")
    m = re.search(r"how sure: (high|fair|low) \(([^)]*)\)", method)
    return f" How sure: {m.group(1)} ({m.group(2)})." if m else ""


def _by_layout(record: dict[str, Any]) -> str | None:
    """The person's part (shirt, trousers, hair ...) a finished step placed by the body's pose (its method
    says "body layout for <part>:"), else None: no model here knows clothes, so the edges are a guess."""
    import re

    if record.get("status") != "ok":
        return None
    method = str(record.get("outputs", {}).get(METHOD_OUTPUT, {}).get("value") or "")
    m = re.search(r"body layout for ([a-z -]+?):", method)
    return m.group(1) if m else None


LARGE_FILL = 0.12  # a removal over this share of the picture is filled mostly by invention


def large_fill(step: Any, records: dict[str, dict[str, Any]]) -> float | None:
    """The share of the picture a finished ``remove`` filled, when it is over LARGE_FILL, else None ("erase
    the grass": a third of the picture smeared into streaks by the inpainting, said done)."""
    rec, declared = records.get(step.id) or {}, traits(step.tool)
    if (
        declared.role != EDITS
        or step.args.get(declared.operation or "operation") != "remove"
        or rec.get("status") != "ok"
    ):
        return None
    ref = next((r for r in (parse_ref(step.args.get(m)) for m in declared.masks) if r), None)
    area = _mask_area(records.get(ref[0]) if ref else None)
    return area if area is not None and area > LARGE_FILL else None


def turn_warnings(plan: Plan, records: dict[str, dict[str, Any]]) -> list[str]:
    """What the turn assumed or held back, each in a sentence that leads with what happened."""
    from vitron_agent.graphs.step_phrases import phrases

    out: list[str] = []
    todo: dict[str, str] | None = None  # "make it purple": the answer names no step ids (phrased when needed)
    for step in plan.steps:
        rec = records.get(step.id)
        if rec is None:
            continue
        found = _assumed(rec)
        if found is not None:
            how, target, did = found
            out.append(f"{_said(how, target)}, so I {did} — give a point or a box, or configure [tools.ground].")
        elif (kind := _by_heuristic(rec)) is not None:
            out.append(
                f"I found the {kind} by colour, texture and place (no model here knows the {kind} by name), so the "
                "selection may hold only part of it, or something next to it: check the result, and give a "
                "point or a box if it is wrong." + _how_sure(rec)
            )
        elif (part := _by_layout(rec)) is not None:
            out.append(
                f"I placed the {part} by the person's pose (no model here knows clothes or hair by name): the "
                "selection follows the body's joints and the colour, so its edges may be off; check the result, "
                "and give a box if it is wrong."
            )
        if (share := large_fill(step, records)) is not None:
            out.append(
                f"What I removed covers {100 * share:.0f}% of the picture: a fill that large is mostly made up (the "
                "classical inpainting smears its surroundings into it; a generative one invents it), so check the "
                "result; blurring it or replacing the background may suit better."
            )
        if (tiny := tiny_mask({**rec, "tool": step.tool, "args": step.args})) is not None:
            out.append(
                f"The mask of {tiny[0]!r} covers only {100 * tiny[1]:.2f}% of the picture: it is "
                "probably not what you meant; give a point or a box."
            )
        if rec.get("error_kind") == "held":
            todo = todo if todo is not None else phrases(plan, records, past=False)
            out.append(f"I did not {todo[step.id]}: " + str(rec.get("error", "")).removeprefix("held back: ") + ".")
    for note in plan.notes:
        if note.startswith(("I did not understand", "I read ")):
            out.append(note)
    # a part of the request refused (the rule planner's PART_REFUSED) leads: the answer must never
    # read as if it was done
    return [n for n in plan.notes if n.startswith("I did not do ")] + out
