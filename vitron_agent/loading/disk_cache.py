"""Work kept on disk across processes: tables parsed once from large text files (WordNet) and
read back in milliseconds by every later process.

Where: :func:`cache_dir` (``$VITRON_CACHE_DIR``, else ``$XDG_CACHE_HOME/vitron-agent``, else
``~/.cache/vitron-agent``). Each cached table is one file ``<kind>/<key>.marshal``; the key is a
SHA-256 over everything the table depends on (:func:`stamp`: the reader's own source, the source
files' paths, sizes and modification times, the pins they were checked against, the Python
version), so a changed source or a changed reader is a new key and the table is built again; the
files of older keys of the same kind are removed when a new one is written.

The format is :mod:`marshal` (plain dicts, tuples, strings and numbers; loading it runs no code,
unlike pickle), behind a header that repeats the key. A file that cannot be read back (cut short,
overwritten, written by another Python) is reported once on the ``vitron_agent.cache`` logger,
removed, and built again; a cache folder that cannot be written means building in every process,
as without a cache. Files are written to a temporary name and renamed, so processes building at
the same time never read half a file.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["cache_dir", "stamp", "cached_tables", "read_table", "write_table"]

T = TypeVar("T")
_HEADER = b"vitron-agent table cache 1\n"
log = logging.getLogger("vitron_agent.cache")


def cache_dir() -> Path:
    """Where work is kept across processes: ``$VITRON_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/vitron-agent``, else ``~/.cache/vitron-agent``."""
    root = os.environ.get("VITRON_CACHE_DIR")
    if root:
        return Path(root)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vitron-agent"


def stamp(*parts: str | bytes | Path) -> str:
    """A cache key: SHA-256 over ``parts`` and the Python and marshal versions. A :class:`Path`
    counts by its resolved path, size and modification time (not its bytes: hashing large
    sources in every process is the cost the cache removes); replacing or editing the file changes
    them. ``str`` and ``bytes`` parts count as they are (a reader's source, a SHA-256 pin)."""
    h = hashlib.sha256(f"{sys.version_info[:2]} marshal {marshal.version}".encode())
    for part in parts:
        if isinstance(part, Path):
            st = part.stat()
            part = f"{part.resolve()}|{st.st_size}|{st.st_mtime_ns}"
        h.update(b"\0" + (part if isinstance(part, bytes) else part.encode()))
    return h.hexdigest()[:32]


def _read(path: Path, key: str, valid: Callable[[Any], bool]) -> Any:
    """The table in ``path``; raises ValueError (or marshal's own errors) when it is not one."""
    data = path.read_bytes()
    head = _HEADER + key.encode() + b"\n"
    if not data.startswith(head):
        raise ValueError("not a table of this key (header differs)")
    was_enabled = gc.isenabled()
    gc.disable()  # a few hundred thousand containers: collections mid-load only cost time
    try:
        value = marshal.loads(memoryview(data)[len(head) :])
    finally:
        if was_enabled:
            gc.enable()
    if not valid(value):
        raise ValueError("the table's shape is not the expected one")
    return value


def _discard(path: Path) -> None:
    """Remove an unreadable cache file; a folder that cannot be written (a read-only home, a folder
    left by another user) keeps it, and the table is built in this process as without a cache."""
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        log.info("vitron-agent: cannot remove %s (%s)", path, exc.strerror or exc)


def _write(folder: Path, path: Path, key: str, value: Any, private: bool = False) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(_HEADER + key.encode() + b"\n")
            marshal.dump(value, fh)
        if not private:  # built from public data: mkstemp's 0600 would hide it from other users
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    for old in folder.glob("*.marshal"):  # older keys of this kind: stale, never read again
        if old != path:
            old.unlink(missing_ok=True)


def cached_tables(kind: str, key: str, build: Callable[[], T], valid: Callable[[Any], bool] = bool) -> T:
    """``build()``'s value, kept in ``cache_dir()/kind/key.marshal`` and read from there by later
    calls (in any process) with the same ``key``. ``valid(value)`` checks a value read back (its
    type, its parts); a file that fails it or cannot be read is logged, removed and built again.
    The value must be marshal-able (dicts, lists, tuples, str, bytes, int, float, None)."""
    folder = cache_dir() / kind
    path = folder / f"{key}.marshal"
    if path.is_file():
        try:
            return _read(path, key, valid)
        except Exception as exc:  # any unreadable file: say so, build again
            log.warning(
                "vitron-agent: the cached %s tables %s cannot be read (%s); building them again", kind, path, exc
            )
            _discard(path)
    value = build()
    try:
        _write(folder, path, key, value)
    except OSError as exc:  # no writable cache: build in every process
        log.info("vitron-agent: cannot keep the %s tables in %s (%s)", kind, folder, exc)
    return value


def read_table(kind: str, key: str, valid: Callable[[Any], bool] = bool) -> Any:
    """The table kept under ``kind`` and ``key`` by :func:`write_table` or :func:`cached_tables`;
    None when there is none. One that cannot be read or fails ``valid`` is logged, removed and
    read as None (for tables that grow across processes, where :func:`cached_tables`' build-once
    does not fit: :mod:`vitron_agent.loading.pattern_cache`)."""
    path = cache_dir() / kind / f"{key}.marshal"
    if not path.is_file():
        return None
    try:
        return _read(path, key, valid)
    except Exception as exc:
        log.warning("vitron-agent: the cached %s tables %s cannot be read (%s); building them again", kind, path, exc)
        _discard(path)
        return None


def write_table(kind: str, key: str, value: Any, private: bool = False) -> None:
    """Keep ``value`` (marshal-able) under ``kind`` and ``key``, replacing the file whole (written
    to a temporary name and renamed) and removing older keys of ``kind``; OSError when the cache
    folder cannot be written. ``private``: readable by the user only (mode 0600), for tables that may
    hold words of a user's requests."""
    folder = cache_dir() / kind
    _write(folder, folder / f"{key}.marshal", key, value, private)
