"""`fetch-weights` trusts neither the folder it writes to nor the archive it reads (issue 40): a
link planted at the file or at its temporary name is replaced, never written through; a member's
declared size is checked before a byte is read; link members are refused with a clear error.
npm is a small stand-in program that hands back the archive the test built."""

import hashlib
import io
import stat
import tarfile
from pathlib import Path

import pytest

from vitron_agent.core.errors import ConfigError
from vitron_agent.loading import weights
from vitron_agent.loading.weights import EMBEDDED, Embedded, fetch_npm

DATA = b"pinned weights " * 100
INNER = "models/w.bin"


def _npm(tmp_path: Path, monkeypatch, members) -> Path:
    """A fake npm whose `pack` copies a tarball of ``members`` (TarInfo, bytes | None) into place;
    EMBEDDED gains the entry "testw" pinned to DATA. Returns VITRON_NPM_DIR."""
    tgz = tmp_path / "pkg" / "testpkg-1.0.0.tgz"
    tgz.parent.mkdir()
    with tarfile.open(tgz, "w:gz") as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    fake = tmp_path / "bin" / "npm"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\ncp {tgz} "$4"/\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    monkeypatch.setenv("VITRON_NPM_DIR", str(tmp_path / "npm"))
    monkeypatch.setitem(
        EMBEDDED, "testw", Embedded(f"npm:testpkg@1.0.0/{INNER}", hashlib.sha256(DATA).hexdigest(), "test", "test")
    )
    return tmp_path / "npm"


def _file(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def _link(name: str, target: str, hard: bool = False) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = tarfile.LNKTYPE if hard else tarfile.SYMTYPE
    info.linkname = target
    return info, None


@pytest.mark.parametrize("planted_at", ["part", "file"])
def test_a_planted_link_is_replaced_never_written_through(tmp_path, monkeypatch, planted_at):
    root = _npm(tmp_path, monkeypatch, [_file(f"package/{INNER}", DATA)])
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch")
    target = root / "testpkg@1.0.0" / INNER
    target.parent.mkdir(parents=True)
    (target.with_name(target.name + ".part") if planted_at == "part" else target).symlink_to(victim)
    assert fetch_npm(["testw"], log=lambda msg: None) == [target]
    assert victim.read_text() == "do not touch"
    assert not target.is_symlink() and target.read_bytes() == DATA


def test_a_folder_link_leading_outside_is_refused(tmp_path, monkeypatch):
    root = _npm(tmp_path, monkeypatch, [_file(f"package/{INNER}", DATA)])
    outside = tmp_path / "outside"
    outside.mkdir()
    root.mkdir()
    (root / "testpkg@1.0.0").symlink_to(outside)
    with pytest.raises(ConfigError, match="leads outside"):
        fetch_npm(["testw"], log=lambda msg: None)
    assert not any(outside.rglob("*"))


def test_a_member_is_bounded_by_its_declared_size_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(weights, "MAX_MEMBER_BYTES", 1_000_000)
    bomb = b"\0" * 20_000_000  # 20 MB of zeros: a ~20 KB archive
    _npm(tmp_path, monkeypatch, [_file(f"package/{INNER}", bomb)])
    read = []
    real = tarfile.ExFileObject.read
    monkeypatch.setattr(tarfile.ExFileObject, "read", lambda self, *a: read.append(a) or real(self, *a))
    with pytest.raises(ConfigError, match="declares 20,000,000 bytes, over the 1,000,000-byte limit; not read"):
        fetch_npm(["testw"], log=lambda msg: None)
    assert read == []  # refused from the header: not a byte of the member was read


@pytest.mark.parametrize("hard", [False, True], ids=["symlink", "hardlink"])
def test_link_members_are_refused_with_a_clear_error(tmp_path, monkeypatch, hard):
    _npm(tmp_path, monkeypatch, [_file("package/models/real.bin", DATA), _link(f"package/{INNER}", "real.bin", hard)])
    with pytest.raises(ConfigError, match=f"is a {'hard' if hard else 'symbolic'} link to 'real.bin'.*refused"):
        fetch_npm(["testw"], log=lambda msg: None)


def test_the_command_refuses_in_one_line(tmp_path, monkeypatch):
    import argparse

    from vitron_agent.cli.turn_commands import fetch_weights

    root = _npm(tmp_path, monkeypatch, [_link(f"package/{INNER}", "/etc/passwd")])
    monkeypatch.setattr(weights, "EMBEDDED", {"testw": EMBEDDED["testw"]})  # only the test's package
    with pytest.raises(ConfigError) as err:  # the CLI prints a ConfigError as one line, exit 2
        fetch_weights(argparse.Namespace(quiet=True))
    assert "\n" not in str(err.value) and "is a symbolic link to '/etc/passwd'" in str(err.value)
    assert not any(root.rglob("w.bin"))


def test_the_classifier_export_writes_through_no_planted_link(tmp_path, monkeypatch):
    from vitron_agent.loading.weights import embedded_available
    from vitron_agent.perception.classifier_export import export_classifier, onnx_path

    if not embedded_available("efficientnet_lite2"):
        pytest.skip("the EfficientNet-Lite2 weights are not installed (make install fetches them)")
    monkeypatch.setenv("VITRON_CLASSIFIER_DIR", str(tmp_path / "classifier"))
    path = onnx_path(64)
    path.parent.mkdir()
    victims = []
    for i, planted in enumerate((path, path.with_name(path.name + ".part"), path.with_suffix(".source"))):
        victims.append(tmp_path / f"victim{i}.txt")
        victims[-1].write_text("do not touch")
        planted.symlink_to(victims[-1])
    assert export_classifier(log=lambda msg: None, force=True, sizes=(64,)) == [path]
    assert all(v.read_text() == "do not touch" for v in victims)
    assert not path.is_symlink() and path.read_bytes()[:2] != b"do" and path.stat().st_size > 1_000_000
