"""'the person in the background': the one that stands back, or an honest assumption when the only
one found is in front (it was taken silently: 'erase the person in the background' removed the
cameraman in front, reported as done)."""

from skimage import data

from vitron_agent.core.refs import Box, Detection
from vitron_agent.perception.detector import Named
from vitron_agent.perception.recognise import _in_the_back

PERSON = Named(("person",), "person", False)
PEOPLE = Named(("person",), "people", True)


def det(x1, y1, x2, y2, score=0.9):
    return Detection(label="person", score=score, box=Box(x1=x1, y1=y1, x2=x2, y2=y2))


def test_the_smaller_one_of_its_kind_is_the_one_in_the_background():
    front, back, far = det(0, 0, 200, 400), det(300, 50, 340, 130), det(400, 60, 420, 100)
    image = data.camera()
    assert _in_the_back(image, [front, back, far], [front], PERSON, "the person in the background") == ([far], "")
    got, said = _in_the_back(image, [front, back, far], [front], PEOPLE, "the people at the back")
    assert got == [back, far] and said == ""


def test_the_only_one_in_front_is_taken_as_an_assumption():
    front = det(0, 0, 200, 400)
    got, said = _in_the_back(data.camera(), [front], [front], PERSON, "the person in the background")
    assert got == [front] and said.startswith("unsure where: it found no person in the background, so it")


def test_no_place_word_changes_nothing():
    front, back = det(0, 0, 200, 400), det(300, 50, 340, 130)
    assert _in_the_back(data.camera(), [front, back], [front], PERSON, "the person") == ([front], "")


def test_erasing_the_person_in_the_background_when_only_one_stands_in_front_is_held(tmp_path):
    from vitron_agent import Agent

    r = Agent(data_dir=tmp_path).run("erase the person in the background", image=data.camera())
    assert r.steps[-1].status != "ok" and r.warnings
    assert r.answer.startswith("I found no person in the background")
