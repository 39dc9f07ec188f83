"""The resolver's parts every other module may use without importing the resolver: what a phrase
resolved to (:class:`Resolved`), the refusals that say what was found, and :func:`select` -- the
detections a phrase means among those of a kind, by colour, place, size and relation, with a note
when the words do not tell several apart. :mod:`vitron_agent.perception.recognise` (the resolver)
and the modules it calls (classifier_hits, parts) build on these, so no import goes round in a circle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import Detection
from vitron_agent.perception.detector import MIN_SCORE, Named, label_score

__all__ = [
    "ASK_REGION",
    "Resolved",
    "colour_share",
    "mask_of",
    "not_found",
    "not_recognised",
    "plural",
    "select",
    "where",
]


ASK_REGION = (
    "click it or draw a box (--point X,Y / --box X1,Y1,X2,Y2, or a click in the UI), or configure "
    "[tools.ground] for names beyond COCO's 80 classes"
)


def _found(found: list[Detection], image: np.ndarray | None = None) -> str:
    """What was recognised, in words for the answer ('a cup (or a bowl), a dining table; the whole
    picture looks like an espresso'): no scores (the step's detections and --verbose keep them)."""
    said = ", ".join(_in_words(d) for d in found[:6]) if found else "nothing I can recognise"
    if image is not None:
        from vitron_agent.perception.name_finder import whole_picture_names

        if names := whole_picture_names(image):
            guesses = [n for n in re.sub(r"\s+\d\.\d+", "", names).split(", ") if n]
            said += "; the whole picture looks like " + " or ".join(f"{_article(g)} {g}" for g in guesses)
    return said


def _in_words(d: Detection) -> str:
    """'a cup (or a bowl)'."""
    alt = "".join(f" or {_article(k)} {k}" for k in d.alternatives)
    return f"{_article(d.label)} {d.label}" + (f" ({alt.strip()})" if alt else "")


# the models that name things, in the words a user needs: when one is not installed, a name they
# would know is "unrecognised" only because of that, and the answer says so first, with the fix
NAMING_MODELS = {
    "ssd_mobilenet": "the object detector (SSD-MobileNetV2)",
    "efficientnet_lite2": "the 1,000-name classifier (EfficientNet-Lite2)",
    "blazeface": "the face detector (BlazeFace)",
    "blazeface_weights": "the face detector (BlazeFace)",
    "wordnet_data_noun": "WordNet's names",
}
MODELS_MISSING = (
    "{models} {are} not installed, so I may not know {target!r} for that reason: run `vitron-agent fetch-weights` "
    "(or `make install`) and ask again. "
)


def missing_models(target: str) -> str:
    """The sentence naming the naming models that are not installed ("" when all are)."""
    from vitron_agent.loading.weights import embedded_available

    gone = [said for name, said in NAMING_MODELS.items() if not embedded_available(name)]
    gone = list(dict.fromkeys(gone))
    if not gone:
        return ""
    return MODELS_MISSING.format(models=" and ".join(gone), are="is" if len(gone) == 1 else "are", target=target)


def not_recognised(target: str, found: list[Detection], image: np.ndarray | None = None) -> ToolFailed:
    return ToolFailed(
        f"{missing_models(target.strip())}"
        f"I cannot recognise {target.strip()!r}: none of my models has a name for it (the detector knows "
        f"COCO's 80 kinds of thing, the classifier ImageNet's 1,000, matched through WordNet's words). "
        f"In this image I see {_found(found, image)}. To work on {target.strip()!r}, {ASK_REGION}."
    )


def not_found(what: str, found: list[Detection], image: np.ndarray | None = None) -> ToolFailed:
    return ToolFailed(
        f"I found no {what} in this image (I found: {_found(found, image)}). If it is there, {ASK_REGION}."
    )


@dataclass(frozen=True)
class Resolved:
    """What a phrase means in a picture: the detections chosen (best first), the union of their
    masks (HxW bool) and how they were found, in words. ``sure`` False: a guess no model vouches
    for (``resolve(..., guess=True)``), and ``method`` says so."""

    detections: list[Detection]
    mask: np.ndarray
    method: str
    sure: bool = True


def _mask(
    image: np.ndarray, items: list[Detection], with_mask: bool, known: dict[int, np.ndarray] | None = None
) -> np.ndarray:
    """The union of the items' masks (``known``: masks already found, by ``id`` of the detection)."""
    if not with_mask:
        return np.zeros(image.shape[:2], bool)
    known = known or {}
    out = mask_of(image, [d for d in items if id(d) not in known])
    for d in items:
        if id(d) in known:
            out |= known[id(d)]
    return out


