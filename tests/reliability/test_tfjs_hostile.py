"""The TF.js reader against hostile model files (issue 40): weight paths stay inside the model
folder, shapes are whole non-negative numbers, uint8/uint16 quantization is applied (scale and
min) or refused loudly, and constant folding is bounded before it allocates."""

import json
from pathlib import Path

import numpy as np
import pytest

from vitron_agent.loading.tfjs import TfjsError, read_tfjs, tfjs_to_onnx


def model(folder: Path, weights: list[dict], data: bytes, nodes: list | None = None, paths=("w.bin",)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "w.bin").write_bytes(data)
    spec = {"modelTopology": {"node": nodes or []}, "weightsManifest": [{"paths": list(paths), "weights": weights}]}
    (folder / "model.json").write_text(json.dumps(spec))
    return folder / "model.json"


@pytest.mark.parametrize("where", ["../secret.bin", "/etc/passwd", "link.bin"])
def test_weight_paths_are_confined_to_the_model_folder(tmp_path, where):
    secret = tmp_path / "secret.bin"
    secret.write_bytes(np.arange(4, dtype=np.float32).tobytes())
    path = model(tmp_path / "m", [{"name": "w", "shape": [4], "dtype": "float32"}], b"\0" * 16, paths=(where,))
    (tmp_path / "m" / "link.bin").symlink_to(secret)
    with pytest.raises(TfjsError, match="not a plain path inside the model folder|leads outside the model folder"):
        read_tfjs(path)


@pytest.mark.parametrize("shape", [[-4], [2, -2], [2.5], ["4"], [1 << 40, 1 << 40]])
def test_negative_or_absurd_shapes_are_refused(tmp_path, shape):
    path = model(tmp_path, [{"name": "w", "shape": shape, "dtype": "float32"}], b"\0" * 16)
    with pytest.raises(TfjsError, match="negative dimension|not a list of ints|bytes"):
        read_tfjs(path)


def test_bin_files_larger_than_declared_are_not_read(tmp_path):
    path = model(tmp_path, [{"name": "w", "shape": [4], "dtype": "float32"}], b"\0" * (16 + 4 * 1024 * 1024))
    with pytest.raises(TfjsError, match="the manifest 16; not read"):
        read_tfjs(path)


@pytest.mark.parametrize("qdtype, np_dtype", [("uint8", np.uint8), ("uint16", np.uint16)])
def test_quantized_weights_are_dequantized(tmp_path, qdtype, np_dtype):
    q = np.array([0, 1, 2, 200], np_dtype)
    w = {"name": "w", "shape": [4], "dtype": "float32", "quantization": {"dtype": qdtype, "scale": 0.5, "min": -1.0}}
    _, values, _ = read_tfjs(model(tmp_path, [w], q.tobytes()))
    assert values["w"].dtype == np.float32
    np.testing.assert_allclose(values["w"], [-1.0, -0.5, 0.0, 99.0])


def test_quantization_without_scale_is_refused_loudly(tmp_path):
    w = {"name": "w", "shape": [4], "dtype": "float32", "quantization": {"dtype": "uint8"}}
    with pytest.raises(TfjsError, match="uint8-quantized without a numeric scale and min"):
        read_tfjs(model(tmp_path, [w], bytes(4)))


def _const(name: str, dtype: str = "DT_INT32") -> dict:
    return {"name": name, "op": "Const", "attr": {"dtype": {"type": dtype}}}


def test_constant_folding_is_bounded_before_it_allocates(tmp_path):
    # SparseToDense of a declared 100000 x 100000 shape: 40 GB if it were allocated
    weights = [
        {"name": "idx", "shape": [1, 2], "dtype": "int32"},
        {"name": "shape", "shape": [2], "dtype": "int32"},
        {"name": "val", "shape": [], "dtype": "int32"},
        {"name": "dflt", "shape": [], "dtype": "int32"},
    ]
    data = np.array([0, 0, 100_000, 100_000, 1, 0], np.int32).tobytes()
    nodes = [_const(n) for n in ("idx", "shape", "val", "dflt")]
    nodes.append({"name": "dense", "op": "SparseToDense", "input": ["idx", "shape", "val", "dflt"]})
    with pytest.raises(TfjsError, match="SparseToDense on constants would make a \\[100000, 100000\\] tensor"):
        tfjs_to_onnx(model(tmp_path / "a", weights, data, nodes))
    # an Add that broadcasts two constants into a 100000 x 100000 grid
    weights = [
        {"name": "a", "shape": [100_000, 1], "dtype": "int32"},
        {"name": "b", "shape": [1, 100_000], "dtype": "int32"},
    ]
    nodes = [_const("a"), _const("b"), {"name": "sum", "op": "AddV2", "input": ["a", "b"]}]
    with pytest.raises(TfjsError, match="AddV2 on constants would make"):
        tfjs_to_onnx(model(tmp_path / "b", weights, bytes(800_000), nodes))
