"""A picture described in plain words from what was recognised (issue 42 item 8).

"I see a red motorcycle at the center." "I see a person in orange filling the picture." "I see a
brown cat filling the picture (an Egyptian cat by its look)." "I see a person in red with a sports
ball, in front of a crowd (dozens of people; I can separate 7)."

Each thing is said with its colour as people name it (:func:`~vitron_agent.perception.colors.
box_colour`: the box's own pixels, judged against the light; a person by what they wear), the
kind the classifier sees in it, where it is, and how sure the detector is ("what may be" below
:data:`~vitron_agent.perception.detector.PROBABLY`, or when another label is about as likely). A
small thing held by or lying on a larger one is said with it ("a person ... with a sports ball",
"a cup on a dining table"). Scores and model names are not in it (tools put them in ``method``).
"""

from __future__ import annotations

import re

import numpy as np

from vitron_agent.core.refs import Detection

__all__ = ["describe_scene", "NATURAL", "GROUPS", "colour_words"]

# COCO labels whose colours are their own (never "the light's cast"): living things and food
NATURAL = frozenset(
    "person bird cat dog horse sheep cow elephant bear zebra giraffe banana apple sandwich orange broccoli "
    "carrot pizza donut cake".split()
) | {"hot dog", "potted plant"}
# things one carries or plays with, said with the person they overlap
_HELD = frozenset(
    "sports ball frisbee kite umbrella handbag backpack tie suitcase skis snowboard skateboard surfboard "
    "tennis racket baseball bat baseball glove bottle cup cell phone book remote knife fork spoon bowl "
    "wine glass teddy bear hair drier toothbrush scissors banana apple donut sandwich".split()
) | {"sports ball", "tennis racket", "baseball bat", "baseball glove", "cell phone", "wine glass", "teddy bear"}
# surfaces a smaller thing lies on
_SURFACES = frozenset({"dining table", "bed", "couch", "bench", "chair", "toilet", "sink", "oven"})


# shades people use in everyday words; others are said by their family ('rust/orange' -> 'orange')
_EVERYDAY_SHADES = frozenset({"navy", "beige", "gold", "golden", "cream", "maroon", "turquoise", "teal", "khaki"})


def colour_words(said: str) -> str:
    """A said colour as an adjective: 'navy/blue' -> 'navy', 'rust/orange' -> 'orange',
    'silver/grey' stays, 'gray' -> 'grey'."""
    if said == "silver/grey" or "/" not in said:
        return said.replace("gray", "grey")
    shade, family = said.split("/", 1)
    return (shade if shade in _EVERYDAY_SHADES else family).replace("gray", "grey")


def _article(words: str) -> str:
    return "an" if words[:1].lower() in ("a", "e", "i", "o", "u") else "a"


def _box(d: Detection) -> tuple[float, float, float, float]:
    return d.box.x1, d.box.y1, d.box.x2, d.box.y2


def _named(image: np.ndarray, d: Detection) -> str:
    """'a red motorcycle', 'a person in orange', 'a brown cat or a dog'."""
    from vitron_agent.perception.colors import box_colour

    person = d.label == "person"  # what they wear: clothes have no natural colours, the light is judged
    said = box_colour(image, _clothes(d) if person else _box(d), d.label in NATURAL and not person)
    colour = colour_words(said) if said != "no colour" else ""
    if colour and _claims_a_kind(image, d, colour):  # a panda is no "black bear": the colour names a species
        colour = ""
    alts = "".join(f" or {_article(k)} {k}" for k in d.alternatives)
    if d.label == "person":
        return f"a person{alts}" + (f" in {colour}" if colour else "")
    thing = f"{colour} {d.label}".strip()
    return f"{_article(thing)} {thing}{alts}"


HEAD_SHARE = 0.3  # the top of a person's box that is head and hair, not what they wear


def _clothes(d: Detection) -> tuple[float, float, float, float]:
    """The part of a person's box that holds what they wear (XYXY): below the head, without the
    box's outer tenth each side. "A person in orange" had been said of a woman in a navy suit:
    her face and hair, in the box, outshone the suit."""
    x1, y1, x2, y2 = _box(d)
    w, h = x2 - x1, y2 - y1
    return x1 + 0.1 * w, y1 + HEAD_SHARE * h, x2 - 0.1 * w, y2


