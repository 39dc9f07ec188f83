"""Fresh cases for session s12: "is there an X?" answered "no" for things plainly there (written before
the fix), part counts that cannot count (written after it), background materials as edit targets
(written before).

Pictures: the recognition evaluation's tuning-half photos (``vitron-agent eval fetch-photos``) and
scikit-image's, some cropped so the thing fills most of the picture, and scikit-image's textures
(brick, gravel, grass) composed behind a photo's object. Never a photo of the recognition held-out
half. Cases alternate between a tuning and a held-out half (even index: tune, odd: held-out).

    .venv/bin/python benchmarks/seen_s12.py [--part there|parts|stuff|all] [--half tune|heldout|both] [--show]

there: a present thing answered "Yes"/"Probably" is right, "Perhaps"/"not sure" honest, a flat "no" wrong
(no-that-should-be-yes); an absent thing answered "no" is right, hedged honest, "Yes" wrong
(yes-that-should-be-no). A refusal "I cannot recognise 'a flag': none of my models has a name for it" is
counted honest (decided before the fix, after the first run).
stuff: "the brick wall", "the rock", "the concrete", "the wooden wall", "the tiles" through the segment
step: IoU >= 0.5 with the surface right, refused or hedged ("unsure", "how sure: low") honest, else
wrong; absent: refused right, a hedged mask honest, a mask said fair or high wrong. Most present cases
are composed (a photo's crop pasted on a real surface), so their truth is exact and easy; two are photos.

Figures, right / honest / wrong (session s12, before -> after):
  there present tune 1/9/4 -> 1/13/0, held-out 4/7/3 -> 4/9/1; absent tune 6/1/0 -> 6/1/0,
        held-out 6/1/0 -> 3/4/0
  parts (16 cases written AFTER the fix, a mechanical one; "before" run on its parent 4677134):
        tune 0/0/8 -> 8/0/0, held-out 2/0/6 -> 8/0/0 (every "wrong" a count=0 where nothing was counted)
  stuff present tune 0/7/0 -> 7/0/0 (mean IoU 0.00 -> 0.94), held-out 0/6/1 -> 7/0/0 (0.00 -> 0.95);
        absent tune 5/1/0 -> 6/0/0, held-out 4/2/0 -> 3/3/0
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


def _texture(name: str, h: int = 420, w: int = 640) -> np.ndarray:
    """An HxWx3 uint8 background of a real surface: scikit-image's brick (tinted brick red), or a crop of
    a photo's surface (rock under the lions, concrete beside the fig bowl, the coffee's wooden table)
    mirrored to fill; tiles are drawn (cream squares, grey grout, a little noise)."""
    from skimage import data

    if name == "brick":
        g = data.brick().astype(np.float32) / 255.0
        tile = np.clip(np.stack([60 + 150 * g, 25 + 80 * g, 18 + 60 * g], -1), 0, 255).astype(np.uint8)
    elif name == "tiles":
        rng = np.random.default_rng(7)
        tile = np.full((h, w, 3), (150, 150, 145), np.uint8)
        for y in range(0, h, 60):
            for x in range(0, w, 60):
                tone = np.array((225, 215, 190)) + rng.integers(-8, 8, 3)
                tile[y + 3 : y + 57, x + 3 : x + 57] = tone
        tile = np.clip(tile + rng.normal(0, 3, tile.shape), 0, 255).astype(np.uint8)
    else:
        spec = {"rock": "lions[0.72:1,0.6:1]", "concrete": "fig_bowl[0:1,0:0.17]", "wood": "coffee[0:0.3,0.72:1]"}
        tile = picture(spec[name])
    while tile.shape[0] < h or tile.shape[1] < w:
        tile = np.concatenate([tile, tile[::-1]], 0) if tile.shape[0] < h else tile
        tile = np.concatenate([tile, tile[:, ::-1]], 1) if tile.shape[1] < w else tile
    return np.ascontiguousarray(tile[:h, :w])


OBJECTS = {
    "cat": "chelsea[0.05:0.95,0.15:0.8]",
    "astronaut": "astronaut[0:0.6,0.2:0.7]",
    "cup": "coffee[0.05:0.95,0.2:0.8]",
    "cheetah": "cheetah_face[0:1,0.1:0.9]",
    "moto": "motorcycle[0.3:1,0.1:1]",
}


def _scene(surface: str, thing: str, where: tuple[float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    """A photo's crop (``thing``) pasted on a surface at (left, top, width) as fractions of the picture;
    the truth is the surface left round it."""
    import cv2

    img = _texture(surface)
    h, w = img.shape[:2]
    obj = picture(OBJECTS[thing])
    x0, y0, ow = int(where[0] * w), int(where[1] * h), int(where[2] * w)
    oh = min(h - y0, int(ow * obj.shape[0] / obj.shape[1]))
    img[y0 : y0 + oh, x0 : x0 + ow] = cv2.resize(obj, (ow, oh), interpolation=cv2.INTER_AREA)[:oh]
    truth = np.ones((h, w), bool)
    truth[y0 : y0 + oh, x0 : x0 + ow] = False
    return img, truth


SCENE_SPECS = {
    "brick_cat": ("brick", "cat", (0.3, 0.2, 0.4)),
    "brick_astronaut": ("brick", "astronaut", (0.1, 0.15, 0.35)),
    "brick_cheetah": ("brick", "cheetah", (0.45, 0.1, 0.45)),
    "concrete_cup": ("concrete", "cup", (0.35, 0.1, 0.35)),
    "concrete_moto": ("concrete", "moto", (0.2, 0.3, 0.55)),
    "concrete_cat": ("concrete", "cat", (0.5, 0.25, 0.35)),
    "wood_cat": ("wood", "cat", (0.25, 0.15, 0.4)),
    "wood_astronaut": ("wood", "astronaut", (0.5, 0.2, 0.35)),
    "wood_moto": ("wood", "moto", (0.1, 0.35, 0.5)),
    "tiles_cat": ("tiles", "cat", (0.3, 0.3, 0.35)),
    "tiles_cup": ("tiles", "cup", (0.1, 0.1, 0.4)),
    "rock_cheetah": ("rock", "cheetah", (0.25, 0.05, 0.45)),
    "rock_cat": ("rock", "cat", (0.4, 0.2, 0.4)),
}
SCENES: dict = {k: (lambda v=v: _scene(*v)) for k, v in SCENE_SPECS.items()}


def _truth(pic: str, rule: str | None) -> np.ndarray | None:
    """The surface's mask: a composed scene's, or a photo's by a rule checked on an overlay."""
    if rule is None:
        return None
    if pic in SCENES:
        return SCENES[pic]()[1]
    img = picture(pic)
    h, w = img.shape[:2]
    if rule == "lions_rock":  # the rock under the lions: the lower band left of the lioness's body, below the paws
        import cv2

        poly = np.array([(0, 0.78), (0.1, 0.66), (0.45, 0.7), (0.62, 0.62), (1, 0.55), (1, 1), (0, 1)]) * (w, h)
        m = np.zeros((h, w), np.uint8)
        cv2.fillPoly(m, [poly.astype(np.int32)], 1)
        return m > 0
    if rule == "grey":  # the concrete round the fig bowl: its colourless pixels (the bowl and fig are red)
        from vitron_agent.perception.colors import rgb_to_lab

        lab = rgb_to_lab(img)
        return np.hypot(lab[..., 1], lab[..., 2]) < 18
    raise ValueError(rule)


