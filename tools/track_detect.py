"""track, embedded backend (the default): follow what is named by detecting it on every frame.

A target that names a COCO class ("the motorcycle", "the person on the left", "the red car") or
faces ("the faces", "her face") is found on the prompt frame by the same resolver as
``segment`` (:mod:`vitron_agent.perception.recognise`), then on every other frame by detection plus
association (ByteTrack's idea, with one object: the detection of that class whose box overlaps
the last known box most, gated by IoU >= 0.2 and a size ratio within 2x; a frame with none is
a gap, and the object is picked up again when a detection overlaps its last box). The mask on
each frame is the object's own (U²-Netp inside the box; an ellipse for a face), so the whole
object -- every part of it -- is followed through a camera pan, and a same-coloured object
nearby is never taken for it. "The faces" / "the people" follow every one (the union per frame).

Anything else -- a colour ("the red ball" when no ball is detected), a position, a point, a box,
a mask -- is followed by the cv tracker (template matching and a colour model), and its method
says so.
"""

from __future__ import annotations

import re

import numpy as np

from vitron_agent.core.errors import ToolFailed
from vitron_agent.perception.identity import events_said
from vitron_agent.perception.track_boxes import detect_every
from vitron_agent.toolkit.registry import Backend, register
from vitron_agent.toolkit.tool import ToolContext
from vitron_agent.tools.track import CvTrackTool, TrackInput, TrackOutput, seen_note, track_output
from vitron_agent.tools.video_time import clock

__all__ = ["EmbeddedTrackTool", "associate", "bridge_gaps"]

GATE_IOU = 0.2
NONE_COLOURED = (
    "I found no {what} in the video: not on the first frame (by colour) nor anywhere after it (the COCO detector "
    "on frames sampled through the clip; it can miss small or unusual views). If it is there, give a point or a "
    "box on the first frame"
)


def associate(last: tuple, boxes: list[tuple]) -> int | None:
    """The index of the box that continues ``last`` (most overlap, IoU >= 0.2, area within 2x), or None."""
    from vitron_agent.perception.detector import box_iou

    area = (last[2] - last[0]) * (last[3] - last[1])
    best, best_iou = None, GATE_IOU
    for i, b in enumerate(boxes):
        ratio = (b[2] - b[0]) * (b[3] - b[1]) / max(area, 1e-6)
        score = box_iou(last, b)
        if 0.5 <= ratio <= 2.0 and score >= best_iou:
            best, best_iou = i, score
    return best


def _first_seen(inp: TrackInput, target: str, ctx: ToolContext) -> tuple[int, str] | None:
    """(the first frame where ``target`` is recognised, a note saying so) when it is not on frame 0 but
    comes later ("track the cat": the cat enters at 2.5 s), found as ``find_in_video`` finds it; None
    when it is never seen."""
    from vitron_agent.tools.video_time import clock, find_ranges

    ranges = find_ranges(ctx.store, inp.video, target, None, ctx).ranges
    start = int(round(ranges[0][0] * inp.video.fps)) if ranges else 0
    if start <= 0:
        return None
    return (
        start,
        f"not on screen at the start: first seen at {clock(ranges[0][0])} (frame {start}), followed from there",
    )


EVERYONE = re.compile(r"(?:every|any|all)(?:one|body)|all (?:of )?(?:them|the people)|(?:the )?whole crowd", re.I)


