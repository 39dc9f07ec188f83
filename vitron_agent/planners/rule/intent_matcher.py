"""The learned matcher: a static sentence embedding (wordllama's bundled l2_supercat_256, MIT,
loaded offline once per process) scores a clause against every record's example utterances; the
best intent wins only when it is strong enough and clearly ahead of the next one (else the planner
asks which was meant, naming both). A small polarity lexicon settles antonyms ("more"/"less",
"too bright"), which static embeddings place close together."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

from vitron_agent.intents import registered_intents, table_version

# Tuned on benchmarks/reading/tune.jsonl (never on the test half): below WEAK nothing is understood;
# closer than MARGIN to a different reading, the planner asks.
WEAK = 0.42
MARGIN = 0.025

_LOCK = threading.Lock()
_STATE: dict[str, Any] = {}


def embedder() -> Any:
    """The wordllama model, loaded once per process from the installed package (no download)."""
    with _LOCK:
        if "model" not in _STATE:
            try:
                import wordllama
                from wordllama import WordLlama
            except ImportError as e:  # pragma: no cover - the dependency is pinned
                raise RuntimeError(
                    "The rule planner's matcher needs wordllama: pip install --no-deps wordllama==0.4.0.post1 toml"
                ) from e
            from pathlib import Path

            _STATE["model"] = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
        return _STATE["model"]


def _embed(texts: list[str]) -> Any:
    return embedder().embed(texts, norm=True)


def _examples() -> tuple[list[str], Any, list[str]]:
    """(intent name per example, example matrix, example texts), rebuilt when the table changes."""
    version = table_version()
    with _LOCK:
        cached = _STATE.get("examples")
    if cached is not None and cached[0] == version:
        return cached[1:]
    names, texts = [], []
    for record in registered_intents():
        for ex in record.examples:
            names.append(record.name)
            texts.append(ex)
    matrix = _embed(texts) if texts else None
    with _LOCK:
        _STATE["examples"] = (version, names, matrix, texts)
    return names, matrix, texts


@dataclass
class Verdict:
    """The matcher's reading: ``intent`` (None: nothing close enough), or a ``question`` naming the
    two readings it cannot tell apart; ``scores``: best similarity per intent, best first."""

    intent: str | None
    question: str | None = None
    scores: list[tuple[float, str]] = field(default_factory=list)


def scores(clause: str) -> list[tuple[float, str]]:
    """(best cosine similarity to the intent's examples, intent name), best first."""
    import numpy as np

    names, matrix, _ = _examples()
    if matrix is None or not clause.strip():
        return []
    sims = matrix @ _embed([clause.lower()])[0]
    best: dict[str, float] = {}
    for name, sim in zip(names, sims.tolist(), strict=True):
        best[name] = max(best.get(name, -1.0), sim)
    return sorted(((float(np.round(v, 4)), k) for k, v in best.items()), reverse=True)


def match(clause: str) -> Verdict:
    """The clause's intent by similarity, with the margin test and the polarity lexicon."""
    ranked = scores(clause)
    if not ranked or ranked[0][0] < WEAK:
        return Verdict(None, scores=ranked)
    top, name = ranked[0]
    same = _same_reading(name)
    rivals = [(s, n) for s, n in ranked[1:] if n not in same]
    if rivals and (flip := polarity(clause, name, rivals[0][1])) is not None:
        return Verdict(flip, scores=ranked)
    if rivals and top - rivals[0][0] < MARGIN:
        return Verdict(None, question=_question(name, rivals[0][1]), scores=ranked)
    return Verdict(name, scores=ranked)


def _same_reading(name: str) -> set[str]:
    """Intents that plan the same way as ``name`` (same handler): never a question between them."""
    records = registered_intents()
    handler = next((r.handler for r in records if r.name == name), None)
    return {r.name for r in records if r.name == name or (handler is not None and r.handler is handler)}


def _question(a: str, b: str) -> str:
    return f"Did you mean {_reading(a)}, or {_reading(b)}? Please say which (or rephrase)."


def _reading(name: str) -> str:
    record = next((r for r in registered_intents() if r.name == name), None)
    line = record.help.split(" / ")[0].split(" (")[0] if record is not None and record.help else ""
    return f"“{line}”" if line else f"“{name.replace('_', ' ')}”"


# (intent for "more", intent for "less", words of the quality)
_ANTONYMS = (
    ("brighten", "darken", r"bright(?:er|ness)?|light(?:er)?|exposure|exposed"),
    ("warmer", "cooler", r"warm(?:er|th)?|hot|cool(?:er)?|cold(?:er)?"),
    ("saturate", "desaturate", r"saturat\w*|vivid\w*|vibran\w*|colou?r(?:s|ful)?|intens\w*|strong|punch\w*"),
)
_MORE = r"\b(?:more|increase|boost|raise|up|higher|add|stronger|enhance|pump|turn up|bump)\b"
_LESS = r"\b(?:less|decrease|reduce|lower|down|weaker|tone down|dial back|turn down|mute|soften|drop)\b"
_COLD = r"\b(?:cool(?:er)?|cold(?:er)?|blue|icy)\b"


def polarity(clause: str, a: str, b: str) -> str | None:
    """Between two antonym intents, the one the clause's polarity words ask for ("less bright" ->
    darken, "too dark" -> brighten, "too cold" -> warmer); None when they are no antonym pair or
    the words do not say."""
    low = clause.lower()
    for more, less, quality in _ANTONYMS:
        if {a, b} != {more, less}:
            continue
        if more == "warmer" and (m := re.search(rf"\btoo\s+(?:\w+\s+)?({quality})\b", low)):
            return more if re.match(_COLD, m.group(1)) else less
        if re.search(rf"\btoo\s+(?:\w+\s+)?(?:{quality}|bright|light|vivid|strong|loud|intense)\b", low):
            return less if not re.search(r"\btoo\s+(?:\w+\s+)?(?:dark|dim|dull|flat|pale|washed)\b", low) else more
        if re.search(r"\btoo\s+(?:\w+\s+)?(?:dark|dim|dull|flat|pale|washed|grey|gray)\b", low):
            return more
        if re.search(_LESS, low):
            return less
        if re.search(_MORE, low):
            return more
    return None


_NOT_VERBS = {
    "what",
    "whats",
    "what's",
    "how",
    "is",
    "are",
    "can",
    "could",
    "would",
    "please",
    "i",
    "the",
    "a",
    "an",
    "this",
    "that",
    "it",
    "where",
    "which",
    "who",
    "does",
    "do",
    "there",
    "my",
    "any",
    "everything",
    "all",
    "too",
    "way",
    "so",
    "now",
    "just",
}


def leading_verbs() -> set[str]:
    """Words the table's examples start with (the verbs people open a request with), for
    stripping the verb phrase off a clause the matcher read."""
    version = table_version()
    if _STATE.get("verbs", (None,))[0] != version:
        words = {ex.split(" ", 1)[0].lower().strip(",.!?") for r in registered_intents() for ex in r.examples}
        _STATE["verbs"] = (version, words - _NOT_VERBS)
    return _STATE["verbs"][1]