MATERIALS = [
    # (picture, the target the edit names, truth rule or None when absent)
    ("brick_cat", "the brick wall", "scene"),
    ("brick_astronaut", "the bricks", "scene"),
    ("concrete_cup", "the concrete", "scene"),
    ("concrete_moto", "the concrete", "scene"),
    ("wood_cat", "the wooden wall", "scene"),
    ("wood_astronaut", "the wood", "scene"),
    ("tiles_cat", "the tiles", "scene"),
    ("tiles_cup", "the tiled wall", "scene"),
    ("rock_cheetah", "the rock", "scene"),
    ("rock_cat", "the rocks", "scene"),
    ("lions", "the rock", "lions_rock"),
    ("fig_bowl", "the concrete", "grey"),
    ("brick_cheetah", "the brick wall", "scene"),
    ("wood_moto", "the wooden boards", "scene"),
    # absent
    ("chelsea", "the brick wall", None),
    ("astronaut", "the tiles", None),
    ("cheetah_running", "the concrete", None),
    ("raccoon", "the brick wall", None),
    ("flower", "the wooden floor", None),
    ("cups", "the rock", None),
    ("coffee", "the tiles", None),
    ("motorcycle", "the brick wall", None),
    ("brick_cat", "the wood", None),
    ("wood_cat", "the bricks", None),
    ("tiles_cup", "the rock", None),
    ("concrete_cat", "the tiles", None),
]
PARTS = [
    # (picture, the count's target, the visible number a method can count, or None: it cannot be counted)
    ("chelsea", "legs does the cat have", None),
    ("motorcycle", "wheels of the motorbike", 2),
    ("chelsea", "ears does the cat have", None),
    ("motorcycle[0:1,0:0.6]", "wheels has the motorbike got", 1),
    ("chelsea", "eyes of the cat", None),
    ("dogs_door", "ears of the dog", None),
    ("lions", "legs of the lion", None),
    ("cheetah_running", "legs of the cheetah", None),
    ("astronaut", "arms does the woman have", None),
    ("camera", "legs does the tripod have", None),
    ("nuthatch", "wings of the bird", None),
    ("toy_bird", "wings does the bird have", None),
    ("raccoon", "ears", None),
    ("coffee", "legs of the table", None),
    ("chelsea", "wheels of the car", None),
    ("grace_hopper", "eyes of the woman", None),
]


