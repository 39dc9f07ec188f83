"""Start-up paths: `import vitron_agent` and argument parsing stay light; a TF.js graph is
converted to ONNX once and read from the cache after; a changed weight file is a new conversion;
no writable cache means converting in memory. Plan validation finds cycles without networkx."""

import json
import subprocess
import sys

import numpy as np
import pytest

from vitron_agent.toolkit.plan import Plan, validate_plan


def _tiny_graph(folder, bias):
    """y = x + bias, as a TF.js graph model (model.json + one weight file)."""
    nodes = [
        {"name": "x", "op": "Placeholder", "attr": {"shape": {"shape": {"dim": [{"size": "1"}, {"size": "2"}]}}}},
        {"name": "b", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}}},
        {"name": "Identity", "op": "AddV2", "input": ["x", "b"]},
    ]
    (folder / "g.bin").write_bytes(np.asarray(bias, np.float32).tobytes())
    (folder / "g.json").write_text(
        json.dumps(
            {
                "modelTopology": {"node": nodes},
                "weightsManifest": [{"paths": ["g.bin"], "weights": [{"name": "b", "shape": [2], "dtype": "float32"}]}],
                "signature": {"outputs": {"Identity:0": {"name": "Identity:0"}}},
            }
        )
    )
    return folder / "g.json"


def _run(source, x):
    import onnxruntime as ort

    sess = ort.InferenceSession(source, providers=["CPUExecutionProvider"])
    return sess.run(None, {"x": np.asarray(x, np.float32)})[0]


def test_converted_once_then_read_from_the_cache(tmp_path, monkeypatch):
    from vitron_agent.loading import tfjs

    monkeypatch.setenv("VITRON_CACHE_DIR", str(tmp_path / "cache"))
    graph = _tiny_graph(tmp_path, [1.0, 2.0])
    first = tfjs.cached_onnx(graph)
    assert isinstance(first, str) and first.endswith(".onnx")
    np.testing.assert_allclose(_run(first, [[1, 1]]), [[2, 3]])

    def fail(*a, **k):
        raise AssertionError("converted again")

    monkeypatch.setattr(tfjs, "tfjs_to_onnx", fail)
    assert tfjs.cached_onnx(graph) == first  # the cached file, no conversion
    assert not list((tmp_path / "cache" / "onnx").glob(".*.tmp"))


def test_changed_weights_are_a_new_conversion(tmp_path, monkeypatch):
    from vitron_agent.loading import tfjs

    monkeypatch.setenv("VITRON_CACHE_DIR", str(tmp_path / "cache"))
    a = tfjs.cached_onnx(_tiny_graph(tmp_path, [1.0, 2.0]))
    b = tfjs.cached_onnx(_tiny_graph(tmp_path, [5.0, 5.0]))  # same file names, other bytes
    assert a != b
    np.testing.assert_allclose(_run(b, [[0, 0]]), [[5, 5]])


def test_no_writable_cache_converts_in_memory(tmp_path, monkeypatch):
    from vitron_agent.loading import tfjs

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("VITRON_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot be made
    out = tfjs.cached_onnx(_tiny_graph(tmp_path, [1.0, 2.0]))
    assert isinstance(out, bytes)
    np.testing.assert_allclose(_run(out, [[0, 0]]), [[1, 2]])


def _plan(after):
    return Plan.model_validate(
        {"steps": [{"id": sid, "tool": "t", "args": {}, "after": deps} for sid, deps in after.items()]}
    )


@pytest.mark.parametrize(
    "after, cycle",
    [
        ({"s1": [], "s2": ["s1"], "s3": ["s1", "s2"], "s4": ["s2", "s3"]}, None),  # a diamond: no cycle
        ({"s1": ["s2"], "s2": ["s1"]}, {"s1", "s2"}),
        ({"s1": [], "s2": ["s4"], "s3": ["s2"], "s4": ["s3"]}, {"s2", "s3", "s4"}),
    ],
)
def test_cycles_are_found_and_named(after, cycle):
    from vitron_agent.toolkit.plan import _cycle_problems, dependencies

    problems = _cycle_problems(_plan(after))
    if cycle is None:
        assert problems == []
        return
    assert len(problems) == 1 and "form a cycle" in problems[0]
    path = problems[0].split("(")[1].split(")")[0].split(" -> ")
    assert path[0] == path[-1] and set(path) == cycle
    deps = dependencies(_plan(after))
    assert all(a in deps[b] for a, b in zip(path, path[1:], strict=False))  # each arrow is a real dependency


def test_validating_a_plan_imports_no_graph_library():
    code = (
        "import sys\nfrom vitron_agent.toolkit.plan import Plan, _cycle_problems\n"
        "p = Plan.model_validate({'steps': [{'id': 's1', 'tool': 't', 'args': {}, 'after': ['s2']},"
        " {'id': 's2', 'tool': 't', 'args': {}, 'after': ['s1']}]})\n"
        "assert _cycle_problems(p)\nprint('networkx' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
    assert validate_plan  # (the public entry point is what the graph calls)


def test_the_package_and_the_parser_import_no_model_or_runtime_library():
    code = (
        "import sys, vitron_agent, vitron_agent.cli\n"
        "vitron_agent.cli.build_parser().parse_args(['run', 'make it grayscale'])\n"
        "print(sorted(m for m in ('pydantic', 'numpy', 'langgraph', 'PIL', 'cv2') if m in sys.modules))\n"
        "from vitron_agent import Agent, ImageRef, Plan, ToolFailed, __version__\n"
        "import vitron_agent as va\n"
        "assert set(va.__all__) <= set(dir(va)) and va.Plan is Plan and Plan.__module__ == 'vitron_agent.toolkit.plan'\n"
        "print(Agent.__name__, ImageRef.__name__, issubclass(ToolFailed, va.VitronError), __version__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "[]"
    assert out[1] == "Agent ImageRef True 0.1.0"


def test_main_in_process_leaves_garbage_collection_on(capsys):
    """The console command freezes the objects it made just before the process ends (the final
    collection walk costs ~0.3 s); called in-process, ``main`` must not touch the caller's gc."""
    import gc

    from vitron_agent.cli import main

    assert main(["tools", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)
    assert gc.isenabled()
