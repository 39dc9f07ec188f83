"""Reading requests as people say them (issue 41): one intent table, a learned matcher over its
examples (the real wordllama embedding, no mock), typo repair that leaves real words alone,
targets parsed (pronouns with trailing words, the picture by any name, exclusions)."""

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import MODES, RulePlanner, understood_help
from vitron_agent.planners.rule.word_knowledge import match
from vitron_agent.toolkit import slots
from vitron_agent.toolkit.intents import Intent, register_intent, registered_intents, unregister_intent
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

IMG = {"input": {"image": "image"}, "last": {}}


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def plan(text, toolbox, mode="both", inputs=IMG):
    return RulePlanner(mode=mode).plan(PlanRequest(text=text, inputs=inputs), toolbox)


def ops(p):
    return [s.args.get("operation", s.tool) for s in p.steps]


def test_every_built_in_intent_has_at_least_25_examples():
    built_in = [r for r in registered_intents() if r.order >= 100 and r.help]
    assert built_in and all(len(r.examples) >= 25 for r in built_in if r.name != "composite" or r.examples)
    assert all(len(set(r.examples)) == len(r.examples) for r in built_in)


def test_a_new_intent_is_one_record_and_nothing_else(toolbox):
    """No pattern, no help list, no verb list: the record alone is read by the matcher, listed in
    the help, and its opening verb is repaired when misspelt."""

    def handler(call):
        sid = call.add("edit", image=call.picture, operation="flip", direction="vertical")
        call.set_output(sid, "image")

    examples = tuple(
        f"{verb} the {what}{tail}"
        for verb in ("capsize", "keel over")
        for what in ("picture", "photo", "image", "shot")
        for tail in ("", " please", " for me")
    )
    register_intent(
        Intent("capsize", examples=examples, handler=handler, help="capsize it (test)", slots=(), media="image")
    )
    try:
        p = plan("could you capsize this snapshot", toolbox, mode="matcher")
        assert ops(p) == ["flip"] and p.steps[0].args["direction"] == "vertical"
        assert "capsize it (test)" in understood_help()
        typo = plan("capsise the photo", toolbox)
        assert ops(typo) == ["flip"] and "I read 'capsise' as 'capsize'." in typo.notes
    finally:
        unregister_intent("capsize")
    assert "capsize" not in understood_help()


@pytest.mark.parametrize(
    "text,op",
    [
        ("lend the photo a warmer glow", "warmer"),
        ("those colours are far too loud, calm them", "desaturate"),
        ("make the whole thing less bright", "darken"),
        ("the shot looks much too dark", "brighten"),
        ("could the picture get a chillier tone", "cooler"),
        ("the photo needs stronger, livelier colours", "saturate"),
    ],
)
def test_the_matcher_reads_paraphrases_and_antonyms(toolbox, text, op):
    assert ops(plan(text, toolbox, mode="matcher")) == [op]


def test_two_close_readings_make_a_question_naming_both():
    register_intent(Intent("twin_a", examples=("zorble the picture",) * 3, tool="edit", help="zorble it"))
    register_intent(Intent("twin_b", examples=("zorble the picture",) * 3, tool="describe", help="zorble-describe it"))
    try:
        verdict = match("zorble the picture")
        assert verdict.intent is None and "zorble it" in verdict.question and "zorble-describe it" in verdict.question
    finally:
        unregister_intent("twin_a")
        unregister_intent("twin_b")


def test_unknown_mode_is_refused_by_name():
    with pytest.raises(ValueError, match="rules, matcher, both"):
        RulePlanner(mode="guess")
    assert MODES == ("rules", "matcher", "both")


@pytest.mark.parametrize("text", ["make the great dane purple", "recolour the sliver of cake red"])
def test_typo_repair_never_rewrites_an_english_word(toolbox, text):
    p = plan(text, toolbox)
    assert not [n for n in p.notes if n.startswith("I read")]
    assert p.steps[0].args["target"].split()[1] in ("great", "sliver")


