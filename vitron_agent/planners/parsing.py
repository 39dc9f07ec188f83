"""Parsers of planner output: Vitron's tag format and JSON plans.

Every parser returns a :class:`~vitron_agent.plan.Plan` or raises
:class:`~vitron_agent.errors.PlanValidationError` whose problems say what to fix;
no other exception escapes, whatever the text.

Vitron's format (the released model's answers)::

    The dog is on the left. <module>B</module><instruction>segment: the dog</instruction>
    <region>[12, 30, 200, 180]</region>

and the long-name variant ``<Module> Image Segmentation </Module>``,
``<Instruction> ... </Instruction>``, ``<Region> (x1, y1, x2, y2) </Region>``.
Modules: A image generation, B image segmentation, C image editing / inpainting,
D text -> video, E video segmentation / tracking, F video editing (foreground /
background instructions), G image -> video. Each module opens a group; the
instructions and regions after it belong to it. Prose outside the tags is the answer.
"""

from __future__ import annotations

import json
import re
from typing import Any

from vitron_agent.errors import PlanValidationError
from vitron_agent.plan import Plan, Step

__all__ = ["parse_vitron_output", "parse_json_plan", "MODULES", "MODULE_TOOLS", "extract_json_object"]

MODULES = {
    "A": "image generation", "B": "image segmentation", "C": "image editing", "D": "text to video",
    "E": "video segmentation", "F": "video editing", "G": "image to video",
}
# module -> the tool that serves it
MODULE_TOOLS = {"A": "generate", "B": "segment", "C": "edit", "D": "generate_video", "E": "track",
                "F": "edit_video", "G": "animate"}
_LONG_NAMES = {
    "image generation": "A", "text to image": "A", "image segmentation": "B", "segmentation": "B",
    "image editing": "C", "image inpainting": "C", "inpainting": "C", "editing": "C",
    "video generation": "D", "text to video": "D", "video segmentation": "E", "video tracking": "E", "tracking": "E",
    "video editing": "F", "image to video": "G", "image animation": "G",
}
_TAG = re.compile(r"<\s*(/?)\s*(module|instruction|region)\s*>", re.I)
_NUM = r"-?\d+(?:\.\d+)?"
_REGION = re.compile(rf"[\(\[]?\s*({_NUM})\s*,\s*({_NUM})\s*,\s*({_NUM})\s*,\s*({_NUM})\s*[\)\]]?")
MAX_TEXT = 20_000


def _module_letter(raw: str) -> str | None:
    text = re.sub(r"[^a-z ]", " ", raw.lower()).strip()
    text = re.sub(r"\s+", " ", text)
    if len(text) == 1 and text.upper() in MODULES:
        return text.upper()
    m = re.fullmatch(r"(?:module )?([a-g])", text)
    if m:
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
                prose.append(text[pos:m.start()])
            open_tag, open_at = name, m.end()
        else:
            if open_tag != name:
                problems.append(f"</{name}> has no matching <{name}>")
                pos = m.end()
                continue
            pairs.append((name, text[open_at:m.start()].strip()))
            open_tag = None
        pos = m.end()
    if open_tag is not None:
        problems.append(f"<{open_tag}> is never closed; write <{open_tag}>...</{open_tag}>")
    else:
        prose.append(text[pos:])
    answer = re.sub(r"\s+", " ", " ".join(prose)).strip()
    return pairs, problems, answer


def _region(content: str) -> dict[str, Any] | str:
    m = _REGION.fullmatch(content.strip())
    if not m:
        return f"region {content[:80]!r} is not four numbers (x1, y1, x2, y2)"
    x1, y1, x2, y2 = (float(v) for v in m.groups())
    if x2 <= x1 or y2 <= y1 or min(x1, y1) < 0:
        return f"region ({x1:g}, {y1:g}, {x2:g}, {y2:g}) is empty, reversed or negative; expected XYXY pixels"
    return {"type": "box", "x1": x1, "y1": y1, "x2": x2, "y2": y2}


def parse_vitron_output(text: str, toolbox: Any, image: str | None = "$input.image",
                        features: dict[str, list[dict[str, Any]]] | None = None, start: int = 1,
                        video: str | None = None) -> Plan:
    """A plan from a Vitron-format answer (see module docstring).

    Args:
        image: the reference image steps work on (None when the request has none).
        video: the reference video modules E and F work on (None when the request has none).
        features: continuous embeddings the model emitted: ``{"seg": [FeatureRef dict, ...],
            "gen": [...]}`` in order of appearance; the i-th segmentation / generation module
            takes the i-th one as ``prompt_embedding`` / ``prompt_embeds``.
        start: number of the first step id (``s{start}``), for continuations.
    """
    if not isinstance(text, str):
        raise PlanValidationError([f"the planner output is {type(text).__name__}, not text"])
    from vitron_agent.planners.extract import split_reasoning

    text, reasoning = split_reasoning(text[:MAX_TEXT])
    pairs, problems, answer = _tags(text)
    groups: list[dict[str, Any]] = []
    for name, content in pairs:
        if name == "module":
            letter = _module_letter(content)
            if letter is None:
                problems.append(f"unknown module {content[:40]!r}; modules are A-G: "
                                + ", ".join(f"{k} {v}" for k, v in MODULES.items()))
                groups.append({"letter": None, "instructions": [], "regions": []})
            else:
                groups.append({"letter": letter, "instructions": [], "regions": []})
        elif not groups:
            problems.append(f"<{name}> comes before any <module>; put <module>X</module> first")
        elif name == "instruction":
            task, _, body = content.partition(":")
            groups[-1]["instructions"].append((task.strip(), body.strip()) if body else ("", task.strip()))
        else:
            region = _region(content)
            if isinstance(region, str):
                problems.append(region)
            else:
                groups[-1]["regions"].append(region)
    if problems:
        raise PlanValidationError(problems)
    if not groups:
        if not answer:
            raise PlanValidationError(["the reply was empty; answer in text, or call a module with "
                                       "<module>X</module><instruction>task: target</instruction>"])
        return Plan(answer=answer, reasoning=reasoning[:4000] or None)
    plan = _groups_to_plan(groups, answer, toolbox, {"image": image, "video": video}, features or {}, start)
    plan.reasoning = reasoning[:4000] or None
    return plan


