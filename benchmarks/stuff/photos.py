"""Hand-made stuff masks on real photos: the recognition evaluation's *tuning-half* photos
(benchmarks/recognition/tune/instances.json; ``vitron-agent eval fetch`` puts them in
:func:`~vitron_agent.evaluation.photos.photo_cache`) and scikit-image's. Never a photo of its held-out
half (the cache holds those too).

Every photo is scaled to at most 640 px on its longer side; polygons are (x, y) at that size, traced on
a 40-px grid and checked by eye on overlays (``python benchmarks/stuff/cases.py --show DIR``). Where the
outline is intricate (a pagoda's eaves, lattice, thin cables) the polygon bounds the region and a colour
rule written here keeps the stuff's own pixels inside it; the rule was checked on the overlay too.
"""

from __future__ import annotations

import numpy as np

SIDE = 640

# (photo, kind, phrase, half) -> polygons in; each value: list of ("+"|"-", polygon)
POLYS = {
    ("meadow", "sky"): [("+", [(0, 0), (640, 0), (640, 88), (600, 72), (560, 66), (520, 62), (480, 62), (440, 66),
                               (420, 70), (400, 66), (360, 58), (345, 50), (320, 56), (280, 62), (240, 66),
                               (200, 62), (160, 68), (120, 73), (80, 82), (40, 96), (0, 104)])],
    ("meadow", "grass"): [("+", [(0, 256), (80, 262), (160, 270), (240, 276), (320, 283), (400, 289), (440, 293),
                                 (480, 299), (520, 306), (560, 312), (600, 318), (640, 322), (640, 426), (0, 426)])],
    ("meadow", "trees"): [("+", [(0, 104), (40, 112), (80, 122), (120, 134), (160, 152), (200, 170), (240, 190),
                                 (280, 205), (320, 216), (360, 226), (400, 236), (440, 240), (450, 190), (470, 168),
                                 (490, 195), (510, 196), (530, 168), (550, 170), (575, 150), (600, 128), (640, 118),
                                 (640, 322), (600, 318), (560, 312), (520, 306), (480, 299), (440, 293), (400, 289),
                                 (320, 283), (240, 276), (160, 270), (80, 262), (0, 256)])],
    ("rowing_boats", "sky"): [("+", [(0, 0), (640, 0), (640, 96), (600, 102), (560, 112), (520, 122), (480, 130),
                                     (440, 126), (400, 123), (360, 126), (300, 128), (240, 126), (200, 120),
                                     (160, 115), (120, 110), (80, 108), (40, 112), (0, 118)])],
    ("rowing_boats", "water"): [("+", [(0, 152), (400, 155), (640, 165), (640, 186), (560, 190), (480, 194),
                                       (420, 196), (320, 196), (280, 196), (200, 204), (120, 210), (40, 214),
                                       (0, 228)])],
    ("sunset", "sky"): [("+", [(0, 0), (640, 0), (640, 180), (600, 182), (560, 182), (520, 185), (480, 185),
                               (440, 188), (400, 190), (360, 195), (320, 204), (280, 200), (240, 198), (200, 195),
                               (160, 200), (80, 205), (0, 215)])],
    ("motorcycle", "ground"): [
        ("+", [(0, 250), (100, 246), (640, 246), (640, 432), (0, 432)]),
        ("-", [(105, 205), (100, 260), (110, 310), (150, 340), (200, 346), (250, 332), (285, 322), (288, 376),
               (302, 376), (302, 332), (350, 326), (420, 322), (440, 360), (480, 386), (540, 392), (580, 372),
               (596, 322), (582, 270), (552, 240), (520, 230), (450, 230), (410, 240), (400, 200), (300, 200),
               (200, 190), (120, 180)]),
    ],
}  # fmt: skip


def china_sky(img: np.ndarray) -> np.ndarray:
    """Above the far shore (y 208), less the pagoda and the trees: pale low-chroma pixels."""
    from vitron_agent.perception.colors import rgb_to_lab

    lab = rgb_to_lab(img)
    pale = (lab[..., 0] > 62) & (np.hypot(lab[..., 1], lab[..., 2]) < 22)
    m = np.zeros(img.shape[:2], bool)
    m[:208] = True
    return _clean(m & pale)


def china_water(img: np.ndarray) -> np.ndarray:
    """Between the far shore and the near trees, less the pagoda: pale low-chroma pixels."""
    from vitron_agent.perception.colors import rgb_to_lab

    lab = rgb_to_lab(img)
    pale = (lab[..., 0] > 55) & (np.hypot(lab[..., 1], lab[..., 2]) < 22)
    box = poly([(0, 226), (330, 208), (640, 212), (560, 272), (500, 286), (430, 296), (350, 300), (0, 300)], img)
    return _clean(box & pale)


