"""Made pictures (drawings, icons, logos) are said to be made first, and what the photo-trained models name
there is said as a guess (probe s8 A24: gradio's 61x68 bus icon "I recognise no vehicle; I see a stop
sign.", scikit-image's logo "I see a cup." said surely); on photographs sure names stay sure."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from skimage import data

from vitron_agent.loading.weights import embedded_available

pytestmark = pytest.mark.skipif(
    not embedded_available("ssd_mobilenet", "ssd_mobilenet_config"), reason="SSD weights not installed"
)
MADE = "This looks like a drawing or a computer-made picture"


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.toolkit.tool import ToolContext

    return ToolContext(store=ArtifactStore(tmp_path_factory.mktemp("made")))


def _ask(ctx, image, question):
    from vitron_agent.tools.describe_embedded import EmbeddedDescribeTool

    return EmbeddedDescribeTool()(ctx, image=ctx.store.put_image(image), question=question).text


def _gradio_bus() -> np.ndarray | None:
    spec = importlib.util.find_spec("gradio")
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "media_assets" / "images" / "bus.png"
    if not path.exists():
        return None
    from PIL import Image

    return np.asarray(Image.open(path).convert("RGB"))


def test_an_icon_asked_for_a_vehicle_is_said_as_made_and_its_names_as_guesses(ctx):
    bus = _gradio_bus()
    if bus is None:
        pytest.skip("gradio's media assets are not installed")
    said = _ask(ctx, bus, "what vehicle is this?")
    assert said.startswith(MADE), said
    assert "I see a" not in said and "; I see " not in said, said  # was "I see a stop sign", said surely
    if "stop sign" in said:
        assert "may be a stop sign" in said, said


def test_a_logo_asked_for_an_animal_names_nothing_surely(ctx):
    said = _ask(ctx, data.logo()[..., :3], "what animal is in the logo?")
    assert "not a photograph" in said.split(".")[0], said
    assert "; I see a" not in said, said  # was "I recognise no animal; I see a cup."


def test_a_drawing_with_nothing_named_says_so_plainly(ctx):
    import cv2

    img = np.full((68, 61, 3), 255, np.uint8)  # a bus-like icon drawn here
    cv2.rectangle(img, (4, 10), (56, 52), (220, 30, 30), -1)
    for x in (15, 45):
        cv2.circle(img, (x, 54), 6, (20, 20, 20), -1)
    said = _ask(ctx, img, "what vehicle is this?")
    assert said.startswith(MADE) and said.endswith("I recognise no vehicle, nor anything else."), said


def test_a_photographs_sure_names_stay_sure(ctx):
    from vitron_agent.tools.describe_embedded import _recognised

    moto = data.stereo_motorcycle()[0]
    from vitron_agent.perception.detector import detect_objects

    found = detect_objects(moto)
    assert _recognised(found).startswith("I recognise a motorcycle"), _recognised(found)
    assert _recognised(found, made=True).startswith("I recognise nothing surely; what I see may be a motorcycle")
    said = _ask(ctx, moto, "is there a giraffe?")
    assert "I see no giraffe" in said and "I recognise a motorcycle" in said, said
