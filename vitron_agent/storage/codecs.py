"""How artifacts become files and back: content digests (the ids), PNG encoders (RGB/RGBA, and
1-bit masks written directly), decoders, tensors as safetensors, and the atomic fsynced write."""

from __future__ import annotations

import hashlib
import io
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["atomic_write"]


CORRUPT = "the stored {kind} {id} is corrupt: {why}; store it again (upload it again, or re-run the step that made it)"


def _umask() -> int:
    """The process's umask, read without changing it (``os.umask`` sets it: racy in threads)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def atomic_write(path: Path, data: bytes, *, shared: bool = False) -> None:
    """Write ``data`` as ``path``: a new file (created exclusively, fsynced) renamed over it, so a
    reader never sees half a file and a symlink planted at ``path`` is replaced, never followed.
    The file is private to its owner (0600, the artifact store) unless ``shared``: then its mode
    is what ``open()`` would give (0666 less the umask), for files written for people (a run's
    ``--out`` folder, a batch's gallery)."""
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    try:
        if shared:
            os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_ORPHAN_RE = re.compile(r"^\.(?:video\.(\d+)\.\d+\.\d+\.tmp\.mp4|.+\.(\d+)\.[A-Za-z0-9_]+\.tmp)$")
_SWEPT: set[str] = set()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process (EPERM): alive
        return True
    return True


def sweep_orphans(folder: Path) -> int:
    """Remove the temporary files in ``folder`` that a writer killed mid-write left behind (their
    name carries the writer's pid; only those of processes that no longer run here are removed,
    never a live writer's). Once per folder and process; returns how many were removed."""
    key = str(folder)
    if key in _SWEPT:
        return 0
    _SWEPT.add(key)
    removed = 0
    try:
        names = [e.name for e in os.scandir(folder) if e.name.startswith(".") and ".tmp" in e.name]
    except OSError:
        return 0
    for name in names:
        m = _ORPHAN_RE.match(name)
        pid = m and int(m.group(1) or m.group(2))
        if pid and pid != os.getpid() and not _alive(pid):
            try:
                (folder / name).unlink()
                removed += 1
            except OSError:
                pass
    return removed


def _digest(kind: str, *parts: bytes) -> str:
    h = hashlib.sha256(kind.encode())
    for part in parts:
        h.update(part)
    return h.hexdigest()


def _image_digest(arr: np.ndarray) -> str:
    h, w, c = arr.shape
    shape = f"{h}x{w}" if c == 3 else f"{h}x{w}x{c}"  # RGB ids are unchanged by RGBA support
    return _digest("image", shape.encode(), np.ascontiguousarray(arr).tobytes())


def _png_bytes(arr: np.ndarray) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def _png_mask_bytes(mask: np.ndarray) -> bytes:
    """An HxW bool mask as a 1-bit greyscale PNG (written directly: ~15x faster than
    Pillow's 8-bit encoder at 1024x1024, which dominated a cached SAM prompt)."""
    import struct
    import zlib

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    h, w = mask.shape
    rows = np.packbits(mask, axis=1)  # MSB first, rows padded to whole bytes, as PNG wants
    scan = np.concatenate([np.zeros((h, 1), np.uint8), rows], axis=1)  # filter type 0 per row
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(scan.tobytes(), 1))
        + chunk(b"IEND", b"")
    )


def _decode_image(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("RGBA" if im.mode in ("RGBA", "LA", "PA") else "RGB"))


def _decode_mask(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("L")) > 127


def _decode_track(path: Path) -> np.ndarray:
    with np.load(path) as data:
        return data["bits"]


def _decode_feature(path: Path) -> np.ndarray:
    from safetensors.numpy import load_file

    return load_file(str(path))["tensor"]


def _serialise_tensor(tensor: Any) -> tuple[bytes, tuple[int, ...], str]:
    if type(tensor).__module__.startswith("torch"):
        from safetensors.torch import save

        t = tensor.detach().to("cpu").contiguous()
        return save({"tensor": t}), tuple(t.shape), str(t.dtype).removeprefix("torch.")
    from safetensors.numpy import save

    arr = np.ascontiguousarray(np.asarray(tensor))
    return save({"tensor": arr}), arr.shape, str(arr.dtype)


_VERIFIED: set[tuple[Any, ...]] = set()


def file_key(path: Path, st: os.stat_result, digest: str) -> tuple[Any, ...]:
    """What identifies one version of a stored file: a file replaced or rewritten gets a new key."""
    return (str(path), st.st_ino, st.st_size, st.st_mtime_ns, digest)


def verified_before(key: tuple[Any, ...]) -> bool:
    """Whether this process already checked this version of a file against its id."""
    return key in _VERIFIED


def remember_verified(key: tuple[Any, ...]) -> None:
    if len(_VERIFIED) >= 65_536:  # bounded: forgetting only costs one more check
        _VERIFIED.clear()
    _VERIFIED.add(key)


