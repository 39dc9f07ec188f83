"""The evaluation harness: the RefCOCO reader on tiny files in the real formats (a Python 2 refs
pickle, COCO instances with polygons and compressed RLE checked against pycocotools' own encoding),
a hostile pickle refused, the figures' arithmetic (cIoU is not gIoU), the labelled set's integrity,
photo fetching from a package file, and the `vitron-agent eval` commands."""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import struct
import tarfile
from pathlib import Path

import numpy as np
import pytest

from vitron_agent.core.errors import ConfigError
from vitron_agent.evaluation.harness import (
    Truth,
    box_iou,
    load_labelled,
    match_detections,
    name_matches,
    score_expressions,
)
from vitron_agent.evaluation.refcoco import Expression, ann_mask, load_refs, load_refset, rle_decode

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "benchmarks" / "recognition"


def py2_pickle(obj) -> bytes:
    """Protocol 2 as Python 2 wrote RefCOCO's refs: str as SHORT_BINSTRING (bytes), unicode as
    BINUNICODE, ints as BININT, lists / dicts built with MARK ... APPENDS / SETITEMS."""

    def enc(o) -> bytes:
        if isinstance(o, bytes):
            return b"U" + bytes([len(o)]) + o
        if isinstance(o, str):
            u = o.encode("utf-8")
            return b"X" + struct.pack("<I", len(u)) + u
        if isinstance(o, bool | int):
            return b"J" + struct.pack("<i", int(o))
        if isinstance(o, list):
            return b"](" + b"".join(enc(v) for v in o) + b"e"
        if isinstance(o, dict):
            return b"}(" + b"".join(enc(k) + enc(v) for k, v in o.items()) + b"u"
        raise TypeError(type(o))

    return b"\x80\x02" + enc(obj) + b"."


def py2_pickle_protocol0(obj) -> bytes:
    """Python 2's default text protocol: S'...' strings, I ints, (l ... a lists, (d ... s dicts."""

    def enc(o) -> bytes:
        if isinstance(o, bytes):
            return b"S'" + o + b"'\n"
        if isinstance(o, int):
            return b"I%d\n" % o
        if isinstance(o, list):
            return b"(l" + b"".join(enc(v) + b"a" for v in o)
        return b"(d" + b"".join(enc(k) + enc(v) + b"s" for k, v in o.items())

    return enc(obj) + b"."


# pycocotools 2.0 `mask.encode` of these masks (recorded; the reader must agree with it)
RLE_SMALL = {"size": [7, 9], "counts": "01>3E00000c0M"}
RLE_DISC = {"size": [24, 30], "counts": "S41c08K2N2N2N2O00000O20N1000001N2N2N2N5Hc02_O00000f0"}


def small_mask() -> np.ndarray:
    m = np.zeros((7, 9), bool)
    m[1:5, 2:6] = True
    m[6, 8] = m[0, 0] = True
    return m


def disc_mask() -> np.ndarray:
    yy, xx = np.mgrid[:24, :30]
    m = ((yy - 11) ** 2 + (xx - 14) ** 2) <= 81
    m[2:5, 25:29] = True
    return m


def test_compressed_rle_decodes_as_pycocotools_encoded_it():
    assert (rle_decode(RLE_SMALL) == small_mask()).all()
    assert (rle_decode(RLE_DISC) == disc_mask()).all() and disc_mask().sum() == 265
    uncompressed = {"size": [2, 3], "counts": [1, 2, 3]}  # column-major: 0, 1 1, 0 0 0
    assert rle_decode(uncompressed).tolist() == [[False, True, False], [True, False, False]]
    with pytest.raises(ConfigError, match="add up"):
        rle_decode({"size": [2, 3], "counts": [1, 2]})


