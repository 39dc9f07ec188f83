"""describe and count: text about an image or a region of it.

cv backend (no weights, heuristic): size, brightness, dominant named colours
(k-means in Lab), and for a masked region its area, position in a 3x3 grid,
shape (roundness, elongation) and colours. It does not recognise objects and
says so; questions about colour, position, size or brightness get a direct
answer, other questions an honest "cannot tell" naming the setting for a VLM.
``count`` counts connected regions of a colour (or regions unlike the border).
"""

from __future__ import annotations

import re

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import Box, ImageRef, MaskRef
from vitron_agent.perception.colors import (
    COLORS,
    check_color,
    color_mask,
    exposed,
    name_colors,
    normalise_color,
    rgb_to_lab,
    shade_phrase,
)
from vitron_agent.perception.masks import check_same_size, clean, components, position_name
from vitron_agent.perception.question_region import EMPTY_PLACE, question_region
from vitron_agent.toolkit.registry import Backend, StepWords, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool

__all__ = [
    "DescribeInput",
    "DescribeOutput",
    "CvDescribeTool",
    "CountInput",
    "CountOutput",
    "CvCountTool",
    "region_facts",
    "region_mask",
]

CANNOT_ANSWER = (
    "The cv backend cannot answer that: it measures colours, brightness, size, position and shape "
    "but does not recognise objects. Configure a vision-language model ([tools.describe] backend) "
    "for open questions."
)


class DescribeInput(BaseModel):
    image: ImageRef = Field(description="the image to describe")
    mask: MaskRef | None = Field(default=None, description="focus on this region (from a segment step)")
    box: Box | None = Field(default=None, description="focus on this box, XYXY pixels")
    question: str | None = Field(default=None, max_length=500, description="a question to answer instead of a caption")
    place: str | None = Field(
        default=None,
        max_length=200,
        description="look only at this part of the picture: a side or corner ('left', 'top right'), or, with "
        "the mask of a thing, 'outside <thing>' (the background), 'left of <thing>', 'right of', 'above', 'below'",
    )


class DescribeOutput(BaseModel):
    text: str = Field(description="the description or the answer")
    method: str | None = Field(default=None, description="how it was found (models used): for the report and --verbose")


def _brightness_word(lightness: float) -> str:
    return "dark" if lightness < 35 else "bright" if lightness > 70 else "medium-bright"


def _colors_phrase(colors: list[tuple[str, float]], limit: int = 3) -> str:
    parts = [f"{n} ({100 * f:.0f}%)" for n, f in colors[:limit] if f >= 0.05]
    if not parts:
        parts = [colors[0][0]] if colors else ["no"]
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def _shape_phrase(mask: np.ndarray) -> str:
    import cv2

    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return "no shape"
    c = max(contours, key=cv2.contourArea)
    area, perim = cv2.contourArea(c), cv2.arcLength(c, True)
    x, y, w, h = cv2.boundingRect(c)
    circularity = 4 * np.pi * area / (perim * perim) if perim else 0.0
    hull = cv2.contourArea(cv2.convexHull(c))
    solidity = area / hull if hull else 0.0
    aspect = w / h if h else 1.0
    if circularity > 0.8:
        shape = "roughly round"
    elif solidity > 0.9 and 0.8 < aspect < 1.25:
        shape = "compact, roughly square"
    elif aspect >= 1.6:
        shape = "elongated horizontally"
    elif aspect <= 1 / 1.6:
        shape = "elongated vertically"
    else:
        shape = "irregular" if solidity < 0.75 else "compact"
    parts = len(components(mask, min_pixels=max(4, int(mask.sum() * 0.02))))
    return shape + (f", in {parts} separate parts" if parts > 1 else "")


def region_mask(
    store, shape: tuple[int, int], mask: MaskRef | None, box: Box | None, place: str | None = None
) -> np.ndarray | None:
    """The HxW bool region a describe call focuses on: the mask, the box, or both intersected;
    None for the whole image. With ``place`` (:func:`question_region`), that part of the picture
    instead: beside or outside the mask when the place is a relation to it, else within the box."""
    region = store.get_mask(mask) if mask is not None else None
    if place:
        region = question_region(shape, place, region)[0]
    if box is not None:
        b = np.zeros(shape, bool)
        b[int(box.y1) : int(np.ceil(box.y2)), int(box.x1) : int(np.ceil(box.x2))] = True
        region = b if region is None else region & b
    return region


