"""What a step did, in words a person reads: "selected the cat", "made it purple", "rotated the
picture 90° clockwise". The answer's first line joins these phrases (graphs/respond.py); step ids,
tool names and model names stay out of them (they go to ``--verbose``, the report and ``--json``).

``done(step, ...)`` is the past-tense phrase ("made it purple"); ``todo(step, ...)`` the bare one
("make it purple") for "I could not …" and "I did not …".
"""

from __future__ import annotations

from typing import Any

from vitron_agent.toolkit.plan import Plan, Step

__all__ = ["phrases", "target_words", "feeds_a_segment"]

# operation -> (done, todo); {it} is what the mask selects ("it", "everything except the cat",
# "the picture"), {colour} the colour, {prompt} the prompt
EDIT_WORDS: dict[str, tuple[str, str]] = {
    "recolor": ("made {it} {colour}", "make {it} {colour}"),
    "remove": ("removed {it}", "remove {it}"),
    "blur": ("blurred {it}", "blur {it}"),
    "pixelate": ("pixelated {it}", "pixelate {it}"),
    "blur_background": ("blurred the background", "blur the background"),
    "replace_background": ("made the background {colour}", "make the background {colour}"),
    "keep_only": ("kept only {it}, on {colour}", "keep only {it}"),
    "grayscale": ("made {it} black and white", "make {it} black and white"),
    "brighten": ("brightened {it}", "brighten {it}"),
    "darken": ("darkened {it}", "darken {it}"),
    "contrast": ("raised the contrast of {it}", "raise the contrast of {it}"),
    "sharpen": ("sharpened {it}", "sharpen {it}"),
    "warmer": ("made {it} warmer", "make {it} warmer"),
    "cooler": ("made {it} cooler", "make {it} cooler"),
    "saturate": ("made the colours of {it} stronger", "make the colours of {it} stronger"),
    "desaturate": ("toned down the colours of {it}", "tone down the colours of {it}"),
    "denoise": ("reduced the noise in {it}", "reduce the noise in {it}"),
    "outline": ("outlined {it} in {colour}", "outline {it}"),
    "cutout": ("cut {it} out (a PNG, transparent around it)", "cut {it} out"),
    "composite": ("put the cut-out on the picture", "put the cut-out on the picture"),
    "crop": ("cropped the picture to {it}", "crop the picture"),
    "inpaint": ("replaced {it} with {prompt}", "replace {it} with {prompt}"),
    "instruct": ("edited the picture as asked ({prompt!r})", "edit the picture as asked"),
}
TOOL_WORDS: dict[str, tuple[str, str]] = {  # tools whose phrase needs no argument but the target
    "segment": ("selected {target}", "select {target}"),
    "track": ("followed {target} through the video", "follow {target} through the video"),
    "ground": ("found {target}", "find {target}"),
    "detect": ("looked for {target}", "look for {target}"),
    "generate": ("made a picture of {prompt}", "make a picture of {prompt}"),
    "generate_video": ("made a video of {prompt}", "make a video of {prompt}"),
    "animate": ("animated the picture", "animate the picture"),
    "reverse_video": ("reversed the video", "reverse the video"),
    "concat_videos": ("joined the videos", "join the videos"),
    "export_gif": ("made a GIF", "make a GIF"),
    "describe_video": ("described the video", "describe the video"),
    "read_text": ("read the text", "read the text"),
    "count": ("counted {target}", "count {target}"),
}


def target_words(value: Any) -> str:
    """A target argument as words: a string as given, a typed target (dict) by its words."""
    if isinstance(value, dict):
        return " ".join(
            str(v) if v is not True else str(k) for k, v in value.items() if v not in (None, False, "", [], {})
        )
    return str(value or "").strip()


def _named(step: Step, plan: Plan | None = None) -> str | None:
    """What a selecting step names ("the cat"), or None (a step that selects nothing by name); a
    segment prompted by a grounding step's box is named by what was grounded."""
    if step.tool not in ("segment", "track", "ground"):
        return None
    target = target_words(step.args.get("target"))
    if target:
        return target if target.lower().startswith(("the ", "a ", "an ", "my ", "this ")) else f"the {target}"
    box = step.args.get("box")
    source = _producer(plan, box) if plan is not None else None
    if source is not None and source is not step:
        return _named(source, plan)
    if box or step.args.get("point") or step.args.get("points"):
        return "the region you marked"
    return "the main object"


def feeds_a_segment(plan: Plan, step: Step) -> bool:
    """A grounding step whose box a later segment step uses (said once, as that selection)."""
    return step.tool == "ground" and any(
        _producer(plan, s.args.get("box")) is step for s in plan.steps if s.tool in ("segment", "track")
    )


