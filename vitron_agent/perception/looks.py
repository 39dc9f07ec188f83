"""Looks that need no model: classic image-processing effects people ask of a photo or a clip, each a
known formula, applied inside a region (or the whole picture) and keeping the size:

* ``sepia`` -- the standard sepia colour matrix (Microsoft's, as every editor uses), blended by strength;
* ``vignette`` -- the edges darkened by a radial falloff (the whole frame: a vignette has no region);
* ``grain`` -- film grain: monochrome Gaussian noise on the brightness, seeded by the picture itself
  (the same picture gets the same grain; each frame of a clip its own);
* ``invert`` -- the negative;
* ``sketch`` -- a pencil sketch: the grey picture "colour-dodged" by its blurred negative;
* ``cartoon`` -- flat colours (edge-preserving smoothing, then few levels) with dark outlines;
* ``posterize`` -- few levels per channel (2 to 8 by strength);
* ``emboss`` -- a grey relief (the emboss kernel, lit from the top left).

And two that draw: ``border`` (a frame of a colour around the picture: the size grows) and ``text`` (a
caption, title or watermark in a place, white with a dark outline by default; long text is wrapped and
shrunk to fit). Text is drawn with a wide font where one is installed (DejaVu Sans, Noto Sans, ... or
``$VITRON_FONT``), else Pillow's bundled ASCII-only font; letters a font cannot draw are refused by name
(:func:`undrawable`), never drawn as empty boxes.
"""

from __future__ import annotations

import functools

import numpy as np

__all__ = ["LOOKS", "apply_look", "border", "draw_text", "undrawable", "text_misfit", "TEXT_PLACES"]

LOOKS = ("sepia", "vignette", "grain", "invert", "sketch", "cartoon", "posterize", "emboss")
TEXT_PLACES = ("bottom", "top", "center", "top_left", "top_right", "bottom_left", "bottom_right")

_SEPIA = np.array([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]], np.float32)


def _gray(image: np.ndarray) -> np.ndarray:
    return image[..., :3].astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)


def _as_rgb(gray: np.ndarray) -> np.ndarray:
    return np.repeat(np.clip(gray, 0, 255)[..., None], 3, axis=2)


def _sepia(image: np.ndarray, amount: float) -> np.ndarray:
    toned = image.astype(np.float32) @ _SEPIA.T
    s = min(1.0, 0.4 + 1.2 * amount)  # the default strength (0.5) is full sepia
    return image * (1 - s) + toned * s


def _vignette(image: np.ndarray, amount: float) -> np.ndarray:
    h, w = image.shape[:2]
    y, x = np.ogrid[:h, :w]
    r2 = ((x - (w - 1) / 2) / (w / 2)) ** 2 + ((y - (h - 1) / 2) / (h / 2)) ** 2  # 0 centre, 2 at corners
    strength = 0.25 + 0.7 * amount
    gain = np.clip(1 - strength * (np.clip(r2 - 0.25, 0, None) / 1.75) ** 0.9, 0, 1).astype(np.float32)
    return image.astype(np.float32) * gain[..., None]


def _grain(image: np.ndarray, amount: float) -> np.ndarray:
    import zlib

    seed = zlib.crc32(np.ascontiguousarray(image[::7, ::7]).tobytes())
    noise = np.random.default_rng(seed).normal(0, 4 + 30 * amount, image.shape[:2]).astype(np.float32)
    return image.astype(np.float32) + noise[..., None]


def _sketch(image: np.ndarray, amount: float) -> np.ndarray:
    import cv2

    gray = _gray(image)
    sigma = 2 + 10 * amount
    blurred_negative = cv2.GaussianBlur(255 - gray, (0, 0), sigma)
    dodge = gray * 255 / np.maximum(1, 255 - blurred_negative)
    return _as_rgb(dodge)


