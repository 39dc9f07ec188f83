"""The package's regular expressions come from the per-machine cache (loading/pattern_cache.py): the
very patterns ``re.compile`` builds (``==`` compares flags, text and program), in the process that
compiles them and in a later one that reads them back without compiling; other callers' patterns are
never touched; a tampered program is refused by the C matcher and compiled again; the file is capped;
``VITRON_PATTERN_CACHE=0`` turns it off. The matcher's example embeddings, read back from their own
cache, are the embeddings wordllama computes."""

import json
import marshal
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from vitron_agent.loading import pattern_cache

PROBE = textwrap.dedent(
    """
    import json, re, sys
    import vitron_agent
    from vitron_agent.loading import pattern_cache as pc
    own = {"__name__": "vitron_agent.probe_module"}
    exec(compile(sys.argv[1], "probe", "exec"), own)
    mine = [p for _, p in sorted(own.items()) if isinstance(p, re.Pattern)]
    other = {"__name__": "somebody_else", "mine": mine}
    exec("import re\\nP = re.compile(r'(?P<x>zz+)y', re.I)\\nplain = [re.compile(p.pattern, p.flags) for p in mine]", other)
    print(json.dumps({
        "installed": pc.installed(),
        "new": len(pc._STATE["new"]),
        "memo": sorted(k.split("\\0", 1)[1] for k in pc._STATE["memo"]),
        "equal": [a == b and a.groupindex == b.groupindex for a, b in zip(mine, other["plain"])],
        "match": own["A"].match("make the cat Blue")["what"],
    }))
    """
)

SOURCE = "import re\nA = re.compile(r'^(?:make|turn)\\s+(?P<what>.+?)\\s+(?:red|blue)$', re.I)\nB = re.compile(r'\\bcats?\\b')\n"


def _run(cache, env_extra=None, source=SOURCE):
    env = {"VITRON_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin", **(env_extra or {})}
    out = subprocess.run([sys.executable, "-c", PROBE, source], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_patterns_are_compiled_once_per_machine(tmp_path):
    cache = tmp_path / "cache"
    first = _run(cache)
    assert first["installed"] and first["new"] >= 2  # compiled here, written at exit
    assert first["match"] == "the cat" and first["equal"] == [True, True]
    assert "(?P<x>zz+)y" not in first["memo"]  # another package's pattern: re's own business
    files = list((cache / "re-programs").glob("*.marshal"))
    assert len(files) == 1
    second = _run(cache)
    assert second["new"] == 0  # read back: nothing compiled by re's Python half
    assert second["match"] == "the cat" and second["equal"] == [True, True]
    assert set(first["memo"]) <= set(second["memo"])


def test_read_back_patterns_equal_re_compile(tmp_path, monkeypatch):
    monkeypatch.setenv("VITRON_CACHE_DIR", str(tmp_path / "c"))
    texts = [
        (r"^(?:make|turn)\s+(?P<what>.+?)\s+(?:red|blue)$", re.I),
        (r"\b(\d+)\s*(?:s|sec)\b", 0),
        (r"x{2,5}", re.X),
    ]
    for text, flags in texts:
        program = pattern_cache._program(text, flags)
        got = pattern_cache._from_program(text, program)
        want = re.compile(text, flags)  # (this test module is not the package: plain re)
        assert got == want and got.groupindex == want.groupindex and got.groups == want.groups


def test_a_tampered_program_is_refused_and_compiled_again(tmp_path):
    cache = tmp_path / "cache"
    _run(cache)
    path = next((cache / "re-programs").glob("*.marshal"))
    data = path.read_bytes()
    head_end = data.index(b"\n", len(b"vitron-agent table cache 1\n")) + 1
    programs = marshal.loads(data[head_end:])
    for key, (flags, code, groups, gi, ig) in list(programs.items()):
        programs[key] = (flags, bytes(b ^ 0x55 for b in code), groups, gi, ig)  # every program broken
    path.write_bytes(data[:head_end] + marshal.dumps(programs))
    again = _run(cache)
    assert again["match"] == "the cat"  # compiled by re's own code, right
    assert again["new"] >= 2  # and kept again, replacing the broken ones


def test_switched_off(tmp_path):
    got = _run(tmp_path / "cache", {"VITRON_PATTERN_CACHE": "0"})
    assert not got["installed"] and got["match"] == "the cat"
    assert not (tmp_path / "cache" / "re-programs").exists()


def test_the_file_is_capped(tmp_path, monkeypatch):
    monkeypatch.setenv("VITRON_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setattr(pattern_cache, "KEEP", 5)
    state = {"loaded": {}, "new": {}, "used": [], "memo": {}, "original": None, "saving": False}
    monkeypatch.setattr(pattern_cache, "_STATE", state)
    for i in range(12):  # patterns built from requests' words, say
        pattern_cache._cached(rf"\bword{i}\b", 0, re.compile)
    assert len(state["new"]) == 5  # (at most KEEP recorded)
    pattern_cache.save()
    kept = pattern_cache._read()
    assert len(kept) == 5 and all(k.split("\0", 1)[1] in {rf"\bword{i}\b" for i in range(5)} for k in kept)


def test_a_bad_pattern_raises_as_re_does(tmp_path, monkeypatch):
    monkeypatch.setenv("VITRON_CACHE_DIR", str(tmp_path / "c"))
    with pytest.raises(re.error):
        pattern_cache._cached(r"(?P<a>x)(?P<a>y)", 0, re.compile)


def test_matcher_examples_read_back_are_the_embeddings(tmp_path, monkeypatch):
    from vitron_agent.planners.rule import intent_matcher

    monkeypatch.setenv("VITRON_CACHE_DIR", str(tmp_path / "c"))
    contents = ["make warmer", "grayscale black white", "remove background"]
    built = intent_matcher._example_matrix(contents)
    assert list((tmp_path / "c" / "matcher-examples").glob("*.marshal"))
    read = intent_matcher._example_matrix(contents)
    want = intent_matcher._embed(contents)
    assert np.array_equal(built, want) and np.array_equal(read, want) and read.dtype == want.dtype


def test_the_file_is_the_users_own_and_new_programs_are_capped(tmp_path, monkeypatch):
    """A pattern built from a request's word is kept in a file only its user reads; a process compiling
    many such patterns records at most KEEP and, past the memo, leaves them to re's own cache."""
    import stat

    monkeypatch.setenv("VITRON_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setattr(pattern_cache, "KEEP", 4)
    state = {"loaded": {}, "new": {}, "used": [], "memo": {}, "original": None, "saving": False}
    monkeypatch.setattr(pattern_cache, "_STATE", state)
    calls = []

    def plain(text, flags):
        calls.append(text)
        return re.compile(text, flags)

    for i in range(20):
        assert pattern_cache._cached(rf"\bquux{i}\b", 0, plain).match(f"quux{i}")
    assert len(state["new"]) == 4 and len(state["memo"]) == 8 and len(calls) == 12
    pattern_cache.save()
    path = next((tmp_path / "c" / "re-programs").glob("*.marshal"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
