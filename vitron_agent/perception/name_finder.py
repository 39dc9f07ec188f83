"""Finding what a phrase names when COCO's 80 classes are not enough: the classifier's 1,000
names, reached through WordNet, on every proposal.

Proposals (DESIGN: "recognition as a pipeline of real models"): the detector's boxes, the
salient object's box, and the peaks of the classifier's class activation maps for the classes
the word names. Each proposal is classified (EfficientNet-Lite2, the box grown a tenth a side);
a proposal whose top-5 names give the wanted classes at least :data:`MIN_NAME_SCORE` together is
the thing, labelled with the best of those names ("fox squirrel"), its score that probability,
and the detector's own label as an alternative. :func:`head_noun` finds the word to look up.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from vitron_agent.core.refs import Box, Detection

__all__ = [
    "doubt",
    "head_noun",
    "classifier_proposals",
    "whole_picture_names",
    "kind_of",
    "second_opinion",
    "salient_guess",
    "claims",
    "MIN_NAME_SCORE",
]

MIN_NAME_SCORE = 0.3  # the wanted classes' share of a proposal's top-5 probability
_CUT = re.compile(
    r"\b(?:on|in|at|near|with|behind|under|above|below|beside|next to|by|from|of|inside|over|holding|wearing|"
    r"that|which|who|except|but)\b.*$"
)


def head_noun(phrase: str | None) -> str | None:
    """The word (or WordNet compound, "number_plate", "fire_truck") a phrase names: the last
    word that is not a colour, size, position or article, joined with the word before it when
    WordNet knows the pair. None when there is none."""
    from vitron_agent.perception.coco_names import _NOT_HEAD
    from vitron_agent.perception.target_spec import own_kind as _own_kind
    from vitron_agent.perception.wordnet_names import senses

    if not phrase:
        return None
    text = _CUT.sub("", re.sub(r"'s\b", "", phrase.lower())).strip() or phrase.lower()
    words = re.findall(r"[a-z]+", text)
    for i in range(len(words) - 1, -1, -1):
        if words[i] in _NOT_HEAD:
            continue
        if (
            i > 0
            and senses(pair := f"{words[i - 1]}_{words[i]}")
            and (words[i - 1] not in _NOT_HEAD or _own_kind(pair))
        ):
            return pair  # "fire truck"; "big cat": a size word that begins the name of another kind
        return words[i]
    return None


def imagenet_kinds(head: str | None, labels: tuple[str, ...]) -> frozenset[int]:
    """The classifier's classes to look for when ``head`` names none itself but is a kind of (or
    another word for) a COCO label in ``labels`` ("the puppy": a puppy is a young dog, so every dog
    breed; "the kitty": the cat's breeds): the ImageNet kinds of those labels. Empty when there are
    none; never a person's (the classifier's people are trades: a groom, a scuba diver)."""
    from vitron_agent.perception.wordnet_names import classes_for, coco_above, wordnet_ready

    if not wordnet_ready():
        return frozenset()
    above = tuple(dict.fromkeys((*labels, *(coco_above(head) if head else ()))))
    out: frozenset[int] = frozenset()
    for label in (lab for lab in above if lab != "person"):  # its classes are trades (a groom, a diver)
        out |= classes_for(label)[1]
    return out


def _hit(image: np.ndarray, box: Any, wanted: frozenset[int]) -> tuple[int, float] | None:
    """(best wanted class, the wanted classes' summed probability) when they reach
    MIN_NAME_SCORE in the box's top 5."""
    from vitron_agent.perception.classifier import classify_indices

    top = classify_indices(image, box, 5)
    mine = [(i, p) for i, p in top if i in wanted]
    total = sum(p for _, p in mine)
    return (mine[0][0], total) if mine and total >= MIN_NAME_SCORE else None


def _as_box(b: Any, w: int, h: int) -> Box | None:
    x1, y1, x2, y2 = (float(v) for v in b)
    x1, y1, x2, y2 = max(0.0, x1), max(0.0, y1), min(float(w), x2), min(float(h), y2)
    return Box(x1=x1, y1=y1, x2=x2, y2=y2) if x2 - x1 >= 2 and y2 - y1 >= 2 else None


def _salient_box(image: np.ndarray) -> tuple | None:
    from vitron_agent.perception.salient import salient_map, salient_objects

    m = salient_objects(salient_map(image))
    if m.sum() < 0.01 * m.size:
        return None
    ys, xs = np.nonzero(m)
    return float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)


