"""The command line's warm-up (vitron_agent.runtime.warmup): model sessions built on a second thread
from the rule planner's reading are a hint, never a result. What the warm-up builds for a request
is what the turn then uses; a turn gives the same answer and mask with and without it; a warm-up
that fails changes nothing; it stays off for requests without models, for other planners and
with VITRON_WARMUP=0."""

from __future__ import annotations

import json

import pytest

from vitron_agent.runtime import warmup


@pytest.fixture(scope="module")
def cat(tmp_path_factory):
    from skimage import data

    from vitron_agent.media.images import save_png

    return str(save_png(data.chelsea(), tmp_path_factory.mktemp("cat") / "cat.png"))


@pytest.fixture(scope="module")
def rule():
    from vitron_agent.runtime.toolset import build_planner, build_toolbox
    from vitron_agent.toolkit.config import Config

    return build_toolbox(Config()), build_planner(Config(), "rule")


def _names(text, rule):
    tools = warmup.planned_tools(text, "image", *rule)
    return [w.__name__ for w in warmup._warmers(tools)]


def test_what_is_warmed_follows_the_reading(rule):
    assert _names("segment the cat", rule) == ["_detector", "_names", "_salient", "_classifier_names"]
    assert _names("blur the background", rule) == ["_salient"]  # the main object: U²-Netp alone
    assert _names("count the cats", rule) == ["_detector", "_classifier_names", "_salient", "_names"]
    assert _names("make it grayscale", rule) == []  # no model
    assert warmup.start_warmup("make it grayscale", *rule) is None  # no thread for nothing


def test_off_for_other_planners_and_when_asked(rule, monkeypatch):
    from vitron_agent.planners.base import ScriptedPlanner

    assert warmup.start_warmup("segment the cat", rule[0], ScriptedPlanner([{"steps": []}])) is None
    monkeypatch.setenv("VITRON_WARMUP", "0")
    assert warmup.start_warmup("segment the cat", *rule) is None


def _run(cat, out, capsys):
    from vitron_agent.cli import main

    assert main(["run", "--quiet", "--json", "--image", cat, "--out", str(out), "segment the cat"]) == 0
    return json.loads(capsys.readouterr().out)


def test_same_answer_and_mask_with_and_without_it(cat, tmp_path, capsys, monkeypatch):
    started = []
    real = warmup.start_warmup
    monkeypatch.setattr(warmup, "start_warmup", lambda *a, **k: started.append(real(*a, **k)) or started[-1])
    warm = _run(cat, tmp_path / "warm", capsys)
    assert started and started[0] is not None and not started[0].is_alive()  # it ran and was joined
    monkeypatch.setenv("VITRON_WARMUP", "0")
    cold = _run(cat, tmp_path / "cold", capsys)
    assert warm["answer"] == cold["answer"] and "cat" in warm["answer"]
    assert (tmp_path / "warm" / "s1_mask.png").read_bytes() == (tmp_path / "cold" / "s1_mask.png").read_bytes()


@pytest.mark.parametrize("where", ["reading", "building"])
def test_a_failing_warm_up_changes_nothing(cat, tmp_path, capsys, monkeypatch, where):
    def broken(*a, **k):
        raise RuntimeError("no such model")

    if where == "reading":  # on the command's own thread, before the turn
        monkeypatch.setattr(warmup, "planned_tools", broken)
    else:  # on the warm-up thread
        monkeypatch.setattr(warmup, "warmers_for", lambda tool, args: (broken,))
    out = _run(cat, tmp_path / where, capsys)
    assert "cat" in out["answer"]


def test_the_command_defers_unused_imports(cat, tmp_path):
    """The console command imports neither langgraph_sdk's HTTP client nor httpx's own CLI (click,
    rich, pygments), which LangGraph's import would pull in; the run works."""
    import subprocess
    import sys
    from pathlib import Path

    cli = str(Path(sys.executable).parent / "vitron-agent")
    args = [sys.executable, "-X", "importtime", cli, "run", "--quiet", "--json", "--image", cat]
    proc = subprocess.run([*args, "--out", str(tmp_path), "make it grayscale"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-800:]
    assert json.loads(proc.stdout)["answer"]
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert not {"click", "pygments", "rich", "langgraph_sdk.client"} & imported
    assert "langgraph_sdk.auth.types" in imported  # what LangGraph needs of it, imported as usual


def test_the_deferred_package_is_whole_when_used():
    """langgraph_sdk registered without its __init__: its submodules import, and its own names
    (get_client, __version__) run the __init__ on first use."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom vitron_agent.cli import _defer_unused_imports\n_defer_unused_imports()\n"
        "import langgraph.graph\nprint('langgraph_sdk.client' in sys.modules)\n"
        "from langgraph_sdk import get_sync_client\nimport langgraph_sdk\n"
        "print(callable(get_sync_client), langgraph_sdk.__version__ > '0', 'langgraph_sdk.client' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "False" and out[1] == "True True True"


def test_in_process_main_leaves_httpx_alone(capsys):
    import sys

    from vitron_agent.cli import main

    assert main(["tools", "--json"]) == 0
    capsys.readouterr()
    assert sys.modules.get("httpx._main", "absent") is not None
