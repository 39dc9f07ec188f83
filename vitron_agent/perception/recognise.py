"""One resolver for what the user named: a phrase ("the people", "the red car on the left", "her")
becomes the detections it means, and their mask.

Order (DESIGN: "one resolver"): the user's own region wins (the tools handle it before they get
here); then a COCO class or a synonym of one (:func:`vitron_agent.perception.detector.named`), with
colour / position / size qualifiers; "the most prominent object" only when the user asked for
it. A name the detector does not know, or a known one not in the picture, is a
:class:`ToolFailed` that says what *was* found and asks for a click or a box, so nothing is
ever edited in its place.
"""

from __future__ import annotations

import re

import numpy as np

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import Detection
from vitron_agent.perception.detector import MIN_SCORE, Named, label_score
from vitron_agent.perception.resolving import (  # noqa: F401 (the resolver's names, kept importable from here)
    ASK_REGION,
    SURE_EACH,
    Resolved,
    _article,
    _found,
    _in_words,
    _mask,
    _which,
    _xyxy,
    colour_share,
    mask_of,
    not_found,
    not_recognised,
    plural,
    select,
    where,
)

__all__ = [
    "resolve",
    "Resolved",
    "select",
    "mask_of",
    "not_recognised",
    "not_found",
    "ASK_REGION",
    "colour_share",
    "plural",
    "where",
    "face_part",
    "face_region",
    "stuff_region",
]


def resolve(
    image: np.ndarray,
    phrase: str,
    found: list[Detection] | None = None,
    with_mask: bool = True,
    relation: str | None = None,
    relative_to: str | None = None,
    guess: bool = False,
) -> Resolved:
    """The things ``phrase`` names in ``image`` and their mask. A COCO class (or a word WordNet
    puts above one: "animal", "vehicle") is looked for among the detector's objects; a name only
    the classifier knows ("squirrel", "lemon", "butterfly") on every proposal
    (:func:`~vitron_agent.perception.name_finder.classifier_proposals`). The first few detections
    of a COCO class are refined to the object(s) each holds
    (:func:`~vitron_agent.perception.box_refine.refine_found`: a bird far smaller than its box, two
    dogs in one box). Qualifiers (colour, position,
    size, plural) choose among them (:func:`select`), and so does a ``relation`` to another thing
    named ``relative_to`` ("the crowd" behind "the player": TargetSpec; read from the phrase by
    :func:`~vitron_agent.perception.target_spec.parse_target_phrase` when not given). Raises ToolFailed naming what was seen when
    the thing is not found or the word names nothing either model knows -- unless ``guess`` and the
    detector has no class for the word and the classifier at most :data:`NARROW` kinds of it: then
    the salient object the phrase's place words
    point at, when it lies where they say and no model names it as
    something else (:func:`~vitron_agent.perception.name_finder.salient_guess`), comes back with
    ``sure`` False and a method that says it is a guess (for a region to segment; never for
    counts). When the cheap ways miss a name a model knows, the detector's weak candidates of a
    COCO label (:func:`~vitron_agent.perception.weak_finds.by_weak_find`), then closer looks where the
    asked classes' activation points (:func:`~vitron_agent.perception.name_zoom.by_zoom`: sure only
    when two looks agree and an outline bounds the find), then selective search's regions classified
    one by one (:func:`~vitron_agent.perception.region_search.by_region_search`) are looked at; the
    weak finds' and the search's answers are unsure. "The X between the A and the B" chooses among
    the X found by the two others (:mod:`~vitron_agent.perception.between`); "the tree on the right",
    "the fir tree" is one piece of foliage by colour and texture
    (:func:`~vitron_agent.perception.stuff_pieces.one_piece`), unsure. A detector's or classifier's answer is sure only as
    :mod:`~vitron_agent.perception.sureness` allows (two models agreeing, or one past its doubt).
    ``sure`` is False too for a classifier's hit that is mostly a sure person's or animal's
    box, and for one tree (bush, cloud) found by the stuff heuristic; each unsure method reads
    "... found no X ..., so it ..." as graphs/policy.py reads an assumption. An answer that is a rough
    rectangle or a part of a larger thing says so first, or a classifier's part grows to its whole
    (:func:`~vitron_agent.perception.answer_extent.checked_extent`). ``with_mask`` False skips
    the segmenter (the mask is then all False)."""
    from vitron_agent.perception.answer_extent import checked_extent
    from vitron_agent.perception.detector import detect_objects
    from vitron_agent.perception.name_finder import head_noun

    found = detect_objects(image) if found is None else found
    if relation is None and phrase and (btw := _parse_between(phrase[:200])) is not None:
        res = _between(image, found, btw, with_mask, guess)  # "the cup between the plate and the bottle"
        return checked_extent(image, res, head_noun(phrase) or phrase, found)
    if relation is None and phrase:  # "the dog behind the sofa": the typed target's relation, its head alone
        from vitron_agent.perception.target_spec import parse_target_phrase

        parts = parse_target_phrase(phrase[:200])
        if parts.relation and parts.relative_to and not parts.exclude:
            phrase, relation, relative_to = parts.head, parts.relation, parts.relative_to
    res = _by_name(image, phrase, found, with_mask, relation, relative_to, guess)
    return checked_extent(image, res, head_noun(phrase) or phrase, found)  # a rough rectangle or a part: said first


