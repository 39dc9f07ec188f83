"""A detector's box refined to the object(s) it holds: the box is a prompt, not the answer.

SSD's boxes are sometimes far larger than their object (a nuthatch on a trunk: the bird's box
covers the tree) or hold several instances (two spaniels at a door: one "dog" box). The picture's
salient objects (U²-Netp) that lie mostly in the box are classified (EfficientNet-Lite2); one the
classifier names as a kind of the detector's label is the object:

* several activation peaks of the label's kinds in that object, each named as surely on its own,
  are several instances: the object's pixels are split between the peaks (nearest peak);
* one object much smaller than the box replaces the box (its mask by the box-prompted salient
  segmenter, :func:`~vitron_agent.perception.object_masks.object_mask`, on the object's box);
* otherwise the detection stays as it is.

Only labels with ImageNet kinds (dog, bird, boat, car ...) can be refined, and the classifier must
name each part as a kind of the label on its own (a head and a body are not two dogs).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vitron_agent.core.refs import Box, Detection
from vitron_agent.perception.masks import fill_holes
from vitron_agent.perception.picture_memo import per_picture

__all__ = ["Refined", "refine_detection", "refine_found", "REFINE_FIRST", "MIN_PART_NAMED", "SHRINK"]

MIN_OBJECT_NAMED = 0.3  # the label's kinds' probability on a salient object's box to call it the object
MIN_PART_NAMED = 0.5  # ... on an activation peak's box to call it one instance of several
SHRINK = 0.5  # an object under this share of the detector's box replaces the box
_PEAK = 0.6  # the activation map's threshold for instance peaks (at 0.5 two touching dogs are one peak)


@dataclass(frozen=True)
class Refined:
    """One object a detection holds: the detection (its box the object's), the object's HxW bool
    mask (None: not computed, use the box prompt) and how it was refined, in words ('' unchanged)."""

    detection: Detection
    mask: np.ndarray | None
    how: str = ""


@per_picture(maxsize=4)
def _salient_parts(image: np.ndarray) -> list[np.ndarray]:
    """The picture's salient components (U²-Netp > 0.5, at least 1/2000 of the picture), largest first."""
    from vitron_agent.perception.masks import components
    from vitron_agent.perception.salient import salient_map

    h, w = image.shape[:2]
    return components(salient_map(image) > 0.5, min_pixels=max(4, h * w // 2000))


def _xyxy(mask: np.ndarray) -> tuple[float, float, float, float]:
    ys, xs = np.nonzero(mask)
    return float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)


def _named(image: np.ndarray, box: tuple, kinds: frozenset[int]) -> float:
    """The summed probability of ``kinds`` (ImageNet indices) on ``box``."""
    from vitron_agent.perception.classifier import class_probabilities

    p = class_probabilities(image, box)
    return float(sum(p[i] for i in kinds))


def _instances(image: np.ndarray, part: np.ndarray, kinds: frozenset[int]) -> list[np.ndarray]:
    """The salient object ``part`` (HxW bool) split into instances: its pixels shared between the
    activation peaks of the label's three likeliest kinds that lie in it and are each named
    (>= MIN_PART_NAMED) on their own; [part] when fewer than two peaks are."""
    from vitron_agent.perception.classifier import cam_boxes, class_probabilities

    box = _xyxy(part)
    p = class_probabilities(image, box)
    top = sorted(kinds, key=lambda i: -p[i])[:3]
    peaks = []
    for pb in cam_boxes(image, top, threshold=_PEAK):
        cx, cy = (pb[0] + pb[2]) / 2, (pb[1] + pb[3]) / 2
        if (
            part[int(min(cy, part.shape[0] - 1)), int(min(cx, part.shape[1] - 1))]
            and _named(image, pb, kinds) >= MIN_PART_NAMED
        ):
            peaks.append((cx, cy, max(pb[2] - pb[0], pb[3] - pb[1], 1.0)))
    if len(peaks) < 2:
        return [part]
    ys, xs = np.nonzero(part)
    dist = np.stack([np.hypot(xs - cx, ys - cy) for cx, cy, _ in peaks])
    nearest = dist.argmin(0)
    out = []
    for k in range(len(peaks)):
        m = np.zeros_like(part)
        m[ys[nearest == k], xs[nearest == k]] = True
        out.append(m)
    return out


GROW = 1.5  # a salient object at least this many times a box's area, the box lying on it: the box is a part


def _whole_of(image: np.ndarray, b: tuple[float, float, float, float], kinds: frozenset[int]) -> np.ndarray | None:
    """The salient object a box is a part of (HxW bool), or None: the smallest salient component at
    least :data:`GROW` times the box's area whose box holds most of the box (80 %) and whose pixels
    cover at least half of it (as much as the component fills its own box), unless the classifier
    names that object as something else (its top class at :data:`CLAIMED` or more, not one of
    ``kinds``) or the detector finds something else there (:func:`_detected_else`). The classifier
    names a sundial on its dial's face and a rocket on its nose, not on the
    whole (0.02-0.13): the box it gives is a part of the thing (issue 42: answers 'too small'). The
    answer stays unsure where the whole is not named so (classifier_hits' doubt)."""
    from vitron_agent.perception.detector import box_iou, detect_objects

    found = detect_objects(image)
    if any(box_iou((d.box.x1, d.box.y1, d.box.x2, d.box.y2), b) >= 0.7 for d in found):
        return None  # the box bounds an object the detector found (the helmet she holds, called a mouse)
    x1, y1, x2, y2 = int(b[0]), int(b[1]), int(np.ceil(b[2])), int(np.ceil(b[3]))
    area = max(1, (x2 - x1) * (y2 - y1))
    wholes = []
    for part in _salient_parts(image):
        pb = _xyxy(part)
        ix = max(0.0, min(pb[2], b[2]) - max(pb[0], b[0])) * max(0.0, min(pb[3], b[3]) - max(pb[1], b[1]))
        big = (pb[2] - pb[0]) * (pb[3] - pb[1]) >= GROW * area
        if big and ix >= 0.8 * area and part[y1:y2, x1:x2].sum() >= 0.5 * area * _fill(part):
            wholes.append(part)
    for part in sorted(wholes, key=lambda m: int(m.sum())):
        if not _named_else(image, _xyxy(part), kinds) and not _detected_else(_xyxy(part), found, kinds):
            return part
    return None


def _detected_else(whole: tuple, found: list[Detection], kinds: frozenset[int]) -> str:
    """The label of a detection whose box is ``whole``'s (IoU >= 0.5) and that is none of ``kinds``
    (its label's ImageNet kinds share none with them), or '': the salient object is that other thing
    the part lies on or touches (a helmet on a dog: the dog and the helmet make one salient blob, and
    the dog's box is the blob's), so the part is not grown to it."""
    from vitron_agent.perception.detector import box_iou
    from vitron_agent.perception.wordnet_names import classes_for

    for d in found:
        if box_iou((d.box.x1, d.box.y1, d.box.x2, d.box.y2), whole) >= 0.5 and not classes_for(d.label)[1] & kinds:
            return d.label
    return ""


CLAIMED = 0.5  # the classifier's top class at this or more, not a wanted one: the object is something else


def _named_else(image: np.ndarray, box: tuple, kinds: frozenset[int]) -> bool:
    """Whether the classifier's first name for ``box`` is another thing, at :data:`CLAIMED` or more."""
    from vitron_agent.perception.classifier import classify_indices

    index, p = classify_indices(image, box, 1)[0]
    return p >= CLAIMED and index not in kinds


def _from_a_detector(det: Detection) -> bool:
    """Whether ``det`` is the detector's (a COCO label): its box bounds an object, and the salient blob
    it lies on may be that object and the sofa under it. A classifier's find (an ImageNet name) is a
    box where a name was seen: a crop, an activation peak, a part of the thing."""
    from vitron_agent.perception.coco_names import COCO80

    return det.label in COCO80


def _fill(part: np.ndarray) -> float:
    """The share of its own box a mask covers (a tripod's legs fill little of theirs)."""
    pb = _xyxy(part)
    return float(part.sum()) / max(1.0, (pb[2] - pb[0]) * (pb[3] - pb[1]))


def _another_seen(image: np.ndarray, det: Detection) -> bool:
    """Whether the detector saw a second thing of ``det``'s label in or beside its box: another raw
    candidate (score >= 0.1, at least 30 % of it in the box, not the same box: IoU < 0.7). Two activation
    peaks alone are no second instance: one cat's two eyes peak apart (a cat's face was cut in two);
    two dogs in one box leave a weaker second box (0.30 on dogs_door)."""
    from vitron_agent.perception.detector import DEFAULT_DETECTOR, MIN_SCORE, _cached, _rgb, box_iou

    b = (det.box.x1, det.box.y1, det.box.x2, det.box.y2)
    _, cands = _cached(_rgb(image), MIN_SCORE, False, DEFAULT_DETECTOR)
    for box, label, score in ((c[0], c[1], c[2]) for c in cands):
        if label != det.label or score < 0.1 or box_iou(box, b) >= 0.7:
            continue
        ix = max(0.0, min(box[2], b[2]) - max(box[0], b[0])) * max(0.0, min(box[3], b[3]) - max(box[1], b[1]))
        if ix >= 0.3 * (box[2] - box[0]) * (box[3] - box[1]):
            return True
    return False


def refine_detection(image: np.ndarray, det: Detection, kinds: frozenset[int], several: bool = False) -> list[Refined]:
    """The object(s) ``det`` holds (see the module docstring), best first; ``kinds`` are the
    ImageNet indices of its label and the kinds under it (``wordnet_names.classes_for(label)``).
    ``image`` is HxWx3 uint8 RGB; boxes are XYXY pixels. [Refined(det, None)] when nothing is
    refined (no kinds, no classifier, no salient object the classifier names so). ``several``: every
    salient object in the box the classifier names so is one (:func:`_each_named`), not only the
    best named -- for a phrase that picks one by size or place among them ("the bigger cheetah")."""
    from vitron_agent.perception.classifier import classifier_ready
    from vitron_agent.perception.object_masks import object_mask

    same = [Refined(det, None)]
    if not kinds or not classifier_ready():
        return same
    b = (det.box.x1, det.box.y1, det.box.x2, det.box.y2)
    area = max(1.0, (b[2] - b[0]) * (b[3] - b[1]))
    x1, y1, x2, y2 = int(b[0]), int(b[1]), int(np.ceil(b[2])), int(np.ceil(b[3]))
    named = []
    for part in _salient_parts(image):
        if part[y1:y2, x1:x2].sum() < 0.5 * part.sum():
            continue
        if (p := _named(image, _xyxy(part), kinds)) >= MIN_OBJECT_NAMED:
            named.append((p, part))
    if not named:
        if _from_a_detector(det) or (whole := _whole_of(image, b, kinds)) is None:
            return same
        how = f"the {det.label}'s box is a part of the salient object it lies on, which the classifier names so: its box is that object's"
        return [Refined(_moved(det, _xyxy(whole)), fill_holes(whole), how)]
    if several and len(named) > 1:
        return _each_named(image, det, named)
    p, part = max(named, key=lambda t: t[0])
    pieces = _instances(image, part, kinds) if _another_seen(image, det) else [part]
    if len(pieces) > 1:
        how = f"the {det.label}'s box held {len(pieces)}, split at the classifier's activation peaks"
        return [Refined(_moved(det, _xyxy(m)), m, how) for m in sorted(pieces, key=lambda m: -int(m.sum()))]
    pb = _xyxy(part)
    if (pb[2] - pb[0]) * (pb[3] - pb[1]) >= SHRINK * area:
        return same
    mask, found = object_mask(image, pb)
    mask = mask if found else part
    how = f"the {det.label} is far smaller than the detector's box: its box is the salient object's"
    return [Refined(_moved(det, _xyxy(mask)), mask, how)]


def _each_named(image: np.ndarray, det: Detection, named: list[tuple[float, np.ndarray]]) -> list[Refined]:
    """Each salient object of ``named`` ((probability, HxW bool mask)) as one find, best named first,
    its mask the box-prompted segmenter's on its own box (the salient part where that finds nothing)."""
    from vitron_agent.perception.object_masks import object_mask

    out = []
    for _, part in sorted(named, key=lambda t: -t[0]):
        mask, found = object_mask(image, _xyxy(part))
        mask = mask if found else part
        how = f"the {det.label}'s box held {len(named)} objects the classifier names so, each taken apart"
        out.append(Refined(_moved(det, _xyxy(mask)), mask, how))
    return out


def _moved(det: Detection, box: tuple[float, float, float, float]) -> Detection:
    return Detection(
        label=det.label,
        score=det.score,
        box=Box(x1=box[0], y1=box[1], x2=box[2], y2=box[3]),
        alternatives=dict(det.alternatives),
    )


# the detections of the wanted labels refined to the objects they hold, best score first (each one
# classified and segmented: a few, not a crowd's)
REFINE_FIRST = 3


def refine_found(
    image: np.ndarray, found: list[Detection], labels: tuple[str, ...]
) -> tuple[list[Detection], dict[int, np.ndarray], dict[int, str]]:
    """(``found`` with the first few detections of ``labels`` replaced by the objects each holds,
    :func:`refine_detection`; their masks and how each was
    refined, by ``id`` of the new detection)."""
    from vitron_agent.perception.detector import MIN_SCORE, label_score
    from vitron_agent.perception.wordnet_names import classes_for, wordnet_ready

    if not wordnet_ready():
        return found, {}, {}
    out: list[Detection] = []
    masks: dict[int, np.ndarray] = {}
    hows: dict[int, str] = {}
    budget = REFINE_FIRST
    for d in found:
        if budget <= 0 or max(label_score(d, lab) for lab in labels) < MIN_SCORE:
            out.append(d)
            continue
        budget -= 1
        for r in refine_detection(image, d, classes_for(d.label)[1]):
            out.append(r.detection)
            if r.mask is not None:
                masks[id(r.detection)] = r.mask
            if r.how:
                hows[id(r.detection)] = r.how
    return out, masks, hows
