"""A small reader of TensorFlow.js graph models (``model.json`` + ``*.bin``) into ONNX, so that
onnxruntime runs them without TensorFlow.

Format (https://www.tensorflow.org/js/guide/save_load, tfjs-converter's ``model.json``):
``modelTopology.node`` is a TensorFlow GraphDef in JSON (each node: ``name``, ``op``, ``input``
names with ``:k`` for a node's k-th output, ``attr``); ``weightsManifest`` lists the ``Const``
nodes' values in the order their bytes follow each other in the ``.bin`` files (name, shape,
dtype; ``quantization.dtype = float16`` when a float32 tensor is stored as float16).

Only the ops of the graphs this project reads are supported (NanoDet, BlazeFace and their kin);
any other op is a clear error naming it. Tensors keep TensorFlow's layout (NHWC): each spatial
op (convolution, pooling, resize) is wrapped in a pair of transposes to ONNX's NCHW, which
onnxruntime's optimiser folds. Nodes whose inputs are all constant are evaluated here in numpy
(shape arithmetic such as ``SparseToDense`` + ``AddV2`` feeding a ``Reshape``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from vitron_agent.loading.disk_cache import cache_dir  # where converted models are kept

__all__ = ["TfjsError", "read_tfjs", "tfjs_to_onnx", "cached_onnx", "cache_dir", "weight_path"]

_NP = {
    "float32": np.float32,
    "int32": np.int32,
    "int64": np.int64,
    "bool": np.bool_,
    "uint8": np.uint8,
    "uint16": np.uint16,
    "float16": np.float16,
}
_TF_DT = {"DT_FLOAT": np.float32, "DT_INT32": np.int32, "DT_INT64": np.int64, "DT_BOOL": np.bool_}
NCHW, NHWC = [0, 3, 1, 2], [0, 2, 3, 1]


class TfjsError(ValueError):
    """The graph uses something this reader does not support, or its files do not match."""


MAX_JSON_BYTES = 64 * 1024 * 1024  # model.json
MAX_WEIGHT_BYTES = 2 * 1024**3  # all the weights a manifest group declares
MAX_FOLD_ELEMENTS = 16 * 1024 * 1024  # a constant computed here while converting


def weight_path(model_json: Path, name: Any) -> Path:
    """The weight file ``name`` of a manifest, confined to the model's folder: an absolute path,
    a ``..`` part or a link that leads outside the folder is a TfjsError, never read."""
    folder = model_json.parent.resolve()
    if not isinstance(name, str) or not name or Path(name).is_absolute() or ".." in Path(name).parts:
        raise TfjsError(
            f"{model_json.name}: weight file {str(name)[:80]!r} is not a plain path inside the model folder"
        )
    real = (folder / name).resolve()
    if folder not in real.parents:
        raise TfjsError(f"{model_json.name}: weight file {name[:80]!r} leads outside the model folder; not read")
    return real


def _count(path: Path, w: dict[str, Any]) -> int:
    """The element count of a manifest weight, its shape checked: whole numbers >= 0."""
    shape = w.get("shape")
    if not isinstance(shape, list) or not all(isinstance(d, int) and not isinstance(d, bool) for d in shape):
        raise TfjsError(
            f"{path.name}: weight {str(w.get('name'))[:80]!r} has shape {str(shape)[:80]}, not a list of ints"
        )
    if any(d < 0 for d in shape):
        raise TfjsError(f"{path.name}: weight {w['name']!r} has a negative dimension in {shape}")
    count = 1
    for d in shape:
        count *= d
        if count * 8 > MAX_WEIGHT_BYTES:
            raise TfjsError(f"{path.name}: weight {w['name']!r} declares {shape}: over {MAX_WEIGHT_BYTES:,} bytes")
    return count


def _dequantize(path: Path, w: dict[str, Any], arr: np.ndarray) -> np.ndarray:
    """A stored weight as its declared dtype: float16 widened; uint8/uint16 affine-quantized
    values mapped back (``value = q * scale + min``, tfjs-converter's --quantize_uint8/16)."""
    q = w.get("quantization") or {}
    want = _NP.get(w.get("dtype"))
    if want is None:
        raise TfjsError(f"{path.name}: weight {w['name']!r} has dtype {str(w.get('dtype'))[:40]!r}, not supported")
    if q.get("dtype") in ("uint8", "uint16"):
        scale, low = q.get("scale"), q.get("min")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (scale, low)):
            raise TfjsError(
                f"{path.name}: weight {w['name']!r} is {q['dtype']}-quantized without a numeric scale and min; "
                "its values cannot be recovered"
            )
        if not np.issubdtype(want, np.floating):
            raise TfjsError(f"{path.name}: weight {w['name']!r}: quantized {w['dtype']} weights are not supported")
        return (arr.astype(np.float32) * np.float32(scale) + np.float32(low)).astype(want)
    return arr.astype(want)