def test_typo_repair_still_reads_misspelt_colours_and_verbs(toolbox):
    p = plan("segmnet the kite and turn it purpel", toolbox)
    assert "I read 'purpel' as 'purple'." in p.notes and "I read 'segmnet' as 'segment'." in p.notes
    assert p.steps[-1].args["color"] == "purple"


def test_a_pronoun_with_trailing_words_is_the_last_target(toolbox):
    inputs = {"input": {"image": "image"}, "last": {"mask": "mask", "image": "image"}}
    for text in ("brighten it now", "sharpen that one slightly", "blur them a bit more"):
        p = plan(text, toolbox, inputs=inputs)
        assert [s.tool for s in p.steps] == ["edit"], text
        assert p.steps[0].args.get("mask") == "$last.mask", text


@pytest.mark.parametrize("text", ["make the painting warmer", "cool down the snapshot", "boost the exposure"])
def test_the_picture_by_any_name_is_the_whole_image(toolbox, text):
    p = plan(text, toolbox)
    assert [s.tool for s in p.steps] == ["edit"] and "mask" not in p.steps[0].args


def test_an_exception_spares_its_target(toolbox):
    p = plan("monochrome, apart from the bus", toolbox)
    assert [s.tool for s in p.steps] == ["segment", "edit"]
    assert p.steps[0].args["target"] == "the bus" and p.steps[1].args["where"] == "outside"


def test_slot_readers():
    assert slots.time_range("keep 1:05 to 1:20") == (65.0, 80.0)
    assert slots.time_range("drop the last 4 seconds") == (-4.0, None)
    assert slots.time_range("between 2 and 6 seconds") == (2.0, 6.0)
    assert slots.factor("three times faster") == 3.0 and slots.factor("half speed") == 0.5
    assert slots.duration("1m30s") == 90.0 and slots.timestamp("at 0:07") == 7.0
    assert slots.angle("turn it 270°") == 270.0 and slots.number("seven cats") == 7.0
    assert slots.time_range("make it purple") is None and slots.factor("make it purple") is None


def test_llm_planners_are_offered_the_same_intents(toolbox):
    from vitron_agent.planners.intent_tools import MAX_INTENT_TEXT, with_intents

    schemas = {
        s["function"]["name"]: s["function"]["description"] for s in with_intents(toolbox.planning_schemas(), toolbox)
    }
    assert "count: how many <things>" in schemas["count"] and "(slots: target)" in schemas["count"]
    assert "recolor:" in schemas["edit"] or "…" in schemas["edit"]
    plain = {s["function"]["name"]: s["function"]["description"] for s in toolbox.planning_schemas()}
    assert all(len(schemas[n]) <= len(plain[n]) + MAX_INTENT_TEXT + 40 for n in plain)
    register_intent(
        Intent("tally_up", examples=("tally up the coins",), handler=None, tool="count", help="tally up <things>")
    )
    try:
        fresh = {
            s["function"]["name"]: s["function"]["description"]
            for s in with_intents(toolbox.planning_schemas(), toolbox)
        }
        assert "tally_up: tally up <things>" in fresh["count"]
    finally:
        unregister_intent("tally_up")


def test_a_relation_reaches_the_segmenter(toolbox):
    p = plan("blur the crowd behind the goalkeeper", toolbox)
    seg = p.steps[0]
    assert seg.tool == "segment" and (seg.args["relation"], seg.args["relative_to"]) == ("behind", "the goalkeeper")
    assert ops(p)[-1] == "blur"


def test_everything_else_is_the_complement_of_the_last_selection(toolbox):
    p = plan("select the woman, then blur everything else", toolbox)
    assert [s.tool for s in p.steps] == ["segment", "edit"]
    assert p.steps[1].args["where"] == "outside" and p.steps[1].args["mask"] == "$s1.mask"


