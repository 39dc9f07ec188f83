"""Measuring recognition on labelled photos: detection recall and precision at IoU 0.5 per detector,
top-1 / top-5 naming of boxed objects, how often a referring expression finds its region (box
IoU >= 0.5, as RefCOCO's accuracy counts) with cIoU and gIoU of the masks, and milliseconds.

It calls the recogniser's public functions (:mod:`vitron_agent.perception.detector`,
``classifier``, ``wordnet_names``, ``recognise``) as they are in the tree at run time, or the whole
agent (planner + the tools ``vitron.toml`` configures), so the figures are of what would answer a
user. Definitions:

- a detection is right when its box has IoU >= 0.5 with a labelled box whose name it matches (the
  same word, a listed synonym, or a kind of it by WordNet); each labelled box is matched once,
  detections taken best score first. Recall = right / labelled; precision = right / reported;
  "any-name recall" counts a box found whatever it was called.
- naming: the classifier on each labelled box; top-1 / top-5 right when that name matches.
- cIoU = sum of intersections / sum of unions over all expressions; gIoU = mean of per-expression
  IoU (a refusal counts IoU 0), as the Vitron paper's Table 2 and LISA report them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vitron_agent.evaluation.refcoco import Expression, load_instances

__all__ = [
    "Truth",
    "LabelledImage",
    "load_labelled",
    "box_iou",
    "mask_iou",
    "name_matches",
    "match_detections",
    "DetectionScore",
    "ReferringScore",
    "score_detector",
    "score_naming",
    "score_expressions",
    "resolver_method",
    "agent_method",
    "detectors",
]

Box4 = tuple[float, float, float, float]
# (image, sentence) -> (the box it found or None, HxW bool mask or None); None, None is a refusal
Method = Callable[[np.ndarray, str], tuple[Box4 | None, np.ndarray | None]]


@dataclass(frozen=True)
class Truth:
    """A labelled object: its name, XYXY box, synonyms, and whether COCO's 80 classes include it."""

    name: str
    box: Box4
    synonyms: tuple[str, ...] = ()
    in_coco: bool = False


@dataclass
class LabelledImage:
    image_id: int
    file_name: str
    width: int
    height: int
    objects: list[Truth]


def load_labelled(instances_path: str | Path) -> list[LabelledImage]:
    """The images and labelled boxes of a COCO instances file (categories may carry ``synonyms``
    and ``in_coco`` as this project's set does; plain COCO files count every category as COCO's)."""
    data = load_instances(instances_path)
    cats = {c["id"]: c for c in data.get("categories", [])}
    out = {
        im["id"]: LabelledImage(im["id"], im["file_name"], int(im["width"]), int(im["height"]), [])
        for im in data["images"]
    }
    for a in data["annotations"]:
        c = cats.get(a["category_id"], {"name": str(a["category_id"])})
        x, y, w, h = a["bbox"]
        out[a["image_id"]].objects.append(
            Truth(c["name"], (x, y, x + w, y + h), tuple(c.get("synonyms", ())), bool(c.get("in_coco", True)))
        )
    return list(out.values())


def box_iou(a: Iterable[float], b: Iterable[float]) -> float:
    """IoU of two XYXY boxes."""
    a, b = tuple(a), tuple(b)
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0


def mask_iou(pred: np.ndarray | None, truth: np.ndarray) -> tuple[int, int]:
    """(intersection, union) in pixels; a missing prediction has intersection 0, union = truth."""
    if pred is None:
        return 0, int(truth.sum())
    return int((pred & truth).sum()), int((pred | truth).sum())


def _wordnet_match() -> Callable[[str, str], bool] | None:
    try:
        from vitron_agent.perception.wordnet_names import matches, wordnet_ready
    except ImportError:
        return None
    return matches if wordnet_ready() else None


def name_matches(truth: Truth, name: str, wordnet: Callable[[str, str], bool] | None = None) -> bool:
    """Whether a model's class name (``name``) names ``truth``: the same word, a listed synonym,
    or (with ``wordnet``) a kind of it, e.g. "tabby" for "cat"."""
    name = name.strip().lower()
    words = (truth.name.lower(), *(s.lower() for s in truth.synonyms))
    if name in words:
        return True
    return wordnet is not None and any(wordnet(w, name) for w in words)


