"""When the resolver may say it is sure: two models agreeing, or one far past its doubt.

An answer said as sure is acted on without a warning, so a sure wrong region is the worst result
the resolver can give. Measured on the labelled photos (benchmarks/RESULTS.md, recognition): the
detector's scores 0.6-0.8 were right on 38 % of the held-out photos' boxes and 80 % of the tuning
half's; the classifier names the thing on its own box top-1 47-73 % of the time. Neither alone
under those levels is a sure answer. So:

* a detector's answer is sure when it scores at least :data:`~vitron_agent.perception.detector.PROBABLY`
  (0.8), unless it is an animal whose kinds the classifier knows and none of its five best names
  for the box is one (:func:`~vitron_agent.perception.name_finder.doubt`) nor what the phrase names;
  or at least :data:`~vitron_agent.perception.resolving.SURE_EACH` (0.5) when a second model
  confirms it: the classifier (kinds of the label among its five best names for the box,
  :data:`CONFIRMS` together), or for a person the face finder (BlazeFace: a face in the box's top part).
  A person's box, a car's, a cup's hold clothes, street and coffee: the classifier's first name there
  is no contradiction;
* a classifier's answer is sure when its wanted classes hold at least :data:`NAMED_SURELY` of the
  box's probability, or a detection of a label the phrase also names lies on the same box;

everything else is said as an assumption ("cannot tell surely that ..., so it took ..."), which the
turn reads as a warning and which holds destructive edits.
"""

from __future__ import annotations

import numpy as np

from vitron_agent.core.refs import Detection

__all__ = ["detector_doubt", "classifier_doubt", "CONFIRMS", "NAMED_SURELY"]

CONFIRMS = 0.3  # a label's ImageNet kinds' top-5 probability on its box that confirms the detector
NAMED_SURELY = 0.5  # the wanted classes' probability on a box for a classifier's answer alone to be sure


def _xyxy(d: Detection) -> tuple[float, float, float, float]:
    return (d.box.x1, d.box.y1, d.box.x2, d.box.y2)


def _kinds_share(image: np.ndarray, d: Detection) -> tuple[float, str] | None:
    """(the label's ImageNet kinds' top-5 probability on the box, the classifier's first name), or
    None when the label has no kinds (a person) or the classifier or WordNet is not set up."""
    from vitron_agent.perception.classifier import class_name, classifier_ready, classify_indices
    from vitron_agent.perception.wordnet_names import classes_for, wordnet_ready

    if not (classifier_ready() and wordnet_ready()):
        return None
    kinds = classes_for(d.label)[1]
    if not kinds:
        return None
    top = classify_indices(image, d.box, 5)
    return sum(p for i, p in top if i in kinds), class_name(top[0][0])


def _a_face_in(image: np.ndarray, d: Detection) -> bool:
    """Whether BlazeFace finds a face in the top part (60 %) of the person's box, looked at on its own
    (a face a few pixels wide in the whole picture is one the finder sees in the box); False without it."""
    from vitron_agent.loading.weights import embedded_available
    from vitron_agent.perception.faces import detect_faces

    if not embedded_available("blazeface", "blazeface_weights"):
        return False
    x1, y1, x2, y2 = (int(round(v)) for v in _xyxy(d))
    top = y1 + max(1, int(0.6 * (y2 - y1)))
    crop = image[max(0, y1) : top, max(0, x1) : x2]
    if min(crop.shape[:2]) < 16:
        return False
    return bool(detect_faces(np.ascontiguousarray(crop)))


def _first_names(image: np.ndarray, d: Detection) -> list[str]:
    from vitron_agent.perception.classifier import classify

    return [n for n, _ in classify(image, d.box, 3)]


def detector_doubt(image: np.ndarray, d: Detection, word: str) -> str:
    """'' when the detector's ``d`` may be said as the ``word`` the user named, surely (see the
    module docstring); else why not, in words for the answer ('the detector rates it 0.62 and
    the classifier does not confirm it')."""
    from vitron_agent.perception.detector import PROBABLY
    from vitron_agent.perception.name_finder import doubt
    from vitron_agent.perception.resolving import SURE_EACH
    from vitron_agent.perception.wordnet_names import matches, wordnet_ready

    if d.score >= PROBABLY:
        # contradicted only where the classifier knows the label's kinds well (an animal: 118 dogs, 59
        # birds) and names none of them -- a person's box holds clothes, a car's the street
        against = doubt(image, d)
        if not against or (wordnet_ready() and any(matches(word, n) for n in _first_names(image, d))):
            return ""
        return f"the detector rates it {d.score:.2f}, but {against}"
    if d.label == "person" and d.score >= SURE_EACH and _a_face_in(image, d):
        return ""  # two models: the face finder sees a face in the person's box
    seen = _kinds_share(image, d)
    confirmed = seen is not None and seen[0] >= CONFIRMS
    if d.score >= SURE_EACH and confirmed:
        return ""
    second = "" if seen is None else " and the classifier does not confirm it"
    return f"the detector rates it {d.score:.2f}{second}"


def classifier_doubt(d: Detection, found: list[Detection], word: str) -> str:
    """'' when the classifier's answer ``d`` (its score: the wanted classes' probability) may be
    said surely: at least :data:`NAMED_SURELY`, or a detection (any reported score) of a label the
    ``word`` also names on the same box (IoU >= 0.5); else why not, in words."""
    from vitron_agent.perception.detector import box_iou
    from vitron_agent.perception.wordnet_names import matches, wordnet_ready

    if d.score >= NAMED_SURELY:
        return ""
    for o in found:
        if box_iou(_xyxy(d), _xyxy(o)) >= 0.5 and (o.label == word or (wordnet_ready() and matches(word, o.label))):
            return ""
    return f"the classifier gives it {d.score:.2f} and no detection agrees"
