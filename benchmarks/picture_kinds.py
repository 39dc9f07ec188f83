"""Photograph or made picture? The picture-kind cues on a labelled set, tuning half and held-out half.

    python benchmarks/picture_kinds.py            # accuracy of the shipped model per half, and its misses
    python benchmarks/picture_kinds.py --fit      # refit the logistic model on the tuning half and print it

The set is ``benchmarks/recognition/picture_kinds.json``: each picture's source, whether it is a
photograph, its kind (photo, screenshot, diagram, render) and its half. Sources:

- ``python:PKG/PATH``: a file inside an installed package (scikit-image's photos and its text page,
  checkerboard, logo, colour wheel, horse silhouette and phantom; networkx's drawing baselines);
- ``eval:NAME``: a tuning-half photo of the recognition set (``vitron-agent eval fetch-photos``);
  the recognition set's held-out photos are never read;
- ``deb:lomiri-wallpapers/PATH``: Debian's lomiri-wallpapers-16.04 / -20.04 (``apt-get download``
  then ``dpkg -x`` into ``$VITRON_DEB_DIR``, default ``/tmp/rdl/ex``): renders, plus one photograph
  not used by the recognition set; MATE's backgrounds are never used;
- ``file:/usr/share/...``: Debian documentation and icons (nodejs, valgrind, adwaita-icon-theme);
- ``rustup-doc:PATH``: the Rust toolchain's HTML docs (screenshots and diagrams);
- ``made:NAME``: drawn here with a fixed seed (charts, a flowchart, a form, a terminal, a slide,
  a cartoon, a flag, shapes).

A ``variant`` re-encodes a picture (``jpeg60``: JPEG at quality 60, as pictures travel; ``small``:
scaled to 320 px) in the same half as its source. Missing sources are skipped and counted.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SET = ROOT / "benchmarks" / "recognition" / "picture_kinds.json"
RUST_DOC = "share/doc/rust/html"


def _open(path: Path) -> np.ndarray:
    """HxWx3 uint8 RGB; transparency composited on white (as a viewer shows an icon)."""
    from PIL import Image

    im = Image.open(path)
    if im.mode in ("RGBA", "LA", "P", "PA"):
        im = im.convert("RGBA")
        ground = Image.new("RGBA", im.size, "white")
        ground.alpha_composite(im)
        im = ground
    return np.ascontiguousarray(np.asarray(im.convert("RGB")))


def _resolve(source: str) -> Path | None:
    kind, _, rest = source.partition(":")
    if kind == "python":
        import importlib.util

        pkg, _, inner = rest.partition("/")
        spec = importlib.util.find_spec(pkg)
        path = Path(spec.origin).parent / inner if spec and spec.origin else None
    elif kind == "eval":
        from vitron_agent.evaluation.photos import photo_cache

        path = photo_cache() / rest
    elif kind == "deb":
        path = Path(os.environ.get("VITRON_DEB_DIR", "/tmp/rdl/ex")) / rest.partition("/")[2]
    elif kind == "file":
        path = Path(rest)
    elif kind == "rustup-doc":
        homes = sorted(Path.home().glob(".rustup/toolchains/*"))
        path = next((h / RUST_DOC / rest for h in homes if (h / RUST_DOC / rest).is_file()), None)
    else:
        return None
    return path if path is not None and path.is_file() else None


def made(name: str) -> np.ndarray:
    """A picture drawn with Pillow (fixed seed): what screenshots, charts and drawings look like."""
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(sum(map(ord, name)))
    im = Image.new("RGB", (640, 480), "white")
    d = ImageDraw.Draw(im)
    colours = [tuple(int(c) for c in rng.integers(30, 230, 3)) for _ in range(6)]
    if name == "bar_chart":
        d.line([(60, 420), (600, 420)], fill="black", width=2)
        d.line([(60, 40), (60, 420)], fill="black", width=2)
        for i, hgt in enumerate(rng.integers(60, 350, 8)):
            d.rectangle([80 + i * 64, 420 - int(hgt), 124 + i * 64, 420], fill=colours[i % 6])
            d.text((86 + i * 64, 430), f"Q{i + 1}", fill="black")
    elif name == "line_chart":
        for y in range(60, 421, 60):
            d.line([(60, y), (600, y)], fill=(220, 220, 220))
        for k in range(3):
            pts = [(60 + i * 45, 240 + int(v)) for i, v in enumerate(np.cumsum(rng.normal(0, 25, 13)))]
            d.line(pts, fill=colours[k], width=3)
        d.text((280, 20), "Requests per second", fill="black")
    elif name == "flowchart":
        for i, label in enumerate(["start", "read input", "valid?", "process", "end"]):
            y = 20 + i * 92
            d.rounded_rectangle([220, y, 420, y + 56], 12, outline="black", fill=colours[i % 6], width=2)
            d.text((280, y + 22), label, fill="black")
            if i < 4:
                d.line([(320, y + 56), (320, y + 92)], fill="black", width=2)
                d.polygon([(314, y + 84), (326, y + 84), (320, y + 92)], fill="black")
    elif name == "pie_chart":
        start = 0.0
        for i, share in enumerate(rng.dirichlet(np.ones(5))):
            d.pieslice([140, 60, 500, 420], start, start + 360 * share, fill=colours[i], outline="white")
            start += 360 * share
    elif name == "form":
        d.rectangle([0, 0, 640, 40], fill=(45, 90, 160))
        d.text((16, 14), "Account settings", fill="white")
        for i, field in enumerate(["Name", "Email", "Password", "Country"]):
            y = 70 + i * 70
            d.text((40, y), field, fill="black")
            d.rectangle([40, y + 18, 600, y + 48], outline=(150, 150, 150), fill=(250, 250, 250))
        d.rounded_rectangle([440, 400, 600, 440], 6, fill=(40, 160, 80))
        d.text((496, 414), "Save", fill="white")
    elif name == "terminal":
        im.paste((20, 20, 20), [0, 0, 640, 480])
        for i in range(24):
            words = " ".join(
                "".join(chr(97 + int(c)) for c in rng.integers(0, 26, rng.integers(2, 9))) for _ in range(6)
            )
            d.text((10, 8 + i * 19), ("$ " if i % 5 == 0 else "") + words, fill=(200, 230, 200))
    elif name == "slide":
        im.paste(colours[0], [0, 0, 640, 480])
        d.rectangle([0, 0, 640, 90], fill=colours[1])
        d.text((40, 36), "Quarterly results and next steps", fill="white")
        for i in range(5):
            d.ellipse([50, 130 + i * 60, 60, 140 + i * 60], fill="white")
            d.text((80, 128 + i * 60), f"Point number {i + 1}: growth in region {i + 2}", fill="white")
    elif name == "cartoon":
        im.paste((135, 200, 250), [0, 0, 640, 480])
        d.rectangle([0, 360, 640, 480], fill=(90, 180, 70))
        d.ellipse([480, 40, 580, 140], fill=(255, 220, 40))
        d.rectangle([120, 220, 320, 380], fill=(200, 80, 60), outline="black", width=3)
        d.polygon([(100, 220), (340, 220), (220, 120)], fill=(120, 60, 40), outline="black")
        d.rectangle([190, 300, 250, 380], fill=(90, 50, 30), outline="black", width=3)
        d.ellipse([400, 200, 500, 320], fill=(40, 130, 40), outline="black", width=3)
        d.rectangle([440, 320, 460, 380], fill=(110, 70, 40))
    elif name == "flag":
        for i in range(3):
            im.paste(colours[i], [0, i * 160, 640, (i + 1) * 160])
        d.ellipse([260, 180, 380, 300], fill=colours[3])
    elif name == "shapes":
        im.paste((245, 240, 230), [0, 0, 640, 480])
        for _ in range(14):
            x, y, r = (int(v) for v in rng.integers(20, 600, 2).tolist() + [int(rng.integers(15, 70))])
            shape = d.ellipse if rng.random() < 0.5 else d.rectangle
            shape([x - r, y - r, x + r, y + r], fill=colours[int(rng.integers(0, 6))], outline="black", width=2)
    else:
        raise ValueError(f"no made picture called {name!r}")
    return np.asarray(im)


def _variant(image: np.ndarray, how: str | None) -> np.ndarray:
    from PIL import Image

    if not how:
        return image
    im = Image.fromarray(image)
    if how == "jpeg60":
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=60)
        return np.asarray(Image.open(buf).convert("RGB"))
    if how == "small":
        im.thumbnail((320, 320))
        return np.asarray(im)
    raise ValueError(f"unknown variant {how!r}")


def load(entries: list[dict]) -> tuple[list[dict], list[str]]:
    """The pictures that can be had here (each entry with ``image``), and the sources missing."""
    out, missing = [], []
    for e in entries:
        if e["source"].startswith("made:"):
            image = made(e["source"][5:])
        else:
            path = _resolve(e["source"])
            if path is None:
                missing.append(e["source"])
                continue
            image = _open(path)
        out.append({**e, "image": _variant(image, e.get("variant"))})
    return out, missing


def _matrix(rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    from vitron_agent.perception.picture_kind import FEATURES

    return np.array([[r["cues"][k] for k in FEATURES] for r in rows]), np.array([float(r["photo"]) for r in rows])


def fit(rows: list[dict], l2: float = 0.3, steps: int = 4000) -> dict:
    """Logistic regression on standardised cues (gradient descent, L2 penalty, classes weighted
    equally); the constants to paste into picture_kind.py."""
    from vitron_agent.perception.picture_kind import FEATURES

    x, y = _matrix(rows)
    mean, sd = x.mean(0), x.std(0) + 1e-6
    z = (x - mean) / sd
    weight = np.where(y == 1, 0.5 / max(y.sum(), 1), 0.5 / max((1 - y).sum(), 1))
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = weight * (p - y)
        w -= 0.5 * (z.T @ g + l2 * w / len(y))
        b -= 0.5 * g.sum()
    r = lambda v: round(float(v), 3)  # noqa: E731
    return {
        "MEANS": {k: r(m) for k, m in zip(FEATURES, mean, strict=True)},
        "SPREADS": {k: r(s) for k, s in zip(FEATURES, sd, strict=True)},
        "WEIGHTS": {k: r(v) for k, v in zip(FEATURES, w, strict=True)},
        "BIAS": r(b),
    }


def report(rows: list[dict], half: str) -> dict:
    """Accuracy of the shipped model on a half: a photograph must come out photo (p >= UNSURE_HIGH),
    a made picture not (p < UNSURE_HIGH); 'sure-wrong' counts misses outside the unsure band."""
    part = [r for r in rows if r["half"] == half]
    right = [r for r in part if r["kind_said"].photo == r["photo"]]
    sure_wrong = [r for r in part if r["kind_said"].photo != r["photo"] and r["kind_said"].sure]
    print(
        f"{half:9s} {len(right)}/{len(part)} right ({100 * len(right) / max(len(part), 1):.1f} %); "
        f"photos {sum(r['photo'] and r['kind_said'].photo for r in part)}/{sum(r['photo'] for r in part)}, "
        f"made pictures {sum(not r['photo'] and not r['kind_said'].photo for r in part)}/"
        f"{sum(not r['photo'] for r in part)}; said surely wrong: {len(sure_wrong)}"
    )
    for r in part:
        if r["kind_said"].photo != r["photo"]:
            name = r["source"].rsplit("/", 1)[-1] + (f" [{r['variant']}]" if r.get("variant") else "")
            print(f"    miss: {name} ({r['kind']}) -> {r['kind_said'].describe()}")
    return {"half": half, "right": len(right), "of": len(part), "sure_wrong": len(sure_wrong)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fit", action="store_true", help="refit on the tuning half and print the constants")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from vitron_agent.perception.picture_kind import _graphic_share, picture_cues, picture_kind

    rows, missing = load(json.loads(SET.read_text())["pictures"])
    for r in rows:
        r["cues"] = {**picture_cues(r["image"]), "graphic": _graphic_share(r["image"])[0]}
    if missing:
        print(f"{len(missing)} sources not found here (skipped): {', '.join(missing[:5])} ...", file=sys.stderr)
    if args.fit:
        print(json.dumps(fit([r for r in rows if r["half"] == "tune"]), indent=1))
    for r in rows:
        r["kind_said"] = picture_kind(r["image"])
    results = [report(rows, h) for h in ("tune", "held-out")]
    if args.json:
        print(json.dumps({"results": results, "missing": missing}))


if __name__ == "__main__":
    main()
