"""Pale colours as people say them (newcomer round s11): a beige, cream or khaki suit is not "silver/
grey" -- k-means names such pixels white and grey, the nearest base colours, yet under neutral light
their median keeps a hue. A white, grey or silver suit stays without a hue. Recoloured clothes on
scikit-image's astronaut, keeping the photo's shading."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from skimage import data

from vitron_agent.perception.colors import object_colour


def _suit() -> tuple[np.ndarray, np.ndarray]:
    img = data.astronaut()
    hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
    m = ((hsv[..., 0] < 22) | (hsv[..., 0] > 172)) & (hsv[..., 1] > 120) & (hsv[..., 2] > 60)
    m[:215] = False
    m[:, 330:] = False
    return img, m


def _painted(rgb: tuple[int, int, int], gain: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    img, m = _suit()
    out = img.astype(np.float32)
    lum = out.mean(axis=2)
    shade = lum / lum[m].mean()
    out[m] = np.clip(np.array(rgb, np.float32)[None] * shade[m][:, None], 0, 255)
    return np.clip(out * gain, 0, 255).astype(np.uint8), m


@pytest.mark.parametrize(
    "rgb, said",
    [
        ((215, 198, 160), ("beige",)),
        ((240, 230, 200), ("cream",)),
        ((190, 175, 140), ("khaki", "tan")),
        ((220, 205, 170), ("beige", "cream")),  # between the two
    ],
)
def test_a_pale_colour_is_named_as_people_name_it(rgb, said):
    img, m = _painted(rgb)
    assert object_colour(img[m], img)[1] in said


@pytest.mark.parametrize("rgb", [(235, 235, 235), (150, 150, 150), (190, 192, 194)])
@pytest.mark.parametrize("gain", [1.0, 0.4])
def test_white_grey_and_silver_keep_no_hue(rgb, gain):
    img, m = _painted(rgb, gain)
    said = object_colour(img[m], img)[1]
    assert said in ("white", "silver/grey", "dark grey"), said
