"""The command line end to end, as separate processes, on scikit-image sample photos."""

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from skimage import data as skdata

from vitron_agent.media.images import save_png
from vitron_agent.toolkit.registry import default_backends

BIN = Path(sys.executable).parent / "vitron-agent"


def cli(*args, cwd=None, timeout=120, env=None):
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env)


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: dict[str, int] = {}
        self.imgs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "img":
            self.imgs.append(dict(attrs)["src"])


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    return str(save_png(skdata.coffee(), tmp_path_factory.mktemp("photos") / "coffee.png"))


def test_run_json_contract_with_three_chained_steps(tmp_path, photo):
    out = tmp_path / "out"
    p = cli(
        "run",
        "--image",
        photo,
        "--out",
        str(out),
        "--json",
        "segment the main object, then make it blue, then describe the result",
    )
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert set(data) == {"answer", "ok", "warnings", "session", "steps", "report"} and data["warnings"] == []
    assert data["ok"] is True
    assert [s["tool"] for s in data["steps"]] == ["segment", "edit", "describe"]
    for s in data["steps"]:
        assert set(s) == {"id", "tool", "args", "status", "error", "seconds", "outputs"}
        assert s["status"] == "ok" and s["error"] is None and s["seconds"] >= 0
    seg, edit, desc = data["steps"]
    assert edit["args"]["mask"] == "$s1.mask" and desc["args"]["image"] == "$s2.image"
    mask = seg["outputs"]["mask"]
    assert mask["kind"] == "mask" and Path(mask["path"]).is_file() and mask["value"]["type"] == "mask"
    assert seg["outputs"]["box"]["kind"] == "box" and seg["outputs"]["box"]["path"] is None
    assert seg["outputs"]["area"]["kind"] == "number" and 0 < seg["outputs"]["area"]["value"] < 1
    assert Path(edit["outputs"]["image"]["path"]).is_file()
    assert desc["outputs"]["text"]["kind"] == "text" and "blue" in desc["outputs"]["text"]["value"]
    assert "blue" in data["answer"]
    report = Path(data["report"])
    parser = _Collect()
    parser.feed(report.read_text())
    assert parser.tags.get("svg") == 1 and parser.tags.get("section") == 3
    assert len(parser.imgs) >= 4 and all(src.startswith("data:image/") for src in parser.imgs)
    assert json.loads((out / "result.json").read_text())["session"] == data["session"]


def test_run_text_mode_and_sessions_across_processes(tmp_path, photo):
    db = tmp_path / "s.sqlite"
    p = cli(
        "run",
        "--image",
        photo,
        "--db",
        str(db),
        "--session",
        "cup",
        "--out",
        str(tmp_path / "o1"),
        "segment the main object",
    )
    assert p.returncode == 0, p.stderr
    assert "I selected the main object." in p.stdout and "plan" in p.stderr and "✓ s1 segment" in p.stderr
    p = cli("run", "--db", str(db), "--session", "cup", "--out", str(tmp_path / "o2"), "--json", "make it red")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["steps"][0]["args"]["mask"] == "$last.mask" and data["steps"][0]["status"] == "ok"


def test_usage_and_input_errors_exit_2_with_one_line(tmp_path):
    p = cli("run", "--image", str(tmp_path / "missing.png"), "describe it")
    assert p.returncode == 2 and p.stderr.strip().count("\n") == 0
    assert "missing.png: no such file" in p.stderr
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 truncated")
    p = cli("run", "--image", str(bad), "describe it")
    assert p.returncode == 2 and "bad.jpg" in p.stderr
    p = cli("run")
    assert p.returncode == 2 and p.stderr.startswith("vitron-agent run: error:")
    p = cli("run", "--box", "1,2,3", "describe it")
    assert p.returncode == 2 and "--box takes 4" in p.stderr
    cfg = tmp_path / "vitron.toml"
    cfg.write_text('[tools.segment]\nbackend = "sam9000"\n')
    p = cli("tools", "--config", str(cfg))
    assert (
        p.returncode == 2
        and "backend = 'sam9000' is not available; choose one of: cv, embedded, segment-anything, none" in p.stderr
    )


def test_failed_steps_exit_1_with_the_whole_result(tmp_path):
    """A turn that did not do what was asked exits 1 (it exited 0: `run … && next` went on with the picture
    unchanged); the JSON result and the report are still written."""
    img = tmp_path / "plain.png"
    from PIL import Image

    Image.new("RGB", (64, 48), (30, 60, 200)).save(img)
    p = cli(
        "run", "--image", str(img), "--out", str(tmp_path / "o"), "--json", "segment the yellow object, then remove it"
    )
    assert p.returncode == 1, p.stderr
    data = json.loads(p.stdout)
    assert data["ok"] is False and (tmp_path / "o" / "report.html").exists()
    assert [s["status"] for s in data["steps"]] == ["error", "skipped"]
    assert "found no yellow region" in data["answer"]


