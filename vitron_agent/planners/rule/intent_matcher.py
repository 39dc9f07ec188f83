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

from vitron_agent.toolkit.intents import registered_intents, table_version

# Tuned on benchmarks/reading/tune.jsonl (never on the test half): below WEAK nothing is understood;
# closer than MARGIN to a different reading, the planner asks.
WEAK = 0.35
MARGIN = 0.025

_LOCK = threading.Lock()
_STATE: dict[str, Any] = {}


def _import_wordllama() -> tuple[Any, Any]:
    """wordllama's inference module calls ``logging.basicConfig(level=INFO)`` when imported, which
    would turn on every library's INFO lines on stderr (botocore's "Found credentials ..." before a
    CLI error) in whatever process first reads a request: the root logger is put back as it was."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import wordllama
        from wordllama import WordLlama
    finally:
        for h in root.handlers[:]:
            if h not in handlers:
                root.removeHandler(h)
        root.setLevel(level)
    return wordllama, WordLlama


def embedder() -> Any:
    """The wordllama model, loaded once per process from the installed package (no download)."""
    with _LOCK:
        if "model" not in _STATE:
            try:
                wordllama, WordLlama = _import_wordllama()
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
    spread: dict[str, set[str]] = {}
    for name, text in zip(names, texts, strict=True):
        if name in UNCOUNTED:
            continue
        for w in set(_WORD.findall(text.lower())):
            spread.setdefault(w, set()).add(name)
    common = {w for w, owners in spread.items() if len(owners) >= COMMON}
    with _LOCK:
        _STATE["common"] = common
    matrix = _example_matrix([_content(t) for t in texts]) if texts else None
    with _LOCK:
        _STATE["examples"] = (version, names, matrix, texts)
    return names, matrix, texts


def _example_matrix(contents: list[str]) -> Any:
    """The examples' embeddings, kept in the user's cache (:mod:`vitron_agent.loading.disk_cache`)
    keyed by the scored words of every example and wordllama's version: embedding the table's
    two thousand examples was a quarter of a no-model request's second, in every process. A cache
    that cannot be read or written means embedding them here, as before."""
    import numpy as np

    try:
        wordllama, _ = _import_wordllama()  # (not a bare import: wordllama turns every logger's INFO lines on)
        from vitron_agent.loading.disk_cache import cached_tables, stamp

        key = stamp("matcher examples 1", str(getattr(wordllama, "__version__", "?")), "\n".join(contents))

        def build() -> tuple[tuple[int, ...], str, bytes]:
            m = np.ascontiguousarray(_embed(contents))
            return (tuple(int(n) for n in m.shape), str(m.dtype), m.tobytes())

        shape, dtype, data = cached_tables("matcher-examples", key, build, _valid_matrix)
        return np.frombuffer(data, dtype=np.dtype(dtype)).reshape(shape)
    except Exception as exc:  # no cache: embedded in this process, as always
        import logging

        logging.getLogger("vitron_agent.planner").debug("matcher examples embedded without the cache: %s", exc)
        return _embed(contents)


def _valid_matrix(value: Any) -> bool:
    if not (isinstance(value, tuple) and len(value) == 3 and isinstance(value[2], bytes)):
        return False
    shape, dtype, data = value
    import numpy as np

    return len(shape) == 2 and shape[0] * shape[1] * np.dtype(dtype).itemsize == len(data)


@dataclass
class Verdict:
    """The matcher's reading: ``intent`` (None: nothing close enough), or a ``question`` naming the
    two readings it cannot tell apart; ``scores``: best similarity per intent, best first."""

    intent: str | None
    question: str | None = None
    scores: list[tuple[float, str]] = field(default_factory=list)


COMMON = 12  # a word in the examples of this many intents or more says nothing about the intent
UNCOUNTED = frozenset(
    {"cannot_do", "cannot_do_video"}
)  # refusals' examples leave the common words (and so every other reading) alone
_WORD = re.compile(r"[a-z']+|\d+")


def _things() -> frozenset[str]:
    """Words that name things (the detector's class names and aliases, a few common nouns): the
    target of a request, not its intent."""
    if "things" not in _STATE:
        from vitron_agent.perception.coco_names import ALIASES, COCO80

        words = {w for n in (*COCO80, *ALIASES) for w in n.lower().split()}
        words |= set("man woman kid kids child girl boy people flower tree lamp mug sheep taxi ball".split())
        _STATE["things"] = frozenset(words)
    return _STATE["things"]


def _content(text: str) -> str:
    """The words that speak of the intent: names of things and words common to most intents
    dropped (static embeddings average words, so a target noun would otherwise outvote the verb)."""
    common, things = _STATE.get("common", set()), _things()
    words = [w for w in _WORD.findall(text.lower()) if w not in things and w not in common]
    return " ".join(words) or text.lower()


# Intents a slot word alone may name: a colour said of a thing is a recolour ("the door in blue"), a fill
# ("just the bottle on white", "a black background"), "black and white" a grayscale.
SLOT_READINGS = frozenset({"recolor", "keep_only", "background", "grayscale"})


def _slots_only(clause: str) -> bool:
    """Whether every word the matcher scores in ``clause`` (:func:`_content`) is a colour (a slot's
    value). Then the similarity says nothing about the operation (the target and the
    common words were dropped), and a reading by it would be the colour's favourite intent."""
    from vitron_agent.perception.colors import normalise_color

    words = _content(clause).split()
    return bool(words) and all(normalise_color(w) is not None for w in words)


TOP_K = 3  # an intent's score: the mean of its TOP_K most similar examples (one lucky example is noise)
VERB_BONUS = 0.08  # shared among the intents whose examples open with the clause's first word


def scores(clause: str) -> list[tuple[float, str]]:
    """(score, intent name), best first: the mean cosine similarity of the clause to the intent's
    TOP_K closest examples, plus a share of VERB_BONUS when some of its examples open with the
    clause's first word (static embeddings average words, so the verb's role is otherwise lost)."""
    names, matrix, _ = _examples()
    if matrix is None or not clause.strip():
        return []
    sims = (matrix @ _embed([_content(clause)])[0]).tolist()
    per: dict[str, list[float]] = {}
    for name, sim in zip(names, sims, strict=True):
        per.setdefault(name, []).append(sim)
    score = {n: sum(sorted(v)[-TOP_K:]) / min(TOP_K, len(v)) for n, v in per.items()}
    opener = _OPENER.sub("", clause.lower()).split(" ", 1)[0]
    if owners := _openers().get(opener):
        for n in owners:
            score[n] += VERB_BONUS / len(owners)
    return sorted(((round(v, 4), k) for k, v in score.items()), reverse=True)


_OPENER = re.compile(
    r"^(?:(?:please|can you|could you|would you|will you|i'd like you to|kindly|now|just|and|then)\s+)+"
)


def _openers() -> dict[str, set[str]]:
    """First word of each example -> the intents whose examples open with it."""
    version = table_version()
    if _STATE.get("openers", (None,))[0] != version:
        out: dict[str, set[str]] = {}
        for r in registered_intents():
            for ex in r.examples:
                out.setdefault(ex.split(" ", 1)[0].lower(), set()).add(r.name)
        _STATE["openers"] = (version, out)
    return _STATE["openers"][1]


# Intents that only look (a description, a count, boxes, a selection, a still): a guess among them
# changes nothing, so a reading of one is not held for an unknown word ("sum up this clip").
LOOK_ONLY = frozenset(
    "describe question read count detect segment describe_video count_in_video find_in_video frame track".split()
)
UNSURE = (
    "I do not know the word {word!r}, and my reading depends on it: did you mean {reading}? Please say it "
    "another way (a plain colour, or the edit by name)."
)


def match(clause: str, video: bool | None = None) -> Verdict:
    """The clause's intent by similarity, with the margin test and the polarity lexicon; intents for
    the other medium (``video``: the current picture is a video; None: no picture) are left out. The
    planner reads through :func:`vitron_agent.planners.rule.word_knowledge.match`, which also holds a
    reading that hinges on a word the table does not know."""
    return _match(clause, video)


def _match(clause: str, video: bool | None = None) -> Verdict:
    ranked = scores(clause)
    clause = _OVER.sub(r"too \1", clause)  # "oversaturated" is "too saturated"
    for more, less, up, down in _ANTONYMS:  # "it is too gloomy": the lexicon says it, however weak the embedding
        if re.search(rf"\btoo\s+(?:\w+\s+)?(?:{up}|{down})\b", clause.lower()) and not re.search(
            r"^(?:what|which|how|is|are|does|do|where|who)\b", clause.lower()
        ):
            if (side := polarity(clause, more, less)) is not None:
                return Verdict(side, scores=ranked)
    if video is not None:
        media = {r.name: r.media for r in registered_intents()}
        wrong = "image" if video else "video"
        ranked = [(s, n) for s, n in ranked if media.get(n) != wrong]
    for more, less, up, down in _ANTONYMS:  # "less orange", "make it less fuzzy": plain in its words
        if re.search(rf"^(?:\w+\s+){{0,5}}(?:less|more|not so|not as)\s+(?:\w+\s+)?(?:{up}|{down})\b", clause.lower()):
            if (side := polarity(clause, more, less)) is not None:
                return Verdict(side, scores=ranked)
    if (not ranked or ranked[0][0] < WEAK) and (side := _said_quality(clause)) is not None:
        return Verdict(side, scores=ranked)
    if not ranked or ranked[0][0] < WEAK:
        return Verdict(None, scores=ranked)
    if ranked[0][1] not in SLOT_READINGS and _slots_only(clause):
        return Verdict(None, scores=ranked)  # "make a picture of a red bicycle": only "red" was scored (an outline)
    top, name = ranked[0]
    same = _same_reading(name)
    rivals = [(s, n) for s, n in ranked[1:] if n not in same]
    if rivals and (flip := polarity(clause, name, rivals[0][1])) is not None:
        return Verdict(flip, scores=ranked)
    if (flip := _pair_named(clause, ranked)) is not None:  # "it is too orange": warmth, though darken scored first
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
    first, second = _reading(a), _reading(b)
    if first == second:  # two help lines open alike ("blur", "blur / replace … the background"): the whole lines
        first, second = _reading(a, whole=True), _reading(b, whole=True)
    return f"Did you mean {first}, or {second}? Please say which (or rephrase)."


def _reading(name: str, whole: bool = False) -> str:
    record = next((r for r in registered_intents() if r.name == name), None)
    line = (record.help if whole else record.help.split(" / ")[0].split(" (")[0]) if record and record.help else ""
    return f"“{line}”" if line else f"“{name.replace('_', ' ')}”"


# Antonym pairs: (intent for "more", intent for "less", words that mean more, words that mean less).
_ANTONYMS = (
    (
        "brighten",
        "darken",
        r"bright\w*|light(?:en|er|ing)?|lift\w*|illuminat\w*|exposure|overexposed|glar\w*",
        r"dark\w*|dim\w*|moodier|shad\w*|gloom\w*|murky|underexposed",
    ),
    (
        "warmer",
        "cooler",
        r"warm\w*|golden|amber|sunn\w*|co[sz]i\w*|co[sz]y|orange|yellow|hot",
        r"cool\w*|cold\w*|icy|chill\w*|wintry|blue|bluish",
    ),
    (
        "saturate",
        "desaturate",
        r"rich\w*|deep\w*|bold\w*|punch\w*|vivid\w*|vibran\w*|pop|intens\w*|saturat\w*|colou?rful|strong\w*|loud|garish|gaudy|lurid",
        r"pale\w*|wash\w* out|washed|drain\w*|mut\w*|dull\w*|fad\w*|subdu\w*|subtle\w*|understated|calm\w*|desaturat\w*|"
        r"sad|drab|lifeless|lacklust\w*|bland|insipid|boring|muddy",
    ),
    (
        "sharpen",
        "blur",
        r"sharp\w*|crisp\w*|(?<!of )(?<!un)(?<!de)focus\w*|clear\w*|detail\w*|defin\w*|(?:un|de)-?(?:blur|fuzz)\w*",
        r"(?<!un)(?<!un-)(?<!de)(?<!de-)(?:blur\w*|fuzz\w*)|smooth\w*|soft\w*|pixel+at\w*|censor\w*|obscur\w*|"
        r"out of focus|unfocus\w*|defocus\w*",
    ),
)
_OVER = re.compile(r"\bover-?(saturat\w*|sharpen\w*|warm\w*|bright\w*|colou?red)\b", re.I)
_MORE = r"\b(?:more|increase|boost|raise|up|higher|add|stronger|enhance|pump|bump|intensify)\b"
_LESS = (
    r"\b(?:less|decrease|reduce|lower|down|weaker|tone down|dial back|mute|drop|fewer|pull back|ease off|rein in|"
    r"dial down|tame|take the edge off)\b"
)
_SO = r"(?:(?:a bit|a little|very|so|rather|quite|kind of|kinda|sort of|way|really|pretty|all|completely|totally|somewhat|slightly|a touch|a tad|too)\s+)*"
_ASKED = r"(?:^|\b(?:can|could|would|will) you\s+|\bplease\s+|\bto\s+|\band\s+|,\s*)"


def _pair_named(clause: str, ranked: list[tuple[float, str]]) -> str | None:
    """An antonym pair whose own words the clause uses and that scores within PAIR_NEAR of the best:
    the side its polarity words ask for (None: no such pair, or the words do not say)."""
    low, top = clause.lower(), ranked[0][0]
    tone = any(ranked[0][1] in pair[:2] for pair in _ANTONYMS)  # "crop to the bright window" stays a crop
    score = {n: sc for sc, n in ranked}
    for more, less, up, down in _ANTONYMS:
        complaint = re.search(rf"\btoo\s+(?:\w+\s+)?(?:{up}|{down})\b", low)  # "a little too blue": a tone
        # the picture itself said to be so ("it's slightly soft, could you fix that"): that quality, however
        # the embedding scored the rest
        said = _SAID.format(so=_SO, words=f"{up}|{down}")
        said = re.match(said, low)
        if not (tone or complaint or said):
            continue
        near = said or max(score.get(more, -1.0), score.get(less, -1.0)) >= top - PAIR_NEAR
        if near and re.search(rf"\b(?:{up}|{down})\b", low):
            return polarity(clause, more, less)
    return None


PAIR_NEAR = 0.1
_SAID = (
    r"^(?:it|this|that|the (?:image|picture|photo|shot|pic))(?:'s|\s+is|\s+looks|\s+seems|\s+feels)\s+{so}(?:{words})\b"
)


def _said_quality(clause: str) -> str | None:
    """ "it looks kinda dull, can you sort that out": the picture itself said to have a quality of an
    antonym pair: the side that undoes it, however weak the embedding's score (None: no such remark)."""
    low = clause.lower()
    for more, less, up, down in _ANTONYMS:
        if re.match(_SAID.format(so=_SO, words=f"{up}|{down}"), low):
            return polarity(clause, more, less)
    return None


def polarity(clause: str, a: str, b: str) -> str | None:
    """Between two antonym intents, the one the clause's words ask for: "too <more-word>" asks for
    less ("too loud" -> desaturate), "too <less-word>" for more ("too cold" -> warmer, "too dark"
    -> brighten); "less <more-word>" for less; then whichever side's words the clause uses (an
    imperative's word wins when it uses both: "it's blurry, can you sharpen it"). None when the two
    are no antonym pair or the words do not say."""
    low = clause.lower()
    for more, less, up, down in _ANTONYMS:
        if {a, b} != {more, less}:
            continue
        if more == "saturate" and re.search(r"\b(?:garish|gaudy|lurid|overdone|over the top)\b", low):
            return less  # words that are complaints in themselves: "the colours look lurid"
        if more == "saturate" and (
            colour := re.search(r"\b(more|extra|add|less|fewer|reduce)\s+(?:some\s+)?colou?rs?\b", low)
        ):
            return less if colour.group(1) in ("less", "fewer", "reduce") else more  # "washed out, give it more colour"
        if re.search(rf"\btoo\s+(?:\w+\s+)?(?:{up})\b", low) or re.search(
            r"\b(?:too|a bit|a little|way too|far too) much\b", low
        ):
            return less  # "too vivid"; "the colours are a bit much"
        if re.search(rf"\btoo\s+(?:\w+\s+)?(?:{down})\b", low):
            return more
        lessen = r"(?:less|not so|not as|reduce|decrease|lower|tone down|dial back|cut|drop|knock)"
        raise_ = r"(?:more|increase|boost|raise)"
        if re.search(
            rf"\b(?:take|turn|bring|tone|dial|knock|pull|suck|strip)\s+(?:(?:some|a bit|a little|most)\s+of\s+)?(?:the\s+)?"
            rf"(?:\w+\s+)?(?:{up})\s+(?:down|back|out|away|off)\b",
            low,
        ):
            return less  # "take the saturation down a notch", "take some of the warmth out"
        if re.search(
            rf"\b(?:pull|dial|knock|tone|turn|bring|scale|wind|ease|cut)\s+(?:back|down)\s+(?:on\s+)?(?:the\s+)?(?:\w+\s+)?(?:{up})\b",
            low,
        ):
            return less  # "pull back the saturation", "dial down the warmth"
        if re.search(rf"\b{lessen}\s+(?:the\s+)?(?:\w+\s+)?(?:{up})\b", low):
            return less  # "less bright", "reduce the warmth"
        if re.search(rf"\b{lessen}\s+(?:the\s+)?(?:\w+\s+)?(?:{down})\b", low):
            return more  # "less dark"
        if re.search(rf"\b{raise_}\s+(?:the\s+)?(?:\w+\s+)?(?:{down})\b", low):
            return less  # "more muted"
        ups, downs = re.search(rf"\b(?:{up})\b", low), re.search(rf"\b(?:{down})\b", low)
        if ups and downs:
            if re.search(rf"{_ASKED}(?:{up})\b", low):
                return more
            if re.search(rf"{_ASKED}(?:{down})\b", low):
                return less
            return None
        said = rf"(?:'s|\bis|\bare|\blooks?|\bseems?|\bfeels?)\s+{_SO}"  # "it's out of focus and can you fix that"
        if re.search(r"\b(?:so|until|till)\s+(?:that\s+)?\w+\s+(?:looks|seems|feels|is|are)\b", low) or re.search(
            r"\b(?:make|makes|making|let|have|get)\s+(?:it|this|them|the\s+\w+)\s+(?:look|feel|seem)\b", low
        ):
            said = r"(?!)"  # "adjust it so it looks warmer": the purpose, no complaint
        if downs and not re.search(rf"{_ASKED}(?:{down})\b", low) and re.search(rf"{said}(?:{down})\b", low):
            return more  # a complaint asks for the opposite of what it names
        if ups and not re.search(rf"{_ASKED}(?:{up})\b", low) and re.search(rf"{said}(?:{up})\b", low):
            return less
        if ups or downs:  # "cool it down" is cooler: the phrasal "down" does not flip it
            return more if ups else less
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
