"""Shot cuts of a clip: PySceneDetect's ContentDetector fed frames one by one (its own reader is not
used), and the shots' frame spans. Here, below the video tools, so that every tool that reads shots
(describe, shot_video, a part of a clip said by its shot) imports it without importing another tool."""

from __future__ import annotations

import numpy as np

from vitron_agent.core.errors import ToolFailed

__all__ = ["shot_cuts", "shot_spans"]


class _Cuts:
    """PySceneDetect's ContentDetector fed frames one by one (its own reader is not used)."""

    def __init__(self, fps: float):
        try:
            from scenedetect import FrameTimecode
            from scenedetect.detectors import ContentDetector
        except ImportError as exc:
            raise ToolFailed(
                "cutting a video into shots needs PySceneDetect, which is not installed: "
                "pip install --no-deps scenedetect==0.7.2 (make install does)"
            ) from exc

        # shots as short as a quarter second count (the default, 15 frames, merges short shots at 10 fps)
        detector = ContentDetector(min_scene_len=max(2, int(round(fps / 4))))
        self.detector, self.fps, self.cuts, self.timecode = detector, fps, [], FrameTimecode

    def add(self, i: int, frame: np.ndarray) -> None:
        found = self.detector.process_frame(self.timecode(i, fps=self.fps), np.ascontiguousarray(frame[:, :, ::-1]))
        self.cuts += [c.frame_num for c in found]

    def finish(self, n: int) -> list[int]:
        post = getattr(self.detector, "post_process", None)
        if post is not None:
            self.cuts += [c.frame_num for c in (post(self.timecode(n, fps=self.fps)) or [])]
        return sorted({c for c in self.cuts if 0 < c < n})


def shot_cuts(frames, fps: float) -> list[int]:
    """First frame of every shot after the first (PySceneDetect ContentDetector) of HxWx3 RGB frames."""
    cuts, n = _Cuts(fps), 0
    for i, f in enumerate(frames):
        cuts.add(i, f)
        n = i + 1
    return cuts.finish(n)


def shot_spans(cuts: list[int], frames: int) -> list[tuple[int, int]]:
    """[(first frame, end frame)) of every shot, from the first frames of the shots after the first."""
    edges = [0, *[c for c in cuts if 0 < c < frames], frames]
    return [(a, b) for a, b in zip(edges, edges[1:], strict=False) if b > a]
