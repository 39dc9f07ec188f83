"""Hostile round 5: a model file missing or corrupt. Before: with the face detector's files gone
(the npm folder empty), "blur her face" answered "I cannot recognise 'face': none of my models has a
name for it", as if faces were unknown, with no word of the missing model nor of the fix. A cut
model file is refused by its SHA-256 pin, naming the file and the fix; a cut optimised-graph cache
is rebuilt (held)."""

import shutil
from pathlib import Path

import pytest

from vitron_agent.core.errors import ConfigError
from vitron_agent.loading.weights import embedded_available, embedded_path, npm_root
from vitron_agent.perception.resolving import not_recognised

needs_faces = pytest.mark.skipif(
    not embedded_available("blazeface", "blazeface_weights"), reason="the face detector is not installed here"
)


@needs_faces
def test_a_missing_model_is_named_with_the_fix(tmp_path, monkeypatch):
    assert "not installed" not in str(not_recognised("the face", []))  # all here: no such sentence
    monkeypatch.setenv("VITRON_NPM_DIR", str(tmp_path))  # the npm models' folder, empty
    text = str(not_recognised("the face", []))
    assert text.startswith("the face detector (BlazeFace) is not installed, so I may not know 'the face'"), text
    assert "run `vitron-agent fetch-weights`" in text


@needs_faces
def test_a_cut_model_file_is_refused_by_its_pin(tmp_path, monkeypatch):
    shutil.copytree(npm_root(), tmp_path / "npm")
    monkeypatch.setenv("VITRON_NPM_DIR", str(tmp_path / "npm"))
    weights = embedded_path("blazeface_weights")
    assert Path(weights).is_relative_to(tmp_path)
    Path(weights).write_bytes(Path(weights).read_bytes()[:1000])
    with pytest.raises(ConfigError, match="SHA-256 mismatch .*corrupt or another version.*reinstall"):
        embedded_path("blazeface_weights")
