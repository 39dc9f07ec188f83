"""A texture, a close-up of a surface or a microscope field (newcomer round s11: "a white clock" on a
circuit board, "Throughout: donut" on a texture): the same pattern all over, no thing on a ground.
The detector's COCO names there are said as guesses, after saying what kind of picture it is; a
photograph of things (a cat, an astronaut, coins on a table) is not taken for one."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from skimage import data

from vitron_agent.loading.weights import embedded_available
from vitron_agent.perception.picture_kind import SURFACE_NOTE, made_picture_note, surface_view


def _rgb(g: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.stack([g] * 3, -1)) if g.ndim == 2 else g


def _weave() -> np.ndarray:
    """A woven fabric drawn: alternating warp and weft in two blues, with grain."""
    rng = np.random.default_rng(3)
    img = np.zeros((384, 384, 3), np.uint8)
    for y in range(0, 384, 8):
        for x in range(0, 384, 8):
            c = (40, 60, 120) if (x // 8 + y // 8) % 2 else (70, 90, 160)
            cv2.rectangle(img, (x, y), (x + 7, y + 7), c, -1)
    return np.clip(img + rng.normal(0, 6, img.shape), 0, 255).astype(np.uint8)


@pytest.mark.parametrize(
    "name, image",
    [
        ("gravel", lambda: _rgb(data.gravel())),
        ("grass", lambda: _rgb(data.grass())),
        ("brick", lambda: _rgb(data.brick())),
        ("stained tissue", data.immunohistochemistry),
        ("woven fabric", _weave),
    ],
)
def test_surfaces_and_microscope_fields_are_told(name, image):
    assert surface_view(image()), name


@pytest.mark.parametrize(
    "name, image",
    [
        ("cat", data.chelsea),
        ("astronaut", data.astronaut),
        ("coffee", data.coffee),
        ("motorcycle", lambda: data.stereo_motorcycle()[0]),
        ("coins", lambda: _rgb(data.coins())),
        ("rocket", data.rocket),
    ],
)
def test_photographs_of_things_are_not_surfaces(name, image):
    img = image()
    assert not surface_view(img) and made_picture_note(img) == "", name


@pytest.mark.skipif(not embedded_available("ssd_mobilenet", "ssd_mobilenet_config"), reason="SSD weights")
def test_what_the_detector_names_on_a_microscope_field_is_said_as_a_guess(tmp_path):
    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.toolkit.tool import ToolContext
    from vitron_agent.tools.describe_embedded import EmbeddedDescribeTool

    ctx = ToolContext(store=ArtifactStore(tmp_path))
    out = EmbeddedDescribeTool()(ctx, image=ctx.store.put_image(data.immunohistochemistry()))
    assert out.text.startswith(SURFACE_NOTE), out.text


@pytest.mark.skipif(not embedded_available("ssd_mobilenet", "ssd_mobilenet_config"), reason="SSD weights")
def test_a_grid_of_textures_says_what_kind_of_picture_once(tmp_path):
    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.toolkit.tool import ToolContext
    from vitron_agent.tools.describe_embedded import EmbeddedDescribeTool

    tile = _rgb(data.gravel())[:200, :200]
    ctx = ToolContext(store=ArtifactStore(tmp_path))
    out = EmbeddedDescribeTool()(ctx, image=ctx.store.put_image(np.ascontiguousarray(np.tile(tile, (2, 3, 1)))))
    assert out.text.startswith("This picture is a grid of 6 pictures"), out.text
    assert out.text.count(SURFACE_NOTE) == 1, out.text
