"""ArtifactStore: content-addressed, session-scoped, disk-backed, LRU-cached in memory.

Layout on disk (one folder per session)::

    <root>/<session>/<sha256>.png    image (RGB, or RGBA for a cut-out) or mask (1-bit)
    <root>/<session>/<sha256>.safetensors   tensor (key "tensor")
    <root>/<session>/<sha256>.txt    long text
    <root>/<session>/<sha256>.mp4    video: lossless RGB H.264 (libx264rgb, crf 0), read back exactly
    <root>/<session>/<sha256>.npz    mask track: per-frame bit-packed masks, zlib-compressed
    <root>/<session>/<sha256>.json   metadata: kind, shape, dtype, producer, created

With ``remote`` (an :class:`~vitron_agent.object_store.ObjectStore`: S3 or any fsspec URL) the folder
is a bounded local cache and the bucket is where every machine reads: ``put_*`` returns once the
data object and then its metadata object are uploaded, and a ref missing here is fetched (then
verified on first read, as always).

The id is the SHA-256 of the content (pixels or tensor bytes, with kind, shape and
dtype), so storing the same thing twice writes nothing new. Every write goes to
a temporary file, is flushed to disk and renamed into place, data before
metadata, and ``put_*`` returns only after both are durable: a ref handed to
the graph always points at a complete artifact, even if the process is killed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np

from vitron_agent.errors import RefError, ToolFailed
from vitron_agent.media import on_white
from vitron_agent.refs import FeatureRef, ImageRef, MaskRef, MaskTrackRef, TextRef, VideoRef

__all__ = ["ArtifactStore", "ArrayCache", "validate_session_id", "on_white", "open_store"]

_SESSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_EXT = {"image": ".png", "mask": ".png", "feature": ".safetensors", "text": ".txt", "video": ".mp4", "track": ".npz"}
# a decoded clip up to this size is kept whole in the LRU (re-reads of a short clip do not decode)
CLIP_CACHE_BYTES = 96 * 1024 * 1024
CORRUPT = "the stored {kind} {id} is corrupt: {why}; store it again (upload it again, or re-run the step that made it)"
DEFAULT_CACHE_BYTES = 512 * 1024 * 1024


def validate_session_id(session: str) -> str:
    """Return ``session`` if it is a safe folder name, else raise ``ValueError``."""
    if not isinstance(session, str) or not _SESSION_RE.match(session) or ".." in session:
        raise ValueError(
            f"invalid session id {session!r}: use 1-128 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return session


class ArrayCache:
    """A thread-safe LRU of decoded arrays bounded by their total ``nbytes``."""

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES):
        if max_bytes < 0:
            raise ValueError(f"cache budget must be >= 0 bytes, got {max_bytes}")
        self.max_bytes = max_bytes
        self.nbytes = 0
        self._items: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[str, str]) -> Any | None:
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: tuple[str, str], value: Any, nbytes: int) -> None:
        if nbytes > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.nbytes -= _nbytes(old)
            self._items[key] = value
            self.nbytes += nbytes
            while self.nbytes > self.max_bytes and self._items:
                _, evicted = self._items.popitem(last=False)
                self.nbytes -= _nbytes(evicted)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: tuple[str, str]) -> bool:
        return key in self._items


def _nbytes(value: Any) -> int:
    return int(getattr(value, "nbytes", 0))


def open_store(config: Any, data_dir: str | os.PathLike[str], url: str | None = None) -> ArtifactStore:
    """The agent's store: ``url`` (``--artifacts``), else ``[store] url``, else the local ``data_dir``.
    An object-store URL (``s3://bucket/prefix``) is checked to be reachable (else
    :class:`~vitron_agent.object_store.StoreUnreachable` naming it); its local cache lives under
    ``data_dir/object-cache``. A plain path is a local folder."""
    url = url or config.store.url
    root, remote = Path(data_dir), None
    if url and "://" in url:
        from vitron_agent.object_store import open_object_store

        remote = open_object_store(url, config.store.endpoint_url, config.store.local_cache_mb)
        root = root / "object-cache" / hashlib.sha256(url.encode()).hexdigest()[:12]
    elif url:
        root = Path(url)
    return ArtifactStore(root, "default", cache_bytes=int(config.store.cache_mb * 1024 * 1024), remote=remote)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` as ``path``: a new file (created exclusively, fsynced) renamed over it, so a
    reader never sees half a file and a symlink planted at ``path`` is replaced, never followed."""
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_atomic_write = atomic_write