def classifier_proposals(image: np.ndarray, found: list[Detection], wanted: frozenset[int]) -> list[Detection]:
    """The proposals the classifier names as one of ``wanted`` (ImageNet indices), best first:
    the detector's boxes, the salient object, the whole picture, and the activation peaks of
    the three wanted classes the whole picture ranks highest (one box per peak). Proposals
    overlapping a better one (IoU >= 0.5) are the same thing; nested ones are resolved by
    :func:`_nested`."""
    from vitron_agent.perception.classifier import cam_boxes, class_name, class_probabilities
    from vitron_agent.perception.detector import PROBABLY, box_iou

    h, w = image.shape[:2]
    # (box, the detector's label for it, whether the box bounds an object: the detector's or the salient one)
    props: list[tuple[Box, dict[str, float], bool]] = [(d.box, {d.label: d.score}, True) for d in found[:12]]
    props.append((Box(x1=0, y1=0, x2=float(w), y2=float(h)), {}, False))
    if (sb := _salient_box(image)) is not None and (b := _as_box(sb, w, h)) is not None:
        props.append((b, {}, True))
    whole = class_probabilities(image)
    top = sorted(wanted, key=lambda i: -whole[i])[:3]
    for cb in cam_boxes(image, top)[:6]:
        if (b := _as_box(cb, w, h)) is not None:
            props.append((b, {}, False))
    hits: list[Detection] = []
    bounded: set[int] = set()
    claimed: set[int] = set()
    for box, alts, bounds in props:
        if (got := _hit(image, box, wanted)) is not None:
            index, p = got
            hits.append(Detection(label=class_name(index), score=round(min(p, 1.0), 3), box=box, alternatives=alts))
            if bounds:
                bounded.add(id(hits[-1]))
            if any(s >= PROBABLY and claims(label, wanted) for label, s in alts.items()):
                claimed.add(id(hits[-1]))

    def rank(d: Detection) -> tuple[bool, float]:
        # a box the detector surely calls another thing (the photographer's, named "tripod" for the
        # tripod in front of him) comes after every other; a near tie: a box that bounds an object,
        # not a blurred 9x9 peak
        return id(d) in claimed, -(d.score + (0.05 if id(d) in bounded else 0.0))

    hits.sort(key=rank)
    kept: list[Detection] = []
    for d in hits:
        xyxy = (d.box.x1, d.box.y1, d.box.x2, d.box.y2)
        if all(box_iou(xyxy, (k.box.x1, k.box.y1, k.box.x2, k.box.y2)) < 0.5 for k in kept):
            kept.append(d)
    kept = [d for d in kept if not any(_nested(d, o, wanted) for o in kept if o is not d)]
    return sorted(kept, key=rank)


def claims(label: str, wanted: frozenset[int]) -> bool:
    """Whether a sure detection of the COCO ``label`` claims its box from the ImageNet classes
    ``wanted``: a living thing (a person, an animal) that is not one of them nor a kind of them --
    but an animal never claims from animals (the detector's 80 classes name a cheetah "cat").
    A thing in a person's box is beside the person (the tripod in front of the photographer); the
    espresso in a cup's box is the cup's content, and the cup's box is the espresso's."""
    from vitron_agent.perception.wordnet_names import classes_for, imagenet_living, is_living

    if label != "person" and wanted and all(imagenet_living(i) for i in wanted):
        return False  # an animal the detector calls "cat" that the classifier calls a cheetah: its nearest label
    return is_living(label) and not classes_for(label)[1] & wanted


def _nested(d: Detection, other: Detection, wanted: frozenset[int] = frozenset()) -> bool:
    """Whether ``d`` gives way to ``other`` when one box lies inside the other: a detector's box
    of another thing around a smaller box named as surely gives way (the table's box around the
    cup, both "espresso") -- only when the detector is sure of the smaller one (:func:`_bounds_surely`):
    SSD's 0.32 "keyboard" across a cheetah cub's forehead took the cub from its 0.98 "cat" box, and
    the answer was the forehead (s12, benchmarks/recognition_fresh.py). A smaller box the detector
    is not sure of inside a larger one named at least half as surely is a part of it (an activation
    peak on the cheetah's face in a picture the cheetah fills), unless the larger is the box of a
    sure thing that claims it from ``wanted`` (:func:`claims`: the tripod in the photographer's box)."""
    from vitron_agent.perception.detector import _within

    def inside(a: Detection, b: Detection) -> bool:
        a_, b_ = a.box, b.box
        return (
            _within((a_.x1, a_.y1, a_.x2, a_.y2), (b_.x1, b_.y1, b_.x2, b_.y2)) >= 0.8
            and a_.width * a_.height < 0.6 * b_.width * b_.height
        )

    if d.alternatives and inside(other, d) and other.score >= 0.7 * d.score and _bounds_surely(other):
        return True
    if not (inside(d, other) and other.score >= 0.5 * d.score) or _bounds_surely(d):
        return False
    # the larger box may be the detector's, of a thing that does not claim it from ``wanted`` (a "cat"
    # box round the cheetah cub): a weak find inside it is a part of it too
    return not any(claims(label, wanted) for label in other.alternatives)


