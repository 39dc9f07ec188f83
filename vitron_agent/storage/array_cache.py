"""ArrayCache: the store's in-memory LRU of decoded arrays, bounded by their bytes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

__all__ = ["ArrayCache", "DEFAULT_CACHE_BYTES"]

DEFAULT_CACHE_BYTES = 512 * 1024 * 1024


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
