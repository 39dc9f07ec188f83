"""Pictures made of pictures: a collage or grid of photos is found by its grid lines and seen tile by tile.

A detector run on a grid of six animal photos sees a few of them (or the salient object sees one), and a
classifier names the mixture; counted and named per tile, each photo is a photo again. A grid line is
either a *gutter* (a band of one colour, at least 2 px wide, across the whole picture, not at its edge)
or a *seam* (photos butted together: the colour jumps between two neighbouring columns or rows in most
of the picture's height or width, at one place). A line is taken only where the tiles it makes are
sizeable (12 % of the side) and, for seams alone, as even as a grid's (a horizon across one photo is a
seam-like line, but one; a grid of seams has at least two lines), the tiles are evenly sized, cover
most of the picture, and none is a flat panel.
"""

from __future__ import annotations

import numpy as np

__all__ = ["find_tiles", "grid_words"]

GUTTER_STD = 4.0  # a gutter's pixels vary less than this (RGB levels) along the whole line
SEAM_JUMP = 30.0  # summed RGB jump between neighbouring columns that makes an edge pixel
SEAM_SHARE = 0.6  # share of a column's pixels that jump at a seam
MIN_TILE = 0.12  # a tile is at least this share of the side


def _flat_runs(img: np.ndarray, axis: int) -> list[tuple[int, int]]:
    """(start, end) runs of lines (columns for axis 0, rows for axis 1) of one colour, 2 px or wider."""
    std = img.std(axis=axis).max(axis=-1)  # per line, the largest channel spread along it
    flat = std < GUTTER_STD
    runs, start = [], None
    for i, f in enumerate(np.append(flat, False)):
        if f and start is None:
            start = i
        elif not f and start is not None:
            if i - start >= 2:
                runs.append((start, i))
            start = None
    return runs


def _gutters(img: np.ndarray, axis: int) -> list[tuple[int, int]]:
    """The flat runs not touching the picture's edge (those that do are its frame)."""
    side = img.shape[1 - axis]
    return [(a, b) for a, b in _flat_runs(img, axis) if a > 0 and b < side]


def _frame(img: np.ndarray, axis: int) -> tuple[int, int]:
    """(first, last) line inside a flat frame along ``axis`` ((0, side) when there is none)."""
    side = img.shape[1 - axis]
    runs = _flat_runs(img, axis)
    first = next((b for a, b in runs if a == 0), 0)
    last = next((a for a, b in runs if b == side), side)
    return (first, last) if first < last else (0, side)


def _seams(img: np.ndarray, axis: int) -> list[int]:
    """Positions where neighbouring lines differ in most of their pixels (photos butted together)."""
    jump = np.abs(np.diff(img, axis=1 - axis)).sum(axis=-1) if axis == 0 else np.abs(np.diff(img, axis=0)).sum(-1)
    share = (jump > SEAM_JUMP).mean(axis=axis)
    n = len(share)
    floor = 2 * np.median(share)  # once: per candidate it was quadratic (a 1x8,000,000 strip never finished)
    return [
        i + 1
        for i in range(2, n - 2)
        if share[i] >= SEAM_SHARE and share[i] == share[max(0, i - 3) : i + 4].max() and share[i] > floor
    ]


def _cuts(img: np.ndarray, axis: int) -> tuple[list[tuple[int, int]], bool]:
    """The intervals the lines of ``axis`` cut the side into (tiles' extents, gutters left out), and
    whether any line is a gutter."""
    side = img.shape[1 - axis]
    gutters = _gutters(img, axis)
    lines = [(a, b) for a, b in gutters]
    if not gutters:  # a collage has gutters or seams; with gutters, a seam is an edge inside a photo
        lines += [(s, s) for s in _seams(img, axis)]
    lines.sort()
    first, last = _frame(img, axis)
    edges, pos = [], first
    for a, b in lines:
        if first < a and b < last:
            edges.append((pos, a))
            pos = b
    edges.append((pos, last))
    tiles = [(a, b) for a, b in edges if b - a >= MIN_TILE * side]
    if len(tiles) != len(edges):  # a thin strip: a border or a caption band, not a tile
        lead = _outer_margins(edges, side)
        tiles = [e for e in edges if e not in lead and e[1] - e[0] >= MIN_TILE * side]
    return tiles, bool(gutters)


def _outer_margins(edges: list[tuple[int, int]], side: int) -> list[tuple[int, int]]:
    """The first and last intervals when they are thin (a frame around the grid)."""
    return [e for e in (edges[0], edges[-1]) if e[1] - e[0] < MIN_TILE * side]


def _even(tiles: list[tuple[int, int]]) -> bool:
    sizes = [b - a for a, b in tiles]
    return max(sizes) <= 1.15 * min(sizes)


def find_tiles(image: np.ndarray) -> list[tuple[int, int, int, int]] | None:
    """The tiles of a picture made of pictures, XYXY pixels, row by row; None when ``image`` (HxWx3
    uint8 RGB) is one picture. A grid needs at least two tiles; seams alone (no gutter) need two lines
    or more, evenly spaced, so one straight edge in a photo (a horizon, a door) is not a grid."""
    img = image[..., :3].astype(np.float32)
    cols, col_gutter = _cuts(img, 0)
    rows, row_gutter = _cuts(img, 1)
    if len(cols) * len(rows) < 2:
        return None
    if not (col_gutter or row_gutter) and len(cols) + len(rows) < 4:
        return None
    if not (_even(cols) and _even(rows)):
        return None
    tiles = [(x1, y1, x2, y2) for y1, y2 in rows for x1, x2 in cols]
    h, w = image.shape[:2]
    covered = sum((x2 - x1) * (y2 - y1) for x1, y1, x2, y2 in tiles) / (h * w)
    # the tiles are most of the picture, and each is a picture (not a flat panel)
    if covered < 0.7 or any(img[y1:y2, x1:x2].std() < 8.0 for x1, y1, x2, y2 in tiles):
        return None
    if (col_gutter or row_gutter) and _framed_by_ground(img, tiles):
        return None  # things on a plain ground with empty bands between them, not pictures side by side
    return tiles


def _framed_by_ground(img: np.ndarray, tiles: list[tuple[int, int, int, int]]) -> bool:
    """Whether a tile's own edge is mostly the gutters' colour: a photo in a collage fills its tile to
    the edge; cut-outs on a plain ground (a montage of people) leave the ground at the tile's edges."""
    ground = np.median(img[_gutter_pixels(img, tiles)], axis=0)
    for x1, y1, x2, y2 in tiles:
        t = img[y1:y2, x1:x2]
        edge = np.concatenate([t[0], t[-1], t[:, 0], t[:, -1]])
        if (np.abs(edge - ground).max(axis=1) < GUTTER_STD).mean() > 0.6:
            return True
    return False


def _gutter_pixels(img: np.ndarray, tiles: list[tuple[int, int, int, int]]) -> np.ndarray:
    """HxW bool: what lies in no tile (gutters and frame)."""
    out = np.ones(img.shape[:2], bool)
    for x1, y1, x2, y2 in tiles:
        out[y1:y2, x1:x2] = False
    return out


def grid_words(tiles: list[tuple[int, int, int, int]]) -> str:
    """'a grid of 6 pictures (2 rows of 3)', 'a strip of 3 pictures side by side'."""
    rows = len({t[1] for t in tiles})
    cols = len(tiles) // max(1, rows)
    if rows == 1:
        return f"a strip of {len(tiles)} pictures side by side"
    if cols == 1:
        return f"a column of {len(tiles)} pictures one above another"
    return f"a grid of {len(tiles)} pictures ({rows} rows of {cols})"
