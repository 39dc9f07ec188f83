"""Named colours: reference values and one Lab colour model for naming and selecting.

A pixel is named by its nearest reference colour in CIE Lab (``name_colors`` names k-means
centres the same way), and ``color_mask`` selects the pixels whose nearest name is the colour
asked for, or close to it (``TOLERANCE``): segment, count, describe and recolor share it.
"""

from __future__ import annotations

import re

import numpy as np

from vitron_agent.perception.picture_memo import per_picture

__all__ = [
    "check_color",
    "COLORS",
    "SYNONYMS",
    "SHADES",
    "SHADE_WORDS",
    "shade_rgb",
    "normalise_color",
    "color_mask",
    "color_distance",
    "name_colors",
    "rgb_to_lab",
    "parse_color_value",
    "shade_phrase",
    "light_gains",
    "against_light",
    "achromatic_phrase",
    "object_colour",
    "figure_pixels",
    "box_colour",
]

# name -> reference RGB
COLORS: dict[str, tuple[int, int, int]] = {
    "red": (220, 30, 35),
    "orange": (245, 135, 20),
    "yellow": (240, 215, 40),
    "green": (40, 165, 60),
    "cyan": (30, 200, 210),
    "blue": (30, 70, 215),
    "purple": (125, 45, 170),
    "magenta": (215, 40, 190),
    "pink": (245, 140, 185),
    "brown": (125, 80, 45),
    "black": (0, 0, 0),
    "white": (255, 255, 255),
    "gray": (128, 128, 128),
}
SYNONYMS = {
    "grey": "gray",
    "violet": "purple",
    "teal": "cyan",
    "turquoise": "cyan",
    "gold": "yellow",
    "golden": "yellow",
    "crimson": "red",
    "scarlet": "red",
    "navy": "blue",
    "lime": "green",
    "silver": "gray",
    "tan": "brown",
    "beige": "brown",
    "lilac": "purple",
    "lavender": "purple",
    "maroon": "red",
    "aqua": "cyan",
    "fuchsia": "magenta",
    "olive": "green",
}

# Named shades: the exact colour an edit paints (selection and naming use the base colour in SYNONYMS).
SHADES: dict[str, tuple[int, int, int]] = {
    "navy": (25, 35, 110),
    "teal": (0, 128, 128),
    "turquoise": (64, 210, 200),
    "gold": (212, 175, 55),
    "golden": (212, 175, 55),
    "beige": (225, 205, 165),
    "olive": (110, 120, 35),
    "maroon": (120, 20, 35),
    "crimson": (180, 20, 40),
    "scarlet": (235, 35, 20),
    "lavender": (190, 170, 230),
    "lilac": (200, 160, 220),
    "tan": (210, 180, 140),
    "silver": (192, 192, 192),
    "peach": (255, 200, 160),
    "coral": (255, 127, 80),
    "salmon": (250, 128, 114),
    "mint": (170, 240, 200),
    "khaki": (195, 176, 145),
    "cream": (255, 250, 220),
    "ivory": (255, 255, 240),
    "burgundy": (128, 0, 32),
    "indigo": (75, 0, 130),
    "charcoal": (54, 60, 66),
    "chocolate": (123, 63, 0),
    "lime": (90, 210, 40),
    "aqua": (0, 220, 220),
    "fuchsia": (230, 30, 200),
    "violet": (140, 60, 200),
    "rust": (183, 65, 14),
    "mustard": (225, 173, 1),
    "emerald": (0, 155, 90),
    "sky blue": (135, 200, 235),
    "royal blue": (45, 85, 200),
}
SYNONYMS.update(
    {
        "peach": "orange",
        "coral": "orange",
        "salmon": "pink",
        "mint": "green",
        "khaki": "brown",
        "cream": "white",
        "ivory": "white",
        "burgundy": "red",
        "indigo": "purple",
        "charcoal": "gray",
        "chocolate": "brown",
        "rust": "orange",
        "mustard": "yellow",
        "emerald": "green",
    }
)
SHADE_WORDS = ("dark", "light", "pale", "deep", "bright", "vivid", "soft", "pastel")