def _producer(plan: Plan, ref: Any) -> Step | None:
    if not (isinstance(ref, str) and ref.startswith("$s")):
        return None
    sid = ref[1:].split(".", 1)[0]
    return next((s for s in plan.steps if s.id == sid), None)


def _it(plan: Plan, step: Step, previous: Step | None, medium: str) -> str:
    """What an edit works on, in words: "it" right after the step that selected it, else its name;
    "everything except …" outside a mask; the whole picture or video without one."""
    ref = step.args.get("mask") or step.args.get("track")
    source = _producer(plan, ref)
    if source is None:
        if isinstance(ref, str) and ref.startswith(("$last.", "$input.")):
            name = "it" if ref.startswith("$last.") else "the region you marked"
            return f"everything except {name}" if step.args.get("where") == "outside" else name
        return f"the {medium}"
    name = _named(source, plan) or "the selected region"
    if step.args.get("where") == "outside":
        return f"everything except {name}"
    return "it" if source is previous else name


def _edit_phrase(plan: Plan, step: Step, previous: Step | None, record: dict[str, Any], past: bool) -> str:
    args = step.args
    op = str(args.get("operation") or "")
    medium = "video" if step.tool == "edit_video" else "picture"
    if op == "flip":
        how = "upside down" if args.get("direction") == "vertical" else "left to right"
        return f"{'flipped' if past else 'flip'} the {medium} {how}"
    if op == "rotate":
        angle = float(args.get("angle", 90.0))
        way = "clockwise" if angle >= 0 else "counter-clockwise"
        return f"{'rotated' if past else 'rotate'} the picture {abs(angle):g}° {way}"
    if op == "resize":
        image = (record.get("outputs", {}).get("image") or {}).get("value") or {}
        size = f" to {image['width']}x{image['height']} pixels" if past and "width" in image else ""
        return f"{'resized' if past else 'resize'} the picture{size}"
    if op == "crop" and _producer(plan, args.get("mask")) is None:
        return "cropped the picture" if past else "crop the picture"
    words = EDIT_WORDS.get(op)
    if words is None:
        return f"{'applied' if past else 'apply'} {op or 'the edit'} to the {medium}"
    it = _it(plan, step, previous, medium)
    colour = str(args.get("color") or ("red" if op == "outline" else "white"))
    return words[0 if past else 1].format(it=it, colour=colour, prompt=args.get("prompt") or "something new")


def _tool_phrase(plan: Plan, step: Step, past: bool) -> str:
    args = step.args
    if step.tool == "describe":
        source = _producer(plan, args.get("mask"))
        if isinstance(args.get("image"), str) and args["image"].startswith("$s"):
            what = "the result"
        else:
            what = (_named(source, plan) if source else None) or ("it" if args.get("mask") else "the picture")
        return f"{'described' if past else 'describe'} {what}"
    if step.tool == "frame":
        if args.get("time") is not None:
            which = f"the frame at {float(args['time']):g} s"
        elif args.get("index") is not None:
            which = f"frame {args['index']}"
        else:
            which = f"the {args.get('position') or 'middle'} frame"
        return f"{'took' if past else 'take'} {which} of the video"
    if step.tool == "speed_video":
        factor = float(args.get("factor") or 1.0)
        how = f"sped the video up {factor:g}×" if factor >= 1 else f"slowed the video to {factor:g}× speed"
        return how if past else how.replace("sped", "speed").replace("slowed", "slow")
    if step.tool == "loop_video":
        return f"{'looped' if past else 'loop'} the video ({args.get('times', 2)} plays)"
    if step.tool == "trim_video":
        return "trimmed the video" if past else "trim the video"
    words = TOOL_WORDS.get(step.tool)
    if words is None:
        return f"ran {step.tool}" if past else f"run {step.tool}"
    target = _named(step, plan) or target_words(args.get("target")) or ("it" if args.get("mask") else "the picture")
    return words[0 if past else 1].format(target=target, prompt=args.get("prompt") or "what you described")


def phrases(plan: Plan, records: dict[str, dict[str, Any]], past: bool = True) -> dict[str, str]:
    """step id -> what the step did (``past``) or was to do, in words."""
    out: dict[str, str] = {}
    previous: Step | None = None
    for step in plan.steps:
        record = records.get(step.id) or {}
        if step.tool in ("edit", "edit_video"):
            out[step.id] = _edit_phrase(plan, step, previous, record, past)
        else:
            out[step.id] = _tool_phrase(plan, step, past)
        previous = step
    return out
