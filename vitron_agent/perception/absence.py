"""Whether "I see no X" is earned: the evidence a thing the resolver did not find may still be there.

The resolver (:func:`~vitron_agent.perception.recognise.resolve`) looks for a named thing with the
detector, the classifier on proposals, weak candidates, closer looks and a region search; when all of
them miss, "no" was said flatly -- beside a bowl that filled the picture ("is there a bowl?" on a
photo the classifier calls "a cup or a wooden spoon or a mortar"), a blurred clock, a dahlia. A miss
is weak evidence where the models are unsure of the whole picture or barely know the thing, so
before a "no" this module looks again, cheaply:

* the classifier on the whole picture and on five tiles (the four quarters and the centre): a name
  that is a kind of the thing (``matches``), or a close relative -- a kind of one of its parents in
  WordNet when that parent has at most :data:`CLOSE_KINDS` ImageNet kinds (a mortar and a bowl are
  both vessels; a lesser panda and a raccoon procyonids; a tripod is no relative of a camera);
* the detector's objects that fill a good part of the picture (:data:`LARGE`) whose label (or an
  alternative label) is such a relative (bowls for "a cup"), and its weak candidates of the thing's
  own COCO label from :data:`WEAK_HINT` up;
* whether anything explains the picture instead: a detection the detector is sure of
  (:data:`~vitron_agent.perception.detector.PROBABLY`) covering :data:`EXPLAINS` of it, or a whole-
  picture class of probability :data:`SURE_WHOLE`;
* whether the models were trained on the thing itself (a COCO label or an ImageNet class of the
  word's sense), not only on some of its kinds ("flower": a daisy and a lady's slipper only) --
  which matters only where the picture is not filled by a sure detection that the whole picture's
  class agrees with (:data:`FILLS`: a cat the classifier calls an Egyptian cat leaves no room for a
  squirrel).

"No" is earned only on a photograph where nothing hints at the thing, something else explains the
picture and the thing is one the models know; else the answer is "I'm not sure", with what was seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Absence", "absence", "CLOSE_KINDS", "LARGE", "EXPLAINS", "FILLS", "SURE_WHOLE", "WEAK_HINT", "HINT_P"]

CLOSE_KINDS = 25  # a shared parent with more ImageNet kinds (container: 98) makes no close relative
LARGE = 0.1  # a detection over this share of the picture is a large part of it
EXPLAINS = 0.05  # a sure detection this large explains the picture
FILLS = 0.3  # a sure detection this large that the whole picture's class agrees with fills the picture
SURE_WHOLE = 0.2  # a whole-picture class this probable explains the picture
HINT_P = 0.05  # a class this probable (whole picture) or HINT_P * 4 (a tile) is a hint
WEAK_HINT = 0.15  # a weak candidate of the thing's own label from this score up is a hint


@dataclass
class Absence:
    """``earned``: whether "I see no X" may be said; ``kinds``: model names seen that are kinds of X
    ('cup' for "a cup"), ``relatives``: names of close relatives with the parent they share
    ('mortar (a vessel, as a bowl is)'), ``weak``: the detector's weak guesses of X; ``why``: why a
    "no" is not earned, in words ('' when it is)."""

    earned: bool
    kinds: list[str] = field(default_factory=list)
    relatives: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    why: str = ""


def _word_parents(word: str) -> dict[int, str]:
    """The close parents of the word's first two senses: {synset: its first lemma}, only those with at
    most CLOSE_KINDS ImageNet kinds (and at least one)."""
    from vitron_agent.perception import wordnet_names as wn

    out: dict[int, str] = {}
    for s in wn.senses(word)[:2]:
        for p in wn._DATA.get(s, ((), ()))[1]:
            n = len(wn.kinds_of(p)[1])
            if 0 < n <= CLOSE_KINDS:
                out[p] = wn._DATA[p][0][0].replace("_", " ")
    return out


def _relation(word: str, name: str, parents: dict[int, str]) -> str:
    """'kind' when the model's ``name`` is ``word`` or a kind of it, the shared parent's lemma when
    it is a close relative, else ''."""
    from vitron_agent.perception import wordnet_names as wn

    if wn.matches(word, name):
        return "kind"
    for o in wn._name_synsets(name):
        shared = [lemma for p, lemma in parents.items() if p in wn._ancestors(o)]
        if shared:
            return shared[0]
    return ""


def _covered(word: str) -> bool:
    """Whether a model was trained on the thing itself: the word names a COCO label (the detector
    looked for it, weakly too) or its sense is an ImageNet class, not only a parent of some
    ("flower", "camera")."""
    from vitron_agent.perception import wordnet_names as wn

    coco, imagenet, sense = wn.classes_for(word)
    if sense is None:
        return False
    return bool(coco) or any(wn.IMAGENET[i][0] == sense for i in imagenet)


def _tiles(image: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The four quarters and the centre half, XYXY pixels."""
    h, w = image.shape[:2]
    return [
        (0, 0, w // 2, h // 2),
        (w // 2, 0, w, h // 2),
        (0, h // 2, w // 2, h),
        (w // 2, h // 2, w, h),
        (w // 4, h // 4, 3 * w // 4, 3 * h // 4),
    ]


def _names_seen(image: np.ndarray) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """(the whole picture's top-5 classes, the tiles' top-3 classes that pass HINT_P * 4)."""
    from vitron_agent.perception.classifier import classify

    whole = classify(image, k=5)
    tiles = []
    for x1, y1, x2, y2 in _tiles(image):
        tiles += [(n, p) for n, p in classify(np.ascontiguousarray(image[y1:y2, x1:x2]), k=3) if p >= 4 * HINT_P]
    return whole, tiles


def _share(d, shape: tuple[int, int]) -> float:
    return float((d.box.x2 - d.box.x1) * (d.box.y2 - d.box.y1)) / float(shape[0] * shape[1])


def absence(image: np.ndarray, word: str, found: list, made: bool = False) -> Absence:
    """Whether "I see no ``word``" is earned in ``image`` (HxWx3 uint8 RGB) after the resolver found
    none, given the detector's ``found`` (Detections) and whether the picture is ``made`` (not a
    photograph). Without the classifier or WordNet nothing can be checked: not earned."""
    from vitron_agent.perception.classifier import classifier_ready
    from vitron_agent.perception.detector import PROBABLY
    from vitron_agent.perception.wordnet_names import classes_for, matches, wordnet_ready

    if not (classifier_ready() and wordnet_ready()):
        return Absence(False, why="the classifier or WordNet is not set up, so I could not look again")
    parents = _word_parents(word)
    whole, tiles = _names_seen(image)
    out = Absence(False)
    for name, p in [*whole, *tiles]:
        if p < HINT_P or name in out.kinds or any(r.startswith(name + " (") for r in out.relatives):
            continue
        rel = _relation(word, name, parents)
        if rel == "kind":
            out.kinds.append(name)
        elif rel:
            out.relatives.append(f"{name} (a kind of {rel}, as {_article(word)} {word} is)")
    for d in found:
        if _share(d, image.shape[:2]) < LARGE:
            continue
        for label in (d.label, *d.alternatives):
            rel = _relation(word, label, parents)
            if rel and rel != "kind" and not any(r.startswith(label + " (") for r in out.relatives):
                out.relatives.append(f"{label} (a kind of {rel}, as {_article(word)} {word} is)")
    coco = tuple(sorted(classes_for(word)[0]))
    if coco:
        from vitron_agent.perception.weak_finds import weak_candidates

        out.weak = [d.label for d in weak_candidates(image, coco)[:2] if d.score >= WEAK_HINT]
    explained = any(d.score >= PROBABLY and _share(d, image.shape[:2]) >= EXPLAINS for d in found) or (
        bool(whole) and whole[0][1] >= SURE_WHOLE
    )
    # two models agreeing on what fills the picture (a sure cat the classifier calls an Egyptian cat)
    # leave no room for a thing the models know only some kinds of
    filled = any(
        d.score >= PROBABLY and _share(d, image.shape[:2]) >= FILLS and whole and matches(d.label, whole[0][0])
        for d in found
    )
    reasons = [
        (made, "it may not be a photograph"),
        (bool(out.kinds or out.relatives or out.weak), "something here may be one"),
        (not explained, "nothing in it is recognised surely"),
        (not (filled or _covered(word)), f"my models know only some kinds of {word}"),
    ]
    out.why = "; ".join(r for hit, r in reasons if hit)
    out.earned = not out.why
    return out


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
