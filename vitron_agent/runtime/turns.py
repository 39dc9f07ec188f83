"""One turn set-up for every surface (Python, CLI, HTTP, OpenAI endpoint, MCP, LangGraph app).

* :class:`TurnRequest` is one turn's request (text, media, regions, review, options), built once
  by each surface and handed to :meth:`Agent.run_turn <vitron_agent.runtime.agent.Agent.run_turn>`;
* :func:`ingest_image` / :func:`ingest_video` take media from any source -- a path, encoded
  bytes, an array, a PIL image, or a ref a client names -- under the store's limits.
* A ref that comes from outside is an **id**: :func:`stored_ref` rebuilds it from the store's
  own metadata (kind, size, frame count, rate) and ignores what the client said about them,
  so a forged ``"frames": 20000000`` or a video id sent as an image changes nothing.
* :func:`turn_state` builds the turn's input state: the current media, the regions (checked
  against the media's size), and what carries over from the last turn (a new picture drops
  the last turn's masks and boxes, a new video its tracks).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from vitron_agent.core.errors import InputError, MediaError, RefError
from vitron_agent.core.refs import Box, ImageRef, Point, Scribble, VideoRef, ref_from_dict

__all__ = [
    "MAX_TEXT_CHARS",
    "TurnRequest",
    "turn_input",
    "ingest_image",
    "ingest_video",
    "stored_ref",
    "ref_from_store",
    "turn_state",
    "regions_state",
]

MAX_TEXT_CHARS = 10_000
EMPTY_TEXT = "the instruction is empty; say what to do, e.g. 'segment the cat, then make it purple'"


@dataclass(frozen=True)
class TurnRequest:
    """One turn's request, built once by a surface and passed whole to the agent.

    Attributes:
        text: the instruction (1-10,000 characters, not blank: checked when built).
        image: a path, encoded bytes, an HxWx3 uint8 RGB array, a PIL image, or an ImageRef (or its
            dict) of the turn's session; None for none (the last turn's picture carries over).
        video: a path, encoded bytes, a TxHxWx3 uint8 RGB array (24 fps) or a VideoRef (or its dict).
        regions: Point / Box / Scribble regions (or their dicts), in pixels of the image or of the
            video's first frame; a list is kept as a tuple.
        review: pause after planning until :meth:`Agent.review <vitron_agent.runtime.agent.Agent.review>`.
        progress: emit ``step_started`` / ``progress`` / ``step_finished`` events (streamed turns,
            or a run with an ``on_event`` callback).

    Raises:
        InputError: the text is not a string, is blank, or is over 10,000 characters.
    """

    text: str
    image: Any = None
    video: Any = None
    regions: tuple[Any, ...] = ()
    review: bool = False
    progress: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.text, str) or not self.text.strip():
            raise InputError(EMPTY_TEXT)
        if len(self.text) > MAX_TEXT_CHARS:
            raise InputError(f"the instruction is {len(self.text):,} characters; keep it under {MAX_TEXT_CHARS:,}")
        if not isinstance(self.regions, tuple):
            object.__setattr__(self, "regions", tuple(self.regions or ()))


def stored_ref(ref: Any, store: Any, kind: str) -> ImageRef | VideoRef:
    """``ref`` (a ref or its dict) rebuilt from ``store``'s metadata: it must name a ``kind``
    artifact of this session; every other field the caller sent is ignored."""
    try:
        given = ref_from_dict(ref) if isinstance(ref, dict) else ref
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"not {'an' if kind[0] in 'aeiou' else 'a'} {kind} ref: {str(exc).splitlines()[0][:200]}"
        ) from None
    if getattr(given, "type", None) != kind:
        raise InputError(f"expected a {kind} ref, got a {getattr(given, 'type', type(ref).__name__)} ref")
    if given.session != store.session:
        raise RefError(f"the {kind} {given.id[:12]} belongs to another session")
    return ref_from_store(store, given.id, kind)


def ref_from_store(store: Any, artifact: str, kind: str) -> ImageRef | VideoRef:
    """The ``kind`` ref of artifact ``artifact`` (a SHA-256 digest) of ``store``'s session, built
    from the store's metadata alone; RefError when there is no such artifact of that kind."""
    import re

    if not re.fullmatch(r"[0-9a-f]{64}", artifact):
        raise RefError(f"{kind} ids are 64 hex digits (a SHA-256 digest); upload the {kind} first")
    meta = store._read_meta(artifact)
    if meta is None or meta.get("kind") != kind:
        raise RefError(f"there is no stored {kind} {artifact[:12]} in this session; upload it first")
    shape = meta.get("shape") or []
    if kind == "image":
        return ImageRef(
            id=artifact, session=store.session, producer=meta.get("producer"), height=shape[0], width=shape[1]
        )
    return VideoRef(
        id=artifact,
        session=store.session,
        producer=meta.get("producer"),
        frames=shape[0],
        height=shape[1],
        width=shape[2],
        fps=meta["fps"],
    )


