"""Import segment-anything on machines where torchvision is missing or broken.

segment-anything imports four torchvision functions at module import time:
``transforms.functional.resize`` and ``to_pil_image`` (ResizeLongestSide.apply_image)
and ``ops.boxes.batched_nms`` and ``box_area`` (the automatic mask generator).
When the real torchvision imports, it is used. Otherwise minimal equivalents are
placed in ``sys.modules`` just long enough to import segment-anything and removed
afterwards, so libraries that probe for torchvision (transformers) still see it
as absent.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__all__ = ["import_segment_anything", "torchvision_usable", "resize", "to_pil_image", "batched_nms", "box_area"]

_SHIM_NAMES = (
    "torchvision",
    "torchvision.transforms",
    "torchvision.transforms.functional",
    "torchvision.ops",
    "torchvision.ops.boxes",
)


def torchvision_usable() -> bool:
    """True when the real torchvision imports and its compiled ops are registered."""
    try:
        import torchvision  # noqa: F401
        from torchvision.ops import nms  # noqa: F401
    except Exception:  # ImportError, or RuntimeError "operator torchvision::nms does not exist"
        for name in [n for n in sys.modules if n == "torchvision" or n.startswith("torchvision.")]:
            del sys.modules[name]
        return False
    return True


def to_pil_image(pic: Any) -> Any:
    """HxWxC uint8 numpy array (or CxHxW tensor) -> PIL image."""
    import numpy as np
    from PIL import Image

    if hasattr(pic, "detach"):
        pic = pic.detach().cpu().numpy()
        if pic.ndim == 3 and pic.shape[0] in (1, 3, 4):
            pic = np.transpose(pic, (1, 2, 0))
        if pic.dtype != np.uint8:
            pic = np.clip(pic * 255.0, 0, 255).astype(np.uint8)
    arr = np.asarray(pic)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[..., 0]
    return Image.fromarray(arr)


def resize(img: Any, size: Any) -> Any:
    """Resize a PIL image to ``size`` = (h, w) with bilinear filtering (torchvision's default)."""
    from PIL import Image

    if isinstance(size, int):
        w, h = img.size
        short = min(w, h)
        size = (round(h * size / short), round(w * size / short))
    h, w = int(size[0]), int(size[1])
    return img.resize((w, h), Image.BILINEAR)


def box_area(boxes: Any) -> Any:
    """Area of XYXY boxes (N x 4 tensor)."""
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def _nms(boxes: Any, scores: Any, iou_threshold: float) -> Any:
    import torch

    order = scores.argsort(descending=True)
    keep = []
    areas = box_area(boxes)
    while order.numel() > 0:
        i = order[0]
        keep.append(i)
        if order.numel() == 1:
            break
        rest = order[1:]
        xx1 = torch.maximum(boxes[i, 0], boxes[rest, 0])
        yy1 = torch.maximum(boxes[i, 1], boxes[rest, 1])
        xx2 = torch.minimum(boxes[i, 2], boxes[rest, 2])
        yy2 = torch.minimum(boxes[i, 3], boxes[rest, 3])
        inter = (xx2 - xx1).clamp(min=0) * (yy2 - yy1).clamp(min=0)
        iou = inter / (areas[i] + areas[rest] - inter)
        order = rest[iou <= iou_threshold]
    return torch.stack(keep) if keep else torch.empty(0, dtype=torch.long)


def batched_nms(boxes: Any, scores: Any, idxs: Any, iou_threshold: float) -> Any:
    """Non-maximum suppression per category ``idxs``; indices of kept boxes by decreasing score."""
    import torch

    if boxes.numel() == 0:
        return torch.empty((0,), dtype=torch.int64, device=boxes.device)
    offsets = idxs.to(boxes) * (boxes.max() + 1)
    keep = _nms(boxes + offsets[:, None], scores, iou_threshold)
    return keep[scores[keep].argsort(descending=True)]


def import_segment_anything() -> types.ModuleType:
    """``import segment_anything`` with real torchvision when usable, else with the shim."""
    if "segment_anything" in sys.modules:
        return sys.modules["segment_anything"]
    if torchvision_usable():
        return importlib.import_module("segment_anything")
    mods = {name: types.ModuleType(name) for name in _SHIM_NAMES}
    mods["torchvision.transforms.functional"].resize = resize
    mods["torchvision.transforms.functional"].to_pil_image = to_pil_image
    mods["torchvision.ops.boxes"].batched_nms = batched_nms
    mods["torchvision.ops.boxes"].box_area = box_area
    mods["torchvision"].transforms = mods["torchvision.transforms"]
    mods["torchvision.transforms"].functional = mods["torchvision.transforms.functional"]
    mods["torchvision"].ops = mods["torchvision.ops"]
    mods["torchvision.ops"].boxes = mods["torchvision.ops.boxes"]
    sys.modules.update(mods)
    try:
        module = importlib.import_module("segment_anything")
        importlib.import_module("segment_anything.automatic_mask_generator")
        return module
    finally:
        for name in _SHIM_NAMES:
            if sys.modules.get(name) is mods[name]:
                del sys.modules[name]