def colour_share(image: np.ndarray, d: Detection, color: str) -> float:
    """The share of the box's inner part (the middle 60 %) in ``color``."""
    from vitron_agent.perception.colors import color_mask

    x1, y1, x2, y2 = d.box.x1, d.box.y1, d.box.x2, d.box.y2
    dx, dy = 0.2 * (x2 - x1), 0.2 * (y2 - y1)
    crop = image[int(y1 + dy) : max(int(y1 + dy) + 1, int(y2 - dy)), int(x1 + dx) : max(int(x1 + dx) + 1, int(x2 - dx))]
    return float(color_mask(crop, color).mean()) if crop.size else 0.0


def select(
    image: np.ndarray,
    found: list[Detection],
    name: Named,
    phrase: str,
    allow_none: bool = False,
    relation: tuple[str, Detection] | None = None,
) -> tuple[list[Detection], str]:
    """The detections ``phrase`` means (best first) and a note on how they were chosen;
    ``relation`` (a TargetSpec relation and the other thing's detection) picks the one placed so
    (:func:`~vitron_agent.perception.target_spec.order_by_relation`); the other thing itself is never chosen."""
    from vitron_agent.perception.target_spec import SIZE_KEYS, ordinal, parse_target, size_word

    what = name.word if name.word not in ("her", "him", "she", "he") else "person"
    cands = [d for d in found if max(label_score(d, lab) for lab in name.labels) >= MIN_SCORE]
    if not cands:
        if allow_none:
            return [], f"no {what} found"
        raise not_found(what, found)
    color, position, largest = parse_target(phrase)
    notes = []
    if color:
        shares = {id(d): colour_share(image, d, color) for d in cands}
        coloured = [d for d in cands if shares[id(d)] >= 0.15]
        if not coloured:
            if allow_none:
                return [], f"no {color} {what} found"
            raise ToolFailed(
                f"I found {len(cands)} {what} ({_found(cands)}) but none is {color}. If the one you mean is "
                f"there, {ASK_REGION}."
            )
        cands = sorted(coloured, key=lambda d: -shares[id(d)] * d.score)
        notes.append(f"the {color} one{'s' if name.plural else ''}")
    if relation is not None:
        from vitron_agent.perception.target_spec import order_by_relation

        rel, other = relation
        rest = [d for d in cands if d is not other]
        if rest:
            order = order_by_relation([(d.box.x1, d.box.y1, d.box.x2, d.box.y2) for d in rest], _xyxy(other), rel)
            cands = [rest[i] for i in order][: None if name.plural else 1]
            notes.append(f"the one{'s' if name.plural else ''} {rel.replace('_', ' ')} the {other.label}")
            return cands, ", ".join(notes)
    if (nth := ordinal(phrase)) is not None:
        return _nth(image, cands, what, nth, position, size_word(phrase, largest), notes, allow_none)
    if position:
        key = {
            "left": lambda d: d.box.x1 + d.box.x2,
            "right": lambda d: -(d.box.x1 + d.box.x2),
            "top": lambda d: d.box.y1 + d.box.y2,
            "bottom": lambda d: -(d.box.y1 + d.box.y2),
            "center": lambda d: (
                abs((d.box.x1 + d.box.x2) / 2 - image.shape[1] / 2)
                + abs((d.box.y1 + d.box.y2) / 2 - image.shape[0] / 2)
            ),
        }[position]
        cands = sorted(cands, key=key)[:1]
        notes.append(f"the one furthest {position}" if position != "center" else "the one nearest the centre")
    elif (size := size_word(phrase, largest)) and len(cands) == 1:
        notes.append(f"the {size}")  # the only one is the largest too (the method said " of the things ...")
    elif size and len(cands) > 1:
        ranked = sorted(cands, key=SIZE_KEYS[size])
        cands = ranked[: None if name.plural else 1]
        notes.append(f"the {size}")
        if not name.plural and _about_the_same(ranked[0], ranked[1], size):  # "the tall woman" of two alike
            notes.append(_which(phrase, name, len(ranked)).replace("the most confident", f"the {size} by a little"))
    elif not name.plural:
        if len(sure := [d for d in cands if d.score >= SURE_EACH]) >= 2 and not color:
            notes.append(_which(phrase, name, len(sure)))
        cands = cands[:1]
    return cands, ", ".join(notes)


def _row_key(position: str | None, size: str | None, image: np.ndarray):
    """How a row is read for an ordinal: by the place word (from the left unless it names another
    side), else by the size word, else from the left."""
    from vitron_agent.perception.target_spec import SIZE_KEYS

    if size and not position:
        return SIZE_KEYS[size], size
    side = position if position in ("left", "right", "top", "bottom") else "left"
    sign = -1 if side in ("right", "bottom") else 1
    if side in ("left", "right"):
        return (lambda d: sign * (d.box.x1 + d.box.x2)), f"from the {side}"
    return (lambda d: sign * (d.box.y1 + d.box.y2)), f"from the {side}"


