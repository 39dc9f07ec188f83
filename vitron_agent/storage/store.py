"""ArtifactStore: content-addressed, session-scoped, disk-backed, LRU-cached in memory.

Layout on disk (one folder per session)::

    <root>/<session>/<sha256>.png    image (RGB, or RGBA for a cut-out) or mask (1-bit)
    <root>/<session>/<sha256>.safetensors   tensor (key "tensor")
    <root>/<session>/<sha256>.txt    long text
    <root>/<session>/<sha256>.mp4    video: lossless RGB H.264 (libx264rgb, crf 0), read back exactly
    <root>/<session>/<sha256>.npz    mask track: per-frame bit-packed masks, zlib-compressed
    <root>/<session>/<sha256>.json   metadata: kind, shape, dtype, producer, created

With ``remote`` (an :class:`~vitron_agent.storage.object_store.ObjectStore`: S3 or any fsspec URL) the folder
is a bounded local cache and the bucket is where every machine reads: ``put_*`` returns once the
data object and then its metadata object are uploaded, and a ref missing here is fetched (then
verified on first read, as always).

The id is the SHA-256 of the content (pixels or tensor bytes, with kind, shape and
dtype), so storing the same thing twice writes nothing new. Every write goes to
a temporary file, is flushed to disk and renamed into place, data before
metadata. ``put_*`` returns after both are durable -- except on a plan step's view
(``deferring()``), where the encoding and writes run on the background writer and the
step's record is checkpointed only after ``settle()``: either way a ref in the graph's
state always points at a complete artifact, even if the process is killed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path
from typing import Any

import numpy as np

from vitron_agent.core.errors import RefError, ToolFailed
from vitron_agent.core.refs import FeatureRef, ImageRef, MaskRef, TextRef
from vitron_agent.media.images import on_white
from vitron_agent.storage.array_cache import DEFAULT_CACHE_BYTES, ArrayCache
from vitron_agent.storage.clips import CLIP_CACHE_BYTES, VideoArtifacts
from vitron_agent.storage.codecs import (
    CORRUPT,
    _decode_feature,
    _decode_image,
    _decode_mask,
    _digest,
    _image_digest,
    _png_bytes,
    _png_mask_bytes,
    _serialise_tensor,
    atomic_write,
    sweep_orphans,
)
from vitron_agent.storage.writer import DeferredWrites

__all__ = [
    "ArtifactStore",
    "ArrayCache",
    "SESSION_ID_RULE",
    "SESSION_ID_MAX",
    "validate_session_id",
    "safe_session_folder",
    "on_white",
    "open_store",
]

SESSION_ID_MAX = 64
_SESSION_RE = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9._-]{{0,{SESSION_ID_MAX - 1}}}$")
SESSION_ID_RULE = f"1-{SESSION_ID_MAX} letters, digits, '.', '_' or '-', starting with a letter or digit (no '..')"
_FOLDER_RE = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9._-]{{0,{2 * SESSION_ID_MAX - 1}}}$")  # room for an owner prefix
_EXT = {"image": ".png", "mask": ".png", "feature": ".safetensors", "text": ".txt", "video": ".mp4", "track": ".npz"}


def validate_session_id(session: str) -> str:
    """The one rule for a session id that anyone names (the Python API, the CLI, every server
    route, the OpenAI ``user``, MCP, a LangGraph thread): return ``session`` if it is
    :data:`SESSION_ID_RULE`, else raise ``ValueError`` naming the rule and the fix.
    :meth:`Agent.session <vitron_agent.runtime.agent.Agent.session>` applies it once per turn."""
    if not isinstance(session, str) or not _SESSION_RE.match(session) or ".." in session:
        shown = repr(session) if len(repr(session)) <= 80 else repr(session)[:77] + "..."
        raise ValueError(f"invalid session id {shown}: a session id is {SESSION_ID_RULE}; pick another id")
    return session


def safe_session_folder(session: str) -> str:
    """``session`` if it is a safe folder name (a store view's guard, not a second rule: every id a
    user names passed :func:`validate_session_id`, a server's owner-scoped id is longer by its
    owner prefix; this only refuses what could leave the store's root, such as ``..`` or ``/``)."""
    if not isinstance(session, str) or not _FOLDER_RE.match(session) or ".." in session:
        shown = repr(session) if len(repr(session)) <= 80 else repr(session)[:77] + "..."
        raise ValueError(f"invalid session id {shown}: a session id is {SESSION_ID_RULE}; pick another id")
    return session


def open_store(config: Any, data_dir: str | os.PathLike[str], url: str | None = None) -> ArtifactStore:
    """The agent's store: ``url`` (``--artifacts``), else ``[store] url``, else the local ``data_dir``.
    An object-store URL (``s3://bucket/prefix``) is checked to be reachable (else
    :class:`~vitron_agent.storage.object_store.StoreUnreachable` naming it); its local cache lives under
    ``data_dir/object-cache``. A plain path is a local folder."""
    url = url or config.store.url
    root, remote = Path(data_dir), None
    if url and "://" in url:
        from vitron_agent.storage.object_store import open_object_store

        remote = open_object_store(url, config.store.endpoint_url, config.store.local_cache_mb)
        root = root / "object-cache" / hashlib.sha256(url.encode()).hexdigest()[:12]
    elif url:
        root = Path(url)
    store = ArtifactStore(root, "default", cache_bytes=int(config.store.cache_mb * 1024 * 1024), remote=remote)
    store.max_pixels, store.max_video_frames = config.store.max_pixels, config.store.max_video_frames
    store.max_video_seconds = config.store.max_video_seconds
    return store


_atomic_write = atomic_write


class ArtifactStore(VideoArtifacts, DeferredWrites):
    """Artifacts of one session under ``root``; ``for_session`` gives a view of another
    session sharing the same in-memory cache.

    Args:
        root: folder that holds one sub-folder per session (created if missing).
        session: the namespace this view reads and writes.
        cache_bytes: budget of the in-memory LRU of decoded arrays.
    """

    clip_cache_bytes = CLIP_CACHE_BYTES  # clips up to this size are decoded once and kept in the LRU
    # the upload caps ([store] in vitron.toml; open_store sets them): a stored clip decodes under them too
    max_pixels, max_video_frames, max_video_seconds = 64_000_000, 20_000, 3600.0

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
        self.session = safe_session_folder(session)
        self.cache = _cache if _cache is not None else ArrayCache(cache_bytes)
        self.remote = remote
        self.dir = self.root / self.session
        self.dir.mkdir(parents=True, exist_ok=True)
        sweep_orphans(self.dir)  # what a writer killed mid-write left (kill -9): never read, now removed
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
        view.max_pixels, view.max_video_frames = self.max_pixels, self.max_video_frames
        view.max_video_seconds = self.max_video_seconds
        self._views[session] = view
        return view

    def delete_session(self) -> bool:
        """Delete every artifact of this session (here and in the object store); False when none."""
        import shutil

        if (writer := self._active_writer()) is not None:
            writer.flush()
        existed = self.remote.delete_session(self.session) if self.remote is not None else False
        if self.dir.is_dir() and any(self.dir.iterdir()):
            existed = True
        shutil.rmtree(self.dir, ignore_errors=True)
        return existed

    def copy_session(self, new_session: str) -> ArtifactStore:
        """Copy this session's artifacts to ``new_session`` (hard links here when possible)."""
        import shutil

        if (writer := self._active_writer()) is not None:
            writer.flush()
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

    def put_mask(
        self,
        mask: np.ndarray,
        producer: str | None = None,
        image: ImageRef | str | None = None,
        made_by: str | None = None,
    ) -> MaskRef:
        """Store an HxW mask (bool, or any dtype where non-zero means inside). ``made_by``: how it
        was found (a segment step's method), kept in its metadata for the tools that read it."""
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
            extra={"image": image_id, **({"made_by": made_by[:500]} if made_by else {})},
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

    def verified_file(self, digest: str) -> tuple[Any, str] | None:
        """The artifact ``digest``'s file, open for reading at its start, and its extension, the
        file checked against the id first (what a download serves: a file swapped in shared
        storage is a ToolFailed naming the artifact, never served under the old id); None when
        there is no such artifact. Checked once per process and file version (inode, size, time);
        a clip is decoded as a stream from its path, which must still be the open file after."""
        from vitron_agent.storage.codecs import file_key, file_matches_id, remember_verified, verified_before

        path = self.file_of(digest)
        if path is None:
            return None
        fh = open(path, "rb")  # noqa: SIM115 -- handed to the caller, who streams and closes it
        try:
            mark = file_key(path, os.fstat(fh.fileno()), digest)
            if not verified_before(mark):
                caps = (self.max_pixels, self.max_video_frames, self.max_video_seconds)
                source = path if path.suffix == ".mp4" else fh.read()
                if not file_matches_id(path.suffix, source, digest, self._read_meta(digest) or {}, caps):
                    why = "its content does not match its id"
                elif file_key(path, os.stat(path), digest) != mark:
                    why = "its file changed while it was checked; ask again"
                else:
                    why = None
                if why:
                    raise ToolFailed(CORRUPT.format(kind="artifact", id=digest[:12], why=why))
                remember_verified(mark)
            fh.seek(0)
            return fh, path.suffix
        except BaseException:
            fh.close()
            raise

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
        writer = self._active_writer()
        if writer is not None and writer.pending((str(self.dir), ref.id)) is not None:
            if not on_disk and (self.session, kind, ref.id) in self.cache:
                return  # in memory (a step's output whose write is in flight): no need to wait
            self._settled(ref.id)
        here = (self.dir / f"{ref.id}.json").exists() and (not on_disk or (self.dir / f"{ref.id}{_EXT[kind]}").exists())
        if not here and not self._fetch(ref.id):
            raise RefError(
                f"{kind} artifact {ref.id[:12]} does not exist in session '{self.session}': "
                "it was never stored here or the folder was deleted; send the picture or clip again"
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
        if kind in ("image", "mask"):
            self._check_header(ref, kind, path)
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

    def _check_header(self, ref: Any, kind: str, path: Path) -> None:
        """A stored picture's size from its header, before a pixel is decoded: the ref's size and
        within the upload cap (a file swapped in shared storage cannot decode into a bomb)."""
        from PIL import Image

        try:
            with Image.open(path) as im:
                w, h = im.size
        except Exception as exc:
            raise ToolFailed(
                CORRUPT.format(kind=kind, id=ref.id[:12], why=f"it does not decode ({type(exc).__name__})")
            ) from None
        if (w, h) != (ref.width, ref.height):
            why = f"its file is {w}x{h}, not the {ref.width}x{ref.height} stored"
        elif w * h > self.max_pixels:
            why = f"its file is {w}x{h}, over the {self.max_pixels:,}-pixel cap ([store] max_pixels)"
        else:
            return
        raise ToolFailed(CORRUPT.format(kind=kind, id=ref.id[:12], why=why))

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
