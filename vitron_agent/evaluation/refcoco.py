"""A reader for referring-expression sets in the RefCOCO layout (RefCOCO, RefCOCO+, RefCOCOg, and
this project's own set in ``benchmarks/recognition/``), and COCO masks.

The layout (Yu et al. 2016, the ``refer`` toolkit; Kazemzadeh et al. 2014):

- ``refs(unc).p`` / ``refs(umd).p`` / ``refs(google).p``: a pickled list of refs, each
  ``{ref_id, ann_id, image_id, file_name, category_id, split, sent_ids, sentences: [{sent_id,
  sent, raw, tokens}]}``; this project keeps its own refs as the same list in JSON.
- ``instances.json``: COCO instances (``images``, ``annotations`` with ``bbox`` XYWH and
  ``segmentation`` as polygons or RLE, ``categories``).

Pickles can run code when loaded. The refs pickle is read with :class:`RefsUnpickler`, which
builds only lists, dicts, strings and numbers and refuses every global (a class or function a
pickle names), so a hostile file fails to load instead of running anything.
"""

from __future__ import annotations

import io
import json
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vitron_agent.core.errors import ConfigError

__all__ = [
    "RefsUnpickler",
    "Expression",
    "RefSet",
    "load_refs",
    "load_instances",
    "load_refset",
    "ann_mask",
    "rle_decode",
    "polygons_mask",
]

REFS_KEYS = ("ref_id", "ann_id", "image_id", "sentences")