def region_facts(image: np.ndarray, mask: np.ndarray | None) -> dict:
    """Measured facts about the image or the masked region: colours, lightness, area, position, shape."""
    h, w = image.shape[:2]
    facts: dict = {"width": w, "height": h}
    region = mask if mask is not None else np.ones((h, w), bool)
    px = image[region]
    seen = exposed(px, image) if mask is not None else px  # an object in a night shot: as adapted eyes see it
    facts["colors"] = name_colors(seen)
    facts["shade"] = shade_phrase(seen, main_colour(facts["colors"])) if len(px) else "no colour"
    if mask is not None and len(px):  # an object: its colour judged against the light on the scene
        from vitron_agent.perception.colors import object_colour

        # of its hues, the one people name is the most striking (a leaf's red, not its brown veins)
        colors, said, note = object_colour(px, image, vivid=True)
        if note:
            facts["colors"], facts["shade"], facts["light"] = colors, said, note
        elif said.split("/")[-1] not in ACHROMATIC:
            facts["shade"] = said
    facts["lightness"] = float(rgb_to_lab(px)[:, 0].mean()) if len(px) else 0.0
    if mask is not None:
        ys, xs = np.nonzero(mask)
        facts["area"] = float(mask.mean())
        facts["position"] = position_name(float(xs.mean()), float(ys.mean()), w, h)
        facts["shape"] = _shape_phrase(mask)
        facts["box"] = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    return facts


ACHROMATIC = ("gray", "black", "white")


def main_colour(colors: list[tuple[str, float]], floor: float = 0.12) -> str:
    """The colour a person would name: the largest chromatic colour covering at least ``floor``
    of the pixels (a red motorcycle is red, though its metal and shadows are gray and black), else
    the largest colour."""
    chroma = next((c for c, f in colors if c not in ACHROMATIC and f >= floor), None)
    return chroma or (colors[0][0] if colors else "no colour")


def _plain_colours(colors: list[tuple[str, float]], first: str | None = None) -> str:
    """'brown, with some black and white' (no percentages: those are in the step's method)."""
    if not colors:
        return "of no colour"
    main = first or colors[0][0]
    rest = [n for n, f in colors[:4] if f >= 0.1 and n != main][:2]
    return main + (f", with some {' and '.join(rest)}" if rest else "")


_SUBJECT = re.compile(
    r"\b((?:the|this|that|these|those|his|her|its|their|my|your|our)\s+[a-z][a-z'-]*(?:\s+[a-z][a-z'-]*){0,3}?)"
    r"\s*(?=\?|$|[,.;!]|\s+(?:is|are|look|looks|appear|appears|seem|seems|in|on|at|of)\b)",
    re.I,
)
_NOT_A_SUBJECT = re.compile(
    r"^(?:the|this|that|its)\s+(?:region|selection|area|mask|image|picture|photo|colou?rs?)$", re.I
)


def _subject(question: str, has_region: bool, asked: list[str]) -> tuple[str, str]:
    """(subject, verb) to say an answer with: the thing the question names ("what colour is the cat?"
    -> ("The cat", "is")), else "The region" / "The image"."""
    default = ("The region", "is") if has_region else ("The image", "is")
    found = _SUBJECT.search(question) if has_region else None  # facts of the whole image name no thing
    if found is None:
        return default
    words = found.group(1).split()
    while len(words) > 1 and normalise_color(words[-1]) in asked:  # "is the saucer red" -> "the saucer"
        words.pop()
    said = " ".join(words)
    if len(words) < 2 or _NOT_A_SUBJECT.match(said):
        return default
    plural = words[-1].endswith("s") and not words[-1].endswith(("ss", "us", "is"))
    return said[0].upper() + said[1:], "are" if plural else "is"


_NO_COLOUR = re.compile(
    r"\b(?:black[- ]and[- ]white|black\s*&\s*white|b\s*&\s*w|gr[ae]y\s*scale|monochrome|colou?rless)\b"
)