def write_refcoco(folder: Path) -> tuple[Path, Path]:
    """refs(unc).p + instances.json with 3 images, in RefCOCO's layout (file names as COCO's)."""
    images = [
        {"id": 11, "file_name": "COCO_train2014_000000000011.jpg", "width": 9, "height": 7},
        {"id": 12, "file_name": "COCO_train2014_000000000012.jpg", "width": 30, "height": 24},
        {"id": 13, "file_name": "COCO_train2014_000000000013.jpg", "width": 40, "height": 20},
    ]
    anns = [
        {"id": 101, "image_id": 11, "category_id": 17, "bbox": [0, 0, 9, 7], "iscrowd": 1, "segmentation": RLE_SMALL},
        {"id": 102, "image_id": 12, "category_id": 1, "bbox": [5, 2, 24, 19], "iscrowd": 0, "segmentation": RLE_DISC},
        {
            "id": 103,
            "image_id": 13,
            "category_id": 1,
            "bbox": [10, 5, 20, 10],
            "iscrowd": 0,
            "segmentation": [[10, 5, 30, 5, 30, 15, 10, 15]],
        },
    ]
    cats = [
        {"id": 1, "name": "person", "supercategory": "person"},
        {"id": 17, "name": "cat", "supercategory": "animal"},
    ]
    refs = []
    for rid, (ann, split, sents) in enumerate(
        [(101, "val", [b"cat on left", b"the cat"]), (102, "val", [b"man in red"]), (103, "train", ["caf\u00e9 man"])],
        start=1,
    ):
        a = next(x for x in anns if x["id"] == ann)
        im = next(x for x in images if x["id"] == a["image_id"])
        refs.append(
            {
                b"sent_ids": [rid * 10 + i for i in range(len(sents))],
                b"file_name": im["file_name"].replace(".jpg", f"_{ann}.jpg").encode(),
                b"ann_id": ann,
                b"ref_id": rid,
                b"image_id": a["image_id"],
                b"split": split.encode(),
                b"sentences": [
                    {b"tokens": s.split(), b"raw": s, b"sent_id": rid * 10 + i, b"sent": s} for i, s in enumerate(sents)
                ],
                b"category_id": a["category_id"],
            }
        )
    (folder / "refs(unc).p").write_bytes(py2_pickle(refs))
    (folder / "instances.json").write_text(json.dumps({"images": images, "annotations": anns, "categories": cats}))
    return folder / "refs(unc).p", folder / "instances.json"


def test_refcoco_reader_on_the_real_formats(tmp_path):
    refs_path, inst = write_refcoco(tmp_path)
    refs = load_refs(refs_path)
    assert [r["ref_id"] for r in refs] == [1, 2, 3] and refs[0]["sentences"][1]["sent"] == "the cat"
    val = load_refset(refs_path, inst, "val")
    assert [e.sentence for e in val.expressions] == ["cat on left", "the cat", "man in red"]
    first = val.expressions[0]
    assert first.file_name == "COCO_train2014_000000000011.jpg" and first.category == "cat"
    assert first.box == (0.0, 0.0, 9.0, 7.0) and (first.mask() == small_mask()).all()
    assert (val.expressions[2].mask() == disc_mask()).all()
    train = load_refset(refs_path, inst, "train").expressions
    assert train[0].sentence == "café man" and train[0].mask().sum() == 21 * 11  # polygon, edges included
    assert len(load_refset(refs_path, inst).expressions) == 4
    with pytest.raises(ConfigError, match="splits there: train, val"):
        load_refset(refs_path, inst, "testA")
    # the same refs written with Python 2's default (text) protocol
    text = [r for r in refs if r["split"] == "val"]
    raw = [
        {
            **{k.encode(): (v.encode() if isinstance(v, str) else v) for k, v in r.items() if k != "sentences"},
            b"sentences": [{b"sent": s["sent"].encode(), b"sent_id": s["sent_id"]} for s in r["sentences"]],
        }
        for r in text
    ]
    (tmp_path / "refs(umd).p").write_bytes(py2_pickle_protocol0(raw))
    again = load_refset(tmp_path / "refs(umd).p", inst, "val")
    assert [e.sentence for e in again.expressions] == [e.sentence for e in val.expressions]