class RefsUnpickler(pickle.Unpickler):
    """Unpickles plain data only: any global (class, function, module attribute) is refused."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(
            f"the refs pickle names {module}.{name}: a RefCOCO refs file holds only lists, dicts, "
            "strings and numbers, so it is refused (a pickle that names code could run it)"
        )


def load_refs(path: str | Path) -> list[dict]:
    """The refs of a ``refs(*).p`` pickle (read by :class:`RefsUnpickler`; Python 2 byte strings
    decoded as Latin-1, as the files were written) or of a ``.json`` list in the same layout."""
    path = Path(path)
    raw = path.read_bytes()
    if path.suffix == ".json":
        refs = json.loads(raw)
    else:
        try:
            refs = RefsUnpickler(io.BytesIO(raw), encoding="latin1").load()
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as exc:
            raise ConfigError(f"{path}: not a readable refs pickle ({exc})") from None
    if not isinstance(refs, list) or not all(isinstance(r, dict) and all(k in r for k in REFS_KEYS) for r in refs):
        raise ConfigError(f"{path}: refs are a list of dicts with {', '.join(REFS_KEYS)} (the RefCOCO layout)")
    return refs


def load_instances(path: str | Path) -> dict:
    """COCO instances JSON, checked for ``images`` and ``annotations``."""
    path = Path(path)
    try:
        data = json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, dict) or not {"images", "annotations"} <= set(data):
        raise ConfigError(f"{path}: COCO instances JSON has 'images' and 'annotations' lists")
    return data


@dataclass(frozen=True)
class Expression:
    """One referring expression and the region it means.

    Attributes:
        sentence: the expression as written ("the man in red").
        ref_id, sent_id, ann_id, image_id: ids in the source files.
        file_name: the image's file name (from instances.json).
        width, height: the image's size in pixels.
        box: the region's box, XYXY pixels.
        segmentation: the region's COCO segmentation (polygons or RLE).
        category: the region's category name.
    """

    sentence: str
    ref_id: int
    sent_id: int
    ann_id: int
    image_id: int
    file_name: str
    width: int
    height: int
    box: tuple[float, float, float, float]
    segmentation: Any
    category: str

    def mask(self) -> np.ndarray:
        """The region as an HxW bool mask."""
        return ann_mask(self.segmentation, self.height, self.width)


@dataclass
class RefSet:
    """Referring expressions joined with the instances they point at."""

    expressions: list[Expression]
    images: dict[int, dict]
    categories: dict[int, str]

    def by_image(self) -> dict[int, list[Expression]]:
        out: dict[int, list[Expression]] = {}
        for e in self.expressions:
            out.setdefault(e.image_id, []).append(e)
        return out


def load_refset(refs_path: str | Path, instances_path: str | Path, split: str | None = None) -> RefSet:
    """Every sentence of the refs in ``split`` (all when None) with its annotation's box and mask.
    A ref whose annotation or image is missing from the instances file is an error naming it."""
    refs = load_refs(refs_path)
    inst = load_instances(instances_path)
    images = {im["id"]: im for im in inst["images"]}
    anns = {a["id"]: a for a in inst["annotations"]}
    cats = {c["id"]: c["name"] for c in inst.get("categories", [])}
    splits = sorted({str(r.get("split")) for r in refs})
    chosen = [r for r in refs if split is None or r.get("split") == split]
    if split is not None and not chosen:
        raise ConfigError(f"{refs_path}: no refs in split {split!r} (splits there: {', '.join(splits)})")
    out = []
    for r in chosen:
        ann, im = anns.get(r["ann_id"]), images.get(r["image_id"])
        if ann is None or im is None:
            what = f"annotation {r['ann_id']}" if ann is None else f"image {r['image_id']}"
            raise ConfigError(f"ref {r['ref_id']} points at {what}, which {instances_path} does not have")
        x, y, w, h = ann["bbox"]
        for s in r["sentences"]:
            out.append(
                Expression(
                    sentence=str(s.get("sent") or s.get("raw") or "").strip(),
                    ref_id=int(r["ref_id"]),
                    sent_id=int(s.get("sent_id", -1)),
                    ann_id=int(r["ann_id"]),
                    image_id=int(r["image_id"]),
                    file_name=str(im["file_name"]),
                    width=int(im["width"]),
                    height=int(im["height"]),
                    box=(float(x), float(y), float(x + w), float(y + h)),
                    segmentation=ann.get("segmentation") or [[x, y, x + w, y, x + w, y + h, x, y + h]],
                    category=cats.get(ann.get("category_id"), str(ann.get("category_id"))),
                )
            )
    return RefSet(expressions=out, images=images, categories=cats)


def polygons_mask(polygons: list[list[float]], height: int, width: int) -> np.ndarray:
    """HxW bool mask of COCO polygons (``[[x1, y1, x2, y2, ...], ...]``, pixel coordinates)."""
    import cv2

    m = np.zeros((height, width), np.uint8)
    for poly in polygons:
        pts = np.asarray(poly, np.float64).reshape(-1, 2)
        if len(pts) >= 3:
            cv2.fillPoly(m, [np.round(pts).astype(np.int32)], 1)
    return m.astype(bool)


def _rle_counts(counts: str | bytes) -> list[int]:
    """COCO's compressed RLE string (pycocotools' ``rleFrString``): 5 bits a character, offset 48,
    continuation bit 0x20, sign bit 0x10; counts after the third are deltas from two before."""
    s = counts.encode() if isinstance(counts, str) else counts
    out: list[int] = []
    p = 0
    while p < len(s):
        x, k, more = 0, 0, True
        while more:
            c = s[p] - 48
            x |= (c & 0x1F) << (5 * k)
            more = bool(c & 0x20)
            p += 1
            k += 1
            if not more and (c & 0x10):
                x |= -1 << (5 * k)
        if len(out) > 2:
            x += out[-2]
        out.append(x)
    return out


def rle_decode(rle: dict) -> np.ndarray:
    """HxW bool mask of a COCO RLE (``{"size": [h, w], "counts": [...] or "compressed"}``);
    runs alternate 0s and 1s, starting with 0s, in column-major order."""
    h, w = (int(v) for v in rle["size"])
    counts = rle["counts"]
    runs = _rle_counts(counts) if isinstance(counts, str | bytes) else [int(c) for c in counts]
    if sum(runs) != h * w:
        raise ConfigError(f"an RLE's runs add up to {sum(runs)} pixels, not {h}x{w}")
    flat = np.repeat(np.arange(len(runs)) % 2, runs).astype(bool)
    return flat.reshape(w, h).T


def ann_mask(segmentation: Any, height: int, width: int) -> np.ndarray:
    """HxW bool mask of a COCO ``segmentation``: polygons, or an RLE dict (compressed or not)."""
    if isinstance(segmentation, dict):
        m = rle_decode(segmentation)
        if m.shape != (height, width):
            raise ConfigError(f"an RLE of size {m.shape} on an image of {height}x{width}")
        return m
    if isinstance(segmentation, list):
        return polygons_mask(segmentation, height, width)
    raise ConfigError(f"a COCO segmentation is polygons or RLE, not {type(segmentation).__name__}")