def _answer(question: str, facts: dict, has_region: bool) -> tuple[str, str]:
    """(the answer in plain words, the measured detail behind it for --verbose and the report)."""
    q = question.lower()
    asked = [normalise_color(w) for w in re.findall(r"[a-z]+", q) if normalise_color(w)]
    subject, be = _subject(question, has_region, asked)
    shares = dict(facts["colors"])
    detail = f"colours measured: {_colors_phrase(facts['colors'])}"
    if len(set(asked)) >= 2 and re.match(r"^\s*(?:is|are|if|whether)\b", q) and " or " in q:  # "is it red or blue?"
        pick = max(dict.fromkeys(asked), key=lambda c: shares.get(c, 0.0))
        return f"{pick.capitalize()}: {subject.lower()} {be} mostly {_plain_colours(facts['colors'])}.", detail
    if _NO_COLOUR.search(q) and re.match(r"^\s*(?:is|are|was|were|if|whether|does|do)\b", q):
        # "is this picture black and white?": whether it has colour, not whether it is black (it answered
        # "No: this picture black and is mostly black.")
        grey = sum(v for k, v in shares.items() if k in ("black", "white", "gray"))
        named = re.match(r"^\s*(?:is|are|was|were)\s+(.+?)\s+(?:in\s+)?" + _NO_COLOUR.pattern, q)
        it = named.group(1).strip() if named else "it"
        it = "it" if re.fullmatch(r"(?:it|this|that|(?:the|this|that)\s+(?:image|picture|photo|pic|shot))", it) else it
        be = "are" if it.endswith("s") and not it.endswith(("ss", "us", "is")) else "is"
        if grey >= 0.97:
            return f"Yes: {it} {be} black and white (no colour in it).", detail
        hues = [k for k, _ in facts["colors"] if k not in ("black", "white", "gray")]
        return f"No: {it} {be} in colour ({', '.join(hues[:3]) or 'a little'}).", detail
    if asked and re.match(r"^\s*(?:is|are|if|whether|does|do)\b", q):  # "is the saucer red?"
        share, main = shares.get(asked[-1], 0.0), facts["colors"][0][0]
        if share >= 0.25 or asked[-1] in (main, main_colour(facts["colors"])):
            part = "" if share >= 0.5 or asked[-1] == main else "partly "
            return f"Yes: {subject.lower()} {be} {part}{asked[-1]}.", detail
        return f"No: {subject.lower()} {be} mostly {_plain_colours(facts['colors'])}.", detail
    if re.search(r"\bcolou?rs?\b", q):
        chroma = main_colour(facts["colors"])
        shade = facts.get("shade", chroma)
        if facts.get("light"):
            return f"{subject} {be} {shade}: {facts['light']}.", detail
        if chroma != facts["colors"][0][0]:
            rest = [n for n, f in facts["colors"][:4] if f >= 0.1 and n != chroma][:2]
            said = f" (its {' and '.join(rest)} are shadows, metal or highlights)" if rest else ""
            return f"{subject} {be} {shade}{said}.", detail
        return f"{subject} {be} mostly {_plain_colours(facts['colors'], shade)}.", detail
    if re.search(r"\bwhere\b|\bposition\b|\blocated\b", q) and has_region:
        return f"{subject} {be} at the {facts['position']} of the picture.", f"box {facts['box']}"
    if re.search(r"\bhow (big|large)\b|\bsize\b|\barea\b", q):
        if has_region:
            return (
                f"{subject} {'covers' if be == 'is' else 'cover'} {100 * facts['area']:.0f}% of the picture.",
                f"{100 * facts['area']:.1f}% of the {facts['width']}x{facts['height']} image",
            )
        return f"The image is {facts['width']}x{facts['height']} pixels.", ""
    if re.search(r"\bbright|\bdark|\blight\b", q):
        return f"{subject} {be} {_brightness_word(facts['lightness'])}.", f"mean lightness {facts['lightness']:.0f}/100"
    if re.search(r"\bshape\b", q) and has_region:
        return f"{subject} {be} {facts['shape']}.", ""
    return CANNOT_ANSWER, ""


TEXT_QUESTION = re.compile(
    r"\b(?:say|says|said|written|writing|text|read|reads|spell|spells|words?|sign|label|caption on)\b", re.I
)


