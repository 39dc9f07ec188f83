"""Parsers of planner output: Vitron's tag format and JSON plans.

Every parser returns a :class:`~vitron_agent.toolkit.plan.Plan` or raises
:class:`~vitron_agent.core.errors.PlanValidationError` whose problems say what to fix;
no other exception escapes, whatever the text.

Vitron's format (the released model's answers)::

    The dog is on the left. <module>B</module><instruction>segment: the dog</instruction>
    <region>[12, 30, 200, 180]</region>

and the long-name variant ``<Module> Image Segmentation </Module>``,
``<Instruction> ... </Instruction>``, ``<Region> (x1, y1, x2, y2) </Region>``.
Modules: A image generation, B image segmentation, C image editing / inpainting,
D text -> video, E video segmentation / tracking, F video editing (foreground /
background instructions), G image -> video. Each module opens a group; the
instructions and regions after it belong to it. Prose outside the tags is the answer;
other tags (``<SP>None</SP>``, ``</s>``) are dropped from it.

Regions (see :func:`read_region`): XYXY or XYWH, in image pixels, 0-1 fractions, percent, or
the 224 x 224 frame of Vitron's region encoder; converted to XYXY image pixels and clipped to
the image (with a note that says so). As in Vitron's demo, the user's own box / scribble /
point reaches the segmentation (B, E) and inpainting (C) steps when the answer names no region.
"""

from __future__ import annotations

import json
import re
from typing import Any

from vitron_agent.core.errors import PlanValidationError
from vitron_agent.planners.extract import sub_tag_pairs
from vitron_agent.planners.vitron_regions import REGION_LAYOUTS, REGION_UNITS, read_region
from vitron_agent.toolkit.plan import Plan, Step

__all__ = [
    "parse_vitron_output",
    "parse_json_plan",
    "MODULES",
    "MODULE_TOOLS",
    "extract_json_object",
    "read_region",
    "request_context",
    "REGION_LAYOUTS",
    "REGION_UNITS",
]

MODULES = {
    "A": "image generation",
    "B": "image segmentation",
    "C": "image editing",
    "D": "text to video",
    "E": "video segmentation",
    "F": "video editing",
    "G": "image to video",
}
# module -> the tool that serves it
MODULE_TOOLS = {
    "A": "generate",
    "B": "segment",
    "C": "edit",
    "D": "generate_video",
    "E": "track",
    "F": "edit_video",
    "G": "animate",
}
_LONG_NAMES = {
    "image generation": "A",
    "text to image": "A",
    "image segmentation": "B",
    "segmentation": "B",
    "image editing": "C",
    "image inpainting": "C",
    "inpainting": "C",
    "editing": "C",
    "video generation": "D",
    "text to video": "D",
    "video segmentation": "E",
    "video tracking": "E",
    "tracking": "E",
    "video editing": "F",
    "image to video": "G",
    "image animation": "G",
    # spellings seen in vision-LLM outputs: 2 for "to", singular / other task names
    "text image": "A",
    "image synthesis": "A",
    "referring segmentation": "B",
    "image edit": "C",
    "text video": "D",
    "video synthesis": "D",
    "video object segmentation": "E",
    "object tracking": "E",
    "video edit": "F",
    "image video": "G",
    "img to video": "G",
}
# possessive (\s*+): the spaces after '<' are read once, never re-split ("<" + 8,000 spaces took 1.1 s)
_TAG = re.compile(r"<\s*+(/?)\s*+(module|instruction|region)\s*+>", re.I)
# an opening and a closing tag of any name; a pair is removed by extract.sub_tag_pairs (linear time)
_OTHER_OPEN = re.compile(r"<\s*+([A-Za-z_][\w-]{0,20})\s*+>")
_OTHER_CLOSE = re.compile(r"<\s*+/\s*+([A-Za-z_][\w-]{0,20})\s*+>")
_OTHER_TAG = re.compile(r"</?\s*[A-Za-z_][\w-]{0,20}\s*/?>")
# linear: the lazy target ends only where a run of spaces starts ((?<!\s)), and runs of spaces are
# read possessively (\s++); "replace a" + 8,000 spaces took 1.3 s with plain \s+ (quadratic)
_REPLACE = re.compile(
    r"^\s*+(?:replace|swap|change|turn|transform)\s++(.+?)(?<!\s)\s++(?:with|for|into|to)\s++(.+)$", re.I
)
_KEEP = {"keep", "none", "unchanged", "no change", "nothing", "same", "keep it", "keep unchanged", "n/a", "-"}
MAX_TEXT = 20_000


