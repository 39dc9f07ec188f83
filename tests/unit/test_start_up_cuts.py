"""The console command's start-up cuts (vitron_agent.cli): langsmith.types registered without its
``__init__`` (LangGraph's import needs one submodule of it) yet whole when used, and the garbage
collector paused while the command starts up, back on (start-up frozen) before the turn runs.
Each check runs in a fresh interpreter, as the console command does."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _python(code: str, *args: str) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-1500:]
    return proc.stdout.split("\n")


def test_langsmith_types_is_deferred_through_a_graph_run_and_whole_when_used():
    code = """
import sys
from typing import TypedDict
from vitron_agent.cli import _defer_unused_imports
_defer_unused_imports()
from langgraph.graph import END, START, StateGraph
from langgraph.checkpoint.memory import InMemorySaver

class S(TypedDict):
    n: int

g = StateGraph(S)
g.add_node("inc", lambda s: {"n": s["n"] + 1})
g.add_edge(START, "inc")
g.add_edge("inc", END)
out = g.compile(checkpointer=InMemorySaver()).invoke({"n": 1}, {"configurable": {"thread_id": "t"}})
print(out["n"], "langsmith.types.run_select_field" in sys.modules, "langsmith.types.run" in sys.modules)
import langsmith
from langsmith.types import Run
from langsmith.types.run_select_field import RunSelectField
print(Run.__name__, langsmith.types is sys.modules["langsmith.types"], "langsmith.types.dataset" in sys.modules)
"""
    out = _python(code)
    assert out[0] == "2 True False"  # the graph ran; what it needed of langsmith.types is there, the rest not
    assert out[1] == "Run True True"  # a name of the package itself: its __init__ ran, the package is whole


def test_threads_using_the_deferred_package_at_once_all_see_it_whole():
    code = """
import sys, threading
from vitron_agent.cli import _defer_unused_imports
_defer_unused_imports()
import langsmith.types.run_select_field
types = sys.modules["langsmith.types"]
gate, seen = threading.Barrier(8), []
def use():
    gate.wait()
    seen.append(types.Dataset.__name__)
threads = [threading.Thread(target=use) for _ in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
print(seen)
"""
    assert _python(code)[0] == str(["Dataset"] * 8)


def test_a_package_that_cannot_be_found_is_left_alone():
    out = _python(
        "import sys\nfrom vitron_agent.cli import _register_without_init\n"
        "_register_without_init('no_such_package_here.sub')\n_register_without_init('no_such_package_here')\n"
        "print('no_such_package_here' in sys.modules, 'no_such_package_here.sub' in sys.modules)"
    )
    assert out[0] == "False False"


@pytest.fixture(scope="module")
def cat(tmp_path_factory):
    from skimage import data

    from vitron_agent.media.images import save_png

    return str(save_png(data.chelsea(), tmp_path_factory.mktemp("cat") / "cat.png"))


_GC_RUN = """
import gc, json, sys
import vitron_agent.cli as cli
import vitron_agent.runtime.agent as agent_mod
cli._pause_collection()  # what the console command does first
paused = not gc.isenabled()
seen = []
real = agent_mod.Agent.run_turn
def run_turn(self, *a, **k):
    seen.append(gc.isenabled())
    return real(self, *a, **k)
agent_mod.Agent.run_turn = run_turn
code = cli.main(sys.argv[1:])
print(json.dumps([paused, code, seen, gc.isenabled(), gc.get_freeze_count() > 0]))
"""


def test_the_collector_is_paused_for_start_up_only(cat, tmp_path):
    """Off while the command imports and builds its Agent; on (start-up frozen) when the turn runs
    and after it; a command without a turn switches it back on right after its parser."""
    import json

    run = ["run", "--quiet", "--json", "--image", cat, "--out", str(tmp_path), "make it grayscale"]
    assert json.loads(_python(_GC_RUN, *run)[-2]) == [True, 0, [True], True, True]  # (the run's JSON before)
    assert json.loads(_python(_GC_RUN, "tools", "--json")[-2]) == [True, 0, [], True, True]


def test_main_in_process_never_pauses_the_collector(capsys):
    import gc

    from vitron_agent.cli import main, start_up_done

    start_up_done()  # (nothing to do: the console command did not pause it in this process)
    assert main(["tools", "--json"]) == 0
    capsys.readouterr()
    assert gc.isenabled()


_BUILT = """
import json, sys
from vitron_agent import Agent
from vitron_agent.runtime import warmup
Agent(data_dir=sys.argv[2]).run(sys.argv[3], image=sys.argv[1])
print(json.dumps(warmup.built()))
"""


@pytest.mark.parametrize("text", ["segment the cat", "count the cats", "blur the background", "describe the picture"])
def test_the_warm_up_table_is_what_a_cold_turn_builds(cat, tmp_path, text, monkeypatch):
    """warmers_for is a table written by hand: for each request, what it says the planned steps
    build is exactly what a turn without the warm-up (VITRON_WARMUP=0, a fresh process) builds,
    so it neither misses a model the turn waits for nor builds one the turn never uses."""
    import json

    from vitron_agent.runtime import warmup
    from vitron_agent.runtime.toolset import build_planner, build_toolbox
    from vitron_agent.toolkit.config import Config

    planned = warmup.planned_tools(text, "image", build_toolbox(Config()), build_planner(Config(), "rule"))
    said = {w.__name__ for w in warmup._warmers(planned)}
    monkeypatch.setenv("VITRON_WARMUP", "0")
    built = set(json.loads(_python(_BUILT, cat, str(tmp_path), text)[-2]))
    if "_classifier" in built:  # (both sizes built: the names' size is among them)
        said.discard("_classifier_names")
    assert said == built, f"{text!r}: the table says {sorted(said)}, the turn built {sorted(built)}"
