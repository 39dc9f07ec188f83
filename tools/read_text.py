"""read_text: the text in an image (OCR), lines with boxes and confidences.

Lines the recogniser reads with less than ``min_score`` confidence (or cannot make out at all) are
not dropped silently: they come back in ``unread`` with the recogniser's best guess, and the answer
says so ("I could not read 2 more lines surely: one perhaps says "Contcat"; one I cannot make
out."). Words are separated where the line's picture has a gap wider than a letter's (the
recogniser, trained mostly on Chinese, often runs Latin words together).

embedded backend (the default): PP-OCRv4 text detection and recognition with the angle
classifier (Apache-2.0), the ONNX files inside ``rapidocr-onnxruntime``, run here with
onnxruntime and this module's own pre- and post-processing (DB boxes, CTC decoding); the
package's code is not imported. The recogniser's alphabet is Chinese + Latin (6,623
characters, from the model's own metadata).
"""

from __future__ import annotations

import math
import re

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.errors import ConfigError
from vitron_agent.core.refs import Box, ImageRef, MaskRef
from vitron_agent.perception.masks import check_same_size
from vitron_agent.perception.question_region import question_region
from vitron_agent.toolkit.registry import Backend, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool

__all__ = [
    "ReadTextInput",
    "ReadTextOutput",
    "TextLine",
    "OcrReadTextTool",
    "read_lines",
    "read_all",
    "unread_words",
    "text_target",
    "text_region",
]

DET_MIN_SIDE, DET_MAX_SIDE = 736, 2000  # rapidocr's settings: short side up to 736, long side at most 2000
DB_THRESH, BOX_THRESH, UNCLIP = 0.3, 0.5, 1.6
WEAK_BOX_THRESH = 0.35  # a box scoring from here to BOX_THRESH is looked at again, closer (the third look)
REC_HEIGHT, REC_MIN_WIDTH = 48, 320
CHAR_SURE = 0.5  # a character read with less confidence is counted unsure (its line is marked "(?)")


class TextLine(BaseModel):
    text: str
    score: float = Field(description="recognition confidence 0..1 (the mean of its characters')")
    unsure: int = Field(
        default=0, description=f"how many of its characters were read with less than {CHAR_SURE} confidence"
    )
    box: Box = Field(description="the line's bounding box, XYXY pixels")
    maybe: bool = Field(
        default=False,
        description="a place that looks like text (the detector half-sees a line) where no look could read one",
    )


class ReadTextInput(BaseModel):
    image: ImageRef = Field(description="the image to read")
    box: Box | None = Field(default=None, description="read only inside this box, XYXY pixels")
    mask: MaskRef | None = Field(default=None, description="read only lines inside this region")
    place: str | None = Field(
        default=None,
        max_length=200,
        description="read only lines in this part of the picture: a side or corner ('bottom left', 'top right'), "
        "or, with the mask of a thing, 'outside <thing>', 'left of <thing>', 'right of', 'above', 'below'",
    )
    min_score: float = Field(default=0.5, ge=0.0, le=1.0, description="drop lines recognised with less confidence")


class ReadTextOutput(BaseModel):
    text: str = Field(
        description="the lines read, top to bottom, one per line, then what could not be read surely, said "
        "('I could not read 2 more lines surely ...'); '' when there is no text"
    )
    lines: list[TextLine] = Field(default_factory=list, description="each line read with its confidence and box")
    unread: list[TextLine] = Field(
        default_factory=list,
        description="lines found but read with less than min_score confidence: the recogniser's best guess ('' when "
        "it made out nothing), its confidence and box",
    )
    method: str = Field(description="how the text was read")


def _sessions():
    from vitron_agent.loading.weights import embedded_path
    from vitron_agent.perception.salient import onnx_session

    return tuple(onnx_session(str(embedded_path(n))) for n in ("ppocr_det", "ppocr_rec", "ppocr_cls"))