def ingest_image(image: Any, store: Any, config: Any) -> ImageRef:
    """An image from a path, encoded bytes, an HxWx3 uint8 array, a PIL image or a ref."""
    from vitron_agent.media.images import load_image, to_rgb_array

    if isinstance(image, ImageRef) or (isinstance(image, dict) and "type" in image):
        return stored_ref(image, store, "image")
    if isinstance(image, (str, os.PathLike, bytes)):
        arr = load_image(image, max_pixels=config.store.max_pixels, allowed_roots=config.agent.allowed_roots)
    elif isinstance(image, np.ndarray) or type(image).__module__.startswith("PIL."):
        arr = to_rgb_array(image)
    else:
        raise InputError(
            f"image must be a path, bytes, an HxWx3 uint8 array, a PIL image or an ImageRef; got {type(image).__name__}"
        )
    if arr.shape[0] * arr.shape[1] > config.store.max_pixels:
        raise MediaError("<array>", f"{arr.shape[1]}x{arr.shape[0]} exceeds max_pixels={config.store.max_pixels:,}")
    return store.put_image(arr, producer="input")


def ingest_video(video: Any, store: Any, config: Any) -> VideoRef:
    """A video from a path, encoded bytes, a TxHxWx3 uint8 array (24 fps) or a ref."""
    from vitron_agent.media.video import open_video

    if isinstance(video, VideoRef) or (isinstance(video, dict) and "type" in video):
        return stored_ref(video, store, "video")
    cfg = config.store
    if isinstance(video, (str, os.PathLike, bytes)):
        info, frames = open_video(
            video,
            max_pixels=cfg.max_pixels,
            max_frames=cfg.max_video_frames,
            max_seconds=cfg.max_video_seconds,
            allowed_roots=config.agent.allowed_roots,
        )
        from vitron_agent.media.audio import sound_of

        return store.put_video(frames, info.fps, producer="input", audio=lambda s: sound_of(video, s))
    if isinstance(video, np.ndarray):
        if video.ndim != 4 or video.shape[-1] != 3 or video.dtype != np.uint8 or not len(video):
            raise InputError(
                f"a video array must be TxHxWx3 uint8 RGB with T >= 1, got shape {video.shape} dtype {video.dtype}"
            )
        if video.shape[0] > cfg.max_video_frames or video.shape[1] * video.shape[2] > cfg.max_pixels:
            raise MediaError(
                "<array>",
                f"{video.shape[0]} frames of {video.shape[2]}x{video.shape[1]} exceed "
                f"max_video_frames={cfg.max_video_frames:,} or max_pixels={cfg.max_pixels:,}",
            )
        return store.put_video(iter(video), 24.0, producer="input")
    raise InputError(f"video must be a path, bytes, a TxHxWx3 uint8 array or a VideoRef; got {type(video).__name__}")


def turn_input(request: TurnRequest, session: Any, last: dict[str, Any], config: Any) -> dict[str, Any]:
    """The agent graph's input for ``request`` on ``session`` (a
    :class:`~vitron_agent.runtime.sessions.SessionHandle`): its media ingested into the session's store
    under ``config``'s limits, its regions checked against them, ``last`` (what the previous turn
    left) carried over as :func:`turn_state` says. Every surface's turn starts here."""
    store = session.store
    current: dict[str, Any] = {}
    if request.image is not None:
        current["image"] = ingest_image(request.image, store, config).model_dump(mode="json")
    if request.video is not None:
        current["video"] = ingest_video(request.video, store, config).model_dump(mode="json")
    return turn_state(session.id, request.text, current, last, list(request.regions), store, config.agent.max_repairs)


