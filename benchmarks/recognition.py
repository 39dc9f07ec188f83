"""Recognition by the embedded default: what the default detector (SSD-MobileNetV2) finds on real photos, how well a named target's
mask matches one traced by hand, counts, and the cost per image -- beside what the default did
before the detector (the most prominent object, whatever was named).

    python benchmarks/recognition.py            # prints a table; --json for machines

Photos: scikit-image's sample data. Labels were checked by eye; the masks are polygons traced by
hand on a 50-px grid (outline of the object, holes such as a wheel's spokes filled, as COCO's
annotators do for small gaps). A montage of two copies of one photo is the counting case with
a known answer.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

# Traced by hand (x, y) in image pixels; see the module docstring.
TRACED = {
    "motorcycle": [
        (95, 205),
        (150, 165),
        (200, 160),
        (300, 172),
        (350, 185),
        (420, 160),
        (470, 150),
        (520, 125),
        (560, 140),
        (565, 185),
        (560, 265),
        (600, 265),
        (645, 288),
        (680, 340),
        (685, 392),
        (660, 432),
        (610, 450),
        (560, 440),
        (525, 400),
        (515, 340),
        (470, 372),
        (420, 382),
        (300, 362),
        (280, 382),
        (230, 397),
        (180, 395),
        (140, 370),
        (122, 320),
        (130, 270),
        (110, 245),
        (95, 225),
    ],
    "cup": [
        (172, 100),
        (180, 60),
        (230, 25),
        (300, 18),
        (370, 30),
        (410, 60),
        (415, 100),
        (400, 170),
        (385, 210),
        (360, 240),
        (320, 255),
        (270, 262),
        (250, 262),
        (250, 300),
        (220, 305),
        (200, 295),
        (195, 260),
        (205, 230),
        (185, 200),
        (178, 150),
    ],
    # faces: hairline to chin, ear to ear where seen
    "astronaut_face": [
        (190, 95),
        (205, 78),
        (230, 72),
        (255, 80),
        (268, 100),
        (270, 130),
        (262, 155),
        (245, 172),
        (225, 178),
        (205, 170),
        (190, 150),
        (184, 125),
    ],
    "camera_face": [
        (195, 118),
        (215, 112),
        (240, 118),
        (250, 135),
        (255, 160),
        (250, 185),
        (235, 198),
        (215, 198),
        (200, 185),
        (192, 160),
        (190, 135),
    ],
    # the sky above the horizon, the man and the camera cut out
    "camera_sky": [
        (0, 0),
        (512, 0),
        (512, 170),
        (480, 160),
        (470, 175),
        (445, 175),
        (435, 130),
        (425, 118),
        (412, 125),
        (410, 180),
        (390, 185),
        (330, 185),
        (325, 140),
        (300, 138),
        (268, 140),
        (268, 100),
        (255, 75),
        (225, 62),
        (195, 65),
        (170, 80),
        (150, 105),
        (115, 125),
        (90, 145),
        (60, 170),
        (40, 185),
        (20, 180),
        (0, 178),
    ],
}
# rocket: the dusk sky above the horizon, minus the four towers and the rocket (rectangles, x1, y1, x2, y2)
ROCKET_SKY = (0, 0, 640, 365)
ROCKET_NOT_SKY = [(0, 0, 85, 427), (555, 0, 640, 427), (303, 125, 338, 427), (172, 120, 206, 427), (438, 120, 468, 427)]
# (photo, request target, traced mask, what the photo shows: hand-checked labels)
CASES = [
    ("stereo_motorcycle", "the motorcycle", "motorcycle", {"motorcycle"}),
    ("coffee", "the cup", "cup", {"cup"}),
    ("astronaut", None, None, {"person"}),
    ("camera", None, None, {"person"}),
    ("chelsea", None, None, {"cat"}),
    ("rocket", None, None, set()),
]


def photo(name: str) -> np.ndarray:
    from skimage import data

    img = data.stereo_motorcycle()[0] if name == "stereo_motorcycle" else getattr(data, name)()
    return np.stack([img] * 3, -1) if img.ndim == 2 else img


def traced(name: str, shape: tuple[int, int]) -> np.ndarray:
    import cv2

    m = np.zeros(shape, np.uint8)
    cv2.fillPoly(m, [np.array(TRACED[name], np.int32)], 1)
    return m.astype(bool)


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / max(1, (a | b).sum()))


def pan_clip(frames: int = 24, size: tuple[int, int] = (460, 360)) -> tuple[np.ndarray, list[np.ndarray]]:
    """A camera pan over the motorcycle photo (the window slides right and down a little) and the
    traced motorcycle's mask in each frame."""
    img = photo("stereo_motorcycle")
    full = traced("motorcycle", img.shape[:2])
    w, h = size
    clip, truth = [], []
    for i in range(frames):
        x = round(i * (img.shape[1] - w) / (frames - 1))
        y = round(20 + i * 40 / (frames - 1))
        clip.append(img[y : y + h, x : x + w])
        truth.append(full[y : y + h, x : x + w])
    return np.stack(clip), truth