def read_tfjs(model_json: str | Path) -> tuple[list[dict[str, Any]], dict[str, np.ndarray], dict[str, Any]]:
    """(nodes, constant values by node name, signature) of a TF.js graph model. Every file is
    bounded before it is read: model.json by MAX_JSON_BYTES, a group's weight files (confined to
    the model's folder) by the bytes their manifest declares."""
    path = Path(model_json)
    if path.stat().st_size > MAX_JSON_BYTES:
        raise TfjsError(f"{path.name} is over {MAX_JSON_BYTES:,} bytes; not read")
    spec = json.loads(path.read_text())
    nodes = spec["modelTopology"]["node"]
    values: dict[str, np.ndarray] = {}
    for group in spec["weightsManifest"]:
        files = [weight_path(path, p) for p in group["paths"]]
        layout = []
        for w in group["weights"]:
            stored = (w.get("quantization") or {}).get("dtype", w["dtype"])
            if stored not in _NP:
                raise TfjsError(f"{path.name}: weight {w['name']!r} stored as {stored!r}, not supported")
            count = _count(path, w)
            layout.append((w, stored, count, count * np.dtype(_NP[stored]).itemsize))
        declared, present = sum(size for *_, size in layout), sum(f.stat().st_size for f in files)
        if declared > MAX_WEIGHT_BYTES:
            raise TfjsError(f"{path.name}: the manifest declares {declared:,} bytes of weights; not read")
        if present < declared:
            raise TfjsError(f"{path.name}: the weights run past the end of the .bin files ({present:,} < {declared:,})")
        if present > declared + 1024 * 1024:
            raise TfjsError(f"{path.name}: the .bin files hold {present:,} bytes, the manifest {declared:,}; not read")
        data = b"".join(f.read_bytes() for f in files)
        offset = 0
        for w, stored, count, size in layout:
            arr = np.frombuffer(data, _NP[stored], count, offset).reshape(w["shape"])
            values[w["name"]] = _dequantize(path, w, arr)
            offset += size
    return nodes, values, spec.get("signature") or (spec.get("userDefinedMetadata") or {}).get("signature") or {}


def _s(attr: dict[str, Any], key: str, default: str = "") -> str:
    v = attr.get(key, {}).get("s")
    return base64.b64decode(v).decode() if v else default


def _ints(attr: dict[str, Any], key: str) -> list[int]:
    return [int(i) for i in attr.get(key, {}).get("list", {}).get("i", [])]


def _pads(padding: str, attr: dict[str, Any], name: str) -> dict[str, Any]:
    if padding == "VALID":
        return {"pads": [0, 0, 0, 0]}
    if padding == "SAME":
        return {"auto_pad": "SAME_UPPER"}  # TensorFlow's SAME puts the odd pixel at the end
    if padding == "EXPLICIT":
        p = _ints(attr, "explicit_paddings")  # NHWC pairs
        return {"pads": [p[2], p[4], p[3], p[5]]}
    raise TfjsError(f"node {name!r}: padding {padding!r} not supported")