def _bounds_surely(d: Detection) -> bool:
    """Whether ``d``'s box is one the detector found at :data:`~vitron_agent.perception.detector.PROBABLY`
    or more (a cup on a table), not a weak find that may hold nothing."""
    from vitron_agent.perception.detector import PROBABLY

    return max(d.alternatives.values(), default=0.0) >= PROBABLY


def whole_picture_names(image: np.ndarray, k: int = 3) -> str:
    """'Egyptian cat 0.65, tiger cat 0.08, tabby 0.07': what the classifier sees in the whole
    picture (for honest refusals); '' without the classifier."""
    from vitron_agent.perception.classifier import classifier_ready, classify

    if not classifier_ready():
        return ""
    return ", ".join(f"{n} {p:.2f}" for n, p in classify(image, None, k) if p >= 0.05)


def kind_of(image: np.ndarray, d: Detection, min_p: float = 0.2) -> str:
    """'an Egyptian cat or a tiger cat': which kind of ``d.label`` the classifier sees in the box
    (its top-3 names that WordNet puts under the label, each >= ``min_p``); '' when it sees no
    kind of it, or without the classifier or WordNet."""
    from vitron_agent.perception.classifier import classifier_ready, classify
    from vitron_agent.perception.wordnet_names import matches, wordnet_ready

    if not (classifier_ready() and wordnet_ready()):
        return ""
    names = [n for n, p in classify(image, d.box, 3) if p >= min_p and n.lower() != d.label and matches(d.label, n)]
    return " or ".join(f"{'an' if n[0].lower() in 'aeiou' else 'a'} {n}" for n in names[:2])


def second_opinion(image: np.ndarray, d: Detection, min_p: float = 0.5) -> str:
    """'the classifier sees a fox squirrel (0.91)' when the classifier's first name for the box
    (at least ``min_p``) is not a kind of the detector's label -- the detector's "bird" that is
    a squirrel; '' when they agree or the classifier is unsure."""
    from vitron_agent.perception.classifier import classifier_ready, classify
    from vitron_agent.perception.wordnet_names import matches, wordnet_ready

    if not (classifier_ready() and wordnet_ready()):
        return ""
    name, p = classify(image, d.box, 1)[0]
    if p < min_p or name.lower() == d.label or matches(d.label, name):
        return ""
    return f"the classifier sees {'an' if name[0].lower() in 'aeiou' else 'a'} {name} ({p:.2f})"


# the share of a salient component's box the classifier must give one name it trusts to claim it
_CLAIMED = 0.5


def _place_key(words: set[str], box: tuple, w: int, h: int) -> float:
    """Lower is more where the words say ("top right": up and right), for picking among boxes."""
    cx, cy = (box[0] + box[2]) / (2 * w), (box[1] + box[3]) / (2 * h)
    key = 0.0
    key += cx if "left" in words or "leftmost" in words else 0.0
    key += 1 - cx if "right" in words or "rightmost" in words else 0.0
    key += cy if words & {"top", "upper", "topmost"} else 0.0
    key += 1 - cy if words & {"bottom", "lower", "bottommost"} else 0.0
    key += abs(cx - 0.5) + abs(cy - 0.5) if words & {"middle", "centre", "center"} else 0.0
    return key


def _place_words(words: set[str]) -> int:
    """How many directions the place words name (each adds at most 1 to :func:`_place_key`)."""
    return sum(
        bool(words & group)
        for group in (
            {"left", "leftmost"},
            {"right", "rightmost"},
            {"top", "upper", "topmost"},
            {"bottom", "lower", "bottommost"},
            {"middle", "centre", "center"},
        )
    )


def _claimed(image: np.ndarray, box: tuple, found: list[Detection], word: str) -> str:
    """What a model confidently calls the thing in ``box`` when that is not a ``word`` (a
    detection of another label over it, or the classifier's top-1 >= _CLAIMED), else ''."""
    from vitron_agent.perception.classifier import classify
    from vitron_agent.perception.detector import PROBABLY, box_iou
    from vitron_agent.perception.wordnet_names import matches, wordnet_ready

    def other(name: str) -> bool:
        return name.lower() != word and not (wordnet_ready() and matches(word, name))

    for d in found:
        if d.score >= PROBABLY and box_iou((d.box.x1, d.box.y1, d.box.x2, d.box.y2), box) >= 0.5:
            if other(d.label):
                return f"the detector calls it {d.describe()}"
    name, p = classify(image, box, 1)[0]
    return f"the classifier calls it {name} ({p:.2f})" if p >= _CLAIMED and other(name) else ""


