"""Text read right, or said to be unsure: the OCR on text images made here, before and after (issue 42).

    python benchmarks/ocr_honesty.py            # both halves; --half tune|held-out, --json

Each picture is drawn here from a seed (30 tuning seeds, on which the thresholds were set, and 30
held-out seeds): lines of ordinary words in Pillow's bundled font (and
DejaVu Sans when the system has it) at 9-40 px, dark, grey and faint, on white or on a coloured
ground, then spoilt as pictures of text are (Gaussian noise, blur, JPEG at quality 40, a small
rotation). Each true line is matched to the best line the reader gave (difflib ratio, case kept):

- *right*: read word for word (spaces included) and not marked unsure; *right, marked*: the same
  but marked "(?)";
- *honest*: wrong, but marked unsure ("(?)") or listed as not read surely (``unread``);
- *wrong, said surely*: not word for word and not marked -- the bug to avoid (a missing space counts);
- *not found*: the detector found no line there (said by neither version: see RESULTS).

"before" is the reader as it was: one look for lines (no second look on a contrast-enhanced copy),
no spaces found from gaps, no "(?)" marks, lines under the confidence floor dropped silently (so an
unread line counts as *dropped silently*). "two looks" is the reader before the third look (14:30,
2026-12-07): the places the detector half-sees, looked at again twice as large; "after" has it.
"""

from __future__ import annotations

import argparse
import difflib
import json
from pathlib import Path

import numpy as np

WORDS = (
    "the quick brown fox jumps over lazy dog sales grew by twelve percent in the third quarter please "
    "call our office before noon contact support for help with your order delivery arrives on monday "
    "keep this receipt for your records total amount due open every day from nine to five"
).split()
FONT_PATHS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",)


def _font(size: int, which: int):
    from PIL import ImageFont

    fonts = [p for p in FONT_PATHS if Path(p).is_file()]
    if which % 2 and fonts:
        return ImageFont.truetype(fonts[0], size)
    return ImageFont.load_default(size=size)


def make_page(seed: int) -> tuple[np.ndarray, list[str], str]:
    """(HxWx3 uint8 picture, its true lines top to bottom, how it was spoilt)."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = np.random.default_rng(seed)
    ground = (255, 255, 255) if seed % 3 else tuple(int(v) for v in rng.integers(150, 256, 3))
    im = Image.new("RGB", (900, 560), ground)
    d = ImageDraw.Draw(im)
    lines, y = [], 16
    for i in range(int(rng.integers(4, 7))):
        size = int(rng.choice([9, 12, 16, 20, 28, 40]))
        text = " ".join(rng.choice(WORDS, int(rng.integers(2, 7))))
        ink = int(rng.choice([0, 0, 90, 170, 215]))
        d.text((24, y), text, fill=(ink, ink, ink), font=_font(size, seed + i))
        lines.append(text)
        y += int(size * 1.9) + 6
        if y > 520:
            break
    spoil = ["clean", "noise", "blur", "jpeg", "rotate"][seed % 5]
    if spoil == "blur":
        im = im.filter(ImageFilter.GaussianBlur(1.6))
    elif spoil == "rotate":
        im = im.rotate(float(rng.uniform(-6, 6)), fillcolor=ground, expand=False)
    elif spoil == "jpeg":
        import io

        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=40)
        im = Image.open(buf).convert("RGB")
    image = np.asarray(im).astype(np.int16)
    if spoil == "noise":
        image = image + rng.normal(0, 55, image.shape)
    return np.clip(image, 0, 255).astype(np.uint8), lines, spoil


def _judge(truth: list[str], read: list, unread: list, honest_marks: bool) -> dict[str, int]:
    """Each true line's fate: right (word for word), right but marked unsure, honest (wrong but
    marked or listed unread), wrong said surely, dropped silently, not found. True lines and lines
    given are paired one to one, best pairs first (difflib ratio >= 0.3)."""
    given = [(ln, False) for ln in read] + [(ln, True) for ln in unread]
    pairs = sorted(
        (
            (difflib.SequenceMatcher(None, t, ln.text).ratio(), i, j)
            for i, t in enumerate(truth)
            for j, (ln, _) in enumerate(given)
        ),
        reverse=True,
    )
    match: dict[int, int] = {}
    for ratio, i, j in pairs:
        if ratio >= 0.3 and i not in match and j not in match.values():
            match[i] = j
    out = dict.fromkeys(KEYS, 0)
    for i, t in enumerate(truth):
        if i not in match:
            out["not_found"] += 1
            continue
        line, was_unread = given[match[i]]
        exact = " ".join(line.text.split()) == t
        if was_unread:
            out["honest" if honest_marks else "dropped"] += 1
        elif honest_marks and line.unsure:
            out["right_marked" if exact else "honest"] += 1
        else:
            out["right" if exact else "wrong_sure"] += 1
    return out


def run(seeds: range) -> dict[str, dict[str, int]]:
    import vitron_agent.tools.read_text as rt

    totals: dict[str, dict[str, int]] = {"before": {}, "two looks": {}, "after": {}}
    real_gaps = rt._word_gaps
    try:
        for seed in seeds:
            image, truth, _ = make_page(seed)
            for version in totals:
                rt._word_gaps = real_gaps if version != "before" else (lambda *a: set())
                read, unread = rt.read_all(image, second_look=version != "before", third_look=version == "after")
                for k, v in _judge(truth, read, unread, honest_marks=version != "before").items():
                    totals[version][k] = totals[version].get(k, 0) + v
    finally:
        rt._word_gaps = real_gaps
    return totals


HALVES = {"tune": range(0, 30), "held-out": range(1000, 1030)}  # seeds; thresholds were set on tune only
HEAD = ("right", "right, marked", "honest", "wrong, said surely", "dropped silently", "not found")
KEYS = ("right", "right_marked", "honest", "wrong_sure", "dropped", "not_found")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--half", choices=[*HALVES, "both"], default="both")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    halves = list(HALVES) if args.half == "both" else [args.half]
    results = {h: run(HALVES[h]) for h in halves}
    if args.json:
        print(json.dumps(results))
        return
    for half, totals in results.items():
        print(f"{half}: {len(HALVES[half])} made pictures, {sum(totals['after'].values())} true lines")
        print(f"  {'':10s} " + " ".join(f"{h:>{max(7, len(h))}s}" for h in HEAD))
        for version, t in totals.items():
            print(
                f"  {version:10s} "
                + " ".join(f"{t.get(k, 0):{max(7, len(h))}d}" for k, h in zip(KEYS, HEAD, strict=True))
            )


if __name__ == "__main__":
    main()
