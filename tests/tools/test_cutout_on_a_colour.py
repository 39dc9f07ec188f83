"""A cut-out put on a colour is opaque, on that colour: 'remove the background and put the parrot on black'
kept the cut-out's transparency (72 % of the pixels alpha 0), so every viewer showed it on white."""


def test_a_cut_out_put_on_black_is_opaque_black_around_it(tmp_path):
    from skimage import data

    from vitron_agent import Agent

    agent = Agent(data_dir=tmp_path)
    result = agent.run("remove the background and put the cat on black", image=data.chelsea())
    assert result.ok, result.answer
    edits = [s for s in result.steps if s.tool == "edit"]
    assert edits[0].args["operation"] == "cutout" and edits[-1].args["color"] == "black"
    store = agent.store_for(result.session)
    ref = edits[-1].output("image")
    assert not store.has_alpha(ref)
    out = store.get_image(ref)
    assert out.shape[2] == 3 and (out[:8, :8] < 20).all()  # a corner, outside the cat: black, not transparent
    assert out[150, 200].max() > 60  # the cat is still there