def _by_name(
    image: np.ndarray,
    phrase: str,
    found: list[Detection],
    with_mask: bool,
    relation: str | None,
    relative_to: str | None,
    guess: bool,
) -> Resolved:
    """:func:`resolve` once the phrase is read: the looks in their order, cheapest first."""
    from vitron_agent.perception.classifier_hits import by_classifier
    from vitron_agent.perception.coco_names import _singular
    from vitron_agent.perception.detector import named
    from vitron_agent.perception.name_finder import head_noun
    from vitron_agent.perception.wordnet_names import classes_for, wordnet_ready

    name = named(phrase)
    special = _face_or_stuff(image, phrase, name, found)
    if special is not None:
        return special
    head = head_noun(phrase)
    coco, imagenet = classes_for(head)[:2] if head and wordnet_ready() else (frozenset(), frozenset())
    labels = tuple(dict.fromkeys((*(name.labels if name else ()), *sorted(coco))))
    word = name.word if name else (head or phrase).replace("_", " ")
    plural = name.plural if name else bool(head and head != _singular(head))
    what = Named(labels, word, plural)
    if not imagenet and head and labels:  # "the puppy", "the kitty": the classifier's kinds of the dog, the cat
        from vitron_agent.perception.name_finder import imagenet_kinds

        imagenet = imagenet_kinds(head, labels)
    if labels and any(max(label_score(d, lab) for lab in labels) >= MIN_SCORE for d in found):
        return _placed_by(image, found, what, phrase, relation, relative_to, with_mask)
    if (not labels or "'s " in phrase or " of " in phrase) and (part := _part(image, phrase, head, found, with_mask)):
        return part  # "the front wheel", "the headlight": the whole's part, or a refusal naming the whole
    if imagenet and (hit := by_classifier(image, found, imagenet, what, phrase, with_mask)) is not None:
        return hit
    if (kin := _a_kind_of(image, found, head, Named((), word, plural), phrase, with_mask)) is not None:
        return kin  # "the tabby" and a cat the classifier calls an Egyptian cat: the cat, said so
    if labels and (hit := _weak(image, what, phrase, with_mask)) is not None:
        return hit  # a COCO thing the detector saw only weakly (under MIN_SCORE), confirmed where it can be: unsure
    if imagenet and (hit := _zoomed(image, found, imagenet, what, phrase, with_mask)) is not None:
        return hit  # the cheap proposals missed a name the classifier knows: where its map points, closer
    if imagenet and (hit := _searched(image, found, imagenet, what, phrase, with_mask)) is not None:
        return hit  # the cheap proposals missed a name the classifier knows: selective search's regions, unsure
    # a guess only for a word the detector has no class for and the classifier one or two kinds of (a
    # tower: the water tower; a camera: the reflex and the Polaroid): where it knows many kinds of the
    # thing (every bird), it has looked at the salient object already and not named it so, and that
    # silence is evidence; where the detector has a class ("the person" in a landscape), its silence is too
    if guess and not labels and len(imagenet) <= NARROW and (got := _guess(image, phrase, word, found, imagenet)):
        return got
    if labels or imagenet:
        raise not_found(word, found, image)
    raise not_recognised(phrase, found, image)


