"""Parts of a clip chosen by what is in them, and time ranges that make no sense: requests run whole.

Clips from scikit-image's photos (:mod:`vitron_agent.testing.part_clips`: cuts between photos, pans,
zooms, a thing pasted in for some seconds, a small thing on a large frame), each with what is on screen
on every frame. Each request is run through ``Agent.run`` and scored:

* **right**: the clip kept / removed / made a GIF of / skipped to is the truth's length (within 0.35 s),
  a still shows the thing (the detector sees it on the still at full size), a thing that is not there is
  said not found with nothing made, a time range that makes no sense is refused naming the problem;
* **honest**: not done, and the answer says why (a question back, a refusal, "unsure");
* **wrong**: done and said done, but not what was asked (the worst outcome).

The cases were written before the fixes they measure; the odd-numbered ones are the held-out half (never
tuned on). Run: ``python benchmarks/video_parts.py [--show]`` (``--show`` prints each case's answer).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

TOL = 0.35

# (clip, request, expectation): ("keep"|"remove"|"gif"|"skip"|"still", label) or ("none", label) or ("error", words)
CASES = [
    ("shots", "get rid of the part with the motorbike", ("remove", "motorcycle")),
    ("pasted", "delete the part where the cat is", ("remove", "cat")),
    ("shots", "make a gif of the motorbike part", ("gif", "motorcycle")),
    ("people", "turn the bit with the coffee cup into a gif", ("gif", "cup")),
    ("people", "keep only the parts with people", ("keep", "person")),
    ("shots", "only keep the scenes where the cat appears", ("keep", "cat")),
    ("pasted", "skip to when the cat shows up", ("skip", "cat")),
    ("people", "jump to when the person shows up", ("skip", "person")),
    ("pasted", "a still of the moment the cat is visible", ("still", "cat")),
    ("shots", "grab a frame of when the motorcycle is on screen", ("still", "motorcycle")),
    ("shots", "cut the bit where the dog appears", ("none", "dog")),
    ("people", "cut out the part with the horse", ("none", "horse")),
    ("shots", "trim from 5 s to 2 s", ("error", r"before|after|revers|order|swap")),
    ("pasted", "cut from 0:04 to 0:01", ("error", r"before|after|revers|order|swap")),
    ("small", "keep the part where the motorcycle is visible", ("keep", "motorcycle")),
    ("small_horse", "keep just the bit where the horse is", ("keep", "horse")),
    ("people", "remove the scenes with the cup", ("remove", "cup")),
    ("shots", "lose the section with the cat in it", ("remove", "cat")),
    ("shots", "trim from 8 s to 12 s", ("error", r"past|end|long|only")),
    ("pasted", "trim from 7 s to 9 s", ("error", r"past|end|long|only")),
]

# written after the fixes, never tuned on: the same classes in words and a clip not used above (--fresh)
FRESH = [
    ("farm", "remove every scene that has the horse in it", ("remove", "horse")),
    ("farm", "can you make a gif out of the horse bit", ("gif", "horse")),
    ("farm", "fast forward to where the horse appears", ("skip", "horse")),
    ("farm", "screenshot of the horse", ("still", "horse")),
    ("farm", "drop the parts showing the cup", ("remove", "cup")),
    ("farm", "keep only the bits where someone is on screen", ("keep", "person")),
    ("people", "trim 0:05 - 0:03", ("error", r"before|after|revers|order|swap|backwards")),
    ("farm", "cut out the zebra part", ("none", "zebra")),
]


def _outputs(res, kind: str) -> list:
    return [o["value"] for s in res.steps for o in s.outputs.values() if o["kind"] == kind]


def _expected(clip, what: str, label: str) -> float:
    seen = clip.seconds_with(label)
    if what in ("keep", "gif"):
        return seen
    if what == "remove":
        return clip.duration - seen
    return clip.duration - (clip.first(label) or 0.0)


def score(agent, clip, path: Path, text: str, expect: tuple[str, str]) -> tuple[str, str]:
    """("right" | "honest" | "wrong", why and the answer) for one request."""
    outcome, why, answer = _score(agent, clip, path, text, expect)
    return outcome, f"{why} | {answer[:300]}"


def _score(agent, clip, path: Path, text: str, expect: tuple[str, str]) -> tuple[str, str, str]:
    from vitron_agent.core.refs import ImageRef, VideoRef

    try:
        res = agent.run(text, video=str(path))
    except Exception as e:  # a crash is wrong, and said
        return "wrong", f"crash {type(e).__name__}", str(e)
    what, arg = expect
    videos, images = _outputs(res, "video"), _outputs(res, "image")
    if what in ("none", "error"):
        if res.ok:
            return "wrong", "done", res.answer
        if what == "none":
            said = re.search(r"\b(?:not|no|none|never)\b", res.answer, re.I) and arg in res.answer.lower()
        else:
            said = re.search(arg, res.answer, re.I)
        return ("right" if said else "honest"), "refused", res.answer
    if not res.ok or not (videos or images):
        return "honest", "not done", res.answer
    if what == "still":
        if not images:
            return "wrong", "no still", res.answer
        from vitron_agent.perception.detector import detect_objects

        still = agent.load(ImageRef.model_validate(images[-1]))
        labels = {d.label for d in detect_objects(still)}
        return ("right" if arg in labels else "wrong"), f"still shows {sorted(labels)}", res.answer
    if not videos:
        return "wrong", "no clip", res.answer
    out = VideoRef.model_validate(videos[-1])
    want = _expected(clip, what, arg)
    ok = abs(out.duration - want) <= TOL
    if what == "gif" and not any(s.tool == "export_gif" for s in res.steps):
        ok = False
    return ("right" if ok else "wrong"), f"{out.duration:.2f} s, want {want:.2f} s", res.answer


def main() -> int:
    from vitron_agent import Agent
    from vitron_agent.testing.part_clips import clip as make_clip

    ap = argparse.ArgumentParser()
    ap.add_argument("--show", action="store_true", help="print each case's outcome and answer")
    ap.add_argument("--half", choices=("tune", "heldout", "both"), default="both")
    ap.add_argument("--fresh", action="store_true", help="run the cases written after the fixes instead")
    args = ap.parse_args()
    tally = {"tune": {"right": 0, "honest": 0, "wrong": 0}, "heldout": {"right": 0, "honest": 0, "wrong": 0}}
    with tempfile.TemporaryDirectory() as root, Agent(data_dir=Path(root) / "data") as agent:
        clips = {}
        for k, (name, text, expect) in enumerate(FRESH if args.fresh else CASES):
            half = "heldout" if k % 2 or args.fresh else "tune"
            if args.half not in ("both", half):
                continue
            if name not in clips:
                c = make_clip(name)
                clips[name] = (c, c.save(Path(root) / f"{name}.mp4"))
            c, path = clips[name]
            outcome, why = score(agent, c, path, text, expect)
            tally[half][outcome] += 1
            if args.show and (half == "tune" or args.fresh):
                res_line = f"[{half}] {outcome:6} {text!r} ({name}): {why}"
                print(res_line, file=sys.stderr)
    print("| half | right | honest | wrong |\n|---|---|---|---|")
    for half, t in tally.items():
        print(f"| {half} | {t['right']} | {t['honest']} | {t['wrong']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