def _module_letter(raw: str) -> str | None:
    text = re.sub(r"[^a-z ]", " ", raw.lower()).strip()
    text = re.sub(r"\s+", " ", text)
    if len(text) == 1 and text.upper() in MODULES:
        return text.upper()
    text = re.sub(r"^(?:the )?(?:module )?|(?: module| task)$", "", text).strip()
    m = re.fullmatch(r"([a-g])(?: (.*))?", text)
    if m and (m.group(2) is None or _LONG_NAMES.get(m.group(2)) in (None, m.group(1).upper())):
        return m.group(1).upper()
    return _LONG_NAMES.get(text)


def _tags(text: str) -> tuple[list[tuple[str, str]], list[str], str]:
    """(tag name, content) pairs in order, problems with the tag structure, and the prose."""
    pairs, problems, prose = [], [], []
    pos, open_tag, open_at = 0, None, 0
    for m in _TAG.finditer(text):
        closing, name = bool(m.group(1)), m.group(2).lower()
        if not closing:
            if open_tag is not None:
                problems.append(f"<{open_tag}> is not closed before <{name}>; write <{open_tag}>...</{open_tag}>")
            else:
                prose.append(text[pos : m.start()])
            open_tag, open_at = name, m.end()
        else:
            if open_tag != name:
                problems.append(f"</{name}> has no matching <{name}>")
                pos = m.end()
                continue
            pairs.append((name, text[open_at : m.start()].strip()))
            open_tag = None
        pos = m.end()
    if open_tag is not None:
        rest = text[open_at:].strip()
        if open_tag in ("instruction", "module") and rest and "<" not in rest:
            pairs.append((open_tag, rest))  # cut off at the end (max_new_tokens): keep what came
            pairs.append(("truncated", open_tag))
        else:
            problems.append(f"<{open_tag}> is never closed; write <{open_tag}>...</{open_tag}>")
    else:
        prose.append(text[pos:])
    answer = _OTHER_TAG.sub(" ", sub_tag_pairs(" ".join(prose), _OTHER_OPEN, _OTHER_CLOSE, lambda name, inner: " "))
    answer = re.sub(r"<\s*/?\s*[\w-]*\s*$", " ", answer)  # a tag cut off at the very end
    answer = re.sub(r"\s+", " ", answer).strip()
    return pairs, problems, answer


def parse_vitron_output(
    text: str,
    toolbox: Any,
    image: str | None = "$input.image",
    features: dict[str, list[dict[str, Any]]] | None = None,
    start: int = 1,
    video: str | None = None,
    size: tuple[int, int] | None = None,
    region_layout: str = "auto",
    region_units: str = "auto",
    model_frame: int | None = None,
    user_region: dict[str, Any] | None = None,
) -> Plan:
    """A plan from a Vitron-format answer (see module docstring).

    Args:
        image: the reference image steps work on (None when the request has none).
        video: the reference video modules E and F work on (None when the request has none).
        features: continuous embeddings the model emitted: ``{"seg": [FeatureRef dict, ...],
            "gen": [...]}`` in order of appearance; the i-th segmentation / generation module
            takes the i-th one as ``prompt_embedding`` / ``prompt_embeds`` (a ``{tool: ref}`` dict
            picks the projection sized for the tool that takes it).
        start: number of the first step id (``s{start}``), for continuations.
        size: (width, height) of the image / video frames, to place and clip regions.
        region_layout, region_units, model_frame: how regions are read (:func:`read_region`).
        user_region: the request's own region as step arguments (``{"box": "$input.box"}``,
            ``{"scribble": ...}``, ``{"point": ...}``), used where the answer names none.
    """
    if not isinstance(text, str):
        raise PlanValidationError([f"the planner output is {type(text).__name__}, not text"])
    from vitron_agent.planners.extract import split_reasoning

    text, reasoning = split_reasoning(text[:MAX_TEXT])
    pairs, problems, answer = _tags(text)
    groups, notes = _module_groups(pairs, problems, (size, region_layout, region_units, model_frame))
    if problems:
        raise PlanValidationError(problems)
    if not groups:
        if not answer:
            raise PlanValidationError(
                [
                    "the reply was empty; answer in text, or call a module with "
                    "<module>X</module><instruction>task: target</instruction>"
                ]
            )
        return Plan(answer=answer, reasoning=reasoning[:4000] or None, notes=notes)
    plan = _groups_to_plan(
        groups,
        answer,
        toolbox,
        {"image": image, "video": video, "user": dict(user_region or {})},
        features or {},
        start,
    )
    plan.notes[:0] = notes
    plan.reasoning = reasoning[:4000] or None
    return plan