def _parse_between(phrase: str):
    from vitron_agent.perception.between import parse_between

    return parse_between(phrase)


def _between(image: np.ndarray, found: list[Detection], btw, with_mask: bool, guess: bool) -> Resolved:
    from vitron_agent.perception.between import resolve_between

    return resolve_between(image, found, btw, with_mask, guess, resolve=resolve, doubted=_doubted)


def _a_kind_of(
    image: np.ndarray, found: list[Detection], head: str | None, what: Named, phrase: str, with_mask: bool
) -> Resolved | None:
    """The detections of a COCO class WordNet puts above ``head`` ("the tabby": the cat), said as a kind
    of it the models cannot tell apart; None when there is none."""
    from vitron_agent.perception.detector import detector_name
    from vitron_agent.perception.wordnet_names import coco_above, wordnet_ready

    above = coco_above(head) if head and wordnet_ready() else ()
    kin = [d for d in found if any(label_score(d, lab) >= MIN_SCORE for lab in above)]
    if not kin:
        return None
    items, note = select(image, kin, Named(above, what.word, what.plural), phrase)
    how = (
        f"{detector_name()} recognised " + ", ".join(d.describe() for d in items) + f"; a {what.word} is a kind of "
        f"{items[0].label}, and I cannot tell which kind it is ({_found([], image).split('; ', 1)[-1]})"
    )
    return Resolved(items, _mask(image, items, with_mask), how + (f" ({note})" if note else ""))


def _placed_by(
    image: np.ndarray,
    found: list[Detection],
    what: Named,
    phrase: str,
    relation: str | None,
    relative_to: str | None,
    with_mask: bool,
) -> Resolved:
    """The detector's answer (:func:`_by_detector`), placed by ``relation`` to ``relative_to`` when that
    is among the detections; when it is not ("the crowd behind them", "the people behind the car" with
    no car), the answer is unsure and says so in the words of an assumption."""
    from dataclasses import replace

    anchor = _anchor(found, relation, relative_to)
    if anchor is None and relation and relative_to and relative_to.strip().lower() not in _PRONOUNS:
        from vitron_agent.perception.between import anchor_by_name  # "next to the lemon": no detector class

        if (other := anchor_by_name(image, found, relative_to)) is not None:
            res = _by_detector(image, found, what, phrase, (relation, other[0]), with_mask)
            doubt = f"; unsure where: it cannot tell surely where {relative_to.strip()} is, so it took the one found"
            return res if other[1] else replace(res, method=res.method + doubt, sure=False)
    res = _by_detector(image, found, what, phrase, anchor, with_mask)
    if not (relation and relative_to and anchor is None):
        return res

    other = relative_to.strip()
    which = f"what {other!r} refers to" if other.lower() in _PRONOUNS else f"where {other} is"
    many = _many(what.labels[0]) if what.labels else what.word
    took = f"all the {many} found" if what.plural else f"the {what.word} found"
    return replace(res, method=res.method + f"; unsure where: it cannot tell {which}, so it took {took}", sure=False)


def _weak(image: np.ndarray, what: Named, phrase: str, with_mask: bool) -> Resolved | None:
    from vitron_agent.perception.weak_finds import by_weak_find

    return by_weak_find(image, what, phrase, with_mask)


def _zoomed(
    image: np.ndarray, found: list[Detection], imagenet: frozenset[int], what: Named, phrase: str, with_mask: bool
) -> Resolved | None:
    from vitron_agent.perception.name_zoom import by_zoom

    return by_zoom(image, found, imagenet, what, phrase, with_mask)


