"""Artifacts in S3-compatible object storage (any fsspec URL): the store every machine can reach.

``ArtifactStore(root, remote=ObjectStore("s3://bucket/prefix"))`` keeps the local folder as a
bounded read cache and the bucket as the truth: a ``put_*`` returns only once the data object and
then its metadata object are in the bucket (an S3 PUT is visible whole or not at all, and the
metadata is written last, so a reader never sees an artifact without its bytes); a ref missing
from the local folder is fetched on first use and verified against its id as today.

Endpoint and credentials come from the standard AWS chain (``AWS_ENDPOINT_URL`` /
``AWS_ENDPOINT_URL_S3``, ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY``, ``AWS_PROFILE``, instance
roles) or ``[store] endpoint_url``. ``file://`` and ``memory://`` URLs work too (tests, one host).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from vitron_agent.core.errors import ConfigError, StoreUnreachable

__all__ = ["ObjectStore", "StoreUnreachable", "open_object_store"]

DEFAULT_LOCAL_CACHE_MB = 2048


class ObjectStore:
    """The objects of a store under one URL prefix: ``<prefix>/<session>/<sha256>.<ext>``."""

    def __init__(
        self,
        url: str,
        endpoint_url: str | None = None,
        local_cache_mb: float = DEFAULT_LOCAL_CACHE_MB,
        options: dict[str, Any] | None = None,
    ):
        try:
            import fsspec
        except ImportError:  # pragma: no cover - fsspec comes with the server extra
            raise ConfigError(
                "an object-store URL needs fsspec and s3fs: pip install 'vitron-agent[distributed]'"
            ) from None
        self.url = url.rstrip("/")
        self.endpoint_url = endpoint_url
        self.local_cache_bytes = int(local_cache_mb * 1024 * 1024)
        scheme = self.url.split("://", 1)[0] if "://" in self.url else "file"
        kwargs: dict[str, Any] = dict(options or {})
        if scheme in ("s3", "s3a"):
            endpoint = endpoint_url or os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
            if endpoint:
                kwargs.setdefault("endpoint_url", endpoint)
            kwargs.setdefault("use_listings_cache", False)  # another machine's writes must be seen at once
            kwargs.setdefault("skip_instance_cache", True)
            kwargs.setdefault(
                "config_kwargs",
                {"connect_timeout": 5, "read_timeout": 60, "retries": {"max_attempts": 3, "mode": "standard"}},
            )
        try:
            self.fs, self.base = fsspec.core.url_to_fs(self.url, **kwargs)
        except (ImportError, ValueError) as exc:
            raise ConfigError(f"cannot use the artifact store URL {self.url!r}: {exc}") from None
        self.base = self.base.rstrip("/")
        self._cached_bytes: int | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ObjectStore({self.url!r})"

    def key(self, session: str, name: str) -> str:
        return f"{self.base}/{session}/{name}"

    def _fail(self, what: str, exc: Exception) -> StoreUnreachable:
        return StoreUnreachable(
            f"the artifact store {self.url} could not {what}: {type(exc).__name__}: "
            f"{str(exc)[:300]}; check [store] url / endpoint_url and the AWS credentials "
            "(AWS_ACCESS_KEY_ID, AWS_PROFILE)"
        )

    def check(self) -> None:
        """Raise :class:`StoreUnreachable` unless the prefix can be listed and written."""
        probe = f"{self.base}/.vitron-probe"
        try:
            self.fs.pipe_file(probe, b"ok")
            if self.fs.cat_file(probe) != b"ok":
                raise OSError("a written probe object read back different bytes")
        except Exception as exc:
            raise self._fail("be written and read back", exc) from None

    def put_bytes(self, session: str, name: str, data: bytes) -> None:
        try:
            self.fs.pipe_file(self.key(session, name), data)
        except Exception as exc:
            raise self._fail(f"store {session}/{name}", exc) from None

    def put_file(self, session: str, name: str, path: Path) -> None:
        try:
            self.fs.put_file(str(path), self.key(session, name))
        except Exception as exc:
            raise self._fail(f"store {session}/{name}", exc) from None

    def get_bytes(self, session: str, name: str) -> bytes | None:
        """The object's bytes, or None when it does not exist."""
        try:
            return self.fs.cat_file(self.key(session, name))
        except FileNotFoundError:
            return None
        except Exception as exc:
            raise self._fail(f"read {session}/{name}", exc) from None

    def get_file(self, session: str, name: str, dest: Path) -> bool:
        """Download the object to ``dest`` (written whole, then renamed); False when it does not exist.
        The temporary file is created exclusively under a random name (a link planted at a name
        that could be guessed is never written through), and the rename replaces any link at ``dest``."""
        import tempfile

        fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            self.fs.get_file(self.key(session, name), str(tmp))
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, dest)
            return True
        except FileNotFoundError:
            return False
        except Exception as exc:
            raise self._fail(f"read {session}/{name}", exc) from None
        finally:
            tmp.unlink(missing_ok=True)

    def exists(self, session: str, name: str) -> bool:
        try:
            return bool(self.fs.exists(self.key(session, name)))
        except Exception as exc:
            raise self._fail(f"look up {session}/{name}", exc) from None

    def names(self, session: str) -> list[str]:
        try:
            return [p.rsplit("/", 1)[-1] for p in self.fs.ls(f"{self.base}/{session}", detail=False)]
        except FileNotFoundError:
            return []
        except Exception as exc:
            raise self._fail(f"list {session}", exc) from None

    def delete_session(self, session: str) -> bool:
        names = self.names(session)
        try:
            for n in names:
                self.fs.rm_file(self.key(session, n))
        except Exception as exc:
            raise self._fail(f"delete {session}", exc) from None
        return bool(names)

    def copy_session(self, src: str, dst: str) -> None:
        """Copy every object of ``src`` to ``dst``: data objects before their metadata."""
        names = self.names(src)
        try:
            for n in sorted(names, key=lambda n: n.endswith(".json")):
                self.fs.copy(self.key(src, n), self.key(dst, n))
        except Exception as exc:
            raise self._fail(f"copy {src} to {dst}", exc) from None

    # -- the local read cache ------------------------------------------------------------------
    def note_local(self, root: Path, nbytes: int) -> None:
        """Count ``nbytes`` added to the local cache under ``root``; above the bound, the least
        recently used files go (they are in the bucket: the next read fetches them again)."""
        with self._lock:
            if self._cached_bytes is None:
                self._cached_bytes = sum(f.stat().st_size for f in root.rglob("*") if f.is_file())
            self._cached_bytes += nbytes
            if self._cached_bytes <= self.local_cache_bytes:
                return
            entries = []
            for f in root.rglob("*"):
                try:
                    st = f.stat()
                except FileNotFoundError:
                    continue
                if f.is_file():
                    entries.append((max(st.st_atime, st.st_mtime), st.st_size, f))
            total = sum(size for _, size, _ in entries)
            target = int(self.local_cache_bytes * 0.8)
            for _, size, f in sorted(entries, key=lambda e: e[0]):
                if total <= target:
                    break
                if f.suffix == ".json" or f.name.startswith("."):  # metadata goes with its data; temp files stay
                    continue
                meta = f.with_suffix(".json")
                try:
                    meta_size = meta.stat().st_size
                except FileNotFoundError:
                    meta_size = 0
                meta.unlink(missing_ok=True)  # first: "complete here" is gone before the data is
                f.unlink(missing_ok=True)
                total -= size + meta_size
            self._cached_bytes = total


def open_object_store(
    url: str | None, endpoint_url: str | None = None, local_cache_mb: float = DEFAULT_LOCAL_CACHE_MB, check: bool = True
) -> ObjectStore | None:
    """An :class:`ObjectStore` for ``url`` (None for none or a plain local folder), checked to be
    reachable when ``check``; unreachable -> :class:`StoreUnreachable` naming the URL."""
    if not url or "://" not in url:
        return None
    store = ObjectStore(url, endpoint_url, local_cache_mb)
    if check:
        store.check()
    return store
