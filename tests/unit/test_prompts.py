import pytest

from vitron_agent.prompts import load, render_planner_prompt
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools


def test_planner_prompt_lists_tools_inputs_and_feedback():
    text = render_planner_prompt(
        Toolbox(default_tools()), {"input": {"image": "image"}}, feedback=["step s1: unknown tool 'segmnet'"]
    )
    assert "- segment:" in text and "- count:" in text
    assert "$input.image (image)" in text and '"$s1.mask"' in text
    assert "unknown tool 'segmnet'" in text and "$tools" not in text


def test_unknown_template_names_the_available_ones():
    with pytest.raises(KeyError, match="available: planner"):
        load("nope")