def _searched(
    image: np.ndarray, found: list[Detection], imagenet: frozenset[int], what: Named, phrase: str, with_mask: bool
) -> Resolved | None:
    from vitron_agent.perception.region_search import by_region_search

    return by_region_search(image, found, imagenet, what, phrase, with_mask)


def _part(image: np.ndarray, phrase: str, head: str | None, found: list[Detection], with_mask: bool) -> Resolved | None:
    """A part of a whole found (:func:`~vitron_agent.perception.parts.resolve_part`), or None."""
    from vitron_agent.perception.parts import resolve_part
    from vitron_agent.perception.wordnet_names import wordnet_ready

    return resolve_part(image, phrase, head, found, with_mask) if head and wordnet_ready() else None


def _by_detector(
    image: np.ndarray,
    found: list[Detection],
    what: Named,
    phrase: str,
    anchor: tuple[str, Detection] | None,
    with_mask: bool,
) -> Resolved:
    """The detections of ``what.labels`` the phrase means, each first refined to the object(s)
    it holds (:func:`~vitron_agent.perception.box_refine.refine_found`)."""
    from vitron_agent.perception.box_refine import refine_found
    from vitron_agent.perception.detector import detector_name

    pool, masks, refined = refine_found(image, found, what.labels)
    items, note = select(image, pool, what, phrase, relation=anchor)
    items, back = _in_the_back(image, pool, items, what, phrase)
    how = f"{detector_name()} recognised " + ", ".join(d.describe() for d in items)
    how += "".join(f"; {h}" for h in dict.fromkeys(refined[id(d)] for d in items if id(d) in refined))
    how += f"; {back}" if back else ""
    mask = _mask(image, items, with_mask, masks)
    if with_mask:  # the people in front of the bus are not the bus
        from vitron_agent.perception.instance_split import apart_from_its_kind
        from vitron_agent.perception.object_masks import without_others

        mask, apart = without_others(image, mask, items, pool)
        how += f"; without the {', '.join(dict.fromkeys(apart))} in front of or beside it" if apart else ""
        mask, split = apart_from_its_kind(mask, items, pool)  # two giraffes, one behind the other
    else:
        split = ""
    sure = not back and "unsure which" not in note and not split
    if sure and (why := _doubted(image, items, what)):  # one model, short of sure: said as an assumption
        how += f"; unsure: it cannot tell surely that this is the {what.word} ({why}), so it took the detector's find"
        sure = False
    return Resolved(items, mask, how + (f" ({note})" if note else "") + (f"; {split}" if split else ""), sure=sure)


def _doubted(image: np.ndarray, items: list[Detection], what: Named) -> str:
    """Why the detector's chosen items are not sure (:func:`~vitron_agent.perception.sureness.detector_doubt`
    of the first; of several, the best of them), or ''."""
    from vitron_agent.perception.sureness import detector_doubt

    doubts = [detector_doubt(image, d, what.word) for d in items[: 1 if not what.plural else 3]]
    return "" if any(not w for w in doubts) else doubts[0]


_BACK = re.compile(r"\b(?:in|at|towards?)\s+the\s+(?:background|backdrop|back|distance|far end)\b|\bfar\s+away\b", re.I)
FRONT_SHARE = 0.5  # a thing at least this share of the largest one of its kind is among those in front


def _in_the_back(
    image: np.ndarray, pool: list[Detection], items: list[Detection], what: Named, phrase: str
) -> tuple[list[Detection], str]:
    """("the person in the background") the chosen ones that stand back: the smaller ones of the
    kind (farther things look smaller), and '' -- or, when every one found is among the largest
    of its kind (there is no smaller one), the chosen ones with the words of an assumption
    ("unsure where: it found no person in the background, so it took …") that the turn warns of
    and that holds destructive edits. ``items`` unchanged when the phrase names no such place."""
    if not items or not _BACK.search(phrase):
        return items, ""
    kind = [d for d in pool if max(label_score(d, lab) for lab in what.labels) >= MIN_SCORE] or items
    size = {id(d): (d.box.x2 - d.box.x1) * (d.box.y2 - d.box.y1) for d in kind + items}
    largest = max(size.values())
    back = [d for d in kind if size[id(d)] < FRONT_SHARE * largest]
    if back:
        return (back if what.plural else [min(back, key=lambda d: size[id(d)])]), ""
    return items, f"unsure where: it found no {what.word} in the background, so it took the one in front"


