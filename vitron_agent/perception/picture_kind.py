"""Is this a photograph? Measured cues that say when the detector's world does not apply (issue 42).

The detector (SSD-MobileNetV2, COCO) and the classifier (EfficientNet-Lite2, ImageNet) learnt from
photographs. On a screenshot, a diagram, a drawing or a computer render they still answer, and
answer surely: a chart "a white book", a docs screenshot "a white laptop or a book". Such a picture
is told apart by what a camera leaves in every photograph and a drawing program does not:

* ``noise``: of the quiet pixels (no strong edge) at least 2 pixels away from any near-white or
  near-black one, the share that differ by 2 grey levels or more from the median of their 3x3
  neighbourhood (0 when such pixels are under 2 % of the picture): sensor noise and grain make
  this large in a photograph (0.15-0.85 on the labelled set, JPEG-compressed too); flat fills and
  smooth gradients keep it near 0 in a render (below 0.1; JPEG blocks lift it a little).
* ``clipped``: the share of near-white or near-black pixels (a page, a screen, an icon's ground).
* ``mid``: the share of moderate luminance gradients (textures, soft shading), which tells a
  page of text from a chart once the picture is known to be made.
* ``graphic``: how much of the classifier's belief goes to names of made pictures (web site,
  comic book, jigsaw puzzle, envelope, menu, crossword ...) -- 0 without the classifier.

A logistic model over these gives the probability that the picture is a photograph; its
weights were fitted by ``benchmarks/picture_kinds.py`` on the tuning half of the labelled set in
``benchmarks/recognition/picture_kinds.json`` (photos, renders, screenshots, diagrams and icons
from installed packages and made pictures), which prints the held-out half's accuracy. Between
:data:`UNSURE_LOW` and :data:`UNSURE_HIGH` the answer is "perhaps not a photograph" and the
description says so. Known weakness: a photographed painting has a photograph's grain; only the
classifier's names ("comic book", "jigsaw puzzle") can flag it, and often do not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from vitron_agent.perception.picture_memo import per_picture

__all__ = [
    "PictureKind",
    "picture_kind",
    "picture_cues",
    "made_picture_note",
    "surface_view",
    "GRAPHIC_NAMES",
    "UNSURE_LOW",
    "UNSURE_HIGH",
]

# ImageNet names the classifier gives to made pictures (screens, pages, drawings), not to scenes
GRAPHIC_NAMES = frozenset(
    {
        "web site",
        "comic book",
        "jigsaw puzzle",
        "envelope",
        "menu",
        "crossword puzzle",
        "book jacket",
        "oscilloscope",
        "scoreboard",
        "binder",
        "packet",
    }
)
SCREEN_NAMES = frozenset({"web site", "menu", "crossword puzzle", "scoreboard"})
CHART_NAMES = frozenset({"oscilloscope"})

# fitted by benchmarks/picture_kinds.py on the tuning half (logistic regression, features standardised
# by the tuning half's means and spreads below); p(photo) = sigmoid(BIAS + sum(w * (x - mean) / sd))
FEATURES = ("clipped", "graphic", "noise")
MEANS = {"clipped": 0.325, "graphic": 0.118, "noise": 0.184}
SPREADS = {"clipped": 0.37, "graphic": 0.219, "noise": 0.223}
WEIGHTS = {"clipped": -2.335, "graphic": -1.681, "noise": 2.45}
BIAS = -2.131

UNSURE_LOW, UNSURE_HIGH = (
    0.2,
    0.5,
)  # p(photo) below: not a photograph; between: perhaps not one (set on the tuning half)


@dataclass(frozen=True)
class PictureKind:
    """What kind of picture this is, by measured cues.

    ``p_photo``: the logistic model's probability that it is a photograph (0..1); ``photo``: it is
    at least :data:`UNSURE_HIGH`; ``kind``: in words, "a photograph", "a screenshot or a page of
    text", "a chart, a diagram or a drawing", "a drawing or a computer-made picture", "a photograph cut
    out on a plain ground"; ``cues``: the measured
    features (for ``method`` and --verbose)."""

    p_photo: float
    kind: str
    cues: dict[str, float] = field(default_factory=dict)

    @property
    def photo(self) -> bool:
        return self.p_photo >= UNSURE_HIGH

    @property
    def sure(self) -> bool:
        """Sure either way (outside the unsure band)."""
        return not UNSURE_LOW <= self.p_photo < UNSURE_HIGH

    def words(self) -> str:
        """'a screenshot or a page of text' when sure it is not a photograph, 'perhaps a drawing or
        a computer-made picture rather than a photograph' when unsure, '' for a photograph."""
        if self.photo:
            return ""
        return self.kind if self.sure else f"perhaps {self.kind} rather than a photograph"

    def describe(self) -> str:
        """For ``method``: 'picture kind: screenshot or page of text, p(photo) 0.04 (noise 0.01, ...)'."""
        cues = ", ".join(f"{k} {v:.2f}" for k, v in self.cues.items())
        return f"picture kind: {self.kind.removeprefix('a ')}, p(photo) {self.p_photo:.2f} ({cues})"


