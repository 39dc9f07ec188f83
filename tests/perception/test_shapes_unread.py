"""A zero is said only where the shape reading worked: "I see no circles" had been answered on a flower of life
(19 overlapping circle outlines) where no shape at all was read (newcomer s13, class 5)."""

from __future__ import annotations

import cv2
import numpy as np

from vitron_agent.perception.shapes import count_shapes


def _flower() -> np.ndarray:
    """19 circle outlines of one radius on a hexagonal lattice (a flower of life, no ring round it)."""
    image = np.full((300, 300, 3), 255, np.uint8)
    r = 34
    for i in range(-2, 3):
        for j in range(-2, 3):
            if abs(i + j) > 2:
                continue
            x, y = 150 + r * (i + j / 2), 150 + r * j * np.sqrt(3) / 2
            cv2.circle(image, (int(round(x)), int(round(y))), r, (20, 20, 20), 3, cv2.LINE_AA)
    return image


def test_overlapping_outlines_are_not_counted_as_none():
    said = count_shapes(_flower(), "circle").words()
    assert "cannot count the circles surely" in said and "no circles" not in said and "1 circle" not in said


def test_a_zero_beside_shapes_read_is_still_said():
    image = np.full((200, 300, 3), 255, np.uint8)
    cv2.rectangle(image, (20, 20), (80, 80), (255, 0, 0), -1)
    cv2.rectangle(image, (120, 20), (180, 90), (0, 0, 255), -1)
    assert count_shapes(image, "circle").words().startswith("I see no circles; the drawing also has")
