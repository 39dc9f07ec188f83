"""Fresh cases for session s12 (written before the fixes): "is there an X?" answered "no" for things
plainly there, part counts that cannot count, background materials as edit targets.

Pictures: the recognition evaluation's tuning-half photos (``vitron-agent eval fetch-photos``) and
scikit-image's, some cropped so the thing fills most of the picture, and scikit-image's textures
(brick, gravel, grass) composed behind a photo's object. Never a photo of the recognition held-out
half. Cases alternate between a tuning and a held-out half (even index: tune, odd: held-out).

    .venv/bin/python benchmarks/seen_s12.py [--part there|parts|stuff|all] [--half tune|heldout|both] [--show]

there: a present thing answered "Yes"/"Probably" is right, "Perhaps"/"not sure" honest, a flat "no" wrong
(no-that-should-be-yes); an absent thing answered "no" is right, hedged honest, "Yes" wrong
(yes-that-should-be-no).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SIDE = 640


@dataclass
class Case:
    name: str
    picture: str  # a photo's id, "id[y1:y2,x1:x2]" (fractions) for a crop, or a composed scene's name
    request: str
    truth: object  # there: True/False; parts: int | None; stuff: a mask builder's name


def _photo(name: str) -> np.ndarray:
    import cv2
    from skimage import data

    from vitron_agent.evaluation.photos import photo_cache

    local = {"chelsea": data.chelsea, "coffee": data.coffee, "astronaut": data.astronaut, "rocket": data.rocket}
    if name == "camera":
        img = np.stack([data.camera()] * 3, -1)
    elif name == "motorcycle":
        img = data.stereo_motorcycle()[0]
    elif name in local:
        img = local[name]()
    else:
        path = photo_cache() / f"{name}.png"
        if not path.is_file():
            sys.exit(f"{path} missing: run `vitron-agent eval fetch-photos` first")
        img = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
    s = SIDE / max(img.shape[:2])
    if s < 1:
        img = cv2.resize(img, (round(img.shape[1] * s), round(img.shape[0] * s)), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(img)


def picture(spec: str) -> np.ndarray:
    """A photo, a crop of one ("fig_bowl[0.1:0.9,0:0.8]", fractions of height and width), or a scene."""
    if m := re.fullmatch(r"(\w+)\[([\d.]+):([\d.]+),([\d.]+):([\d.]+)\]", spec):
        img = _photo(m.group(1))
        h, w = img.shape[:2]
        y1, y2, x1, x2 = (float(m.group(i)) for i in range(2, 6))
        return np.ascontiguousarray(img[int(y1 * h) : int(y2 * h), int(x1 * w) : int(x2 * w)])
    if spec in SCENES:
        return SCENES[spec]()[0]
    return _photo(spec)


THERE = [
    # (picture, question, there?)
    ("fig_bowl", "is there a bowl?", True),
    ("fig_bowl", "is there a fig?", True),
    ("brushes", "are there any brushes?", True),
    ("brushes", "is there a paintbrush in the picture?", True),
    ("cups", "are there cups?", True),
    ("cups", "is there a cup?", True),
    ("toy_bird", "is there a bird?", True),
    ("toy_bird", "is there a lamp?", True),
    ("dogs_door", "is there a dog?", True),
    ("nuthatch", "is there a bird?", True),
    ("grace_hopper", "is there a flag?", True),
    ("grace_hopper", "is there a tie?", True),
    ("raccoon", "is there a raccoon?", True),
    ("raccoon", "is there an animal?", True),
    ("lions", "is there a lion?", True),
    ("cheetah_running", "is there a cheetah?", True),
    ("rocket", "is there a rocket?", True),
    ("clock", "is there a clock?", True),
    ("coffee", "is there a cup?", True),
    ("coffee", "is there a saucer?", True),
    ("camera", "is there a camera?", True),
    ("camera", "is there a tripod?", True),
    ("fig_bowl[0:1,0:0.75]", "is there a bowl?", True),
    ("coffee[0.05:0.95,0.05:0.8]", "is there a plate?", True),
    ("flower", "is there a flower?", True),
    ("chelsea", "is there a cat?", True),
    ("astronaut", "is there a flag?", True),
    ("cups[0:0.6,0:0.6]", "is there a cup?", True),
    # absent
    ("chelsea", "is there a dog?", False),
    ("fig_bowl", "is there a car?", False),
    ("cups", "is there a keyboard?", False),
    ("raccoon", "is there a laptop?", False),
    ("china", "is there a printer?", False),
    ("motorcycle", "is there a bowl?", False),
    ("lions", "is there a horse?", False),
    ("eiffel", "is there a boat?", False),
    ("flower", "is there a bird?", False),
    ("brushes", "is there a cat?", False),
    ("coffee", "is there a keyboard?", False),
    ("nuthatch", "is there a bowl?", False),
    ("toy_bird", "is there a laptop?", False),
    ("grace_hopper", "is there a dog?", False),
]


def there_verdict(answer: str, truth: bool) -> str:
    a = answer.strip()
    yes = re.match(r"(?:yes|probably)\b", a, re.I) is not None
    hedged = re.match(r"(?:perhaps|possibly|maybe|i'm not sure|i am not sure|not sure)\b", a, re.I) is not None
    # "I cannot recognise 'a flag': none of my models has a name for it" refuses with the reason: no "no"
    hedged = hedged or re.match(r"i (?:cannot|can't) recognise", a, re.I) is not None
    no = re.match(r"(?:no\b|i see no|i don't see)", a, re.I) is not None
    if truth:
        return "right" if yes else "honest" if hedged else "wrong" if no else "honest"
    return "right" if no else "honest" if hedged else "wrong" if yes else "honest"


def run_there(cases: list[tuple[int, tuple]], show: bool) -> dict[str, Counter]:
    import tempfile

    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.toolkit.tool import ToolContext
    from vitron_agent.tools.describe_embedded import EmbeddedDescribeTool

    ctx = ToolContext(store=ArtifactStore(Path(tempfile.mkdtemp(prefix="seen_s12_"))))
    tool = EmbeddedDescribeTool()
    out: dict[str, Counter] = {}
    for i, (pic, question, truth) in cases:
        img = picture(pic)
        answer = tool(ctx, image=ctx.store.put_image(img), question=question).text
        v = there_verdict(answer, truth)
        key = ("present " if truth else "absent ") + ("tune" if i % 2 == 0 else "heldout")
        out.setdefault(key, Counter())[v] += 1
        if show:
            print(f"[{i:2d} {key:15s} {v:6s}] {pic} | {question} -> {answer}")
    return out


SCENES: dict = {}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", default="all", choices=["there", "parts", "stuff", "all"])
    ap.add_argument("--half", default="both", choices=["tune", "heldout", "both"])
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()

    def pick(items: list) -> list[tuple[int, tuple]]:
        return [(i, c) for i, c in enumerate(items) if args.half == "both" or (i % 2 == 0) == (args.half == "tune")]

    if args.part in ("there", "all"):
        for key, c in sorted(run_there(pick(THERE), args.show).items()):
            print(f"there {key:16s} right {c['right']:2d}  honest {c['honest']:2d}  wrong {c['wrong']:2d}")


if __name__ == "__main__":
    main()
