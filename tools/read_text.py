"""read_text: the text in an image (OCR), lines with boxes and confidences.

embedded backend (the default): PP-OCRv4 text detection and recognition with the angle
classifier (Apache-2.0), the ONNX files inside ``rapidocr-onnxruntime``, run here with
onnxruntime and this module's own pre- and post-processing (DB boxes, CTC decoding); the
package's code is not imported. The recogniser's alphabet is Chinese + Latin (6,623
characters, from the model's own metadata).
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.errors import ConfigError
from vitron_agent.core.refs import Box, ImageRef, MaskRef
from vitron_agent.perception.masks import check_same_size
from vitron_agent.toolkit.registry import Backend, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool

__all__ = ["ReadTextInput", "ReadTextOutput", "TextLine", "OcrReadTextTool", "read_lines"]

DET_MIN_SIDE, DET_MAX_SIDE = 736, 2000  # rapidocr's settings: short side up to 736, long side at most 2000
DB_THRESH, BOX_THRESH, UNCLIP = 0.3, 0.5, 1.6
REC_HEIGHT, REC_MIN_WIDTH = 48, 320


class TextLine(BaseModel):
    text: str
    score: float = Field(description="recognition confidence 0..1")
    box: Box = Field(description="the line's bounding box, XYXY pixels")


class ReadTextInput(BaseModel):
    image: ImageRef = Field(description="the image to read")
    box: Box | None = Field(default=None, description="read only inside this box, XYXY pixels")
    mask: MaskRef | None = Field(default=None, description="read only lines inside this region")
    min_score: float = Field(default=0.5, ge=0.0, le=1.0, description="drop lines recognised with less confidence")


class ReadTextOutput(BaseModel):
    text: str = Field(description="the lines read, top to bottom, one per line ('' when there is none)")
    lines: list[TextLine] = Field(default_factory=list, description="each line with its confidence and box")
    method: str = Field(description="how the text was read")


def _sessions():
    from vitron_agent.loading.weights import embedded_path
    from vitron_agent.perception.salient import onnx_session

    return tuple(onnx_session(str(embedded_path(n))) for n in ("ppocr_det", "ppocr_rec", "ppocr_cls"))


def _detect(det, image: np.ndarray) -> list[np.ndarray]:
    """Quadrilaterals (4x2 float, image pixels) of text lines: DB probability map -> boxes."""
    import cv2

    h, w = image.shape[:2]
    s = DET_MIN_SIDE / min(h, w) if min(h, w) < DET_MIN_SIDE else 1.0
    s = min(s, DET_MAX_SIDE / max(h, w))
    rh, rw = max(32, round(h * s / 32) * 32), max(32, round(w * s / 32) * 32)
    x = cv2.resize(image, (rw, rh)).astype(np.float32) / 255.0
    x = ((x - 0.5) / 0.5).transpose(2, 0, 1)[None]
    prob = det.run(None, {det.get_inputs()[0].name: x})[0][0, 0]
    binary = cv2.dilate((prob > DB_THRESH).astype(np.uint8), np.ones((2, 2), np.uint8))
    contours, _ = cv2.findContours(binary, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    quads = []
    for c in contours[:1000]:
        rect = cv2.minAreaRect(c)
        if min(rect[1]) < 3:
            continue
        pts = cv2.boxPoints(rect)
        m = np.zeros_like(binary)
        cv2.fillPoly(m, [pts.astype(np.int32)], 1)
        if not m.any() or float(prob[m > 0].mean()) < BOX_THRESH:
            continue
        (cx, cy), (bw, bh), angle = rect
        d = bw * bh * UNCLIP / max(2 * (bw + bh), 1e-6)  # DB's unclip distance for a rectangle
        pts = cv2.boxPoints(((cx, cy), (bw + 2 * d, bh + 2 * d), angle))
        if min(bw, bh) + 2 * d < 5:
            continue
        pts[:, 0] = np.clip(pts[:, 0] * w / rw, 0, w - 1)
        pts[:, 1] = np.clip(pts[:, 1] * h / rh, 0, h - 1)
        quads.append(_order(pts))
    return sorted(quads, key=lambda q: (round(q[:, 1].mean() / 10), q[:, 0].min()))


def _order(pts: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    s, d = pts.sum(1), np.diff(pts, axis=1)[:, 0]
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], np.float32)


def _crop(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    import cv2

    w = int(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3])))
    h = int(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2])))
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    crop = cv2.warpPerspective(
        image,
        cv2.getPerspectiveTransform(quad, dst),
        (max(w, 1), max(h, 1)),
        borderMode=cv2.BORDER_REPLICATE,
        flags=cv2.INTER_CUBIC,
    )
    return np.rot90(crop) if crop.shape[0] / max(crop.shape[1], 1) >= 1.5 else crop


def _line_input(crop: np.ndarray, height: int, width: int) -> np.ndarray:
    import cv2

    h, w = crop.shape[:2]
    rw = min(width, max(1, math.ceil(height * w / max(h, 1))))
    x = cv2.resize(crop, (rw, height)).astype(np.float32) / 255.0
    out = np.zeros((3, height, width), np.float32)
    out[:, :, :rw] = ((x - 0.5) / 0.5).transpose(2, 0, 1)
    return out


def _upright(cls, crops: list[np.ndarray]) -> list[np.ndarray]:
    """Turn lines the angle classifier finds upside down (score > 0.9) by 180 degrees."""
    if not crops:
        return crops
    batch = np.stack([_line_input(c, 48, 192) for c in crops])
    probs = cls.run(None, {cls.get_inputs()[0].name: batch})[0]
    return [np.rot90(c, 2) if p[1] > p[0] and p[1] > 0.9 else c for c, p in zip(crops, probs, strict=True)]


def _recognise(rec, crops: list[np.ndarray]) -> list[tuple[str, float]]:
    chars = ["<blank>", *rec.get_modelmeta().custom_metadata_map["character"].splitlines(), " "]
    out = []
    for i in range(0, len(crops), 6):
        group = crops[i : i + 6]
        width = max(REC_MIN_WIDTH, *(math.ceil(REC_HEIGHT * c.shape[1] / max(c.shape[0], 1)) for c in group))
        batch = np.stack([_line_input(c, REC_HEIGHT, width) for c in group])
        probs = rec.run(None, {rec.get_inputs()[0].name: batch})[0]
        for p in probs:
            idx, conf = p.argmax(1), p.max(1)
            keep = [
                (k, c) for j, (k, c) in enumerate(zip(idx, conf, strict=True)) if k != 0 and (j == 0 or k != idx[j - 1])
            ]  # CTC: drop blanks and repeats
            text = "".join(chars[k] for k, _ in keep if k < len(chars))
            out.append((text.strip(), float(np.mean([c for _, c in keep])) if keep else 0.0))
    return out


def read_lines(image: np.ndarray, min_score: float = 0.5) -> list[TextLine]:
    """Every text line of an HxWx3 uint8 image with its confidence and box."""
    det, rec, cls = _sessions()
    quads = _detect(det, image)
    crops = _upright(cls, [_crop(image, q) for q in quads])
    lines = []
    for q, (text, score) in zip(quads, _recognise(rec, crops), strict=True):
        if text and score >= min_score:
            lines.append(
                TextLine(
                    text=text,
                    score=round(score, 4),
                    box=Box(
                        x1=float(q[:, 0].min()),
                        y1=float(q[:, 1].min()),
                        x2=float(q[:, 0].max()) + 1,
                        y2=float(q[:, 1].max()) + 1,
                    ),
                )
            )
    return _join_rows(lines)


def _join_rows(lines: list[TextLine]) -> list[TextLine]:
    """Pieces of one row (the detector splits lines at wide gaps) joined left to right with a space."""
    out: list[TextLine] = []
    for ln in sorted(lines, key=lambda t: (t.box.y1 + t.box.y2) / 2):
        h = ln.box.y2 - ln.box.y1
        row = next(
            (
                o
                for o in out
                if abs((o.box.y1 + o.box.y2) / 2 - (ln.box.y1 + ln.box.y2) / 2) < 0.5 * min(h, o.box.y2 - o.box.y1)
                and min(abs(ln.box.x1 - o.box.x2), abs(o.box.x1 - ln.box.x2)) < 2 * h
            ),
            None,
        )
        if row is None:
            out.append(ln)
            continue
        left, right = (row, ln) if row.box.x1 <= ln.box.x1 else (ln, row)
        out[out.index(row)] = TextLine(
            text=f"{left.text} {right.text}",
            score=min(row.score, ln.score),
            box=Box(
                x1=min(row.box.x1, ln.box.x1),
                y1=min(row.box.y1, ln.box.y1),
                x2=max(row.box.x2, ln.box.x2),
                y2=max(row.box.y2, ln.box.y2),
            ),
        )
    return sorted(out, key=lambda t: (round(t.box.y1 / max(1.0, (t.box.y2 - t.box.y1) / 2)), t.box.x1))


class OcrReadTextTool(VisionTool):
    name = "read_text"
    description = (
        "Read the text in an image (signs, labels, documents): each line with its confidence and box. "
        "Optionally only inside a box or a mask. PP-OCRv4 (Chinese and Latin script)."
    )
    Input = ReadTextInput
    Output = ReadTextOutput
    backend = "embedded"

    def __init__(self) -> None:
        from vitron_agent.loading.weights import EXTRA_HINT, embedded_available

        if not embedded_available("ppocr_det", "ppocr_rec", "ppocr_cls"):
            raise ConfigError(f"read_text needs the PP-OCR weights: {EXTRA_HINT}")

    def check_inputs(self, inp: ReadTextInput, ctx: ToolContext) -> None:
        check_same_size(inp.mask, inp.image, "mask")
        if inp.box is not None and (inp.box.x1 >= inp.image.width or inp.box.y1 >= inp.image.height):
            raise ValueError(f"box lies outside the {inp.image.width}x{inp.image.height} image")

    def run(self, inp: ReadTextInput, ctx: ToolContext) -> ReadTextOutput:
        image = ctx.store.get_image(inp.image)
        x0 = y0 = 0
        if inp.box is not None:
            x0, y0 = int(inp.box.x1), int(inp.box.y1)
            image = image[y0 : int(math.ceil(inp.box.y2)), x0 : int(math.ceil(inp.box.x2))]
        ctx.progress(0.1, "finding text lines")
        lines = read_lines(np.ascontiguousarray(image), inp.min_score)
        if x0 or y0:
            lines = [
                ln.model_copy(
                    update={"box": Box(x1=ln.box.x1 + x0, y1=ln.box.y1 + y0, x2=ln.box.x2 + x0, y2=ln.box.y2 + y0)}
                )
                for ln in lines
            ]
        if inp.mask is not None:
            region = ctx.store.get_mask(inp.mask)
            h, w = region.shape
            lines = [
                ln
                for ln in lines
                if region[min(h - 1, int((ln.box.y1 + ln.box.y2) / 2)), min(w - 1, int((ln.box.x1 + ln.box.x2) / 2))]
            ]
        where = " inside the box" if inp.box is not None else " inside the region" if inp.mask is not None else ""
        method = f"PP-OCRv4 detection + recognition{where}: {len(lines)} line{'s' * (len(lines) != 1)}"
        return ReadTextOutput(text="\n".join(ln.text for ln in lines), lines=lines, method=method)


register(Backend("read_text", "embedded", OcrReadTextTool, default=True))
declare(Traits("read_text", said_empty="I found no readable text.", phrase=("read the text", "read the text")))
