"""Composed stuff scenes with exact masks: skies (clear, sunset, hazy, overcast, cloudy, dusk), hills,
tree lines, grass, sand, snow, roads, lakes with reflections and ripples, rooms with walls and floors.

Textures are scikit-image's photos of grass, gravel and brick (``skimage.data.grass`` ...) tinted; every
region is drawn from a mask, so the reference mask is the one the picture was drawn with. Deterministic
(numpy seed per scene).
"""

from __future__ import annotations

import numpy as np

W, H = 480, 320

SKIES = {
    "clear": [(40, 95, 185), (165, 200, 235)],
    "sunset": [(70, 55, 120), (235, 125, 60), (250, 205, 130)],
    "haze": [(185, 198, 210), (228, 228, 222)],
    "overcast": [(196, 198, 204), (214, 214, 216)],
    "cloudy": [(50, 110, 195), (170, 205, 235)],
    "dusk": [(18, 28, 80), (95, 85, 145)],
}
TINTS = {
    "grass": (70, 135, 45),
    "sand": (205, 180, 135),
    "snow": (238, 240, 246),
    "road": (88, 88, 92),
    "trees": (38, 78, 34),
    "autumn": (190, 105, 35),
    "hills": (95, 100, 110),
    "wood": (150, 95, 55),
    "carpet": (120, 110, 100),
    "tile": (200, 198, 192),
}


def _texture(name: str, rng: np.random.Generator, scale: float = 1.0) -> np.ndarray:
    """HxW float in [0, 1]: a crop of a scikit-image texture photo, resized by ``scale``."""
    import cv2
    from skimage import data

    t = getattr(data, name)().astype(np.float32) / 255
    t = cv2.resize(t, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR)
    while t.shape[0] < H or t.shape[1] < W:
        t = np.concatenate([t, t[::-1]], 0) if t.shape[0] < H else np.concatenate([t, t[:, ::-1]], 1)
    y, x = rng.integers(0, t.shape[0] - H + 1), rng.integers(0, t.shape[1] - W + 1)
    t = t[y : y + H, x : x + W]
    return (t - t.mean()) / (t.std() + 1e-6)


def _tinted(colour, tex: np.ndarray, amount: float) -> np.ndarray:
    c = np.array(colour, np.float32)
    return np.clip(c[None, None] * (1 + amount * tex[..., None]), 0, 255)


def _gradient(stops, top: int, bottom: int) -> np.ndarray:
    """HxWx3 float: colour stops from row ``top`` to ``bottom`` (held beyond)."""
    ys = np.clip((np.arange(H) - top) / max(1, bottom - top), 0, 1)
    pos = np.linspace(0, 1, len(stops))
    cols = np.stack([np.interp(ys, pos, [s[i] for s in stops]) for i in range(3)], -1)
    return np.repeat(cols[:, None], W, 1).astype(np.float32)


def _noise(rng: np.random.Generator, blur: float, sx: float = 1.0) -> np.ndarray:
    import cv2

    n = rng.normal(size=(H, W)).astype(np.float32)
    n = cv2.GaussianBlur(n, (0, 0), sigmaX=blur * sx, sigmaY=blur)
    return (n - n.mean()) / (n.std() + 1e-6)


def _sky(style: str, horizon: int, rng: np.random.Generator) -> np.ndarray:
    img = _gradient(SKIES[style], 0, horizon)
    if style in ("cloudy", "overcast"):
        n = _noise(rng, 14, 2.5)
        cover = np.clip((n - (0.6 if style == "cloudy" else -0.5)) * 0.9, 0, 1)[..., None]
        white = np.array([245, 245, 248] if style == "cloudy" else [228, 228, 232], np.float32)
        img = img * (1 - cover) + white * cover
    return img


def _line(rng: np.random.Generator, y0: float, amp: float, waves: int = 3) -> np.ndarray:
    """W row indices: a wavy line (hills, a tree line)."""
    x = np.arange(W) / W
    y = np.full(W, y0, np.float32)
    for k in range(1, waves + 1):
        y += amp / k * np.sin(2 * np.pi * (k * x + rng.random()))
    return y


def _below(line: np.ndarray) -> np.ndarray:
    return np.arange(H)[:, None] >= line[None]