class EmbeddedTrackTool(CvTrackTool):
    description = (
        "Track a target through a video: a mask on every frame. Objects by name (COCO's 80 classes: "
        "'the motorcycle', 'the person on the left') and faces are detected on every frame and associated; "
        "colours, positions, points, boxes and masks are followed by template matching and a colour model."
    )
    backend = "embedded"

    def run(self, inp: TrackInput, ctx: ToolContext) -> TrackOutput:
        from vitron_agent.loading.weights import embedded_available
        from vitron_agent.perception.detector import named
        from vitron_agent.perception.recognise import face_part

        regionless = inp.point is None and inp.box is None and inp.mask is None
        if regionless and inp.target and EVERYONE.fullmatch(inp.target.strip(" .!")):  # "blur everyone": the people
            inp = inp.model_copy(update={"target": "people"})
        if regionless and inp.target:
            if face_part(inp.target) is not None and (animal := animal_named(inp.target)) is not None:
                raise ToolFailed(ANIMAL_FACE.format(animal=animal))  # "the cat's face": BlazeFace knows people only
            if face_part(inp.target) is not None and embedded_available("blazeface", "blazeface_weights"):
                return self._faces(inp, ctx)
            name = named(inp.target)
            if name is not None and embedded_available("nanodet", "nanodet_weights"):
                out = self._objects(inp, name, ctx)
                if out is not None:
                    return out
                try:
                    out = super().run(inp, ctx)  # "the red ball" and no ball: the red regions, said
                except ToolFailed as exc:
                    later = self._coloured_later(inp, name, ctx)  # "the red car" and none red on frame 0
                    if later is None:
                        raise ToolFailed(
                            NONE_COLOURED.format(what=_bare(_with_colour(inp.target or name.word, inp.color)))
                        ) from exc
                    return later
                return out.model_copy(
                    update={
                        "method": re.sub(r"it cannot recognise '[^']*' by name", f"it found no {name.word}", out.method)
                    }
                )
        return super().run(inp, ctx)

    def _coloured_later(self, inp: TrackInput, name, ctx: ToolContext) -> TrackOutput | None:
        """ "the red car" when nothing red is on the first frame: followed from where the detector
        first sees a car of that colour (None when it never does)."""
        if inp.frame != 0:
            return None
        target = _with_colour(inp.target or "", inp.color)
        later = _first_seen(inp, target, ctx)
        if later is None:
            return None
        out = self._objects(inp.model_copy(update={"frame": later[0]}), name, ctx)
        return out.model_copy(update={"method": f"{out.method}; {later[1]}"}) if out is not None else None

    def _objects(self, inp: TrackInput, name, ctx: ToolContext) -> TrackOutput | None:
        """Detection + association; None when the named class is not on the prompt frame and a
        colour was given (the colour tracker takes it, and says so)."""
        from vitron_agent.perception.detector import MIN_SCORE, detect_objects, label_score
        from vitron_agent.perception.recognise import not_found
        from vitron_agent.perception.track_sparse import depth_word

        clip = ctx.store.get_video(inp.video)
        n = len(clip)
        target = inp.target or ""
        ctx.progress(0.05, f"recognising objects on frame {inp.frame} (SSD-MobileNetV2)")
        prompt = clip.frame(inp.frame)
        found = _riders_only(detect_objects(prompt), target)
        of_class = [d for d in found if max(label_score(d, lab) for lab in name.labels) >= MIN_SCORE]
        if not of_class and (inp.color or _has_colour(target)):
            return None
        if name.plural and detect_every(n, inp.video.fps) > 1:  # "the people" of a long clip: they may come later
            return self._sparse(inp, name, of_class, "", ctx)
        if not of_class:
            later = _first_seen(inp, target, ctx) if inp.frame == 0 else None
            if later is None:
                raise not_found(f"{name.word} on frame {inp.frame}", found)
            out = self._objects(inp.model_copy(update={"frame": later[0]}), name, ctx)
            return out.model_copy(update={"method": f"{out.method}; {later[1]}"}) if out is not None else None
        items, note = _chosen(prompt, found, name, target, inp.frame)
        if not items:  # "the girl in the blue shirt": a girl on frame 0, the blue one comes later
            later = self._coloured_later(inp, name, ctx)
            if later is None:
                raise ToolFailed(NONE_COLOURED.format(what=_bare(_with_colour(target or name.word, inp.color))))
            return later
        if detect_every(n, inp.video.fps) > 1:
            return self._sparse(inp, name, items, note, ctx)
        every = name.plural
        depth = depth_word(target) if every else None
        h, w = prompt.shape[:2]
        packed, gaps, events = _follow_frames(clip, inp, prompt, items, name, depth if every else False, ctx)
        steadied = "" if every else _steady_pan(clip, packed, h, w)
        first = np.unpackbits(packed[inp.frame], count=h * w).reshape(h, w).astype(bool)
        listed = ", ".join(d.describe() for d in items)
        method = (
            f"SSD-MobileNetV2 recognised {listed}{f' ({note})' if note else ''} on frame {inp.frame}; detected on every "
            f"frame and {'all kept' if every else 'followed as the same one by motion and look'} ({n - gaps}/{n} frames found); "
            "masks: U²-Netp inside each box"
        )
        if depth is not None:
            method += f"; only those in the {depth} (height stands for nearness)"
        method += steadied + seen_note([bool(p.any()) for p in packed], inp.video.fps)
        method += events_said(events, inp.video.fps, name.word, clock)
        return track_output(ctx, inp.video, packed, inp.frame, first, method)

    def _sparse(self, inp: TrackInput, name, items: list, note: str, ctx: ToolContext) -> TrackOutput:
        """A long clip: detection every k frames (one decode), ByteTrack association, boxes
        interpolated in between. Every object named ("the people"): the union of their boxes;
        one object: its U²-Netp mask on its keyframes, moved with its box in between."""
        from vitron_agent.perception.track_sparse import depth_word, sparse_track

        depth = depth_word(inp.target or "") if name.plural else None
        packed, first, method, cuts = sparse_track(ctx.store, inp.video, inp.frame, name, items, ctx, depth)
        listed = ", ".join(d.describe() for d in items) or f"no {name.word} yet"
        method = f"SSD-MobileNetV2 recognised {listed}{f' ({note})' if note else ''} on frame {inp.frame}; {method}"
        method += seen_note([bool(p.any()) for p in packed], inp.video.fps, cuts)
        return track_output(ctx, inp.video, packed, inp.frame, first, method)

    def _faces(self, inp: TrackInput, ctx: ToolContext) -> TrackOutput:
        """Faces: detected on every frame, looked for again where expected, carried across short misses,
        padded (:mod:`vitron_agent.perception.face_track`); "her face" is the one on the prompt frame."""
        from vitron_agent.perception.face_track import follow_faces, run_masks
        from vitron_agent.perception.recognise import face_part

        part, every = face_part(inp.target) or ("face", True)
        clip = ctx.store.get_video(inp.video)
        n = len(clip)
        looks: list[tuple[int, int, int]] = []
        look_every = max(1, int(round(inp.video.fps)))

        animals: set[str] = set()

        def frames():
            for i, frame in enumerate(clip.frames()):
                if every and i % look_every == 0 and len(looks) < MAX_LOOKS:
                    looks.append((i, _people_on(frame), -1))
                    animals.update(_animals_on(frame))
                yield frame

        def progress(i: int) -> None:
            if i % 4 == 0:
                ctx.progress(0.05 + 0.9 * (i + 1) / n, f"found faces on {i + 1}/{n} frames")

        try:
            run = follow_faces(frames(), n, inp.video.fps, progress, ctx.cancelled.is_set)
        except RuntimeError as exc:
            raise ToolFailed("tracking was cancelled") from exc
        animal_faces = _drop_animal_faces(run, clip)
        if not run.tracks:
            raise ToolFailed(_no_face(n, animals | animal_faces))
        if (doubt := _faces_unsure(run)) is not None:
            raise ToolFailed(doubt)
        if not every:
            run.tracks = [_the_face(run, inp.frame)]
        looks = [(i, p, len(run.faces_on(i))) for i, p, _ in looks]
        packed = [np.packbits(m) for m in run_masks(run, (inp.video.height, inp.video.width), part)]
        first = next(
            (m for i, m in _unpacked_from(packed, inp.frame, inp.video) if m.any()),
            np.zeros((inp.video.height, inp.video.width), bool),
        )
        method = face_method(run, every, part)
        if animal_faces:  # said, never silently unblurred
            method += f"; a face found on the {' and the '.join(sorted(animal_faces))} was left out (an animal's, not a person's)"
        method += seen_note([bool(p.any()) for p in packed], inp.video.fps, run.cuts) + _faces_missed(
            looks, inp.video.fps
        )
        return track_output(ctx, inp.video, packed, inp.frame, first, method)