def _module_groups(
    pairs: list[tuple[str, str]], problems: list[str], reading: tuple[Any, str, str, int | None]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The answer's tags gathered per ``<module>``: ``[{"letter", "instructions": [(task, body)],
    "regions": [...]}]``, and notes on what was read loosely. What cannot be read is appended to
    ``problems``. ``reading`` is ``(size, region_layout, region_units, model_frame)`` for
    :func:`read_region`."""
    groups: list[dict[str, Any]] = []
    notes: list[str] = []
    for name, content in pairs:
        if name == "truncated":
            notes.append(f"the answer was cut off inside <{content}>; I used what came before the cut")
            continue
        if name == "module":
            letter = _module_letter(content)
            if letter is None:
                problems.append(
                    f"unknown module {content[:40]!r}; modules are A-G: "
                    + ", ".join(f"{k} {v}" for k, v in MODULES.items())
                )
            groups.append({"letter": letter, "instructions": [], "regions": []})
        elif not groups:
            problems.append(f"<{name}> comes before any <module>; put <module>X</module> first")
        elif name == "instruction":
            task, sep, body = content.partition(":")  # "task: body"; a colon inside the body stays
            groups[-1]["instructions"].append((task.strip(), body.strip()) if sep else ("", content.strip()))
        else:
            region, said = read_region(content, *reading)
            notes += said
            if region is not None:
                groups[-1]["regions"].append(region)
    return groups, notes


def request_context(request: Any) -> dict[str, Any]:
    """What parse_vitron_output needs from a PlanRequest: the image / video references, the
    picture size (for regions; read from the session store) and the user's own region."""
    from vitron_agent.core.refs import ref_from_dict

    kinds = request.inputs.get("input", {})
    given = request.values.get("input", {})
    size = None
    store = getattr(request, "store", None)
    try:
        if store is not None and given.get("image") is not None:
            h, w = store.get_image(ref_from_dict(given["image"])).shape[:2]
            size = (w, h)
        elif store is not None and given.get("video") is not None:
            h, w = store.get_video(ref_from_dict(given["video"])).frame(0).shape[:2]
            size = (w, h)
    except Exception:  # noqa: BLE001 -- a size is a nicety for clipping; planning goes on without it
        size = None
    size = size or getattr(request, "size", None)  # plan-only: read from the file's header
    return {
        "image": "$input.image" if "image" in kinds else None,
        "video": "$input.video" if "video" in kinds else None,
        "size": size,
        "user_region": {k: f"$input.{k}" for k in ("box", "point", "scribble") if k in kinds},
    }


def _feature(feats: list[Any], tool: str) -> Any:
    """The next continuous feature for ``tool``: a FeatureRef dict, or the one sized for ``tool``
    when the planner projected it per tool (``{tool: ref}``)."""
    if not feats:
        return None
    f = feats.pop(0)
    if isinstance(f, dict) and "kind" not in f and "id" not in f:
        return f.get(tool)
    return f


