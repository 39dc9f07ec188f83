"""The registry answers the per-step questions (``traits``, ``discover``) without listing the tools
folder or reading every backend's fields again, and still sees what was registered since."""

from __future__ import annotations

import pkgutil

from pydantic import BaseModel

from vitron_agent.core.refs import Box, ImageRef, MaskRef
from vitron_agent.toolkit import registry


class _In(BaseModel):
    image: ImageRef
    box: Box | None = None


class _Out(BaseModel):
    mask: MaskRef


class _Probe:
    name = "probe_lookup"
    description = "test only"
    Input = _In
    Output = _Out


def test_repeated_lookups_do_not_list_the_tools_folder_again(monkeypatch):
    registry.traits("segment")  # listed (once) here at most
    listings = []
    real = pkgutil.iter_modules
    monkeypatch.setattr(pkgutil, "iter_modules", lambda *a, **k: listings.append(1) or real(*a, **k))
    for _ in range(50):
        registry.traits("segment")
        registry.discover()
    assert listings == []


def test_traits_follow_registrations_made_after_a_lookup():
    assert registry.traits("probe_lookup") == registry.Traits("probe_lookup")  # nothing known yet: remembered
    registry.register(registry.Backend(tool="probe_lookup", backend="cv", cls=_Probe))
    try:
        assert registry.traits("probe_lookup").regions == ("box",)  # the new backend's Input is read
        registry.declare(registry.Traits("probe_lookup", role="select", target="box"))
        got = registry.traits("probe_lookup")
        assert (got.role, got.target, got.regions) == ("select", "box", ("box",))
    finally:
        registry.unregister("probe_lookup", "cv")
    assert registry.traits("probe_lookup") == registry.Traits("probe_lookup")  # gone with its last backend
