"""The video side of the ArtifactStore: clips (streamed to disk losslessly while hashed, decoded
lazily) and mask tracks (per-frame bit-packed masks). A mixin of
:class:`vitron_agent.storage.store.ArtifactStore`, which provides the write path, the cache and the checks."""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from vitron_agent.core.refs import MaskTrackRef, VideoRef
from vitron_agent.storage.codecs import (
    CORRUPT,
    ClipHash,
    _decode_track,
    _digest,
    file_key,
    remember_verified,
    verified_before,
    write_clip,
)

__all__ = ["VideoArtifacts", "CLIP_CACHE_BYTES"]

# a decoded clip up to this size is kept whole in the LRU (re-reads of a short clip do not decode)
CLIP_CACHE_BYTES = 96 * 1024 * 1024


class VideoArtifacts:
    """``put_video`` / ``get_video`` and ``put_track`` / ``get_track_frame`` / ``get_track``."""

    dir: Any
    cache: Any
    session: str

    def put_video(self, frames: Any, fps: float, producer: str | None = None, audio: Any = None) -> VideoRef:
        """Store a clip from an iterable of HxWx3 uint8 RGB frames (all one size) at ``fps``.

        Frames stream to disk (lossless) while they are hashed: a long clip is never held
        in memory. The id is the SHA-256 of the frame pixels and the rate. ``audio``: its sound
        (:class:`vitron_agent.media.audio.Audio`), cut or padded here to the clip's exact length and
        stored beside it (the ref's ``audio``); None = silent; or a function of the clip's length in
        seconds that reads it (``lambda s: sound_of(data, s)``), called once the frames are counted,
        so an uploaded file's sound is never read past its pictures."""
        from vitron_agent.media.audio import fit, put_audio

        written = [0]

        def counted() -> Any:  # the frames written, counted on the way (no second decode to count them)
            for frame in frames:
                written[0] += 1
                yield frame

        digest, size, keep = write_clip(counted(), fps, self.dir, min(CLIP_CACHE_BYTES, self.cache.max_bytes // 4))
        count = written[0]
        sound = audio(count / float(fps)) if callable(audio) else audio
        self._write(
            digest,
            "video",
            None,
            producer,
            shape=[count, size[0], size[1], 3],
            dtype="uint8",
            extra={"fps": float(fps)},
        )
        if keep is not None:
            self._cache_put(digest, np.stack(keep), "video")
        return VideoRef(
            id=digest,
            session=self.session,
            producer=producer,
            width=size[1],
            height=size[0],
            frames=count,
            fps=float(fps),
            audio=None if sound is None else put_audio(self, fit(sound, count / float(fps)), producer),
        )

    def get_video(self, ref: VideoRef) -> Any:
        """A lazy reader of the clip, :class:`vitron_agent.media.video.VideoClip`: frames decode on demand."""
        from vitron_agent.media.video import VideoClip

        self._check(ref, "video")
        return VideoClip(self, ref)

    def verify_clip(self, clip: Any) -> np.ndarray | None:
        """Check ``clip``'s file (a :class:`vitron_agent.media.video.VideoClip` of this store) against its
        id (every frame hashed, as when it was stored) before any frame is used: once per process and file (its inode, size and time). A mismatch, a
        decode error or a clip of another length is a ToolFailed naming the artifact. Returns the
        decoded clip when it is small enough for the store's LRU (kept there), else None."""
        from vitron_agent.core.errors import MediaError, ToolFailed

        st, ref = self, clip.ref
        try:
            stat = clip.path.stat()
        except OSError:
            raise ToolFailed(CORRUPT.format(kind="video", id=ref.id[:12], why="its file is missing")) from None
        mark = file_key(clip.path, stat, ref.id)
        small = ref.frames * ref.width * ref.height * 3 <= min(st.clip_cache_bytes, st.cache.max_bytes // 4)
        if verified_before(mark) and not small:
            return None
        digest, keep = ClipHash(ref.fps), []
        try:
            for frame in clip._open():
                digest.add(frame)
                if small:
                    keep.append(frame)
        except MediaError as exc:
            raise ToolFailed(CORRUPT.format(kind="video", id=ref.id[:12], why=f"it does not decode ({exc})")) from None
        if digest.frames != ref.frames or digest.hexdigest() != ref.id:
            raise ToolFailed(CORRUPT.format(kind="video", id=ref.id[:12], why="its content does not match its id"))
        remember_verified(mark)
        if not small:
            return None
        decoded = np.stack(keep)
        st._cache_put(ref.id, decoded, "video")
        return decoded

    def put_track(self, masks: Any, producer: str | None = None, video: VideoRef | str | None = None) -> MaskTrackRef:
        """Store a per-frame mask sequence: a TxHxW array or a list of HxW masks (non-zero = inside)."""
        packed, areas, hw = [], [], None
        for m in masks:
            arr = np.asarray(m) > 0
            if arr.ndim != 2 or (hw is not None and arr.shape != hw):
                raise ValueError(f"put_track expects HxW masks of one size, got {arr.shape} after {hw}")
            hw = arr.shape
            packed.append(np.packbits(arr, axis=None))
            areas.append(float(arr.mean()) if arr.size else 0.0)
        if hw is None:
            raise ValueError("put_track needs at least one mask")
        bits = np.stack(packed)
        digest = _digest("track", f"{len(packed)}x{hw[0]}x{hw[1]}".encode(), bits.tobytes())
        video_id = video.id if isinstance(video, VideoRef) else video

        def encode() -> bytes:
            buf = io.BytesIO()
            np.savez_compressed(buf, bits=bits, shape=np.array([len(packed), hw[0], hw[1]]))
            return buf.getvalue()

        self._write(
            digest,
            "track",
            encode,
            producer,
            shape=[len(packed), hw[0], hw[1]],
            dtype="bool",
            extra={"video": video_id},
        )
        self._cache_put(digest, bits, "track")
        return MaskTrackRef(
            id=digest,
            session=self.session,
            producer=producer,
            width=hw[1],
            height=hw[0],
            frames=len(packed),
            area=min(1.0, float(np.mean(areas))),
            present=int(sum(a > 0 for a in areas)),
            video=video_id,
        )

    def get_track_frame(self, ref: MaskTrackRef, index: int) -> np.ndarray:
        """Frame ``index`` of a mask track as an HxW bool array."""
        if not 0 <= index < ref.frames:
            raise IndexError(f"frame {index} is outside the {ref.frames}-frame track")
        bits = self._get(ref, "track", _decode_track)
        return np.unpackbits(bits[index], count=ref.width * ref.height).reshape(ref.height, ref.width).astype(bool)

    def get_track(self, ref: MaskTrackRef) -> np.ndarray:
        """The whole mask track as a TxHxW bool array (1 byte a pixel: use get_track_frame for long clips)."""
        return np.stack([self.get_track_frame(ref, i) for i in range(ref.frames)])