def _read(image: np.ndarray, mask: np.ndarray | None) -> str | None:
    """The answer to "what does it say" from the embedded OCR (None when it is not installed): the
    lines read, a line with letters read unsurely marked "(?)", and the lines found but not read
    surely said, never dropped silently."""
    from vitron_agent.loading.weights import embedded_available

    if not embedded_available("ppocr_det", "ppocr_rec", "ppocr_cls"):
        return None
    from vitron_agent.tools.read_text import UNSURE_MARK, read_all, unread_words

    def inside(lines: list) -> list:
        if mask is None:
            return lines
        h, w = mask.shape
        return [
            ln
            for ln in lines
            if mask[min(h - 1, int((ln.box.y1 + ln.box.y2) / 2)), min(w - 1, int((ln.box.x1 + ln.box.x2) / 2))]
        ]

    lines, unread = (inside(group) for group in read_all(image))
    where = " in the region" if mask is not None else " in the image"
    if not lines:
        return unread_words(unread, more=False) or f"I found no readable text{where}."
    quoted = "; ".join(f'"{ln.text}"' + (f" {UNSURE_MARK}" if ln.unsure else "") for ln in lines)
    said = f"It says: {quoted} (read with PP-OCRv4"
    said += f"; {UNSURE_MARK}: some letters unsure)." if any(ln.unsure for ln in lines) else ")."
    return said + (" " + unread_words(unread) if unread else "")


def describe_text(facts: dict, has_region: bool) -> str:
    w, h = facts["width"], facts["height"]
    if not has_region:
        return (
            f"A {w}x{h} image, {_brightness_word(facts['lightness'])}, mostly "
            f"{_colors_phrase(facts['colors'])}. (cv description: colours, brightness and geometry only; "
            "no object recognition.)"
        )
    return (
        f"The selected region covers {100 * facts['area']:.1f}% of the {w}x{h} image, at the "
        f"{facts['position']}; it is {facts['shape']}, {_brightness_word(facts['lightness'])}, and mostly "
        f"{_colors_phrase(facts['colors'])}. (cv description: colours, brightness and geometry only; "
        "no object recognition.)"
    )


class CvDescribeTool(VisionTool):
    name = "describe"
    description = (
        "Describe an image or a region of it (mask or box), or answer a question about it. cv backend: "
        "colours, brightness, size, position and shape; no object recognition."
    )
    Input = DescribeInput
    Output = DescribeOutput
    backend = "cv"

    def check_inputs(self, inp: DescribeInput, ctx: ToolContext) -> None:
        check_same_size(inp.mask, inp.image)
        if inp.box is not None and (inp.box.x1 >= inp.image.width or inp.box.y1 >= inp.image.height):
            raise ValueError(f"box starts outside the {inp.image.width}x{inp.image.height} image")
        if inp.place:
            question_region((2, 2), inp.place, np.ones((2, 2), bool) if inp.mask is not None else None)

    def run(self, inp: DescribeInput, ctx: ToolContext) -> DescribeOutput:
        """The answer about the whole picture or its region; with ``place``, its first words say which
        part of the picture was looked at."""
        if not inp.place:
            return self._run(inp, ctx)
        shape = (inp.image.height, inp.image.width)
        thing = ctx.store.get_mask(inp.mask) if inp.mask is not None else None
        region, where = question_region(shape, inp.place, thing)
        if not region.any():
            return DescribeOutput(text=EMPTY_PLACE.format(where=where.removeprefix("the picture ")))
        out = self._run(inp, ctx)
        return out.model_copy(update={"text": f"Looking at {where}: {out.text}"})

    def _run(self, inp: DescribeInput, ctx: ToolContext) -> DescribeOutput:
        image = ctx.store.get_image(inp.image)
        mask = region_mask(ctx.store, image.shape[:2], inp.mask, inp.box, inp.place)
        if mask is not None and not mask.any():
            raise ToolFailed("the region to describe is empty (the mask and box do not overlap)")
        ctx.progress(0.2, "measuring colours")
        facts = region_facts(image, mask)
        if inp.question:
            if TEXT_QUESTION.search(inp.question) and (read := _read(image, mask)) is not None:
                return DescribeOutput(text=read)
            text, detail = _answer(inp.question, facts, mask is not None)
            return DescribeOutput(text=text, method=detail or None)
        return DescribeOutput(text=describe_text(facts, mask is not None))


