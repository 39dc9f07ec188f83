"""A person is said in the colour of what they wear (newcomer round s11: navy clothes called brown):
the colour is read below the head, so a face and hair do not outshine a navy or maroon suit.
scikit-image's astronaut with her orange suit recoloured, keeping the photo's shading."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from skimage import data

from vitron_agent.loading.weights import embedded_available

pytestmark = pytest.mark.skipif(
    not embedded_available("ssd_mobilenet", "ssd_mobilenet_config"), reason="detector weights (fetch-weights)"
)


def _painted(rgb: tuple[int, int, int] | None, gain: float = 1.0) -> np.ndarray:
    img = data.astronaut()
    hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
    m = ((hsv[..., 0] < 22) | (hsv[..., 0] > 172)) & (hsv[..., 1] > 120) & (hsv[..., 2] > 60)
    m[:215] = False
    out = img.astype(np.float32)
    if rgb is not None:
        lum = out.mean(axis=2)
        out[m] = np.clip(np.array(rgb, np.float32)[None] * (lum[m] / lum[m].mean())[:, None], 0, 255)
    return np.clip(out * gain, 0, 255).astype(np.uint8)


@pytest.mark.parametrize(
    "rgb, gain, said",
    [
        ((28, 36, 92), 1.0, ("blue", "navy")),
        ((28, 36, 92), 0.4, ("blue", "navy")),
        ((118, 26, 38), 1.0, ("maroon", "red")),
        ((20, 120, 125), 1.0, ("teal", "cyan")),
        (None, 0.4, ("orange",)),  # her own suit in dim light is still orange, not brown
    ],
)
def test_a_person_is_said_in_the_colour_they_wear(rgb, gain, said):
    from vitron_agent.perception.detector import detect_objects
    from vitron_agent.perception.scene_words import describe_scene

    img = _painted(rgb, gain)
    text = describe_scene(img, detect_objects(img))
    worn = text.split("person in ", 1)[1].split()[0] if "person in " in text else ""
    assert worn in said, text
