"""Every regular expression that sees user text runs in linear (or input-bounded) time (issue 40,
vulnerability 2 and its class). Each case runs in a child process with a generous deadline, so a
backtracking pattern fails the test instead of freezing the run; no wall time is asserted beyond
that deadline, and the sizes are ones the old patterns needed minutes to hours for:

* the rule planner through ``vitron-agent plan`` (its clause splitter was cubic in a run of
  spaces: "describe" + 800 spaces + "it" froze every thread for 17-27 s; 10,000 is what the
  server admits);
* the Vitron tag parser and the reply extractor (``<`` + spaces, ``replace a`` + spaces, many
  unclosed tags: quadratic, 1-8 s per 20,000-character reply, so 60 replies take minutes);
* the server's JSON guard and its public-id rewriting.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXE = str(Path(sys.executable).parent / "vitron-agent")
ENV = {**os.environ, "HF_HUB_OFFLINE": "1"}


@pytest.mark.parametrize(
    "text",
    [
        "describe" + " " * 9_990 + "it",
        "describe" + " \t" * 4_995 + "it",
        "segment the cat" + " ,\n" * 3_300 + "then make it red",
        "make the cat red" + " and" * 2_490,
        "describe" + " ," * 4_990 + " it",
    ],
    ids=["spaces", "tabs", "commas-newlines", "and-runs", "space-commas"],
)
def test_the_plan_command_reads_hostile_whitespace_in_bounded_time(text):
    out = subprocess.run(
        [EXE, "plan", text, "--json"], capture_output=True, text=True, timeout=180, env=ENV, cwd=Path.cwd()
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert '"steps"' in out.stdout


_PARSERS = r"""
from vitron_agent.planners.extract import from_text, reply_to_plan
from vitron_agent.planners.parsing import _REPLACE, parse_vitron_output
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

toolbox = Toolbox(default_tools())
n = 19_000
replies = [
    "<" + " " * n + "x",
    "<a>" * (n // 3),
    "<think>" * (n // 7),
    "<tool_call>" + " " * n + "x",
    "```" + " \t" * (n // 2) + "x",
]
for _ in range(60):
    for reply in replies:
        try:
            parse_vitron_output(reply, toolbox)
        except Exception:
            pass
        try:
            reply_to_plan(from_text(reply))
        except Exception:
            pass
    _REPLACE.search("replace a" + " " * n + "b")  # module C's "replace X with Y" (a diffusers editor reaches it)
print("ok")
"""


def test_the_planner_reply_parsers_are_linear_on_hostile_replies():
    out = subprocess.run([sys.executable, "-c", _PARSERS], capture_output=True, text=True, timeout=240, env=ENV)
    assert out.stdout.strip() == "ok", out.stderr[-2000:]


_SERVER = r"""
from vitron_agent.server.guard import _nesting, _hostname, _loopback_origin
from vitron_agent.server.transport import public_text, data_url_bytes

for _ in range(3):
    assert _nesting(b'{"a": "' + b'\\"' * 2_000_000) == 1
    public_text("local-" * 200_000 + "t0123456789ab-" * 100_000)
    _hostname("[" + ":" * 60_000)
    _loopback_origin("http://" + "a." * 30_000 + ":")
    try:
        data_url_bytes("data:image/" + "a" * 1_000_000 + ";base64")
    except Exception:
        pass
print("ok")
"""


def test_the_server_guard_and_its_rewriting_are_linear():
    out = subprocess.run([sys.executable, "-c", _SERVER], capture_output=True, text=True, timeout=240, env=ENV)
    assert out.stdout.strip() == "ok", out.stderr[-2000:]