class CountInput(BaseModel):
    image: ImageRef = Field(description="the image to count in")
    color: str | None = Field(
        default=None, max_length=30, description=f"count regions of this colour ({', '.join(COLORS)})"
    )
    target: str | None = Field(
        default=None, max_length=200, description="what to count, in words (colour words are used)"
    )
    mask: MaskRef | None = Field(default=None, description="count only inside this region")
    box: Box | None = Field(default=None, description="count only what lies in this box the user gave, XYXY pixels")
    place: str | None = Field(
        default=None,
        max_length=40,
        description="count only in this part of the picture: 'top left', 'bottom right', 'left', 'top', 'center' ...",
    )
    min_area: float = Field(
        default=0.0005, ge=0.0, le=0.5, description="ignore blobs smaller than this fraction of the image"
    )


class CountOutput(BaseModel):
    count: int | None = Field(
        description="how many were found; null when they could not be counted (too many to separate, or a part "
        "no method locates): the text says why. 0 only when none were seen"
    )
    mask: MaskRef | None = Field(default=None, description="the counted regions")
    text: str = Field(description="the answer in words")
    method: str = Field(default="", description="how the regions were found and counted")


GENERIC = re.compile(
    r"^(?:the\s+)?(?:(?:separate|distinct|different|individual)\s+)?(?:objects?|things?|items?|blobs?|regions?|"
    r"shapes?|spots?|dots?|circles?|discs?|disks?|areas?|parts?|pieces?|elements?)$",
    re.I,
)


_PLACES = {  # a part of the picture as fractions (x1, y1, x2, y2) of its width and height
    "top left": (0, 0, 0.5, 0.5),
    "top right": (0.5, 0, 1, 0.5),
    "bottom left": (0, 0.5, 0.5, 1),
    "bottom right": (0.5, 0.5, 1, 1),
    "left": (0, 0, 0.5, 1),
    "right": (0.5, 0, 1, 1),
    "top": (0, 0, 1, 0.5),
    "bottom": (0, 0.5, 1, 1),
    "center": (0.25, 0.25, 0.75, 0.75),
}


_PLACE_WORDS = {
    "left": "left half",
    "right": "right half",
    "top": "top half",
    "bottom": "bottom half",
    "center": "middle",
}
_PLACE_WORDS.update({k: k.replace(" ", "-") + " quarter" for k in _PLACES if " " in k})


def place_box(place: str, shape: tuple[int, int]) -> tuple[str, Box] | None:
    """('top left', its XYXY box) for place words ('the upper left corner', 'in the middle'), or None."""
    words = re.sub(r"\bupper\b", "top", re.sub(r"\blower\b", "bottom", place.lower()))
    words = re.sub(r"\b(?:middle|centre)\b", "center", words)
    v = next((k for k in ("top", "bottom") if re.search(rf"\b{k}\b", words)), "")
    u = next((k for k in ("left", "right") if re.search(rf"\b{k}\b", words)), "")
    key = f"{v} {u}".strip() or ("center" if re.search(r"\bcenter\b", words) else "")
    if not key:
        return None
    h, w = shape
    x1, y1, x2, y2 = _PLACES[key]
    return key, Box(x1=x1 * w, y1=y1 * h, x2=x2 * w, y2=y2 * h)


def count_region(ctx: ToolContext, inp, shape: tuple[int, int]) -> tuple[np.ndarray | None, str]:
    """(HxW bool region a count is limited to, the words that name it: 'the box you gave (4,0)-(80,42)',
    'the top left of the picture'), from the count's ``mask``, the user's ``box`` and ``place``
    (both: where they overlap); (None, '') for the whole picture ('' too for a mask alone: the step
    that made it says what it is)."""
    region = ctx.store.get_mask(inp.mask) if inp.mask is not None else None
    said = []
    boxes = []
    if inp.box is not None:
        boxes.append(inp.box)
        said.append(f"the box you gave ({int(inp.box.x1)},{int(inp.box.y1)})-({int(inp.box.x2)},{int(inp.box.y2)})")
    if inp.place and (placed := place_box(inp.place, shape)) is not None:
        boxes.append(placed[1])
        said.append(f"the {_PLACE_WORDS.get(placed[0], placed[0])} of the picture")
    for b in boxes:
        m = np.zeros(shape, bool)
        m[int(b.y1) : int(np.ceil(b.y2)), int(b.x1) : int(np.ceil(b.x2))] = True
        region = m if region is None else region & m
    return region, " and ".join(said)


