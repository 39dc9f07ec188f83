"""Fresh cases for issue 42 items 5, 6 and 8 (session s11, written before the fixes): counts of
several kinds, parts of a whole, COCO names on pictures that are not photographs, colours as
people say them. Each case is a picture made here (scikit-image photos cropped, recoloured or
put side by side; drawings and textures made with cv2), a request and a judge that calls the
agent's answer exact, honest (hedged, or refusing with the reason) or wrong. Cases alternate
between a tuning and a held-out half (even index: tune, odd: held-out).

    .venv/bin/python benchmarks/seen_s11.py [--half tune|heldout|both] [--show]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from skimage import data

HEDGE = re.compile(
    r"\b(?:perhaps|possibly|maybe|unsure|roughly|at least|may|might|cannot|can't|not sure|looks like|"
    r"probably|seems|guess|not a photograph|drawing|texture|render|diagram|screenshot|microscope|by kind|"
    r"as a rule|usually|common knowledge)\b",
    re.I,
)


@dataclass
class Case:
    name: str
    image: np.ndarray  # HxWx3 uint8 RGB
    request: str
    judge: Callable[[str], str]  # answer -> "exact" | "honest" | "wrong"


def _side(*imgs: np.ndarray, h: int = 300) -> np.ndarray:
    """Photos side by side at one height, no gutter (a composite, not a grid with seams)."""
    out = [cv2.resize(i, (int(i.shape[1] * h / i.shape[0]), h), interpolation=cv2.INTER_AREA) for i in imgs]
    return np.ascontiguousarray(np.concatenate(out, axis=1))


NUM = {"no": 0, "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _said(answer: str, noun: str) -> int | None:
    """The number the answer gives for ``noun`` (singular stem), or None when it gives none."""
    m = re.search(rf"\b(\d+|no|zero|one|two|three|four|five|six|an?)\s+(?:\w+\s+){{0,2}}{noun}", answer, re.I)
    if m is None:
        return None
    w = m.group(1).lower()
    return int(w) if w.isdigit() else NUM[w]


def kinds_judge(truth: dict[str, int]) -> Callable[[str], str]:
    """Every kind asked for must be given a number; all right and unhedged: exact."""

    def judge(answer: str) -> str:
        got = {k: _said(answer, k) for k in truth}
        if any(v is None for v in got.values()):
            return "wrong"  # a kind dropped
        if all(got[k] == truth[k] for k in truth):
            return "exact" if not HEDGE.search(answer) else "honest"
        return "honest" if HEDGE.search(answer) else "wrong"

    return judge


def parts_judge(visible: int, by_kind: int, noun: str) -> Callable[[str], str]:
    """A part count: the visible number right, and the number by kind said as such when it differs."""

    def judge(answer: str) -> str:
        n = _said(answer, noun)
        kind_said = re.search(rf"\b(?:has|have)\s+{by_kind}\b|{by_kind}\s+{noun}s?\b", answer, re.I) and HEDGE.search(
            answer
        )
        if n == visible and (visible == by_kind or kind_said):
            return "exact"
        if kind_said or (n is None and HEDGE.search(answer)) or re.search(r"cannot|can't|not visible", answer, re.I):
            return "honest"
        return "wrong"

    return judge


COCO_FLAT = re.compile(
    r"\b(?:clock|donut|doughnut|person|people|cake|pizza|book|laptop|tv|cell phone|remote|keyboard|umbrella|"
    r"kite|bird|cat|dog|vase|bowl|bottle|cup|car|bus|train|traffic light|frisbee|sports ball|tie|"
    r"refrigerator|toilet|sink|oven|microwave|teddy bear|scissors|handbag|suitcase|chair|bed|dining table)\b",
    re.I,
)


def made_judge(kind_words: str = r"drawing|texture|diagram|screenshot|microscop|render|made|not a photo") -> Callable:
    """On a non-photograph: naming COCO things flatly is wrong; naming none, or hedging them and saying
    what kind of picture it is, is right."""

    def judge(answer: str) -> str:
        names = COCO_FLAT.findall(answer)
        says_kind = re.search(kind_words, answer, re.I)
        if not names:
            return "exact" if says_kind else "honest"
        return "honest" if says_kind and HEDGE.search(answer) else "wrong"

    return judge


def colour_judge(right: set[str], near: set[str]) -> Callable[[str], str]:
    """The colour named first must be one of ``right`` (exact) or ``near`` when hedged (honest)."""
    names = r"navy|blue|brown|maroon|red|teal|green|beige|tan|cream|silver|grey|gray|white|black|purple|orange|yellow|pink|olive|dark \w+|light \w+"

    def judge(answer: str) -> str:
        m = re.search(names, answer, re.I)
        if m is None:
            return "honest" if HEDGE.search(answer) else "wrong"
        first = m.group(0).lower().replace("gray", "grey")
        base = first.split()[-1]
        if first in right or base in right:
            return "exact"
        return "honest" if (first in near or base in near) and HEDGE.search(answer) else "wrong"

    return judge


def _motorcycle() -> np.ndarray:
    return data.stereo_motorcycle()[0]


def count_cases() -> list[Case]:
    moto, cat, astro, cup = _motorcycle(), data.chelsea(), data.astronaut(), data.coffee()
    return [
        Case("moto bikes+bottles", moto, "how many motorbikes and bottles?", kinds_judge({"motor": 1, "bottle": 0})),
        Case(
            "moto people+dogs", moto, "count the people and the dogs", kinds_judge({"(?:people|person)": 0, "dog": 0})
        ),
        Case(
            "cat|astro cats+people",
            _side(cat, astro),
            "how many cats and people are there?",
            kinds_judge({"cat": 1, "(?:people|person)": 1}),
        ),
        Case(
            "astro|moto people+motorbikes",
            _side(astro, moto),
            "count the people and the motorcycles",
            kinds_judge({"(?:people|person)": 1, "motor": 1}),
        ),
        Case(
            "cat|cat|astro",
            _side(cat, cat[:, ::-1], astro),
            "how many cats, and how many people?",
            kinds_judge({"cat": 2, "(?:people|person)": 1}),
        ),
        Case("coffee cups+cats", cup, "count the cups and the cats", kinds_judge({"cup": 1, "cat": 0})),
        Case(
            "moto|cat bikes,cats,dogs",
            _side(moto, cat),
            "how many motorbikes, cats and dogs?",
            kinds_judge({"motor": 1, "cat": 1, "dog": 0}),
        ),
        Case(
            "astro|coffee people+cups",
            _side(astro, cup),
            "how many people and cups?",
            kinds_judge({"(?:people|person)": 1, "cup": 1}),
        ),
    ]


def parts_cases() -> list[Case]:
    moto = _motorcycle()
    small = cv2.resize(moto, (370, 250), interpolation=cv2.INTER_AREA)
    cat = data.chelsea()
    return [
        Case("moto wheels", moto, "how many wheels does the motorbike have?", parts_judge(2, 2, "wheel")),
        Case(
            "moto rear half wheels",
            np.ascontiguousarray(moto[:, :420]),
            "how many wheels does the motorbike have?",
            parts_judge(1, 2, "wheel"),
        ),
        Case(
            "moto mirrored wheels",
            np.ascontiguousarray(moto[:, ::-1]),
            "how many wheels does the motorcycle have?",
            parts_judge(2, 2, "wheel"),
        ),
        Case(
            "moto front half wheels",
            np.ascontiguousarray(moto[:, 380:]),
            "how many wheels has the motorbike got?",
            parts_judge(1, 2, "wheel"),
        ),
        Case("cat legs", cat, "how many legs does the cat have?", parts_judge(0, 4, "leg")),
        Case("moto small wheels", small, "count the wheels of the motorcycle", parts_judge(2, 2, "wheel")),
        Case("cat ears", cat, "how many ears does the cat have?", parts_judge(2, 2, "ear")),
        Case(
            "moto top wheels",
            np.ascontiguousarray(moto[:230]),
            "how many wheels does the motorbike have?",
            parts_judge(0, 2, "wheel"),
        ),
    ]


def _board(seed: int) -> np.ndarray:
    """A circuit board drawn: green ground, copper tracks, black chips, white round parts."""
    rng = np.random.default_rng(seed)
    img = np.full((360, 480, 3), (20, 110, 40), np.uint8)
    for _ in range(25):
        x, y = rng.integers(0, 480), rng.integers(0, 360)
        cv2.line(img, (int(x), int(y)), (int(x + rng.integers(-200, 200)), int(y)), (200, 160, 60), 3)
        cv2.line(img, (int(x), int(y)), (int(x), int(y + rng.integers(-150, 150))), (200, 160, 60), 3)
    for _ in range(5):
        x, y = int(rng.integers(20, 400)), int(rng.integers(20, 300))
        cv2.rectangle(img, (x, y), (x + 60, y + 35), (15, 15, 15), -1)
    for _ in range(4):
        cv2.circle(img, (int(rng.integers(30, 450)), int(rng.integers(30, 330))), 22, (235, 235, 230), -1)
    return img


def _texture(name: str) -> np.ndarray:
    g = getattr(data, name)()
    return np.ascontiguousarray(np.stack([g] * 3, -1)) if g.ndim == 2 else g


def _rings() -> np.ndarray:
    """A drawing of rings in pastel colours (donut-like)."""
    img = np.full((400, 400, 3), 250, np.uint8)
    for i, c in enumerate([(230, 150, 170), (240, 200, 120), (150, 200, 230), (200, 170, 120)]):
        cv2.circle(img, (100 + 200 * (i % 2), 100 + 200 * (i // 2)), 70, c, 35)
    return img


def _screen() -> np.ndarray:
    """A screenshot drawn: title bar, side bar, buttons, lines of text."""
    img = np.full((400, 640, 3), 245, np.uint8)
    cv2.rectangle(img, (0, 0), (640, 32), (60, 60, 70), -1)
    cv2.rectangle(img, (0, 32), (140, 400), (225, 228, 235), -1)
    for i in range(8):
        cv2.putText(img, f"item {i}", (12, 62 + 36 * i), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (40, 40, 40), 1)
        cv2.putText(
            img, "lorem ipsum dolor sit amet", (160, 70 + 36 * i), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (20, 20, 20), 1
        )
    cv2.rectangle(img, (480, 350), (600, 385), (50, 120, 220), -1)
    return img


def _tiled(name: str) -> np.ndarray:
    t = _texture(name)[:200, :200]
    return np.ascontiguousarray(np.tile(t, (2, 3, 1)))


def made_cases() -> list[Case]:
    ihc = data.immunohistochemistry()
    return [
        Case("board describe", _board(1), "describe the picture", made_judge()),
        Case("brick describe", _texture("brick"), "what is in this picture?", made_judge()),
        Case("rings describe", _rings(), "describe this image", made_judge()),
        Case("board 2 what", _board(7), "what is in this picture?", made_judge()),
        Case("ihc describe", ihc, "describe the picture", made_judge()),
        Case("gravel tiled describe", _tiled("gravel"), "describe the picture", made_judge()),
        Case("screen describe", _screen(), "what do you see?", made_judge()),
        Case("grass describe", _texture("grass"), "describe this image", made_judge()),
    ]


def _recolour(img: np.ndarray, mask: np.ndarray, rgb: tuple[int, int, int]) -> np.ndarray:
    """Paint ``mask`` with ``rgb`` keeping the photo's shading (its luminance relative to the region's mean)."""
    out = img.astype(np.float32).copy()
    lum = out.mean(axis=2)
    shade = lum / max(float(lum[mask].mean()), 1.0)
    out[mask] = np.clip(np.array(rgb, np.float32)[None] * shade[mask][:, None], 0, 255)
    return out.astype(np.uint8)


def _suit() -> tuple[np.ndarray, np.ndarray]:
    """The astronaut photo and her orange suit's mask (saturated orange pixels below her neck ring).
    (The first version took the white pixels below her face -- the helmet and the badges -- and
    recoloured no clothes: corrected before any colour fix.)"""
    img = data.astronaut()
    hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
    m = ((hsv[..., 0] < 22) | (hsv[..., 0] > 172)) & (hsv[..., 1] > 120) & (hsv[..., 2] > 60)
    m[:215] = False
    m[:, 330:] = False
    return img, m


def colour_cases() -> list[Case]:
    img, suit = _suit()
    dark = lambda im: (im.astype(np.float32) * 0.35).astype(np.uint8)  # noqa: E731
    navy, maroon, teal, beige = (28, 36, 92), (118, 26, 38), (20, 120, 125), (215, 198, 160)
    q = "what colour is the astronaut's suit?"
    return [
        Case(
            "suit navy", _recolour(img, suit, navy), q, colour_judge({"navy", "blue", "dark blue"}, {"purple", "black"})
        ),
        Case(
            "suit maroon",
            _recolour(img, suit, maroon),
            q,
            colour_judge({"maroon", "red", "dark red"}, {"brown", "purple"}),
        ),
        Case("suit teal", _recolour(img, suit, teal), q, colour_judge({"teal", "green", "blue", "dark cyan"}, set())),
        Case(
            "suit navy dim",
            dark(_recolour(img, suit, navy)),
            q,
            colour_judge({"navy", "blue", "dark blue"}, {"black", "purple"}),
        ),
        Case(
            "suit beige",
            _recolour(img, suit, beige),
            q,
            colour_judge({"beige", "cream", "tan"}, {"white", "brown", "yellow"}),
        ),
        # truth corrected with the mask: the suit is orange, dimmed (first labelled white)
        Case("suit orange dim", dark(img), q, colour_judge({"orange", "rust", "dark orange"}, {"brown", "red"})),
        Case(
            "suit maroon dim",
            dark(_recolour(img, suit, maroon)),
            q,
            colour_judge({"maroon", "red", "dark red"}, {"brown", "purple", "black"}),
        ),
        Case(
            "suit navy warm light",
            _warm(_recolour(img, suit, navy)),
            q,
            colour_judge({"navy", "blue", "dark blue"}, {"purple", "black"}),
        ),
    ]


def _warm(img: np.ndarray) -> np.ndarray:
    """The picture under warm (tungsten-like) light."""
    return np.clip(img.astype(np.float32) * np.array([1.15, 0.95, 0.7]), 0, 255).astype(np.uint8)


def _marble() -> np.ndarray:
    """A marble-like texture drawn: smooth noise bands in greys and a warm tint."""
    rng = np.random.default_rng(11)
    n = cv2.resize(rng.random((24, 32)).astype(np.float32), (640, 480), interpolation=cv2.INTER_CUBIC)
    y, x = np.mgrid[0:480, 0:640]
    v = 0.5 + 0.5 * np.sin(x / 40.0 + 6 * n)
    img = np.stack([200 + 40 * v, 190 + 40 * v, 175 + 45 * v], -1) * (0.85 + 0.15 * n[..., None])
    return np.clip(img + rng.normal(0, 4, img.shape), 0, 255).astype(np.uint8)


def _fabric() -> np.ndarray:
    """A woven fabric drawn: warp and weft in two blues, with grain."""
    rng = np.random.default_rng(5)
    img = np.zeros((400, 400, 3), np.uint8)
    for y in range(0, 400, 10):
        for x in range(0, 400, 10):
            c = (40, 60, 120) if (x // 10 + y // 10) % 2 else (70, 90, 160)
            cv2.rectangle(img, (x, y), (x + 9, y + 9), c, -1)
    return np.clip(img + rng.normal(0, 6, img.shape), 0, 255).astype(np.uint8)


def _on_canvas(img: np.ndarray, scale: float) -> np.ndarray:
    small = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    out = np.full((img.shape[0], img.shape[1], 3), 128, np.uint8)
    out[40 : 40 + small.shape[0], 60 : 60 + small.shape[1]] = small
    return out


def fresh_cases() -> list[Case]:
    """Written after the fixes, never tuned on: one more of each class."""
    moto, right, cat, astro, cup = (
        _motorcycle(),
        data.stereo_motorcycle()[1],
        data.chelsea(),
        data.astronaut(),
        data.coffee(),
    )
    img, suit = _suit()
    q = "what colour is the astronaut's suit?"
    return [
        Case("c: coffee|cat", _side(cup, cat), "how many cats and cups?", kinds_judge({"cat": 1, "cup": 1})),
        Case(
            "c: astro 3 kinds",
            astro,
            "count the people, the cats and the dogs",
            kinds_judge({"(?:people|person)": 1, "cat": 0, "dog": 0}),
        ),
        Case(
            "c: moto|moto|astro",
            _side(moto, right[:, ::-1], astro),
            "how many motorcycles and people?",
            kinds_judge({"motor": 2, "(?:people|person)": 1}),
        ),
        Case(
            "c: cat|cat",
            _side(cat, cat[:, ::-1]),
            "how many cats and dogs are there",
            kinds_judge({"cat": 2, "dog": 0}),
        ),
        Case(
            "p: right view rear",
            np.ascontiguousarray(right[:, :400]),
            "how many wheels does the motorbike have?",
            parts_judge(1, 2, "wheel"),
        ),
        Case(
            "p: right view front",
            np.ascontiguousarray(right[:, 350:]),
            "how many wheels does the motorcycle have?",
            parts_judge(1, 2, "wheel"),
        ),
        Case(
            "p: small on canvas",
            _on_canvas(moto, 0.5),
            "how many wheels has the motorbike got?",
            parts_judge(2, 2, "wheel"),
        ),
        Case("p: person legs", astro, "how many legs does the person have?", parts_judge(0, 2, "leg")),
        Case("p: cat paws", cat, "how many paws does the cat have?", parts_judge(0, 4, "paw")),
        Case("m: fabric", _fabric(), "describe the picture", made_judge()),
        Case("m: marble", _marble(), "what is in this picture?", made_judge()),
        Case(
            "m: microaneurysms",
            np.ascontiguousarray(cv2.resize(_texture("microaneurysms"), (408, 408))),
            "describe the picture",
            made_judge(),
        ),
        Case(
            "m: brick crop",
            np.ascontiguousarray(cv2.resize(_texture("brick")[100:356, 50:306], (512, 512))),
            "what do you see?",
            made_judge(),
        ),
        Case("m: hubble", data.hubble_deep_field(), "describe this image", made_judge()),
        Case("k: olive", _recolour(img, suit, (110, 120, 35)), q, colour_judge({"olive", "green"}, {"brown", "khaki"})),
        Case(
            "k: burgundy",
            _recolour(img, suit, (128, 0, 32)),
            q,
            colour_judge({"maroon", "burgundy", "red", "crimson"}, {"brown", "purple"}),
        ),
        Case(
            "k: cream",
            _recolour(img, suit, (240, 232, 205)),
            q,
            colour_judge({"cream", "beige", "white", "ivory"}, {"grey"}),
        ),
        Case(
            "k: charcoal", _recolour(img, suit, (54, 60, 66)), q, colour_judge({"charcoal", "grey", "black"}, {"blue"})
        ),
        Case(
            "k: sky blue",
            _recolour(img, suit, (135, 200, 235)),
            q,
            colour_judge({"sky blue", "blue", "cyan", "turquoise"}, {"grey", "white"}),
        ),
        Case(
            "k: khaki warm",
            _warm(_recolour(img, suit, (195, 176, 145))),
            q,
            colour_judge({"khaki", "tan", "beige"}, {"brown", "orange", "yellow"}),
        ),
    ]


GROUPS = {
    "counts": count_cases,
    "parts": parts_cases,
    "made": made_cases,
    "colours": colour_cases,
    "fresh": fresh_cases,
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", choices=["tune", "heldout", "both"], default="both")
    ap.add_argument("--group", choices=list(GROUPS), action="append")
    ap.add_argument("--show", action="store_true", help="print each answer")
    args = ap.parse_args()
    from vitron_agent import Agent

    agent = Agent()
    for group in args.group or list(GROUPS):
        tally = {"tune": Counter(), "heldout": Counter()}
        for i, case in enumerate(GROUPS[group]()):
            half = "tune" if i % 2 == 0 else "heldout"
            if args.half != "both" and half != args.half:
                continue
            answer = agent.run(case.request, image=case.image).answer or ""
            verdict = case.judge(answer)
            tally[half][verdict] += 1
            if args.show:
                print(f"[{group}/{half}] {case.name}: {verdict}\n  Q: {case.request}\n  A: {answer}")
        for half, t in tally.items():
            if sum(t.values()):
                print(f"{group:8s} {half:8s} exact {t['exact']} / honest {t['honest']} / wrong {t['wrong']}")


if __name__ == "__main__":
    main()