def _claims_a_kind(image: np.ndarray, d: Detection, colour: str) -> bool:
    """Whether "<colour> <label>" names a kind the classifier does not see in the box ("black bear"
    for a giant panda, "brown bear" for a grizzly it calls an ice bear): the colour is then left out."""
    from vitron_agent.perception.classifier import classifier_ready, classify_indices
    from vitron_agent.perception.wordnet_names import named_kinds, wordnet_ready

    if not (classifier_ready() and wordnet_ready()):
        return False
    kinds = named_kinds(colour.split()[-1], d.label)
    return bool(kinds) and not any(i in kinds and p >= 0.2 for i, p in classify_indices(image, d.box, 3))


LEAD_KIND = 0.8  # the classifier's kind of the detector's label, from this probability, is the name said
LEAD_SIBLING = 0.5  # its near relative (a panda to a bear), from this, is said beside the detector's as a guess


def _lead(image: np.ndarray, d: Detection) -> tuple[str, str] | None:
    """(what is said, the note) when the classifier's first name for the box should lead: a kind of
    the detector's label it is very sure of ("an American black bear", note "a kind of bear"), or, when
    it is fairly sure of a name that conflicts with the detector's -- a near relative (a giant panda to
    the detector's bear) or another animal (a lion to its dog) -- both, as a guess ("what may be a giant
    panda or a bear", note "the classifier sees a giant panda, the detector a bear"); None otherwise."""
    from vitron_agent.perception.classifier import class_name, classifier_ready, classify_indices
    from vitron_agent.perception.wordnet_names import imagenet_living, is_living, relation, wordnet_ready

    if not (classifier_ready() and wordnet_ready()) or d.label == "person":
        return None
    index, p = classify_indices(image, d.box, 1)[0]
    name = class_name(index)
    if name.lower() == d.label:
        return None
    how = relation(d.label, name)
    a, b = f"{_article(name)} {name}", f"{_article(d.label)} {d.label}"
    if how == "kind" and p >= LEAD_KIND:
        return a, f"a kind of {d.label}"
    conflict = how == "sibling" or (not how and is_living(d.label) and imagenet_living(index))
    if conflict and p >= LEAD_SIBLING:
        return f"what may be {a} or {b}", f"the classifier sees {a}, the detector {b}"
    return None


def _notes(image: np.ndarray, d: Detection) -> str:
    """'an Egyptian cat by its look' or 'the classifier sees a tripod' (words, no scores)."""
    from vitron_agent.perception.name_finder import doubt, kind_of, second_opinion

    kind = kind_of(image, d) if d.score >= 0.45 else ""
    if kind:
        return f"{kind} by its look"
    return re.sub(r"\s*\(\d\.\d+\)", "", second_opinion(image, d)) or doubt(image, d)


def _within(a: tuple, b: tuple) -> float:
    from vitron_agent.perception.detector import _within as share_inside

    return share_inside(a, b)


def _pairs(found: list[Detection]) -> dict[int, tuple[str, int]]:
    """For a small thing held by a person or lying on a surface: (word, index of the larger one)."""
    out: dict[int, tuple[str, int]] = {}
    for i, d in enumerate(found):
        for j, o in enumerate(found):
            if i == j or o.box.width * o.box.height <= 2 * d.box.width * d.box.height:
                continue
            if d.label in _HELD and o.label == "person" and _within(_box(d), _box(o)) >= 0.3:
                out[i] = ("with", j)
                break
            if o.label in _SURFACES and _within(_box(d), _box(o)) >= 0.5:
                out[i] = ("on", j)
                break
    return out


def describe_scene(image: np.ndarray, found: list[Detection], limit: int = 6) -> str:
    """Plain words for what was recognised in ``image`` (HxWx3 uint8 RGB), best first; with nothing
    recognised, what the classifier sees in the whole picture, said as its guess. A picture that
    is not a photograph (:func:`~vitron_agent.perception.picture_kind.made_picture_note`: a
    screenshot, a chart, a drawing or a render, by measured cues) is said to be one first, and
    every thing in it is said as a guess ("what may be"): the models learnt from photographs."""
    from vitron_agent.perception.picture_kind import made_picture_note

    note = made_picture_note(image)
    said = _scene(image, found, limit, made=bool(note))
    return f"{note} {said}" if note else said