class CvCountTool(VisionTool):
    name = "count"
    description = (
        "Count object-like blobs of a colour (or, with no colour, blobs that stand out from their "
        "surroundings), splitting touching ones. cv backend: not object recognition."
    )
    Input = CountInput
    Output = CountOutput
    backend = "cv"

    def check_inputs(self, inp: CountInput, ctx: ToolContext) -> None:
        check_color(inp.color)
        if inp.place and place_box(inp.place, (1, 1)) is None:
            raise ValueError(
                f"place {inp.place!r} is no part of the picture I know: say 'top left', 'bottom right', 'left', "
                "'top', 'center' ... or give a box"
            )
        if inp.box is not None and (inp.box.x1 >= inp.image.width or inp.box.y1 >= inp.image.height):
            raise ValueError(f"box starts outside the {inp.image.width}x{inp.image.height} image")

    def run(self, inp: CountInput, ctx: ToolContext) -> CountOutput:
        from vitron_agent.perception.blob_count import count_blobs, standout_foreground

        image = ctx.store.get_image(inp.image)
        h, w = image.shape[:2]
        color = normalise_color(inp.color) if inp.color else None
        if color is None and inp.target:
            color = next(
                (normalise_color(t) for t in re.findall(r"[a-z]+", inp.target.lower()) if normalise_color(t)), None
            )
        region, where = count_region(ctx, inp, (h, w))
        if (shaped := _by_shape(ctx, inp, image, color, region, where)) is not None:
            return shaped
        candidates = clean(color_mask(image, color)) if color else standout_foreground(image)
        inside = _centred_in(candidates, region) if region is not None else candidates
        ctx.progress(0.5, "splitting touching blobs")
        found = count_blobs(image, inside, max(1, int(inp.min_area * h * w)), standing_out=candidates)
        what = f"{color} blobs" if color else "blobs that stand out from their surroundings"
        noun = re.sub(r"\b(?:" + "|".join(COLORS) + r")\b", "", (inp.target or "").strip(), flags=re.I).strip()
        unknown = bool(noun) and not GENERIC.match(noun)
        method = (
            f"{what}: {'pixels of that colour' if color else 'adaptive threshold'}, touching blobs split by a watershed"
        )
        method += f"; {_blob_facts(found)}"
        if unknown:
            method += f"; it cannot recognise {noun!r} by name, so it counted every {'such blob' if color else 'blob'}"
        text = blob_words(found, what, inp.target.strip() if inp.target else None, unknown)
        text = _photo_shape_note(inp.target) + text
        text += f" I counted only what lies in {where}." if where else ""
        mask_ref = None
        if found.masks:
            mask_ref = ctx.store.put_mask(np.logical_or.reduce(found.masks), producer=ctx.step_id, image=inp.image)
        count = found.count if found.verdict != "mass" else None  # a mass too dense to separate: not "0"
        return CountOutput(count=count, mask=mask_ref, text=text, method=method)


def _by_shape(ctx: ToolContext, inp, image: np.ndarray, color: str | None, region, where: str) -> CountOutput | None:
    """A count of drawn shapes ("how many circles / squares / stars / shapes") read by their outlines
    (:func:`~vitron_agent.perception.shapes.shape_answer`); None when the target names no shape or the
    picture is no drawing."""
    from vitron_agent.perception.shapes import shape_answer

    if not inp.target or (got := shape_answer(image, inp.target, color, region)) is None:
        return None
    count, masks, text, method = got
    text += f" I counted only what lies in {where}." if where else ""
    mask = ctx.store.put_mask(np.logical_or.reduce(masks), producer=ctx.step_id, image=inp.image) if masks else None
    return CountOutput(count=count, mask=mask, text=text, method=method)


