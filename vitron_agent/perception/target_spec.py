"""How a person names what to segment or track: words, a colour, a position, a point or a box,
and where it is relative to another thing. One model shared by ``segment`` (on an image) and
``track`` (on a video's prompt frame), so both read a target the same way and a planner sees one
vocabulary; :func:`parse_target_phrase` turns words into that structure, and
:func:`order_by_relation` picks among several candidates by their place relative to the other thing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field

from vitron_agent.core.refs import Box, ImageRef, Point, VideoRef
from vitron_agent.perception.colors import COLORS, normalise_color
from vitron_agent.perception.masks import POSITIONS

__all__ = [
    "SIZE_KEYS",
    "own_kind",
    "size_word",
    "ordinal",
    "TargetSpec",
    "OnImage",
    "OnVideo",
    "TargetParts",
    "parse_target_phrase",
    "order_by_relation",
    "RELATIONS",
]

RELATIONS = ("behind", "in_front_of", "on", "under", "next_to", "left_of", "right_of", "above", "below")
Relation = Literal["behind", "in_front_of", "on", "under", "next_to", "left_of", "right_of", "above", "below"]


class OnImage(BaseModel):
    image: ImageRef = Field(description="the image to segment")


class OnVideo(BaseModel):
    video: VideoRef = Field(description="the video to track in")


class TargetSpec(BaseModel):
    """The target, named in any of these ways (on a video: on its prompt frame)."""

    target: str | None = Field(
        default=None,
        max_length=200,
        description="what to find in words, e.g. 'the red car on the left', 'the person', 'the foreground'",
    )
    color: str | None = Field(default=None, max_length=30, description=f"colour of the target: {', '.join(COLORS)}")
    position: Literal["left", "right", "top", "bottom", "center"] | None = Field(
        default=None, description="keep the candidate furthest in this direction"
    )
    point: Point | None = Field(default=None, description="a pixel on the target (x right, y down)")
    box: Box | None = Field(default=None, description="a box around the target, XYXY pixels")
    relation: Relation | None = Field(
        default=None, description="where the target is relative to `relative_to` (another thing in the picture)"
    )
    relative_to: str | None = Field(
        default=None, max_length=120, description="the other thing, in words, e.g. 'the player' (with `relation`)"
    )


_RELATION_WORDS = (  # longest first: "in front of" before "on", "to the left of" before "left"
    (r"in front of", "in_front_of"),
    (r"behind|in back of|at the back of", "behind"),
    (r"(?:to the )?left of", "left_of"),
    (r"(?:to the )?right of", "right_of"),
    (r"next to|beside|by|near|alongside", "next_to"),
    (r"under(?:neath)?|beneath|below", "under"),
    (r"above|over", "above"),
    (r"on top of|on|sitting on|lying on|standing on", "on"),
)
_RELATION_RE = re.compile(
    r"^(?P<head>.+?)\s+(?:(?:that|which|who)\s+(?:is|are)\s+|(?:standing|sitting|lying|parked)\s+)?"
    r"(?P<rel>"
    + "|".join(w for w, _ in _RELATION_WORDS)
    + r")\s+(?P<other>(?:the|a|an|this|that|his|her|their|my)\s+.+|them|him|her|it)$",
    re.I,
)
_PLACE_RE = re.compile(
    r"^(?:the|a)\s+(?:(?:far|top|bottom|upper|lower)\s+)?(?:left|right|top|bottom|middle|centre|center|side|edge|"
    r"corner|foreground|background|distance|front|back)(?:\s+(?:side|corner|half|edge|hand side))?"
    r"(?:\s+of\s+the\s+(?:image|picture|photo|frame|scene))?$",
    re.I,
)
_SIZE_RE = re.compile(r"\b(largest|biggest|smallest|tiniest|big|large|small|little|tall|short)\b", re.I)
_EXCEPT_RE = re.compile(
    r"^(?P<head>.*?)\s*,?\s*\b(?:except(?:\s+for)?|but(?:\s+not)?|apart from|other than|aside from|save for|excluding|"
    r"besides|but keep)\s+(?P<kept>.+)$",
    re.I,
)
_WHOLE_RE = re.compile(
    r"^(?:the |this |that |my )?(?:whole |entire |full )?(?:image|picture|pic|photo|photograph|snapshot|shot|scene|"
    r"frame|video|clip|footage|painting|drawing|artwork|illustration|everything|all|thing)(?:\s+else)?$",
    re.I,
)


@dataclass(frozen=True)
class TargetParts:
    """A target phrase, parsed: ``head`` (the thing's own words, "the red car"), ``colour``,
    ``position``, ``size`` ("largest", "small" ...), ``relation`` + ``relative_to`` ("behind" "the
    player"), ``exclude`` ("everything except the bus": the edit covers the complement of that),
    ``whole`` (the picture itself: "the painting", "everything")."""

    head: str
    colour: str | None = None
    position: str | None = None
    size: str | None = None
    relation: str | None = None
    relative_to: str | None = None
    exclude: str | None = None
    whole: bool = False

    def spec(self) -> dict[str, Any]:
        """The TargetSpec arguments (None values left out)."""
        out = {"target": self.head, "color": self.colour, "position": self.position}
        out.update(relation=self.relation, relative_to=self.relative_to)
        return {k: v for k, v in out.items() if v}


def _a_kind_named(words: list[str], i: int) -> bool:
    """Whether the colour word ``words[i]`` begins the name of a kind a model here knows ("red panda",
    "black bear", "golden retriever", "red fox": WordNet has the two words as one noun, and it names one of
    the classifier's or detector's classes), so that it is no colour to select by (a red panda was taken as
    the red pixels of 'panda'). A compound no model knows ("red flag", "white house") keeps its colour."""
    if i + 1 >= len(words):
        return False
    try:
        from vitron_agent.perception.wordnet_names import classes_for

        coco, imagenet = classes_for(f"{words[i]} {words[i + 1]}")[:2]
        return bool(coco or imagenet)
    except Exception:  # no WordNet here: the colour is read as a colour, as before
        return False


def own_kind(pair: str) -> bool:
    """Whether a WordNet compound that begins with a size or colour word ("big_cat", "small_boat")
    names model classes that are not all kinds of its last word: a big cat (a lion, a cheetah) is no
    kind of cat (the house cat), so "big cat" is a name; every small boat is a boat, so "small" says
    which boat."""
    from vitron_agent.perception.wordnet_names import classes_for, wordnet_ready

    if not wordnet_ready():
        return False
    coco, imagenet = classes_for(pair)[:2]
    base_coco, base_imagenet = classes_for(pair.rsplit("_", 1)[-1])[:2]
    return bool(coco or imagenet) and not (coco <= base_coco and imagenet <= base_imagenet)


# size words, comparative and superlative, and the plain adjective said of one among several ("the small
# dog" of two is the smaller): the size they pick; "nearest" is the largest (nearer things look larger)
_SIZE_WORDS = {
    **dict.fromkeys("largest biggest larger bigger big large huge giant nearest closest".split(), "largest"),
    **dict.fromkeys("smallest tiniest littlest smaller tinier small little tiny".split(), "smallest"),
    **dict.fromkeys("tallest taller tall".split(), "tallest"),
    **dict.fromkeys("shortest shorter".split(), "shortest"),
}
SIZE_KEYS = {
    "largest": lambda d: -d.box.width * d.box.height,
    "smallest": lambda d: d.box.width * d.box.height,
    "tallest": lambda d: -d.box.height,
    "shortest": lambda d: d.box.height,
}


def size_word(phrase: str, largest: bool = False) -> str | None:
    """The size a phrase picks one thing of several by ("the smallest dog", "the larger of the boats",
    "the little cat", "the nearest boat"): "largest", "smallest", "tallest" or "shortest"; None when it
    names none. A size word that begins the name of another kind ("big cat": a lion, no house cat;
    :func:`own_kind`) is the name, not a size."""
    if largest:
        return "largest"
    words = re.findall(r"[a-z]+", phrase.lower())
    for i, w in enumerate(words):
        if w not in _SIZE_WORDS:
            continue
        if i + 1 < len(words) and own_kind(f"{w}_{words[i + 1]}"):
            continue
        return _SIZE_WORDS[w]
    return None


_ORDINALS = {
    **dict.fromkeys(("first", "1st"), 1),
    **dict.fromkeys(("second", "2nd"), 2),
    **dict.fromkeys(("third", "3rd"), 3),
    **dict.fromkeys(("fourth", "4th"), 4),
    **dict.fromkeys(("fifth", "5th"), 5),
    "last": -1,
}
_ORDINAL_RE = re.compile(
    r"\b(" + "|".join(_ORDINALS) + r")\b(?!\s+(?:aid|class|floor|edition|place|prize|lady|mate)\b)"
)


def ordinal(phrase: str | None) -> int | None:
    """The place in a row a phrase picks ("the second cup from the left": 2, "the last boat": -1), or
    None. A row is read by the phrase's place word (from the left unless it says otherwise) or its
    size word ("the second largest")."""
    m = _ORDINAL_RE.search((phrase or "").lower())
    return _ORDINALS[m.group(1)] if m else None


def parse_target(target: str | None) -> tuple[str | None, str | None, bool]:
    """(colour, position, largest) named in free text such as 'the red car on the left'."""
    if not target:
        return None, None, False
    words = re.findall(r"[a-z]+", target.lower())
    color = next(
        (normalise_color(w) for i, w in enumerate(words) if normalise_color(w) and not _a_kind_named(words, i)), None
    )
    position = next(
        (("center" if w in ("centre", "middle") else w) for w in words if w in POSITIONS or w in ("centre", "middle")),
        None,
    )
    if position is None:
        position = next(
            (
                {
                    "leftmost": "left",
                    "rightmost": "right",
                    "upper": "top",
                    "lower": "bottom",
                    "topmost": "top",
                    "bottommost": "bottom",
                }[w]
                for w in words
                if w in ("leftmost", "rightmost", "upper", "lower", "topmost", "bottommost")
            ),
            None,
        )
    largest = any(w in ("largest", "biggest") for w in words)
    return color, position, largest


def parse_target_phrase(phrase: str) -> TargetParts:
    """Words naming a target -> :class:`TargetParts` ("the crowd behind the player" -> head "the
    crowd", relation "behind", relative_to "the player"; "everything but the bus" -> whole, exclude
    "the bus"). Patterns run on the phrase as given; callers bound its length first."""
    text = re.sub(r"\s+", " ", phrase.strip(" ,.?!"))[:400]
    exclude = None
    if (m := _EXCEPT_RE.match(text)) and (not m.group("head") or _WHOLE_RE.match(m.group("head").strip())):
        text, exclude = m.group("head").strip() or "everything", m.group("kept").strip()
    relation = other = None
    if (
        (m := _RELATION_RE.match(text))
        and not _WHOLE_RE.match(m.group("head").strip())
        and not _PLACE_RE.match(m.group("other"))  # "on the left" is a position, not a thing
        and not re.search(r"\b(?:background|backdrop)\b", m.group("other"), re.I)  # "on a black background"
    ):
        rel = m.group("rel").lower()
        relation = next(name for words, name in _RELATION_WORDS if re.fullmatch(words, rel))
        text, other = m.group("head").strip(), m.group("other").strip()
    colour, position, largest = parse_target(text)
    size = (m.group(1).lower() if (m := _SIZE_RE.search(text)) else None) or ("largest" if largest else None)
    return TargetParts(
        head=text,
        colour=colour,
        position=position,
        size=size,
        relation=relation,
        relative_to=other,
        exclude=exclude,
        whole=bool(_WHOLE_RE.match(text)),
    )


def order_by_relation(
    boxes: list[tuple[float, float, float, float]], anchor: tuple[float, float, float, float], relation: str
) -> list[int]:
    """Indices of ``boxes`` (x1, y1, x2, y2), best first, for "the one <relation> the anchor box":
    behind = smaller and overlapping or above it (further away), in front of = larger / lower, on =
    resting on its top, under/below = beneath it, above = over it, left_of / right_of / next_to =
    beside it, by distance. Boxes that are the anchor itself (IoU > 0.8) go last."""
    ax1, ay1, ax2, ay2 = anchor
    acx, acy, aw, ah = (ax1 + ax2) / 2, (ay1 + ay2) / 2, ax2 - ax1, ay2 - ay1
    area_a = max(aw * ah, 1e-6)

    def cost(b: tuple[float, float, float, float]) -> float:
        x1, y1, x2, y2 = b
        cx, cy, w, h = (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1
        inter = max(0.0, min(x2, ax2) - max(x1, ax1)) * max(0.0, min(y2, ay2) - max(y1, ay1))
        iou = inter / max(w * h + area_a - inter, 1e-6)
        dist = abs(cx - acx) / max(aw, 1.0) + abs(cy - acy) / max(ah, 1.0)
        penalty = 100.0 if iou > 0.8 else 0.0
        if relation == "behind":  # further away: smaller, its foot higher up than the anchor's
            return penalty + (w * h) / area_a + max(0.0, (y2 - ay2) / max(ah, 1.0)) + 0.2 * dist
        if relation == "in_front_of":
            return penalty - (w * h) / area_a + max(0.0, (ay2 - y2) / max(ah, 1.0)) + 0.2 * dist
        if relation == "on":
            return penalty + abs(y2 - ay1) / max(ah, 1.0) + abs(cx - acx) / max(aw, 1.0)
        if relation in ("under", "below"):
            return penalty + (0.0 if cy > acy else 5.0) + dist
        if relation == "above":
            return penalty + (0.0 if cy < acy else 5.0) + dist
        if relation == "left_of":
            return penalty + (0.0 if cx < acx else 5.0) + dist
        if relation == "right_of":
            return penalty + (0.0 if cx > acx else 5.0) + dist
        return penalty + dist  # next_to

    return sorted(range(len(boxes)), key=lambda i: cost(boxes[i]))