def _trees(rng: np.random.Generator, base: np.ndarray, colour: str) -> tuple[np.ndarray, np.ndarray]:
    """(mask, colours) of a tree line standing on ``base``: crowns as overlapping discs."""
    import cv2

    m = np.zeros((H, W), np.uint8)
    x = 0
    while x < W:
        r = int(rng.integers(14, 34))
        cy = int(base[min(W - 1, x)] - r * rng.uniform(0.6, 1.6))
        cv2.circle(m, (x, cy), r, 1, -1)
        cv2.rectangle(m, (x - r, cy), (x + r, int(base[min(W - 1, x)]) + 2), 1, -1)
        x += int(rng.integers(r // 2, r + 4))
    m = (m > 0) & ~_below(base + 1)
    return m, _tinted(TINTS[colour], _texture("gravel", rng, 0.6), 0.35)


def landscape(seed: int, sky: str, ground: str, trees: str | None = None, water: bool = False):
    """(image, {kind: mask}) of an outdoor scene: sky, hills, optional tree line, optional lake, ground."""
    rng = np.random.default_rng(seed)
    horizon = _line(rng, rng.uniform(0.35, 0.5) * H, rng.uniform(6, 20))
    img = _sky(sky, int(horizon.max()), rng)
    hills = _below(horizon - rng.uniform(15, 40) - 12 * np.abs(_line(rng, 0, 1, 2)))
    img[hills] = _tinted(TINTS["hills"], _noise(rng, 3), 0.12)[hills] * (0.55 if sky in ("sunset", "dusk") else 1)
    masks = {"sky": ~hills}
    shore = horizon + rng.uniform(0, 6)
    land = _below(shore)
    if trees:
        tm, tc = _trees(rng, shore, trees)
        img[tm] = tc[tm]
        masks["sky"] &= ~tm
        masks["trees"] = tm
    if water:
        near = _line(rng, shore.mean() + rng.uniform(0.3, 0.45) * H, 6, 2)
        wm = land & ~_below(near)
        refl = _reflection(img, shore, rng)
        img[wm] = refl[wm]
        masks["water"] = wm
        land = _below(near)
    kind = "grass" if ground == "grass" else "ground"
    tex = _texture("grass" if ground == "grass" else "gravel", rng, 0.8)
    img[land] = _tinted(TINTS[ground], tex, 0.08 if ground == "snow" else 0.3)[land]
    masks[kind] = land
    return np.clip(img, 0, 255).astype(np.uint8), masks


def _reflection(img: np.ndarray, shore: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """What lies above the shore mirrored below it, darkened, bluer, broken by horizontal ripples."""
    out = np.zeros_like(img)
    ripple = _noise(rng, 1.5, 8)
    for x in range(W):
        s = int(shore[x])
        ys = np.arange(H)
        src = np.clip(2 * s - ys + (2.5 * ripple[:, x]).astype(int), 0, H - 1)
        out[:, x] = img[src, x]
    out = 0.65 * out + 0.35 * np.array([30, 70, 110], np.float32)
    return np.clip(out * (1 + 0.08 * ripple[..., None]), 0, 255)


def room(seed: int, wall, floor: str, things: int = 2):
    """(image, {"ground": floor mask}) of a room: a painted wall (a soft light gradient), a skirting board,
    a floor (wood planks, carpet or tiles) and boxes standing on it (not the floor)."""
    import cv2

    rng = np.random.default_rng(seed)
    line = int(rng.uniform(0.5, 0.68) * H)
    img = _gradient([tuple(np.array(wall) * 1.05), wall, tuple(np.array(wall) * 0.85)], 0, line)
    img *= 1 + 0.02 * _noise(rng, 2)[..., None]
    floor_m = np.arange(H)[:, None] >= line + np.zeros((1, W))
    img[line - 6 : line] = np.array(wall) * 0.7
    img[floor_m] = _floor(floor, rng, line)[floor_m]
    for _ in range(things):
        x = int(rng.integers(20, W - 140))
        w, hh = int(rng.integers(60, 130)), int(rng.integers(60, 150))
        bottom = int(rng.integers(line + 20, H - 10))
        colour = tuple(int(c) for c in rng.integers(30, 230, 3))
        cv2.rectangle(img, (x, bottom - hh), (x + w, bottom), colour, -1)
        floor_m[bottom - hh : bottom + 1, x : x + w + 1] = False
    return np.clip(img, 0, 255).astype(np.uint8), {"ground": floor_m}


def _floor(kind: str, rng: np.random.Generator, line: int) -> np.ndarray:
    if kind == "wood":
        grain = _noise(rng, 1.0, 12)
        plank = (np.arange(H)[:, None] - line) // 18 + np.zeros((1, W), int)
        shade = 1 + 0.12 * np.sin(plank * 2.3)
        img = _tinted(TINTS["wood"], grain, 0.12) * shade[..., None]
        img[(np.arange(H) - line) % 18 == 0] *= 0.6
        return img
    if kind == "tile":
        ys, xs = np.mgrid[0:H, 0:W]
        img = _tinted(TINTS["tile"], _noise(rng, 1), 0.03)
        img[((ys - line) % 40 < 2) | (xs % 40 < 2)] *= 0.75
        return img
    return _tinted(TINTS[kind], _texture("gravel", rng, 0.5), 0.15)


def street(seed: int, sky: str):
    """(image, {"ground": road mask, "sky": sky mask}): buildings with windows along a road."""
    import cv2

    rng = np.random.default_rng(seed)
    img = _sky(sky, H // 2, rng)
    line = int(rng.uniform(0.55, 0.65) * H)
    bld = np.zeros((H, W), bool)
    x = 0
    while x < W:
        w, top = int(rng.integers(60, 140)), int(rng.integers(20, line - 60))
        colour = np.array(rng.integers(90, 210, 3), np.float32)
        img[top:line, x : x + w] = colour
        for wy in range(top + 12, line - 20, 28):
            for wx in range(x + 8, x + w - 16, 22):
                cv2.rectangle(img, (wx, wy), (wx + 10, wy + 14), (40, 50, 70), -1)
        bld[top:line, x : x + w] = True
        x += w
    road = np.arange(H)[:, None] >= line + np.zeros((1, W))
    img[road] = _tinted(TINTS["road"], _texture("gravel", rng, 0.5), 0.2)[road]
    for xx in range(0, W, 60):
        img[(line + H) // 2 : (line + H) // 2 + 4, xx : xx + 30] = 235
    return np.clip(img, 0, 255).astype(np.uint8), {"ground": road, "sky": ~bld & ~road}


SCENES = [
    ("clear_grass", lambda: landscape(1, "clear", "grass")),
    ("sunset_grass", lambda: landscape(2, "sunset", "grass")),
    ("haze_sand", lambda: landscape(3, "haze", "sand")),
    ("overcast_snow", lambda: landscape(4, "overcast", "snow")),
    ("cloudy_trees_grass", lambda: landscape(5, "cloudy", "grass", trees="trees")),
    ("dusk_autumn_road", lambda: landscape(6, "dusk", "road", trees="autumn")),
    ("clear_trees_lake", lambda: landscape(7, "clear", "grass", trees="trees", water=True)),
    ("sunset_lake", lambda: landscape(8, "sunset", "sand", water=True)),
    ("haze_lake_sand", lambda: landscape(9, "haze", "sand", trees="trees", water=True)),
    ("cloudy_lake", lambda: landscape(10, "cloudy", "grass", water=True)),
    ("overcast_trees_grass", lambda: landscape(11, "overcast", "grass", trees="trees")),
    ("clear_autumn_grass", lambda: landscape(12, "clear", "grass", trees="autumn")),
    ("room_beige_wood", lambda: room(13, (222, 210, 188), "wood")),
    ("room_blue_carpet", lambda: room(14, (185, 202, 222), "carpet")),
    ("room_white_tile", lambda: room(15, (236, 236, 234), "tile")),
    ("room_green_wood", lambda: room(16, (168, 198, 158), "wood", 1)),
    ("room_grey_carpet", lambda: room(17, (160, 160, 165), "carpet", 3)),
    ("street_clear", lambda: street(18, "clear")),
    ("street_overcast", lambda: street(19, "overcast")),
    ("street_sunset", lambda: street(20, "sunset")),
    # added after the fixes of session s11 (21:05): a second seed of six kinds, written before they were run
    ("dusk_trees_lake", lambda: landscape(21, "dusk", "grass", trees="trees", water=True)),
    ("overcast_autumn_road", lambda: landscape(22, "overcast", "road", trees="autumn")),
    ("sunset_trees_snow", lambda: landscape(23, "sunset", "snow", trees="trees")),
    ("haze_grass", lambda: landscape(24, "haze", "grass")),
    ("room_beige_tile", lambda: room(25, (210, 190, 160), "tile", 2)),
    ("street_haze", lambda: street(26, "haze")),
]
PHRASES = {"sky": "the sky", "grass": "the grass", "trees": "the trees", "water": "the water"}
GROUND = {"haze_sand": "the sand", "overcast_snow": "the snow", "dusk_autumn_road": "the road",
          "sunset_lake": "the beach", "haze_lake_sand": "the sand", "overcast_autumn_road": "the road",
          "sunset_trees_snow": "the snow"}  # fmt: skip


def composed_cases() -> list[tuple[str, str, str, np.ndarray, np.ndarray]]:
    """(case id, kind, phrase, image, reference mask) for every composed scene and stuff in it."""
    out = []
    for name, make in SCENES:
        img, masks = make()
        for kind, m in masks.items():
            if kind == "ground":
                phrase = GROUND.get(name, "the road" if name.startswith("street") else "the floor")
            else:
                phrase = PHRASES[kind]
            out.append((f"{name}/{kind}", kind, phrase, img, m))
    return out
