"""Hostile round 7: a long thin picture and the face finder. BlazeFace takes a square: the picture was
padded to a square of its longest side before it was shrunk, so a 2x30000 strip (60,000 pixels) made a
2.7 GB canvas and "blur the faces" took about 30 s, and a 1x8,000,000 strip (24 MB) asked for 175 TiB:
"I could not select the faces: ran out of memory ... try a smaller image". Now a strip is shrunk first,
and a face at the end of a strip is still found where it is."""

from __future__ import annotations

import numpy as np
import skimage.data as skdata

from vitron_agent.perception.faces import detect_faces
from vitron_agent.runtime.agent import Agent

FACE = skdata.astronaut()[0:220, 120:340]  # her face and hair, 220x220


def test_a_very_long_strip_asks_for_no_square_of_its_length():
    assert detect_faces(np.full((1, 8_000_000, 3), 120, np.uint8)) == []  # before: MemoryError (175 TiB)


def test_a_face_at_the_end_of_a_strip_is_found_there():
    strip = np.full((220, 220 * 6, 3), 200, np.uint8)
    strip[:, -220:] = FACE
    assert detect_faces(FACE), "the face alone is found"
    faces = detect_faces(strip)
    assert len(faces) == 1, faces
    x1, y1, x2, y2 = faces[0].box
    assert 220 * 5 <= x1 < x2 <= 220 * 6 and 0 <= y1 < y2 <= 220, faces[0].box


def test_blur_the_faces_on_a_long_strip_says_none_was_found(tmp_path):
    agent = Agent(data_dir=tmp_path)
    try:
        result = agent.run("blur the faces", image=np.full((1, 8_000_000, 3), 120, np.uint8), session="s")
    finally:
        agent.close()
    assert "I found no face" in result.answer and "memory" not in result.answer, result.answer