def _photo_shape_note(target: str | None) -> str:
    """'This looks like a photograph ...: ' before a blob count asked as shapes on a photograph."""
    from vitron_agent.perception.shapes import PHOTO_NOTE, PHOTO_NOTE_ANGULAR, shape_word

    kind = shape_word(target)
    if kind is None or kind in ("shape", "star"):  # stars in a night sky are stars
        return ""
    return (PHOTO_NOTE if kind in ("circle", "oval") else PHOTO_NOTE_ANGULAR) + " "


def _centred_in(foreground: np.ndarray, region: np.ndarray) -> np.ndarray:
    """The connected parts of ``foreground`` whose centre lies in ``region`` (both HxW bool), whole: a
    coin across the box's edge is counted once or not at all, never as a cut piece."""
    from scipy import ndimage as ndi

    labels, n = ndi.label(foreground)
    if not n:
        return foreground & region
    centres = ndi.center_of_mass(foreground, labels, range(1, n + 1))
    h, w = region.shape
    keep = [i + 1 for i, (y, x) in enumerate(centres) if region[min(h - 1, int(y)), min(w - 1, int(x))]]
    return np.isin(labels, keep)


def _blob_facts(found) -> str:
    """The measured facts behind a blob count, for the step's method."""
    return (
        f"{found.count} clear blobs {found.across[0]}-{found.across[1]} px across (range {found.low}-{found.high}); "
        f"{found.faint} faint left out, {found.merged} perhaps merged, {found.split} pieces of one thing, "
        f"{found.small} specks too small to count; verdict {found.verdict}"
    )


def blob_words(found, what: str, target: str | None, unknown: bool) -> str:
    """A blob count in words, as sure as the blobs allow: a plain "I count 3 red blobs." for clean
    blobs of a colour or shape; for a name no model knows ("cells") a guess with how it was made;
    a range when touching blobs may be merged; "at least" for a field of specks; no number when
    what stands out is not separate blobs. That a name was not recognised is in the method (the
    turn's warning says it first), not repeated here."""
    named = repr(target) if target else "them"
    lo, hi = found.across
    size = (f"{lo} px across" if lo == hi else f"{lo}-{hi} px across") if hi else ""
    if found.verdict == "mass":
        return f"I cannot count {named} by blobs: {found.reason}. Give a box around one, or a clearer picture."
    if found.verdict == "none":
        faint = f" ({found.faint} faint ones I would not count)" if found.faint else ""
        return f"I see no {what} clearly{faint}."
    if found.verdict == "field":
        many = "hundreds" if found.high >= 200 else f"{found.high}"
        return (
            f"There are more than I can separate: I count {found.count} larger {what} ({size}) and see about "
            f"{found.small} smaller specks, so at least {found.count}, perhaps {many}."
        )
    notes = [size] if size else []
    if found.merged:
        notes.append(f"{found.merged} may be touching ones merged")
    if found.faint:
        notes.append(f"I left out {found.faint} faint one{'s' if found.faint > 1 else ''}")
    if found.split:
        notes.append(f"I took {found.split} piece{'s' if found.split > 1 else ''} as parts of larger things")
    tail = f" ({'; '.join(notes)})" if notes and (unknown or len(notes) > 1) else ""
    if found.verdict == "unsure":
        return (
            f"I cannot count {named} surely: I see {found.count} {what}, but it could be anywhere from "
            f"{found.low} to {found.high}{tail}."
        )
    upto = f", perhaps up to {found.high}" if found.high > found.count else ""
    if unknown:
        return f"At a guess, {found.count}{upto}{tail}."
    for_ = f" (for {target!r})" if target else ""
    return f"I count {found.count} {what}{for_}{upto}{tail}. (cv count: object-like blobs, not recognised objects.)"


def _describe_phrase(step: StepWords) -> str:
    """ "described the cat" (its mask's selection), "described the result" (an earlier step's
    image), "described it", "described the picture" """
    image, mask = step.args.get("image"), step.args.get("mask")
    if isinstance(image, str) and image.startswith("$s"):
        what = "the result"
    else:
        what = step.named(mask) or ("it" if mask else "the picture")
    return f"{step.verb('described', 'describe')} {what}"


register(Backend("describe", "cv", CvDescribeTool))
register(Backend("count", "cv", CvCountTool))
declare(Traits("describe", phrase=_describe_phrase))
declare(Traits("count", phrase=("counted {target}", "count {target}")))