def _steady_pan(clip, packed: list[np.ndarray], h: int, w: int) -> str:
    """Through a camera pan over a thing that stands still, each frame's mask voted on by the frames that saw
    the same piece of the scene (:func:`~vitron_agent.perception.camera_motion.steady_in_scene`; the front of
    a motorbike entering at the frame's edge had been left out for a second and a half), ``packed`` changed
    in place; the note for the method ("" when the camera did not pan or the thing moved itself)."""
    from vitron_agent.perception.camera_motion import CameraPath, steady_in_scene

    path = CameraPath(keep=set())
    for frame in clip.frames():
        path.add(frame)
    masks = [np.unpackbits(p, count=h * w).reshape(h, w).astype(bool) for p in packed]
    steady = steady_in_scene(masks, path)
    if steady is None:
        return ""
    changed = sum(int((a != b).sum()) for a, b in zip(masks, steady, strict=True))
    for i, m in enumerate(steady):
        packed[i] = np.packbits(m)
    return (
        f"; the camera panned over it standing still: each pixel kept where most frames that saw that piece of "
        f"the scene had it ({changed / max(1, sum(int(m.sum()) for m in masks)):.0%} of the mask changed)"
    )


def _unpacked_from(packed: list[np.ndarray], start: int, video):
    """(index, HxW bool mask) from frame ``start`` on, then the frames before it (the prompt frame first)."""
    count = video.height * video.width
    for i in [*range(start, len(packed)), *range(start - 1, -1, -1)]:
        yield i, np.unpackbits(packed[i], count=count).reshape(video.height, video.width).astype(bool)