def _small(image: np.ndarray, side: int = 512) -> np.ndarray:
    """The picture at most ``side`` pixels a side (area-averaged), so cues do not depend on its size."""
    import cv2

    h, w = image.shape[:2]
    s = side / max(h, w)
    if s >= 1:
        return image
    return cv2.resize(image, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)


@per_picture(maxsize=8)
def picture_cues(image: np.ndarray) -> dict[str, float]:
    """The pixel cues (``noise``, ``clipped``, ``mid``) of an HxWx3 uint8 RGB picture, each in 0..1
    (see the module docstring), measured at most 512 pixels a side."""
    import cv2

    rgb = _stretched(np.ascontiguousarray(_small(image)))
    luma = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if min(luma.shape) < 3:
        return {"noise": 0.0, "clipped": 1.0, "mid": 0.0}
    g = luma.astype(np.float32)
    mag = np.hypot(cv2.Sobel(g, cv2.CV_32F, 1, 0), cv2.Sobel(g, cv2.CV_32F, 0, 1))
    residual = np.abs(rgb.astype(np.int16) - cv2.medianBlur(rgb, 3).astype(np.int16)).max(2)
    unclipped = (luma > 10) & (luma < 245)
    # grain is looked for away from clipped areas: a blown-out backdrop has none, nor the
    # anti-aliased edge of text on a white page; what is left of a page is its flat panels
    inner = cv2.erode(unclipped.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    quiet = (mag < 40) & inner
    noise = float((residual[quiet] >= 2).mean()) if quiet.sum() >= 0.02 * quiet.size else 0.0
    clipped = float(1 - unclipped.mean())
    return {"noise": noise, "clipped": clipped, "mid": float(((mag > 20) & (mag <= 200)).mean())}


NARROW = 100  # a picture whose 1st-99th percentile span is narrower is stretched before its grain is measured


def _stretched(rgb: np.ndarray) -> np.ndarray:
    """A dark or low-contrast picture (1st-99th percentile span under :data:`NARROW` levels) stretched
    to that span over 0-255, so an underexposed photograph's grain and ground are measured as a
    normally exposed one's (darkening a photograph squeezes its grain under 2 levels); others as they are."""
    lo, hi = np.percentile(rgb, [1, 99])
    if hi - lo >= NARROW:
        return rgb
    scale = 255.0 / max(float(hi - lo), 1.0)
    return np.clip((rgb.astype(np.float32) - lo) * scale, 0, 255).astype(np.uint8)


def _graphic_share(image: np.ndarray) -> tuple[float, list[tuple[str, float]]]:
    """(the classifier's top-5 belief in :data:`GRAPHIC_NAMES`, its top-5 names); (0, []) without it."""
    from vitron_agent.perception.classifier import classifier_ready, classify

    if not classifier_ready():
        return 0.0, []
    top = classify(image, None, 5)
    return float(sum(p for n, p in top if n in GRAPHIC_NAMES)), top


def photo_probability(cues: dict[str, float]) -> float:
    """The logistic model's p(photograph) for measured ``cues`` (the keys of :data:`FEATURES`)."""
    z = BIAS + sum(WEIGHTS[k] * (cues[k] - MEANS[k]) / SPREADS[k] for k in FEATURES)
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def _kind_words(cues: dict[str, float], top: list[tuple[str, float]]) -> str:
    """Which kind of made picture, by the classifier's first name and the cues: a page or screen
    (text on a plain ground), a chart or diagram (lines on a plain ground), else a drawing or render."""
    first = top[0][0] if top and top[0][1] >= 0.2 else ""
    if cues["noise"] >= 0.3 and cues["clipped"] >= 0.4 and first not in SCREEN_NAMES:
        return "a photograph cut out on a plain ground"  # grain inside, a blown-out or pasted ground around
    if first in SCREEN_NAMES or (cues["clipped"] >= 0.6 and cues["mid"] >= 0.08):
        return "a screenshot or a page of text"
    if first in CHART_NAMES or cues["clipped"] >= 0.6:
        return "a chart, a diagram or a drawing"
    return "a drawing or a computer-made picture"


@per_picture(maxsize=8)
def picture_kind(image: np.ndarray) -> PictureKind:
    """What kind of picture ``image`` (HxWx3 uint8 RGB) is: a photograph or a made picture, with the
    probability and the cues behind it (computed once per picture)."""
    cues = dict(picture_cues(image))
    cues["graphic"], top = _graphic_share(image)
    p = photo_probability(cues)
    kind = "a photograph" if p >= UNSURE_HIGH else _kind_words(cues, top)
    return PictureKind(p_photo=round(p, 3), kind=kind, cues={k: round(v, 3) for k, v in cues.items()})


def _reasons(cues: dict[str, float]) -> str:
    """The measured cues in words: 'no camera grain, mostly plain white or black'."""
    said = []
    if cues.get("noise", 1.0) < 0.1:
        said.append("no camera grain")
    elif cues.get("noise", 1.0) < 0.2:
        said.append("little camera grain")
    if cues.get("clipped", 0.0) >= 0.5:
        said.append("mostly plain white or black")
    if cues.get("graphic", 0.0) >= 0.3:
        said.append("the classifier sees a page or a screen")
    return ", ".join(said)


SURFACE_EDGES = 0.15  # cells' edge energy varying less than this (spread / mean) ...
SURFACE_COLOURS = 0.35  # ... and their colour mix differing from the whole's by less than this: a surface


@per_picture(maxsize=8)
def surface_cues(image: np.ndarray) -> dict[str, float]:
    """How much the picture's 4x4 cells differ (HxWx3 uint8 RGB, measured at 256x256): ``edges``, the
    spread of the cells' mean gradient over its mean, and ``colours``, the median share of a cell's
    pixels whose colour cluster (12 k-means clusters in Lab) differs from the whole picture's mix. A
    texture, a close-up of a surface (a circuit board, fabric, gravel) or a microscope field has the
    same pattern everywhere: both are low (gravel 0.03 / 0.06, brick 0.09 / 0.21, a stained tissue
    0.14 / 0.33); a scene has a figure on a ground (a cat 0.39, an astronaut 0.30, coins 0.20)."""
    import cv2

    im = cv2.resize(np.ascontiguousarray(image[..., :3]), (256, 256), interpolation=cv2.INTER_AREA)
    lab = cv2.cvtColor(im, cv2.COLOR_RGB2LAB).reshape(-1, 3).astype(np.float32)
    crit = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 10, 1.0)
    cv2.setRNGSeed(0)
    _, lbl, _ = cv2.kmeans(lab, 12, None, crit, 1, cv2.KMEANS_PP_CENTERS)
    lbl = lbl.reshape(256, 256)
    g = cv2.cvtColor(im, cv2.COLOR_RGB2GRAY).astype(np.float32)
    mag = np.hypot(cv2.Sobel(g, cv2.CV_32F, 1, 0), cv2.Sobel(g, cv2.CV_32F, 0, 1))
    whole = np.bincount(lbl.ravel(), minlength=12) / lbl.size
    mix, edges = [], []
    for i in range(4):
        for j in range(4):
            cell = (slice(64 * i, 64 * i + 64), slice(64 * j, 64 * j + 64))
            mix.append(0.5 * np.abs(np.bincount(lbl[cell].ravel(), minlength=12) / 4096 - whole).sum())
            edges.append(mag[cell].mean())
    e = np.array(edges)
    return {"edges": float(e.std() / max(float(e.mean()), 1e-3)), "colours": float(np.median(mix))}