@pytest.mark.parametrize(
    "text",
    ["leave the scarf in colour", "turn the shot monochrome but keep the scarf in full colour"],
)
def test_keeping_a_thing_in_colour_greys_the_rest(toolbox, text):
    p = plan(text, toolbox)
    assert [s.tool for s in p.steps] == ["segment", "edit"] and p.steps[0].args["target"] == "the scarf"
    assert p.steps[1].args["operation"] == "grayscale" and p.steps[1].args["where"] == "outside"


def test_a_quality_named_with_its_noun_is_the_whole_picture(toolbox):
    p = plan("lower the colour saturation a little", toolbox)
    assert ops(p) == ["desaturate"] and "mask" not in p.steps[0].args


def test_what_goes_on_is_the_whole_clip():
    video = {"input": {"video": "video"}, "last": {}}
    p = RulePlanner().plan(PlanRequest(text="explain what goes on in the clip", inputs=video), Toolbox(default_tools()))
    assert [s.tool for s in p.steps] == ["describe_video"]


@pytest.mark.parametrize(
    "text,op",
    [
        ("do not alter the vase, but darken everything else", "darken"),
        ("leave the statue alone and blur the rest", "blur"),
        ("don't touch the boat, just sharpen the photo", "sharpen"),
    ],
)
def test_a_thing_spared_first_is_spared(toolbox, text, op):
    p = plan(text, toolbox)
    assert [s.tool for s in p.steps] == ["segment", "edit"] and ops(p)[-1] == op
    assert p.steps[1].args["where"] == "outside" and p.steps[0].args["target"].split()[-1] in ("vase", "statue", "boat")


@pytest.mark.parametrize(
    "text,want",
    [
        ("everything looks too yellow", "cooler"),
        ("this looks a little too blue", "warmer"),
        ("it's fuzzy, could you sharpen it", "sharpen"),
        ("the colours look too vivid to me", "desaturate"),
        ("not so dark please", "brighten"),
    ],
)
def test_polarity_words_settle_antonyms(text, want):
    assert match(text).intent == want


def test_a_complaint_and_its_command_are_one_edit_but_again_is_two(toolbox):
    assert ops(plan("it's far too warm, cool it", toolbox)) == ["cooler"]
    assert ops(plan("brighten it, then brighten it again", toolbox)) == ["brighten", "brighten"]


@pytest.mark.parametrize("text", ["turn everything grey apart from the door", "take the saturation down a notch"])
def test_the_whole_picture_grey_and_phrasal_downs(toolbox, text):
    p = plan(text, toolbox)
    assert ops(p)[-1] in ("grayscale", "desaturate")
    if "door" in text:
        assert p.steps[-1].args["where"] == "outside"


@pytest.mark.parametrize(
    "text,op",
    [
        ("the snapshot looks rather gloomy", "brighten"),
        ("this one is so noisy, fix it", "denoise"),
        ("it feels cold", "warmer"),
    ],
)
def test_a_complaint_asks_for_the_opposite(toolbox, text, op):
    assert ops(plan(text, toolbox)) == [op]


def test_handlers_get_target_words_cleaned_the_planners_way():
    from vitron_agent.planners.rule.intent_call import target_words

    assert target_words("cats run past in this clip?") == "cats"
    assert target_words("at what moments is the bus visible") == "the bus"
    assert target_words("the girl on the left") == "the girl on the left"


@pytest.mark.parametrize(
    "text,op",
    [("would you mind blurring the licence plate", "blur"), ("is it possible to erase the kite", "remove")],
)
def test_polite_openers_are_read_through(toolbox, text, op):
    assert ops(plan(text, toolbox))[-1] == op


def test_openers_and_the_cut_out_as_a_pronoun(toolbox):
    p = plan("first select the horse, next blur it", toolbox)
    assert [s.tool for s in p.steps] == ["segment", "edit"] and p.steps[0].args["target"] == "the horse"
    p = plan("cut the heron out and describe the cut-out", toolbox)
    assert [s.tool for s in p.steps] == ["segment", "edit", "describe"]
