"""describe_video, embedded backend (the default): what is seen and when.

One forward decode gives the measured facts (duration, motion, colours: the cv backend's) and
the shots, cut by PySceneDetect's ``ContentDetector`` fed the decoded frames (no second reader);
up to :data:`MAX_SAMPLES` frames are kept (at most 640 px wide) so each shot can be looked at
after the pass. Per shot, on the kept frame nearest its middle: COCO objects (the default
detector), faces (BlazeFace), and text read on screen (PP-OCR, on at most :data:`OCR_SHOTS`
shots, the longest ones). The sound: whether the clip has a sound track and whether it is
silent. Each sentence says what it comes from; nothing is guessed beyond the models.
"""

from __future__ import annotations

import re

import numpy as np

from vitron_agent.media.shots import _Cuts, shot_cuts  # noqa: F401  (video_count, video_shots read them here)
from vitron_agent.toolkit.registry import Backend, register
from vitron_agent.toolkit.tool import ToolContext
from vitron_agent.tools.video_cv import CvDescribeVideoTool, DescribeVideoInput, DescribeVideoOutput
from vitron_agent.tools.video_time import clock

__all__ = ["EmbeddedDescribeVideoTool", "shot_cuts", "sound_line"]

MAX_SAMPLES = 48
MAX_SHOTS = 12  # shots looked at (a detection, faces and maybe text each): a trailer has 10
OCR_SHOTS = 3
UNSURE = 0.5  # a thing the detector scored below this is named with its score
OCR_MIN = 0.8  # a line read less surely than this is not reported (a cat's fur read as "O D" at 0.6)


def _small(frame: np.ndarray, side: int) -> np.ndarray:
    import cv2

    h, w = frame.shape[:2]
    s = side / max(h, w)
    return frame if s >= 1 else cv2.resize(frame, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)


def _pass(store, video, k: int, ctx: ToolContext) -> tuple[list[int], dict[int, np.ndarray], dict]:
    """(shot cuts, kept frames by index, the cv facts: motion, colours and lightness at ``k``
    sampled frames) in one decode."""
    from vitron_agent.perception.colors import name_colors, rgb_to_lab
    from vitron_agent.tools.track import _thumb

    n = video.frames
    keep = set(np.linspace(0, n - 1, min(n, MAX_SAMPLES)).round().astype(int).tolist())
    samples = set(store.get_video(video).sample(k=k))
    cuts, kept, diffs, prev, colors, light = _Cuts(video.fps), {}, [], None, [], []
    for i, frame in enumerate(store.get_video(video).frames()):
        cuts.add(i, _small(frame, 320))
        th = _thumb(frame)
        if prev is not None:
            diffs.append(float(np.abs(th - prev).mean()))
        prev = th
        if i in keep:
            kept[i] = _small(frame, 640)
        if i in samples:
            colors.append(name_colors(frame.reshape(-1, 3), k=3))
            light.append(float(rgb_to_lab(frame.reshape(-1, 3)[::7])[:, 0].mean()))
        if i % 16 == 0:
            ctx.progress(0.05 + 0.6 * i / n, f"read {i}/{n} frames (shots, motion)")
    cut_list = cuts.finish(n)
    facts = {
        "width": video.width,
        "height": video.height,
        "frames": n,
        "fps": video.fps,
        "duration": video.duration,
        "motion": float(np.mean(diffs)) if diffs else 0.0,
        "cuts": len(cut_list),
        "colors": colors,
        "lightness": light,
    }
    return cut_list, kept, facts


def sound_line(store, video) -> str:
    """Whether the clip has sound, from its stored sound track."""
    from vitron_agent.media.audio import get_audio

    audio = get_audio(store, video.audio)
    if audio is None:
        return "It has no sound track."
    level = float(np.sqrt(np.mean(np.square(audio.samples)))) if audio.samples.size else 0.0
    if level < 1e-4:
        return "It has a sound track, but it is silent."
    db = 20 * np.log10(level)
    return (
        f"It has sound ({audio.channels} channel{'s' if audio.channels > 1 else ''}, {audio.rate} Hz, {db:.0f} dBFS)."
    )


def _shot_line(frame: np.ndarray, read: bool) -> tuple[str, int, str]:
    """(what is recognised, faces, text read) on one frame."""
    from vitron_agent.perception.detector import detect_objects
    from vitron_agent.perception.faces import detect_faces
    from vitron_agent.perception.recognise import plural

    found = detect_objects(frame)
    counts: dict[str, int] = {}
    best: dict[str, object] = {}
    for d in found:
        counts[d.label] = counts.get(d.label, 0) + 1
        if d.label not in best or d.score > best[d.label].score:
            best[d.label] = d
    seen = (
        ", ".join(plural(label, k) + _hedge(frame, best[label]) for label, k in list(counts.items())[:5])
        or "nothing I can name"
    )
    faces = len(detect_faces(frame))
    text = ""
    if read:
        from vitron_agent.tools.read_text import read_lines

        lines = [line.text for line in read_lines(frame, min_score=OCR_MIN) if sum(c.isalnum() for c in line.text) >= 3]
        text = " / ".join(lines[:4])
    return seen, faces, text