def test_a_pickle_that_names_code_is_refused_not_run(tmp_path):
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    path = tmp_path / "refs(unc).p"
    path.write_bytes(pickle.dumps([Evil()], protocol=2))
    with pytest.raises(ConfigError, match=r"names \S*system.*refused"):
        load_refs(path)
    assert not marker.exists()
    path.write_bytes(py2_pickle([{b"ref_id": 1}]))
    with pytest.raises(ConfigError, match="RefCOCO layout"):
        load_refs(path)


def expr(box, seg, h=10, w=10, sentence="the thing", image_id=1) -> Expression:
    return Expression(sentence, 1, 1, 1, image_id, "x.png", w, h, box, seg, "thing")


def test_ciou_and_giou_are_the_papers_definitions():
    """One big region found exactly, one small region refused: cIoU weighs by area, gIoU does not."""
    big = expr((0, 0, 10, 8), [[0, 0, 10, 0, 10, 8, 0, 8]], sentence="big")
    small = expr((0, 8, 2, 10), [[0, 8, 2, 8, 2, 10, 0, 10]], sentence="small")
    truth = {e.sentence: ann_mask(e.segmentation, 10, 10) for e in (big, small)}

    def method(image, sentence):
        return ((0, 0, 10, 8), truth["big"]) if sentence == "big" else (None, None)

    s = score_expressions([big, small], lambda e: np.zeros((10, 10, 3), np.uint8), method).summary()
    a_big, a_small = int(truth["big"].sum()), int(truth["small"].sum())
    assert s["cIoU"] == pytest.approx(a_big / (a_big + a_small)) and s["cIoU"] > 0.9
    assert s["gIoU"] == pytest.approx(0.5)
    assert s["hit_rate"] == 0.5 and s["refused"] == 1


def test_a_mask_alone_is_scored_by_its_box():
    e = expr((2, 2, 6, 6), [[2, 2, 6, 2, 6, 6, 2, 6]])
    m = ann_mask(e.segmentation, 10, 10)
    s = score_expressions([e], lambda e: np.zeros((10, 10, 3), np.uint8), lambda im, s: (None, m)).summary()
    assert s["hit_rate"] == 1.0 and s["gIoU"] == 1.0


def test_detections_match_once_by_name_and_iou():
    cat, dog = Truth("cat", (0, 0, 10, 10), in_coco=True), Truth("dog", (20, 0, 30, 10), in_coco=True)
    exact = lambda t, label: name_matches(t, label)  # noqa: E731
    found = [("cat", (0, 0, 10, 10), 0.9), ("cat", (1, 0, 10, 10), 0.8), ("cat", (20, 0, 30, 10), 0.7)]
    right, hit = match_detections(found, [cat, dog], exact)
    assert right == 1 and hit == [True, False]  # the duplicate and the misnamed dog are wrong
    assert match_detections([("dog", (24, 0, 34, 10), 0.9)], [dog], exact)[0] == 0  # IoU 0.43
    assert box_iou((24, 0, 34, 10), (20, 0, 30, 10)) == pytest.approx(6 / 14)
    assert name_matches(Truth("dining table", (0, 0, 1, 1), ("table",)), "Table")
    assert name_matches(Truth("cat", (0, 0, 1, 1)), "tabby", wordnet=lambda w, n: (w, n) == ("cat", "tabby"))


