"""References to artifacts and the regions a request can carry.

Refs are small pydantic models: they travel in LangGraph state and checkpoints
(as plain dicts via ``model_dump``), while the pixels and tensors they point at
live in the :class:`~vitron_agent.storage.store.ArtifactStore`. Every ref carries the
session it belongs to; resolving it from another session is an error.

Coordinates are pixels with the origin at the top-left corner; ``x`` grows to
the right and ``y`` downwards. Boxes are XYXY (``x1 < x2``, ``y1 < y2``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

__all__ = [
    "ImageRef",
    "MaskRef",
    "VideoRef",
    "MaskTrackRef",
    "FeatureRef",
    "TextRef",
    "Point",
    "Box",
    "Scribble",
    "Detection",
    "Detections",
    "ArtifactRef",
    "Region",
    "ref_from_dict",
    "REF_TYPES",
]


class _Ref(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="SHA-256 of the artifact's content (hex)")
    session: str = Field(description="session namespace the artifact belongs to")
    producer: str | None = Field(default=None, description="step id that produced it, or 'input'")


class ImageRef(_Ref):
    """An RGB image in the store (decoded as HxWx3 uint8)."""

    type: Literal["image"] = "image"
    width: int = Field(gt=0)
    height: int = Field(gt=0)


class MaskRef(_Ref):
    """A binary mask in the store (decoded as HxW bool); ``image`` is the id of
    the image it was computed on, when known."""

    type: Literal["mask"] = "mask"
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    area: float = Field(ge=0.0, le=1.0, description="fraction of pixels inside the mask")
    image: str | None = None


class VideoRef(_Ref):
    """A video in the store (frames decoded lazily, HxWx3 uint8 RGB each, at ``fps``)."""

    type: Literal["video"] = "video"
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    frames: int = Field(gt=0)
    fps: float = Field(gt=0.0)
    audio: str | None = Field(
        default=None,
        description="id of the clip's sound (a stored 'audio' feature, as long as the video); none = silent",
    )

    @property
    def duration(self) -> float:
        return self.frames / self.fps


class MaskTrackRef(_Ref):
    """A per-frame mask sequence in the store (decoded as TxHxW bool); ``video`` is the id of
    the video it was computed on, when known. ``present`` counts frames where the mask is non-empty."""

    type: Literal["track"] = "track"
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    frames: int = Field(gt=0)
    area: float = Field(ge=0.0, le=1.0, description="mean fraction of pixels inside the mask per frame")
    present: int = Field(ge=0, description="frames where the mask is non-empty")
    video: str | None = None


class FeatureRef(_Ref):
    """A tensor in the store: an image embedding, a [SEG] token embedding, prompt embeds."""

    type: Literal["feature"] = "feature"
    kind: str = Field(description="what the tensor is, e.g. 'sam_image_embedding'")
    shape: tuple[int, ...]
    dtype: str


class TextRef(_Ref):
    """A text artifact too long to keep inline in state."""

    type: Literal["text"] = "text"
    chars: int = Field(ge=0)


class Point(BaseModel):
    """A pixel location (x to the right, y down)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    type: Literal["point"] = "point"
    x: float = Field(ge=0)
    y: float = Field(ge=0)
    label: int = Field(default=1, description="1 = foreground click, 0 = background click")


class Box(BaseModel):
    """An axis-aligned box in pixels, XYXY."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    type: Literal["box"] = "box"
    x1: float = Field(ge=0)
    y1: float = Field(ge=0)
    x2: float = Field(ge=0)
    y2: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Box:
        if not (self.x2 > self.x1 and self.y2 > self.y1):
            raise ValueError(
                f"box ({self.x1}, {self.y1}, {self.x2}, {self.y2}) is empty or reversed: "
                "expected XYXY pixels with x1 < x2 and y1 < y2"
            )
        return self

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1


class Detection(BaseModel):
    """One recognised object: its label, the detector's score (0..1), its box (XYXY pixels) and
    the other labels the detector gave the same box a comparable score (``{"dog": 0.4}``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    label: str
    score: float = Field(ge=0.0, le=1.0)
    box: Box
    alternatives: dict[str, float] = Field(default_factory=dict)

    def describe(self) -> str:
        """'cat 0.55 (or dog 0.30)'."""
        alt = "".join(f" or {k} {v:.2f}" for k, v in self.alternatives.items())
        return f"{self.label} {self.score:.2f}" + (f" ({alt.strip()})" if alt else "")


class Detections(BaseModel):
    """What a detector recognised in one image (``width`` x ``height``), best score first. Small:
    it travels in state like a box, and is countable, drawable and a prompt for segmenters."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    type: Literal["detections"] = "detections"
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    items: list[Detection] = Field(default_factory=list)
    model: str = ""

    def summary(self, limit: int = 6) -> str:
        """'person 0.88, chair 0.33' (or 'nothing')."""
        if not self.items:
            return "nothing"
        parts = [d.describe() for d in self.items[:limit]]
        return ", ".join(parts) + (f" and {len(self.items) - limit} more" if len(self.items) > limit else "")


class Scribble(BaseModel):
    """A free-hand region given as a mask artifact (non-zero pixels are the scribble)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    type: Literal["scribble"] = "scribble"
    mask: MaskRef


ArtifactRef = Annotated[
    ImageRef | MaskRef | VideoRef | MaskTrackRef | FeatureRef | TextRef, Field(discriminator="type")
]
Region = Annotated[Point | Box | Scribble, Field(discriminator="type")]

REF_TYPES: dict[str, type[BaseModel]] = {
    "image": ImageRef,
    "mask": MaskRef,
    "video": VideoRef,
    "track": MaskTrackRef,
    "feature": FeatureRef,
    "text": TextRef,
    "point": Point,
    "box": Box,
    "scribble": Scribble,
}

_ANY = TypeAdapter(
    Annotated[
        ImageRef | MaskRef | VideoRef | MaskTrackRef | FeatureRef | TextRef | Point | Box | Scribble,
        Field(discriminator="type"),
    ]
)


def ref_from_dict(data: Any) -> BaseModel:
    """Rebuild a ref or region from its ``model_dump()`` dict (as kept in state)."""
    if isinstance(data, BaseModel):
        return data
    return _ANY.validate_python(data)
