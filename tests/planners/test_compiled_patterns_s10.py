"""The rule table's patterns read from the per-machine cache (compiled_patterns.py) are the very
patterns ``re.compile`` builds (``==`` on a compiled pattern compares its flags, text and program),
on the first process (built and written) and on a later one (read back); a cache file whose
programs were tampered with is refused by the C matcher and the patterns are compiled as before;
the spelling tables read from the cache are the dictionary's own words and counts."""

import marshal
import re

import pytest

from vitron_agent.loading import disk_cache
from vitron_agent.planners.rule import compiled_patterns, spelling
from vitron_agent.toolkit.intents import registered_intents
from vitron_agent.tools import default_tools


def _table() -> list[tuple[str, int]]:
    default_tools()  # the tool modules declare their own intents (records read first)
    texts = [p for i in registered_intents() for p in i.patterns]
    return [(t, re.I) for t in texts] + [("|".join(texts), re.I)]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VITRON_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_cached_patterns_are_the_compiled_ones(cache):
    table = _table()
    assert len(table) > 100
    built = compiled_patterns.compile_patterns(table)  # builds and writes the programs
    files = list((cache / "rule-patterns").glob("*.marshal"))
    assert len(files) == 1
    read = compiled_patterns.compile_patterns(table)  # a later process: read back
    for (text, flags), a, b in zip(table, built, read, strict=True):
        want = re.compile(text, flags)
        assert a == want and b == want
        assert b.groupindex == want.groupindex and b.groups == want.groups
    probe = "make the dog in the first 5 seconds blue and then describe it"
    assert [bool(p.match(probe)) for p in read] == [bool(re.compile(t, f).match(probe)) for t, f in table]


def test_a_tampered_cache_is_refused_and_compiled_again(cache):
    table = [(r"^(?:make|turn)\s+(?P<what>.+?)\s+(?:red|blue)$", re.I), (r"\bcats?\b", re.I)]
    compiled_patterns.compile_patterns(table)
    path = next((cache / "rule-patterns").glob("*.marshal"))
    data = path.read_bytes()
    head_end = data.index(b"\n", len(b"vitron-agent table cache 1\n")) + 1
    programs = marshal.loads(data[head_end:])
    flags, code, groups, gi, ig = programs[0]
    programs[0] = (flags, [c ^ 0x55 for c in code], groups, gi, ig)  # a broken program
    path.write_bytes(data[:head_end] + marshal.dumps(programs))
    got = compiled_patterns.compile_patterns(table)
    assert got == [re.compile(t, f) for t, f in table]
    assert got[0].match("make the cat blue")["what"] == "the cat"


def test_spelling_tables_come_from_the_dictionary(cache, monkeypatch):
    path = spelling._dictionary()
    if path is None:
        pytest.skip("symspellpy is not installed")
    parsed = spelling._read_counts(path)
    for _ in range(2):  # built, then read back from the cache
        monkeypatch.setattr(spelling, "_STATE", {})
        assert spelling.english_counts() == parsed
        assert spelling.english_words() == frozenset(parsed)
    assert list((cache / "spelling").glob("*.marshal"))
    assert spelling.english_counts()["the"] > spelling.english_counts()["tea"]
    assert disk_cache.cache_dir() == cache
