"""How a person names what to segment or track: words, a colour, a position, a point or a box.
One model shared by ``segment`` (on an image) and ``track`` (on a video's prompt frame), so both
read a target the same way and a planner sees one vocabulary."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from vitron_agent.refs import Box, ImageRef, Point, VideoRef
from vitron_agent.tools.colors import COLORS

__all__ = ["TargetSpec", "OnImage", "OnVideo"]


class OnImage(BaseModel):
    image: ImageRef = Field(description="the image to segment")


class OnVideo(BaseModel):
    video: VideoRef = Field(description="the video to track in")


class TargetSpec(BaseModel):
    """The target, named in any of these ways (on a video: on its prompt frame)."""

    target: str | None = Field(
        default=None,
        max_length=200,
        description="what to find in words, e.g. 'the red car on the left', 'the person', 'the foreground'",
    )
    color: str | None = Field(default=None, max_length=30, description=f"colour of the target: {', '.join(COLORS)}")
    position: Literal["left", "right", "top", "bottom", "center"] | None = Field(
        default=None, description="keep the candidate furthest in this direction"
    )
    point: Point | None = Field(default=None, description="a pixel on the target (x right, y down)")
    box: Box | None = Field(default=None, description="a box around the target, XYXY pixels")
