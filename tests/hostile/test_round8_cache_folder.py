"""Hostile round 8: the user's cache folder (vitron_agent.loading.disk_cache) when a cached table is
unreadable and the folder cannot be written (a read-only home, a folder left by another user).

Before: a cut WordNet table in a folder where it could not be removed made every description fail,
``vitron-agent: error: .../wordnet/<key>.marshal: Operation not permitted``; the cache is only a
shortcut, so the table is built in the process and the turn goes on."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vitron_agent.loading import disk_cache

CLI = [str(Path(sys.executable).parent / "vitron-agent")]


@contextlib.contextmanager
def _read_only(folder: Path):
    """``folder`` made unwritable for real: mode 0555, or for root (which ignores modes) the
    immutable attribute; skipped where neither holds."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode:
        pytest.skip("root without chattr +i: no way to make a folder read-only here")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], capture_output=True)


def _cut(path: Path) -> None:
    """Keep the header (two lines), garble the table after it."""
    data = path.read_bytes()
    head = data.index(b"\n", data.index(b"\n") + 1) + 1
    path.write_bytes(data[:head] + bytes(range(256)) * 8)


def test_an_unreadable_table_in_a_read_only_folder_is_built_in_the_process(tmp_path, monkeypatch):
    monkeypatch.setenv("VITRON_CACHE_DIR", str(tmp_path / "cache"))
    key = disk_cache.stamp("hostile round 8")
    assert disk_cache.cached_tables("h8", key, lambda: {"a": 1}) == {"a": 1}
    folder = tmp_path / "cache" / "h8"
    (path,) = folder.glob("*.marshal")
    _cut(path)
    with _read_only(folder):
        assert disk_cache.cached_tables("h8", key, lambda: {"a": 2}) == {"a": 2}
        assert disk_cache.read_table("h8", key) is None
        assert path.exists()  # (it could not be removed: read again, and refused again, next time)


def test_describing_with_a_cut_wordnet_cache_in_a_read_only_home_answers(tmp_path):
    import skimage

    cat = Path(skimage.__file__).parent / "data" / "chelsea.png"
    env = {**os.environ, "VITRON_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    args = [*CLI, "run", "--out", str(tmp_path / "out"), "--image", str(cat), "what is this?"]
    first = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    folder = tmp_path / "cache" / "wordnet"
    (path,) = folder.glob("*.marshal")
    _cut(path)
    with _read_only(folder):
        again = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "cat" in again.stdout and "error" not in again.stderr, (again.stdout, again.stderr)