def track_pan() -> dict:
    """Per-frame IoU of "track the motorcycle" through the pan: detection + association (the
    default) against the colour tracker (the default before)."""
    import tempfile

    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.toolkit.tool import ToolContext, invoke
    from vitron_agent.tools.track import CvTrackTool
    from vitron_agent.tools.track_detect import EmbeddedTrackTool

    clip, truth = pan_clip()
    store = ArtifactStore(tempfile.mkdtemp(), "bench")
    ref = store.put_video(iter(clip), 8.0)
    ctx = ToolContext(store=store, step_id="t")
    out = {}
    for label, tool in (("detection", EmbeddedTrackTool()), ("colour (before)", CvTrackTool())):
        t = time.perf_counter()
        res = invoke(tool, {"video": ref.model_dump(), "target": "the motorcycle"}, ctx)
        secs = time.perf_counter() - t
        masks = store.get_track(res.track)
        ious = [iou(masks[i], truth[i]) for i in range(len(truth))]
        # precision: the share of the mask on the motorcycle (what an edit would change that it should)
        prec = [float((masks[i] & truth[i]).sum() / max(1, masks[i].sum())) for i in range(len(truth))]
        out[label] = {
            "min": round(min(ious), 3),
            "mean": round(float(np.mean(ious)), 3),
            "precision_min": round(min(prec), 3),
            "s": round(secs, 1),
        }
    return out


def main() -> dict:
    from vitron_agent.perception.detector import detect_objects, named
    from vitron_agent.perception.recognise import mask_of, select
    from vitron_agent.perception.salient import salient_map, salient_objects

    rows = []
    detect_objects(photo("astronaut"))  # load once
    for name, target, ref, truth in CASES:
        img = photo(name)
        t = time.perf_counter()
        found = detect_objects(img)
        secs = time.perf_counter() - t
        labels = {d.label for d in found if d.score >= 0.45} | {
            k for d in found for k, v in d.alternatives.items() if v >= 0.45
        }
        row = {
            "photo": name,
            "found": [d.describe() for d in found[:4]],
            "ms": round(1000 * secs),
            "labels_ok": truth <= labels or (not truth and not any(d.score >= 0.5 for d in found)),
        }
        if target:
            gt = traced(ref, img.shape[:2])
            items, _ = select(img, found, named(target), target)
            row["iou_detector"] = round(iou(mask_of(img, items), gt), 3)
            row["iou_before"] = round(iou(salient_objects(salient_map(img)), gt), 3)  # the default before: salient
        rows.append(row)
    from vitron_agent.perception.recognise import face_region, stuff_region

    regions = []
    for name, target, ref in (
        ("astronaut", "her face", "astronaut_face"),
        ("camera", "his face", "camera_face"),
        ("camera", "the sky", "camera_sky"),
        ("rocket", "the sky", None),
    ):
        img = photo(name)
        if ref is None:
            gt = np.zeros(img.shape[:2], bool)
            x1, y1, x2, y2 = ROCKET_SKY
            gt[y1:y2, x1:x2] = True
            for x1, y1, x2, y2 in ROCKET_NOT_SKY:
                gt[y1:y2, x1:x2] = False
        else:
            gt = traced(ref, img.shape[:2])
        t = time.perf_counter()
        if "face" in target:
            mask = face_region(img, target)[0]
        else:
            mask = stuff_region(img, "sky", detect_objects(img))[0]
        regions.append(
            {
                "photo": name,
                "target": target,
                "iou": round(iou(mask, gt), 3),
                "ms": round(1000 * (time.perf_counter() - t)),
            }
        )
    pair = np.concatenate([photo("astronaut"), photo("astronaut")[:, ::-1]], axis=1)
    people = [d for d in detect_objects(pair) if d.label == "person"]
    from vitron_agent.perception.faces import detect_faces

    out = {
        "rows": rows,
        "regions": regions,
        "pan": track_pan(),
        "count_two_astronauts": len(people),
        "faces_two_astronauts": len(detect_faces(pair)),
        "mean_ms": round(float(np.mean([r["ms"] for r in rows]))),
    }
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    res = main()
    if ap.parse_args().json:
        print(json.dumps(res, indent=2))
    else:
        print(f"{'photo':18} {'ms':>5} {'labels ok':>9} {'IoU det':>8} {'IoU before':>10}  found")
        for r in res["rows"]:
            print(
                f"{r['photo']:18} {r['ms']:>5} {str(r['labels_ok']):>9} {r.get('iou_detector', ''):>8} "
                f"{r.get('iou_before', ''):>10}  {', '.join(r['found'])}"
            )
        print(f"\n{'photo':10} {'target':10} {'IoU':>6} {'ms':>5}")
        for r in res["regions"]:
            print(f"{r['photo']:10} {r['target']:10} {r['iou']:>6} {r['ms']:>5}")
        for label, r in res["pan"].items():
            print(
                f"pan over the motorcycle, 'track the motorcycle', {label}: per-frame IoU min {r['min']} mean {r['mean']}, "
                f"worst precision {r['precision_min']} ({r['s']} s for 24 frames)"
            )
        print(
            f"people counted on a montage of two astronauts: {res['count_two_astronauts']} (truth 2); "
            f"faces: {res['faces_two_astronauts']} (truth 2)"
        )
        print(f"detector time per image (two readings), mean: {res['mean_ms']} ms on this machine")
