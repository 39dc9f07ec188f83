"""Work done on a picture once, however many tools ask for it: a memo for pure functions whose
first argument is a picture (or pixels) as a numpy array.

Several tools of one turn read the same picture and compute the same things from it (describe's
caption and its second opinion both run the classifier on it; the colour namer clusters the same
pixels for the colour, the light and the shade). :func:`per_picture` computes each once.

What is remembered is keyed by:

* the picture's **identity**, for a read-only array and every read-only view of it (the store's
  decoded pictures are read-only, so no one can change them under the memo): the base array
  (held by a weak reference: a picture that is gone is never matched by a new one at its
  address), the view's offset, shape, strides and dtype; or
* its **content** (a BLAKE2 digest of its bytes, shape and dtype) for a writable array of at most
  :data:`MAX_HASHED_BYTES` (pixels gathered for one question: hashing them costs a fraction of
  the clustering it saves); a larger writable array is not remembered.

The other arguments are part of the key (they must be hashable). Results are frozen: an array
result is made read-only, a list is copied for each caller. Each memo is a bounded LRU, safe to
share between threads (two threads missing at once may both compute; either result is right).
"""

from __future__ import annotations

import functools
import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

__all__ = ["per_picture", "picture_key", "MAX_HASHED_BYTES"]

MAX_HASHED_BYTES = 4 * 1024 * 1024
F = TypeVar("F", bound=Callable[..., Any])


def _frozen_base(arr: np.ndarray) -> np.ndarray | None:
    """The last array in the chain from ``arr`` to the memory it views when nothing can write
    that memory (every array on the way read-only, the memory an array's own or ``bytes``), else None."""
    node: Any = arr
    while isinstance(node, np.ndarray):
        if node.flags.writeable:
            return None
        if node.base is None or isinstance(node.base, bytes):  # (a decoded picture views its file's bytes)
            return node
        if not isinstance(node.base, np.ndarray):
            return None  # memory of another object (a buffer someone may write): not known frozen
        node = node.base
    return None


def picture_key(arr: np.ndarray) -> tuple[Any, ...] | None:
    """The memo key of ``arr`` and the object whose life bounds the key's (or None when ``arr``
    is not remembered): see the module docstring."""
    base = _frozen_base(arr)
    if base is not None:
        start = arr.__array_interface__["data"][0] - base.__array_interface__["data"][0]
        return ("id", id(base), start, arr.shape, arr.strides, arr.dtype.str), base
    if arr.nbytes > MAX_HASHED_BYTES:
        return None
    digest = hashlib.blake2b(np.ascontiguousarray(arr).data, digest_size=16).hexdigest()
    return ("content", digest, arr.shape, arr.dtype.str), None


def _freeze(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif isinstance(value, tuple):
        for v in value:
            _freeze(v)
    return value


def _thaw(value: Any) -> Any:
    """What a caller receives: a list is a copy (its items are tuples or frozen arrays)."""
    return list(value) if isinstance(value, list) else value


def per_picture(maxsize: int = 32) -> Callable[[F], F]:
    """Decorate ``fn(picture, *args, **kwargs)`` (pure: its result depends on its arguments
    only) so that a call with the same picture (see :func:`picture_key`) and the same other
    arguments returns the first call's result. ``fn.memo_stats()`` gives (hits, misses);
    ``fn.memo_clear()`` forgets everything."""

    def decorate(fn: F) -> F:
        items: OrderedDict[tuple[Any, ...], tuple[Any, Any]] = OrderedDict()
        lock = threading.Lock()
        counts = [0, 0]

        @functools.wraps(fn)
        def wrapper(picture, *args, **kwargs):
            found = picture_key(picture) if isinstance(picture, np.ndarray) else None
            if found is None:
                return fn(picture, *args, **kwargs)
            key = (found[0], args, tuple(sorted(kwargs.items())))
            try:
                hash(key)
            except TypeError:  # an argument that cannot be a key: computed, not remembered
                return fn(picture, *args, **kwargs)
            with lock:
                hit = items.get(key)
                if hit is not None and (hit[0] is None or hit[0]() is found[1]):
                    items.move_to_end(key)
                    counts[0] += 1
                    return _thaw(hit[1])
                counts[1] += 1
            value = _freeze(fn(picture, *args, **kwargs))
            owner = weakref.ref(found[1]) if found[1] is not None else None
            with lock:
                items[key] = (owner, value)
                items.move_to_end(key)
                while len(items) > maxsize:
                    items.popitem(last=False)
            return _thaw(value)

        wrapper.memo_stats = lambda: (counts[0], counts[1])  # type: ignore[attr-defined]
        wrapper.memo_clear = items.clear  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