def _scene(image: np.ndarray, found: list[Detection], limit: int, made: bool) -> str:
    """describe_scene's words for the things; ``made``: the picture is not a photograph, so each
    thing is said as a guess."""
    from vitron_agent.perception.detector import confidence_word
    from vitron_agent.perception.masks import position_name
    from vitron_agent.perception.name_finder import doubt, whole_picture_names

    h, w = image.shape[:2]
    if not found:
        guess = re.sub(r"\s+\d\.\d+", "", whole_picture_names(image) or "")  # the names as a guess, no scores
        if made:  # on a made picture only a name the classifier is fairly sure of is worth a guess
            guess = ", ".join(n for n, p in _names_scored(whole_picture_names(image)) if p >= MADE_GUESS)
        if not guess:
            return "I see no object I can name (the detector knows COCO's 80 kinds of thing)"
        names = [f"{_article(g)} {g}" for g in guess.split(", ")]
        return "I see no object I can name for sure; at a guess, the whole picture shows " + " or ".join(names)
    many = sorted({d.label for d in found if sum(o.label == d.label for o in found) >= MANY})
    groups = [
        ("what may be " if made else "") + _group(image, label, [d for d in found if d.label == label])
        for label in many
    ]
    found = [d for d in found if d.label not in many]
    shown = found[:limit]
    pairs = _pairs(shown)
    said: dict[int, str] = {}
    led: dict[int, str] = {}  # the detector's name, where the classifier's leads
    taken: set[str] = set()
    for i, d in enumerate(shown):
        unsure = made or bool(d.alternatives) or confidence_word(d.score) != "probably" or bool(doubt(image, d))
        said[i] = ("what may be " if unsure else "") + _named(image, d)
        sure = _classifier_leads(image, d) if unsure else ""
        if sure and sure not in taken:  # not "a brown dog (the classifier sees a cheetah)"; a name leads once
            said[i], led[i] = f"what may be {_article(sure)} {sure}", f"the detector says {_article(d.label)} {d.label}"
            taken.add(sure)  # the table under the espresso is not a second espresso
        elif not made and (lead := _lead(image, d)) is not None:  # a giant panda, not "a black bear"
            said[i], led[i] = lead
    parts = []
    for i, d in enumerate(shown):
        if i in pairs:
            continue
        held = [f" {word} {said[k]}" for k, (word, j) in pairs.items() if j == i and word == "with"]
        under = [f"{said[k]} on " for k, (word, j) in pairs.items() if j == i and word == "on"]
        big = d.box.width * d.box.height >= 0.6 * w * h
        place = "filling the picture" if big else f"at the {position_name(*_centre(d), w, h)}"
        notes = [led.get(i) or _notes(image, d)] + [
            led.get(k) or _notes(image, shown[k]) for k, (_, j) in pairs.items() if j == i
        ]
        notes = list(dict.fromkeys(n for n in notes if n))
        phrase = "".join(under) + said[i] + "".join(held) + f" {place}" + (f" ({'; '.join(notes)})" if notes else "")
        parts.append(phrase)
    more = f" and {len(found) - limit} more objects" if len(found) > limit else ""
    crowd = "" if "person" in many else _crowd_clause(image, found)
    said = "I see " + "; ".join(groups + _grouped(parts)) + more + crowd
    return said + _as_a_whole(image, found, said)


def _classifier_leads(image: np.ndarray, d: Detection) -> str:
    """The classifier's name for the box when it is fairly sure (>= 0.5) and names no kind of the
    detector's unsure label (a cheetah cub the detector calls a dog): what the description leads
    with; '' otherwise."""
    from vitron_agent.perception.name_finder import second_opinion

    other = second_opinion(image, d)
    return re.sub(r"^the classifier sees an? |\s*\(\d\.\d+\)$", "", other) if other else ""


WHOLE_SURE = 0.5  # the classifier's first name for the whole picture, from this probability, is worth saying