def _groups_to_plan(groups, answer, toolbox, media, features, start) -> Plan:
    steps: list[Step] = []
    notes: list[str] = []
    seg_feats, gen_feats = list(features.get("seg", [])), list(features.get("gen", []))
    image, mask = media["image"], None

    def add(tool: str, **args: Any) -> str:
        sid = f"s{len(steps) + start}"
        steps.append(Step(id=sid, tool=tool, args={k: v for k, v in args.items() if v is not None}))
        return sid

    for g in groups:
        letter = g["letter"]
        tool = MODULE_TOOLS[letter]
        text = " ".join(body for _, body in g["instructions"]).strip()
        box = g["regions"][0] if g["regions"] else None
        if tool not in toolbox:
            notes.append(f"module {letter} ({MODULES[letter]}) needs the {tool!r} tool, which is not configured; "
                         f"skipped {text[:80]!r}")
            continue
        if letter == "A":
            sid = add("generate", prompt=text or None, prompt_embeds=gen_feats.pop(0) if gen_feats else None)
            image, mask = f"${sid}.image", None
        elif letter in "DEFG":
            _video_module(letter, g, text, box, toolbox, media, image, add, notes, gen_feats, seg_feats)
        elif image is None:
            notes.append(f"module {letter} ({MODULES[letter]}) needs an image; skipped {text[:80]!r}")
        elif letter == "B":
            sid = add("segment", image=image, target=text[:200] or None, box=box,
                      prompt_embedding=seg_feats.pop(0) if seg_feats else None)
            mask = f"${sid}.mask"
        elif letter == "C":
            operation = "inpaint" if (mask or box is not None) else "instruct"
            if not toolbox.supports("edit", operation):
                notes.append(f"module C ({operation}) needs a generative editor: set [tools.edit] backend = "
                             f"\"diffusers\" in vitron.toml; skipped {text[:80]!r}")
                continue
            if box is not None:
                mask = f"${add('segment', image=image, box=box)}.mask"
            sid = add("edit", image=image, operation=operation, mask=mask, prompt=text or None)
            image = f"${sid}.image"
    return Plan(steps=steps, answer=answer or None, notes=notes)


_CV_VIDEO_EDITS = [(re.compile(p, re.I), op) for p, op in [
    (r"\b(?:gr[ae]y ?scale|black and white|monochrome)\b", "grayscale"), (r"\bblur", "blur"),
    (r"\b(?:remove|erase|delete)\b", "remove"), (r"\b(?:brighten|brighter|lighter)\b", "brighten"),
    (r"\b(?:darken|darker)\b", "darken")]]


def _video_module(letter, group, text, box, toolbox, media, image, add, notes, gen_feats, seg_feats) -> None:
    """Steps for the video modules: D text->video (the next [GEN] embedding as prompt_embeds), E tracking
    (the next [SEG] embedding as prompt_embedding, when the track tool takes one), F fore/background
    editing, G image->video. ``media["video"]`` / ``media["track"]`` carry the current video and track."""
    from vitron_agent.tools.colors import COLORS

    video = media.get("video")
    if letter == "D":
        embeds = gen_feats.pop(0) if gen_feats and "prompt_embeds" in toolbox.get("generate_video").Input.model_fields else None
        media["video"], media["track"] = f"${add('generate_video', prompt=text or None, prompt_embeds=embeds)}.video", None
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
        embedding = seg_feats.pop(0) if seg_feats and "prompt_embedding" in toolbox.get("track").Input.model_fields else None
        media["track"] = f"${add('track', video=video, target=text[:200] or None, box=box, prompt_embedding=embedding)}.track"
        return
    for task, body in group["instructions"] or [("", "")]:
        where = "outside" if task.lower().startswith("back") else "inside"
        args: dict[str, Any] = {"video": video, "where": where}
        if toolbox.supports("edit_video", "inpaint"):
            args.update(operation="inpaint", prompt=body or None)
        elif toolbox.supports("edit_video", "instruct") and where == "inside" and media.get("track") is None and box is None:
            args.update(operation="instruct", prompt=body or None, where=None)
        else:
            color = next((w for w in re.findall(r"[a-z]+", body.lower()) if w in COLORS), None)
            op = "recolor" if color else next((o for pat, o in _CV_VIDEO_EDITS if pat.search(body)), None)
            if op is None:
                notes.append(f"module F instruction {body[:80]!r} needs a generative video editor: set "
                             "[tools.edit_video] backend = \"diffusers\" in vitron.toml; skipped it")
                continue
            args.update(operation=op, color=color)
        if args.get("where") is not None and media.get("track") is None:
            target = None if box is not None else "the main object"
            media["track"] = f"${add('track', video=video, target=target, box=box)}.track"
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