def eiffel_sky(img: np.ndarray) -> np.ndarray:
    """The blue sky: every blue pixel (the tower is yellow and the branches dark)."""
    from vitron_agent.perception.colors import rgb_to_lab

    lab = rgb_to_lab(img)
    return _clean((lab[..., 2] < -12) & (lab[..., 0] > 30))


def camera_grass(img: np.ndarray) -> np.ndarray:
    """The lawn below y 290, less the man (a polygon) and the tripod (thick lines), traced at 640 px and
    scaled to the photo's 512."""
    import cv2

    f = img.shape[0] / 640
    man = np.array([(0, 150), (212, 131), (325, 262), (368, 294), (362, 375), (250, 398), (188, 418), (181, 500),
                    (187, 640), (0, 640)], np.float32)  # fmt: skip
    m = np.zeros(img.shape[:2], np.uint8)
    m[round(290 * f) :] = 1
    cv2.fillPoly(m, [np.round(man * f).astype(np.int32)], 0)
    for (x1, y1), (x2, y2), t in [((365, 395), (290, 640), 16), ((365, 395), (505, 615), 16),
                                  ((370, 395), (372, 605), 12), ((365, 280), (365, 400), 16)]:  # fmt: skip
        cv2.line(m, (round(x1 * f), round(y1 * f)), (round(x2 * f), round(y2 * f)), 0, max(1, round(t * f)))
    return m > 0


def poly(points, img_or_shape) -> np.ndarray:
    import cv2

    shape = img_or_shape.shape[:2] if hasattr(img_or_shape, "shape") else img_or_shape
    m = np.zeros(shape, np.uint8)
    cv2.fillPoly(m, [np.array(points, np.int32)], 1)
    return m > 0


def _clean(m: np.ndarray) -> np.ndarray:
    import cv2

    k = np.ones((3, 3), np.uint8)
    return cv2.morphologyEx(cv2.morphologyEx(m.astype(np.uint8), cv2.MORPH_OPEN, k), cv2.MORPH_CLOSE, k) > 0


def load(name: str) -> np.ndarray:
    """HxWx3 uint8 RGB, at most SIDE px on the longer side: a skimage sample or a cached eval photo."""
    import cv2
    from PIL import Image

    from vitron_agent.evaluation.photos import photo_cache

    path = photo_cache() / f"{name}.png"
    if path.is_file():
        img = np.asarray(Image.open(path).convert("RGB"))
    else:
        from skimage import data

        img = getattr(data, name)()
        img = np.stack([img] * 3, -1) if img.ndim == 2 else img
    h, w = img.shape[:2]
    s = SIDE / max(h, w)
    if s < 1:
        img = cv2.resize(img, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
    return img


def rocket_sky(img: np.ndarray) -> np.ndarray:
    """The references of benchmarks/recognition.py: the dusk sky above the horizon, less the towers."""
    m = np.zeros(img.shape[:2], bool)
    m[:365] = True
    for x1, y1, x2, y2 in [(0, 0, 85, 427), (555, 0, 640, 427), (303, 125, 338, 427), (172, 120, 206, 427),
                           (438, 120, 468, 427)]:  # fmt: skip
        m[y1:y2, x1:x2] = False
    return m


def camera_sky(img: np.ndarray) -> np.ndarray:
    import sys
    from pathlib import Path

    import cv2

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from recognition import traced

    m = traced("camera_sky", (512, 512)).astype(np.uint8)
    return cv2.resize(m, img.shape[1::-1], interpolation=cv2.INTER_NEAREST) > 0


def photo_cases() -> list[tuple[str, str, str, np.ndarray, np.ndarray]]:
    """(case id, kind, phrase, image, reference mask) for every real-photo case."""
    out = []
    for (name, kind), parts in POLYS.items():
        img = load(name)
        m = np.zeros(img.shape[:2], bool)
        for sign, pts in parts:
            m = m | poly(pts, img) if sign == "+" else m & ~poly(pts, img)
        out.append((f"{name}/{kind}", kind, NAMED.get(f"{name}/{kind}", PHRASE[kind]), img, m))
    for name, kind, fn in [("china", "sky", china_sky), ("china", "water", china_water),
                           ("eiffel", "sky", eiffel_sky),
                           ("rocket", "sky", rocket_sky), ("camera", "sky", camera_sky),
                           ("camera", "grass", camera_grass)]:  # fmt: skip
        img = load(name)
        out.append((f"{name}/{kind}", kind, PHRASE[kind], img, fn(img)))
    return out


NAMED = {"motorcycle/ground": "the floor"}
PHRASE = {
    "sky": "the sky",
    "grass": "the grass",
    "trees": "the trees",
    "water": "the water",
    "ground": "the ground",
    "clouds": "the clouds",
}
