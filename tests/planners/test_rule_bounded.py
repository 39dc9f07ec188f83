"""The rule planner reads hostile text in bounded time (issue 40, vulnerability 2): whitespace runs
are collapsed before any pattern runs and the request length is capped, so the clause splitter's
patterns cannot backtrack over a run of blanks. Each case runs in a subprocess with a deadline, so a
regression fails instead of freezing the suite; the sizes are ones the old splitter (cubic in a run of
spaces: 0.5 s at 200 spaces here) would need hours for."""

import subprocess
import sys

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner, split_clauses
from vitron_agent.planners.rule.lexicon import MAX_REQUEST_CHARS, bounded
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

IMG = {"input": {"image": "image"}, "last": {}}

_SCRIPT = """
import sys
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools
text = sys.stdin.read()
plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), Toolbox(default_tools()))
print([s.tool for s in plan.steps], (plan.answer or "")[:60])
"""


@pytest.mark.parametrize(
    "text",
    [
        "describe" + " " * 10_000 + "it",
        "describe" + " \t" * 5_000 + "it",
        "segment the cat" + " ,\n" * 3_000 + "then make it red",
        "make the cat red" + " and" * 2_400,
    ],
    ids=["spaces", "tabs", "commas-newlines", "and-runs"],
)
def test_hostile_whitespace_plans_quickly(text):
    out = subprocess.run(
        [sys.executable, "-c", _SCRIPT], input=text, capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip(), out.stderr


def test_whitespace_run_reads_as_one_space():
    toolbox = Toolbox(default_tools())
    plan = RulePlanner().plan(PlanRequest(text="describe" + " " * 5000 + "it", inputs=IMG), toolbox)
    assert [s.tool for s in plan.steps] == ["describe"]


def test_too_long_request_is_refused_by_name():
    toolbox = Toolbox(default_tools())
    text = "segment the cat and make it red. " * 200
    plan = RulePlanner().plan(PlanRequest(text=text, inputs=IMG), toolbox)
    assert not plan.steps and f"{MAX_REQUEST_CHARS:,} characters" in plan.answer


def test_bounded_keeps_lines_and_collapses_blanks():
    assert bounded("  segment   the\tcat \n\n\n  then  make it red  ") == "segment the cat\nthen make it red"
    assert split_clauses("segment the cat\n\n   make it red") == ["segment the cat", "make it red"]
