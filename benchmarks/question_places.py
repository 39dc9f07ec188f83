"""Place words in questions: the share of tests/planners/test_question_places.py's cases (even
indices: tuning half, odd: held-out half) planned to look at the named place, with the place reading
turned off (the code before it) and on, side by side in one run.

    .venv/bin/python benchmarks/question_places.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "planners"))

from test_question_places import CASES, plan_of, right  # noqa: E402

from vitron_agent.toolkit.tool import Toolbox  # noqa: E402
from vitron_agent.tools import default_tools  # noqa: E402


def score(toolbox: Toolbox) -> tuple[list[bool], list[bool]]:
    hits = [right(plan_of(toolbox, text), tool, place) for text, tool, place in CASES]
    return hits[0::2], hits[1::2]


def main() -> None:
    toolbox = Toolbox(default_tools())
    with mock.patch("vitron_agent.planners.rule.place_question", return_value=False):
        before = score(toolbox)
    after = score(toolbox)
    for name, b, a in zip(("tune", "held-out"), before, after, strict=True):
        print(f"{name}: {sum(b)}/{len(b)} -> {sum(a)}/{len(a)}")


if __name__ == "__main__":
    main()
