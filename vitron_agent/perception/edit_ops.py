"""The cv edit operations on arrays (no weights): recolor, remove, blur, pixelate, fill, tone and
level edits (lookup tables on uint8: the cost is the pixels'), geometry (flip, rotate, resize,
crop), outline and composite. ``apply_edit`` dispatches one operation; the edit tool
(:mod:`vitron_agent.tools.edit`) and the video edits call it."""

from __future__ import annotations

import numpy as np

from vitron_agent.core.refs import Box
from vitron_agent.perception.colors import parse_color_value, rgb_to_lab

INPAINT_MAX_SIDE = 1024  # the cv inpainting works on a copy at most this long (the result is scaled back)


LOOK_OPERATIONS = ("sepia", "vignette", "grain", "invert", "sketch", "cartoon", "posterize", "emboss")


def apply_edit(
    image: np.ndarray,
    mask: np.ndarray | None,
    op: str,
    where: str = "inside",
    color: str | None = None,
    amount: float = 0.5,
    direction: str = "horizontal",
    width: int | None = None,
    top: float | None = None,
    text: str | None = None,
    place: str = "bottom",
) -> np.ndarray:
    """One cv edit of an HxWx3 uint8 RGB image that keeps its size; ``mask`` HxW bool (None =
    whole image). ``top``: the brightest level brighten exposes up from (None: measured in the region; a
    clip passes its first frame's :func:`bright_top` so the frames do not flicker)."""
    if op == "flip":
        return np.ascontiguousarray(image[:, ::-1] if direction == "horizontal" else image[::-1])
    if op == "outline":
        return outline(
            image,
            mask if mask is not None else np.ones(image.shape[:2], bool),
            parse_color_value(color or "red"),
            width,
        )
    if op == "text":  # drawn on the whole picture, at a place (a mask does not bound it)
        from vitron_agent.perception.looks import draw_text

        return draw_text(image, text or "", place, parse_color_value(color or "white"), amount)
    h, w = image.shape[:2]
    if mask is None and op in LOOK_OPERATIONS:
        from vitron_agent.perception.looks import apply_look

        return apply_look(image, None, op, amount)
    mask = np.ones((h, w), bool) if mask is None else mask
    region = ~mask if where == "outside" else mask
    if op in LOOK_OPERATIONS:
        from vitron_agent.perception.looks import apply_look

        return apply_look(image, region, op, amount)
    if op == "recolor":
        return recolor(image, region, parse_color_value(color), lightness=_is_shade(color))
    if op == "remove":
        return remove(image, region)
    if op in ("blur", "blur_background"):
        return blur(image, ~mask if op == "blur_background" else region, amount)
    if op == "pixelate":
        return pixelate(image, region, amount)
    if op in ("replace_background", "keep_only"):
        return fill(image, ~mask, parse_color_value(color or "white"))
    if op in ("sharpen", "warmer", "cooler", "saturate", "desaturate", "denoise"):
        return tone(image, region, op, amount)
    return adjust(image, region, op, amount, top=top)


def resized_size(w: int, h: int, scale: float | None, width: int | None, height: int | None) -> tuple[int, int]:
    """(width, height) of a resize: by ``scale``; to ``width`` or ``height`` with the aspect kept; or both."""
    if width and height:
        return width, height
    if width:
        return width, max(1, round(h * width / w))
    if height:
        return max(1, round(w * height / h)), height
    s = scale or 1.0
    return max(1, round(w * s)), max(1, round(h * s))


def resize(image: np.ndarray, width: int, height: int) -> np.ndarray:
    import cv2

    shrink = width * height < image.shape[0] * image.shape[1]
    return cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_CUBIC)


def rotated_size(w: int, h: int, angle: float) -> tuple[int, int]:
    """(width, height) of a ``w`` x ``h`` picture turned ``angle`` degrees by :func:`rotate`: the
    canvas that holds every pixel (quarter turns swap or keep the sides). A 200000x1 strip turned
    45 degrees needs a 141422x141422 canvas: callers check this before anything is allocated."""
    quarter = angle % 360
    if quarter in (0, 180):
        return w, h
    if quarter in (90, 270):
        return h, w
    rad = np.deg2rad(angle)
    cos, sin = abs(float(np.cos(rad))), abs(float(np.sin(rad)))
    return int(np.ceil(h * sin + w * cos)), int(np.ceil(h * cos + w * sin))