def _groups_to_plan(groups, answer, toolbox, media, features, start) -> Plan:
    steps: list[Step] = []
    notes: list[str] = []
    seg_feats, gen_feats = list(features.get("seg", [])), list(features.get("gen", []))
    image, mask = media["image"], None
    user = media["user"]

    def add(tool: str, **args: Any) -> str:
        sid = f"s{len(steps) + start}"
        steps.append(Step(id=sid, tool=tool, args={k: v for k, v in args.items() if v is not None}))
        return sid

    def region_args(box: dict[str, Any] | None) -> dict[str, Any]:
        """The answer's box, else the user's own region (Vitron hands its sketch pad to SEEM / GLIGEN)."""
        if box is not None:
            return {box["type"]: box}
        return {k: v for k, v in user.items() if k in ("box", "point", "scribble")}

    for g in groups:
        letter = g["letter"]
        tool = MODULE_TOOLS[letter]
        bodies = [body for task, body in g["instructions"] if body]
        text = " ".join(bodies).strip()
        box = g["regions"][0] if g["regions"] else None
        if len(g["regions"]) > 1:
            notes.append(f"I read only the first of the {len(g['regions'])} regions of module {letter}.")
        if tool not in toolbox and letter != "C":
            notes.append(
                f"module {letter} ({MODULES[letter]}) needs the {tool!r} tool, which is not configured; "
                f"skipped {text[:80]!r}"
            )
            continue
        if not g["instructions"] and letter in "ABCDG":
            notes.append(f"module {letter} ({MODULES[letter]}) came without an <instruction>; nothing ran for it")
            continue
        if letter == "A":
            sid = add("generate", prompt=text or None, prompt_embeds=_feature(gen_feats, "generate"))
            image, mask = f"${sid}.image", None
        elif letter in "DEFG":
            _video_module(letter, g, text, box, toolbox, media, image, add, notes, gen_feats, seg_feats)
        elif image is None:
            notes.append(f"module {letter} ({MODULES[letter]}) needs an image; skipped {text[:80]!r}")
        elif letter == "B":
            where = region_args(box)
            targets = [t.strip() for b in bodies for t in b.split(";") if t.strip()] or [None]
            if where and len(targets) > 1:
                targets = [" ".join(t for t in targets if t)]  # one region: one object
            for t in targets:  # several instructions or ";": one segmentation each
                sid = add(
                    "segment",
                    image=image,
                    target=t[:200] if t else None,
                    **where,
                    prompt_embedding=_feature(seg_feats, "segment"),
                )
                mask = f"${sid}.mask"
        elif letter == "C":
            image, mask = _inpaint_module(text, box, image, mask, toolbox, add, notes, region_args)
    return Plan(steps=steps, answer=answer or None, notes=notes)


def _inpaint_module(text, box, image, mask, toolbox, add, notes, region_args):
    """Module C as Vitron runs it: inpaint a mask -- the answer's region, else the mask of an
    earlier B in this answer, else the user's region, else the instruction's targets
    (``;``-separated) segmented."""
    if "edit" not in toolbox or not toolbox.supports("edit", "inpaint"):
        notes.append(
            "module C (image editing) inpaints a mask with a generative editor: set [tools.edit] backend = "
            f'"diffusers" in vitron.toml; skipped {text[:80]!r}'
        )
        return image, mask
    if "segment" not in toolbox:
        notes.append(f"module C needs the 'segment' tool to find where to paint; skipped {text[:80]!r}")
        return image, mask
    where = region_args(box)
    swap = _REPLACE.search(text)
    if swap and not where and mask is None:  # "replace the train with a passenger train": find X, paint Y
        found = f"${add('segment', image=image, target=swap.group(1).strip()[:200])}.mask"
        image = f"${add('edit', image=image, operation='inpaint', mask=found, prompt=swap.group(2).strip())}.image"
        return image, found
    targets = [t.strip() for t in text.split(";") if t.strip()] or [text]
    if mask is not None and box is None:  # the mask of this answer's B (which already used the user's region)
        masks = [(mask, text)]
    elif where:
        mask = f"${add('segment', image=image, **where)}.mask"
        masks = [(mask, text)]
    else:
        masks = []
        for t in targets:
            masks.append((f"${add('segment', image=image, target=t[:200])}.mask", t))
        notes.append(
            f"I read module C's instruction {text[:80]!r} as what to find and repaint (Vitron segments the "
            "instruction text); mark a box or scribble to say where"
        )
        if len(targets) > 1:
            notes.append(
                "Vitron merges the masks of ';'-separated targets into one inpainting; here each target "
                "is inpainted in turn"
            )
    for m, t in masks:
        image = f"${add('edit', image=image, operation='inpaint', mask=m, prompt=(t or text) or None)}.image"
    return image, masks[-1][0] if masks else mask


_CV_VIDEO_EDITS = [
    (re.compile(p, re.I), op)
    for p, op in [
        (r"\b(?:gr[ae]y ?scale|black and white|monochrome)\b", "grayscale"),
        (r"\bblur", "blur"),
        (r"\b(?:remove|erase|delete)\b", "remove"),
        (r"\b(?:brighten|brighter|lighter)\b", "brighten"),
        (r"\b(?:darken|darker)\b", "darken"),
    ]
]