def test_the_labelled_set_is_whole_and_its_halves_apart():
    photos = json.loads((SET / "photos.json").read_text())["photos"]
    assert len(photos) >= 25 and len({p["sha256"] for p in photos}) == len(photos)
    assert not any("opencv" in p["source"].lower() or "mate-backgrounds" in p["source"] for p in photos)
    halves = {h: load_labelled(SET / h / "instances.json") for h in ("tune", "heldout")}
    files = {h: {im.file_name for im in v} for h, v in halves.items()}
    assert not files["tune"] & files["heldout"] and files["tune"] | files["heldout"] == {p["file"] for p in photos}
    used_here = {
        "astronaut",
        "camera",
        "chelsea",
        "coffee",
        "motorcycle_left",
        "rocket",
        "coins",
    }  # by tests/benchmarks
    sources = {p["file"]: p["source"] for p in photos}
    assert not [f for f in files["heldout"] if sources[f].rsplit("/", 1)[-1].split(".")[0] in used_here]
    objects = [t for v in halves.values() for im in v for t in im.objects]
    assert len(objects) >= 100 and sum(not t.in_coco for t in objects) >= 30
    for v in halves.values():
        for im in v:
            assert all(
                0 <= t.box[0] < t.box[2] <= im.width and 0 <= t.box[1] < t.box[3] <= im.height for t in im.objects
            )
    n_refs = 0
    for h in halves:
        refset = load_refset(SET / h / "refs.json", SET / h / "instances.json")
        n_refs += len({e.ref_id for e in refset.expressions})
        assert all(e.sentence.startswith(("the ", "her ")) for e in refset.expressions)
        assert all(e.mask().any() and e.mask()[int(e.box[1]) :, int(e.box[0]) :].any() for e in refset.expressions)
    assert n_refs >= 40