class ClipHash:
    """A clip's id as it is built: SHA-256 of "video", the rate, the frame size and every frame's
    pixels in order. :func:`write_clip` names a clip with it and a reader checks a stored clip
    against its id with it (one definition of a video's id)."""

    def __init__(self, fps: float):
        self.h = hashlib.sha256(b"video")
        self.h.update(repr(round(float(fps), 6)).encode())
        self.size: tuple[int, int] | None = None
        self.frames = 0

    def add(self, frame: np.ndarray) -> None:
        """Hash one HxWx3 uint8 frame (the first one fixes the size)."""
        if self.size is None:
            self.size = frame.shape[:2]
            self.h.update(f"{self.size[0]}x{self.size[1]}".encode())
        self.h.update(np.ascontiguousarray(frame).tobytes())
        self.frames += 1

    def hexdigest(self) -> str:
        return self.h.hexdigest()


def write_clip(frames: Any, fps: float, folder: Path, keep_bytes: int) -> tuple[str, tuple[int, int], list | None]:
    """Stream ``frames`` (HxWx3 uint8 RGB, one size) into ``folder/<digest>.mp4`` (lossless, fsynced,
    renamed into place) while hashing them: (digest, (height, width), the frames when they fit in
    ``keep_bytes``, else None). A long clip is never held in memory."""
    import threading
    import time

    from vitron_agent.media.video import VideoWriter

    if not (fps > 0):
        raise ValueError(f"fps must be > 0, got {fps}")
    h = ClipHash(fps)
    tmp = folder / f".video.{os.getpid()}.{threading.get_ident()}.{time.monotonic_ns()}.tmp.mp4"
    writer = VideoWriter(str(tmp), fps)
    keep: list[np.ndarray] | None = []
    size = None
    try:
        for frame in frames:
            arr = np.ascontiguousarray(frame)
            writer.add(arr)
            h.add(arr)
            size = h.size
            if keep is not None:
                keep.append(arr)
                if len(keep) * arr.nbytes > keep_bytes:
                    keep = None
        if writer.frames == 0:
            raise ValueError("put_video needs at least one frame")
        writer.close()
        writer = None
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        digest = h.hexdigest()
        data_path = folder / f"{digest}.mp4"
        if data_path.exists():
            tmp.unlink()
        else:
            os.replace(tmp, data_path)
            # hashed frame by frame as it was written: this version of the file is verified already
            remember_verified(file_key(data_path, data_path.stat(), digest))
    finally:
        if writer is not None:
            try:
                writer.close()
            except Exception:  # the first error is the one to report
                pass
        if tmp.exists():
            tmp.unlink()
    return digest, size, keep


def file_matches_id(
    suffix: str, source: bytes | Path, digest: str, meta: dict[str, Any], caps: tuple[int, int, float]
) -> bool:
    """Whether a stored file (``source``: its bytes, or its path; ``suffix``: its extension)
    decodes to content whose id is ``digest``, decoded under ``caps`` (max pixels, max video
    frames, max seconds: the upload caps). A clip is decoded from its path as a stream; other
    kinds are read whole (they are the size of one picture or tensor).
    ``meta`` is the artifact's metadata, read for what the id also covers (a clip's rate, a track's
    shape, a feature's kind): a forged value there changes the id, so it cannot make a file pass.
    A keyed feature (a cache entry named by its key, not its content) is checked against its key
    only. Any decode error is False."""
    from PIL import Image

    max_pixels, max_frames, max_seconds = caps
    try:
        if suffix == ".mp4":
            from vitron_agent.media.video import open_video

            clip = ClipHash(float(meta.get("fps") or 0))
            _, frames = open_video(source, max_pixels=max_pixels, max_frames=max_frames, max_seconds=max_seconds)
            for frame in frames:
                clip.add(frame)
            return clip.hexdigest() == digest
        data = source.read_bytes() if isinstance(source, Path) else source
        if suffix == ".png":
            with Image.open(io.BytesIO(data)) as im:
                if im.size[0] * im.size[1] > max_pixels:
                    return False
            if _image_digest(_decode_image(io.BytesIO(data))) == digest:
                return True
            mask = _decode_mask(io.BytesIO(data))
            return _digest("mask", f"{mask.shape[0]}x{mask.shape[1]}".encode(), np.packbits(mask).tobytes()) == digest
        if suffix == ".txt":
            return _digest("text", data) == digest
        if suffix == ".npz":
            bits = _decode_track(io.BytesIO(data))
            t, h, w = (meta.get("shape") or [0, 0, 0])[:3]
            return _digest("track", f"{t}x{h}x{w}".encode(), np.ascontiguousarray(bits).tobytes()) == digest
        if suffix == ".safetensors":
            kind, key = str(meta.get("kind", "")).encode(), meta.get("key")
            if key:
                return _digest("feature", kind, str(key).encode()) == digest
            return _digest("feature", kind, data) == digest
    except Exception:  # not decodable: does not match
        return False
    return False