def _hedge(frame: np.ndarray, d) -> str:
    """ " (unsure: 0.62)" after a shot's name when the detector's best box of it is not sure: under
    :data:`UNSURE`, or under "probably" with no second model confirming it
    (:func:`~vitron_agent.perception.sureness.detector_doubt`); "" when it is sure."""
    from vitron_agent.perception.detector import PROBABLY
    from vitron_agent.perception.sureness import detector_doubt

    if d.score < UNSURE or (d.score < PROBABLY and detector_doubt(frame, d, d.label)):
        return f" (unsure: {d.score:.2f})"
    return ""


class EmbeddedDescribeVideoTool(CvDescribeVideoTool):
    description = (
        "Describe a video: shots (PySceneDetect), what is recognised in each (COCO objects, people, faces), "
        "text read on screen, motion, colours, and whether it has sound; or answer a question about it."
    )
    backend = "embedded"

    def run(self, inp: DescribeVideoInput, ctx: ToolContext) -> DescribeVideoOutput:
        from vitron_agent.tools.video_cv import _video_answer, describe_video_text, track_facts

        v = inp.video
        cuts, kept, facts = _pass(ctx.store, v, inp.frames, ctx)
        if inp.track is not None:
            facts["target"] = track_facts(ctx.store, inp.track, v)
        base = describe_video_text(facts).replace(
            " (cv description: motion, colours and geometry only; no object or action recognition.)", ""
        )
        starts = [0, *cuts]
        shots = [(a, b) for a, b in zip(starts, [*cuts, v.frames], strict=True)]
        longest = sorted(range(len(shots)), key=lambda j: shots[j][0] - shots[j][1])[:OCR_SHOTS]
        lines, texts, people = [], [], 0
        for j, (a, b) in enumerate(shots[:MAX_SHOTS]):
            mid = min(kept, key=lambda i: abs(i - (a + b) // 2))
            ctx.progress(0.7 + 0.25 * j / min(len(shots), MAX_SHOTS), f"looking at shot {j + 1}")
            seen, faces, text = _shot_line(kept[mid], read=j in longest)
            face = f", {faces} face{'s' if faces > 1 else ''}" if faces else ""
            label = f"Shot {j + 1} ({clock(a / v.fps)}-{clock(b / v.fps)})" if len(shots) > 1 else "Throughout"
            lines.append(f"{label}: {seen}{face}" + (f'; text on screen: "{text}"' if text else ""))
            texts += [text] if text else []
            people = max(people, faces)
        more = f" ({len(shots) - MAX_SHOTS} more shots not looked at)" if len(shots) > MAX_SHOTS else ""
        shots_text = f"{len(shots)} shot{'s' if len(shots) > 1 else ''} (PySceneDetect){more}. " + ". ".join(lines)
        sound = sound_line(ctx.store, v)
        how = (
            "(objects: the COCO detector on one frame per shot; faces: BlazeFace; text: PP-OCR on up to "
            f"{OCR_SHOTS} shots; no action recognition.)"
        )
        text = f"{base} {shots_text}. {sound} {how}"
        if inp.question:
            text = (
                _at_time(inp.question, shots, lines, v)
                or _cuts_answer(inp.question, cuts, v)
                or _is_there(inp.question, ctx, v)
                or _answer(inp.question, facts, sound, texts, lines)
                or _video_answer(inp.question, facts)
                or CANNOT_SEE.format(seen=". ".join(lines))
            )
        return DescribeVideoOutput(text=text, motion=round(facts["motion"], 3), cuts=len(cuts))


CANNOT_SEE = (
    "I can't recognise actions or events (waving, winning, scoring): the embedded models find things (COCO's 80 "
    "kinds), faces and text on screen, and when they are seen. What is seen: {seen}."
)
# questions about what someone does or what happens: answered by what is seen, with that limit said first
_ACTION = re.compile(
    r"\b(?:what(?:'s| is| are)? (?:happening|going on)|what happens|what (?:do|does|did) (?:they|he|she|it|the \w+) do|"
    r"who (?:wins?|won|loses?|lost|scores?|scored)|(?:does|do|did) (?:any ?one|someone|somebody|they|he|she|anybody)\s+\w+)",
    re.I,
)


def _at_time(question: str, shots: list[tuple[int, int]], lines: list[str], video) -> str | None:
    """ "what happens at 0:07?": the shot on screen then, led by its time; None when no time is asked."""
    from vitron_agent.toolkit import slots

    m = re.search(r"\b(?:at|around|by)\s+(\d[\d:.]*\s*(?:s|secs?|seconds?)?)", question, re.I)
    t = slots.timestamp(m.group(1)) if m else None
    if t is None:
        return None
    if t >= video.duration:
        return f"{clock(t)} is past the end of the {clock(video.duration)} clip."
    j = next((k for k, (a, b) in enumerate(shots) if a / video.fps <= t < b / video.fps), len(shots) - 1)
    if j >= len(lines):
        return f"At {clock(t)}: shot {j + 1}, past the {len(lines)} shots I looked at."
    seen = lines[j].split(": ", 1)[-1]
    where = f"shot {j + 1} of {len(shots)}, " if len(shots) > 1 else ""
    a, b = shots[j]
    return (
        f"At {clock(t)} ({where}{clock(a / video.fps)}-{clock(b / video.fps)}): {seen}. (What is seen on one frame "
        "of that shot: the COCO detector, BlazeFace and PP-OCR; no action recognition.)"
    )


def _cuts_answer(question: str, cuts: list[int], video) -> str | None:
    """ "when does the scene change?": the times of the shot cuts; None when not asked."""
    if not re.search(r"\b(?:when|what time|at what|where)\b", question, re.I) or not re.search(
        r"\b(?:scenes?|shots?|cuts?|camera (?:angle|view)s?)\b(?!\s+(?:of|with)\b)", question, re.I
    ):
        return None
    if not cuts:
        return "I found no scene change: it is one shot (PySceneDetect)."
    times = ", ".join(clock(c / video.fps) for c in cuts)
    return f"The scene changes {len(cuts)} time{'s' if len(cuts) > 1 else ''}: at {times} (shot cuts found by PySceneDetect)."


_IS_THERE = re.compile(
    r"\b(?:(?:is|are)\s+there|(?:do|can|did|will)\s+(?:we|you|i)\s+(?:ever\s+)?see|(?:does|do|did)\s+(?=(?:an?|any|the)\s))"
    r"\s+(?:(?:ever|at any (?:point|time))\s+)?(?P<what>(?:an?|any|some|the)\s+[a-z][a-z -]*?|[a-z][a-z -]*?)"
    r"(?:\s+(?:in|on|at|anywhere|during|ever|appear\w*|show\w*)\b|[?.,!]|$)",
    re.I,
)


def _is_there(question: str, ctx: ToolContext, video=None) -> str | None:
    """ "is there a cat in this video? when?": whether (and when) a thing the detector knows is on screen,
    answered by ``find_in_video``'s search; None when the question asks no such thing."""
    from vitron_agent.tools.video_time import answer, find_ranges, recogniser

    m = _IS_THERE.search(question)
    what = m.group("what").strip() if m else ""
    if not what or recogniser(what) is None or video is None:
        return None
    found = find_ranges(ctx.store, video, what, None, ctx)
    said = answer(what, "when", found.ranges, video.duration, found.how)
    if not found.ranges:
        return f"{said} The detector can miss small or partly hidden things."
    return f"Yes. {said}"


def _answer(question: str, facts: dict, sound: str, texts: list[str], lines: list[str]) -> str | None:
    import re

    q = question.lower()
    if re.search(r"\b(?:shots?|scenes?|cuts?|camera angles?|edits?)\b", q) and re.search(r"\bhow many\b|\bcount\b", q):
        shots = len(lines)
        more = f" ({facts['cuts'] + 1 - shots} more not described)" if facts["cuts"] + 1 > shots else ""
        return (
            f"{facts['cuts'] + 1} shot{'s' if facts['cuts'] else ''} ({facts['cuts']} cut"
            f"{'s' if facts['cuts'] != 1 else ''}, found by PySceneDetect){more}. " + ". ".join(lines) + "."
        )
    if re.search(
        r"\b(?:said|saying|speech|spoken|talk\w*|dialog(?:ue)?|lyrics|sings?|singing|transcri\w*|words? spoken)\b|"
        r"\bwhat (?:do|does|did) (?:he|she|they|\w+) say\b",
        q,
    ):  # "what is said in the video?": no speech recognition here, and the sound track is said
        return f"I can't make out speech or lyrics (no speech recognition here). {sound}"
    if re.search(r"\b(?:sound|audio|music|noise|hear|silent|voice)\b", q):
        kind = " I can't tell music from speech or noise." if re.search(r"\bmusic|\bsongs?\b|\binstrument", q) else ""
        return sound + kind
    if re.search(r"\b(?:text|written|writing|say|says|words?|caption|title)\b", q):
        return "Text on screen: " + "; ".join(f'"{t}"' for t in texts) + "." if texts else "I read no text on screen."
    if _ACTION.search(q):
        return CANNOT_SEE.format(seen=". ".join(lines))
    if re.search(r"\b(?:what is in|what's in|who|people|objects?|see)\b", q):
        return ". ".join(lines) + "."
    return None


register(Backend("describe_video", "embedded", EmbeddedDescribeVideoTool, default=True))
