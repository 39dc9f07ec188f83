"""Clouds as their own stuff kind: the bright, low-saturation regions in or next to a blue sky --
not the sky itself ("remove the clouds" is the cloud pixels, inpainted from the sky round them).

A pixel is cloud when it is lighter than the blue sky's median by CLOUD_LIFT (Lab L) and much less
saturated than it (chroma below 0.55 x the sky's, at most 22) -- or, thin cirrus, 3 lighter and at
most 0.4 x as saturated (at most 16). Its connected region must come within NEAR px (at 320 px) of
the blue sky and have edges (its 90th-percentile texture at least CLOUD_EDGE: a smooth dusk glow
near the horizon is pale and unsaturated too, but is no cloud). With no blue sky (an overcast or a
sunset sky) clouds cannot be told from the sky by colour: the bright colourless part of the sky
(none where there is no sky) is taken and the method says "unsure".
"""

from __future__ import annotations

import numpy as np

__all__ = ["clouds"]

CLOUD_LIFT = 8.0  # Lab L a cloud stands above the blue sky's median
MIN_BLUE_SKY = 0.05  # the share of the picture a blue sky must cover for clouds to be told from it
CLOUD_EDGE = 10.0  # L units a pixel (at 320 px): a cloud's 90th-percentile texture (its edges, billows)
NEAR = 13  # px at 320 px: a cloud's soft rim (neither sky nor cloud) is at most this wide


def clouds(
    L: np.ndarray, a: np.ndarray, b: np.ndarray, tex: np.ndarray, sky: np.ndarray
) -> tuple[np.ndarray, str, str]:
    """(the clouds at this size, the rule in words, a note: "" or "unsure ..."): ``L, a, b`` Lab
    planes, ``tex`` texture (the local mean gradient of L, in L units a pixel), ``sky`` the sky mask (:func:`vitron_agent.perception.stuff.stuff_mask`)."""
    import cv2

    from vitron_agent.perception.masks import components

    sh, sw = L.shape
    chroma = np.hypot(a, b)
    blue_sky = sky & (b < -6) & (chroma > 12)
    rule = "bright and low in saturation against the blue sky round them, with edges"
    if blue_sky.mean() < MIN_BLUE_SKY:
        cand = sky & (L > 68) & (chroma < 18)
        note = (
            "unsure: it cannot tell the clouds from the sky here (there is little blue sky to tell them by), "
            "so it took the bright colourless part of the sky"
        )
        return _tidy(cand, sh, sw), "bright and colourless", note
    sky_l, sky_c = float(np.median(L[blue_sky])), float(np.median(chroma[blue_sky]))
    dense = (L > sky_l + CLOUD_LIFT) & (chroma < min(22.0, 0.55 * sky_c))
    thin = (L > sky_l + 3) & (chroma < min(16.0, 0.4 * sky_c))
    cand = _tidy(dense | thin, sh, sw)
    near = cv2.dilate(blue_sky.astype(np.uint8), np.ones((NEAR, NEAR), np.uint8)) > 0
    keep = np.zeros((sh, sw), bool)
    for c in components(cand, min_pixels=max(6, sh * sw // 2000)):
        if (c & near).any() and np.percentile(tex[c], 90) >= CLOUD_EDGE:
            keep |= c
    keep = cv2.dilate(keep.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0  # the soft rim goes too
    return keep, rule, ""


def _tidy(mask: np.ndarray, sh: int, sw: int) -> np.ndarray:
    import cv2

    m = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    return cv2.morphologyEx(m, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8)) > 0
