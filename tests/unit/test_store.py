import json
import os

import numpy as np
import pytest

from vitron_agent.core.errors import RefError
from vitron_agent.core.refs import ImageRef
from vitron_agent.storage.store import ArrayCache, ArtifactStore


def test_images_are_content_addressed_and_deduplicated(store):
    img = np.random.default_rng(0).integers(0, 255, (20, 30, 3), dtype=np.uint8)
    a = store.put_image(img, producer="s1")
    b = store.put_image(img.copy(), producer="s2")
    assert a.id == b.id and len(a.id) == 64
    assert (a.width, a.height) == (30, 20)
    files = sorted(p.name for p in store.dir.iterdir())
    assert files == [f"{a.id}.json", f"{a.id}.png"]
    meta = json.loads((store.dir / f"{a.id}.json").read_text())
    assert meta["shape"] == [20, 30, 3] and meta["dtype"] == "uint8" and meta["producer"] == "s1"
    other = store.put_image(255 - img)
    assert other.id != a.id


def test_image_mask_and_feature_round_trip(tmp_path):
    store = ArtifactStore(tmp_path, "s", cache_bytes=0)  # no cache: every read decodes the file
    img = np.random.default_rng(1).integers(0, 255, (9, 7, 3), dtype=np.uint8)
    ref = store.put_image(img)
    np.testing.assert_array_equal(store.get_image(ref), img)
    mask = np.zeros((9, 7), bool)
    mask[2:5, 1:3] = True
    mref = store.put_mask(mask, image=ref)
    assert mref.area == pytest.approx(6 / 63) and mref.image == ref.id
    np.testing.assert_array_equal(store.get_mask(mref), mask)
    from PIL import Image

    with Image.open(store.path(mref)) as im:  # a 1-bit PNG any viewer opens
        assert im.mode == "1" and (np.asarray(im.convert("L")) > 127).tolist() == mask.tolist()
    t = np.arange(24, dtype=np.float16).reshape(2, 3, 4)
    fref = store.put_feature(t, kind="test_embedding", producer="s1")
    assert fref.shape == (2, 3, 4) and fref.dtype == "float16"
    np.testing.assert_array_equal(store.get_feature(fref), t)
    assert store.path(fref).suffix == ".safetensors"


def test_a_cut_out_is_stored_with_its_alpha_and_read_on_white(tmp_path):
    from PIL import Image

    store = ArtifactStore(tmp_path, "s", cache_bytes=0)
    rgba = np.random.default_rng(2).integers(0, 255, (8, 6, 4), dtype=np.uint8)
    rgba[:4, :, 3] = 0
    rgba[4:, :, 3] = 255
    ref = store.put_image(rgba)
    assert store.has_alpha(ref) and not store.has_alpha(store.put_image(rgba[..., :3]))
    assert ref.id != store.put_image(rgba[..., :3]).id
    np.testing.assert_array_equal(store.get_image_rgba(ref), rgba)
    rgb = store.get_image(ref)
    assert rgb.shape == (8, 6, 3) and (rgb[:4] == 255).all() and np.array_equal(rgb[4:], rgba[4:, :, :3])
    with Image.open(store.path(ref)) as im:
        assert im.mode == "RGBA"
    Image.fromarray(255 - rgba).save(store.path(ref))  # swapped content: caught, not used
    from vitron_agent.core.errors import ToolFailed

    with pytest.raises(ToolFailed, match="does not match its id"):
        ArtifactStore(tmp_path, "s", cache_bytes=0).get_image(ref)


def test_keyed_feature_is_found_again(store):
    assert store.find_feature("sam_image_embedding", "img123") is None
    ref = store.put_feature(np.ones((2, 2), np.float32), kind="sam_image_embedding", key="img123")
    assert store.find_feature("sam_image_embedding", "img123") == ref


def test_returned_arrays_are_read_only(store):
    ref = store.put_image(np.zeros((4, 4, 3), np.uint8))
    arr = store.get_image(ref)
    with pytest.raises(ValueError):
        arr[0, 0, 0] = 1


def test_another_sessions_ref_is_an_error_not_a_read(tmp_path):
    a = ArtifactStore(tmp_path, "alice")
    b = a.for_session("bob")
    ref = a.put_image(np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(RefError, match="belongs to session 'alice'"):
        b.get_image(ref)
    forged = ImageRef(id=ref.id, session="bob", width=4, height=4)
    with pytest.raises(RefError, match="does not exist in session 'bob'"):
        b.get_image(forged)


def test_missing_and_malformed_refs(store):
    missing = ImageRef(id="0" * 64, session=store.session, width=2, height=2)
    with pytest.raises(RefError, match="does not exist"):
        store.get_image(missing)
    with pytest.raises(RefError, match="SHA-256"):
        store.get_image(ImageRef(id="../../etc/passwd", session=store.session, width=2, height=2))


@pytest.mark.parametrize("bad", ["", "../x", "a/b", ".hidden", "x" * 200, "a b"])
def test_session_ids_are_safe_folder_names(tmp_path, bad):
    with pytest.raises(ValueError, match="invalid session id"):
        ArtifactStore(tmp_path, bad)


def test_lru_cache_respects_byte_budget():
    cache = ArrayCache(max_bytes=1000)
    for i in range(5):
        cache.put(("s", str(i)), np.zeros(400, np.uint8), 400)
    assert cache.nbytes <= 1000 and len(cache) == 2
    assert cache.get(("s", "0")) is None and cache.get(("s", "4")) is not None
    cache.put(("s", "big"), np.zeros(5000, np.uint8), 5000)  # larger than the budget: not cached
    assert cache.get(("s", "big")) is None and cache.nbytes <= 1000


def test_store_reads_hit_the_cache(tmp_path):
    store = ArtifactStore(tmp_path, "s", cache_bytes=10_000_000)
    ref = store.put_image(np.zeros((10, 10, 3), np.uint8))
    hits = store.cache.hits
    store.get_image(ref)
    assert store.cache.hits == hits + 1


def test_crash_between_data_and_metadata_leaves_no_usable_ref(store, monkeypatch):
    import vitron_agent.storage.store as store_mod

    real = store_mod._atomic_write
    calls = []

    def crash_on_metadata(path, data):
        calls.append(path.suffix)
        if path.suffix == ".json":
            raise OSError("simulated crash")
        real(path, data)

    monkeypatch.setattr(store_mod, "_atomic_write", crash_on_metadata)
    img = np.full((3, 3, 3), 7, np.uint8)
    with pytest.raises(OSError):
        store.put_image(img)
    assert calls == [".png", ".json"]  # data first, metadata last
    monkeypatch.setattr(store_mod, "_atomic_write", real)
    assert not list(store.dir.glob("*.tmp")) and not list(store.dir.glob(".*.tmp"))
    ref = store.put_image(img)  # a retry completes the artifact
    assert store.exists(ref)


def test_temporary_files_of_a_killed_writer_are_swept_and_a_live_writers_kept(tmp_path):
    import subprocess
    import sys

    from vitron_agent.storage.store import ArtifactStore

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    live_pid = os.getppid()  # the process that started this test: running
    folder = tmp_path / "s1"
    folder.mkdir()
    orphans = [f".abc.png.{dead_pid}.k2j4_x9a.tmp", f".video.{dead_pid}.140.99812.tmp.mp4"]
    kept = [f".abc.png.{live_pid}.k2j4_x9a.tmp", f".video.{live_pid}.140.99812.tmp.mp4", "notes.tmp"]
    for name in orphans + kept:
        (folder / name).write_bytes(b"half")
    ArtifactStore(tmp_path, "s1")
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted(kept)