def _detect(det, image: np.ndarray, weak: list[np.ndarray] | None = None) -> list[np.ndarray]:
    """Quadrilaterals (4x2 float, image pixels) of text lines: DB probability map -> boxes. Boxes
    the detector half-sees (mean probability from WEAK_BOX_THRESH to BOX_THRESH: a photographed
    page's curved line, small or faint print) are appended to ``weak`` when it is given."""
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
        score = float(prob[m > 0].mean()) if m.any() else 0.0
        if score < BOX_THRESH and (weak is None or score < WEAK_BOX_THRESH):
            continue
        (cx, cy), (bw, bh), angle = rect
        d = bw * bh * UNCLIP / max(2 * (bw + bh), 1e-6)  # DB's unclip distance for a rectangle
        pts = cv2.boxPoints(((cx, cy), (bw + 2 * d, bh + 2 * d), angle))
        if min(bw, bh) + 2 * d < 5:
            continue
        pts[:, 0] = np.clip(pts[:, 0] * w / rw, 0, w - 1)
        pts[:, 1] = np.clip(pts[:, 1] * h / rh, 0, h - 1)
        (quads if score >= BOX_THRESH else weak).append(_order(pts))
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


def _recognise(rec, crops: list[np.ndarray]) -> list[tuple[str, float, int]]:
    """(text, mean character confidence, characters below CHAR_SURE) of each line crop."""
    chars = ["<blank>", *rec.get_modelmeta().custom_metadata_map["character"].splitlines(), " "]
    out = []
    for i in range(0, len(crops), 6):
        group = crops[i : i + 6]
        width = max(REC_MIN_WIDTH, *(math.ceil(REC_HEIGHT * c.shape[1] / max(c.shape[0], 1)) for c in group))
        batch = np.stack([_line_input(c, REC_HEIGHT, width) for c in group])
        probs = rec.run(None, {rec.get_inputs()[0].name: batch})[0]
        for x, p in zip(batch, probs, strict=True):
            idx, conf = p.argmax(1), p.max(1)
            keep = [
                (j, k, c)
                for j, (k, c) in enumerate(zip(idx, conf, strict=True))
                if k != 0 and (j == 0 or k != idx[j - 1]) and k < len(chars)
            ]  # CTC: drop blanks and repeats
            spaces = frozenset(n for n, (_, k, _) in enumerate(keep) if chars[k] == " ")
            gaps = _word_gaps(x, [j for j, _, _ in keep], len(idx), spaces)
            text = "".join(
                (" " if n in gaps and _latin(chars[keep[n - 1][1]]) and _latin(chars[k]) else "") + chars[k]
                for n, (_, k, _) in enumerate(keep)
            )
            confs = [float(c) for _, _, c in keep]
            out.append((text.strip(), float(np.mean(confs)) if keep else 0.0, sum(c < CHAR_SURE for c in confs)))
    return out


# a space: a blank run this many times the median run between letters, and this share of the line's height
WORD_GAP, WORD_GAP_FLOOR = 2.4, 0.18


def _latin(ch: str) -> bool:
    """A printable ASCII character other than a space: words of Latin script are spaced, Chinese is not."""
    return "!" <= ch <= "~"


def _word_gaps(line: np.ndarray, steps: list[int], n_steps: int, spaces: frozenset[int] = frozenset()) -> set[int]:
    """Indices n (into the kept characters) before which the line's picture has a word gap: between
    character n-1 and n, a run of ink-free columns at least :data:`WORD_GAP` times the line's median
    such run between letters and :data:`WORD_GAP_FLOOR` of its height (measured on made lines:
    letters 0.00-0.17 of the height apart, about 0.06-0.08 in the median, words 0.17-0.35; the
    floor was 0.12 first: scikit-image's scanned page read "t he", "pi xels", "g rey", whose thin
    strokes leave gaps; at 0.18 it reads "seg mentation" only, and the made tuning pages as well).
    ``line``: the 3xHxW normalised recogniser input; ``steps``: each kept character's CTC time step;
    ``spaces``: indices of characters that are spaces already (left out of the median)."""
    filled = np.flatnonzero(np.abs(line).sum((0, 1)) > 0)  # the batch pads short lines with zeros on the right
    gray = line.mean(0)[:, : int(filled.max()) + 1 if filled.size else 1]
    h = gray.shape[0]
    ground = float(np.median(gray))
    contrast = float(np.abs(gray - ground).max())
    if contrast < 0.2 or len(steps) < 3:
        return set()
    ink = (np.abs(gray[int(0.1 * h) : int(0.9 * h)] - ground) > 0.35 * contrast).any(0)
    per_step = line.shape[2] / n_steps
    runs = []
    for n in range(1, len(steps)):
        run = best = 0
        for col in ink[int((steps[n - 1] + 0.5) * per_step) : int((steps[n] + 0.5) * per_step)]:
            run = 0 if col else run + 1
            best = max(best, run)
        runs.append(best / h)
    between_letters = [r for n, r in enumerate(runs, start=1) if n not in spaces and n - 1 not in spaces] or runs
    limit = max(WORD_GAP * float(np.median(between_letters)), WORD_GAP_FLOOR)
    return {n for n, r in enumerate(runs, start=1) if r >= limit}