def _the_face(run, frame: int):
    """ "her face": the largest face on the prompt frame, else the face seen longest."""
    on = [t for t in run.tracks if frame in t.faces]
    if on:
        return max(on, key=lambda t: t.faces[frame][0].width)
    return max(run.tracks, key=lambda t: len(t.seen))


def face_method(run, every: bool, part: str) -> str:
    """The faces track's method: BlazeFace's best score, then frames found / looked for again / carried /
    blurred, doubtful faces, and the mask. Its opening ("BlazeFace recognised faces 0.93 at best; on
    every frame (k/n frames with faces") is what the policy reads as recognised."""
    from vitron_agent.perception.face_track import EDGE_S, GAP_S, LOW

    c = run.counts()
    what = "faces" if every else "the face"
    best = max(t.best for t in run.tracks)
    extra = []
    if c["again"]:
        extra.append(f"{c['again']} more by a second look where a face was expected")
    if c["carried"]:
        extra.append(
            f"{c['carried']} carried across a miss of up to {GAP_S:g} s or past where it was last seen "
            f"(up to {EDGE_S:g} s; the box moved between the sightings)"
        )
    said = f"; {', '.join(extra)}" if extra else ""
    doubt = ""
    if run.doubtful:
        k = sum(len(t.seen) for t in run.doubtful)
        doubt = (
            f"; {len(run.doubtful)} more that may be a face (BlazeFace {LOW:g}-{max(t.best for t in run.doubtful):.2f}"
            f" on {k} frames) covered too: a blur errs on the side of privacy"
        )
    mask = "padded ellipses over the faces, turned with the eyes" if part == "face" else f"discs at the {part}"
    return (
        f"BlazeFace recognised {what} {best:.2f} at best; on every frame ({c['found']}/{run.frames} frames with "
        f"{what}{said}; {what} covered on {c['blurred']}/{run.frames} frames){doubt}; "
        f"{'every face' if every else 'one face, associated by motion and overlap'}; masks: {mask}"
    )