def _joined(comps: list[np.ndarray]) -> list[np.ndarray]:
    """Salient components whose boxes overlap, joined into one object (the Eiffel tower's spire
    and its base, parted by a thin band the segmenter is unsure of), largest first."""
    groups = [(c.copy(), _box_of(c)) for c in comps]
    merged = True
    while merged:
        merged = False
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                a, b = groups[i][1], groups[j][1]
                if min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1]):
                    m = groups[i][0] | groups[j][0]
                    groups[i] = (m, _box_of(m))
                    del groups[j]
                    merged = True
                    break
            if merged:
                break
    return sorted((g[0] for g in groups), key=lambda m: -int(m.sum()))


def _box_of(mask: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(mask)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


PLACE_MARGIN = 0.05  # a guess's centre lies at least this share of the picture past the middle on the side named:
# the rocket in the middle of scikit-image's rocket photo was 'the tower on the right' (s12, recognition_fresh.py)


def salient_guess(
    image: np.ndarray, phrase: str, word: str, found: list[Detection]
) -> tuple[Detection, np.ndarray] | None:
    """An unsure answer for a thing neither model found under its name: the picture's salient
    objects (U²-Netp; components at least 15 % of the largest), the one the phrase's place words
    point at (else the largest, or the smallest when the phrase says so; None when it is not in the half they name), as (a Detection labelled ``word`` with score 0 -- no model
    vouches for it --, its mask). None when nothing is salient, or when the detector or the
    classifier confidently names that object as something a ``word`` is not (the astronaut is
    not "the flag"): then the honest answer is a refusal."""
    from vitron_agent.perception.masks import components, fill_holes
    from vitron_agent.perception.salient import salient_map

    h, w = image.shape[:2]
    comps = components(salient_map(image) > 0.5, min_pixels=max(4, h * w // 5000))
    comps = _joined([c for c in comps if comps and c.sum() >= 0.15 * comps[0].sum()])
    if not comps or comps[0].sum() < 0.01 * h * w:
        return None
    boxes = []
    for c in comps:
        ys, xs = np.nonzero(c)
        boxes.append((float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)))
    from vitron_agent.perception.target_spec import size_word

    words = set(re.findall(r"[a-z]+", phrase.lower()))
    sign = 1 if size_word(phrase) in ("smallest", "shortest") else -1  # "the smallest coin": the least of them
    i = min(range(len(comps)), key=lambda j: (_place_key(words, boxes[j], w, h), sign * int(comps[j].sum())))
    if _place_key(words, boxes[i], w, h) > (0.5 - PLACE_MARGIN) * _place_words(words) or _claimed(
        image, boxes[i], found, word.replace("_", " ")
    ):
        return None  # not where the phrase says (the only salient thing is in the middle, not "on the left")
    box = Box(x1=boxes[i][0], y1=boxes[i][1], x2=boxes[i][2], y2=boxes[i][3])
    return Detection(label=word.replace("_", " "), score=0.0, box=box), fill_holes(comps[i])


def doubt(image: np.ndarray | None, d: Detection) -> str:
    """'' unless the detector's animal is one the classifier knows kinds of (118 dogs, 59 birds, 5
    cats ...) and none of the classifier's five best names for the box is one of them: then
    'the classifier's nearest names are a wombat or a fox squirrel, none of them a dog'. A quokka
    the detector calls a dog at 0.92 is not a sure dog when no breed comes near it."""
    from vitron_agent.perception.classifier import class_name, classifier_ready, classify_indices
    from vitron_agent.perception.wordnet_names import coco_synset, is_living, kinds_of, wordnet_ready

    if image is None or d.label == "person" or not (classifier_ready() and wordnet_ready()) or not is_living(d.label):
        return ""
    synset = coco_synset(d.label)
    kinds = kinds_of(synset)[1] if synset is not None else frozenset()
    if not kinds:
        return ""
    top = classify_indices(image, d.box, 5)
    if any(i in kinds for i, _ in top):
        return ""

    def _article(word: str) -> str:
        return "an" if word[:1].lower() in "aeiou" else "a"

    names = [f"{_article(n)} {n}" for n in dict.fromkeys(class_name(i) for i, _ in top[:3])]
    said = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"the classifier's nearest names are {said}, none of them {_article(d.label)} {d.label}"
