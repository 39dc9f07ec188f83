"""Edits of one part of a clip: which shot, half, third, the part with a thing, or explicit seconds.

Clips from scikit-image's photos (:mod:`vitron_agent.testing.part_clips`, 10 fps: ``shots`` = rocket 0-2 s,
motorcycle 2-4 s, cat 4-6 s; ``people`` = rocket 0-1 s, astronaut 1-3 s, cup 3-4.5 s, cameraman 4.5-6 s;
``farm`` = cup 0-1.5 s, a horse pasted on gravel 1.5-3.5 s, cameraman 3.5-5 s; ``pasted`` = grass with a
cat pasted in from 1.5 to 3.5 s), so the frames each request should change are known. Each request is run
through ``Agent.run`` and the frames it changed are compared with the input's (byte for byte):

* **right**: the changed frames are the part asked (within ``TOL`` frames at each end; a tracked edit's
  changed frames lie inside the part), a speed change of one part keeps the frames before and after it
  as they were and gives the part the asked length;
* **honest**: not done, and said (a question back or a refusal);
* **wrong**: done and said done, but on other frames (the whole clip, most often).

The cases were written before the fix; the odd-numbered ones are the held-out half (never tuned on).
Run: ``python benchmarks/video_scope.py [--show]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

TOL = 3  # frames (0.3 s at 10 fps) at each end of the part: a cut found a frame early or late

# (clip, request, expectation): ("frames", lo, hi) the frames [lo, hi) edited; ("inside", lo, hi) a tracked edit
# whose changed frames lie in [lo, hi) (some changed); ("speed", lo, hi, factor) frames [lo, hi) played at factor
CASES = [
    ("shots", "make the last shot black and white", ("frames", 40, 60)),
    ("people", "make the last shot black and white", ("frames", 45, 60)),
    ("shots", "blur the first half", ("frames", 0, 30)),
    ("people", "darken the second half of the video", ("frames", 30, 60)),
    ("shots", "brighten the part with the cat", ("frames", 40, 60)),
    ("farm", "make the part with the horse black and white", ("frames", 15, 35)),
    ("shots", "slow down the second shot", ("speed", 20, 40, 0.5)),
    ("people", "speed up the second shot", ("speed", 10, 30, 2.0)),
    ("shots", "add a caption 'hello' only during the first 3 seconds", ("frames", 0, 30)),
    ("farm", "write 'hi' at the top during the first 2 seconds", ("frames", 0, 20)),
    ("shots", "make the last 2 seconds black and white", ("frames", 40, 60)),
    ("people", "blur the last 3 seconds", ("frames", 30, 60)),
    ("shots", "make the middle shot grayscale", ("frames", 20, 40)),
    ("people", "brighten the third shot", ("frames", 30, 45)),
    ("shots", "darken the last third", ("frames", 40, 60)),
    ("farm", "blur the first third of the clip", ("frames", 0, 17)),
    ("pasted", "make the part where the cat is black and white", ("frames", 15, 35)),
    ("people", "blur the part with the cup", ("frames", 30, 45)),
    ("shots", "make the first shot black and white", ("frames", 0, 20)),
    ("farm", "make the opening shot grayscale", ("frames", 0, 15)),
    ("shots", "make the cat blue in the last shot", ("inside", 40, 60)),
    ("people", "blur the person in the second shot", ("inside", 10, 30)),
]


def _frames(agent, ref) -> np.ndarray:
    return np.asarray(agent.load(ref).array())


def _changed(a: np.ndarray, b: np.ndarray) -> list[int]:
    return [i for i in range(len(a)) if not np.array_equal(a[i], b[i])]


def _score(agent, path: Path, text: str, expect: tuple) -> tuple[str, str, str]:
    from vitron_agent.core.refs import VideoRef

    try:
        res = agent.run(text, video=str(path))
    except Exception as e:  # a crash is wrong, and said
        return "wrong", f"crash {type(e).__name__}", str(e)
    videos = [o["value"] for s in res.steps for o in s.outputs.values() if o["kind"] == "video"]
    if not res.ok or not videos:
        return "honest", "not done", res.answer
    src = _frames(agent, VideoRef.model_validate(res.inputs["input"]["video"]))
    out = _frames(agent, VideoRef.model_validate(videos[-1]))
    kind, lo, hi = expect[0], expect[1], expect[2]
    if kind == "speed":
        want = lo + int(round((hi - lo) / expect[3])) + (len(src) - hi)
        tail = len(src) - hi - TOL
        ok = abs(len(out) - want) <= TOL and not _changed(src[: lo - TOL], out[: lo - TOL])
        ok = ok and tail > 0 and not _changed(src[-tail:], out[-tail:])
        return ("right" if ok else "wrong"), f"{len(out)} frames, want {want}", res.answer
    if len(out) != len(src):
        return "wrong", f"{len(out)} frames, the input has {len(src)}", res.answer
    changed = _changed(src, out)
    span = f"changed {changed[0]}-{changed[-1]} ({len(changed)})" if changed else "changed none"
    if kind == "inside":
        ok = bool(changed) and changed[0] >= lo - TOL and changed[-1] < hi + TOL
    else:
        ok = bool(changed) and abs(changed[0] - lo) <= TOL and abs(changed[-1] + 1 - hi) <= TOL
        ok = ok and len(changed) >= (changed[-1] + 1 - changed[0]) - TOL
    return ("right" if ok else "wrong"), f"{span}, want {lo}-{hi - 1}", res.answer


def main() -> int:
    from vitron_agent import Agent
    from vitron_agent.testing.part_clips import clip as make_clip

    ap = argparse.ArgumentParser()
    ap.add_argument("--show", action="store_true", help="print each tuning case's outcome and answer")
    ap.add_argument("--half", choices=("tune", "heldout", "both"), default="both")
    args = ap.parse_args()
    tally = {"tune": {"right": 0, "honest": 0, "wrong": 0}, "heldout": {"right": 0, "honest": 0, "wrong": 0}}
    with tempfile.TemporaryDirectory() as root, Agent(data_dir=Path(root) / "data") as agent:
        paths: dict[str, Path] = {}
        for k, (name, text, expect) in enumerate(CASES):
            half = "heldout" if k % 2 else "tune"
            if args.half not in ("both", half):
                continue
            if name not in paths:
                paths[name] = make_clip(name).save(Path(root) / f"{name}.mp4")
            outcome, why, answer = _score(agent, paths[name], text, expect)
            tally[half][outcome] += 1
            if args.show and half == "tune":
                print(f"[{half}] {outcome:6} {text!r} ({name}): {why} | {answer[:240]}", file=sys.stderr)
    print("| half | right | honest | wrong |\n|---|---|---|---|")
    for half, t in tally.items():
        print(f"| {half} | {t['right']} | {t['honest']} | {t['wrong']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
