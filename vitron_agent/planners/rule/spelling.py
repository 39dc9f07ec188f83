"""Typo repair that never rewrites a real word: a word is repaired only when it is not English
(symspellpy's 82,765-word frequency dictionary, MIT) and a verb of the intent table (the words the
records' examples open with) or a colour name lies within a small edit distance (symspellpy's
lookup; ties go to the verb more examples open with)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

_LOCK = threading.Lock()
_STATE: dict[str, Any] = {}


def _dictionary() -> Path | None:
    """symspellpy's frequency dictionary (found without importing symspellpy), or None."""
    import importlib.util

    spec = importlib.util.find_spec("symspellpy")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "frequency_dictionary_en_82_765.txt"
    return path if path.is_file() else None


def _read_counts(path: Path) -> dict[str, int]:
    with path.open(encoding="utf-8") as f:
        return {w: int(n) for w, n in (line.split() for line in f if line.strip())}


def english_counts() -> dict[str, int]:
    """The English word list with each word's frequency (symspellpy's dictionary), loaded once per
    process and read from the user's cache after the first (``loading.disk_cache``: a marshal file
    read in milliseconds; parsing the 82,765 lines is a tenth of a second of the planner's first
    reading); empty without symspellpy. Used to break ties between equally close repairs ("teh":
    the, not tea)."""
    with _LOCK:
        if "counts" not in _STATE:
            try:
                path = _dictionary()
                if path is None:
                    raise OSError("symspellpy's dictionary is not installed")
                from vitron_agent.loading.disk_cache import cached_tables, stamp

                key = stamp("english counts 1", path)
                _STATE["counts"] = cached_tables("spelling", key, lambda: _read_counts(path), bool)
            except (ImportError, OSError, ValueError):
                _STATE["counts"] = {}
        return _STATE["counts"]


def english_words() -> frozenset[str]:
    """The English word list (lower case): the words of :func:`english_counts`, loaded once; empty
    when symspellpy is not installed (then only the table's own words count as words)."""
    counts = english_counts()
    with _LOCK:
        if "words" not in _STATE:
            _STATE["words"] = frozenset(counts)
        return _STATE["words"]


# Photographers' words the general dictionary lacks: real words, never typos ("bokeh" is no "box")
PHOTO_WORDS = frozenset(
    "bokeh sepia vignette vignetting selfie hdr png jpg jpeg gif greyscale grayscale monochrome backdrop timelapse "
    "photobomb photobomber photobombing lowlight denoise deblur unblur upscale downscale webp webm mov mkv avi mp4 "
    "m4v hevc vp9 av1 wmv flv fps 720p 1080p 4k gifs reels tiktok".split()
)


def is_word(word: str) -> bool:
    return word.lower() in english_words() or word.lower() in PHOTO_WORDS


def _speller(key: str, vocabulary: dict[str, int]) -> Any:
    """A SymSpell over ``vocabulary`` (word -> frequency), cached under ``key``; None without symspellpy."""
    with _LOCK:
        cached = _STATE.get(key)
        if cached is not None and cached[0] == vocabulary:
            return cached[1]
    try:
        from symspellpy import SymSpell
    except ImportError:
        return None
    speller = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    for word, count in vocabulary.items():
        speller.create_dictionary_entry(word, count)
    with _LOCK:
        _STATE[key] = (vocabulary, speller)
    return speller


def nearest(word: str, vocabulary: dict[str, int], key: str, long: int = 5) -> str | None:
    """The vocabulary word closest to ``word`` (edit distance 1 for words under ``long`` letters,
    else 2; a transposition counts 1), or None; never for a real English word or one already known."""
    low = word.lower()
    if len(low) < 3 or low in vocabulary or is_word(low):
        return None
    speller = _speller(key, vocabulary)
    distance = 1 if len(low) < long else 2
    if speller is None:  # without symspellpy: difflib, stricter
        import difflib

        close = difflib.get_close_matches(low, list(vocabulary), n=1, cutoff=0.8)
        return close[0] if close else None
    from symspellpy import Verbosity

    found = speller.lookup(low, Verbosity.CLOSEST, max_edit_distance=distance, transfer_casing=False)
    if not found:
        return None
    if len(low) == 3:  # three letters: one letter changed leaves too many words close ("usb" is no "use",
        # "suv" no "sun"); a letter left out ("blr") or two swapped ("dgo") still are typos
        found = [s for s in found if len(s.term) != 3 or sorted(s.term) == sorted(low)]
        if not found:
            return None
    # among equally close words, a letter left out ("cout": count) is likelier than one typed twice or in
    # excess ("cut"): the word that holds every typed letter in order first, then the more frequent
    return max(found, key=lambda s: (_holds(s.term, low), s.count)).term


def _holds(word: str, typed: str) -> bool:
    """Whether ``typed`` is ``word`` with letters left out (its letters appear in ``word`` in order)."""
    rest = iter(word)
    return all(ch in rest for ch in typed)


def verb_vocabulary() -> dict[str, int]:
    """The table's verbs: the first word of every record's examples -> how many examples open with
    it. Counted once per version of the intent table (it was ~20 ms of every planned turn); the
    dict is shared: read it, never change it."""
    from vitron_agent.planners.rule.intent_matcher import leading_verbs
    from vitron_agent.toolkit.intents import registered_intents, table_version

    version = table_version()
    with _LOCK:
        cached = _STATE.get("verb_counts")
        if cached is not None and cached[0] == version:
            return cached[1]
    verbs = leading_verbs()
    counts: dict[str, int] = {}
    for record in registered_intents():
        for ex in record.examples:
            first = ex.split(" ", 1)[0].lower().strip(",.!?")
            if first in verbs and first.isalpha():
                counts[first] = counts.get(first, 0) + 1
    with _LOCK:
        _STATE["verb_counts"] = (version, counts)
    return counts
