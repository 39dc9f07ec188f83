"""A picture made of pictures (newcomer round s10: "how many animals?" on a grid of animal photos said 1)
is found by its grid lines and counted tile by tile; one photo is never cut into tiles."""

from __future__ import annotations

import numpy as np
import pytest
from skimage import data

from vitron_agent.loading.weights import embedded_available


def _grid(photos: list[np.ndarray], cols: int, gap: int, colour=(255, 255, 255), tw=200, th=150) -> np.ndarray:
    import cv2

    rows = -(-len(photos) // cols)
    canvas = np.full((rows * th + (rows + 1) * gap, cols * tw + (cols + 1) * gap, 3), colour, np.uint8)
    for i, p in enumerate(photos):
        r, c = divmod(i, cols)
        y, x = gap + r * (th + gap), gap + c * (tw + gap)
        canvas[y : y + th, x : x + tw] = cv2.resize(p[..., :3], (tw, th), interpolation=cv2.INTER_AREA)
    return canvas


def test_grids_with_gutters_or_butted_seams_are_tiles_and_photos_are_not():
    from vitron_agent.perception.tiles import find_tiles, grid_words

    pics = [
        data.chelsea(),
        data.coffee(),
        data.astronaut(),
        data.rocket(),
        data.chelsea()[:, ::-1],
        data.coffee()[::-1],
    ]
    for cols, gap in ((3, 6), (2, 0), (3, 0), (2, 12)):
        tiles = find_tiles(_grid(pics, cols, gap, colour=(0, 0, 0) if gap == 12 else (255, 255, 255)))
        assert tiles is not None and len(tiles) == 6, (cols, gap, tiles)
        assert grid_words(tiles) == f"a grid of 6 pictures ({6 // cols} rows of {cols})"
    for name in ("astronaut", "chelsea", "coffee", "rocket", "camera", "coins", "moon", "checkerboard", "page"):
        img = getattr(data, name)()
        img = np.stack([img] * 3, -1) if img.ndim == 2 else img[..., :3]
        assert find_tiles(img) is None, name


@pytest.mark.skipif(not embedded_available("ssd_mobilenet", "ssd_mobilenet_config"), reason="detector weights")
def test_animals_in_a_grid_are_counted_per_tile(tmp_path):
    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.toolkit.tool import ToolContext
    from vitron_agent.tools.describe_embedded import EmbeddedCountTool

    ctx = ToolContext(store=ArtifactStore(tmp_path))
    img = _grid([data.chelsea(), data.coffee(), data.chelsea()[:, ::-1], data.astronaut()], 2, 8)
    out = EmbeddedCountTool()(ctx, image=ctx.store.put_image(img), target="animals")
    assert out.count == 2 and "grid of 4 pictures" in out.text and "(1, 0, 1, 0)" in out.text, out.text
    assert "grid lines" in out.method


@pytest.mark.skipif(not embedded_available("ssd_mobilenet", "ssd_mobilenet_config"), reason="detector weights")
def test_a_grid_is_described_picture_by_picture(tmp_path):
    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.toolkit.tool import ToolContext
    from vitron_agent.tools.describe_embedded import EmbeddedDescribeTool

    ctx = ToolContext(store=ArtifactStore(tmp_path))
    img = _grid([data.chelsea(), data.coffee(), data.astronaut(), data.chelsea()[:, ::-1]], 2, 8)
    said = EmbeddedDescribeTool()(ctx, image=ctx.store.put_image(img)).text
    assert said.startswith("This picture is a grid of 4 pictures (2 rows of 2). Top left: I see a brown cat"), said
    assert "Top right: " in said and "cup" in said.split("Top right: ")[1].split(". Bottom left")[0]
    assert "person" in said.split("Bottom left: ")[1].split(". Bottom right")[0]
    assert "Bottom right: I see a brown cat" in said