def turn_state(
    session: str,
    text: str,
    current: dict[str, Any],
    last: dict[str, Any],
    regions: list[Any],
    store: Any,
    max_repairs: int,
) -> dict[str, Any]:
    """The agent graph's input for one turn. ``current``: this turn's media refs (as dicts);
    ``last``: what the previous turn left ("it")."""
    from langgraph.types import Overwrite

    current, last = dict(current), dict(last)
    if "image" in current and last.get("image", {}).get("id") != current["image"]["id"]:
        # a new picture: masks and boxes of the previous turn belong to another image
        last = {k: v for k, v in last.items() if k not in ("mask", "box", "feature")}
    if "video" in current and last.get("video", {}).get("id") != current["video"]["id"]:
        last = {k: v for k, v in last.items() if k not in ("track", "box")}
    if not current and "video" in last and (last.get("_medium") == "video" or "image" not in last):
        current["video"] = last["video"]
    elif not current and "image" in last:
        current["image"] = last["image"]
    media = current.get("image") or current.get("video")
    current.update(regions_state(regions, (media["width"], media["height"]) if media else None, store))
    return {
        "session": session,
        "request": text.strip(),
        "inputs": {"input": current, "last": last},
        "plan": None,
        "problems": [],
        "repairs": 0,
        "max_repairs": max_repairs,
        "records": Overwrite({}),
        "answer": "",
        "replan": False,
        "react_round": 0,
        "react_done": False,
        "review": False,
        "edited": False,
    }


REGION_FORMS = (
    'a region is {"type": "point", "x": X, "y": Y}, {"type": "box", "x1": X1, "y1": Y1, "x2": X2, "y2": Y2} '
    '(pixels, x1 < x2, y1 < y2) or {"type": "scribble", "mask": <a mask ref>}'
)


def region_problem(exc: Exception) -> str:
    """What is wrong with a region, field by field (``point.y: Input should be greater than or
    equal to 0 (got nan)``), from pydantic's errors; never the model's internal union name."""
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return str(exc).splitlines()[0][:200]
    parts = []
    for err in errors()[:4]:
        where = ".".join(str(x) for x in err.get("loc", ()))
        got = err.get("input")
        shown = (
            ""
            if isinstance(got, (dict, list))
            else f" (got {str(got)[:40]!r})"
            if isinstance(got, str)
            else f" (got {got})"
        )
        parts.append(f"{where + ': ' if where else ''}{str(err.get('msg', ''))[:200]}{shown}")
    return "; ".join(parts) or str(exc).splitlines()[0][:200]


def regions_state(regions: list[Any], size: tuple[int, int] | None, store: Any) -> dict[str, Any]:
    """Point / Box / Scribble regions as input values, checked to lie on the media."""
    out: dict[str, Any] = {}
    for region in regions or []:
        try:
            r = ref_from_dict(region) if isinstance(region, dict) else region
        except (ValueError, TypeError) as exc:
            raise InputError(f"a region is malformed: {region_problem(exc)}; {REGION_FORMS}") from None
        if not isinstance(r, (Point, Box, Scribble)):
            raise InputError(f"regions take Point, Box or Scribble, got {type(region).__name__}")
        coords = [r.x, r.y] if isinstance(r, Point) else [r.x1, r.y1, r.x2, r.y2] if isinstance(r, Box) else []
        if not all(np.isfinite(coords)):
            raise InputError(f"the {r.type} region has a coordinate that is not a finite number: {coords}")
        if size is not None and isinstance(r, (Point, Box)):
            w, h = size
            xs, ys = ((r.x,), (r.y,)) if isinstance(r, Point) else ((r.x1, r.x2), (r.y1, r.y2))
            if max(xs) > w or max(ys) > h:
                raise InputError(f"{r.type} {r.model_dump(exclude={'type'})} lies outside the {w}x{h} image")
        if isinstance(r, Scribble):
            store.get_mask(r.mask)
            out.setdefault("scribble", r.mask.model_dump(mode="json"))
        else:
            out.setdefault(r.type, r.model_dump(mode="json"))
    return out