def _digest(kind: str, *parts: bytes) -> str:
    h = hashlib.sha256(kind.encode())
    for part in parts:
        h.update(part)
    return h.hexdigest()


class ArtifactStore:
    """Artifacts of one session under ``root``; ``for_session`` gives a view of another
    session sharing the same in-memory cache.

    Args:
        root: folder that holds one sub-folder per session (created if missing).
        session: the namespace this view reads and writes.
        cache_bytes: budget of the in-memory LRU of decoded arrays.
    """

    clip_cache_bytes = CLIP_CACHE_BYTES  # clips up to this size are decoded once and kept in the LRU

    def __init__(
        self,
        root: str | os.PathLike[str],
        session: str = "default",
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        *,
        remote: Any = None,
        _cache: ArrayCache | None = None,
        _views: dict[str, ArtifactStore] | None = None,
        writer: Any = None,
    ):
        self.root = Path(root)
        self.session = validate_session_id(session)
        self.cache = _cache if _cache is not None else ArrayCache(cache_bytes)
        self.remote = remote
        self.dir = self.root / self.session
        self.dir.mkdir(parents=True, exist_ok=True)
        self._views = _views if _views is not None else {}  # session -> view, shared by every view
        self._views.setdefault(self.session, self)
        self.writer = writer  # ArtifactWriter for deferred writes (a step's view: see deferring())
        self._deferred: list[tuple[str, Any]] | None = None  # this view's writes in flight, when deferring

    @property
    def url(self) -> str:
        """Where the artifacts live: the object store's URL, or the local folder."""
        return self.remote.url if self.remote is not None else str(self.root.resolve())

    def for_session(self, session: str) -> ArtifactStore:
        """The view of ``session`` (made once; again when its folder was deleted meanwhile)."""
        view = self._views.get(session)
        if view is not None and view.dir.is_dir():
            return view
        if len(self._views) >= 4096:  # a long-running server: forget old views (each is cheap to remake)
            self._views.clear()
        view = ArtifactStore(
            self.root, session, remote=self.remote, _cache=self.cache, _views=self._views, writer=self.writer
        )
        self._views[session] = view
        return view

    def deferring(self) -> ArtifactStore:
        """A view of this session whose writes go to the background writer (a plan step's view):
        ``put_*`` returns once the content is hashed and cached; :meth:`settle` waits until
        every write made through this view is durable. Without a writer, the view writes at once."""
        import copy

        view = copy.copy(self)
        if view.writer is None:
            from vitron_agent.artifact_writer import shared_writer

            view.writer = self.writer = shared_writer()
        view._deferred = []
        return view

    def settle(self) -> None:
        """Wait until every write made through this deferring view is on disk (and in the object
        store); a write that failed is a ToolFailed naming the artifact (a StoreUnreachable as is)."""
        if not self._deferred:
            return
        deferred, self._deferred = self._deferred, []
        for digest, future in deferred:
            self._wait_written(digest, future)

    @staticmethod
    def _wait_written(digest: str, future: Any) -> None:
        from vitron_agent.object_store import StoreUnreachable

        try:
            future.result()
        except StoreUnreachable:
            raise
        except Exception as exc:
            raise ToolFailed(f"artifact {digest[:12]} could not be stored: {type(exc).__name__}: {exc}") from None

    def _settled(self, digest: str) -> None:
        """Wait for a write of ``digest`` in flight in this session (made by any step's view)."""
        if self.writer is not None:
            future = self.writer.pending((str(self.dir), digest))
            if future is not None:
                self._wait_written(digest, future)

    def delete_session(self) -> bool:
        """Delete every artifact of this session (here and in the object store); False when none."""
        import shutil

        if self.writer is not None:
            self.writer.flush()
        existed = self.remote.delete_session(self.session) if self.remote is not None else False
        if self.dir.is_dir() and any(self.dir.iterdir()):
            existed = True
        shutil.rmtree(self.dir, ignore_errors=True)
        return existed

    def copy_session(self, new_session: str) -> ArtifactStore:
        """Copy this session's artifacts to ``new_session`` (hard links here when possible)."""
        import shutil

        if self.writer is not None:
            self.writer.flush()
        dst = self.for_session(new_session)
        if self.remote is not None:
            self.remote.copy_session(self.session, new_session)
        for f in sorted(self.dir.iterdir(), key=lambda f: f.suffix == ".json"):  # data before metadata
            if f.name.startswith("."):
                continue
            try:
                os.link(f, dst.dir / f.name)
            except FileExistsError:
                pass
            except OSError:
                shutil.copy2(f, dst.dir / f.name)
        return dst

    # -- writing ---------------------------------------------------------------------------
    def put_image(self, image: np.ndarray, producer: str | None = None) -> ImageRef:
        """Store an HxWx3 uint8 RGB image, or an HxWx4 RGBA one (a cut-out: written as an RGBA PNG;
        ``get_image`` still reads it as RGB on white, ``get_image_rgba`` with its alpha); returns its ref."""
        arr = np.ascontiguousarray(image)
        if arr.dtype != np.uint8 or arr.ndim != 3 or arr.shape[2] not in (3, 4):
            raise ValueError(
                f"put_image expects HxWx3 uint8 RGB (or HxWx4 RGBA), got shape {arr.shape} dtype {arr.dtype}"
            )
        h, w, c = arr.shape
        digest = _image_digest(arr)
        self._write(digest, "image", lambda: _png_bytes(arr), producer, shape=[h, w, c], dtype="uint8")
        self._cache_put(digest, arr.copy(), "image")
        return ImageRef(id=digest, session=self.session, producer=producer, width=w, height=h)

    def put_mask(self, mask: np.ndarray, producer: str | None = None, image: ImageRef | str | None = None) -> MaskRef:
        """Store an HxW mask (bool, or any dtype where non-zero means inside)."""
        arr = np.ascontiguousarray(np.asarray(mask) > 0)
        if arr.ndim != 2:
            raise ValueError(f"put_mask expects an HxW mask, got shape {arr.shape}")
        h, w = arr.shape
        digest = _digest("mask", f"{h}x{w}".encode(), np.packbits(arr).tobytes())
        image_id = image.id if isinstance(image, ImageRef) else image
        self._write(
            digest,
            "mask",
            lambda: _png_mask_bytes(arr),
            producer,
            shape=[h, w],
            dtype="bool",
            extra={"image": image_id},
        )
        self._cache_put(digest, arr, "mask")
        area = np.count_nonzero(arr) / arr.size if arr.size else 0.0
        return MaskRef(id=digest, session=self.session, producer=producer, width=w, height=h, area=area, image=image_id)

    def put_feature(self, tensor: Any, kind: str, producer: str | None = None, key: str | None = None) -> FeatureRef:
        """Store a tensor (numpy array or torch tensor, any dtype safetensors knows).

        ``key`` makes the id a function of ``key`` instead of the content (used for
        caches such as "SAM embedding of image <sha>"), so it can be found again
        before computing it; see :meth:`find_feature`.
        """
        data, shape, dtype = _serialise_tensor(tensor)
        digest = _digest("feature", kind.encode(), key.encode()) if key else _digest("feature", kind.encode(), data)
        self._write(
            digest, "feature", lambda: data, producer, shape=list(shape), dtype=dtype, extra={"kind": kind, "key": key}
        )
        return FeatureRef(
            id=digest, session=self.session, producer=producer, kind=kind, shape=tuple(shape), dtype=dtype
        )

    def find_feature(self, kind: str, key: str) -> FeatureRef | None:
        """The feature stored with ``put_feature(..., kind=kind, key=key)``, if any."""
        digest = _digest("feature", kind.encode(), key.encode())
        meta = self._read_meta(digest)
        if meta is None:
            return None
        return FeatureRef(
            id=digest,
            session=self.session,
            producer=meta.get("producer"),
            kind=kind,
            shape=tuple(meta["shape"]),
            dtype=meta["dtype"],
        )

    def put_text(self, text: str, producer: str | None = None) -> TextRef:
        data = text.encode("utf-8")
        digest = _digest("text", data)
        self._write(digest, "text", lambda: data, producer, shape=[len(text)], dtype="utf-8")
        return TextRef(id=digest, session=self.session, producer=producer, chars=len(text))

    def put_video(self, frames: Any, fps: float, producer: str | None = None) -> VideoRef:
        """Store a clip from an iterable of HxWx3 uint8 RGB frames (all one size) at ``fps``.

        Frames stream to disk (lossless) while they are hashed: a long clip is never held
        in memory. The id is the SHA-256 of the frame pixels and the rate."""
        from vitron_agent.video import VideoWriter, count_frames

        if not (fps > 0):
            raise ValueError(f"fps must be > 0, got {fps}")
        h = hashlib.sha256(b"video")
        h.update(repr(round(float(fps), 6)).encode())
        tmp = self.dir / f".video.{os.getpid()}.{threading.get_ident()}.{time.monotonic_ns()}.tmp.mp4"
        writer = VideoWriter(str(tmp), fps)
        keep: list[np.ndarray] | None = []
        size = None
        try:
            for frame in frames:
                arr = np.ascontiguousarray(frame)
                writer.add(arr)
                if size is None:
                    size = arr.shape[:2]
                    h.update(f"{size[0]}x{size[1]}".encode())
                h.update(arr.tobytes())
                if keep is not None:
                    keep.append(arr)
                    if len(keep) * arr.nbytes > min(CLIP_CACHE_BYTES, self.cache.max_bytes // 4):
                        keep = None
            if writer.frames == 0:
                raise ValueError("put_video needs at least one frame")
            writer.close()
            writer = None
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            digest = h.hexdigest()
            data_path = self.dir / f"{digest}.mp4"
            if data_path.exists():
                tmp.unlink()
            else:
                os.replace(tmp, data_path)
        finally:
            if writer is not None:
                try:
                    writer.close()
                except Exception:  # the first error is the one to report
                    pass
            if tmp.exists():
                tmp.unlink()
        n = len(keep) if keep is not None else None
        count = n if n is not None else count_frames(self.dir / f"{digest}.mp4")
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
        )

    def get_video(self, ref: VideoRef) -> Any:
        """A lazy reader of the clip, :class:`vitron_agent.video.VideoClip`: frames decode on demand."""
        from vitron_agent.video import VideoClip

        self._check(ref, "video")
        return VideoClip(self, ref)

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

    def _write(self, digest: str, kind: str, encode, producer, shape, dtype, extra=None) -> None:
        if self._deferred is not None and encode is not None:  # a step's view: off the tool's thread
            if self.remote is None and (self.dir / f"{digest}.json").exists():
                return  # stored before (metadata is written last)
            future = self.writer.submit(
                (str(self.dir), digest), lambda: self._write_now(digest, kind, encode, producer, shape, dtype, extra)
            )
            self._deferred.append((digest, future))
            return
        self._settled(digest)  # the same artifact in flight from a step: its write, then this check
        self._write_now(digest, kind, encode, producer, shape, dtype, extra)

    def _write_now(self, digest: str, kind: str, encode, producer, shape, dtype, extra=None) -> None:
        data_path = self.dir / f"{digest}{_EXT[kind]}"
        meta_path = self.dir / f"{digest}.json"
        here = data_path.exists() and meta_path.exists()
        if here and (self.remote is None or self.remote.exists(self.session, meta_path.name)):
            return
        if here:  # in the local cache but not in the bucket (a crash between them): upload it again
            meta_bytes = meta_path.read_bytes()
        else:
            if encode is not None:  # None: the data file is already in place (videos stream to it)
                _atomic_write(data_path, encode())
            meta = {
                "kind": kind,
                "shape": shape,
                "dtype": dtype,
                "producer": producer,
                "session": self.session,
                "created": time.time(),
                **(extra or {}),
                "artifact": kind,
            }
            meta_bytes = json.dumps(meta).encode()
        if self.remote is not None:  # data object first, metadata last: complete or invisible
            self.remote.put_file(self.session, data_path.name, data_path)
            self.remote.put_bytes(self.session, meta_path.name, meta_bytes)
        if not here:
            _atomic_write(meta_path, meta_bytes)
            if self.remote is not None:
                self.remote.note_local(self.root, data_path.stat().st_size)

    def _fetch(self, digest: str) -> bool:
        """Bring an artifact of this session from the object store into the local cache: data
        first, metadata last. False when the store has no such artifact (or there is no store)."""
        if self.remote is None:
            return False
        meta_bytes = self.remote.get_bytes(self.session, f"{digest}.json")
        if meta_bytes is None:
            return False
        try:
            meta = json.loads(meta_bytes)
            kind = meta.get("artifact") or meta["kind"]  # a feature's "kind" is its own (sam_embedding ...)
            ext = _EXT.get(kind, _EXT["feature"])
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ToolFailed(
                CORRUPT.format(kind="artifact", id=digest[:12], why="its metadata in the object store is not valid")
            ) from None
        data_path = self.dir / f"{digest}{ext}"
        if not self.remote.get_file(self.session, data_path.name, data_path):
            return False  # metadata without data: never written by this store; treated as absent
        _atomic_write(self.dir / f"{digest}.json", meta_bytes)
        self.remote.note_local(self.root, data_path.stat().st_size)
        return True

    # -- reading ---------------------------------------------------------------------------
    def get_image(self, ref: ImageRef) -> np.ndarray:
        """The image as a read-only HxWx3 uint8 RGB array (a cut-out composited on white, as an
        uploaded transparent picture is)."""
        arr = self._get(ref, "image", _decode_image)
        if arr.shape[2] == 3:
            return arr
        cached = self.cache.get((self.session, "image:rgb", ref.id))
        if cached is None:
            cached = on_white(arr)
            self._cache_put(ref.id, cached, "image:rgb")
        return cached

    def get_image_rgba(self, ref: ImageRef) -> np.ndarray:
        """The image as HxWx4 uint8 RGBA (opaque unless it is a cut-out)."""
        arr = self._get(ref, "image", _decode_image)
        if arr.shape[2] == 4:
            return arr
        return np.concatenate([arr, np.full(arr.shape[:2] + (1,), 255, np.uint8)], axis=2)

    def has_alpha(self, ref: ImageRef) -> bool:
        """Whether the stored image is a cut-out with transparent pixels (RGBA)."""
        shape = self.meta(ref).get("shape") or []  # one metadata read
        return len(shape) == 3 and shape[2] == 4

    def get_mask(self, ref: MaskRef) -> np.ndarray:
        """The mask as a read-only HxW bool array."""
        return self._get(ref, "mask", _decode_mask)

    def get_feature(self, ref: FeatureRef, framework: str = "np") -> Any:
        """The tensor: a numpy array (``framework="np"``) or a CPU torch tensor (``"pt"``)."""
        self._check(ref, "feature")
        path = self.path(ref)
        if framework == "pt":
            from safetensors.torch import load_file as load_pt

            return load_pt(str(path))["tensor"]
        if framework != "np":
            raise ValueError(f"framework must be 'np' or 'pt', got {framework!r}")
        return self._get(ref, "feature", _decode_feature)

    def get_text(self, ref: TextRef) -> str:
        self._check(ref, "text")
        return self.path(ref).read_text("utf-8")

    def path(self, ref: Any) -> Path:
        """The file of an artifact of this session (checked to exist)."""
        kind = ref.type
        self._check(ref, kind)
        return self.dir / f"{ref.id}{_EXT[kind]}"

    def file_of(self, digest: str) -> Path | None:
        """The local file of the artifact ``digest`` of this session, whatever its kind (fetched
        from the object store when it is not here); None when there is no such artifact."""
        if not re.fullmatch(r"[0-9a-f]{64}", digest):
            return None
        self._settled(digest)
        for _ in range(2):
            if (self.dir / f"{digest}.json").is_file():
                for ext in dict.fromkeys(_EXT.values()):
                    if (self.dir / f"{digest}{ext}").is_file():
                        return self.dir / f"{digest}{ext}"
            if not self._fetch(digest):
                return None
        return None

    def meta(self, ref: Any) -> dict[str, Any]:
        self._check(ref, ref.type)
        return self._read_meta(ref.id) or {}

    def exists(self, ref: Any) -> bool:
        try:
            self._check(ref, ref.type)
        except RefError:
            return False
        return True

    def _read_meta(self, digest: str) -> dict[str, Any] | None:
        self._settled(digest)
        try:
            return json.loads((self.dir / f"{digest}.json").read_text())
        except FileNotFoundError:
            if self._fetch(digest):
                return json.loads((self.dir / f"{digest}.json").read_text())
            return None

    def _check(self, ref: Any, kind: str, on_disk: bool = True) -> None:
        if getattr(ref, "type", None) != kind:
            raise RefError(f"expected a {kind} ref, got {type(ref).__name__}")
        if ref.session != self.session:
            raise RefError(
                f"{kind} ref {ref.id[:12]} belongs to session '{ref.session}', not to session "
                f"'{self.session}': refs cannot be used across sessions; upload the media to this session"
            )
        if not re.fullmatch(r"[0-9a-f]{64}", ref.id):
            raise RefError(f"{kind} ref id {ref.id[:80]!r} is not a SHA-256 hex digest")
        if self.writer is not None and self.writer.pending((str(self.dir), ref.id)) is not None:
            if not on_disk and (self.session, kind, ref.id) in self.cache:
                return  # in memory (a step's output whose write is in flight): no need to wait
            self._settled(ref.id)
        here = (self.dir / f"{ref.id}.json").exists() and (not on_disk or (self.dir / f"{ref.id}{_EXT[kind]}").exists())
        if not here and not self._fetch(ref.id):
            raise RefError(
                f"{kind} artifact {ref.id[:12]} does not exist in session '{self.session}': "
                "it was never stored here or the folder was deleted"
            )

    def _get(self, ref: Any, kind: str, decode) -> np.ndarray:
        """Decoded once per process (then from the LRU, keyed by kind too): a file that does not
        decode, or whose content does not hash to its id (truncated, swapped), is a ToolFailed
        naming the artifact, never silently used."""
        self._check(ref, kind, on_disk=False)  # a cached artifact was on disk when cached: no stat per read
        cached = self.cache.get((self.session, kind, ref.id))
        if cached is not None:
            return cached
        self._check(ref, kind)
        path = self.dir / f"{ref.id}{_EXT[kind]}"
        try:
            arr = decode(path)
        except Exception as exc:
            raise ToolFailed(
                CORRUPT.format(kind=kind, id=ref.id[:12], why=f"it does not decode ({type(exc).__name__})")
            ) from None
        if not self._verified(kind, arr, ref.id, path):
            raise ToolFailed(CORRUPT.format(kind=kind, id=ref.id[:12], why="its content does not match its id"))
        self._cache_put(ref.id, arr, kind)
        return arr

    def _verified(self, kind: str, arr: np.ndarray, digest: str, path: Path) -> bool:
        """Whether the decoded content hashes to ``digest`` (as it did when it was stored)."""
        if kind == "image":
            return _image_digest(arr) == digest
        if kind == "mask":
            return _digest("mask", f"{arr.shape[0]}x{arr.shape[1]}".encode(), np.packbits(arr).tobytes()) == digest
        meta = self._read_meta(digest) or {}
        if kind == "track":
            t, h, w = (meta.get("shape") or [0, 0, 0])[:3]
            return _digest("track", f"{t}x{h}x{w}".encode(), np.ascontiguousarray(arr).tobytes()) == digest
        if kind == "feature" and not meta.get("key"):  # content-addressed (a keyed cache entry has no content id)
            return _digest("feature", str(meta.get("kind", "")).encode(), path.read_bytes()) == digest
        return True

    def _cache_put(self, digest: str, arr: np.ndarray, kind: str) -> None:
        arr.flags.writeable = False
        self.cache.put((self.session, kind, digest), arr, arr.nbytes)


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