# a word the classifier knows at most this many kinds of may still be guessed at when it finds none
NARROW = 2


def _guess(
    image: np.ndarray, phrase: str, word: str, found: list[Detection], imagenet: frozenset[int] = frozenset()
) -> Resolved | None:
    from vitron_agent.perception.classifier import class_name
    from vitron_agent.perception.name_finder import salient_guess

    got = salient_guess(image, phrase, word, found)
    if got is None:
        return None
    det, mask = got
    # worded as graphs/policy.py reads an assumption: the turn warns, destructive edits are held
    why = f"it cannot recognise {word!r} by name"
    known = ""
    if imagenet:
        kinds = " and ".join(sorted(class_name(i) for i in imagenet))
        known = f"; the classifier knows only {len(imagenet)} kind{'s' if len(imagenet) > 1 else ''} of it ({kinds}), and saw none"
    return Resolved(
        [det],
        mask,
        f"a guess, unsure: {why}, so it took the most prominent object the phrase points at (U²-Netp's "
        "salient object); neither the detector nor the classifier names that as something else" + known,
        sure=False,
    )


def _anchor(found: list[Detection], relation: str | None, relative_to: str | None) -> tuple[str, Detection] | None:
    """(relation, the detection ``relative_to`` names), or None when no relation was given or the
    other thing is not among the detections (then the relation is not used, and not pretended)."""
    from vitron_agent.perception.detector import named
    from vitron_agent.perception.name_finder import head_noun
    from vitron_agent.perception.wordnet_names import classes_for, coco_above, wordnet_ready

    if not (relation and relative_to):
        return None
    name, head = named(relative_to), head_noun(relative_to)
    coco = classes_for(head)[0] if head and wordnet_ready() else frozenset()
    above = coco_above(head) if head and wordnet_ready() else ()  # "the speaker" is a kind of person
    labels = tuple(dict.fromkeys((*(name.labels if name else ()), *sorted(coco), *above)))
    if not labels:
        return None
    scored = [(max(label_score(d, lab) for lab in labels), d) for d in found]
    best = max(scored, key=lambda t: t[0], default=(0.0, None))
    return (relation, best[1]) if best[1] is not None and best[0] >= MIN_SCORE else None


def _face_or_stuff(image: np.ndarray, phrase: str, name: Named | None, found: list[Detection]) -> Resolved | None:
    """Faces and their parts (BlazeFace) and stuff (sky, water, grass, trees, ground), as the
    segment tool finds them; None for other phrases. Stuff has no box: no detections."""
    from vitron_agent.loading.weights import embedded_available
    from vitron_agent.perception.stuff import stuff_kind

    if face_part(phrase) is not None:
        _animal_face(phrase, found, image)
        if embedded_available("blazeface", "blazeface_weights"):
            mask, method, _ = face_region(image, phrase)
            return Resolved([], mask, method, sure="unsure which" not in method)
    kind = stuff_kind(phrase)
    if kind is not None and name is None:
        one = _ONE_OF_STUFF.search(phrase.lower())
        if kind == "trees" and one and (piece := _one_piece(image, phrase, found)) is not None:
            return piece  # "the tree on the right", "the fir tree": one piece of foliage where the words say
        mask, method = stuff_region(image, kind, found, phrase)
        if one:  # "the fir tree": the heuristic finds tree-like pixels, not one tree
            method += f"; unsure: it found no single {one.group(1)}, so it took all the {kind} it found"
        return Resolved([], mask, method, sure=not one)
    return None


def _one_piece(image: np.ndarray, phrase: str, found: list[Detection]) -> Resolved | None:
    """One tree (bush, hedge) by colour and texture at the place the words name
    (:func:`~vitron_agent.perception.stuff_pieces.one_piece`), unsure; None when none is found there."""
    from vitron_agent.perception.stuff_pieces import one_piece

    objects = [d for d in found[:5] if d.score >= 0.45]
    got = one_piece(image, phrase, mask_of(image, objects) if objects else None)
    return Resolved([], got[0], got[1], sure=False) if got is not None else None


