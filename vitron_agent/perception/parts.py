"""Parts of a whole, by WordNet's part holonyms: "the headlight" is part of a motor vehicle, "the
wheel" of a wheeled vehicle, "the beak" of a bird, "the cat's nose" of the cat the phrase names.

The resolver asks here only when neither model found the thing under its own name: the whole is
looked for among the detections (its COCO label a kind of a whole WordNet gives, or the owner the
phrase names: "the cat's nose", "the nose of the cat"), and then either the part is located by a
method that holds for any such whole (:mod:`vitron_agent.perception.wheels`: a wheel is a dark
round lobe at the bottom of a vehicle's outline) or the answer says honestly what was found and
what cannot be picked out ("I found the motorcycle; I cannot pick out its headlight") -- the whole
is never reported as the part.

The part-holonym pointers (``#p``) are read from WordNet 3.0's ``data.noun`` (the file
:mod:`vitron_agent.perception.wordnet_names` reads for hypernyms) by this small reader, once, into
the compact cache (:mod:`vitron_agent.loading.disk_cache`).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import Box, Detection
from vitron_agent.perception.coco_names import Named

__all__ = ["PartOf", "part_of", "holonyms", "owner_word", "resolve_part"]

_lock = threading.Lock()
_HOLO: dict[int, tuple[int, ...]] = {}
_DEPTH = 4  # part of a part of ... (a headlight: electrical system -> motor vehicle)


def _parse(path: Path) -> dict[int, tuple[int, ...]]:
    """{synset offset: its part holonyms' offsets} from ``data.noun``."""
    out: dict[int, tuple[int, ...]] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line[0] == " " or " #p " not in line:
                continue
            head = line.split(" | ", 1)[0].split()
            p = 4 + 2 * int(head[3], 16)
            ptrs = [head[p + 1 + 4 * j : p + 5 + 4 * j] for j in range(int(head[p]))]
            out[int(head[0])] = tuple(int(q[1]) for q in ptrs if q[0] == "#p" and q[2] == "n")
    return out


def _load() -> None:
    from vitron_agent.loading.disk_cache import cached_tables, stamp
    from vitron_agent.loading.weights import EMBEDDED, embedded_location, embedded_path

    with _lock:
        if _HOLO:
            return
        key = stamp(
            Path(__file__).read_bytes(), EMBEDDED["wordnet_data_noun"].sha256, embedded_location("wordnet_data_noun")
        )
        table = cached_tables(
            "wordnet-parts",
            key,
            lambda: _parse(embedded_path("wordnet_data_noun")),
            lambda t: isinstance(t, dict) and bool(t),
        )
        _HOLO.update(table)


@lru_cache(maxsize=1024)
def holonyms(word: str) -> frozenset[int]:
    """The wholes (synset offsets) ``word``'s first two senses are a part of, up to :data:`_DEPTH`
    steps ("headlight": the electrical system, the motor vehicle); empty for a word that names
    no part (or that WordNet lacks)."""
    from vitron_agent.perception.wordnet_names import senses, wordnet_ready

    if not wordnet_ready() or not (found := senses(word)):
        return frozenset()
    _load()
    out: set[int] = set()
    level = set(found[:2])  # "beak": an animal's (no whole), a bird's
    for _ in range(_DEPTH):
        level = {h for s in level for h in _HOLO.get(s, ())} - out
        out |= level
    return frozenset(out)


def _is_whole(label: str, wholes: frozenset[int]) -> bool:
    """Whether the COCO ``label`` is a kind of one of ``wholes``."""
    from vitron_agent.perception.wordnet_names import _ancestors, coco_synset

    s = coco_synset(label)
    return s is not None and bool(_ancestors(s) & wholes)


_OWNER = (
    re.compile(r"\b([a-z]+)(?:'s|s')\s+(?:[a-z]+\s+){0,2}?([a-z]+)\b"),  # the cat's nose, the car's front wheel
    re.compile(r"\b([a-z]+)\s+of\s+(?:the|a|an|this|that|my|your|his|her|its)\s+([a-z]+)\b"),  # the nose of the cat
)


def owner_word(phrase: str) -> tuple[str, str] | None:
    """(owner, part) for "the cat's nose" / "the nose of the cat", else None."""
    low = phrase.lower()
    if m := _OWNER[0].search(low):
        return m.group(1), m.group(2)
    if m := _OWNER[1].search(low):
        return m.group(2), m.group(1)
    return None


@dataclass(frozen=True)
class PartOf:
    """A part the phrase names (``part``: the word) and the COCO labels its whole may carry
    (``wholes``: from the owner the phrase names, else every label WordNet makes a whole of it)."""

    part: str
    wholes: tuple[str, ...]
    owner: str | None = None


def part_of(phrase: str, head: str | None) -> PartOf | None:
    """What ``phrase`` names as a part of something the detector knows, or None: "the headlight"
    -> PartOf("headlight", (car, motorcycle, bus, truck)); "the cat's nose" -> PartOf("nose",
    ("cat",), owner "cat"); "the cup" -> None (a cup is part of no detectable whole); "the man's
    hat" -> None (a hat is no part of anything: it is worn)."""
    from vitron_agent.perception.coco_names import COCO80
    from vitron_agent.perception.detector import named

    got = owner_word(phrase)
    if got is not None and head and got[1] in head.split("_") and holonyms(head):  # not "the man's hat"
        owner = named(got[0])
        if owner is not None:
            return PartOf(head.replace("_", " "), tuple(owner.labels), got[0])
    if not head:
        return None
    wholes = holonyms(head)
    labels = tuple(c for c in COCO80 if _is_whole(c, wholes)) if wholes else ()
    return PartOf(head.replace("_", " "), labels) if labels else None


_WHEEL = frozenset({"wheel", "wheels", "tire", "tires", "tyre", "tyres"})
_FRONT = re.compile(r"\b(front|forward)\b")
_BACK = re.compile(r"\b(back|rear|hind)\b")


def resolve_part(image: np.ndarray, phrase: str, head: str | None, found: list[Detection], with_mask: bool):
    """The part ``phrase`` names of a whole among ``found`` (a ``recognise.Resolved``), or None when
    the phrase names no part or no whole of it was found (the resolver's own refusal follows).
    Wheels are found on the whole's outline (:func:`~vitron_agent.perception.wheels.find_wheels`;
    "the front wheel": the nearer -- larger -- one, said unsure: which way the vehicle faces is not
    measured); any other part is a :class:`ToolFailed` that names the whole found and the part it
    cannot pick out, never the whole said as the part."""
    from vitron_agent.perception.detector import MIN_SCORE, label_score

    part = part_of(phrase, head)
    if part is None:
        return None
    wholes = [d for d in found if max(label_score(d, lab) for lab in part.wholes) >= MIN_SCORE]
    if not wholes:
        return None
    whole = wholes[0]
    if part.part.split()[-1] in _WHEEL and (got := _wheels(image, phrase, part, whole, with_mask)) is not None:
        return got
    from vitron_agent.perception.resolving import ASK_REGION, _found

    raise ToolFailed(
        f"I found the {whole.label}, but I cannot pick out its {part.part}: no model here locates the parts of "
        f"a {whole.label}, and I will not give the whole {whole.label} as its {part.part}. In this image I found: "
        f"{_found(found, image)}. To work on the {part.part}, {ASK_REGION}."
    )


def _wheels(image: np.ndarray, phrase: str, part: PartOf, whole: Detection, with_mask: bool):
    """The wheel(s) the phrase means on ``whole``'s outline, or None when none is found there."""
    from vitron_agent.perception.object_masks import object_mask
    from vitron_agent.perception.resolving import Resolved, select
    from vitron_agent.perception.wheels import find_wheels, wheel_mask

    outline, ok = object_mask(image, whole.box)  # the vehicle's outline
    boxes = find_wheels(outline) if ok else []
    if not boxes:
        return None
    dets = [
        Detection(label="wheel", score=0.0, box=Box(x1=b[0], y1=b[1], x2=b[2], y2=b[3]), alternatives={})
        for b in sorted(boxes, key=lambda b: -(b[2] - b[0]))  # the largest (nearest) first
    ]
    how = (
        f"the {whole.label} ({whole.describe()}) stands on {len(dets)} wheel{'s' if len(dets) > 1 else ''} found as "
        f"round lobes at the bottom of its outline"
    )
    low = phrase.lower()
    sure = True
    if _FRONT.search(low) or _BACK.search(low):
        back = bool(_BACK.search(low))
        took = (
            "the only one found"
            if len(dets) == 1
            else "the farther (smaller) one"
            if back
            else "the nearer (larger) one"
        )
        dets = dets[-1:] if back else dets[:1]
        sure = False
        how += (  # in the words of an assumption: the turn warns of it (graphs/policy.py)
            f"; unsure: it cannot tell which wheel is the {'back' if back else 'front'} one (which way the "
            f"{whole.label} faces is not measured), so it took {took}"
        )
    else:
        plural = part.part.endswith("s")
        named = Named(("wheel",), "wheel", plural)
        dets, note = select(image, [Detection(label="wheel", score=1.0, box=d.box) for d in dets], named, phrase)
        how += f" ({note})" if note else ""
    mask = np.zeros(image.shape[:2], bool)
    if with_mask:
        for d in dets:
            mask |= wheel_mask(outline, (d.box.x1, d.box.y1, d.box.x2, d.box.y2))
    return Resolved(dets, mask, how, sure=sure)
