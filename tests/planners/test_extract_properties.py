"""Properties of the reply extraction every planner uses: no model output yields an empty plan
unless it says ``"steps": []``, and no reasoning ever reaches an answer."""

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from vitron_agent.core.errors import PlanValidationError
from vitron_agent.planners.extract import from_langchain, from_openai, from_text, reply_to_plan

SECRET = "ZQXJ-reasoning-marker"
EXPLICIT_EMPTY = re.compile(r'"steps"\s*:\s*\[\s*\]')

pieces = st.sampled_from(
    [
        "{",
        "}",
        "[",
        "]",
        '"steps"',
        ": ",
        "[]",
        '"answer": "ok"',
        ",",
        '"tool": "count"',
        '"args": {}',
        "```json\n",
        "```",
        "<tool_call>",
        "</tool_call>",
        "[TOOL_CALLS]",
        "<|python_tag|>",
        "<function=count>",
        "</function>",
        '{"name": "count", "arguments": {"image": "$input.image"}}',
        "prose ",
        "\n",
        '{"foo": 1}',
        "null",
    ]
)
texts = st.one_of(st.text(max_size=200), st.lists(pieces, max_size=14).map("".join))
think_open = st.sampled_from(["<think>", "<thinking>", "<reasoning>", "<Think>"])


def outcome(reply, json_only=False):
    try:
        return reply_to_plan(reply, json_only=json_only)
    except PlanValidationError:
        return None


def silently_empty(plan, source: str) -> bool:
    """A plan with no steps and no answer, from output that never said ``"steps": []``."""
    return plan is not None and not plan.steps and not (plan.answer or "").strip() and not EXPLICIT_EMPTY.search(source)


@settings(max_examples=400, deadline=None)
@given(texts, st.booleans(), st.sampled_from([None, "stop", "length", "tool_calls"]))
def test_no_output_yields_an_empty_plan_unless_it_says_so(text, json_only, finish):
    plan = outcome(from_text(text, finish_reason=finish), json_only)
    assert not silently_empty(plan, text), f"an empty plan from {text!r}"


@settings(max_examples=300, deadline=None)
@given(texts, texts, texts, think_open, st.booleans())
def test_no_thinking_ever_reaches_an_answer(before, inside, after, tag, close):
    closing = tag.replace("<", "</") if close else ""
    text = f"{before}{tag}{SECRET}{inside}{closing}{after}"
    plan = outcome(from_text(text))
    if plan is not None:
        for shown in (plan.answer or "", *plan.notes):
            assert SECRET not in shown and "<think" not in shown.lower()


@settings(max_examples=200, deadline=None)
@given(texts, texts)
def test_reasoning_fields_and_blocks_stay_out_of_answers(content, thought):
    body = {
        "choices": [{"message": {"content": content, "reasoning_content": SECRET + thought}, "finish_reason": "stop"}]
    }
    message = {
        "content": [{"type": "thinking", "thinking": SECRET + thought}, {"type": "text", "text": content}],
        "additional_kwargs": {"reasoning_content": SECRET},
    }
    for reply in (from_openai(body), from_langchain(message)):
        plan = outcome(reply)
        assert not silently_empty(plan, content), f"an empty plan from {content!r}"
        if plan is not None:
            assert SECRET not in (plan.answer or "") and all(SECRET not in n for n in plan.notes)
            if not content.strip():
                assert plan.steps or EXPLICIT_EMPTY.search(content)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["segment", "count", "describe"]), min_size=1, max_size=5), st.booleans())
def test_every_tool_call_becomes_a_step_in_order(names, as_string):
    calls = [
        {
            "id": f"c{i}",
            "type": "function",
            "function": {
                "name": n,
                "arguments": json.dumps({"image": "$input.image"}) if as_string else {"image": "$input.image"},
            },
        }
        for i, n in enumerate(names)
    ]
    plan = reply_to_plan(from_openai({"choices": [{"message": {"content": None, "tool_calls": calls}}]}))
    assert [s.tool for s in plan.steps] == names and [s.id for s in plan.steps] == [
        f"s{i + 1}" for i in range(len(names))
    ]