class _Builder:
    def __init__(self, values: dict[str, np.ndarray]):
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.values = dict(values)  # constants, by tensor name ("node" or "node:k")
        self.nodes: list[Any] = []
        self.counter = 0

    def tmp(self, base: str) -> str:
        self.counter += 1
        return f"{base}__{self.counter}"

    def ref(self, name: str) -> str:
        """The ONNX tensor name of a TF input name (``x``, ``x:0`` and ``x:k``)."""
        return name[:-2] if name.endswith(":0") else name

    def const(self, base: str, value: np.ndarray) -> str:
        name = self.tmp(base)
        self.values[name] = value
        return name

    def add(self, op: str, inputs: list[str], outputs: list[str], **attrs: Any) -> None:
        self.nodes.append(self.helper.make_node(op, inputs, outputs, **attrs))

    def nchw(self, op: str, x: str, out: str, extra_inputs: list[str] = (), **attrs: Any) -> None:
        """``op`` on an NHWC tensor: transpose in, run, transpose back."""
        a, b = self.tmp(out + "/nchw"), self.tmp(out + "/op")
        self.add("Transpose", [x], [a], perm=NCHW)
        self.add(op, [a, *extra_inputs], [b], **attrs)
        self.add("Transpose", [b], [out], perm=NHWC)


def _fold_shape(op: str, args: list[np.ndarray]) -> tuple[int, ...] | None:
    """The shape a fold of ``op`` would allocate, computed before it does; None when unknown."""
    if op in ("AddV2", "Add", "Mul", "Sub"):
        return np.broadcast_shapes(args[0].shape, args[1].shape)
    if op == "SparseToDense":
        return tuple(int(d) for d in np.asarray(args[1]).reshape(-1))
    return None


def _fold(op: str, args: list[np.ndarray], attr: dict[str, Any]) -> np.ndarray | None:
    """The value of a node whose inputs are all constant, for the shape ops these graphs use.
    What it would allocate is checked first: at most MAX_FOLD_ELEMENTS, no negative dimension."""
    try:
        shape = _fold_shape(op, args)
    except ValueError as exc:
        raise TfjsError(f"{op} on constants of shapes {[a.shape for a in args]}: {exc}") from None
    if shape is not None and (any(d < 0 for d in shape) or int(np.prod(shape, dtype=object)) > MAX_FOLD_ELEMENTS):
        raise TfjsError(f"{op} on constants would make a {list(shape)[:8]} tensor; refused (a shape op, not a weight)")
    if op in ("AddV2", "Add"):
        return np.asarray(args[0] + args[1])
    if op == "Mul":
        return np.asarray(args[0] * args[1])
    if op == "Sub":
        return np.asarray(args[0] - args[1])
    if op == "Identity":
        return args[0]
    if op == "Cast":
        return args[0].astype(_TF_DT.get(attr.get("DstT", {}).get("type", ""), args[0].dtype))
    if op == "SparseToDense":
        indices, shape, vals, default = args
        out = np.full(shape.astype(np.int64), default, dtype=default.dtype)
        indices = indices.reshape(-1, out.ndim) if out.ndim else indices.reshape(-1, 0)
        for i, v in zip(indices, np.broadcast_to(vals, (len(indices),)), strict=True):
            out[tuple(i)] = v
        return out
    if op == "Reshape":
        return args[0].reshape(args[1].astype(np.int64))
    return None