def _as_a_whole(image: np.ndarray, found: list[Detection], said: str) -> str:
    """'; the picture as a whole looks like a modem to the classifier' when the classifier is fairly
    sure what the whole picture is (>= :data:`WHOLE_SURE`) and that is none of the things found nor
    said already (a circuit board's round part is "a white clock" to the detector, surely); ''
    otherwise. A hint for the user, not a correction: the detections are said as they are."""
    from vitron_agent.perception.classifier import classifier_ready, classify
    from vitron_agent.perception.wordnet_names import matches, wordnet_ready

    if not (classifier_ready() and wordnet_ready()):
        return ""
    name, p = classify(image, None, 1)[0]
    if p < WHOLE_SURE or name.lower() in said.lower() or any(matches(d.label, name) for d in found):
        return ""
    return f"; the picture as a whole looks like {_article(name)} {name} to the classifier"


MADE_GUESS = 0.2  # on a picture that is not a photograph, whole-picture names from this probability


def _names_scored(said: str) -> list[tuple[str, float]]:
    """'web site 0.50, envelope 0.14' -> [('web site', 0.5), ('envelope', 0.14)]."""
    out = []
    for part in filter(None, (p.strip() for p in said.split(","))):
        name, _, score = part.rpartition(" ")
        out.append((name, float(score)))
    return out


MANY = 5  # this many of one kind are said as a group ("a flock of 10 birds"), not one by one
GROUPS = {"person": "a crowd", "bird": "a flock", "sheep": "a flock", "cow": "a herd", "elephant": "a herd"}


def _group(image: np.ndarray, label: str, items: list[Detection]) -> str:
    """'a crowd of dozens of people (I can separate 36)', 'a flock of 10 birds', 'a group of more than 8
    boats (I can separate 8)': many of one kind, with no number the detector cannot stand behind."""
    from vitron_agent.perception.detector import overlapped, weak_count
    from vitron_agent.perception.recognise import plural

    n, weak = len(items), weak_count(image, label)
    hidden = n >= 10 and overlapped(items) >= n / 3
    group = GROUPS.get(label, "a group")
    if weak < 5 and not hidden:
        return f"{group} of {_NUMBERS.get(n, str(n))} {plural(label, n)}"
    size = "dozens of" if n + weak >= 24 else f"more than {n}"
    return f"{group} of {size} {plural(label, 2)} (I can separate {n})"


_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def _grouped(parts: list[str]) -> list[str]:
    """Identical plain phrases said once with their number: 'a black boat at the center' twice ->
    'two black boats at the center' (phrases with notes or doubts are kept one by one)."""
    from vitron_agent.perception.detector import COCO80
    from vitron_agent.perception.recognise import plural

    labels = "|".join(sorted(map(re.escape, COCO80), key=len, reverse=True))
    counts: dict[str, int] = {}
    for p in parts:
        counts[p] = counts.get(p, 0) + 1
    out = []
    for p, n in counts.items():
        m = re.match(rf"^an? (.*?)\b({labels})( at .*)$", p)
        if n == 1 or m is None or "(" in p or " or " in p or p.startswith("what may be"):
            out.extend([p] * n)
            continue
        out.append(f"{_NUMBERS.get(n, str(n))} {m.group(1)}{plural(m.group(2), n)}{m.group(3)}")
    return out


def _centre(d: Detection) -> tuple[float, float]:
    return (d.box.x1 + d.box.x2) / 2, (d.box.y1 + d.box.y2) / 2


def _crowd_clause(image: np.ndarray, found: list[Detection]) -> str:
    """', in front of a crowd (…)' when there are more people than the detector can tell apart: it
    half-sees many more, or those it separates stand in rows in front of each other."""
    from vitron_agent.perception.detector import overlapped, weak_count

    people = [d for d in found if d.label == "person"]
    weak = weak_count(image, "person")
    hidden = len(people) >= 10 and overlapped(people) >= len(people) / 3
    if not hidden and (weak < 5 or len(people) + weak < 8):
        return ""
    many = "dozens of" if len(people) + weak >= 24 else "many"
    return f", in front of a crowd ({many} people, some half-seen; I can separate {len(people)})"
