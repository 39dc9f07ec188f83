"""onnxruntime sessions from a kept, optimised graph (vitron_agent.loading.onnx_cache): the same
outputs, bit for bit, as a session optimised in the process; the optimisation is done once; a
changed model is a new key (the stale file removed); an unreadable kept graph is reported and
rebuilt; no writable cache, or a model given as bytes, builds a plain session."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from vitron_agent.loading import onnx_cache


def _model(path, scale: float):
    """y = relu(conv(x)) * scale + 1: a small graph with something for the optimiser to fuse."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    w = numpy_helper.from_array(np.random.RandomState(0).randn(4, 3, 3, 3).astype(np.float32), "w")
    s = numpy_helper.from_array(np.array([scale], np.float32), "s")
    one = numpy_helper.from_array(np.array([1.0], np.float32), "one")
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("Mul", ["r", "s"], ["m"]),
        helper.make_node("Add", ["m", "one"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 16, 16])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 16, 16])],
        [w, s, one],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return path


X = np.random.RandomState(1).randn(1, 3, 16, 16).astype(np.float32)


def _plain(source):
    import onnxruntime as ort

    return ort.InferenceSession(str(source), providers=["CPUExecutionProvider"]).run(None, {"x": X})[0]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VITRON_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "onnx-optimized"


def test_the_kept_graph_gives_the_same_outputs_and_is_built_once(cache, tmp_path, monkeypatch):
    model = _model(tmp_path / "m.onnx", 2.0)
    first = onnx_cache.cached_session(model, 1)
    (kept,) = cache.glob("m-*.ort")
    assert kept == onnx_cache.optimized_path(model)
    made = []
    real = onnx_cache._session
    monkeypatch.setattr(onnx_cache, "_session", lambda source, opts: made.append(source) or real(source, opts))
    second = onnx_cache.cached_session(model, 1)
    assert made == [str(kept)]  # read from the kept graph, not from the model
    want = _plain(model)
    assert np.array_equal(first.run(None, {"x": X})[0], want)
    assert np.array_equal(second.run(None, {"x": X})[0], want)


def test_a_changed_model_is_a_new_key(cache, tmp_path):
    model = _model(tmp_path / "m.onnx", 2.0)
    onnx_cache.cached_session(model, 1)
    old = onnx_cache.optimized_path(model)
    _model(model, 3.0)  # the same name, other weights (a later time, another size or not)
    import os

    st = model.stat()
    os.utime(model, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    sess = onnx_cache.cached_session(model, 1)
    assert onnx_cache.optimized_path(model) != old and not old.exists()
    assert np.array_equal(sess.run(None, {"x": X})[0], _plain(model))
    assert len(list(cache.glob("m-*.ort"))) == 1


def test_the_key_names_the_cpu_and_onnxruntime(tmp_path, cache, monkeypatch):
    model = _model(tmp_path / "m.onnx", 2.0)
    here = onnx_cache.optimized_path(model)
    monkeypatch.setattr(onnx_cache, "_cpu", lambda: "another cpu")
    assert onnx_cache.optimized_path(model) != here


def test_an_unreadable_kept_graph_is_reported_and_rebuilt(cache, tmp_path, caplog):
    model = _model(tmp_path / "m.onnx", 2.0)
    onnx_cache.cached_session(model, 1)
    kept = onnx_cache.optimized_path(model)
    kept.write_bytes(kept.read_bytes()[: kept.stat().st_size // 3])
    with caplog.at_level(logging.WARNING, logger="vitron_agent.cache"):
        sess = onnx_cache.cached_session(model, 1)
    assert any("cannot be read" in r.getMessage() for r in caplog.records)
    assert np.array_equal(sess.run(None, {"x": X})[0], _plain(model))
    assert np.array_equal(onnx_cache.cached_session(model, 1).run(None, {"x": X})[0], _plain(model))  # whole again


def test_no_writable_cache_or_bytes_build_a_plain_session(tmp_path, monkeypatch):
    model = _model(tmp_path / "m.onnx", 2.0)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("VITRON_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot be made
    assert np.array_equal(onnx_cache.cached_session(model, 1).run(None, {"x": X})[0], _plain(model))
    assert np.array_equal(onnx_cache.cached_session(model.read_bytes(), 1).run(None, {"x": X})[0], _plain(model))


def test_the_embedded_models_outputs_are_unchanged(cache):
    """U²-Netp from the kept graph answers exactly as a session optimised in the process."""
    from vitron_agent.loading.weights import embedded_available, embedded_path

    if not embedded_available("u2netp"):
        pytest.skip("the embedded weights are not installed")
    model = embedded_path("u2netp")
    x = np.random.RandomState(2).rand(1, 3, 320, 320).astype(np.float32)
    import onnxruntime as ort

    plain = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    name = plain.get_inputs()[0].name
    onnx_cache.cached_session(model, 2)  # optimise and keep
    kept = onnx_cache.cached_session(model, 2)  # read back
    for a, b in zip(plain.run(None, {name: x}), kept.run(None, {name: x}), strict=True):
        assert np.array_equal(a, b)


def test_sessions_sleep_between_operators_with_the_threads_asked(cache, tmp_path):
    """Every session (optimised here, read from the kept graph, or from bytes) has the intra-op
    threads asked for and spinning off; its outputs are onnxruntime's defaults' bit for bit."""
    model = _model(tmp_path / "m.onnx", 3.0)
    sessions = [onnx_cache.cached_session(model, 2), onnx_cache.cached_session(model, 2)]  # built, then kept
    sessions.append(onnx_cache.cached_session(model.read_bytes(), 2))
    for sess in sessions:
        opts = sess.get_session_options()
        assert opts.intra_op_num_threads == 2
        assert opts.get_session_config_entry("session.intra_op.allow_spinning") == "0"
        assert np.array_equal(sess.run(None, {"x": X})[0], _plain(model))