def surface_view(image: np.ndarray) -> bool:
    """Whether the picture (HxWx3 uint8 RGB) is one pattern all over -- a texture, a close-up of a
    surface, a microscope field -- rather than things on a ground (:func:`surface_cues`): the
    detector's COCO names there are guesses at best ("a white clock" on a circuit board)."""
    cues = surface_cues(image)
    return cues["edges"] < SURFACE_EDGES and cues["colours"] < SURFACE_COLOURS


SURFACE_NOTE = (
    "This looks like a texture, a close-up of a surface or a microscope image (the same pattern all over, "
    "no thing standing out on a ground); my detector and classifier learnt from photographs of everyday "
    "things, so what they name here is a guess."
)


def made_picture_note(image: np.ndarray) -> str:
    """'' for a photograph of things (:data:`SURFACE_NOTE` for one of a surface or texture); else the sentence a description starts with: 'This looks like a
    screenshot or a page of text, not a photograph (no camera grain, mostly plain white or
    black); my detector and classifier learnt from photographs, so I am not sure what it shows.'
    (unsure: 'This may be a drawing ... rather than a photograph (...), so I am not sure of what I
    name.')."""
    kind = picture_kind(image)
    if kind.photo:
        return SURFACE_NOTE if surface_view(image) else ""
    why = _reasons(kind.cues)
    why = f" ({why})" if why else ""
    if kind.sure:
        return (
            f"This looks like {kind.kind}, not a photograph{why}; my detector and classifier learnt from "
            "photographs, so I am not sure what it shows."
        )
    return f"This may be {kind.kind} rather than a photograph{why}, so I am not sure of what I name."
