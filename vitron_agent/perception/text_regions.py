"""Text as a thing to select: "blur the text", "crop out the writing", "make the words red", "remove the
caption", "the word SALE". No detector or classifier here names text, so these were refused ("I cannot
recognise 'the text'") while the OCR model (PP-OCRv4, embedded) finds every line of it. The mask is the
union of the lines' boxes, padded a little (a box is where the letters are, and a blur or crop should not
leave their edges); "the word X" keeps only the lines that read X.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["text_target", "text_region"]

_TEXT = re.compile(
    r"^(?:the\s+|all\s+(?:of\s+)?(?:the\s+)?|any\s+|some\s+|its\s+|their\s+|that\s+|this\s+)?"
    r"(?:(?:printed|written|handwritten|white|black|red|small|big|large|little)\s+)?"
    r"(?P<kind>text|texts|writing|words?|letters|lettering|captions?|watermarks?|subtitles?|numbers|digits|handwriting|"
    r"signature|headline|title)"
    r"(?:\s+(?:on|in|of|at|across|over)\s+(?:the\s+)?[a-z ]+)?"
    r"(?:\s+[\"“'‘](?P<said>[^\"”'’]+)[\"”'’])?\s*$",
    re.I,
)
_SAID_WORD = re.compile(r"^(?:the\s+)?(?:word|words|text|writing|letters)\s+[\"“'‘]?(?P<said>[^\"”'’]+?)[\"”'’]?\s*$", re.I)


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
    from vitron_agent.tools.read_text import read_all

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