def read_lines(image: np.ndarray, min_score: float = 0.5) -> list[TextLine]:
    """Every text line of an HxWx3 uint8 image read with at least ``min_score`` confidence, with
    its box (the ones read less surely: :func:`read_all`)."""
    return read_all(image, min_score)[0]


def read_all(
    image: np.ndarray, min_score: float = 0.5, second_look: bool = True, third_look: bool = True
) -> tuple[list[TextLine], list[TextLine]]:
    """(lines read, lines found but not read surely) of an HxWx3 uint8 image, each in reading
    order. A line not read surely has confidence below ``min_score`` or no character made out
    (its text is then ''); pieces of one row are joined (read ones with read ones). Lines are
    looked for three times: on the picture; on its local-contrast-enhanced copy (CLAHE), where faint
    or low-contrast lines the first look missed show (on made pages, 20 % of the lines were not
    found by the first look); a line only the second look finds is read from the enhanced copy and
    kept unread only when the recogniser made out something (confidence >= SECOND_LOOK_MIN). The
    third look goes only where the detector half-saw a line that neither look found (a photographed
    page's curved line): that place, twice as large. A place where it still reads nothing comes
    back unread with ``maybe`` set ("there may be more text I could not read")."""
    det, rec, cls = _sessions()
    weak: list[np.ndarray] = []
    quads = _detect(det, image, weak)
    enhanced = _enhanced(image)
    extra = [q for q in _detect(det, enhanced, weak) if not any(_overlaps(q, o) for o in quads)] if second_look else []
    looks = [(1, -1, q, _crop(image, q)) for q in quads] + [(2, -1, q, _crop(enhanced, q)) for q in extra]
    found = quads + extra
    places = _places(weak, found) if third_look else []
    for n, place in enumerate(places):  # lines the first two looks found are not read again
        looks += [(3, n, q, c) for q, c in _closer_look(det, image, place) if not any(_same_line(q, o) for o in found)]
    first = [crop for look, *_, crop in looks if look < 3]
    closer = [crop for look, *_, crop in looks if look == 3]
    # the angle classifier turned a third look's long, scaled-up line over: both ways, the better read
    both = _recognise(rec, closer + [np.rot90(c, 2) for c in closer])
    texts = _recognise(rec, _upright(cls, first)) + [
        max(a, b, key=lambda r: r[1]) for a, b in zip(both[: len(closer)], both[len(closer) :], strict=True)
    ]
    read, doubtful, seen = [], [], set()
    for (look, place, q, _), (text, score, unsure) in zip(looks, texts, strict=True):
        box = Box(
            x1=float(q[:, 0].min()), y1=float(q[:, 1].min()), x2=float(q[:, 0].max()) + 1, y2=float(q[:, 1].max()) + 1
        )
        line = TextLine(text=text, score=round(score, 4), unsure=unsure, box=box)
        if text and score >= min_score:
            read.append(line)
            seen.add(place)
        elif look == 1 or (score >= SECOND_LOOK_MIN and sum(c.isalnum() for c in text) >= 2):
            doubtful.append(line)
            seen.add(place)
    for n, place in enumerate(places):
        if n not in seen:
            (x1, y1), (x2, y2) = place.min(0), place.max(0)
            box = Box(x1=float(x1), y1=float(y1), x2=float(x2) + 1, y2=float(y2) + 1)
            doubtful.append(TextLine(text="", score=0.0, box=box, maybe=True))
    return _join_rows(read), _reading_order(doubtful)


def _places(weak: list[np.ndarray], found: list[np.ndarray]) -> list[np.ndarray]:
    """The half-seen boxes no found line overlaps, each once (both looks half-see the same line)."""
    out: list[np.ndarray] = []
    for q in weak:
        if not any(_same_line(q, o) for o in found + out):
            out.append(q)
    return out[:MAX_PLACES]


