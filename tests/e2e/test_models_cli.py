"""A plan through the CLI with --config on tiny checkpoints: every model family runs."""

import json
import subprocess
import sys
from pathlib import Path

from skimage import data as skdata

BIN = Path(sys.executable).parent / "vitron-agent"


def test_segment_replace_describe_on_tiny_checkpoints(tiny_dir, tmp_path):
    import numpy as np
    from PIL import Image

    photo = tmp_path / "cat.png"
    Image.fromarray(np.asarray(Image.fromarray(skdata.chelsea()).resize((120, 80)))).save(photo)
    p = subprocess.run(
        [
            str(BIN),
            "run",
            "--config",
            str(tiny_dir / "vitron.toml"),
            "--image",
            str(photo),
            "--out",
            str(tmp_path / "out"),
            "--json",
            "segment the cat, replace it with a dog, describe the result",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert [(s["tool"], s["status"]) for s in data["steps"]] == [
        ("ground", "ok"),
        ("segment", "ok"),
        ("edit", "ok"),
        ("describe", "ok"),
    ]
    seg, edit = data["steps"][1], data["steps"][2]
    assert seg["args"]["box"] == "$s1.box" and seg["outputs"]["embedding"]["kind"] == "feature"
    assert Path(seg["outputs"]["embedding"]["path"]).suffix == ".safetensors"
    assert edit["args"]["operation"] == "inpaint" and edit["args"]["prompt"] == "a dog"
    out = np.asarray(Image.open(edit["outputs"]["image"]["path"]))
    mask = np.asarray(Image.open(seg["outputs"]["mask"]["path"])) > 0
    src = np.asarray(Image.open(photo).convert("RGB"))
    assert out.shape == src.shape and (out[~mask] == src[~mask]).all()


def test_generate_then_describe_and_check_config(tiny_dir, tmp_path):
    p = subprocess.run(
        [
            str(BIN),
            "run",
            "--config",
            str(tiny_dir / "vitron.toml"),
            "--out",
            str(tmp_path / "o"),
            "--json",
            "generate an image of a lighthouse, then describe it",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert [s["status"] for s in data["steps"]] == ["ok", "ok"]
    assert data["steps"][0]["outputs"]["image"]["value"]["width"] == 64
    p = subprocess.run(
        [str(BIN), "check-config", "--config", str(tiny_dir / "vitron.toml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0 and "segment: segment-anything" in p.stdout and "generate: diffusers" in p.stdout