def rotate(image: np.ndarray, angle: float, color: str | None = None) -> np.ndarray:
    """``image`` turned ``angle`` degrees clockwise; quarter turns are exact, other angles grow the
    canvas to hold every pixel (corners filled with ``color``, default black)."""
    import cv2

    quarter = angle % 360
    if quarter in (0, 90, 180, 270):
        return np.ascontiguousarray(np.rot90(image, k=-int(quarter) // 90))
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    nw, nh = rotated_size(w, h, angle)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    fill_rgb = parse_color_value(color) if color else (0, 0, 0)
    return cv2.warpAffine(
        image,
        m,
        (nw, nh),
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=tuple(int(v) for v in fill_rgb),
    )


def composite(fg: np.ndarray, bg: np.ndarray, box: Box | None = None) -> np.ndarray:
    """HxWx4 RGBA ``fg`` laid over HxWx3 RGB ``bg``: in place when both have one size and no ``box``
    is given; otherwise its opaque part, scaled to fit ``box`` (or scaled down to 90 % of ``bg`` if
    larger) and centred there. Returns an RGB image of ``bg``'s size."""
    bh, bw = bg.shape[:2]
    if fg.shape[:2] != (bh, bw) or box is not None:
        ys, xs = np.nonzero(fg[..., 3])
        if not len(ys):
            return np.ascontiguousarray(bg)
        fg = fg[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
        x1, y1, x2, y2 = (
            (0.0, 0.0, float(bw), float(bh)) if box is None else (box.x1, box.y1, min(box.x2, bw), min(box.y2, bh))
        )
        room_w, room_h = max(1.0, x2 - x1), max(1.0, y2 - y1)
        fh, fw = fg.shape[:2]
        s = min(room_w / fw, room_h / fh) if box is not None else min(1.0, 0.9 * room_w / fw, 0.9 * room_h / fh)
        nw, nh = max(1, round(fw * s)), max(1, round(fh * s))
        if (nw, nh) != (fw, fh):
            fg = resize(fg, nw, nh)
        canvas = np.zeros((bh, bw, 4), np.uint8)
        ox, oy = int(round(x1 + (room_w - nw) / 2)), int(round(y1 + (room_h - nh) / 2))
        cx1, cy1, cx2, cy2 = max(0, ox), max(0, oy), min(bw, ox + nw), min(bh, oy + nh)
        canvas[cy1:cy2, cx1:cx2] = fg[cy1 - oy : cy2 - oy, cx1 - ox : cx2 - ox]
        fg = canvas
    a = fg[..., 3:4].astype(np.float32) / 255.0
    out = fg[..., :3].astype(np.float32) * a + bg.astype(np.float32) * (1.0 - a)
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def tone(image: np.ndarray, region: np.ndarray, op: str, amount: float) -> np.ndarray:
    """sharpen / warmer / cooler / saturate / desaturate / denoise inside ``region`` (per-value
    maps as lookup tables: the cost is the pixels', with no float copy of the picture)."""
    import cv2

    if op == "sharpen":  # unsharp mask: original + k (original - blurred)
        f = image.astype(np.float32)
        sigma = max(1.0, min(image.shape[:2]) / 300)
        res = f + (0.6 + 1.6 * amount) * (f - cv2.GaussianBlur(f, (0, 0), sigma))
        return _paste(image, np.clip(res + 0.5, 0, 255).astype(np.uint8), region)
    if op == "denoise":
        d = max(5, min(15, round(min(image.shape[:2]) / 80)) | 1)
        return _paste(image, cv2.bilateralFilter(image, d, 20 + 60 * amount, d), region)
    if op in ("warmer", "cooler"):
        sign = 1.0 if op == "warmer" else -1.0
        da, db = sign * (2 + 6 * amount), sign * (6 + 16 * amount)  # a*: towards red / green; b*: yellow / blue
        maps = (lambda x: x, lambda x: x + da, lambda x: x + db)
    else:
        k = 1.0 + (0.3 + 0.9 * amount) if op == "saturate" else 1.0 - (0.3 + 0.6 * amount)
        maps = (lambda x: x, lambda x: (x - 128) * k + 128, lambda x: (x - 128) * k + 128)
    x = np.arange(256, dtype=np.float32)
    lut = np.stack([np.clip(m(x), 0, 255).astype(np.uint8) for m in maps], axis=1).reshape(256, 1, 3)
    lab = cv2.LUT(cv2.cvtColor(image, cv2.COLOR_RGB2LAB), lut)
    return _paste(image, cv2.cvtColor(lab, cv2.COLOR_LAB2RGB), region)


def _paste(image: np.ndarray, res: np.ndarray, region: np.ndarray) -> np.ndarray:
    """``res`` (HxWx3 uint8) inside ``region``, ``image`` elsewhere; no gather of the region's pixels."""
    if region.all():
        return np.ascontiguousarray(res)
    out = image.copy()
    np.copyto(out, res, where=region[..., None])
    return out


def _lut(fn) -> np.ndarray:
    """A per-value map of uint8 levels as a lookup table (rounded as the float formula would be)."""
    return np.clip(fn(np.arange(256, dtype=np.float32)) + 0.5, 0, 255).astype(np.uint8)


def outline(image: np.ndarray, mask: np.ndarray, rgb: tuple[int, int, int], width: int | None = None) -> np.ndarray:
    """The contour of every region of ``mask`` drawn in ``rgb``, ``width`` px (default: 0.6 % of the image)."""
    import cv2

    out = np.ascontiguousarray(image.copy())
    w = width or max(2, round(min(image.shape[:2]) * 0.006))
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    cv2.drawContours(out, contours, -1, tuple(int(v) for v in rgb), w, lineType=cv2.LINE_AA)
    return out


def parse_aspect(text: str) -> float | None:
    """width / height from '16:9', '4x3', '1:1' or 'square'."""
    import re

    t = text.strip().lower()
    if t in ("square", "1", "1:1"):
        return 1.0
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*[:x/]\s*(\d+(?:\.\d+)?)", t)
    if not m or float(m.group(2)) == 0 or float(m.group(1)) == 0:
        return None
    return float(m.group(1)) / float(m.group(2))


def crop_box(
    shape: tuple[int, int], box: Box | None, mask: np.ndarray | None, aspect: str | None, margin: float
) -> tuple[int, int, int, int]:
    """The crop (x1, y1, x2, y2), integer pixels inside the image: the box, else the mask's
    bounding box grown by ``margin``, else the whole image; then grown (or, at the image's
    border, shrunk) to ``aspect`` around its centre."""
    h, w = shape
    if box is not None:
        x1, y1, x2, y2 = box.x1, box.y1, min(box.x2, w), min(box.y2, h)
    elif mask is not None and mask.any():
        ys, xs = np.nonzero(mask)
        mx, my = margin * (xs.max() - xs.min() + 1), margin * (ys.max() - ys.min() + 1)
        x1, y1, x2, y2 = xs.min() - mx, ys.min() - my, xs.max() + 1 + mx, ys.max() + 1 + my
    else:
        x1, y1, x2, y2 = 0, 0, w, h
    if aspect is not None and (ratio := parse_aspect(aspect)):
        cx, cy, bw, bh = (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1
        bw, bh = (bh * ratio, bh) if bw / bh < ratio else (bw, bw / ratio)
        if bw > w or bh > h:  # does not fit: the largest box of that ratio inside the image
            s = min(w / bw, h / bh)
            bw, bh = bw * s, bh * s
        cx, cy = min(max(cx, bw / 2), w - bw / 2), min(max(cy, bh / 2), h - bh / 2)
        x1, y1, x2, y2 = cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2
    x1, y1 = max(0, int(round(x1))), max(0, int(round(y1)))
    x2, y2 = min(w, max(x1 + 1, int(round(x2)))), min(h, max(y1 + 1, int(round(y2))))
    return x1, y1, x2, y2


def crop_without(mask: np.ndarray, least: float = 0.3) -> tuple[int, int, int, int] | None:
    """The crop (x1, y1, x2, y2) that leaves the thing ``mask`` marks out: the largest of the four strips
    beside its bounding box (above, below, left, right of it); None when that keeps under ``least`` of the
    picture (the thing is in the middle: no crop can leave it out and keep much)."""
    h, w = mask.shape
    ys, xs = np.nonzero(mask)
    if not len(xs):
        return None
    x1, x2, y1, y2 = int(xs.min()), int(xs.max()) + 1, int(ys.min()), int(ys.max()) + 1
    strips = [(0, 0, w, y1), (0, y2, w, h), (0, 0, x1, h), (x2, 0, w, h)]
    best = max(strips, key=lambda s: (s[2] - s[0]) * (s[3] - s[1]))
    if (best[2] - best[0]) * (best[3] - best[1]) < least * h * w:
        return None
    return best


def _is_shade(color: str | None) -> bool:
    """A colour named with its lightness ('dark green', 'navy', 'pale pink'): paint that lightness too."""
    from vitron_agent.perception.colors import SHADE_WORDS, SHADES

    key = (color or "").strip().lower()
    return key in SHADES or key.split(" ")[0] in SHADE_WORDS


LIGHTNESS_SLACK = 15.0  # Lab L by which a recoloured thing may differ from its colour's own lightness


def recolor(image: np.ndarray, region: np.ndarray, rgb: tuple[int, int, int], lightness: bool = False) -> np.ndarray:
    """Set hue and chroma inside ``region`` to those of ``rgb``, keeping Lab lightness -- or, with
    ``lightness`` (a shade: 'dark green', 'navy'), moving the region's mean lightness to the
    shade's, texture kept."""
    import cv2

    out = image.copy()
    if not region.any():
        return out
    px = image[region]
    lab = rgb_to_lab(px)
    target = rgb_to_lab(np.array([rgb], np.uint8))[0]
    t_chroma = float(np.hypot(target[1], target[2]))
    mean = float(lab[:, 0].mean())
    if t_chroma < 8:  # black, white, gray: no chroma, the mean lightness the target's, texture kept at half
        # (a share of the old lightness was kept: a black horse made "white" came out mid-grey, L 77)
        lab[:, 1:] = 0
        lab[:, 0] = np.clip(float(np.clip(target[0], 8, 93)) + 0.5 * (lab[:, 0] - mean), 0, 100)
    else:
        chroma = np.hypot(lab[:, 1], lab[:, 2])
        new_c = np.maximum(chroma, 0.75 * t_chroma)
        lab[:, 1] = target[1] / t_chroma * new_c
        lab[:, 2] = target[2] / t_chroma * new_c
        if lightness:
            lab[:, 0] = np.clip(lab[:, 0] + (target[0] - mean), 0, 100)
        else:  # a hue on a far darker or lighter thing: moved toward the colour's lightness, texture kept
            # ("make the black horse red" gave a near-black maroon; a white car "red" a pale pink)
            d = float(target[0]) - mean
            lab[:, 0] = np.clip(lab[:, 0] + np.sign(d) * max(0.0, abs(d) - LIGHTNESS_SLACK), 0, 100)
    rgbf = cv2.cvtColor(lab.reshape(-1, 1, 3).astype(np.float32), cv2.COLOR_Lab2RGB).reshape(-1, 3)
    out[region] = np.clip(rgbf * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return out


def remove(image: np.ndarray, region: np.ndarray) -> np.ndarray:
    """Fill ``region`` (dilated by a few pixels) from its surroundings."""
    import cv2

    h, w = image.shape[:2]
    r = max(2, round(min(h, w) / 100))
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
    hole = cv2.dilate(region.astype(np.uint8), k) > 0
    scale = min(1.0, INPAINT_MAX_SIDE / max(h, w))
    bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    if scale < 1.0:
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        small = cv2.resize(bgr, size, interpolation=cv2.INTER_AREA)
        small_hole = cv2.resize(hole.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST)
        filled = cv2.inpaint(small, small_hole, max(3, r), cv2.INPAINT_TELEA)
        filled = cv2.resize(filled, (w, h), interpolation=cv2.INTER_LINEAR)
    else:
        filled = cv2.inpaint(bgr, hole.astype(np.uint8), max(3, r), cv2.INPAINT_TELEA)
    out = image.copy()
    out[hole] = cv2.cvtColor(filled, cv2.COLOR_BGR2RGB)[hole]
    return out


PYRAMID_SIGMA = 6.0  # above this a Gaussian is computed on a reduced copy (same to the eye, cost ~ pixels)


def gaussian(image: np.ndarray, sigma: float) -> np.ndarray:
    """A Gaussian blur whose cost grows with the pixels, not with sigma: a large sigma is applied
    to a copy reduced by ``sigma / 3`` and scaled back (measured on a 4 MP photo: mean difference
    under 1 level of 255 from the direct blur)."""
    import cv2

    if sigma <= PYRAMID_SIGMA:
        return cv2.GaussianBlur(image, (0, 0), sigma)
    h, w = image.shape[:2]
    f = sigma / 3.0
    small = cv2.resize(image, (max(1, round(w / f)), max(1, round(h / f))), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), 3.0)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def blur(image: np.ndarray, region: np.ndarray, amount: float) -> np.ndarray:
    sigma = max(1.0, (0.5 + 2.5 * amount) * min(image.shape[:2]) / 100)
    return _paste(image, gaussian(image, sigma), region)


def pixelate(image: np.ndarray, region: np.ndarray, amount: float) -> np.ndarray:
    """Blocks of (2 + 6 x amount) % of the region's size -- of its shorter side when it is small
    -- each one colour, inside ``region``: unreadable faces and plates, the rest untouched."""
    import cv2

    out = image.copy()
    if not region.any():
        return out
    ys, xs = np.nonzero(region)
    side = min(ys.max() - ys.min() + 1, xs.max() - xs.min() + 1)
    block = max(3, int(round(side * (0.08 + 0.12 * amount))))
    h, w = image.shape[:2]
    small = cv2.resize(image, (max(1, w // block), max(1, h // block)), interpolation=cv2.INTER_AREA)
    return _paste(image, cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST), region)


def fill(image: np.ndarray, region: np.ndarray, rgb: tuple[int, int, int]) -> np.ndarray:
    out = image.copy()
    out[region] = np.array(rgb, np.uint8)
    return out


def bright_top(image: np.ndarray, region: np.ndarray | None = None) -> float:
    """The level of the brightest 1 % of ``region`` (the whole picture when None or empty)."""
    inside = image[region] if region is not None and region.any() else image.reshape(-1, 3)
    return float(np.percentile(inside.max(axis=-1), 99)) if inside.size else 255.0


def adjust(image: np.ndarray, region: np.ndarray, op: str, amount: float, top: float | None = None) -> np.ndarray:
    """grayscale / brighten / darken / contrast inside ``region``."""
    import cv2

    if op == "grayscale":
        lum = image.reshape(-1, 3).astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
        g = np.clip(lum + 0.5, 0, 255).astype(np.uint8).reshape(image.shape[:2])
        return _paste(image, cv2.merge([g, g, g]), region)
    if op == "brighten":
        # A gamma curve, as photo editors' brightness does: the mid-tones and shadows rise, black stays black
        # and white stays white. (Adding a share of the headroom, as before, lifted black to grey: amount 0.5
        # made 0 -> 127, a haze over every dark picture.) amount 0.5 moves 128 to about 166 and 30 to 67.
        # A region whose brightest tones are well below white (a night shot) is first exposed up, at most
        # 1 + 2 * amount times, so its brightest 1 % reach white: gamma alone barely lifts near-black.
        top = bright_top(image, region) if top is None else top
        gain = min(255.0 / max(top, 1.0), 1.0 + 2.0 * amount) if top < 250 else 1.0
        gamma = 1.0 / (1.0 + 1.2 * amount)
        lut = _lut(lambda x: 255.0 * np.clip(x * gain / 255.0, 0.0, 1.0) ** gamma)
    elif op == "darken":
        # Scaled down, as an exposure change does, so a bright sky or a white wall darkens too.
        lut = _lut(lambda x: x * (1.0 - (0.25 + 0.5 * amount)))
    elif op == "contrast":
        inside = region.astype(np.uint8)
        mean = float(np.mean(cv2.mean(image, mask=inside)[:3])) if inside.any() else 0.0
        lut = _lut(lambda x: (x - mean) * (1.0 + 1.5 * amount) + mean)
    else:
        return image.copy()
    return _paste(image, cv2.LUT(image, lut), region)
