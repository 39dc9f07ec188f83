"""Batch inputs in an object store (``s3://bucket/prefix/``, ``s3://bucket/photos/*.jpg``; any
fsspec URL), read where they are: the driver only lists them (a listing gives each object's ETag
and size, which key the item: a changed object runs again), and each worker reads its own input's
bytes, up to :data:`MAX_INPUT_BYTES`. Credentials and the endpoint come from the usual
environment (``AWS_*``, ``AWS_ENDPOINT_URL``), as for ``--artifacts s3://...``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import Any

from vitron_agent.core.errors import InputError

__all__ = ["MAX_INPUT_BYTES", "is_remote", "local_copy", "remote_inputs", "remote_fingerprint"]

MAX_INPUT_BYTES = 1 << 30  # one input object; larger ones are an error line, never read whole


def is_remote(spec: str) -> bool:
    return "://" in spec and not spec.startswith("file://")


def _fs(url: str) -> tuple[Any, str]:
    try:
        import fsspec
    except ImportError as exc:  # pragma: no cover - fsspec ships with the project's extras
        raise InputError(f"input {url!r}: object-store inputs need fsspec ({exc})") from None
    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise InputError(f"input {url!r}: cannot open this URL ({exc}); pip install s3fs for s3://") from None


def remote_inputs(spec: str, suffixes: tuple[str, ...]) -> list[tuple[str, str]]:
    """(URL, name relative to the prefix or the glob's fixed part) of every object with one of
    ``suffixes`` under ``spec`` (a prefix: recursively; or a glob), sorted."""
    fs, root = _fs(spec)
    protocol = spec.split("://", 1)[0]
    fs.invalidate_cache()  # fsspec keeps listings per process: a changed object must show as changed
    try:
        if any(ch in root for ch in "*?["):
            base = root.split("*", 1)[0].split("?", 1)[0].split("[", 1)[0].rsplit("/", 1)[0]
            paths = sorted(fs.glob(root))
        elif fs.isdir(root):
            base, paths = root.rstrip("/"), sorted(fs.find(root))
        elif fs.exists(root):
            base, paths = root.rsplit("/", 1)[0], [root]
        else:
            raise InputError(f"input {spec!r}: no such object, prefix or matching objects")
    except OSError as exc:
        raise InputError(f"input {spec!r}: the object store said no ({exc})") from None
    found = []
    for path in paths:
        if PurePosixPath(path).suffix.lower() in suffixes:
            name = path[len(base) :].lstrip("/") if path.startswith(base) else PurePosixPath(path).name
            found.append((f"{protocol}://{path}", name))
    return found


def remote_fingerprint(url: str) -> str:
    """64 hex digits from the object's ETag (or checksum) and size: stands in for the content's
    SHA-256 in the item's key without reading the object here."""
    fs, path = _fs(url)
    info = fs.info(path)
    tag = info.get("ETag") or info.get("etag") or info.get("checksum") or info.get("mtime") or ""
    return hashlib.sha256(f"{url}\0{tag}\0{info.get('size')}".encode()).hexdigest()


@contextmanager
def local_copy(url: str) -> Iterator[tuple[str, str]]:
    """(a temporary file holding the object's bytes, their SHA-256); removed afterwards. An object
    over :data:`MAX_INPUT_BYTES` raises :class:`InputError` before it is read whole."""
    fs, path = _fs(url)
    with fs.open(path, "rb") as f:
        data = f.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"input {url}: larger than {MAX_INPUT_BYTES >> 20} MiB; not read")
    fd, tmp = tempfile.mkstemp(prefix="vitron-batch-", suffix=PurePosixPath(path).suffix.lower())
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        yield tmp, hashlib.sha256(data).hexdigest()
    finally:
        os.unlink(tmp)