def parts_verdict(count: int | None, text: str, truth: int | None) -> str:
    """right: the number a method counted, or no number and the answer says it cannot count; wrong: a
    number (0 above all) where none was counted; honest otherwise."""
    cannot = re.search(r"\b(?:can't|cannot) count\b", text, re.I) is not None
    if truth is None:
        return "right" if count is None and cannot else "wrong" if count is not None else "honest"
    return "right" if count == truth else "wrong" if count == 0 or count is None and not cannot else "honest"


def run_parts(cases: list[tuple[int, tuple]], show: bool) -> dict[str, Counter]:
    import tempfile

    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.toolkit.tool import ToolContext
    from vitron_agent.tools.describe_embedded import EmbeddedCountTool

    ctx = ToolContext(store=ArtifactStore(Path(tempfile.mkdtemp(prefix="seen_s12_"))))
    out: dict[str, Counter] = {}
    for i, (pic, target, truth) in cases:
        got = EmbeddedCountTool()(ctx, image=ctx.store.put_image(picture(pic)), target=target)
        v = parts_verdict(got.count, got.text, truth)
        key = "tune" if i % 2 == 0 else "heldout"
        out.setdefault(key, Counter())[v] += 1
        if show:
            print(f"[{i:2d} {key:8s} {v:6s}] {pic} | {target} -> count={got.count}: {got.text[:160]}")
    return out


HEDGE = re.compile(r"unsure|how sure: low|so it took|cannot recognise", re.I)


def material_verdict(mask: np.ndarray | None, method: str, truth: np.ndarray | None) -> tuple[str, float]:
    """(right | honest | wrong, IoU): present: IoU >= 0.5 right, refused or hedged honest, else wrong;
    absent: refused right, a hedged mask honest, a mask said sure wrong."""
    hedged = HEDGE.search(method) is not None
    if truth is None:
        return ("right" if mask is None else "honest" if hedged else "wrong"), 0.0
    if mask is None:
        return "honest", 0.0
    iou = float((mask & truth).sum() / max(1, (mask | truth).sum()))
    return ("right" if iou >= 0.5 else "honest" if hedged else "wrong"), iou


def run_materials(cases: list[tuple[int, tuple]], show: bool) -> dict[str, Counter]:
    import tempfile

    from vitron_agent.core.errors import ToolFailed
    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.toolkit.tool import ToolContext
    from vitron_agent.tools.segment_embedded import EmbeddedSegmentTool

    ctx = ToolContext(store=ArtifactStore(Path(tempfile.mkdtemp(prefix="seen_s12_"))))
    tool = EmbeddedSegmentTool()
    out: dict[str, Counter] = {}
    for i, (pic, target, rule) in cases:
        img = picture(pic)
        try:
            got = tool(ctx, image=ctx.store.put_image(img), target=target)
            mask, method = ctx.store.get_mask(got.mask), got.method
        except ToolFailed as e:
            mask, method = None, f"refused: {e}"
        v, iou = material_verdict(mask, method, _truth(pic, rule))
        key = ("present " if rule else "absent ") + ("tune" if i % 2 == 0 else "heldout")
        out.setdefault(key, Counter())[v] += 1
        out[key]["iou_sum"] += round(100 * iou)
        if show:
            print(f"[{i:2d} {key:15s} {v:6s} IoU {iou:.2f}] {pic} | {target} -> {method[:220]}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", default="all", choices=["there", "parts", "stuff", "all"])
    ap.add_argument("--half", default="both", choices=["tune", "heldout", "both"])
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()

    def pick(items: list) -> list[tuple[int, tuple]]:
        return [(i, c) for i, c in enumerate(items) if args.half == "both" or (i % 2 == 0) == (args.half == "tune")]

    if args.part in ("parts", "all"):
        for key, c in sorted(run_parts(pick(PARTS), args.show).items()):
            print(f"parts {key:16s} right {c['right']:2d}  honest {c['honest']:2d}  wrong {c['wrong']:2d}")
    if args.part in ("stuff", "all"):
        for key, c in sorted(run_materials(pick(MATERIALS), args.show).items()):
            n = c["right"] + c["honest"] + c["wrong"]
            iou = f"  mean IoU {c['iou_sum'] / 100 / n:.2f}" if key.startswith("present") else ""
            print(f"stuff {key:16s} right {c['right']:2d}  honest {c['honest']:2d}  wrong {c['wrong']:2d}{iou}")
    if args.part in ("there", "all"):
        for key, c in sorted(run_there(pick(THERE), args.show).items()):
            print(f"there {key:16s} right {c['right']:2d}  honest {c['honest']:2d}  wrong {c['wrong']:2d}")


if __name__ == "__main__":
    main()