def match_detections(
    found: list[tuple[Any, Box4, float]], truths: list[Truth], named: Callable[[Truth, Any], bool], iou: float = 0.5
) -> tuple[int, list[bool]]:
    """Greedy matching, best score first: (right detections, per truth whether it was found).
    ``found`` holds (label, XYXY box, score); ``named(truth, label)`` says whether a label names it."""
    hit = [False] * len(truths)
    right = 0
    for label, box, _score in sorted(found, key=lambda f: -f[2]):
        best, best_iou = None, iou
        for i, t in enumerate(truths):
            if not hit[i] and named(t, label) and (v := box_iou(box, t.box)) >= best_iou:
                best, best_iou = i, v
        if best is not None:
            hit[best] = True
            right += 1
    return right, hit


@dataclass
class DetectionScore:
    """A detector's counts over a set (see the module docstring for the definitions)."""

    labelled: int = 0
    labelled_coco: int = 0
    reported: int = 0
    right: int = 0
    found_coco: int = 0
    found_any_name: int = 0
    found_with_classifier: int | None = None
    ms: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        return {
            "recall": self.right / max(1, self.labelled),
            "recall_coco": self.found_coco / max(1, self.labelled_coco),
            "recall_any_name": self.found_any_name / max(1, self.labelled),
            "recall_with_classifier": (
                None if self.found_with_classifier is None else self.found_with_classifier / max(1, self.labelled)
            ),
            "precision": self.right / max(1, self.reported),
            "reported": self.reported,
            "ms": float(np.median(self.ms)) if self.ms else float("nan"),
        }


def detectors() -> tuple[str, ...]:
    """The detectors the tree has (``DETECTORS`` of the detector module; one "default" before it)."""
    from vitron_agent.perception import detector

    return tuple(getattr(detector, "DETECTORS", ("default",)))


def score_detector(
    images: list[tuple[LabelledImage, np.ndarray]],
    model: str,
    min_score: float | None = None,
    classify: Callable[[np.ndarray, Box4], str] | None = None,
) -> tuple[DetectionScore, dict[int, list]]:
    """Run one detector over ``images`` (each labelled image with its HxWx3 uint8 RGB pixels);
    returns its score and its detections per image id (``Detection`` objects). With ``classify``
    (image, box -> a name), a box also counts as named right when that name is: the recall of
    proposals named by the classifier, as the recogniser combines them."""
    from vitron_agent.perception.detector import MIN_SCORE, detect_objects

    wordnet = _wordnet_match()
    named = lambda t, label: name_matches(t, label, wordnet)  # noqa: E731
    score, per_image = DetectionScore(), {}
    kwargs = {} if model == "default" else {"model": model}
    for im, pixels in images:
        t = time.perf_counter()
        found = detect_objects(pixels, min_score=MIN_SCORE if min_score is None else min_score, **kwargs)
        score.ms.append(1000 * (time.perf_counter() - t))
        per_image[im.image_id] = found
        boxes = [(d.label, (d.box.x1, d.box.y1, d.box.x2, d.box.y2), d.score) for d in found]
        right, hit = match_detections(boxes, im.objects, named)
        _, any_hit = match_detections(boxes, im.objects, lambda t, label: True)
        score.labelled += len(im.objects)
        score.labelled_coco += sum(t.in_coco for t in im.objects)
        score.reported += len(found)
        score.right += right
        score.found_coco += sum(h for h, t in zip(hit, im.objects, strict=True) if t.in_coco)
        score.found_any_name += sum(any_hit)
        if classify is not None:
            both = [((label, classify(pixels, box)), box, sc) for label, box, sc in boxes]
            either = lambda t, names: any(named(t, n) for n in names)  # noqa: E731
            score.found_with_classifier = (score.found_with_classifier or 0) + sum(
                match_detections(both, im.objects, either)[1]
            )
    return score, per_image


def score_naming(images: list[tuple[LabelledImage, np.ndarray]], k: int = 5) -> dict[str, Any]:
    """The classifier on every labelled box: top-1 / top-5 right, the same over the objects it
    can name at all (one of its 1,000 classes is the label or a kind of it: no class is a coin),
    ms per box, and each miss (``name -> what it said``)."""
    from vitron_agent.perception.classifier import classify
    from vitron_agent.perception.imagenet_classes import IMAGENET

    wordnet = _wordnet_match()
    vocabulary = [words.split(",")[0].strip() for _offset, words in IMAGENET]  # each class's common name
    top1, topk, known = [], [], []
    ms, misses = [], []
    for im, pixels in images:
        for t in im.objects:
            start = time.perf_counter()
            names = [name for name, _p in classify(pixels, t.box, k=k)]
            ms.append(1000 * (time.perf_counter() - start))
            ok = [name_matches(t, name, wordnet) for name in names]
            top1.append(bool(ok and ok[0]))
            topk.append(any(ok))
            known.append(any(name_matches(t, v, wordnet) for v in vocabulary))
            if not top1[-1]:
                misses.append(f"{im.file_name}: {t.name} -> {names[0] if names else 'nothing'}")
    n, n_known = len(top1), sum(known)
    return {
        "objects": n,
        "top1": sum(top1) / max(1, n),
        "top5": sum(topk) / max(1, n),
        "nameable": n_known,
        "top1_nameable": sum(a for a, kn in zip(top1, known, strict=True) if kn) / max(1, n_known),
        "top5_nameable": sum(a for a, kn in zip(topk, known, strict=True) if kn) / max(1, n_known),
        "ms_per_box": float(np.median(ms)) if ms else float("nan"),
        "misses": misses,
        "wordnet": wordnet is not None,
    }


