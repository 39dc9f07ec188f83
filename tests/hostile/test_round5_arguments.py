"""Hostile round 5: the arguments of a tool call, whatever door it came through (a plan step, a
direct call, MCP, LangChain). Before: a misspelled or extra argument ("amout") was dropped and the
call ran with the default, said done; number fields took ``true`` as 1, ``inf``, 1e9 seconds and a
5,000-digit string (read as ``inf``) where the field stated no upper bound."""

import base64
import io

import anyio
import pytest
from PIL import Image

from vitron_agent.core.errors import ToolArgumentError
from vitron_agent.media.synthetic import disc_image
from vitron_agent.toolkit.arguments import NUMBER_CEILING, number_problem
from vitron_agent.toolkit.plan import Plan, validate_plan
from vitron_agent.toolkit.tool import Toolbox, ToolContext, field_kinds, invoke
from vitron_agent.tools import default_tools

TOOLBOX = Toolbox(default_tools())
BAD_NUMBERS = [True, float("nan"), float("inf"), -float("inf"), "1,5", "9" * 5000, "NaN", 10.0 * NUMBER_CEILING, [1]]
NUMBER_FIELDS = [
    (tool.name, name)
    for tool in TOOLBOX
    for name, info in tool.Input.model_fields.items()
    if field_kinds(info.annotation) == {"number"} and number_problem(name, info, 1e9) is not None
]


def test_every_number_field_is_listed():
    assert len(NUMBER_FIELDS) >= 30, NUMBER_FIELDS  # edit, video, detect, read_text ... all of them


@pytest.mark.parametrize(("tool", "field"), NUMBER_FIELDS)
def test_every_number_argument_refuses_what_is_no_number_in_its_range(tool, field, store):
    """The same check for each field of each tool: the message names the argument, what it takes and
    an example, never pydantic's internal text."""
    for bad in BAD_NUMBERS:
        with pytest.raises(ToolArgumentError) as err:
            invoke(TOOLBOX.get(tool), {field: bad}, ToolContext(store=store))
        text = str(err.value)
        assert f"argument {field!r} = " in text and "it takes a " in text and ", e.g. " in text, (bad, text)
        assert "validation error" not in text and "pydantic" not in text


def test_a_comma_decimal_is_refused_with_its_fix():
    info = TOOLBOX.get("edit").Input.model_fields["amount"]
    assert "(write 0.5 with a decimal point, not a comma)" in number_problem("amount", info, "0,5")


def test_a_number_in_range_is_taken_as_its_type(store, disc):
    ref = store.put_image(disc[0])
    out = invoke(
        TOOLBOX.get("edit"), {"image": ref, "operation": "resize", "width": "80", "height": 60.0}, ToolContext(store)
    )
    assert (out.image.width, out.image.height) == (80, 60)


def test_an_unknown_argument_of_a_direct_call_is_named_with_the_known_ones(store, disc):
    ref = store.put_image(disc[0])
    with pytest.raises(ToolArgumentError) as err:
        invoke(TOOLBOX.get("edit"), {"image": ref, "operation": "brighten", "amout": 0.9}, ToolContext(store))
    text = str(err.value)
    assert "no argument 'amout'; did you mean 'amount'?" in text and "its arguments are: image, operation" in text


def test_a_plan_step_gets_the_same_number_check():
    plan = Plan.model_validate(
        {"steps": [{"id": "s1", "tool": "loop_video", "args": {"video": "$input.video", "times": 1e9}}]}
    )
    problems = validate_plan(plan, TOOLBOX, {"input": {"video": "video"}})
    assert any(
        "argument 'times' = 1000000000.0 is invalid: it takes a whole number from 2 to 50" in p for p in problems
    )


def test_langchain_tool_calls_name_an_unknown_argument(store, disc):
    ref = store.put_image(disc[0]).model_dump(mode="json")
    edit = {t.name: t for t in TOOLBOX.as_langchain_tools(store)}["edit"]
    call = {
        "type": "tool_call",
        "id": "c1",
        "name": "edit",
        "args": {"image": ref, "operation": "brighten", "colour": 1},
    }
    msg = edit.invoke(call)
    assert msg.status == "error" and "no argument 'colour'; did you mean 'color'?" in msg.content
    assert "argument 'amount' = True is invalid" in edit.invoke({"image": ref, "operation": "brighten", "amount": True})


def _png64(arr) -> str:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


def test_mcp_tool_calls_name_an_unknown_argument_and_a_bad_number(tmp_path):
    """With the official client, in process: before, 'amout' and 'sesion_id' were dropped and the calls
    ran, said done; 'amount': true ran at full strength."""
    from mcp import Client

    from vitron_agent.runtime.agent import Agent
    from vitron_agent.server.mcp_server import build_mcp_server

    server = build_mcp_server(Agent(data_dir=tmp_path, checkpointer=False))
    img = _png64(disc_image()[0])
    calls = [
        ("edit", {"image": img, "operation": "brighten", "amout": 0.9}, "no argument 'amout'; did you mean 'amount'?"),
        ("edit", {"image": img, "operation": "brighten", "amount": True}, "argument 'amount' = True is invalid"),
        (
            "run",
            {"instruction": "describe it", "sesion_id": "x"},
            "no argument 'sesion_id'; did you mean 'session_id'?",
        ),
        ("loop_video", {"video": "x", "times": "1e9"}, "it takes a whole number from 2 to 50"),
    ]

    async def main():
        async with Client(server) as client:
            results = [await client.call_tool(name, args) for name, args, _ in calls]
            ok = await client.call_tool("edit", {"image": img, "operation": "brighten", "amount": 0.3})
            return results, ok

    results, ok = anyio.run(main)
    for (name, _, expected), result in zip(calls, results, strict=True):
        assert result.is_error and expected in result.content[0].text, (name, result.content[0].text)
    assert "its arguments are: instruction, image_base64, session_id, video_base64" in results[2].content[0].text
    assert not ok.is_error  # the session goes on