_PRONOUNS = frozenset("it them him her this that these those".split())


def _many(label: str) -> str:
    """'people' for 'person' (``plural`` is shadowed inside :func:`resolve`)."""
    return plural(label, 2)


def _animal_face(phrase: str, found: list[Detection], image: np.ndarray) -> None:
    """Raise ToolFailed for an animal's face or part of one ("the cat's nose"): the face finder
    (BlazeFace) knows people's faces, and no model here an animal's; said with what was seen, not
    "I found no face" (a person's)."""
    from vitron_agent.perception.detector import named

    owner = re.match(r"\s*(?:the|a|an|this|that|my|your)?\s*([a-z]+)'s?\s", phrase.lower())
    whose = named(owner.group(1)) if owner else None
    if whose is None and re.match(r"\s*its\s", phrase.lower()):  # "crop to its face" over a cheetah
        from vitron_agent.perception.wordnet_names import is_living, wordnet_ready

        animals = [d for d in found if d.label != "person" and wordnet_ready() and is_living(d.label)]
        if animals and not any(d.label == "person" and d.score >= 0.5 for d in found):
            whose = named(animals[0].label)
    if whose is not None and "person" not in whose.labels:
        raise ToolFailed(
            f"I cannot find {phrase.strip()!r}: the face finder (BlazeFace) knows people's faces, and no model here "
            f"knows the parts of a {whose.word}'s face. In this image I found: {_found(found, image)}. "
            f"To work on it, {ASK_REGION}."
        )


# one of a stuff that comes in countable pieces, named as one ("the tree", "the fir tree", "a cloud")
_ONE_OF_STUFF = re.compile(r"\b(?:the|a|an|this|that)\b(?:\s+[a-z-]+){0,2}?\s+(tree|bush|cloud|hedge|plant)\b")


_FACE_PARTS = {
    "face": "face",
    "faces": "face",
    "head": "face",
    "heads": "face",
    "eye": "eyes",
    "eyes": "eyes",
    "mouth": "mouth",
    "mouths": "mouth",
    "lips": "mouth",
    "nose": "nose",
    "noses": "nose",
    "ear": "ears",
    "ears": "ears",
}
_EVERY = re.compile(r"\b(?:all|every|each|everyone'?s?|everybody'?s?|their|people'?s|faces|heads)\b", re.I)


def face_part(phrase: str | None) -> tuple[str, bool] | None:
    """("face" | "eyes" | "mouth" | "nose" | "ears", every face?) when the phrase's head noun is a
    face or a part of one ("her face", "the faces", "his eyes", "everyone's faces"), else None."""
    if not phrase:
        return None
    text = (
        re.sub(
            r"\b(?:on|in|at|near|with|behind|under|above|below|beside|by|from|of|inside|over|that|which)\b.*$",
            "",
            phrase.lower(),
        ).strip()
        or phrase.lower()
    )
    words = re.findall(r"[a-z']+", text)
    for word in reversed(words):
        if word in _FACE_PARTS:
            return _FACE_PARTS[word], bool(_EVERY.search(text))
        if word not in (
            "the",
            "a",
            "an",
            "her",
            "his",
            "its",
            "my",
            "your",
            "our",
            "their",
            "both",
            "all",
            "left",
            "right",
            "largest",
            "biggest",
            "smallest",
            "closed",
            "open",
        ):
            return None
    return None