@dataclass
class ReferringScore:
    """How one method did on a set of referring expressions."""

    n: int = 0
    hits: int = 0
    refused: int = 0
    inter: int = 0
    union: int = 0
    ious: list[float] = field(default_factory=list)
    ms: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        return {
            "expressions": self.n,
            "hit_rate": self.hits / max(1, self.n),
            "refused": self.refused,
            "cIoU": self.inter / max(1, self.union),
            "gIoU": float(np.mean(self.ious)) if self.ious else 0.0,
            "ms": float(np.median(self.ms)) if self.ms else float("nan"),
        }


def _mask_box(mask: np.ndarray) -> Box4 | None:
    ys, xs = np.nonzero(mask)
    if not len(xs):
        return None
    return float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)


def score_expressions(
    exprs: list[Expression], load_image: Callable[[Expression], np.ndarray], method: Method
) -> ReferringScore:
    """Each expression through ``method``: a hit when its box (else its mask's box) has IoU >= 0.5
    with the region's box; masks add to cIoU / gIoU (a refusal: IoU 0)."""
    score = ReferringScore()
    cache: dict[int, np.ndarray] = {}
    for e in exprs:
        if e.image_id not in cache:
            cache = {e.image_id: load_image(e)}  # expressions come grouped by image; keep one
        pixels = cache[e.image_id]
        truth = e.mask()
        start = time.perf_counter()
        box, mask = method(pixels, e.sentence)
        score.ms.append(1000 * (time.perf_counter() - start))
        if mask is not None and mask.shape != truth.shape:
            mask = None
        if box is None and mask is not None:
            box = _mask_box(mask)
        score.n += 1
        score.refused += box is None and mask is None
        hit = box is not None and box_iou(box, e.box) >= 0.5
        score.hits += hit
        inter, union = mask_iou(mask, truth)
        score.inter += inter
        score.union += union
        score.ious.append(inter / union if union else 0.0)
        if not hit:
            score.misses.append(f"{e.file_name}: {e.sentence!r}")
    return score


def resolver_method() -> Method:
    """The recogniser's resolver (``recognise.resolve``; before it existed: detect, then
    ``select`` and ``mask_of``). A ToolFailed is a refusal."""
    from vitron_agent.core.errors import ToolFailed
    from vitron_agent.perception import recognise

    def run(image: np.ndarray, sentence: str) -> tuple[Box4 | None, np.ndarray | None]:
        try:
            if hasattr(recognise, "resolve"):
                res = recognise.resolve(image, sentence, guess=True)
                dets, mask = res.detections, res.mask
            else:
                from vitron_agent.perception.detector import detect_objects, named

                name = named(sentence)
                if name is None:
                    return None, None
                dets, _ = recognise.select(image, detect_objects(image), name, sentence)
                mask = recognise.mask_of(image, dets)
        except ToolFailed:
            return None, None
        box = (dets[0].box.x1, dets[0].box.y1, dets[0].box.x2, dets[0].box.y2) if dets else None
        return box, (np.asarray(mask, bool) if mask is not None else None)

    return run


def agent_method(agent: Any, template: str = "segment {sentence}") -> Method:
    """The whole agent (planner + the configured tools) asked ``template`` on the image; the
    region is the last mask the turn made (no mask, or a failed turn: a refusal)."""

    def run(image: np.ndarray, sentence: str) -> tuple[Box4 | None, np.ndarray | None]:
        res = agent.run(template.format(sentence=sentence), image=image)
        try:
            masks = [
                s.ref(name)
                for s in res.steps
                if s.status == "ok"
                for name, o in s.outputs.items()
                if o["kind"] == "mask"
            ]
            return (None, np.asarray(agent.load(masks[-1]), bool)) if masks else (None, None)
        finally:  # thousands of expressions must not leave thousands of sessions' pictures behind
            agent.store_for(res.session).delete_session()

    return run