def _same_line(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two boxes are one line: centres within a third of the smaller height of each other
    and overlapping across half the narrower width (a line's unclipped box reaches into the lines
    above and below it on a tightly set page, so overlap alone says nothing)."""
    (ax1, ay1), (ax2, ay2) = a.min(0), a.max(0)
    (bx1, by1), (bx2, by2) = b.min(0), b.max(0)
    rows = abs((ay1 + ay2) - (by1 + by2)) / 2 < min(ay2 - ay1, by2 - by1) / 3
    return bool(rows and min(ax2, bx2) - max(ax1, bx1) > min(ax2 - ax1, bx2 - bx1) / 2)


MAX_PLACES = 12  # a third look costs a detection each: a busy photo's half-seen texture is not all read


def _closer_look(det, image: np.ndarray, quad: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(quad in the picture's pixels, line crop) of the lines found again in ``quad``'s place, padded
    by half its height and scaled up 2x (the half-seen box itself, read from the larger copy, when
    none is found there)."""
    import cv2

    h, w = image.shape[:2]
    (x1, y1), (x2, y2) = quad.min(0), quad.max(0)
    pad = 0.5 * (y2 - y1)
    x0, y0 = int(max(0, x1 - pad)), int(max(0, y1 - pad))
    xe, ye = int(min(w, x2 + pad + 1)), int(min(h, y2 + pad + 1))
    up = cv2.resize(np.ascontiguousarray(image[y0:ye, x0:xe]), None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    offset = np.array([x0, y0], np.float32)
    half_seen: list[np.ndarray] = []  # larger, a line is often still half-seen, and read well
    found = [(q / 2 + offset, _crop(up, q)) for q in _detect(det, up, half_seen) + half_seen]
    found = [(q, crop) for q, crop in found if _same_line(q, quad)]  # not the neighbours the padding shows
    return found or [(quad, _crop(up, (quad - offset) * 2))]


SECOND_LOOK_MIN = 0.3  # a line only the enhanced look finds, read with less, is texture, not said


def _enhanced(image: np.ndarray) -> np.ndarray:
    """The picture with its local contrast raised (CLAHE on the L channel of Lab, clip 4, 8x8 tiles)."""
    import cv2

    lab = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2LAB)
    lab[..., 0] = cv2.createCLAHE(clipLimit=4.0, tileGridSize=(8, 8)).apply(lab[..., 0])
    return cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)


def _overlaps(q: np.ndarray, other: np.ndarray) -> bool:
    """Whether quad ``q``'s centre lies in ``other``'s bounding box or theirs overlap by a third of the smaller."""
    (ax1, ay1), (ax2, ay2) = q.min(0), q.max(0)
    (bx1, by1), (bx2, by2) = other.min(0), other.max(0)
    cx, cy = (ax1 + ax2) / 2, (ay1 + ay2) / 2
    if bx1 <= cx <= bx2 and by1 <= cy <= by2:
        return True
    inter = max(0.0, min(ax2, bx2) - max(ax1, bx1)) * max(0.0, min(ay2, by2) - max(ay1, by1))
    return inter >= min((ax2 - ax1) * (ay2 - ay1), (bx2 - bx1) * (by2 - by1)) / 3


def unread_words(unread: list[TextLine], more: bool = True) -> str:
    """'' for none; else 'I could not read 2 more lines surely: one perhaps says "Contcat"; one I
    cannot make out.' (guesses with at least two letters or digits are quoted; ``more``: some lines
    were read, so these are more; without, 'I found 2 lines of text but could not read them surely: ...'),
    then 'There may be more text I could not read.' when some are places that only look like text."""
    maybe = sum(ln.maybe for ln in unread)
    unread = [ln for ln in unread if not ln.maybe]
    if maybe:  # places that look like text where no look read a line
        tail = "There may be more text I could not read." if more or unread else "There may be text I could not read."
        return (unread_words(unread, more) + " " + tail).strip()
    if not unread:
        return ""
    guesses = [ln.text for ln in unread if sum(c.isalnum() for c in ln.text) >= 2]
    blank = len(unread) - len(guesses)
    n = len(unread)
    said = [f'{"one" if n > 1 else "it"} perhaps says "{g}"' for g in guesses[:3]]
    if len(guesses) > 3:
        said.append("1 more is a guess too" if len(guesses) == 4 else f"{len(guesses) - 3} more are guesses too")
    if blank:
        said.append("I cannot make it out" if n == 1 else ("one" if blank == 1 else str(blank)) + " I cannot make out")
    if not more:
        what = "a line of text but could not read it" if n == 1 else f"{n} lines of text but could not read them"
        return f"I found {what} surely: " + "; ".join(said) + "."
    what = "1 more line" if n == 1 else f"{n} more lines"
    return f"I could not read {what} surely: " + "; ".join(said) + "."


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
            unsure=row.unsure + ln.unsure,
            box=Box(
                x1=min(row.box.x1, ln.box.x1),
                y1=min(row.box.y1, ln.box.y1),
                x2=max(row.box.x2, ln.box.x2),
                y2=max(row.box.y2, ln.box.y2),
            ),
        )
    return _reading_order(out)


