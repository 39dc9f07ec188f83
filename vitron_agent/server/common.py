"""What the HTTP app and the OpenAI-compatible routes share: request models, id checks and
media helpers (a module of its own, so neither imports the other)."""

from __future__ import annotations

import base64
import re
from typing import Any

from pydantic import BaseModel, Field

from vitron_agent.errors import InputError

__all__ = ["DIGEST", "RunRequest", "data_url_bytes", "store_video"]

DIGEST = re.compile(r"^[0-9a-f]{64}$")


class RunRequest(BaseModel):
    text: str = Field(min_length=1, max_length=10_000, description="the instruction")
    image: dict[str, Any] | None = Field(default=None, description="an ImageRef returned by an upload (or null)")
    video: dict[str, Any] | None = Field(default=None, description="a VideoRef returned by an upload (or null)")
    regions: list[dict[str, Any]] = Field(default_factory=list, max_length=16, description="Point / Box regions")
    review: bool = Field(default=False, description="stop after planning for approval")


def store_video(agent, sid: str, data: bytes, name: str):
    from vitron_agent.video import open_video

    cfg = agent.config.store
    info, frames = open_video(data, max_pixels=cfg.max_pixels, max_frames=cfg.max_video_frames,
                              max_seconds=cfg.max_video_seconds, name=name)
    return agent.store_for(sid).put_video(frames, info.fps, producer="input")


def data_url_bytes(url: str, medium: str = "image") -> bytes:
    """The bytes of a ``data:<medium>/...;base64,...`` URL (anything else is refused: no fetching)."""
    m = re.match(rf"^data:{medium}/[A-Za-z0-9.+-]+;base64,(.*)$", url, re.S)
    if not m:
        raise InputError(f"{medium}_url must be a data:{medium}/...;base64 URL or vitron://<artifact id>; "
                         "the server fetches nothing from the network")
    try:
        return base64.b64decode(m.group(1), validate=True)
    except ValueError:
        raise InputError(f"{medium}_url data is not valid base64") from None

