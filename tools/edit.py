"""edit: change an image inside or outside a mask.

cv backend operations (no weights):

* ``recolor`` -- hue and chroma set to a colour inside the mask, lightness (Lab L) kept;
* ``remove`` -- inpaint a slightly dilated mask from its surroundings (OpenCV Telea);
* ``blur`` / ``blur_background`` -- Gaussian blur inside / outside the mask;
* ``pixelate`` -- coarse blocks inside the mask (faces, plates: for privacy; ``amount`` sets the block size);
* ``replace_background`` -- fill outside the mask with a colour (default white);
* ``keep_only`` -- keep the masked region, everything else white (or ``color``);
* ``grayscale``, ``brighten``, ``darken``, ``contrast`` -- inside the mask, outside it,
  or over the whole image when no mask is given;
* ``crop`` -- to a box, to the mask's bounding box plus ``margin``, and/or to an ``aspect``
  ratio ("1:1", "16:9", "square") around them (images only; the result is smaller);
* ``flip`` (``direction`` horizontal / vertical), ``rotate`` (``angle`` degrees clockwise; the
  canvas grows to hold the whole picture, new corners filled with ``color`` or black), ``resize``
  (``scale``, or ``width`` and/or ``height`` in pixels; the aspect kept unless both are given) --
  the whole image (flip also works on videos, frame by frame);
* ``sharpen`` (unsharp mask), ``warmer`` / ``cooler`` (white balance: red-blue shift in Lab),
  ``saturate`` / ``desaturate`` (chroma scaled), ``denoise`` (edge-preserving bilateral filter)
  -- inside or outside a mask, or the whole image, with ``amount``;
* ``outline`` -- the mask's contour drawn in ``color`` (default red), ``width`` pixels wide;
* ``cutout`` -- an RGBA image, transparent outside the mask (inside it with ``where="outside"``):
  saved and downloaded as a transparent PNG; other tools read it on white;
* ``composite`` -- a cut-out (or the image with a mask) laid over ``background`` (another image of the
  session: scaled down to fit if larger, centred, or fitted into ``box``) or over ``color`` (default
  white).

Edits of a cut-out keep its transparency (moved with it by flip, rotate, resize and crop).

Pixels the operation does not target are left exactly as they were.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import Box, ImageRef, MaskRef
from vitron_agent.media.images import DEFAULT_MAX_PIXELS as MAX_OUTPUT_PIXELS
from vitron_agent.perception.colors import COLORS, parse_color_value
from vitron_agent.perception.edit_ops import (
    apply_edit,
    composite,
    crop_box,
    crop_without,
    outline,
    parse_aspect,
    resize,
    resized_size,
    rotate,
    rotated_size,
    tone,
)
from vitron_agent.perception.looks import border, text_misfit, undrawable
from vitron_agent.perception.masks import check_same_size
from vitron_agent.toolkit.registry import Backend, StepWords, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool

__all__ = [
    "EditInput",
    "EditOutput",
    "CvEditTool",
    "OPERATIONS",
    "GENERATIVE_OPERATIONS",
    "EditOperation",
    "IMAGE_ONLY",
    "GEOMETRIC",
    "rotate",
    "resize",
    "resized_size",
    "tone",
    "outline",
    "composite",
    "crop_box",
    "parse_aspect",
    "GenerativeEditOperation",
    "NEEDS_MASK",
    "apply_edit",
]

# The edit vocabulary, declared once: the cv operations, and what a generative backend adds.
OPERATIONS = (
    "recolor",
    "remove",
    "blur",
    "pixelate",
    "blur_background",
    "replace_background",
    "keep_only",
    "grayscale",
    "brighten",
    "darken",
    "contrast",
    "sharpen",
    "warmer",
    "cooler",
    "saturate",
    "desaturate",
    "denoise",
    "outline",
    "flip",
    "rotate",
    "resize",
    "crop",
    "cutout",
    "composite",
    # looks that need no model (vitron_agent.perception.looks), and drawing on the picture
    "sepia",
    "vignette",
    "grain",
    "invert",
    "sketch",
    "cartoon",
    "posterize",
    "emboss",
    "border",
    "text",
    "trim",  # the plain borders along the edges cut off (black bars, a white margin)
)
IMAGE_ONLY = ("crop", "rotate", "resize", "cutout", "composite", "border", "trim")
GEOMETRIC = ("flip", "rotate", "resize", "crop", "border", "trim")
GENERATIVE_OPERATIONS = ("inpaint", "instruct", *OPERATIONS)
EditOperation = Literal[OPERATIONS]  # type: ignore[valid-type]
GenerativeEditOperation = Literal[GENERATIVE_OPERATIONS]  # type: ignore[valid-type]
NEEDS_MASK = ("recolor", "remove", "blur_background", "replace_background", "keep_only", "outline", "cutout")


TextPlace = Literal["bottom", "top", "center", "top_left", "top_right", "bottom_left", "bottom_right"]


class EditInput(BaseModel):
    image: ImageRef = Field(description="the image to edit")
    operation: EditOperation = Field(description="what to do")
    mask: MaskRef | None = Field(default=None, description="where to edit (from a segment step); none = whole image")
    where: Literal["inside", "outside"] = Field(default="inside", description="edit inside the mask or outside it")
    color: str | None = Field(
        default=None,
        max_length=30,
        description=f"colour for recolor / replace_background / keep_only: a name ({', '.join(COLORS)}) or #rrggbb",
    )
    amount: float = Field(default=0.5, ge=0.0, le=1.0, description="strength of brighten/darken/contrast/blur (0..1)")
    box: Box | None = Field(default=None, description="crop: the box to keep, XYXY pixels")
    aspect: str | None = Field(
        default=None, max_length=12, description="crop: width:height such as '1:1', '16:9', or 'square'"
    )
    margin: float = Field(
        default=0.05, ge=0.0, le=1.0, description="crop to a mask: margin around its box, as a fraction of its size"
    )
    direction: Literal["horizontal", "vertical"] = Field(
        default="horizontal", description="flip: left-right or upside down"
    )
    angle: float = Field(
        default=90.0, ge=-360.0, le=360.0, description="rotate: degrees clockwise (negative: counter-clockwise)"
    )
    scale: float | None = Field(default=None, gt=0.0, le=8.0, description="resize: factor (0.5 = half size)")
    width: int | None = Field(default=None, gt=0, le=16384, description="resize: width in pixels (outline: line width)")
    height: int | None = Field(default=None, gt=0, le=16384, description="resize: height in pixels")
    background: ImageRef | None = Field(
        default=None,
        description="composite: the picture to lay the cut-out over (none: a plain ``color``, default white)",
    )
    text: str | None = Field(default=None, max_length=300, description="text: the words to write on the picture")
    place: TextPlace = Field(
        default="bottom", description="text: where (a caption at the bottom, a title at the top, ...)"
    )


class EditOutput(BaseModel):
    image: ImageRef = Field(description="the edited image")


def _check_crop(shape: tuple[int, int], inp: EditInput, mask: np.ndarray | None, crop: tuple[int, ...]) -> None:
    """The crop made holds its shape (:func:`_check_aspect_made`) and the thing it was centred on
    (:func:`_check_thing_kept`)."""
    x1, y1, x2, y2 = crop
    _check_aspect_made(shape, inp.aspect, x2 - x1, y2 - y1)
    _check_thing_kept(mask if inp.box is None else None, inp.aspect, (x1, y1, x2, y2))


def _cropped(image: np.ndarray, inp: EditInput, mask: np.ndarray | None) -> np.ndarray:
    """``image`` cropped as ``inp`` asks: its plain borders cut off (trim), a thing cut out of it at an edge
    ("crop out the logo"), or to a box, a thing or a shape."""
    if inp.operation == "trim":
        return _trimmed(image)
    if inp.where == "outside" and mask is not None:  # "crop out the logo"
        kept = crop_without(mask)
        if kept is None:
            raise ToolFailed(
                "the thing to crop out lies in the middle of the picture: any crop that leaves it out keeps "
                "under a third of it. Say which side to keep ('crop to the left half'), or remove it instead "
                "('remove the logo')"
            )
        x1, y1, x2, y2 = kept
        return np.ascontiguousarray(image[y1:y2, x1:x2])
    x1, y1, x2, y2 = crop_box(image.shape[:2], inp.box, mask, inp.aspect, inp.margin)
    _check_crop(image.shape[:2], inp, mask, (x1, y1, x2, y2))
    return np.ascontiguousarray(image[y1:y2, x1:x2])


def _trimmed(image: np.ndarray) -> np.ndarray:
    """``image`` without the plain borders along its edges (:mod:`vitron_agent.perception.borders`); ToolFailed
    when it has none (a crop to "the black bars" had kept the bars)."""
    from vitron_agent.perception.borders import content_box

    box = content_box([image[..., :3]])
    if box is None:
        raise ToolFailed(
            "I found no plain border along the picture's edges (black bars, a white or grey margin), so nothing "
            "was cut off. To cut off edges anyway, crop to a part ('crop to the middle 80%') or give a box"
        )
    x1, y1, x2, y2 = box
    return np.ascontiguousarray(image[y1:y2, x1:x2])


LOST = 0.05  # a crop to a shape around a thing may cut this share of it (its outline's stray edges), no more


def _check_thing_kept(mask: np.ndarray | None, aspect: str | None, crop: tuple[int, int, int, int]) -> None:
    """ToolFailed when a crop to ``aspect`` around the thing ``mask`` marks cuts off more than :data:`LOST` of
    it: the shape cannot hold it (a 9:16 crop of a landscape photo round a cat lying across it kept an eye and
    the nose, and the answer said the cat was kept whole: review s12)."""
    if mask is None or aspect is None or not mask.any():
        return
    x1, y1, x2, y2 = crop
    total = int(mask.sum())
    kept = int(mask[y1:y2, x1:x2].sum())
    if total - kept > LOST * total:
        ys, xs = np.nonzero(mask)
        raise ToolFailed(
            f"a {aspect} crop of this picture is at most {x2 - x1}x{y2 - y1} pixels here, and the thing to keep is "
            f"{int(xs.max() - xs.min() + 1)}x{int(ys.max() - ys.min() + 1)}: it would cut off "
            f"{100 * (total - kept) / total:.0f} % of it; nothing cropped. Crop to a shape closer to the thing's "
            "own, or to the thing without a shape"
        )


def _check_aspect_made(shape: tuple[int, int], aspect: str | None, w: int, h: int) -> None:
    """ToolFailed when a crop to ``aspect`` came out ``w`` x ``h``, over 10% off that shape: a picture a few
    pixels high or wide cannot hold it (a 1x1 stayed 1x1 and a 30000x2 strip became 4x2 for '16:9', each
    said 'I cropped the picture')."""
    ratio = parse_aspect(aspect) if aspect else None
    if ratio and abs(w / h - ratio) > 0.1 * ratio:
        raise ToolFailed(
            f"this {shape[1]}x{shape[0]} picture is too small for a {aspect} crop: the nearest is {w}x{h}; "
            "resize it first (e.g. 'resize it to 200%') or pick another shape"
        )


class CvEditTool(VisionTool):
    name = "edit"
    description = (
        "Edit an image inside or outside a mask: recolor, remove (inpaint), blur, pixelate, blur or replace "
        "the background, keep only the region, grayscale, brighten, darken, contrast, sharpen, warmer, cooler, "
        "saturate, desaturate, denoise, outline, cutout (transparent PNG), composite (a cut-out over another "
        "image or a colour); or the whole image: flip, rotate, resize, crop. cv backend."
    )
    Input = EditInput
    Output = EditOutput
    backend = "cv"

    def check_inputs(self, inp: EditInput, ctx: ToolContext) -> None:
        if inp.operation in NEEDS_MASK and inp.mask is None:
            raise ValueError(f"operation {inp.operation!r} needs a mask; segment the target first and pass its mask")
        if inp.operation == "text" and not (inp.text or "").strip():
            raise ValueError("text needs the words to write, e.g. text='Happy birthday'")
        if inp.operation == "text" and (
            problem := undrawable(inp.text or "")
            or text_misfit(inp.image.width, inp.image.height, inp.text or "", inp.place, inp.amount)
        ):
            raise ValueError(problem)
        if inp.operation == "recolor" and not inp.color:
            raise ValueError("recolor needs a color, e.g. color='purple' or '#8040c0'")
        if inp.color is not None and parse_color_value(inp.color) is None:
            raise ValueError(f"color {inp.color!r} is neither a known colour ({', '.join(COLORS)}) nor #rrggbb")
        check_same_size(inp.mask, inp.image)
        if inp.operation == "composite":
            if inp.mask is None and not ctx.store.has_alpha(inp.image):
                raise ValueError(
                    "composite lays a cut-out over a background: this image has no transparent part; cut the "
                    "object out first (operation='cutout' with its mask) or pass its mask"
                )
            if inp.background is not None and inp.background.id == inp.image.id:
                raise ValueError(
                    "composite: the background is the cut-out itself; send the picture to put it on "
                    "(a new image in this turn, or its ref as background)"
                )
        if inp.operation == "resize":
            if inp.scale is None and inp.width is None and inp.height is None:
                raise ValueError("resize needs a scale (e.g. 0.5 for half size) or a width and/or height in pixels")
            w, h = resized_size(inp.image.width, inp.image.height, inp.scale, inp.width, inp.height)
            if w * h > MAX_OUTPUT_PIXELS:
                raise ValueError(
                    f"resize to {w}x{h} would make a {w * h / 1e6:.0f}-megapixel image; "
                    f"the limit is {MAX_OUTPUT_PIXELS // 1_000_000}"
                )
        if inp.operation == "border" and inp.width:  # the canvas grows by twice the width each way
            w, h = inp.image.width + 2 * inp.width, inp.image.height + 2 * inp.width
            if w * h > MAX_OUTPUT_PIXELS:
                raise ValueError(
                    f"a {inp.width}-pixel border round this {inp.image.width}x{inp.image.height} picture makes a "
                    f"{w}x{h} image ({w * h / 1e6:,.0f} megapixels), over the limit of "
                    f"{MAX_OUTPUT_PIXELS // 1_000_000}; ask for a thinner border"
                )
        if inp.operation == "rotate":
            w, h = rotated_size(inp.image.width, inp.image.height, inp.angle)
            if w * h > MAX_OUTPUT_PIXELS:  # the canvas grows to hold the turned picture (a thin strip: hugely)
                raise ValueError(
                    f"rotating this {inp.image.width}x{inp.image.height} picture {inp.angle:g} degrees needs a "
                    f"{w}x{h} canvas ({w * h / 1e6:,.0f} megapixels), over the limit of "
                    f"{MAX_OUTPUT_PIXELS // 1_000_000}; turn it by a multiple of 90 degrees or crop it first"
                )
        if inp.operation == "crop":
            if inp.box is None and inp.mask is None and inp.aspect is None:
                raise ValueError("crop needs a box, a mask (crop to the object) or an aspect such as '1:1'")
            if inp.aspect is not None and parse_aspect(inp.aspect) is None:
                raise ValueError(f"aspect {inp.aspect!r} is not width:height (e.g. '16:9') or 'square'")
            if inp.box is not None and (inp.box.x1 >= inp.image.width or inp.box.y1 >= inp.image.height):
                raise ValueError(f"the crop box lies outside the {inp.image.width}x{inp.image.height} image")

    def run(self, inp: EditInput, ctx: ToolContext) -> EditOutput:
        alpha = ctx.store.has_alpha(inp.image)
        image = ctx.store.get_image(inp.image)
        mask = ctx.store.get_mask(inp.mask) if inp.mask is not None else None
        ctx.progress(0.1, inp.operation)
        if inp.operation == "cutout":
            region = ~mask if inp.where == "outside" else mask
            out = np.dstack([image, np.where(region, 255, 0).astype(np.uint8)])
            return EditOutput(image=ctx.store.put_image(out, producer=ctx.step_id))
        if inp.operation == "composite":
            fg = ctx.store.get_image_rgba(inp.image)
            if mask is not None:
                fg = np.dstack([fg[..., :3], np.where(~mask if inp.where == "outside" else mask, fg[..., 3], 0)])
            bg = (
                ctx.store.get_image(inp.background)
                if inp.background is not None
                else np.broadcast_to(np.array(parse_color_value(inp.color or "white"), np.uint8), image.shape)
            )
            return EditOutput(image=ctx.store.put_image(composite(fg, bg, inp.box), producer=ctx.step_id))
        if alpha:  # a cut-out: edit its colours, carry its transparency along
            image = ctx.store.get_image_rgba(inp.image)
        if alpha and inp.operation in ("keep_only", "replace_background"):
            # a cut-out put on a colour: what is transparent is background too, so the result is the cut-out
            # laid on that colour, opaque (it kept the cut-out's alpha: "put the parrot on black" came out
            # transparent, shown on white by every viewer)
            under = np.array(parse_color_value(inp.color or "white"), np.float32)
            share = image[..., 3:4].astype(np.float32) / 255.0
            image = np.clip(image[..., :3] * share + under * (1.0 - share) + 0.5, 0, 255).astype(np.uint8)
            alpha = False
        if inp.operation in ("crop", "trim"):
            return EditOutput(image=ctx.store.put_image(_cropped(image, inp, mask), producer=ctx.step_id))
        if inp.operation == "border":
            out = border(image, parse_color_value(inp.color or "white"), inp.width, inp.amount)
            return EditOutput(image=ctx.store.put_image(out, producer=ctx.step_id))
        if inp.operation in ("rotate", "resize"):
            out = (
                rotate(image, inp.angle, inp.color)
                if inp.operation == "rotate"
                else resize(image, *resized_size(image.shape[1], image.shape[0], inp.scale, inp.width, inp.height))
            )
            return EditOutput(image=ctx.store.put_image(out, producer=ctx.step_id))
        if inp.operation == "flip":
            return EditOutput(
                image=ctx.store.put_image(
                    apply_edit(image, None, "flip", direction=inp.direction), producer=ctx.step_id
                )
            )
        rgb = image[..., :3] if alpha else image
        out = apply_edit(
            np.ascontiguousarray(rgb),
            mask,
            inp.operation,
            inp.where,
            inp.color,
            inp.amount,
            direction=inp.direction,
            width=inp.width,
            text=inp.text,
            place=inp.place,
        )
        if alpha:
            out = np.dstack([out, image[..., 3]])
        ref = ctx.store.put_image(out, producer=ctx.step_id)
        return EditOutput(image=ref)


# operation -> how the answer says it (done, todo); {it} is what the mask selects ("it", "everything
# except the cat", "the picture"), {colour} the colour, {prompt} the prompt
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
    "sepia": ("gave {it} a sepia tone", "give {it} a sepia tone"),
    "vignette": ("darkened the edges of the {medium} (a vignette)", "add a vignette"),
    "grain": ("added film grain to {it}", "add film grain to {it}"),
    "invert": ("inverted the colours of {it} (a negative)", "invert the colours of {it}"),
    "sketch": ("made {it} a pencil sketch", "make {it} a pencil sketch"),
    "cartoon": ("made {it} look like a cartoon", "make {it} look like a cartoon"),
    "posterize": ("posterized {it} (few colour levels)", "posterize {it}"),
    "emboss": ("embossed {it} (a grey relief)", "emboss {it}"),
    "border": ("put a {colour} border around the {medium}", "put a border around the {medium}"),
    "trim": ("cut the plain borders off the {medium}", "cut the plain borders off the {medium}"),
    "text": ("wrote {text!r} on the {medium} ({place})", "write {text!r} on the {medium}"),
    "inpaint": ("replaced {it} with {prompt}", "replace {it} with {prompt}"),
    "instruct": ("edited the picture as asked ({prompt!r})", "edit the picture as asked"),
}


def edit_phrase(step: StepWords, medium: str = "picture") -> str:
    """How the answer says an edit step ("made it purple", "rotated the picture 90° clockwise")."""
    args = step.args
    op = str(args.get("operation") or "")
    if op == "flip":
        how = "upside down" if args.get("direction") == "vertical" else "left to right"
        return f"{step.verb('flipped', 'flip')} the {medium} {how}"
    if op == "rotate":
        angle = float(args.get("angle", 90.0))
        way = "clockwise" if angle >= 0 else "counter-clockwise"
        return f"{step.verb('rotated', 'rotate')} the picture {abs(angle):g}° {way}"
    if op in ("resize", "trim"):
        image = (step.record.get("outputs", {}).get("image") or {}).get("value") or {}
        size = f"{image['width']}x{image['height']} pixels" if step.past and "width" in image else ""
        if op == "trim":
            return step.verb("cut", "cut") + " the plain borders off the picture" + (f" (now {size})" if size else "")
        return f"{step.verb('resized', 'resize')} the picture" + (f" to {size}" if size else "")
    if op == "crop" and not step.made_by_a_step(args.get("mask")):
        return step.verb("cropped the picture", "crop the picture")
    if op == "crop" and args.get("where") == "outside":
        thing = step.named(args.get("mask")) or "it"
        return step.verb(f"cropped {thing} out of the picture", f"crop {thing} out of the picture")
    words = EDIT_WORDS.get(op)
    if words is None:
        return f"{step.verb('applied', 'apply')} {op or 'the edit'} to the {medium}"
    colour = str(args.get("color") or ("red" if op == "outline" else "white"))
    prompt = args.get("prompt") or "something new"
    place = str(args.get("place") or "bottom").replace("_", " ")
    return step.verb(*words).format(
        it=step.it(medium), colour=colour, prompt=prompt, medium=medium, text=str(args.get("text") or ""), place=place
    )


register(Backend("edit", "cv", CvEditTool, default=True))
# Destructive: what they remove or replace cannot be got back from the result (held on an assumed mask).
declare(
    Traits(
        "edit",
        role="edit",
        destructive={"remove": "remove", "keep_only": "keep only", "cutout": "cut out", "inpaint": "replace"},
        result_words={"cutout": "cut-out (a PNG, transparent outside the mask)"},
        phrase=edit_phrase,
    )
)
