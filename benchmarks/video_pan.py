"""Camera pans: counts that add up, and tracks that cover the whole thing while it enters the frame.

Clips (:mod:`vitron_agent.testing.pan_clips`): a window sliding over scikit-image's photos at 10 fps, alone or
two side by side, so the number of things and where each lies on every frame are known. Even clips tune,
odd ones are held out; written before the fix. For every clip, through ``Agent.run``:

* **count**: "how many <word> are in the video?": right when the number said first is the truth; a wrong
  count said "sure" is the worst (**wrong-sure**);
* **cover** (clips of one thing): "track the <thing> and make it blue": the share of the thing's pixels
  the track covers on each frame where the thing fills at least 5 % of it (the thing's pixels: the
  segmenter's mask of it on the whole photo, as the still-image tools see it, cut at the window), the
  mean and the worst frame; and **precision**, the share of the track inside that mask.

Run: ``python benchmarks/video_pan.py [--show]``.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

import numpy as np

SINGULAR = {"motorbikes": "motorbike", "people": "person", "cats": "cat", "cups": "cup"}


def scene_mask(clip) -> np.ndarray:
    """The thing(s) on the whole photo: the detector's boxes of the class, each made a mask by the segmenter."""
    from vitron_agent.perception.detector import detect_objects, label_score, named
    from vitron_agent.perception.resolving import mask_of

    name = named(clip.word)
    found = [d for d in detect_objects(clip.scene) if max(label_score(d, lab) for lab in name.labels) >= 0.4]
    found = sorted(found, key=lambda d: -d.score)[: clip.count]
    return mask_of(clip.scene, found)


def counted(answer: str) -> int | None:
    m = re.search(r"I counted (\d+)|I saw \S+ come into view (\d+)|I saw no ", answer)
    if m is None:
        return None
    return 0 if m.group(0).startswith("I saw no") else int(m.group(1) or m.group(2))


def cover(clip, track: list[np.ndarray]) -> dict[str, float]:
    truth = clip.cut(scene_mask(clip))
    covers, precs = [], []
    for t, m in zip(truth, track, strict=True):
        if t.sum() < 0.05 * t.size:
            continue
        covers.append(float((t & m).sum() / t.sum()))
        precs.append(float((t & m).sum() / max(1, m.sum())))
    return {"cover": float(np.mean(covers)), "worst": float(np.min(covers)), "precision": float(np.mean(precs))}


def run_clip(agent, clip, path: Path, show: bool, track: bool = True) -> dict[str, float]:
    from vitron_agent.core.refs import MaskTrackRef

    res = agent.run(f"how many {clip.word} are in the video?", video=str(path))
    n = counted(res.answer)
    sure = "(sure:" in res.answer
    row = {"right": float(n == clip.count), "wrong_sure": float(n != clip.count and sure)}
    if show:
        print(f"{clip.name}: truth {clip.count}, said: {res.answer[:300]}", file=sys.stderr)
    if clip.count == 1 and track:
        res = agent.run(f"track the {SINGULAR[clip.word]} and make it blue", video=str(path))
        tracks = [o["value"] for s in res.steps for o in s.outputs.values() if o["kind"] == "track"]
        if tracks:
            track = [np.asarray(m, bool) for m in agent.load(MaskTrackRef.model_validate(tracks[-1]))]
            row.update(cover(clip, track))
            if show:
                print(f"  track: {', '.join(f'{k} {v:.2f}' for k, v in row.items())}", file=sys.stderr)
    return row


def main() -> int:
    from vitron_agent import Agent
    from vitron_agent.testing.pan_clips import PAN_CLIPS, pan_clip

    ap = argparse.ArgumentParser()
    ap.add_argument("--show", action="store_true", help="print each clip's answer")
    ap.add_argument("--half", choices=("tune", "heldout", "both"), default="both")
    ap.add_argument("--counts", action="store_true", help="counts only (no track)")
    args = ap.parse_args()
    rows: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as root, Agent(data_dir=Path(root) / "data") as agent:
        for k, name in enumerate(PAN_CLIPS):
            half = "heldout" if k % 2 else "tune"
            if args.half not in ("both", half):
                continue
            clip = pan_clip(name)
            rows.setdefault(half, []).append(
                run_clip(agent, clip, clip.save(Path(root) / f"{name}.mp4"), args.show, not args.counts)
            )
    print("| half | counts right | wrong and 'sure' | track cover (mean) | worst frame | precision |")
    print("|---|---|---|---|---|---|")
    for half, rs in rows.items():
        tr = [r for r in rs if "cover" in r]
        mean = {k: float(np.mean([r[k] for r in tr])) for k in ("cover", "worst", "precision")} if tr else {}
        print(
            f"| {half} | {int(sum(r['right'] for r in rs))}/{len(rs)} | {int(sum(r['wrong_sure'] for r in rs))} | "
            + " | ".join(f"{mean.get(k, float('nan')):.2f}" for k in ("cover", "worst", "precision"))
            + " |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
