"""'is there any water / sky / grass?' is answered by the same colour, texture and place finder the edits use:
"I see no water" beside a stream, "no grass" on a lawn (newcomer s11)."""

from __future__ import annotations

import numpy as np

from vitron_agent.tools.describe_embedded import _stuff_there


def _outdoor() -> np.ndarray:
    rng = np.random.default_rng(0)
    h, w = 240, 320
    img = np.zeros((h, w, 3), np.uint8)
    rows = np.linspace(0, 1, h // 2)[:, None]
    img[: h // 2] = (np.stack([110 + 60 * rows, 160 + 50 * rows, 235 + 0 * rows], -1) * np.ones((1, w, 1))).astype(
        np.uint8
    )
    grass = np.stack(
        [
            40 + rng.integers(0, 40, (h // 2, w)),
            120 + rng.integers(0, 60, (h // 2, w)),
            30 + rng.integers(0, 30, (h // 2, w)),
        ],
        -1,
    )
    img[h // 2 :] = grass.astype(np.uint8)
    return img


def test_sky_and_grass_are_there():
    img = _outdoor()
    sky = _stuff_there(img, "is there sky", "sky", [], None)
    assert sky is not None and sky.startswith(("Probably", "Perhaps")) and "sky covers about" in sky
    share = int(sky.split("about ")[1].split("%")[0])
    assert 35 <= share <= 65  # the top half
    grass = _stuff_there(img, "is there any grass", "grass", [], None)
    assert grass is not None and grass.startswith(("Probably", "Perhaps"))


def test_no_water_on_a_grey_wall_and_not_stuff():
    grey = np.full((200, 200, 3), 128, np.uint8)
    answer = _stuff_there(grey, "is there any water", "water", [], None)
    assert answer is not None and answer.startswith("I see no water")
    assert _stuff_there(grey, "is there a cat", "cat", [], None) is None  # a thing: the resolver's question
