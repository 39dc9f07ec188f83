"""Eye masks (newcomer s12, class 7): "make his eyes red" on Groot painted discs about 3x the eyes' size
(brows, lids, cheeks: red goggles). The eyes are now ellipses sized and turned by the eye keypoints."""

from __future__ import annotations

import cv2
import numpy as np
import skimage.data as skdata

from vitron_agent.perception.recognise import face_region

# the astronaut's eyes, marked by hand (x1, y1, x2, y2 pixels of the 512x512 photo)
EYES = ((194, 96, 213, 104), (238, 97, 257, 105))


def _marked(shape, boxes, turn=None) -> np.ndarray:
    m = np.zeros(shape, np.uint8)
    for x1, y1, x2, y2 in boxes:
        cv2.ellipse(m, ((x1 + x2) // 2, (y1 + y2) // 2), ((x2 - x1) // 2, (y2 - y1) // 2), 0, 0, 360, 1, -1)
    if turn is not None:
        m = cv2.warpAffine(m, turn, shape[::-1], flags=0)
    return m.astype(bool)


def test_the_eyes_mask_covers_the_eyes_not_the_brows_and_cheeks():
    photo = skdata.astronaut()
    mask, method, _ = face_region(photo, "her eyes")
    truth = _marked(photo.shape[:2], EYES)
    assert mask.sum() < 2.0 * truth.sum(), mask.sum() / truth.sum()  # before: 6.9x the eyes' area
    assert (mask & truth).sum() / (mask | truth).sum() > 0.35  # before: 0.15
    assert "ellipses over the eyes" in method


def test_the_eye_ellipses_turn_with_a_tilted_head():
    photo = skdata.astronaut()
    turn = cv2.getRotationMatrix2D((256, 256), 12, 1.0)
    tilted = cv2.warpAffine(photo, turn, (512, 512))
    mask, _, _ = face_region(tilted, "her eyes")
    truth = _marked(photo.shape[:2], EYES, turn)
    assert mask.sum() < 2.0 * truth.sum() and (mask & truth).sum() / (mask | truth).sum() > 0.35