def _video_module(letter, group, text, box, toolbox, media, image, add, notes, gen_feats, seg_feats) -> None:
    """Steps for the video modules: D text->video (the next [GEN] embedding as prompt_embeds), E tracking
    (the next [SEG] embedding as prompt_embedding, when the track tool takes one), F fore/background
    editing, G image->video. ``media["video"]`` / ``media["track"]`` carry the current video and track."""
    from vitron_agent.perception.colors import COLORS

    video = media.get("video")
    if letter == "D":
        embeds = (
            _feature(gen_feats, "generate_video")
            if "prompt_embeds" in toolbox.get("generate_video").Input.model_fields
            else None
        )
        media["video"], media["track"] = (
            f"${add('generate_video', prompt=text or None, prompt_embeds=embeds)}.video",
            None,
        )
        return
    if letter == "G":
        if image is None:
            notes.append(f"module G (image to video) needs an image; skipped {text[:80]!r}")
            return
        media["video"], media["track"] = f"${add('animate', image=image, prompt=text or None)}.video", None
        return
    if video is None:
        notes.append(f"module {letter} ({MODULES[letter]}) needs a video; skipped {text[:80]!r}")
        return
    if letter == "E":
        embedding = (
            _feature(seg_feats, "track") if "prompt_embedding" in toolbox.get("track").Input.model_fields else None
        )
        where = (
            {box["type"]: box} if box is not None else {k: v for k, v in media["user"].items() if k in ("box", "point")}
        )
        media["track"] = (
            f"${add('track', video=video, target=text[:200] or None, **where, prompt_embedding=embedding)}.track"
        )
        return
    if box is None and "box" in media["user"]:
        box = media["user"]["box"]
    for task, body in group["instructions"] or [("", "")]:
        if body.strip().lower().strip(".") in _KEEP:
            notes.append(f"module F: {task or 'instruction'} {body!r} means leave it as it is; nothing ran for it")
            continue
        where = "outside" if task.lower().startswith("back") else "inside"
        args: dict[str, Any] = {"video": video, "where": where}
        if toolbox.supports("edit_video", "inpaint"):
            args.update(operation="inpaint", prompt=body or None)
        elif (
            toolbox.supports("edit_video", "instruct")
            and where == "inside"
            and media.get("track") is None
            and box is None
        ):
            args.update(operation="instruct", prompt=body or None, where=None)
        else:
            color = next((w for w in re.findall(r"[a-z]+", body.lower()) if w in COLORS), None)
            op = "recolor" if color else next((o for pat, o in _CV_VIDEO_EDITS if pat.search(body)), None)
            if op is None:
                notes.append(
                    f"module F instruction {body[:80]!r} needs a generative video editor: set "
                    '[tools.edit_video] backend = "diffusers" in vitron.toml; skipped it'
                )
                continue
            args.update(operation=op, color=color)
        if args.get("where") is not None and media.get("track") is None:
            target = None if box is not None else "the main object"
            region = {} if box is None else {"box": box} if isinstance(box, str) else {box["type"]: box}
            media["track"] = f"${add('track', video=video, target=target, **region)}.track"
        if args.get("where") is not None:
            args["track"] = media["track"]
        video = media["video"] = f"${add('edit_video', **args)}.video"


def extract_json_object(text: str) -> Any:
    """The first JSON object in ``text`` (a bare object, or one inside prose or a ```json fence)."""
    decoder = json.JSONDecoder()
    start = text.find("{")
    while start != -1:
        try:
            obj, _ = decoder.raw_decode(text, start)
            return obj
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
    raise ValueError("no JSON object found")


def parse_json_plan(text: str, start: int = 1) -> Plan:
    """A plan from JSON text (``{"steps": [...], "answer": ...}``, a list of steps, a fenced
    block, tool-call shapes; reasoning blocks stripped), or a PlanValidationError saying what
    is wrong -- never an empty plan unless the text says ``"steps": []``. See
    :mod:`vitron_agent.planners.extract`."""
    from vitron_agent.planners.extract import from_text, reply_to_plan

    return reply_to_plan(from_text(text), start=start, json_only=True)