def make_deb(files: dict[str, bytes]) -> bytes:
    """A Debian package's bytes: an ar archive of debian-binary, control.tar.xz and data.tar.xz."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:xz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo("./" + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    members = [("debian-binary", b"2.0\n"), ("control.tar.xz", b"x"), ("data.tar.xz", buf.getvalue())]
    out = b"!<arch>\n"
    for name, data in members:
        out += f"{name:<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(data):<10}`\n".encode() + data + b"\n" * (len(data) % 2)
    return out


def test_a_photo_comes_out_of_a_debian_package():
    from vitron_agent.evaluation.photos import deb_member

    deb = make_deb({"usr/share/backgrounds/a.jpg": b"JPEG!", "usr/share/doc/x/copyright": b"CC0"})
    assert deb_member(deb, "usr/share/backgrounds/a.jpg") == b"JPEG!"
    with pytest.raises(ConfigError, match="no file"):
        deb_member(deb, "usr/share/backgrounds/b.jpg")


def test_photos_are_pinned_and_scaled(tmp_path):
    from vitron_agent.evaluation.photos import fetch_photos

    chelsea = Path(__import__("skimage").__file__).parent / "data" / "chelsea.png"
    digest = hashlib.sha256(chelsea.read_bytes()).hexdigest()
    manifest = tmp_path / "photos.json"
    entry = {"id": "cat", "file": "cat.png", "source": "python:skimage/data/chelsea.png", "sha256": digest}
    manifest.write_text(json.dumps({"max_side": 200, "photos": [entry]}))
    out = fetch_photos(manifest, tmp_path / "cache", log=lambda m: None)
    from PIL import Image

    assert Image.open(out["cat"]).size == (200, 133)  # 451x300 scaled to 200 on the long side
    out["cat"].write_bytes(b"not the photo")  # a cached file changed since: fetched again
    fetch_photos(manifest, tmp_path / "cache", log=lambda m: None)
    assert Image.open(out["cat"]).size == (200, 133)
    manifest.write_text(json.dumps({"photos": [{**entry, "file": "other.png", "sha256": "0" * 64}]}))
    with pytest.raises(ConfigError, match="SHA-256 differs"):
        fetch_photos(manifest, tmp_path / "cache", log=lambda m: None)
    assert not (tmp_path / "cache" / "other.png").exists()


def test_eval_detections_scores_a_coco_results_file(tmp_path, capsys):
    from vitron_agent.cli import main

    inst = tmp_path / "instances.json"
    inst.write_text(
        json.dumps(
            {
                "images": [{"id": 1, "file_name": "a.png", "width": 50, "height": 50}],
                "annotations": [
                    {"id": 1, "image_id": 1, "category_id": 17, "bbox": [0, 0, 20, 20]},
                    {"id": 2, "image_id": 1, "category_id": 1, "bbox": [25, 25, 20, 20]},
                ],
                "categories": [{"id": 1, "name": "person"}, {"id": 17, "name": "cat"}],
            }
        )
    )
    results = tmp_path / "results.json"
    results.write_text(
        json.dumps(
            [
                {"image_id": 1, "category_id": 17, "bbox": [1, 1, 20, 20], "score": 0.9},
                {"image_id": 1, "category_id": 17, "bbox": [25, 25, 20, 20], "score": 0.8},
                {"image_id": 1, "category_id": 1, "bbox": [25, 25, 20, 20], "score": 0.1},
            ]
        )
    )
    assert main(["eval", "detections", "--results", str(results), "--instances", str(inst), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"recall": 0.5, "precision": 0.5, "reported": 2}  # the 0.1 person is below --min-score


def test_eval_refcoco_says_what_is_missing(tmp_path, capsys):
    from vitron_agent.cli import main

    refs_path, inst = write_refcoco(tmp_path)
    args = ["eval", "refcoco", "--refs", str(refs_path), "--instances", str(inst), "--method", "resolver"]
    assert main([*args, "--images", str(tmp_path / "nowhere")]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert main([*args, "--images", str(tmp_path), "--split", "testB"]) == 2
    assert "no refs in split 'testB'" in capsys.readouterr().err


def test_eval_refcoco_runs_the_resolver_on_real_photos(tmp_path, capsys):
    """A RefCOCO-layout set over scikit-image's photos, through the real detector and resolver:
    the cat and the cup are found, a unicorn is refused (IoU 0), and the figures say so."""
    from PIL import Image
    from skimage import data

    from vitron_agent.cli import main

    Image.fromarray(data.chelsea()).save(tmp_path / "chelsea.png")
    Image.fromarray(data.coffee()).save(tmp_path / "coffee.png")
    cup = [172, 100, 180, 60, 230, 25, 300, 18, 370, 30, 410, 60, 415, 100, 400, 170, 360, 240, 250, 262, 200, 295]
    inst = {
        "images": [
            {"id": 1, "file_name": "chelsea.png", "width": 451, "height": 300},
            {"id": 2, "file_name": "coffee.png", "width": 600, "height": 400},
        ],
        "annotations": [
            {
                "id": 1,
                "image_id": 1,
                "category_id": 17,
                "bbox": [0, 0, 451, 300],
                "segmentation": [[0, 0, 451, 0, 451, 300, 0, 300]],
            },
            {"id": 2, "image_id": 2, "category_id": 47, "bbox": [172, 18, 243, 282], "segmentation": [cup]},
        ],
        "categories": [{"id": 17, "name": "cat"}, {"id": 47, "name": "cup"}],
    }
    sents = {1: ["the cat"], 2: ["the cup", "the unicorn"]}
    refs = [
        {
            "ref_id": i,
            "ann_id": i,
            "image_id": i,
            "file_name": "",
            "category_id": 0,
            "split": "val",
            "sent_ids": [],
            "sentences": [{"sent_id": 10 * i + k, "sent": s} for k, s in enumerate(sents[i])],
        }
        for i in (1, 2)
    ]
    (tmp_path / "instances.json").write_text(json.dumps(inst))
    (tmp_path / "refs.json").write_text(json.dumps(refs))
    argv = ["eval", "refcoco", "--refs", str(tmp_path / "refs.json"), "--instances", str(tmp_path / "instances.json")]
    assert main([*argv, "--images", str(tmp_path), "--method", "resolver", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["expressions"] == 3 and out["refused"] == 1 and out["hit_rate"] == pytest.approx(2 / 3)
    assert 0.5 < out["cIoU"] < 1 and out["gIoU"] < 2 / 3
    # the whole agent ("segment the cat"), which answers with a mask and no box
    assert main([*argv, "--images", str(tmp_path), "--method", "agent", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "agent" and out["expressions"] == 3 and out["refused"] >= 1 and out["hit_rate"] >= 1 / 3


def test_eval_recognition_runs_on_a_set_of_its_layout(tmp_path, capsys, monkeypatch):
    """The whole command on a two-photo set in the project's layout (photos from scikit-image,
    pinned): every stage reports, the counts are the set's, and the table names each detector."""
    from vitron_agent.cli import main

    folder = tmp_path / "set"
    photos = []
    for name in ("chelsea", "coffee"):
        src = Path(__import__("skimage").__file__).parent / "data" / f"{name}.png"
        digest = hashlib.sha256(src.read_bytes()).hexdigest()
        photos.append(
            {"id": name, "file": f"{name}.png", "source": f"python:skimage/data/{name}.png", "sha256": digest}
        )
    (folder / "tune").mkdir(parents=True)
    (folder / "photos.json").write_text(json.dumps({"max_side": 1024, "photos": photos}))
    inst = {
        "images": [
            {"id": 1, "file_name": "chelsea.png", "width": 451, "height": 300},
            {"id": 2, "file_name": "coffee.png", "width": 600, "height": 400},
        ],
        "annotations": [
            {"id": 1, "image_id": 1, "category_id": 17, "bbox": [0, 0, 451, 300]},
            {"id": 2, "image_id": 2, "category_id": 47, "bbox": [172, 18, 243, 282]},
            {"id": 3, "image_id": 2, "category_id": 100, "bbox": [75, 65, 405, 325]},
        ],
        "categories": [
            {"id": 17, "name": "cat", "in_coco": True},
            {"id": 47, "name": "cup", "in_coco": True},
            {"id": 100, "name": "saucer", "in_coco": False},
        ],
    }
    refs = [
        {"ref_id": 1, "ann_id": 1, "image_id": 1, "sentences": [{"sent_id": 1, "sent": "the cat"}]},
        {"ref_id": 2, "ann_id": 2, "image_id": 2, "sentences": [{"sent_id": 2, "sent": "the cup"}]},
    ]
    (folder / "tune" / "instances.json").write_text(json.dumps(inst))
    (folder / "tune" / "refs.json").write_text(json.dumps(refs))
    argv = ["eval", "recognition", "--set", str(folder), "--half", "tune", "--no-agent"]
    monkeypatch.setenv("VITRON_EVAL_DIR", str(tmp_path / "cache"))
    assert main([*argv, "--json", "--save-detections", str(tmp_path / "dets")]) == 0
    r = json.loads(capsys.readouterr().out)["tune"]
    for model, d in r["detectors"].items():  # the saved COCO results score as the table said
        results = tmp_path / "dets" / f"tune-{model}.json"
        assert (
            main(
                [
                    "eval",
                    "detections",
                    "--results",
                    str(results),
                    "--instances",
                    str(folder / "tune" / "instances.json"),
                    "--json",
                ]
            )
            == 0
        )
        again = json.loads(capsys.readouterr().out)
        assert (again["recall"], again["precision"], again["reported"]) == (d["recall"], d["precision"], d["reported"])
    assert (r["photos"], r["objects"], r["objects_coco"], r["sentences"]) == (2, 3, 2, 2)
    assert r["detectors"] and all(
        0 <= d["recall"] <= 1 and 0 <= d["recall_any_name"] <= 1 for d in r["detectors"].values()
    )
    assert all(d["recall"] <= 2 / 3 for d in r["detectors"].values())  # nothing names a saucer
    assert all(d["recall"] <= d["recall_with_classifier"] <= 1 for d in r["detectors"].values())
    assert r["referring"]["resolver"]["expressions"] == 2
    assert r["naming"]["objects"] == 3 and r["naming"]["nameable"] >= 2  # ImageNet has tabby and cup classes
    assert main([*argv, "--misses"]) == 0
    table = capsys.readouterr().out
    assert (
        "tune: named wrong (label -> the classifier's top-1):" in table
        and "tune: expressions the resolver missed:" in table
    )
    assert "== tune half: 2 photos, 3 labelled objects (2 of COCO's classes)" in table
    assert all(name in table for name in r["detectors"])