def _cache_key(model_json: Path) -> str:
    """SHA-256 over the graph file, every weight file it lists and this reader's own source, so a
    changed model or a changed reader never meets a stale conversion (weight files hashed once
    per process: :func:`~vitron_agent.loading.weights.sha256_file`, which the SHA-256 pins use too)."""
    from vitron_agent.loading.weights import sha256_file

    h = hashlib.sha256(Path(__file__).read_bytes())
    spec_bytes = model_json.read_bytes()
    h.update(spec_bytes)
    for group in json.loads(spec_bytes).get("weightsManifest", []):
        for p in group["paths"]:
            h.update(sha256_file(weight_path(model_json, p)).encode())
    return h.hexdigest()


def cached_onnx(model_json: str | Path, cut: tuple[str, tuple[str, ...]] | None = None) -> str | bytes:
    """The ONNX file converted from a TF.js graph model, converted once and kept in
    :func:`cache_dir` (``onnx/<key>.onnx``, written atomically, so processes converting at the same
    time never read half a file); the serialised bytes when that folder cannot be written.
    Converting NanoDet takes about a second and imports ``onnx``; reading the file, milliseconds."""
    path = Path(model_json)
    key = _cache_key(path) if cut is None else hashlib.sha256((_cache_key(path) + repr(cut)).encode()).hexdigest()
    target = cache_dir() / "onnx" / f"{path.stem}-{key[:32]}.onnx"
    if target.is_file():
        return str(target)
    data = tfjs_to_onnx(path, cut=cut)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o644)  # a cache of public weights: mkstemp's 0600 would hide it from other users
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return data  # no writable cache: convert in every process, as before
    return str(target)


def _cut(nodes: list[dict[str, Any]], start: str, ends: tuple[str, ...]) -> list[dict[str, Any]]:
    """The nodes that compute ``ends`` from ``start``, with ``start`` made the graph's (float) input:
    a graph's own pre- and post-processing (an int32 image resized in the graph; an argmax decode with
    ops this reader does not have) is left to the caller, which does it in numpy."""
    by_name = {n["name"]: n for n in nodes}
    missing = [x for x in (start, *ends) if x not in by_name]
    if missing:
        raise TfjsError(f"the graph has no node {missing[0]!r}")
    keep, todo = set(), list(ends)
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        keep.add(name)
        if name != start:
            todo += [i.lstrip("^").split(":")[0] for i in by_name[name].get("input", [])]
    nhwc = {"dim": [{"size": "-1"}] * 4}  # an image tensor of any size (the graphs this reads are NHWC)
    placeholder = {"name": start, "op": "Placeholder", "attr": {"shape": {"shape": nhwc}}}
    return [placeholder if n["name"] == start else n for n in nodes if n["name"] in keep]


def tfjs_to_onnx(
    model_json: str | Path,
    input_shape: tuple[int, ...] | None = None,
    cut: tuple[str, tuple[str, ...]] | None = None,
) -> bytes:
    """The ONNX model (serialised bytes) equivalent to a TF.js graph model. Input and output
    names are the signature's (``input_1``, ``Identity_2``, …; without ``:0``); with ``cut`` =
    (an inner node, (inner nodes …)), only the part between them, named by those nodes."""
    import onnx

    nodes, values, signature = read_tfjs(model_json)
    if cut is not None:
        nodes = _cut(nodes, cut[0], cut[1])
        signature = {"outputs": {o: {"name": o} for o in cut[1]}}
    b = _Builder(values)
    inputs, seen_out = [], []
    for n in nodes:
        op, name, attr = n["op"], n["name"], n.get("attr", {})
        ins = [i for i in n.get("input", []) if not i.startswith("^")]
        if op == "Const":
            if name not in b.values:
                raise TfjsError(f"constant {name!r} has no value in the weights manifest")
            want = _TF_DT.get(attr.get("dtype", {}).get("type", ""))
            if want is not None:
                b.values[name] = b.values[name].astype(want)
            continue
        if op == "Placeholder":
            dims = [int(d.get("size", -1)) for d in attr["shape"]["shape"].get("dim", [])]
            if input_shape is not None:
                dims = list(input_shape)
            inputs.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, dims))
            continue
        keys = [i[:-2] if i.endswith(":0") else i for i in ins]
        if keys and all(k in b.values for k in keys):
            folded = _fold(op, [b.values[k] for k in keys], attr)
            if folded is not None:
                b.values[name] = folded
                continue
        _convert(b, op, name, [b.ref(i) for i in ins], attr)
        seen_out.append(name)
    outputs = [o["name"].split(":")[0] for o in (signature.get("outputs") or {}).values()]
    if not outputs:
        outputs = [n["name"] for n in nodes if n["op"] == "Identity" and n["name"].startswith("Identity")]
    used = {i for node in b.nodes for i in node.input}
    initializers = [b.numpy_helper.from_array(np.ascontiguousarray(v), k) for k, v in b.values.items() if k in used]
    graph = onnx.helper.make_graph(
        b.nodes,
        Path(model_json).stem,
        inputs,
        [onnx.helper.make_tensor_value_info(o, onnx.TensorProto.FLOAT, None) for o in outputs],
        initializers,
    )
    model = onnx.helper.make_model(
        graph, opset_imports=[onnx.helper.make_opsetid("", 17)], producer_name="vitron-agent tfjs reader"
    )
    model.ir_version = 8
    return model.SerializeToString()