def _cartoon(image: np.ndarray, amount: float) -> np.ndarray:
    import cv2

    rgb = np.ascontiguousarray(image[..., :3])
    smooth = rgb
    for _ in range(2):
        smooth = cv2.bilateralFilter(smooth, 9, 60, 7)
    step = 256 // (4 + int(round(4 * (1 - amount))))  # stronger: fewer colours
    flat = (smooth // step) * step + step // 2
    gray = cv2.medianBlur(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), 7)
    block = max(3, (min(rgb.shape[:2]) // 60) | 1)
    edges = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, 4)
    return np.where(edges[..., None] > 0, flat, flat // 4).astype(np.float32)


def _posterize(image: np.ndarray, amount: float) -> np.ndarray:
    levels = int(round(8 - 6 * amount))  # 0.5 -> 5 levels; strong -> 2
    step = 256.0 / max(2, levels)
    return (np.floor(image.astype(np.float32) / step) + 0.5) * step


def _emboss(image: np.ndarray, amount: float) -> np.ndarray:
    import cv2

    kernel = np.array([[-2, -1, 0], [-1, 0, 1], [0, 1, 2]], np.float32) * (0.5 + amount)  # sums to 0: relief only
    return _as_rgb(128 + cv2.filter2D(_gray(image), -1, kernel))


_FUNCS = {
    "sepia": _sepia,
    "vignette": _vignette,
    "grain": _grain,
    "invert": lambda image, amount: 255.0 - image.astype(np.float32),
    "sketch": _sketch,
    "cartoon": _cartoon,
    "posterize": _posterize,
    "emboss": _emboss,
}


def apply_look(image: np.ndarray, region: np.ndarray | None, look: str, amount: float = 0.5) -> np.ndarray:
    """``look`` (one of :data:`LOOKS`) on an HxWx3 uint8 RGB image, inside ``region`` (HxW bool; None or a
    vignette: the whole picture). Same size and dtype out."""
    out = np.clip(_FUNCS[look](image[..., :3], float(amount)), 0, 255).astype(np.uint8)
    if region is None or look == "vignette" or region.all():
        return out
    return np.where(region[..., None], out, image[..., :3])


def border(image: np.ndarray, rgb: tuple[int, int, int], width: int | None = None, amount: float = 0.5) -> np.ndarray:
    """``image`` inside a frame of colour ``rgb``, ``width`` pixels wide (default by ``amount``: 1.6 % of the
    shorter side when thin (0.2), 4.5 % by default, 7.3 % when thick (0.9))."""
    h, w = image.shape[:2]
    t = max(1, int(width) if width else round((0.01 + 0.07 * amount) * min(h, w)))
    out = np.empty((h + 2 * t, w + 2 * t, image.shape[2]), image.dtype)
    out[...] = (*rgb, 255)[: image.shape[2]]
    out[t : t + h, t : t + w] = image
    return out


# fonts with more than ASCII (accents, Greek, Cyrillic, Hebrew, Arabic, symbols), used where installed;
# Pillow's bundled font has ASCII only: "Café", "Jürgen", "©" and emoji came out as empty boxes, said done
_WIDE_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)
_NO_GLYPH = "\U0010fffd"  # a private-use character no font draws: what a missing letter looks like


def _font_path() -> str | None:
    """``$VITRON_FONT`` or the first wide font installed (None: Pillow's bundled one)."""
    import os

    named = os.environ.get("VITRON_FONT")
    for path in ((named,) if named else ()) + _WIDE_FONTS:
        if path and os.path.isfile(path):
            return path
    return None


@functools.lru_cache(maxsize=32)
def _font(size: int):
    from PIL import ImageFont

    path = _font_path()
    if path:
        try:
            return ImageFont.truetype(path, max(8, int(size)))
        except OSError:
            pass
    return ImageFont.load_default(size=max(8, int(size)))


def undrawable(text: str) -> str:
    """Why ``text`` cannot be drawn as given, or "": invisible control characters (a NUL, a bell, a
    right-to-left override that reverses what follows) and letters the font has no glyph for (drawn
    as empty boxes). Said before drawing, so that the answer never claims words it did not write."""
    import unicodedata

    controls = sorted({c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") and c not in "\n\t"})
    if controls:
        named = ", ".join(f"U+{ord(c):04X}" for c in controls[:5])
        return f"the text has invisible control characters ({named}) that cannot be drawn: send it without them"
    font = _font(24)
    blank = _glyph(font, _NO_GLYPH)
    missing = [c for c in dict.fromkeys(text) if not c.isspace() and _glyph(font, c) == blank]
    if not missing:
        return ""
    shown = " ".join(missing[:8]) + (" ..." if len(missing) > 8 else "")
    return (
        f"the font here has no letters for {shown} (they would be drawn as empty boxes): write the text without "
        "them, or install a font that has them (fonts-dejavu or fonts-noto) or set VITRON_FONT to such a .ttf file"
    )


def _glyph(font, char: str) -> tuple:
    """A character's rendered bitmap, to compare with the missing-glyph box."""
    mask = font.getmask(char)
    return (mask.size, bytes(mask))


def _wrapped(draw, text: str, size: int, max_width: int) -> tuple[str, object]:
    """The text broken into lines that fit ``max_width`` at ``size`` (shrunk down to 8 px if a word alone
    does not fit), and its font."""
    while True:
        font = _font(size)
        lines, line = [], ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=font) <= max_width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
        if size <= 8 or all(draw.textlength(x, font=font) <= max_width for x in lines) and len(lines) <= 4:
            return "\n".join(lines), font
        size = int(size * 0.85)


def text_misfit(width: int, height: int, text: str, place: str = "bottom", amount: float = 0.5) -> str:
    """Why ``text`` does not fit a ``width`` x ``height`` picture even at the smallest size, or "": the
    lines beyond the picture's edge were cut off (300 characters on a 64x48 picture: 2 lines of 30 seen),
    said written."""
    from PIL import Image, ImageDraw

    body, font, (tw, th) = _layout(ImageDraw.Draw(Image.new("RGB", (1, 1))), width, height, text, place, amount)
    margin = max(4, round(0.03 * min(height, width)))
    if tw <= width and th <= height - margin:
        return ""
    lines = body.count("\n") + 1
    return (
        f"the text does not fit this {width}x{height} picture: even at {font.size} px it needs {round(tw)}x{round(th)} "
        f"pixels ({lines} line{'s' if lines > 1 else ''}); write fewer words, or enlarge the picture first"
    )


def _layout(draw, w: int, h: int, text: str, place: str, amount: float):
    """The wrapped text, its font and its size (with its outline) on a ``w`` x ``h`` picture."""
    margin = max(4, round(0.03 * min(h, w)))
    small = place not in ("bottom", "top", "center")  # a corner: a watermark, smaller
    size = round(h * (0.04 + 0.08 * amount) * (0.6 if small else 1.0))
    body, font = _wrapped(draw, " ".join(text.split()), size, w - 2 * margin)
    stroke = max(1, round(font.size / 12))
    x1, y1, x2, y2 = draw.multiline_textbbox((0, 0), body, font=font, stroke_width=stroke, align="center")
    return body, font, (x2 - x1, y2 - y1)


def draw_text(
    image: np.ndarray,
    text: str,
    place: str = "bottom",
    rgb: tuple[int, int, int] = (255, 255, 255),
    amount: float = 0.5,
) -> np.ndarray:
    """``text`` drawn on ``image`` at ``place`` (:data:`TEXT_PLACES`), in colour ``rgb`` with a dark (or, for
    dark text, light) outline so that it reads on any picture; its height ~4-12 % of the picture's by ``amount``."""
    from PIL import Image, ImageDraw

    h, w = image.shape[:2]
    pil = Image.fromarray(np.ascontiguousarray(image[..., :3]))
    draw = ImageDraw.Draw(pil)
    margin = max(4, round(0.03 * min(h, w)))
    body, font, (tw, th) = _layout(draw, w, h, text, place, amount)
    stroke = max(1, round(font.size / 12))
    x1, y1, _, _ = draw.multiline_textbbox((0, 0), body, font=font, stroke_width=stroke, align="center")
    col = {"left": margin, "right": w - margin - tw}.get(place.split("_")[-1], (w - tw) // 2)
    row = {"top": margin, "bottom": h - margin - th, "center": (h - th) // 2}[place.split("_")[0]]
    light = sum(rgb) > 384
    outline = (0, 0, 0) if light else (255, 255, 255)
    draw.multiline_text(
        (col - x1, row - y1), body, font=font, fill=tuple(rgb), stroke_width=stroke, stroke_fill=outline, align="center"
    )
    out = np.asarray(pil)
    if image.shape[2] == 4:
        out = np.dstack([out, image[..., 3]])
    return out
