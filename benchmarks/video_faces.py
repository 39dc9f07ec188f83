"""Faces blurred in every frame, and a dog followed as the same dog: measured on clips with known truth.

* **faces** (``vitron_agent.testing.face_clips``): real faces (scikit-image's astronaut, cameraman,
  LFW crops) filmed by a moving camera or walking over real photos, with the face's box known on
  every frame. ``track "the faces"`` (what "blur the faces" runs before ``edit_video blur``) is run
  on each clip; a face on a frame counts as blurred when the track's mask covers at least 90 % of
  its core (an ellipse 80 % x 90 % of its box). Printed per half: faces-on-frames, the share the
  detector found alone (BlazeFace at its reporting threshold on that frame), the share blurred,
  frames with a face left sharp, and the mask's area outside every face (over-blur) as a share of
  the frame. Even seeds are the tuning half, odd seeds the held-out half (clips written before the
  fixes they measure).
* **identity** (``vitron_agent.testing.follow_clips``): one animal followed through a gap while
  another one comes where it was; see that module.

Run: ``python benchmarks/video_faces.py [--seeds 0 1] [--per-clip]``. Prints Markdown.
"""

from __future__ import annotations

import argparse
import tempfile
import time

import numpy as np


def face_truth_row(clip, masks: np.ndarray) -> dict[str, float]:
    """Per clip: faces on frames, found alone by the detector, blurred, and over-blur pixels."""
    from vitron_agent.perception.faces import detect_faces
    from vitron_agent.testing.face_clips import coverage

    need = blurred = found = 0
    over = 0.0
    h, w = masks.shape[1:]
    ys, xs = np.mgrid[0:h, 0:w]
    for i, frame in enumerate(clip.frames):
        dets = [f.box for f in detect_faces(frame)]
        near = np.zeros((h, w), bool)
        for box in clip.faces[i] + clip.hidden[i]:
            x1, y1, x2, y2 = box
            px, py = 0.35 * (x2 - x1), 0.35 * (y2 - y1)
            near |= (xs >= x1 - px) & (xs < x2 + px) & (ys >= y1 - py) & (ys < y2 + py)
        over += float((masks[i] & ~near).sum()) / (h * w)
        for box in clip.faces[i]:
            need += 1
            blurred += coverage(masks[i], box) >= 0.9
            found += any(_iou(box, d) >= 0.3 for d in dets)
    return {"need": need, "found": found, "blurred": blurred, "over": over / len(clip.frames)}


def _iou(a, b) -> float:
    x1, y1, x2, y2 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, x2 - x1) * max(0.0, y2 - y1)
    area = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / max(area, 1e-6)


def run_faces(seeds, per_clip: bool) -> None:
    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.testing.face_clips import face_clips
    from vitron_agent.toolkit.tool import ToolContext
    from vitron_agent.tools.track_detect import EmbeddedTrackTool

    halves: dict[str, list[dict]] = {"tuning (even seeds)": [], "held-out (odd seeds)": []}
    with tempfile.TemporaryDirectory() as root:
        store = ArtifactStore(root, "faces")
        for clip in face_clips(seeds):
            video = store.put_video(iter(clip.frames), clip.fps)
            t = time.perf_counter()
            out = EmbeddedTrackTool()(ToolContext(store=store), video=video.model_dump(), target="the faces")
            row = face_truth_row(clip, store.get_track(out.track).astype(bool))
            row["s"] = time.perf_counter() - t
            seed = int(clip.name.rsplit("-", 1)[1])
            halves["tuning (even seeds)" if seed % 2 == 0 else "held-out (odd seeds)"].append(row)
            if per_clip:
                print(f"| {clip.name} | {row['need']} | {row['found']} | {row['blurred']} | {row['over']:.3%} |")
                print(f"|  | {out.method} |")
    print("\n| half | faces on frames | found by the detector alone | blurred | left sharp | over-blur | s/clip |")
    print("|---|---|---|---|---|---|---|")
    for name, rows in halves.items():
        if not rows:
            continue
        need, found, blurred = (sum(r[k] for r in rows) for k in ("need", "found", "blurred"))
        over = np.mean([r["over"] for r in rows])
        secs = np.mean([r["s"] for r in rows])
        print(
            f"| {name} | {need} | {found / need:.1%} | {blurred / need:.1%} | {need - blurred} | {over:.2%} "
            f"| {secs:.1f} |"
        )


def identity_row(clip, masks: np.ndarray, method: str) -> dict[str, float]:
    """Per clip: frames the target shows, frames the track is on it, frames it is on the other one, and
    whether it went to the other one without saying it may be another (a silent switch)."""
    from vitron_agent.testing.follow_clips import on_box

    shows = on_a = on_b = 0
    for i, mask in enumerate(masks):
        a, b = clip.a[i], clip.b[i]
        shows += a is not None
        on_a += a is not None and on_box(mask, a)
        on_b += b is not None and on_box(mask, b) and not on_box(mask, a)
    said = "may be another" in method
    return {"shows": shows, "on_a": on_a, "on_b": on_b, "silent": on_b > 0 and not said}


def run_identity(seeds, per_clip: bool) -> None:
    from vitron_agent.core.errors import ToolFailed
    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.testing.follow_clips import follow_clips
    from vitron_agent.toolkit.tool import ToolContext
    from vitron_agent.tools.track_detect import EmbeddedTrackTool

    halves: dict[str, list[dict]] = {"tuning (even seeds)": [], "held-out (odd seeds)": []}
    with tempfile.TemporaryDirectory() as root:
        store = ArtifactStore(root, "follow")
        for clip in follow_clips(seeds):
            video = store.put_video(iter(clip.frames), clip.fps)
            try:
                out = EmbeddedTrackTool()(ToolContext(store=store), video=video.model_dump(), target="the cat")
                masks, method = store.get_track(out.track).astype(bool), out.method
            except ToolFailed as exc:
                masks, method = np.zeros((len(clip.frames), 1, 1), bool), f"failed: {exc}"
            row = identity_row(clip, masks, method)
            seed = int(clip.name.rsplit("-", 1)[1])
            halves["tuning (even seeds)" if seed % 2 == 0 else "held-out (odd seeds)"].append(row)
            if per_clip:
                print(f"| {clip.name} | {row['shows']} | {row['on_a']} | {row['on_b']} | {row['silent']} |")
                print(f"|  | {method} |")
    print("\n| half | target shows (frames) | followed on it | frames on the other one | silent switches (clips) |")
    print("|---|---|---|---|---|")
    for name, rows in halves.items():
        if rows:
            shows, on_a, on_b = (sum(r[k] for r in rows) for k in ("shows", "on_a", "on_b"))
            silent = sum(r["silent"] for r in rows)
            print(f"| {name} | {shows} | {on_a / shows:.1%} | {on_b} | {silent} of {len(rows)} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--per-clip", action="store_true")
    ap.add_argument("--only", choices=("faces", "identity"))
    args = ap.parse_args()
    if args.only != "identity":
        run_faces(args.seeds, args.per_clip)
    if args.only != "faces":
        run_identity(args.seeds, args.per_clip)


if __name__ == "__main__":
    main()