def face_region(image: np.ndarray, phrase: str) -> tuple[np.ndarray, str, int]:
    """(mask, method, faces found) for a face target: BlazeFace's faces, one (the largest, or the
    one a position names) or every one, as ellipses -- or ellipses over the eyes, discs at the mouth, nose, ears."""
    from vitron_agent.perception.detector import detect_objects
    from vitron_agent.perception.faces import detect_faces, face_mask
    from vitron_agent.perception.target_spec import parse_target

    part, every = face_part(phrase) or ("face", False)
    faces = detect_faces(image)
    if not faces:
        found = detect_objects(image)
        _animal_face(phrase, found, image)  # "its face" over a cheetah: said as an animal's, not "no face"
        raise not_found("face", found)
    _, position, _ = parse_target(phrase)
    chosen = faces
    if position and len(faces) > 1:
        cx = {
            "left": lambda f: f.box[0],
            "right": lambda f: -f.box[2],
            "top": lambda f: f.box[1],
            "bottom": lambda f: -f.box[3],
            "center": lambda f: abs((f.box[0] + f.box[2]) / 2 - image.shape[1] / 2),
        }
        chosen = sorted(faces, key=cx[position])[:1]
    elif not every:
        chosen = faces[:1]
    scores = ", ".join(f"{f.score:.2f}" for f in faces[:6])
    which = (
        "every face"
        if len(chosen) > 1 or every
        else (
            "the largest" if len(faces) > 1 and not position else f"the one furthest {position}" if position else "it"
        )
    )
    if which == "the largest" and len(near := _near_in_size(faces)) >= 2:  # "his face" of two alike: a guess
        which = f"the largest (unsure which: it cannot tell which of the {len(near)} faces you mean, so it took the largest)"
    shape = (
        "an ellipse over each face"
        if part == "face"
        else ("ellipses over the eyes" if part in ("eyes", "eye") else f"discs at the {part}")
    )
    method = (
        f"BlazeFace found {len(faces)} face{'s' if len(faces) != 1 else ''} ({scores}); {which}; the mask is {shape}"
    )
    return face_mask(image.shape[:2], chosen, part), method, len(faces)


def _near_in_size(faces: list) -> list:
    """The faces at least half the largest one's area (a face far smaller stands back: not a rival)."""
    area = [(f.box[2] - f.box[0]) * (f.box[3] - f.box[1]) for f in faces]
    return [f for f, a in zip(faces, area, strict=True) if a >= 0.5 * max(area)]


def stuff_region(
    image: np.ndarray, kind: str, found: list[Detection], phrase: str | None = None
) -> tuple[np.ndarray, str]:
    """(mask, method) for sky / water / grass / trees / ground (:mod:`vitron_agent.perception.stuff`),
    with what the detector recognised cut out. Place words in ``phrase`` ("the tree on the
    right") keep only the parts lying in the half they name ("in front", "in the foreground": the
    lower half; "in the background", "in the distance": the upper); none there is a ToolFailed, not
    the stuff elsewhere."""
    from vitron_agent.perception.stuff import stuff_mask

    objects = [d for d in found[:5] if d.score >= 0.45]
    mask, method = stuff_mask(image, kind, mask_of(image, objects) if objects else None, phrase)
    if mask.mean() < 0.002:
        raise ToolFailed(f"I found no {kind} in this image ({method}). If it is there, {ASK_REGION}.")
    words = set(re.findall(r"[a-z]+", (phrase or "").lower()))
    # stuff lies on the ground plane: what is in front is lower in the picture, what is far back higher
    words |= {"bottom"} if words & {"front", "foreground", "nearest"} else set()
    words |= {"top"} if words & {"background", "distance", "back"} else set()
    if (placed := _placed(mask, words)) is not mask:
        mask = placed
        if not mask.any():
            raise ToolFailed(
                f"I found {kind} in this image ({method}), but none where {phrase!r} says. If it is there, {ASK_REGION}."
            )
        method += "; only the parts where the phrase says"
    return mask, method


def _placed(mask: np.ndarray, words: set[str]) -> np.ndarray:
    """The mask's parts (components of at least 0.2 % of the picture) whose box lies in the half
    the place words name; ``mask`` itself when there are none."""
    from vitron_agent.perception.masks import components
    from vitron_agent.perception.name_finder import _place_key, _place_words

    n = _place_words(words)
    if not n:
        return mask
    h, w = mask.shape
    out = np.zeros_like(mask)
    for c in components(mask, min_pixels=max(4, h * w // 500)):
        ys, xs = np.nonzero(c)
        if _place_key(words, (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1), w, h) <= 0.5 * n:
            out |= c
    return out