def test_plan_and_tools_commands(tmp_path):
    p = cli("plan", "--json", "--image", "x.png", "select the red car; turn it yellow")
    assert p.returncode == 0, p.stderr
    plan = json.loads(p.stdout)
    assert [s["tool"] for s in plan["steps"]] == ["segment", "edit"] and plan["problems"] == []
    p = cli("plan", "fly me to the moon")
    assert p.returncode == 0 and "The closest things I can do:" in p.stdout and len(p.stdout) < 800
    p = cli("plan", "help")
    assert p.returncode == 0 and p.stdout.startswith("I understand:")
    p = cli("tools", "--json")
    listed = [t["name"] for t in json.loads(p.stdout)]
    assert listed == [t for t, b in default_backends().items() if b != "none"]  # the registry's order
    assert {"segment", "edit", "track", "describe"} <= set(listed)


def test_help_and_import_stay_light():
    code = (
        "import sys, vitron_agent, vitron_agent.cli\n"
        "try:\n    vitron_agent.cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('torch', 'transformers', 'diffusers', 'cv2', 'langgraph') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in p.stdout, p.stdout + p.stderr


def test_demo_writes_the_report(tmp_path):
    p = cli("demo", "--out", str(tmp_path / "demo"), "--json")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert [s["tool"] for s in data["steps"]] == ["segment", "edit", "describe"]
    assert all(s["status"] == "ok" for s in data["steps"])
    assert "purple" in data["answer"] and Path(data["report"]).is_file()


def test_plan_needs_no_media_file(capsys):
    """README's `vitron-agent plan "select the red car; turn it yellow"` plans against the
    declared medium (--input, default image) instead of answering "needs an image"."""
    from vitron_agent.cli import main

    assert main(["plan", "--json", "select the red car; turn it yellow"]) == 0
    assert [s["tool"] for s in json.loads(capsys.readouterr().out)["steps"]] == ["segment", "edit"]
    assert main(["plan", "--json", "--input", "video", "track the red ball, make it blue"]) == 0
    assert [s["tool"] for s in json.loads(capsys.readouterr().out)["steps"]] == ["track", "edit_video"]
    assert main(["plan", "--image", "a.png", "--video", "b.mp4", "x"]) == 2
    assert "not both" in capsys.readouterr().err


def test_readme_python_example_with_a_box_region(tmp_path):
    """README's Python example marks a region with regions=[Box(...)] (Box is what it imports)."""
    from vitron_agent import Agent, Box
    from vitron_agent.media.synthetic import disc_image

    r = Agent(data_dir=tmp_path).run("remove this", image=disc_image()[0], regions=[Box(x1=40, y1=30, x2=120, y2=90)])
    assert r.ok and r.steps[0].args.get("box") == "$input.box"


def test_bad_db_out_and_chat_paths_are_one_line_errors_before_anything_runs(tmp_path, capsys):
    import subprocess
    import sys
    from pathlib import Path

    from vitron_agent.cli import main

    (tmp_path / "notes.txt").write_text("not a database")
    for args, said in (
        (["--db", str(tmp_path / "notes.txt")], "is not an SQLite database"),
        (["--db", str(tmp_path)], "is a folder"),
        (["--out", "/proc/not-writable"], "cannot be written"),
    ):
        assert main(["run", *args, "describe it"]) == 2
        err = capsys.readouterr().err
        assert said in err and err.count("\n") == 1
    exe = str(Path(sys.executable).parent / "vitron-agent")
    chat = subprocess.run(
        [exe, "chat"], input="/image /nowhere/missing.png\n/quit\n", capture_output=True, text=True, timeout=120
    )
    assert "error: /nowhere/missing.png is not a file; nothing changed" in chat.stdout


def test_out_dir_symlinks_are_replaced_never_followed(tmp_path):
    """A report.html / result.json link planted in --out is replaced by the new file; the file it
    pointed at is untouched."""
    from vitron_agent.media.synthetic import disc_image

    img = tmp_path / "disc.png"
    save_png(disc_image()[0], img)
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    for name in ("report.html", "result.json", "s1_mask.png", "input_image.png"):
        (out / name).symlink_to(victim)
    p = cli("run", "--image", str(img), "--out", str(out), "segment the red disc")
    assert p.returncode == 0, p.stderr
    assert victim.read_text() == "keep me"
    umask = os.umask(0)
    os.umask(umask)
    for name in ("report.html", "result.json", "s1_mask.png", "input_image.png"):
        assert not (out / name).is_symlink() and (out / name).stat().st_size > 0
        assert (out / name).stat().st_mode & 0o777 == 0o666 & ~umask  # as open() makes it, not 0600


def test_an_unusable_db_path_is_one_line_and_exit_2(tmp_path):
    p = cli("run", "--db", "/proc/x.sqlite", "describe it")
    assert p.returncode == 2 and p.stderr.count("\n") == 1
    assert "cannot open the session database '/proc/x.sqlite'" in p.stderr and "Traceback" not in p.stderr


@pytest.mark.parametrize(
    "args, says",
    [
        (["run", "--artifacts", "/proc/x", "--image", "IMG", "describe it"], "--artifacts /proc/x cannot be written"),
        (["batch", "describe it", "IMG", "--out", "/proc/x"], "--out /proc/x cannot be written"),
        (["batch", "describe it", "IMG", "--out", "IMG"], "is a file, not a folder"),
        (["run", "--out", "IMG", "--image", "IMG", "describe it"], "is a file, not a folder"),
        (["mcp", "--data", "/proc/x"], "--data /proc/x cannot be written"),
        (["serve", "--no-auth", "--port", "1", "--data", "/proc/x"], "--data /proc/x cannot be written"),
        (["plan", "describe it", "--save", "/proc/x.json"], "--save /proc/x.json cannot be written"),
    ],
    ids=[
        "run --artifacts",
        "batch --out",
        "batch --out file",
        "run --out file",
        "mcp --data",
        "serve --data",
        "plan --save",
    ],
)
def test_every_unusable_path_is_one_line_and_exit_2(tmp_path, args, says):
    """Each folder or file option a command writes to: a path that cannot be used is named in one
    line with exit 2 (each of these printed a traceback and exit 1)."""
    img = tmp_path / "cat.png"
    save_png(skdata.chelsea(), img)
    p = cli(*[str(img) if a == "IMG" else a for a in args])
    assert p.returncode == 2 and p.stderr.count("\n") == 1, p.stderr
    assert says in p.stderr and "Traceback" not in p.stderr


def test_a_run_leaves_no_store_in_the_temporary_folder(tmp_path):
    """Every `vitron-agent run` without --db left its artifact store (the input, every step's output) in a
    new /tmp/vitron-agent-* folder, never removed: 8,000 of them, 22 GB, filled this machine's disk."""
    import os

    from PIL import Image

    img, scratch = tmp_path / "p.png", tmp_path / "tmp"
    scratch.mkdir()
    Image.new("RGB", (64, 48), (30, 60, 200)).save(img)
    env = {**os.environ, "TMPDIR": str(scratch)}
    p = cli("run", "--image", str(img), "--out", str(tmp_path / "o"), "make it grayscale", env=env)
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "o" / "s1_image.png").is_file()  # the result is exported before the store goes
    assert not [d for d in scratch.iterdir() if d.name.startswith("vitron-agent-")]


