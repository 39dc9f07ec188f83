"""A COCO thing the user names that the detector reports nowhere: its weak candidates, looked at again.

The detector reports a thing from :data:`~vitron_agent.perception.detector.MIN_SCORE` (0.3) up: a
bench half hidden or a far person often scores 0.1-0.3 and is not reported. When the user names
the thing, that name is evidence it is there, so the weak candidates of its labels are worth a
second look -- in the whole picture's reading and in 2x2 overlapping tiles (looked at here even
where the detector's own rule did not tile: small things score higher seen closer). A weak
candidate is then confirmed or not by the classifier where the label has ImageNet kinds (a bench:
"park bench"; a car: "sports car", "cab" ...): the kinds' top-5 probability on the box at least
:data:`CONFIRMED`. The answer is never sure: it is worded as an assumption ("cannot tell surely
that ..., so it took ...") that the turn warns of and that holds destructive edits. Cost: up to
four more detector runs (the tiles) and up to :data:`LOOK_AT` classifications, only on this path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from vitron_agent.core.refs import Box, Detection
from vitron_agent.perception.detector import Named

if TYPE_CHECKING:
    from vitron_agent.perception.resolving import Resolved

__all__ = ["weak_candidates", "by_weak_find", "WEAK", "CONFIRMED", "LOOK_AT"]

WEAK = 0.12  # a candidate under this is noise, even for a named thing
CONFIRMED = 0.3  # the label's ImageNet kinds' top-5 probability on a weak box to call it confirmed
LOOK_AT = 8  # weak candidates classified


def weak_candidates(image: np.ndarray, labels: tuple[str, ...]) -> list[Detection]:
    """The detector's candidates of ``labels`` it did not report: scoring WEAK..MIN_SCORE in the
    whole picture, or from WEAK up in 2x2 tiles (which its own reading looks at only when the
    picture shows small or many things), near duplicates once (:func:`_apart`), best first.
    ``image`` HxWx3 uint8 RGB; boxes XYXY pixels."""
    from vitron_agent.perception.detector import MIN_SCORE, _cached, _rgb, _tiled
    from vitron_agent.perception.detector_ssd import ssd_candidates

    rgb = _rgb(image)
    found, cands = _cached(rgb, MIN_SCORE, False, "ssd")
    mine = [c for c in cands if c[1] in labels and c[2] < MIN_SCORE]
    if min(rgb.shape[:2]) >= 300:  # the tiles' finds at any score, unless the detector's own reading tiled
        tiled = _tiled(rgb, ssd_candidates)
        reported = {(round(float(d.box.x1)), round(float(d.box.y1)), d.label) for d in found}
        mine += [
            c for c in tiled if c[1] in labels and (round(float(c[0][0])), round(float(c[0][1])), c[1]) not in reported
        ]
    return _apart(mine)


def _apart(cands: list) -> list[Detection]:
    """Candidates from WEAK up, best first, a near duplicate (IoU >= SAME_IOU) once. Unlike the
    detector's own suppression a smaller box inside a larger one is kept: a tile's box over a tie and
    the shirt around it must not hide the whole picture's weaker box on the tie alone."""
    from vitron_agent.perception.detector import SAME_IOU, box_iou

    kept: list[Detection] = []
    for box, label, score in sorted(cands, key=lambda c: -c[2]):
        if score < WEAK or any(box_iou(box, (k.box.x1, k.box.y1, k.box.x2, k.box.y2)) >= SAME_IOU for k in kept):
            continue
        b = Box(
            x1=float(box[0]), y1=float(box[1]), x2=float(max(box[2], box[0] + 1)), y2=float(max(box[3], box[1] + 1))
        )
        kept.append(Detection(label=label, score=round(float(score), 3), box=b))
    return kept


def _confirmation(image: np.ndarray, d: Detection) -> tuple[str, float] | None:
    """(the classifier's best name of a kind of ``d.label``, the kinds' top-5 probability) on the
    box; None when the label has no ImageNet kinds or the classifier is not set up."""
    from vitron_agent.perception.classifier import class_name, classifier_ready, classify_indices
    from vitron_agent.perception.wordnet_names import classes_for, wordnet_ready

    if not (classifier_ready() and wordnet_ready()):
        return None
    kinds = classes_for(d.label)[1]
    if not kinds:
        return None
    mine = [(i, p) for i, p in classify_indices(image, d.box, 5) if i in kinds]
    return (class_name(mine[0][0]) if mine else "", sum(p for _, p in mine))


def _how(d: Detection) -> str:
    from vitron_agent.perception.detector import MIN_SCORE

    return "weakly" if d.score < MIN_SCORE else "looking closer, in a tile"


def by_weak_find(image: np.ndarray, what: Named, phrase: str, with_mask: bool) -> Resolved | None:
    """The weak candidate of ``what.labels`` the phrase means, as an unsure Resolved, or None.
    A label with ImageNet kinds needs the classifier's confirmation (:data:`CONFIRMED`); one
    without (a person) is taken on the detector's word alone, from 0.2 up."""
    from vitron_agent.perception.resolving import Resolved, _mask

    said: dict[int, str] = {}
    kept: list[Detection] = []
    weight: dict[int, float] = {}  # the stronger evidence first: the classifier's where it confirms
    for d in weak_candidates(image, what.labels)[:LOOK_AT]:
        seen = _confirmation(image, d)
        weight[id(d)] = d.score if seen is None else seen[1]
        if seen is None:
            if d.score >= 0.2:
                kept.append(d)
                said[id(d)] = f"the detector sees {d.label} only {_how(d)} ({d.score:.2f})"
        elif seen[1] >= CONFIRMED:
            kept.append(d)
            said[id(d)] = (
                f"the detector sees {d.label} only {_how(d)} ({d.score:.2f}); the classifier sees {seen[0]} ({seen[1]:.2f})"
            )
    if not kept:
        return None
    kept.sort(key=lambda d: -weight[id(d)])
    items, note = _select_weak(image, kept, what, phrase)
    how = (
        f"{said[id(items[0])]}; unsure: it cannot tell surely that this is the {what.word} you mean, so it took "
        "the best of the detector's weak finds"
    )
    return Resolved(items, _mask(image, items, with_mask), how + (f" ({note})" if note else ""), sure=False)


def _select_weak(image: np.ndarray, kept: list[Detection], what: Named, phrase: str) -> tuple[list[Detection], str]:
    """:func:`~vitron_agent.perception.resolving.select` over weak finds (it reads only reported
    scores): chosen by the phrase's words on stand-ins scored 1, in the finds' order, then mapped back."""
    from vitron_agent.perception.resolving import select

    stand_ins = [Detection(label=d.label, score=1.0, box=d.box) for d in kept]
    items, note = select(image, stand_ins, Named(what.labels, what.word, what.plural), phrase)
    back = {id(s): d for s, d in zip(stand_ins, kept, strict=True)}
    return [back[id(s)] for s in items], note.replace("it took the most confident", "it took the first")