def normalise_color(name: str) -> str | None:
    """Canonical colour name for ``name`` (synonyms, shades, case, 'grey'), or None if unknown:
    'dark green' and 'navy' select as green and blue."""
    key = re.sub(r"\s+", " ", name.strip().lower())
    key = re.sub(rf"^(?:{'|'.join(SHADE_WORDS)})[ -]", "", key)
    key = {"sky blue": "blue", "royal blue": "blue"}.get(key, key)
    key = SYNONYMS.get(key, key)
    return key if key in COLORS else None


def shade_rgb(name: str) -> tuple[int, int, int] | None:
    """The exact RGB an edit paints for ``name``: a named shade ('navy', 'peach'), a base colour,
    and a modifier ('dark green', 'pale blue') applied in Lab (lightness and chroma)."""
    key = re.sub(r"\s+", " ", name.strip().lower())
    m = re.match(rf"^(?:({'|'.join(SHADE_WORDS)})[ -])?(.+)$", key)
    mod, base = m.group(1), m.group(2)
    rgb = SHADES.get(base) or (COLORS.get(SYNONYMS.get(base, base)) if normalise_color(base) else None)
    if rgb is None:
        return None
    if mod is None:
        return rgb
    import cv2

    lab = cv2.cvtColor(np.array([[rgb]], np.uint8), cv2.COLOR_RGB2LAB).astype(np.float32)[0, 0]
    L, a, b = lab[0] * 100 / 255, lab[1] - 128, lab[2] - 128
    if mod in ("dark", "deep"):
        L, a, b = max(8.0, L - 25), a * (1.05 if mod == "deep" else 0.9), b * (1.05 if mod == "deep" else 0.9)
    elif mod in ("light", "pale", "pastel", "soft"):
        k = 0.45 if mod in ("pale", "pastel") else 0.7
        L, a, b = min(95.0, L + 25), a * k, b * k
    else:  # bright / vivid
        L, a, b = min(90.0, L + 8), a * 1.2, b * 1.2
    out = cv2.cvtColor(
        np.array([[[L * 255 / 100, a + 128, b + 128]]], np.float32).clip(0, 255).astype(np.uint8), cv2.COLOR_LAB2RGB
    )[0, 0]
    return int(out[0]), int(out[1]), int(out[2])


def check_color(value: str | None) -> None:
    """Raise ``ValueError`` naming the known colours when ``value`` is not one of them."""
    if value is not None and normalise_color(value) is None:
        raise ValueError(f"color {value!r} is unknown; use one of: {', '.join([*COLORS, *SYNONYMS])}")


