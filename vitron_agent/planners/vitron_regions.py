"""How the numbers of a Vitron ``<region>`` become a box or a point on the picture: XYXY or XYWH, in
image pixels, 0-1 fractions, percent, or the 224 x 224 frame of Vitron's region encoder; converted
to XYXY image pixels and clipped to the image, with a note that says what was assumed."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["read_region", "region_line", "REGION_LAYOUTS", "REGION_UNITS"]

_NUM = r"-?\d+(?:\.\d+)?"
_NUMBER = re.compile(_NUM)
REGION_LAYOUTS = ("auto", "xyxy", "xywh")
REGION_UNITS = ("auto", "pixels", "normalized", "percent", "224")


def read_region(
    content: str,
    size: tuple[int, int] | None = None,
    layout: str = "auto",
    units: str = "auto",
    model_frame: int | None = None,
) -> tuple[dict[str, Any] | None, list[str]]:
    """``(box, notes)``: a region the model wrote -> an XYXY box in image pixels (``size`` = W, H).

    ``layout``: ``xyxy`` / ``xywh``, or ``auto``: labels decide (``w``/``h``/``width``), else XYXY
    unless that would be empty or reversed (the paper's ``(23, 35, 11, 26)`` is x, y, w, h).
    ``units``: ``pixels``, ``normalized`` (0-1), ``percent``, ``224`` (Vitron's region-encoder
    frame), or ``auto``: a ``%`` sign -> percent, all values <= 1 -> normalized, else
    ``model_frame`` (224 for a Vitron release: the frame of every region it was shown) or pixels.
    Boxes reaching outside the image are clipped; every reading that was a guess or a change is
    said in a note. ``box`` is None (with a note saying why) when nothing usable is left."""
    raw = content.strip()
    shown = raw[:60]
    nums = [float(v) for v in _NUMBER.findall(raw)]
    if len(nums) in (2, 3):
        return _read_point(raw, shown, nums[:2], size, units, model_frame)
    if len(nums) < 4:
        return None, [f"I read the region {shown!r} as no box: it needs four numbers (x1, y1, x2, y2); ignored it."]
    notes: list[str] = []
    if len(nums) > 4:
        notes.append(f"I read only the first box of the region {shown!r}.")
    a, b, c, d = nums[:4]
    labels = re.findall(r"[a-z]+", raw.lower())
    lay = layout
    if lay == "auto":
        if {"w", "h"} & set(labels) or {"width", "height"} & set(labels):
            lay = "xywh"
        elif c <= a or d <= b:
            lay = "xywh"
            if c > 0 and d > 0:
                notes.append(
                    f"I read the region {shown!r} as x, y, width, height (as x1, y1, x2, y2 it would be empty)."
                )
        else:
            lay = "xyxy"
    x1, y1, x2, y2 = (a, b, a + c, b + d) if lay == "xywh" else (a, b, c, d)
    unit = units
    if unit == "auto":
        if "%" in raw:
            unit = "percent"
        elif max(abs(v) for v in nums[:4]) <= 1.0:
            unit = "normalized"
        elif model_frame:
            unit = str(model_frame)
        else:
            unit = "pixels"
    if unit != "pixels":
        if size is None:
            return None, notes + [f"I could not place the region {shown!r} ({unit}) without an image; ignored it."]
        w, h = size
        sx, sy = _unit_scale(unit, size)
        x1, x2, y1, y2 = x1 * sx, x2 * sx, y1 * sy, y2 * sy
        if unit.isdigit() and units == "auto":
            notes.append(
                f"I read the region {shown!r} in the model's {unit} x {unit} frame and scaled it to the "
                f"{w} x {h} image."
            )
    if x2 <= x1 or y2 <= y1:
        return None, notes + [f"I read the region {shown!r} as an empty box; ignored it."]
    if size is not None:
        w, h = size
        cx1, cy1, cx2, cy2 = max(0.0, x1), max(0.0, y1), min(float(w), x2), min(float(h), y2)
        if cx2 <= cx1 or cy2 <= cy1:
            return None, notes + [f"I read the region {shown!r} as a box outside the {w} x {h} image; ignored it."]
        if (cx1, cy1, cx2, cy2) != (x1, y1, x2, y2):
            notes.append(
                f"I read the region {shown!r} as reaching outside the {w} x {h} image and clipped it to "
                f"({cx1:g}, {cy1:g}, {cx2:g}, {cy2:g})."
            )
        x1, y1, x2, y2 = cx1, cy1, cx2, cy2
    elif min(x1, y1) < 0:
        x1, y1 = max(0.0, x1), max(0.0, y1)
        notes.append(f"I read the region {shown!r} as reaching past the top-left corner and clipped it.")
    r = lambda v: round(v, 2)  # noqa: E731
    return {"type": "box", "x1": r(x1), "y1": r(y1), "x2": r(x2), "y2": r(y2)}, notes


def _unit_scale(unit: str, size: tuple[int, int]) -> tuple[float, float]:
    """Pixels per unit on x and y: 0-1 fractions, percent, or an N x N frame (``"224"``)."""
    w, h = size
    if unit == "normalized":
        return float(w), float(h)
    if unit == "percent":
        return w / 100, h / 100
    return (w / float(unit), h / float(unit)) if unit.isdigit() else (1.0, 1.0)


def _read_point(
    raw: str, shown: str, xy: list[float], size: tuple[int, int] | None, units: str, model_frame: int | None
) -> tuple[dict[str, Any] | None, list[str]]:
    """Two numbers: a point, in the same units as boxes (see :func:`read_region`)."""
    x, y = xy
    unit = units
    if unit == "auto":
        unit = (
            "percent"
            if "%" in raw
            else "normalized"
            if max(abs(x), abs(y)) <= 1.0
            else str(model_frame)
            if model_frame
            else "pixels"
        )
    notes = [f"I read the region {shown!r} as a point."]
    if unit != "pixels":
        if size is None:
            return None, notes + [f"I could not place the point {shown!r} ({unit}) without an image; ignored it."]
        sx, sy = _unit_scale(unit, size)
        x, y = x * sx, y * sy
    if x < 0 or y < 0 or (size is not None and (x >= size[0] or y >= size[1])):
        return None, notes + [f"I read the point {shown!r} as lying outside the picture; ignored it."]
    return {"type": "point", "x": round(x, 2), "y": round(y, 2)}, notes


def region_line(kind: str, value: dict[str, Any]) -> str:
    """The prompt's sentence for a region the user marked (a box or a point): the other way."""
    if kind == "box":
        return (
            f"The user marked a box ({value['x1']:g}, {value['y1']:g}, {value['x2']:g}, {value['y2']:g}); "
            "use it as the <region>."
        )
    return f"The user marked a point ({value['x']:g}, {value['y']:g})."