_UNARY = {
    "Relu": "Relu",
    "Sigmoid": "Sigmoid",
    "Tanh": "Tanh",
    "Identity": "Identity",
    "Exp": "Exp",
    "Sqrt": "Sqrt",
    "Neg": "Neg",
    "Abs": "Abs",
}
_BINARY = {
    "Add": "Add",
    "AddV2": "Add",
    "BiasAdd": "Add",
    "Mul": "Mul",
    "Sub": "Sub",
    "RealDiv": "Div",
    "Maximum": "Max",
    "Minimum": "Min",
}


def _activation(b: _Builder, act: str, x: str, out: str, alpha: list[str], node: str, leak: float) -> None:
    if act == "Relu":
        b.add("Relu", [x], [out])
    elif act == "Relu6":
        b.add("Clip", [x, b.const("zero", np.array(0, np.float32)), b.const("six", np.array(6, np.float32))], [out])
    elif act == "Prelu":
        b.add("PRelu", [x, alpha[0]], [out])
    elif act == "LeakyRelu":
        b.add("LeakyRelu", [x], [out], alpha=leak)
    elif act == "Sigmoid":
        b.add("Sigmoid", [x], [out])
    else:
        raise TfjsError(f"node {node!r}: fused activation {act!r} not supported")


def _conv(b: _Builder, op: str, name: str, ins: list[str], attr: dict[str, Any], out: str) -> None:
    if _s(attr, "data_format", "NHWC") != "NHWC":
        raise TfjsError(f"node {name!r}: data_format {_s(attr, 'data_format')!r} not supported (NHWC only)")
    w = b.values.get(ins[1])
    if w is None:
        raise TfjsError(f"node {name!r}: the filter must be a constant")
    strides, dil = _ints(attr, "strides")[1:3] or [1, 1], _ints(attr, "dilations")[1:3] or [1, 1]
    kw: dict[str, Any] = {"strides": strides, "dilations": dil, **_pads(_s(attr, "padding"), attr, name)}
    if op == "DepthwiseConv2dNative" or _s(attr, "is_depthwise") == "true":
        kh, kw_, c, m = w.shape  # HWCM -> (C*M, 1, H, W), one group per input channel
        filt = w.transpose(2, 3, 0, 1).reshape(c * m, 1, kh, kw_)
        kw["group"] = c
    else:
        filt = w.transpose(3, 2, 0, 1)  # HWIO -> OIHW
    b.nchw("Conv", ins[0], out, [b.const(name + "/w", np.ascontiguousarray(filt))], **kw)