def _reading_order(lines: list[TextLine]) -> list[TextLine]:
    """Top to bottom by each line's centre; lines whose centres lie within half the smaller
    height of each other are one row, left to right (a small footnote under a big line stays
    under it: sorting by a rounding of each line's own height did not)."""
    rows: list[list[TextLine]] = []
    for ln in sorted(lines, key=lambda t: (t.box.y1 + t.box.y2) / 2):
        cy, h = (ln.box.y1 + ln.box.y2) / 2, ln.box.y2 - ln.box.y1
        last = rows[-1][-1] if rows else None
        if last is not None and abs((last.box.y1 + last.box.y2) / 2 - cy) < 0.5 * min(h, last.box.y2 - last.box.y1):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return [ln for row in rows for ln in sorted(row, key=lambda t: t.box.x1)]


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
        if inp.place:
            question_region((2, 2), inp.place, np.ones((2, 2), bool) if inp.mask is not None else None)

    def run(self, inp: ReadTextInput, ctx: ToolContext) -> ReadTextOutput:
        """The lines read; with ``place``, only those whose centre lies there, and the text says where."""
        if not inp.place:
            return self._run(inp, ctx)
        thing = ctx.store.get_mask(inp.mask) if inp.mask is not None else None
        region, where = question_region((inp.image.height, inp.image.width), inp.place, thing)
        out = self._run(inp.model_copy(update={"mask": None, "place": None}), ctx, region)
        if not out.lines:
            said = f"I found no readable text in {where}."
            if out.unread:
                said = f"In {where}: " + unread_words(out.unread, more=False)
            return out.model_copy(update={"text": said})
        return out.model_copy(update={"text": f"In {where}:\n{out.text}"})

    def _run(self, inp: ReadTextInput, ctx: ToolContext, place: np.ndarray | None = None) -> ReadTextOutput:
        image = ctx.store.get_image(inp.image)
        x0 = y0 = 0
        if inp.box is not None:
            x0, y0 = int(inp.box.x1), int(inp.box.y1)
            image = image[y0 : int(math.ceil(inp.box.y2)), x0 : int(math.ceil(inp.box.x2))]
        ctx.progress(0.1, "finding text lines")
        found = read_all(np.ascontiguousarray(image), inp.min_score)
        region = ctx.store.get_mask(inp.mask) if inp.mask is not None else place
        lines, unread = (_placed(group, x0, y0, region) for group in found)
        where = " inside the box" if inp.box is not None else " inside the region" if inp.mask is not None else ""
        method = f"PP-OCRv4 detection + recognition{where}: {len(lines)} line{'s' * (len(lines) != 1)}"
        if unread:
            method += f"; {len(unread)} more found but read with less than {inp.min_score:g} confidence"
        text = "\n".join([*(_marked(ln) for ln in lines), unread_words(unread, more=bool(lines))]).strip()
        if any(ln.unsure for ln in lines):
            text += f"\n{UNSURE_MARK} marks a line with letters I could not read surely."
        return ReadTextOutput(text=text, lines=lines, unread=unread, method=method)


UNSURE_MARK = "(?)"


def _marked(line: TextLine) -> str:
    """The line's text, with :data:`UNSURE_MARK` after it when some of its letters are unsure."""
    return f"{line.text} {UNSURE_MARK}" if line.unsure else line.text


def _placed(lines: list[TextLine], x0: int, y0: int, region: np.ndarray | None) -> list[TextLine]:
    """Lines read in a crop at (x0, y0) moved to the picture's coordinates, and only those whose
    centre lies in ``region`` (HxW bool) when there is one."""
    if x0 or y0:
        lines = [
            ln.model_copy(
                update={"box": Box(x1=ln.box.x1 + x0, y1=ln.box.y1 + y0, x2=ln.box.x2 + x0, y2=ln.box.y2 + y0)}
            )
            for ln in lines
        ]
    if region is None:
        return lines
    h, w = region.shape
    return [
        ln
        for ln in lines
        if region[min(h - 1, int((ln.box.y1 + ln.box.y2) / 2)), min(w - 1, int((ln.box.x1 + ln.box.x2) / 2))]
    ]


register(Backend("read_text", "embedded", OcrReadTextTool, default=True))
declare(Traits("read_text", said_empty="I found no readable text.", phrase=("read the text", "read the text")))


