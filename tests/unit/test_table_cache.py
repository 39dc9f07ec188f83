"""The on-disk table cache (vitron_agent.loading.disk_cache) and WordNet's tables kept in it: the
cached tables equal the ones parsed from WordNet's text files; a changed source file is parsed
again; an unreadable or wrong-shaped cache file is reported, ignored and rebuilt; no writable cache
folder means parsing in every process, with the same tables."""

from __future__ import annotations

import logging
import os

import pytest

from vitron_agent.loading import disk_cache
from vitron_agent.loading.weights import embedded_path
from vitron_agent.perception import wordnet_names

FILES = wordnet_names._FILES


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VITRON_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "wordnet"


@pytest.fixture
def small_wordnet(tmp_path):
    """The first entries of each embedded WordNet file (licence header included), copied."""
    paths = {}
    for name in FILES:
        lines = embedded_path(name).read_text(encoding="utf-8").splitlines(keepends=True)
        header = [x for x in lines if x.startswith(" ")]
        paths[name] = tmp_path / name
        paths[name].write_text("".join(header + [x for x in lines if not x.startswith(" ")][:300]), encoding="utf-8")
    return paths


def _no_parsing(monkeypatch):
    def fail(paths):
        raise AssertionError("parsed the text files again")

    monkeypatch.setattr(wordnet_names, "_parse", fail)


def test_cached_tables_equal_the_text_files(cache, monkeypatch):
    parsed = wordnet_names._parse({n: embedded_path(n) for n in FILES})
    assert len(parsed[0]) > 80000 and len(parsed[1]) > 100000 and parsed[2]
    assert wordnet_names._tables() == parsed  # built: parsed and written
    assert len(list(cache.glob("*.marshal"))) == 1
    _no_parsing(monkeypatch)
    read = wordnet_names._tables()  # read back from the file
    assert read == parsed
    data, index, exc = read
    assert index["cat"] == parsed[1]["cat"] and data[index["cat"][0]] == parsed[0][index["cat"][0]]


def test_a_changed_source_file_is_parsed_again(cache, small_wordnet, monkeypatch):
    first = wordnet_names._tables(small_wordnet)
    exc = small_wordnet["wordnet_noun_exc"]
    exc.write_text(exc.read_text(encoding="utf-8") + "geese goose\n", encoding="utf-8")
    os.utime(exc, ns=(exc.stat().st_atime_ns, exc.stat().st_mtime_ns + 10**9))  # a later time, as an edit has
    second = wordnet_names._tables(small_wordnet)
    assert second[2]["geese"] == "goose" and "geese" not in first[2]
    assert second[:2] == first[:2]
    assert len(list(cache.glob("*.marshal"))) == 1  # the stale key's file is gone
    _no_parsing(monkeypatch)
    assert wordnet_names._tables(small_wordnet) == second


@pytest.mark.parametrize("damage", ["garbage", "cut short", "wrong shape"])
def test_an_unreadable_cache_file_is_reported_and_rebuilt(cache, small_wordnet, caplog, damage):
    good = wordnet_names._tables(small_wordnet)
    (path,) = cache.glob("*.marshal")
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(os.urandom(len(data)))
    elif damage == "cut short":
        path.write_bytes(data[: len(data) // 2])
    else:
        import marshal

        header_end = data.index(b"\n", len(disk_cache._HEADER)) + 1
        path.write_bytes(data[:header_end] + marshal.dumps(({}, {}, {})))
    with caplog.at_level(logging.WARNING, logger="vitron_agent.cache"):
        again = wordnet_names._tables(small_wordnet)
    assert again == good
    assert any("cannot be read" in r.getMessage() and "building them again" in r.getMessage() for r in caplog.records)
    assert disk_cache._read(path, path.stem, wordnet_names._complete) == good  # rewritten, readable


def test_no_writable_cache_folder_parses_every_time(tmp_path, small_wordnet, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("VITRON_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot be made
    assert wordnet_names._tables(small_wordnet) == wordnet_names._parse(small_wordnet)


def test_the_key_follows_the_sources(tmp_path):
    f = tmp_path / "f.txt"
    f.write_text("a")
    k = disk_cache.stamp(b"reader v1", "pin", f)
    assert disk_cache.stamp(b"reader v1", "pin", f) == k
    assert disk_cache.stamp(b"reader v2", "pin", f) != k  # a changed reader
    assert disk_cache.stamp(b"reader v1", "other pin", f) != k
    f.write_text("ab")  # a changed file (size)
    assert disk_cache.stamp(b"reader v1", "pin", f) != k
