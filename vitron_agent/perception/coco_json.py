"""Detections to and from COCO's results JSON, so users can evaluate them with their own tools
(pycocotools' ``loadRes``, FiftyOne, supervision).

A result is ``{"image_id", "category_id", "bbox": [x, y, w, h], "score"}`` (XYWH pixels, as COCO
writes boxes). COCO-80 labels use COCO's own 91-id category ids; other names (the classifier's
ImageNet names) take ids from ``category_ids`` when given, else are left out.
"""

from __future__ import annotations

from typing import Any

from vitron_agent.core.refs import Box, Detection
from vitron_agent.perception.detector_ssd import COCO91

__all__ = ["COCO_CATEGORY_IDS", "to_coco_results", "from_coco_results", "coco_categories"]

COCO_CATEGORY_IDS: dict[str, int] = {label: i for i, label in COCO91.items()}


def coco_categories() -> list[dict[str, Any]]:
    """COCO's ``categories`` list for the 80 labels (id, name)."""
    return [{"id": i, "name": label} for label, i in COCO_CATEGORY_IDS.items()]


def to_coco_results(
    detections: list[Detection], image_id: int, category_ids: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    """COCO results for one image's detections (a label without an id is left out)."""
    ids = {**COCO_CATEGORY_IDS, **(category_ids or {})}
    out = []
    for d in detections:
        if d.label not in ids:
            continue
        b = d.box
        out.append(
            {
                "image_id": int(image_id),
                "category_id": ids[d.label],
                "bbox": [round(b.x1, 2), round(b.y1, 2), round(b.x2 - b.x1, 2), round(b.y2 - b.y1, 2)],
                "score": round(float(d.score), 4),
            }
        )
    return out


def from_coco_results(items: list[dict[str, Any]], categories: dict[int, str] | None = None) -> list[Detection]:
    """Detections from COCO results (or annotations: ``score`` defaults to 1.0), best first.
    ``categories`` maps ids to names (default: COCO's 80)."""
    names = categories or COCO91
    out = []
    for r in items:
        x, y, w, h = (float(v) for v in r["bbox"])
        cid = int(r["category_id"])
        if cid not in names:
            raise ValueError(f"category_id {cid} is not a known category; pass categories={{id: name}}")
        out.append(
            Detection(
                label=names[cid],
                score=min(1.0, max(0.0, float(r.get("score", 1.0)))),
                box=Box(x1=x, y1=y, x2=x + max(w, 1e-3), y2=y + max(h, 1e-3)),
            )
        )
    out.sort(key=lambda d: -d.score)
    return out