# Text as a thing to select (the embedded segment backend asks these):
# Text as a thing to select: "blur the text", "crop out the writing", "make the words red", "remove the
# caption", "the word SALE". No detector or classifier here names text, so these were refused ("I cannot
# recognise 'the text'") while the OCR model (PP-OCRv4, embedded) finds every line of it. The mask is the
# union of the lines' boxes, padded a little (a box is where the letters are, and a blur or crop should not
# leave their edges); "the word X" keeps only the lines that read X.

_TEXT = re.compile(
    r"^(?:the\s+|all\s+(?:of\s+)?(?:the\s+)?|any\s+|some\s+|its\s+|their\s+|that\s+|this\s+)?"
    r"(?:(?:printed|written|handwritten|white|black|red|small|big|large|little)\s+)?"
    r"(?P<kind>text|texts|writing|words?|letters|lettering|captions?|watermarks?|subtitles?|numbers|digits|handwriting|"
    r"signature|headline|title)"
    r"(?:\s+(?:on|in|of|at|across|over)\s+(?:the\s+)?[a-z ]+)?"
    r"(?:\s+[\"“'‘](?P<said>[^\"”'’]+)[\"”'’])?\s*$",
    re.I,
)
_SAID_WORD = re.compile(
    r"^(?:the\s+)?(?:word|words|text|writing|letters)\s+[\"“'‘]?(?P<said>[^\"”'’]+?)[\"”'’]?\s*$", re.I
)


def text_target(target: str | None) -> bool:
    """Whether ``target`` names text in the picture ("the text", "the writing on the sign", "the word 'SALE'")."""
    t = (target or "").strip()
    return bool(_TEXT.match(t) or _SAID_WORD.match(t))


def _letters(box: np.ndarray, grow: int) -> np.ndarray:
    """The letters inside a line's box: the smaller of the two tones Otsu's threshold splits it into (the
    strokes; the ground around them is the larger), grown by ``grow`` pixels so that an edit covers their
    edges and outlines. A box with no clear split is kept whole."""
    import cv2

    if box.size == 0:
        return np.zeros(box.shape[:2], bool)
    grey = cv2.cvtColor(np.ascontiguousarray(box[..., :3]), cv2.COLOR_RGB2GRAY)
    _, split = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    strokes = split > 0 if (split > 0).mean() < 0.5 else split == 0
    if not 0.03 < strokes.mean() < 0.6:
        return np.ones(box.shape[:2], bool)
    kernel = np.ones((2 * grow + 1, 2 * grow + 1), np.uint8)
    return cv2.dilate(strokes.astype(np.uint8), kernel) > 0


def text_region(image: np.ndarray, target: str) -> tuple[np.ndarray, str]:
    """(mask, method) of the text ``target`` names: every line the OCR model finds (read or not), or only
    the lines reading the quoted word. An empty mask when there is none."""
    h, w = image.shape[:2]
    read, unsure = read_all(image)
    t = target.strip()
    said = (m.group("said") if (m := _TEXT.match(t)) and m.group("said") else None) or (
        m.group("said") if (m := _SAID_WORD.match(t)) and not _TEXT.match(t) else None
    )
    # lines read surely, and unsure ones with a few characters made out (a cat's two eyes read as 'O' and 'D'
    # at 0.45: single marks are not text to edit)
    lines = read + [ln for ln in unsure if not ln.maybe and ln.score >= 0.3 and sum(c.isalnum() for c in ln.text) >= 3]
    if said:
        want = re.sub(r"\W+", "", said.lower())
        lines = [ln for ln in read if want and want in re.sub(r"\W+", "", ln.text.lower())]
    mask = np.zeros((h, w), bool)
    for ln in lines:
        b = ln.box
        y1, y2, x1, x2 = max(0, int(b.y1)), min(h, int(np.ceil(b.y2))), max(0, int(b.x1)), min(w, int(np.ceil(b.x2)))
        mask[y1:y2, x1:x2] |= _letters(image[y1:y2, x1:x2], max(2, round(0.12 * (y2 - y1))))
    shown = "; ".join(repr(ln.text) if ln.text else "(unread)" for ln in lines[:5])
    if not lines:
        what = f"no line reading {said!r}" if said else "no text"
        return mask, f"the text detector (PP-OCRv4) found {what}"
    return mask, f"the text detector (PP-OCRv4) found {len(lines)} line{'s' * (len(lines) != 1)} of text: {shown}"