def _follow_frames(clip, inp: TrackInput, prompt: np.ndarray, items: list, name, depth, ctx: ToolContext):
    """(packed masks per frame, frames without it, identity events): the named object(s) on every frame
    from the prompt frame forward, then backward. Every one of a kind (``depth`` not False: the
    background / foreground ones or all) is each frame's detections; one object is followed as the
    same one by motion and look (:class:`~vitron_agent.perception.identity.Identity`)."""
    from vitron_agent.perception.detector import MIN_SCORE, detect_objects, label_score
    from vitron_agent.perception.identity import Identity
    from vitron_agent.perception.recognise import mask_of

    n = len(clip)
    every = depth is not False
    h, w = prompt.shape[:2]
    packed: list[np.ndarray | None] = [None] * n
    order = list(range(inp.frame, n)) + list(range(inp.frame - 1, -1, -1))
    ident = Identity.start(prompt, items[0], inp.frame, inp.video.fps)
    events, gaps = ident.events, 0
    for k, i in enumerate(order):
        if ctx.cancelled.is_set():
            raise ToolFailed("tracking was cancelled")
        if i == inp.frame - 1:  # going backward: start again from the prompt frame
            ident = Identity.start(prompt, items[0], inp.frame, inp.video.fps)
            ident.events = events
        frame = prompt if i == inp.frame else clip.frame(i)
        if i == inp.frame:
            chosen = _at_depth(items, depth, h) if every else items
        else:
            cands = [
                d
                for d in detect_objects(frame, MIN_SCORE * 0.8, quick=True)
                if max(label_score(d, lab) for lab in name.labels) >= MIN_SCORE * 0.8
            ]
            if every:
                chosen = _at_depth(cands, depth, h)
            else:
                j = ident.choose(frame, i, cands)
                chosen = [cands[j]] if j is not None else []
        gaps += not chosen
        mask = mask_of(frame, chosen) if chosen else np.zeros((h, w), bool)
        packed[i] = np.packbits(mask)
        if k % 4 == 0:
            ctx.progress(0.1 + 0.85 * (k + 1) / n, f"tracked {k + 1}/{n} frames")
    return packed, gaps, events


MAX_LOOKS = 20  # frames (one a second) where the people seen are set against the faces found
FACES_MISSED = "; more people than faces on {k} of {m} frames looked at ({example}): a face turned away, small or dark may be left sharp"