def parse_color_value(value: str) -> tuple[int, int, int] | None:
    """An RGB triple from a colour name (with a shade: 'dark green', 'navy') or '#rrggbb'."""
    shade = shade_rgb(value)
    if shade is not None:
        return shade
    v = value.strip().lstrip("#")
    if len(v) == 6:
        try:
            return tuple(int(v[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]
        except ValueError:
            return None
    return None


TOLERANCE = 12.0  # Lab ΔE: a pixel is also "orange" when orange is at most this much further than its nearest name


def color_mask(image: np.ndarray, name: str, tolerance: float = TOLERANCE) -> np.ndarray:
    """HxW bool mask of the pixels of ``image`` (HxWx3 uint8 RGB) that look like colour
    ``name``: its nearest named colour in Lab, or within ``tolerance`` of the nearest -- the
    same colour model :func:`name_colors` uses to describe regions, so a colour the agent names
    is a colour it can select, and an orange-red suit answers to "orange" and to "red"."""
    canon = normalise_color(name)
    if canon is None:
        raise ValueError(f"unknown colour {name!r}; known colours: {', '.join(COLORS)}")
    dist = _lut()
    col = list(COLORS).index(canon)
    ok = dist[:, col] <= dist.min(axis=1) + tolerance
    if canon in _HUES:  # a faint but clear tint answers to its hue: pale blue nuclei are "blue"
        ok = ok | _tinted()[canon]
    return ok[_lut_index(image)]


def color_distance(image: np.ndarray, name: str) -> np.ndarray:
    """HxW Lab distance (ΔE, quantised colours) of every pixel to colour ``name``'s reference."""
    canon = normalise_color(name)
    if canon is None:
        raise ValueError(f"unknown colour {name!r}; known colours: {', '.join(COLORS)}")
    return _lut()[:, list(COLORS).index(canon)][_lut_index(image)]


def _lut_index(image: np.ndarray) -> np.ndarray:
    img = np.asarray(image, dtype=np.uint8)
    return (
        (img[..., 0].astype(np.int32) >> 3) << 10
        | (img[..., 1].astype(np.int32) >> 3) << 5
        | (img[..., 2].astype(np.int32) >> 3)
    )


_HUES = ("red", "orange", "yellow", "green", "cyan", "blue", "purple", "magenta")
TINT_CHROMA = 7.0  # Lab chroma from which a hue is visible
_TINTED: dict[str, np.ndarray] | None = None


def _tinted() -> dict[str, np.ndarray]:
    """For each hue name, the quantised colours with a visible tint (chroma >= TINT_CHROMA,
    not near black or white) whose hue angle is closest to that name's."""
    global _TINTED
    if _TINTED is None:
        lab = _grid_lab()
        chroma = np.hypot(lab[:, 1], lab[:, 2])
        angle = np.degrees(np.arctan2(lab[:, 2], lab[:, 1])) % 360
        ref = rgb_to_lab(np.array([COLORS[n] for n in _HUES], dtype=np.uint8))
        ref_angle = np.degrees(np.arctan2(ref[:, 2], ref[:, 1])) % 360
        diff = np.abs((angle[:, None] - ref_angle[None, :] + 180) % 360 - 180)
        nearest = diff.argmin(1)
        visible = (chroma >= TINT_CHROMA) & (lab[:, 0] >= 20) & (lab[:, 0] <= 92)
        _TINTED = {n: visible & (nearest == i) for i, n in enumerate(_HUES)}
    return _TINTED


def _grid_lab() -> np.ndarray:
    q = (np.arange(32) * 8 + 4).astype(np.uint8)
    grid = np.stack(np.meshgrid(q, q, q, indexing="ij"), axis=-1).reshape(-1, 3)
    return rgb_to_lab(grid).reshape(-1, 3)


_LUT = None


def _lut() -> np.ndarray:
    """Lab distance from every RGB colour quantised to 5 bits a channel (32768) to each named colour."""
    global _LUT
    if _LUT is None:
        lab = _grid_lab()
        ref = rgb_to_lab(np.array(list(COLORS.values()), dtype=np.uint8))
        _LUT = np.sqrt(((lab[:, None, :] - ref[None, :, :]) ** 2).sum(-1)).astype(np.float32)
    return _LUT


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """Nx3 (or HxWx3) uint8 RGB -> float32 CIE Lab (L in 0..100)."""
    import cv2

    arr = np.asarray(rgb, dtype=np.float32) / 255.0
    flat = arr.reshape(-1, 1, 3)
    return cv2.cvtColor(flat, cv2.COLOR_RGB2Lab).reshape(arr.shape)


_REF_LAB = None


def _nearest_names(lab: np.ndarray) -> list[str]:
    global _REF_LAB
    if _REF_LAB is None:
        _REF_LAB = rgb_to_lab(np.array(list(COLORS.values()), dtype=np.uint8))
    names = list(COLORS)
    d = ((lab[:, None, :] - _REF_LAB[None, :, :]) ** 2).sum(-1)
    found = [names[i] for i in d.argmin(1)]
    # skies: a deep, dark or greyish blue (a* near 0, the saturated reference's a* is +40) lies nearer
    # grey, purple or black than blue by distance, but people name it by its hue: blue up to blue-violet
    angle = np.degrees(np.arctan2(lab[:, 2], lab[:, 1])) % 360
    blue = (np.hypot(lab[:, 1], lab[:, 2]) >= BLUE_CHROMA) & (angle >= BLUE_HUES[0]) & (angle <= BLUE_HUES[1])
    blue &= lab[:, 0] >= BLUE_MIN_L  # a deep dusk blue is blue, not black; near black it is black
    return ["blue" if b and n in ("gray", "purple", "black") else n for n, b in zip(found, blue, strict=True)]


BLUE_CHROMA = 20.0  # Lab chroma from which a blue hue is named blue, not grey
BLUE_HUES = (240.0, 305.0)  # Lab hue angles named blue (blue's reference 298; purple's 316)
BLUE_MIN_L = 10.0  # Lab L below which a dark blue is named black


@per_picture()
def name_colors(pixels: np.ndarray, k: int = 4, max_samples: int = 20000) -> list[tuple[str, float]]:
    """Dominant named colours of Nx3 uint8 RGB ``pixels``: k-means in Lab (fixed seed),
    each centre named by its nearest reference colour; returns (name, fraction) pairs,
    largest first, same names merged."""
    import cv2

    px = np.asarray(pixels, dtype=np.uint8).reshape(-1, 3)
    if len(px) == 0:
        return []
    if len(px) > max_samples:
        idx = np.linspace(0, len(px) - 1, max_samples).astype(np.int64)
        px = px[idx]
    lab = rgb_to_lab(px).astype(np.float32)
    k = max(1, min(k, len(np.unique(px, axis=0))))
    if k == 1:  # one colour (a 1x1 picture: cv2.kmeans reads a single row as 3 one-value samples)
        return [(_nearest_names(lab.mean(axis=0, keepdims=True))[0], 1.0)]
    cv2.setRNGSeed(0)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    _, labels, centres = cv2.kmeans(lab, k, None, criteria, 3, cv2.KMEANS_PP_CENTERS)
    counts = np.bincount(labels.ravel(), minlength=k).astype(np.float64)
    names = _nearest_names(centres)
    merged: dict[str, float] = {}
    for name, count in zip(names, counts, strict=False):
        merged[name] = merged.get(name, 0.0) + count / counts.sum()
    return sorted(merged.items(), key=lambda kv: -kv[1])


_NOT_SHADES = ("silver", "charcoal", "cream", "ivory", "golden")
SHADE_MARGIN = 6.0  # Lab ΔE by which a named shade must beat the base colour to be named


def shade_phrase(pixels: np.ndarray, base: str) -> str:
    """How a person would name the colour ``base`` of ``pixels`` (Nx3 uint8 RGB): the base name
    ("red"), or "shade/family" when a named shade fits clearly better ("peach/orange" for a
    dahlia whose pixels are nearest to brown one by one, "navy/blue"). Read from the median colour
    of the pixels whose nearest base colour is ``base``."""
    if base not in COLORS or base in ("gray", "black", "white"):
        return base
    px = np.asarray(pixels, dtype=np.uint8).reshape(-1, 3)
    nearest = _lut().argmin(1)[_lut_index(px)]
    own = px[nearest == list(COLORS).index(base)]
    if len(own) < 20:
        return base
    lab = rgb_to_lab(np.median(own, axis=0).astype(np.uint8)[None])[0]
    names = [n for n in SHADES if n not in _NOT_SHADES] + [n for n in COLORS if n not in ("gray", "black", "white")]
    refs = rgb_to_lab(np.array([SHADES.get(n) or COLORS[n] for n in names], dtype=np.uint8))
    d = np.sqrt(((refs - lab) ** 2).sum(1))
    best = names[int(d.argmin())]
    if best == base or d.min() + SHADE_MARGIN >= d[names.index(base)]:
        return base
    family = normalise_color(best) or base
    return best if family == best else f"{best}/{family}"


GAIN_LIMITS = (0.6, 1.6)  # the most a channel is scaled to take the light's cast out


@per_picture()
def light_gains(image: np.ndarray) -> np.ndarray:
    """Per-channel gains (R, G, B) that make the scene's light neutral: the light's colour is
    estimated by shades of grey (the Minkowski p=6 mean of the unclipped pixels, Finlayson &
    Trezzi 2004), and von Kries gains bring it to grey, each kept within GAIN_LIMITS (a scene of
    one colour is not a coloured light)."""
    px = np.asarray(image, np.float64).reshape(-1, 3)
    px = px[(px.max(1) < 250) & (px.max(1) > 10)]
    if len(px) < 100 or _surfaces(px) < MIN_SURFACES:
        return np.ones(3)
    est = (px**6).mean(0) ** (1 / 6)
    gains = est.mean() / np.maximum(est, 1e-6)
    return np.clip(gains, *GAIN_LIMITS)


MIN_SURFACES = 8  # a light is measured off many surfaces; a flat backdrop and one object tell nothing of it


def _surfaces(px: np.ndarray) -> int:
    """How many distinct colours (16 levels a channel) each cover at least 0.5 % of ``px`` (Nx3):
    a photo has dozens; a drawn picture of a disc on a flat backdrop has two, and its one hue is
    the picture's own, not the light's."""
    bins = (px // 16).astype(np.int64) @ np.array([256, 16, 1])
    counts = np.bincount(bins, minlength=4096)
    return int((counts >= 0.005 * len(px)).sum())


def against_light(pixels: np.ndarray, image: np.ndarray) -> np.ndarray:
    """``pixels`` (Nx3 uint8 RGB, part of ``image``) as they would look under neutral light: an
    object's colour judged against the light on it (a silver car in evening light is grey, not
    brown)."""
    gains = light_gains(image)
    return np.clip(np.asarray(pixels, np.float64).reshape(-1, 3) * gains, 0, 255).astype(np.uint8)


DARK_TOP = 130  # a scene whose bright end (99th percentile of its pixels' brightest channel) is under this is dark


@per_picture()
def exposure_gain(image: np.ndarray) -> float:
    """How much brighter a dark picture (a night shot, an underexposed one) must be for its bright
    end to look white, as eyes adapted to it see it (1 for a picture that is not dark; at most 5)."""
    top = float(np.percentile(np.asarray(image, np.uint8).reshape(-1, 3).max(1), 99))
    return 1.0 if top >= DARK_TOP else min(5.0, 230.0 / max(top, 10.0))


def exposed(pixels: np.ndarray, image: np.ndarray) -> np.ndarray:
    """``pixels`` (uint8 RGB, part of ``image``) as seen with eyes adapted to the picture's light:
    brightened by :func:`exposure_gain` (the same array when the picture is not dark)."""
    gain = exposure_gain(image)
    if gain == 1.0:
        return pixels
    return np.clip(np.asarray(pixels, np.float64) * gain, 0, 255).astype(np.uint8)


def achromatic_phrase(pixels: np.ndarray, scene: np.ndarray | None = None) -> str:
    """'silver/grey', 'dark grey', 'white' or 'black' for pixels without a hue (Nx3 uint8 RGB),
    from their median lightness (Lab L: >= 88 white, 55-88 silver/grey, 25-55 dark grey, else black).
    With ``scene`` (the picture they are in) the lightness is judged against the scene's white, as
    people judge it (the brightest surfaces look white: a white rocket at dusk, L 50 in a scene whose
    brightest 5 % are L 45, is white): L x 100 / the scene's 95th percentile (at least 40)."""
    px = np.asarray(pixels, np.uint8).reshape(-1, 3)
    if not len(px):
        return "gray"
    light = float(np.median(rgb_to_lab(px)[:, 0]))
    if scene is not None:
        sample = np.asarray(scene, np.uint8).reshape(-1, 3)[::7]
        light *= 100 / max(40.0, float(np.percentile(rgb_to_lab(sample)[:, 0], 95)))
    return "white" if light >= 88 else "silver/grey" if light >= 55 else "dark grey" if light >= 25 else "black"


def object_colour(
    pixels: np.ndarray, image: np.ndarray, floor: float = 0.12, natural: bool = False, vivid: bool = False
) -> tuple[list[tuple[str, float]], str, str]:
    """(named colours, the colour a person would say, a note) for an object's pixels in ``image``,
    judged against the light: when the hue the pixels show is the light's cast (under neutral
    light, :func:`against_light`, no hue covers ``floor`` of them) the object is grey, silver,
    white or black and the note says so; otherwise the colours as seen, with the shade
    (:func:`shade_phrase`). A cat's ginger stays ginger: only an object with no hue of its own
    is turned grey, and a ``natural`` one (an animal, a person, food, a plant: their browns and
    tawnies are their own, and the light on a savannah is measured from the same colours) never is.
    ``vivid``: of the hues covering ``floor``, the one people would name is the most striking
    (share x chroma: a motorcycle's red paint, not the brown of its shadows and the bench behind
    it), not the largest -- for pixels that still hold some background (:func:`box_colour`)."""
    achromatic = ("gray", "black", "white")
    pixels, image = exposed(pixels, image), exposed(image, image)  # a night shot: as adapted eyes see it
    colors = name_colors(pixels)
    hues = [c for c, f in colors if c not in achromatic and f >= floor]
    main = (max(hues, key=_salience(pixels)) if vivid and hues else None) or next(iter(hues), None)
    if main is None:  # no hue: grey, silver, white or black by its lightness against the scene's white
        pale = _pale(against_light(pixels, image)) if colors and not natural else None
        return colors, pale or (achromatic_phrase(pixels, image) if colors else "no colour"), ""
    if natural:
        return colors, shade_phrase(pixels, main), ""
    neutral = against_light(pixels, image)
    balanced = name_colors(neutral)
    if any(c not in achromatic and f >= floor for c, f in balanced) or _own_hue(pixels, image):
        return colors, shade_phrase(pixels, main), ""
    cast = "warm" if main in ("brown", "orange", "yellow", "red", "pink") else "cool"
    return (
        balanced,
        achromatic_phrase(neutral),
        f"its {main} tint is the light's {cast} cast: under neutral light it has no colour of its own",
    )


PALE = ("beige", "cream", "khaki", "tan", "peach", "lavender", "mint", "sky blue", "lilac")
PALE_CHROMA = 9.0  # Lab chroma of the median colour under neutral light: a pale colour, not a grey


def _pale(neutral: np.ndarray) -> str | None:
    """The pale colour people would name ("beige", "cream", "khaki") for pixels that no base colour
    claims (Nx3 uint8 RGB, under neutral light, :func:`against_light`): one whose median colour
    keeps a hue of Lab chroma at least :data:`PALE_CHROMA` and is light (L >= 45); None for a grey,
    a white or a black (a beige suit had been said "silver/grey": k-means names its centres
    white and grey, the nearest base colours)."""
    px = np.asarray(neutral, np.uint8).reshape(-1, 3)
    if len(px) < 20:
        return None
    lab = rgb_to_lab(np.median(px, axis=0).astype(np.uint8)[None])[0]
    if lab[0] < 45 or float(np.hypot(lab[1], lab[2])) < PALE_CHROMA:
        return None
    refs = rgb_to_lab(np.array([SHADES[n] for n in PALE], dtype=np.uint8))
    return PALE[int(np.sqrt(((refs - lab) ** 2).sum(1)).argmin())]


def _salience(pixels: np.ndarray):
    """name -> share x median Lab chroma of the pixels nearest that name (how striking it is)."""
    px = np.asarray(pixels, np.uint8).reshape(-1, 3)
    nearest = _lut().argmin(1)[_lut_index(px)]
    lab = rgb_to_lab(px)
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    names = list(COLORS)

    def salience(name: str) -> float:
        own = nearest == names.index(name)
        return float(own.mean() * np.median(chroma[own])) if own.any() else 0.0

    return salience


def _own_hue(pixels: np.ndarray, image: np.ndarray) -> bool:
    """Whether the pixels are more colourful than a grey of their lightness would look under the
    scene's light (median Lab chroma above that grey's + 2): a tawny lion on a tawny
    savannah keeps its colour; a grey car in evening light does not."""
    px = np.asarray(pixels, np.uint8).reshape(-1, 3)
    lab = rgb_to_lab(px)
    chroma = float(np.median(np.hypot(lab[:, 1], lab[:, 2])))
    level = float(np.median(px.astype(np.float64).mean(1)))
    grey_under = np.clip(np.full(3, level) / light_gains(image), 0, 255).astype(np.uint8)[None]
    cast = float(np.hypot(*rgb_to_lab(grey_under)[0, 1:]))
    return chroma > cast + 2


RIM = 0.1  # the rim: this share of the box's shorter side along each edge
BACKGROUND_RATIO = 2.0  # a colour this many times commoner on the rim than in the middle is the background's


def figure_pixels(image: np.ndarray, box: tuple[float, float, float, float], max_side: int = 96) -> np.ndarray:
    """The pixels of the thing an XYXY ``box`` bounds (Nx3 uint8 RGB, from a copy of the box at most
    ``max_side`` px), without the background the box shows around it. The box's colours are
    clustered (k-means in Lab); a cluster BACKGROUND_RATIO times commoner on the box's rim than in
    its middle 60 % is background (the grey garage floor around a motorcycle), the others are the
    thing's (its red tank and black engine; an astronaut's orange suit, which reaches the box's
    sides but fills its middle too). A side of the box on the picture's edge is not rim: the thing
    is cut off there. When that leaves under 10 % of the box, the box's middle 60 % is used."""
    import cv2

    h, w = image.shape[:2]
    x1, y1 = max(0, int(box[0])), max(0, int(box[1]))
    x2, y2 = min(w, int(np.ceil(box[2]))), min(h, int(np.ceil(box[3])))
    crop = np.ascontiguousarray(np.asarray(image, np.uint8)[y1:y2, x1:x2, :3])
    if crop.size == 0:
        return np.zeros((0, 3), np.uint8)
    scale = min(1.0, max_side / max(crop.shape[:2]))
    if scale < 1.0:
        size = (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale)))
        crop = cv2.resize(crop, size, interpolation=cv2.INTER_AREA)
    ch, cw = crop.shape[:2]
    middle = np.zeros((ch, cw), bool)
    middle[
        int(ch * 0.2) : max(int(ch * 0.2) + 1, int(ch * 0.8)), int(cw * 0.2) : max(int(cw * 0.2) + 1, int(cw * 0.8))
    ] = True
    r = max(1, round(RIM * min(ch, cw)))
    rim = ~np.pad(np.ones((max(0, ch - 2 * r), max(0, cw - 2 * r)), bool), r)[:ch, :cw]
    for cut, side in (
        (y1 == 0, np.s_[:r, :]),
        (y2 == h, np.s_[-r:, :]),
        (x1 == 0, np.s_[:, :r]),
        (x2 == w, np.s_[:, -r:]),
    ):
        if cut:  # the thing is cut off by the picture's edge here
            rim[side] = False
    if rim.sum() < 0.05 * ch * cw or min(ch, cw) < 8:
        return crop[middle]
    labels, k = _clusters(rgb_to_lab(crop).reshape(-1, 3).astype(np.float32))
    labels = labels.reshape(ch, cw)
    on_rim = np.bincount(labels[rim], minlength=k) / rim.sum()
    in_middle = np.bincount(labels[middle], minlength=k) / middle.sum()
    background = on_rim > BACKGROUND_RATIO * in_middle
    own = ~background[labels] & ~rim
    return crop[own] if own.sum() >= 0.1 * ch * cw else crop[middle]


def _clusters(lab: np.ndarray, k: int = 6) -> tuple[np.ndarray, int]:
    """k-means labels (fixed seed) of Nx3 float32 Lab colours, and k."""
    import cv2

    k = max(1, min(k, len(lab)))
    cv2.setRNGSeed(0)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 15, 0.5)
    _, labels, _ = cv2.kmeans(lab, k, None, criteria, 2, cv2.KMEANS_PP_CENTERS)
    return labels.ravel(), k


def box_colour(
    image: np.ndarray, box: tuple[float, float, float, float], natural: bool = False, floor: float = 0.1
) -> str:
    """The colour a person would say for the thing in an XYXY ``box`` of ``image``: its figure
    pixels (:func:`figure_pixels`) judged against the light (:func:`object_colour`)."""
    px = figure_pixels(image, box)
    return object_colour(px, image, floor, natural, vivid=True)[1] if len(px) else "no colour"