def _convert(b: _Builder, op: str, name: str, ins: list[str], attr: dict[str, Any]) -> None:
    """Append the ONNX nodes computing TF node ``name`` (its outputs ``name``, ``name:1`` …)."""
    if op in _UNARY:
        b.add(_UNARY[op], ins[:1], [name])
    elif op in _BINARY:
        b.add(_BINARY[op], ins[:2], [name])
    elif op in _CONVERTERS:
        _CONVERTERS[op](b, op, name, ins, attr)
    else:
        raise TfjsError(f"node {name!r}: op {op!r} is not supported by this reader")


def _elementwise(b: _Builder, op: str, name: str, ins: list[str], attr: dict[str, Any]) -> None:
    """Sums, activations with a parameter, and MatMul."""
    if op == "AddN":
        b.add("Sum", ins, [name])
    elif op == "Relu6":
        _activation(b, "Relu6", ins[0], name, [], name, 0.0)
    elif op == "LeakyRelu":
        b.add("LeakyRelu", ins[:1], [name], alpha=float(attr.get("alpha", {}).get("f", 0.2)))
    elif op == "Prelu":
        b.add("PRelu", ins[:2], [name])
    else:  # MatMul
        b.add("MatMul", ins[:2], [name])


def _plain_conv(b: _Builder, op: str, name: str, ins: list[str], attr: dict[str, Any]) -> None:
    _conv(b, op, name, ins, attr, name)


def _fused_conv(b: _Builder, op: str, name: str, ins: list[str], attr: dict[str, Any]) -> None:
    """A convolution with its fused bias and activation (``fused_ops``: BiasAdd, then one activation)."""
    fused = [base64.b64decode(s).decode() for s in attr.get("fused_ops", {}).get("list", {}).get("s", [])]
    conv_out = b.tmp(name + "/conv")
    _conv(b, "DepthwiseConv2dNative" if op.startswith("FusedDepthwise") else "Conv2D", name, ins, attr, conv_out)
    x, extra = conv_out, ins[2:]
    if fused and fused[0] == "BiasAdd":
        y = b.tmp(name + "/bias") if len(fused) > 1 else name
        b.add("Add", [x, extra[0]], [y])
        x, extra, fused = y, extra[1:], fused[1:]
    if len(fused) > 1:
        raise TfjsError(f"node {name!r}: fused ops {fused} not supported")
    if fused:
        _activation(b, fused[0], x, name, extra, name, float(attr.get("leakyrelu_alpha", {}).get("f", 0.2)))
    elif x != name:
        b.add("Identity", [x], [name])


def _pool(b: _Builder, op: str, name: str, ins: list[str], attr: dict[str, Any]) -> None:
    if _s(attr, "data_format", "NHWC") != "NHWC":
        raise TfjsError(f"node {name!r}: data_format not supported (NHWC only)")
    kw = {
        "kernel_shape": _ints(attr, "ksize")[1:3],
        "strides": _ints(attr, "strides")[1:3],
        **_pads(_s(attr, "padding"), attr, name),
    }
    b.nchw("MaxPool" if op == "MaxPool" else "AveragePool", ins[0], name, **kw)


def _pad(b: _Builder, op: str, name: str, ins: list[str], attr: dict[str, Any]) -> None:
    p = b.values.get(ins[1])
    if p is None:
        raise TfjsError(f"node {name!r}: paddings must be constant")
    p = np.asarray(p, np.int64)
    extra = [b.const(name + "/pads", np.concatenate([p[:, 0], p[:, 1]]))]
    if op == "PadV2":
        extra.append(ins[2])
    mode = _s(attr, "mode", "REFLECT").lower() if op == "MirrorPad" else "constant"
    b.add("Pad", [ins[0], *extra], [name], mode=mode)