ANIMALS = ("cat", "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "bird")
ANIMAL_FACE = (
    "I can't place the {animal}'s face: the face finder (BlazeFace) finds people's faces only, and no model here "
    "finds an animal's head. Say 'blur the {animal}' to blur the whole {animal}, or draw a box on its face (a box "
    "is followed through the clip)."
)


def animal_named(target: str) -> str | None:
    """The animal word of a face phrase ("the cat's face": "cat", "the face of the dog": "dog", "the animals'
    faces": "animals"), or None for people's faces ("her face", "the faces", "the man's face")."""
    from vitron_agent.perception.detector import named

    low = target.lower()
    # only the face's owner: "the cat's face", "the face of the dog" -- not "the face of the girl holding the cat"
    owner = re.search(r"([a-z]+)'s?\s+faces?\b|\bfaces?\s+of\s+(?:the\s+|a\s+|an\s+|my\s+|his\s+|her\s+)?([a-z]+)", low)
    words = [owner.group(1) or owner.group(2)] if owner else re.findall(r"[a-z]+", re.sub(r"'s?\b", "", low))
    for word in words:
        name = named(word)
        if name is not None and "person" not in name.labels and set(name.labels) <= set(ANIMALS):
            return word
    return None


def _animals_on(frame: np.ndarray) -> set[str]:
    """The animals the COCO detector is sure of (0.5) on ``frame`` (the detector's answer is cached by pixels)."""
    from vitron_agent.perception.detector import detect_objects

    return {d.label for d in detect_objects(frame, quick=True) if d.label in ANIMALS and d.score >= 0.5}


SURE_FRAMES = 5  # a clip's faces are sure when BlazeFace saw one at MIN_FACE on this many frames ...
SURE_SHARE = 0.1  # ... or on this share of the frames its face tracks cover


def _faces_unsure(run) -> str | None:
    """The failure when no face of the clip is sure (None when one is): BlazeFace never reached its own
    threshold on a face, or did on only a few frames of the many its tracks were carried over. A rotating Earth
    and a slide of logos had "faces" blurred from weak scores, and a disc sliding over the moon one carried over
    40 frames from 3, each said "I followed the faces ... and blurred them" (newcomer s13, class 1). A real face
    in the clip is found surely on many frames (on every clip of ``benchmarks/video_faces.py``)."""
    from vitron_agent.perception.faces import MIN_FACE

    c = run.counts()
    best = max(t.best for t in run.tracks)
    if c["found"] >= SURE_FRAMES or c["found"] >= SURE_SHARE * max(1, c["blurred"]):
        return None
    seen = sum(1 for i in range(run.frames) if any(i in t.seen for t in run.tracks))
    sure = (
        f"reached its own threshold ({MIN_FACE:g}) on only {c['found']} of them"
        if best >= MIN_FACE
        else f"never reached its own threshold ({MIN_FACE:g})"
    )
    return (
        f"I'm not sure there is a face in the video: BlazeFace saw something face-like on {seen} of {run.frames} "
        f"frames ({best:.2f} at best) and {sure}, so nothing was blurred. If there is a face, give a box round it on "
        "a frame ('blur the face in box (x1, y1, x2, y2)'), or name the thing to blur ('blur the person')."
    )


def _no_face(n: int, animals: set[str]) -> str:
    """The failure when no face is found: with the animals seen, where the faces asked for may be theirs."""
    said = f"I found no face in the video (BlazeFace, {n} frames; it finds people's faces only)."
    if not animals:
        return f"{said} If there is one, give a box on a frame."
    seen = " and ".join(f"a {a}" for a in sorted(animals))
    one = sorted(animals)[0]
    return f"{said} I saw {seen}, with no person: say 'blur the {one}' to blur it whole, or give a box on its face."


def _drop_animal_faces(run, clip, looks: int = 3) -> set[str]:
    """Take out of ``run`` (in place) the face tracks that are an animal's (BlazeFace fires on a cat's face):
    on most of up to ``looks`` of its frames the face's centre lies in an animal the detector is sure of and in
    no person. The animals whose faces were dropped."""
    from vitron_agent.perception.detector import detect_objects

    dropped: set[str] = set()
    kept = []
    for t in run.tracks:
        frames = sorted(i for i, (_, away) in t.faces.items() if away == 0) or sorted(t.faces)
        picks = frames[:: max(1, len(frames) // looks)][:looks]
        votes = []
        for i in picks:
            face = t.faces[i][0]
            cx, cy = (face.box[0] + face.box[2]) / 2, (face.box[1] + face.box[3]) / 2
            inside = [
                d
                for d in detect_objects(clip.frame(i), quick=True)
                if d.box.x1 <= cx <= d.box.x2 and d.box.y1 <= cy <= d.box.y2
            ]
            person = any(d.label == "person" and d.score >= 0.3 for d in inside)
            animal = next((d.label for d in inside if d.label in ANIMALS and d.score >= 0.5), None)
            votes.append(None if person else animal)
        found = [v for v in votes if v]
        if votes and len(found) * 2 > len(votes):
            dropped.add(found[0])
        else:
            kept.append(t)
    run.tracks = kept
    return dropped


def _people_on(frame: np.ndarray) -> int:
    """People the COCO detector is sure of (0.5) and large enough (a fifth of the frame's height) for a face to show."""
    from vitron_agent.perception.detector import detect_objects, label_score

    h = frame.shape[0]
    return sum(
        1 for d in detect_objects(frame, quick=True) if label_score(d, "person") >= 0.5 and d.box.y2 - d.box.y1 >= h / 5
    )


def _faces_missed(looks: list[tuple[int, int, int]], fps: float) -> str:
    """The sentence that says faces were likely missed (more people than faces on some frames), or ""."""
    from vitron_agent.tools.video_time import clock

    short = [(i, p, f) for i, p, f in looks if p > f]
    if not short:
        return ""
    i, p, f = max(short, key=lambda x: x[1] - x[2])
    example = f"{p} {'people' if p > 1 else 'person'}, {f} face{'s' if f != 1 else ''} at {clock(i / fps)}"
    return FACES_MISSED.format(k=len(short), m=len(looks), example=example)


def bridge_gaps(packed: list[np.ndarray], most: int) -> int:
    """Fill runs of at most ``most`` empty frames between two non-empty ones (packed masks, in place)
    with the union of the masks on both sides: a face the detector misses for a frame or two stays
    blurred. How many runs were filled."""
    filled, i, n = 0, 0, len(packed)
    while i < n:
        if packed[i].any() or i == 0 or not packed[i - 1].any():
            i += 1
            continue
        j = i
        while j < n and not packed[j].any():
            j += 1
        if j < n and j - i <= most:
            both = packed[i - 1] | packed[j]
            for k in range(i, j):
                packed[k] = both
            filled += 1
        i = j
    return filled


def _riders_only(found: list, target: str) -> list:
    """``found`` without the people who ride nothing when ``target`` names a rider ("the cyclist": only
    a person on a bicycle is one; the man in a suit beside the road is not)."""
    from vitron_agent.tools.video_time import rides, riding

    vehicles = rides(target)
    if vehicles is None:
        return found
    return [d for d in found if d.label != "person" or riding(d, found, vehicles)]


def _with_colour(target: str, color: str | None) -> str:
    """The target words with the colour given apart ("car", "red" -> "red car")."""
    return f"{color} {target}" if color and color.lower() not in target.lower() else target


def _bare(words: str) -> str:
    """ "the red car" -> "red car" (to follow "no")."""
    return re.sub(r"^(?:the|a|an|this|that)\s+", "", words.strip(), flags=re.I)


def _chosen(prompt: np.ndarray, found: list, name, target: str, frame: int) -> tuple[list, str]:
    """(the detections ``target`` means on the prompt frame, a note); none when a colour is asked and none of
    that colour is on frame 0 ("the girl in the blue shirt" comes later: the caller looks later)."""
    from vitron_agent.perception.recognise import select
    from vitron_agent.tools.video_time import coloured

    color, phrase = _colour(target), target
    if color and "person" in name.labels:  # people by what their torso wears (a box's middle is the wall)
        found = [d for d in found if d.label != "person" or coloured(prompt, d, color)]
        phrase = re.sub(rf"\b{re.escape(color)}\b", "", target, flags=re.I)  # judged here, not again
    items, note = select(prompt, found, name, phrase, allow_none=bool(color) and frame == 0)
    return items, f"the {color} one" + (f", {note}" if note else "") if color and phrase != target else note


def _at_depth(found: list, depth: str | None, height: int) -> list:
    """The detections in the background / foreground (:func:`~vitron_agent.perception.track_sparse.by_depth`)."""
    from vitron_agent.perception.track_sparse import by_depth

    kept = by_depth([(k, (d.box.x1, d.box.y1, d.box.x2, d.box.y2)) for k, d in enumerate(found)], depth, height)
    return [found[k] for k, _ in kept]


def _colour(text: str) -> str | None:
    from vitron_agent.tools.segment import parse_target

    return parse_target(text)[0]


def _has_colour(text: str) -> bool:
    return _colour(text) is not None


register(Backend("track", "embedded", EmbeddedTrackTool, default=True))