def test_a_scripts_agent_removes_its_temporary_store_at_exit(tmp_path):
    """A Python script's ``Agent()`` (no db, no data_dir) left its store in /tmp for good; now it is
    readable while the script runs and gone once the process exits."""
    import os
    import subprocess
    import sys

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    script = (
        "import numpy as np, pathlib\n"
        "from vitron_agent import Agent\n"
        "a = Agent()\n"
        "r = a.run('make it grayscale', image=np.full((40, 50, 3), 90, np.uint8))\n"
        "assert r.ok, r.answer\n"
        "print(a.load(r.artifacts[-1]).shape, any(pathlib.Path(a.data_dir).rglob('*.png')))\n"
    )
    env = {**os.environ, "TMPDIR": str(scratch), "HF_HUB_OFFLINE": "1"}
    p = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split()[-1] == "True"  # the store was there while the script ran
    assert not [d for d in scratch.iterdir() if d.name.startswith("vitron-agent-")]


def test_the_picture_may_follow_the_instruction_without_a_flag(tmp_path):
    """`vitron-agent run "make it grayscale" photo.png` (the form a newcomer types first) was "unrecognized
    arguments"; now the file is the input by its extension, either order, and a wrong name says the form."""
    from PIL import Image

    img = tmp_path / "my photo.png"
    Image.new("RGB", (40, 30), (200, 30, 30)).save(img)
    p = cli("run", "make it grayscale", str(img), "--out", str(tmp_path / "a"), "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["steps"][0]["args"]["operation"] == "grayscale"
    p = cli("run", str(img), "make it grayscale", "--out", str(tmp_path / "b"), "--quiet")
    assert p.returncode == 0 and (tmp_path / "b" / "s1_image.png").is_file(), p.stderr
    p = cli("plan", "track the dog", str(tmp_path / "clip.mp4"))
    assert p.returncode == 2 and "is not a file" in p.stderr and 'run "make it grayscale" photo.png' in p.stderr
    p = cli("run", "make it grayscale", str(img), "--image", str(img))
    assert p.returncode == 2 and "give the input once" in p.stderr