def _reshape(b: _Builder, op: str, name: str, ins: list[str], attr: dict[str, Any]) -> None:
    """Shape ops (and the mean) whose shape, axes or sizes are constants of the graph."""
    if op == "ConcatV2":
        b.add("Concat", ins[:-1], [name], axis=int(b.values[ins[-1]]))
    elif op == "Transpose":
        b.add("Transpose", ins[:1], [name], perm=[int(v) for v in b.values[ins[1]]])
    elif op == "Reshape":
        shape = b.values.get(ins[1])
        if shape is None:
            raise TfjsError(f"node {name!r}: the target shape must be constant")
        b.add("Reshape", [ins[0], b.const(name + "/shape", np.asarray(shape, np.int64))], [name])
    elif op == "SplitV":
        sizes, axis = np.asarray(b.values[ins[1]], np.int64), int(b.values[ins[2]])
        outs = [name] + [f"{name}:{k}" for k in range(1, len(sizes))]
        b.add("Split", [ins[0], b.const(name + "/sizes", sizes)], outs, axis=axis)
    elif op == "Split":
        axis, k = int(b.values[ins[0]]), int(attr["num_split"]["i"])
        b.add("Split", [ins[1]], [name] + [f"{name}:{i}" for i in range(1, k)], axis=axis)
    else:  # Mean
        axes = np.atleast_1d(np.asarray(b.values[ins[1]], np.int64))
        keep = int(attr.get("keep_dims", {}).get("b", False))
        b.add("ReduceMean", [ins[0]], [name], axes=[int(a) for a in axes], keepdims=keep)


def _resize(b: _Builder, op: str, name: str, ins: list[str], attr: dict[str, Any]) -> None:
    """TF's NHWC resize as ONNX Resize on NCHW, to a constant (H, W), with TF's coordinate rules."""
    size = b.values.get(ins[1])
    if size is None:
        raise TfjsError(f"node {name!r}: the output size must be constant")
    align = attr.get("align_corners", {}).get("b", False)
    half = attr.get("half_pixel_centers", {}).get("b", False)
    linear = op == "ResizeBilinear"
    mode = "align_corners" if align else ("half_pixel" if linear else "tf_half_pixel_for_nn") if half else "asymmetric"
    sizes_name = b.tmp(name + "/sizes")
    # sizes = (N, C) of the NCHW input, then the constant (H, W)
    shape, nc = b.tmp(name + "/shape"), b.tmp(name + "/nc")
    x_nchw, y = b.tmp(name + "/nchw"), b.tmp(name + "/resized")
    b.add("Transpose", [ins[0]], [x_nchw], perm=NCHW)
    b.add("Shape", [x_nchw], [shape])
    b.add("Slice", [shape, b.const("s0", np.array([0], np.int64)), b.const("s2", np.array([2], np.int64))], [nc])
    b.add("Concat", [nc, b.const(name + "/hw", np.asarray(size, np.int64))], [sizes_name], axis=0)
    b.add(
        "Resize",
        [x_nchw, "", "", sizes_name],
        [y],
        mode="linear" if linear else "nearest",
        coordinate_transformation_mode=mode,
        **({} if linear else {"nearest_mode": "floor" if not half else "round_prefer_ceil"}),
    )
    b.add("Transpose", [y], [name], perm=NHWC)


_CONVERTERS: dict[str, Any] = {
    **dict.fromkeys(("AddN", "Relu6", "LeakyRelu", "Prelu", "MatMul"), _elementwise),
    **dict.fromkeys(("Conv2D", "DepthwiseConv2dNative"), _plain_conv),
    **dict.fromkeys(("_FusedConv2D", "FusedDepthwiseConv2dNative"), _fused_conv),
    **dict.fromkeys(("MaxPool", "AvgPool"), _pool),
    **dict.fromkeys(("Pad", "PadV2", "MirrorPad"), _pad),
    **dict.fromkeys(("ConcatV2", "Transpose", "Reshape", "SplitV", "Split", "Mean"), _reshape),
    **dict.fromkeys(("ResizeBilinear", "ResizeNearestNeighbor"), _resize),
}
