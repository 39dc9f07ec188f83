"""fill_holes (OpenCV flood fill) equals scipy.ndimage.binary_fill_holes."""

import numpy as np
from scipy import ndimage

from vitron_agent.perception.masks import fill_holes


def test_fill_holes_equals_scipy_on_random_and_edge_cases():
    rng = np.random.default_rng(0)
    cases = [rng.random((h, w)) < p for h, w, p in [(40, 60, 0.5), (33, 17, 0.7), (64, 64, 0.3), (5, 5, 0.9)]]
    ring = np.zeros((20, 20), bool)
    ring[5:15, 5:15] = True
    ring[8:12, 8:12] = False  # a hole
    edge = np.zeros((10, 10), bool)
    edge[:, 3] = edge[:, 7] = edge[0, 3:8] = True  # open at the bottom: not a hole
    for m in [*cases, ring, edge, np.zeros((3, 4), bool), np.ones((3, 4), bool)]:
        assert np.array_equal(fill_holes(m), ndimage.binary_fill_holes(m))
    assert fill_holes(ring)[10, 10] and not ring[10, 10]
