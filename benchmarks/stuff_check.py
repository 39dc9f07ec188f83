"""Stuff masks -- the sky, water, grass, trees / leaves, the ground / floor / road / sand -- against
hand-made references: mean IoU per kind and per half (tune / held-out), the heuristic at a git revision
beside the working tree's, and whether absent stuff is refused or said unsure.

    python benchmarks/stuff_check.py                  # before = BEFORE (the revision before session s11)
    python benchmarks/stuff_check.py --before <rev>   # compare with another revision
    python benchmarks/stuff_check.py --cases          # one line per case as well

The set (benchmarks/stuff/): 13 masks traced by hand on 8 real photos (the recognition evaluation's
tuning-half photos, ``vitron-agent eval fetch``, and scikit-image's; :mod:`photos`) and 60 masks of 26 composed
scenes (the last 6 added after session s11's fixes; skies of six kinds, hills, tree lines, lakes with reflections, sand, snow, roads, rooms;
:mod:`composed`). The halves were fixed before any tuning: a case is held out when the CRC-32 of its id
is odd. Absent stuff ("the sky" in a room): right when refused (a mask under 0.2 % of the picture, which
the segment tool refuses) or said unsure ("unsure", or "cannot recognise ... so it took", which the
turn warns of and holds destructive edits on); "weak" when the method says "how sure: low" (the
warning quotes it; the edit runs); wrong when a mask is said fair or high.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import subprocess
import sys
import tempfile
import zlib
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks" / "stuff"))
sys.path.insert(0, str(ROOT / "benchmarks"))
BEFORE = "ae1bbf7"
# (picture: a composed scene or a photo, kind, phrase): none of that stuff is in the picture
ABSENT = [
    ("room_beige_wood", "sky", "the sky"), ("room_blue_carpet", "sky", "the sky"),
    ("room_white_tile", "sky", "the sky"), ("room_green_wood", "sky", "the sky"),
    ("room_grey_carpet", "sky", "the sky"), ("room_blue_carpet", "water", "the water"),
    ("room_green_wood", "grass", "the grass"), ("chelsea", "sky", "the sky"), ("coffee", "sky", "the sky"),
    ("motorcycle", "sky", "the sky"), ("meadow", "water", "the water"), ("chelsea", "grass", "the grass"),
    ("sunset", "water", "the water"), ("coffee", "trees", "the trees"), ("eiffel", "grass", "the grass"),
    ("street_clear", "grass", "the grass"), ("street_overcast", "trees", "the trees"),
    ("haze_sand", "water", "the water"), ("overcast_snow", "grass", "the grass"), ("eiffel", "water", "the water"),
]  # fmt: skip


def held_out(case_id: str) -> bool:
    return zlib.crc32(case_id.encode()) % 2 == 1


def all_cases() -> list[tuple[str, str, str, np.ndarray, np.ndarray]]:
    from composed import composed_cases
    from photos import photo_cases

    return photo_cases() + composed_cases()


def picture(name: str) -> np.ndarray:
    from composed import SCENES
    from photos import load

    scenes = dict(SCENES)
    return scenes[name]()[0] if name in scenes else load(name)


def old_stuff(rev: str):
    """The stuff module as it was at ``rev`` (its own file; the rest of the package is today's)."""
    src = subprocess.run(
        ["git", "show", f"{rev}:vitron_agent/perception/stuff.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    path = Path(tempfile.mkdtemp()) / "stuff_before.py"
    path.write_text(src)
    spec = importlib.util.spec_from_file_location("stuff_before", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run(mod, img: np.ndarray, phrase: str) -> tuple[np.ndarray, str]:
    kind = mod.stuff_kind(phrase) or {"the snow": "ground"}.get(phrase)  # before: 'snow' was no stuff word
    if kind is None:
        return np.zeros(img.shape[:2], bool), "no stuff kind"
    return mod.stuff_mask(img, kind, None, phrase)


def unsure(method: str) -> bool:
    """The method says it guessed: "unsure", or what the turn warns of (graphs/policy.ASSUMED ...)."""
    return any(w in method for w in ("unsure", "cannot recognise", "cannot tell"))


def level(method: str) -> str:
    m = re.search(r"how sure: (\w+)", method)
    return m.group(1) if m else "empty"


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / max(1, (a | b).sum()))


def mask_table(before, after, per_case: bool) -> None:
    scores: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    guessed = defaultdict(int)
    levels: dict[tuple[str, str], list[float]] = defaultdict(list)
    for cid, kind, phrase, img, ref in all_cases():
        b = iou(run(before, img, phrase)[0], ref)
        mask, method = run(after, img, phrase)
        a = iou(mask, ref)
        half = "held-out" if held_out(cid) else "tune"
        scores[(kind, half)].append((b, a))
        guessed[(kind, half)] += unsure(method)
        levels[(level(method), half)].append(a)
        if per_case:
            print(f"  {half:8s} {cid:34s} {phrase:12s} {b:6.3f} {a:6.3f} {'unsure' if unsure(method) else ''}")
    print(f"{'kind':8s} {'half':9s} {'n':>3s} {'before':>7s} {'after':>7s} {'unsure':>7s}")
    for half in ("tune", "held-out"):
        rows = []
        for kind in ("sky", "water", "grass", "trees", "ground"):
            got = scores.get((kind, half), [])
            if got:
                b, a = np.mean(got, 0)
                rows += got
                print(f"{kind:8s} {half:9s} {len(got):3d} {b:7.3f} {a:7.3f} {guessed[(kind, half)]:7d}")
        b, a = np.mean(rows, 0)
        print(f"{'all':8s} {half:9s} {len(rows):3d} {b:7.3f} {a:7.3f}")
    print("\nIoU (after) by the level the method says ('how sure: ...')")
    for lev in ("high", "fair", "low", "empty"):
        cells = [f"{h} n={len(v)} IoU {np.mean(v):.3f}" for h in ("tune", "held-out") if (v := levels.get((lev, h)))]
        if cells:
            print(f"  {lev:5s} " + ";  ".join(cells))


def absent_table(before, after) -> None:
    print("\nAbsent stuff: refused (mask < 0.2 %) or said unsure is right; a mask said fair or high is wrong")
    counts = {"before": defaultdict(int), "after": defaultdict(int)}
    for name, _kind, phrase in ABSENT:
        img = picture(name)
        row = []
        for label, mod in (("before", before), ("after", after)):
            mask, method = run(mod, img, phrase)
            verdict = (
                "refused"
                if mask.mean() < 0.002
                else "unsure"
                if unsure(method)
                else "weak"
                if level(method) == "low"
                else "WRONG"
            )
            counts[label][verdict] += 1
            row.append(f"{verdict} {100 * mask.mean():5.1f}%")
        print(f"  {name + ': ' + phrase:34s} {row[0]:>16s} {row[1]:>16s}")
    for label, c in counts.items():
        print(
            f"  {label}: {c['refused']} refused, {c['unsure']} unsure, {c['weak']} said 'how sure: low', "
            f"{c['WRONG']} wrong (a mask said fair or high) of {len(ABSENT)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help="git revision of the stuff module to compare with")
    parser.add_argument("--cases", action="store_true", help="one line per case as well")
    args = parser.parse_args()
    from vitron_agent.perception import stuff as after

    before = old_stuff(args.before)
    print(f"Stuff masks: mean IoU against hand-made references (before = {args.before}, after = the working tree)")
    mask_table(before, after, args.cases)
    absent_table(before, after)


if __name__ == "__main__":
    main()
