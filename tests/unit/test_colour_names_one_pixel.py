"""Colour names of one-colour regions (a 1x1 picture crashed the colour question with a traceback)."""

import numpy as np

from vitron_agent.perception.colors import name_colors


def test_one_pixel_and_one_colour_are_named():
    assert name_colors(np.array([[200, 20, 20]], np.uint8)) == [("red", 1.0)]
    flat = np.zeros((5, 5, 3), np.uint8)
    flat[:] = (20, 40, 200)
    assert name_colors(flat.reshape(-1, 3))[0][0] == "blue"