_PLACES = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}


def _nth(
    image: np.ndarray,
    cands: list[Detection],
    what: str,
    nth: int,
    position: str | None,
    size: str | None,
    notes: list[str],
    allow_none: bool,
) -> tuple[list[Detection], str]:
    """The ``nth`` (1-based; -1 the last) of ``cands`` in the row the words give (:func:`_row_key`):
    "the second cup from the left". Fewer than ``nth``: a refusal that says how many were found
    (never another one in its place)."""
    key, how = _row_key(position, size, image)
    ranked = sorted(cands, key=key)
    if nth > len(ranked):
        if allow_none:
            return [], f"only {len(ranked)} {what} found"
        raise ToolFailed(
            f"I found {len(ranked)} {plural(what, len(ranked))} ({_found(ranked)}), so there is no "
            f"{_PLACES[nth]} one. If the one you mean is there, {ASK_REGION}."
        )
    pick = ranked[nth - 1] if nth > 0 else ranked[-1]
    if size and position:
        how = f"{how} (by place; the size word was not used to order them)"
    return [pick], ", ".join([*notes, f"the {_PLACES[nth]} {how} of {len(ranked)}"])


SAME_SIZE = 1.25  # the one a size word picks measures less than this times the next: a guess, said so


def _about_the_same(first: Detection, second: Detection, size: str) -> bool:
    """Whether the two first of a size ranking are within :data:`SAME_SIZE` of each other (area for
    largest / smallest, height for tallest / shortest): then the size word does not tell them apart."""
    a, b = (
        (first.box.height, second.box.height)
        if size in ("tallest", "shortest")
        else (first.box.width * first.box.height, second.box.width * second.box.height)
    )
    return max(a, b) < SAME_SIZE * max(1e-6, min(a, b))


SURE_EACH = 0.5  # several detections of the kind at least this sure, and nothing said picks one: a guess
# words select() reads past: articles, possessives, the small words around a name
_PLAIN = frozenset("the a an this that one of in on at with and his her its their my your our".split())


def _which(phrase: str, name: Named, n: int) -> str:
    """The note of a guess among ``n`` sure detections the words do not tell apart, in the words of an
    assumption (graphs/policy.py): the turn warns of it and holds destructive edits on it. Words
    nothing here reads ("the older man", "the woman" among people) are named as what it cannot tell."""
    from vitron_agent.perception.coco_names import _singular

    head = name.word.lower()
    skip = _PLAIN | {head, *head.split(), *name.labels}
    unread = [w for w in re.findall(r"[a-z]+", phrase.lower()) if w not in skip and _singular(w) not in skip]
    kind = plural(name.labels[0], n) if name.labels else "of them"
    if unread:
        return f"unsure which: it cannot tell which of the {n} {kind} is the {' '.join(unread)} {head}, so it took the most confident"
    return f"unsure which: it cannot tell which of the {n} {kind} you mean, so it took the most confident"


def _xyxy(d: Detection) -> tuple[float, float, float, float]:
    return (d.box.x1, d.box.y1, d.box.x2, d.box.y2)


def mask_of(image: np.ndarray, items: list[Detection]) -> np.ndarray:
    """The union of each detection's object mask: the salient segmenter with the box as a prompt,
    not a crop (:func:`vitron_agent.perception.object_masks.object_mask`: regions that belong to the
    box are kept whole where they leave it -- the helmet the astronaut holds out of her box),
    or the box itself when nothing salient belongs to it. Measured (benchmarks/segment_quality.py
    references): the astronaut 0.86 -> 0.93 IoU against the padded-window crop, the cat 0.83 -> 0.86."""
    from vitron_agent.perception.object_masks import object_mask

    out = np.zeros(image.shape[:2], bool)
    for d in items:
        out |= object_mask(image, d.box)[0]
    return out


def where(d: Detection, width: int, height: int) -> str:
    from vitron_agent.perception.masks import position_name

    return position_name((d.box.x1 + d.box.x2) / 2, (d.box.y1 + d.box.y2) / 2, width, height)


def _article(label: str) -> str:
    return "an" if label[:1].lower() in ("a", "e", "i", "o", "u") else "a"


def plural(label: str, n: int) -> str:
    if n == 1:
        return label
    return {
        "person": "people",
        "mouse": "mice",
        "knife": "knives",
        "sheep": "sheep",
        "skis": "skis",
        "bus": "buses",
        "couch": "couches",
        "bench": "benches",
        "sandwich": "sandwiches",
        "wine glass": "wine glasses",
        "scissors": "scissors",
    }.get(label, label + "s")
