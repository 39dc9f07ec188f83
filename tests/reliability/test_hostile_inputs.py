"""A hostile-inputs corpus made by the test: each file gets a clear error or correct handling,
nothing hangs, and a process loading all of them stays within a memory limit."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from vitron_agent.core.errors import MediaError
from vitron_agent.media.images import load_image
from vitron_agent.runtime.agent import Agent
from vitron_agent.toolkit.config import Config

ROOT = Path(__file__).resolve().parents[2]


def corpus(d: Path) -> dict[str, tuple[Path, str | None]]:
    """name -> (path, expected error fragment or None for 'loads fine')."""
    import io
    import struct
    import zlib

    rgb = np.random.default_rng(0).integers(0, 255, (64, 64, 3), dtype=np.uint8)
    out: dict[str, tuple[Path, str | None]] = {}

    def save(name, data, expect):
        p = d / name
        p.write_bytes(data)
        out[name] = (p, expect)

    def enc(im, fmt, **kw):
        b = io.BytesIO()
        im.save(b, format=fmt, **kw)
        return b.getvalue()

    png, jpg = enc(Image.fromarray(rgb), "PNG"), enc(Image.fromarray(rgb), "JPEG")
    save("truncated.png", png[: len(png) // 2], "truncated or corrupt")
    save("truncated.jpg", jpg[: len(jpg) // 2], "truncated or corrupt")
    save("jpeg-named.png", jpg, None)
    save("empty.png", b"", "0 bytes")

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 30001 * 64))
        + chunk(b"IEND", b"")
    )
    save("bomb-30000x30000.png", bomb, "decompression bomb")
    save("deep16.png", enc(Image.fromarray(np.full((8, 8), 40000, np.uint16)), "PNG"), None)
    save("cmyk.jpg", enc(Image.new("CMYK", (8, 8), (0, 255, 255, 0)), "JPEG"), None)
    frames = [Image.new("RGB", (8, 8), c) for c in [(255, 0, 0), (0, 255, 0)]]
    b = io.BytesIO()
    frames[0].save(b, format="GIF", save_all=True, append_images=frames[1:])
    save("animated.gif", b.getvalue(), None)
    im = Image.fromarray(rgb[:, :32])
    exif = im.getexif()
    exif[0x0112] = 6
    save("rotated.jpg", enc(im, "JPEG", exif=exif.tobytes()), None)
    save("polyglot.png", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n" + png, "not a recognised image format")
    save("ünïcødé-画像.png", png, None)
    save("L" * 240 + ".png", png, None)
    return out


def test_corpus_errors_are_clear_and_named(tmp_path):
    for name, (path, expect) in corpus(tmp_path).items():
        if expect is None:
            arr = load_image(path)
            assert arr.dtype == np.uint8 and arr.ndim == 3 and arr.shape[2] == 3, name
        else:
            with pytest.raises(MediaError) as err:
                load_image(path)
            assert expect in str(err.value) and str(path) in str(err.value), name
    too_long = tmp_path / ("x" * 300 + ".png")
    with pytest.raises(MediaError, match="cannot be read|no such file"):
        load_image(too_long)
    with pytest.raises(MediaError, match="not a usable path"):
        load_image("bad\x00name.png")


def test_allowed_roots_and_symlink_escape(tmp_path):
    inside, outside = tmp_path / "inside", tmp_path / "outside"
    inside.mkdir()
    outside.mkdir()
    Image.new("RGB", (4, 4)).save(outside / "secret.png")
    Image.new("RGB", (4, 4)).save(inside / "ok.png")
    (inside / "escape.png").symlink_to(outside / "secret.png")
    roots = [inside]
    assert load_image(inside / "ok.png", allowed_roots=roots).shape == (4, 4, 3)
    for bad in (outside / "secret.png", inside / "escape.png", inside / ".." / "outside" / "secret.png"):
        with pytest.raises(MediaError, match="outside the folders this agent may read"):
            load_image(bad, allowed_roots=roots)
    agent = Agent(data_dir=tmp_path / "data", config=Config.model_validate({"agent": {"allowed_roots": [str(inside)]}}))
    with pytest.raises(MediaError, match="allowed_roots"):
        agent.run("describe it", image=str(inside / "escape.png"))
    assert agent.run("describe it", image=str(inside / "ok.png")).ok


def test_memory_stays_bounded_and_nothing_hangs(tmp_path):
    corpus(tmp_path)
    script = textwrap.dedent(f"""
        import resource, json, pathlib
        resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, 3 * 1024 ** 3))
        from vitron_agent.media.images import load_image
        from vitron_agent.core.errors import MediaError
        out = {{}}
        for p in sorted(pathlib.Path({str(tmp_path)!r}).iterdir()):
            try:
                out[p.name] = list(load_image(p).shape)
            except MediaError as e:
                out[p.name] = "error"
        print(json.dumps(out))
        # VmHWM is this process's own peak (ru_maxrss would include the parent's from before exec)
        hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]
        print("peak_rss_kb", hwm)
    """)
    p = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert p.returncode == 0, p.stderr
    lines = p.stdout.strip().splitlines()
    results = json.loads(lines[0])
    assert results["bomb-30000x30000.png"] == "error" and results["rotated.jpg"] == [
        32,
        64,
        3,
    ]  # 64x32 stored, rotated upright
    assert int(lines[1].split()[1]) < 1024 * 1024, lines[1]  # under 1 GiB resident
