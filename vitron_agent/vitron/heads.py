"""Projection heads for Vitron's continuous signals.

The last-layer hidden state of a ``[SEG]`` token is projected into SAM's prompt space
(a sparse prompt for the mask decoder, LISA-style); that of a ``[GEN]`` token into the
diffusion text encoder's space (``prompt_embeds`` of ``gen_tokens`` x ``gen_dim``).

Checkpoint format (optional, in the planner's checkpoint folder):

* ``heads.json``: ``{"hidden": H, "seg_dim": S, "gen_tokens": T, "gen_dim": D}``, optionally
  ``"seg_offset"`` / ``"gen_offset"``: which hidden state the head was trained on, relative to
  the token's position. LISA (dvlab-research/LISA ``model/LISA.py``) takes the state *before*
  ``[SEG]`` (``input_ids[:, 1:] == seg_token_idx``: the state that predicts ``[SEG]``), so
  ``seg_offset`` defaults to -1; ``gen_offset`` defaults to 0 (the token's own state).
* ``heads.safetensors``: ``seg.0.weight`` (H x H), ``seg.0.bias`` (H), ``seg.2.weight`` (S x H),
  ``seg.2.bias`` (S), ``gen.weight`` (T*D x H), ``gen.bias`` (T*D) -- the state dict of
  :class:`ProjectionHeads`.

Without them the heads are random-initialised (seed 0) and the plan says so: the
pipeline runs, but the embeddings carry no trained meaning.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch  # this module is imported only when a Vitron planner loads

__all__ = ["ProjectionHeads", "load_heads", "save_heads"]


class ProjectionHeads(torch.nn.Module):
    """seg: MLP H -> S; gen: linear H -> T x D."""

    def __init__(self, hidden: int, seg_dim: int, gen_tokens: int, gen_dim: int):
        super().__init__()
        self.dims = {"hidden": hidden, "seg_dim": seg_dim, "gen_tokens": gen_tokens, "gen_dim": gen_dim}
        self.seg = torch.nn.Sequential(
            torch.nn.Linear(hidden, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, seg_dim)
        )
        self.gen = torch.nn.Linear(hidden, gen_tokens * gen_dim)

    def project_seg(self, h: torch.Tensor) -> torch.Tensor:
        """(N, H) -> (N, S)"""
        return self.seg(h)

    def project_gen(self, h: torch.Tensor) -> torch.Tensor:
        """(N, H) -> (N, T, D)"""
        return self.gen(h).view(h.shape[0], self.dims["gen_tokens"], self.dims["gen_dim"])


def load_heads(folder: str | Path | None, hidden: int, seg_dim: int, gen_tokens: int, gen_dim: int) -> tuple[Any, bool]:
    """(heads, trained): from ``heads.json`` / ``heads.safetensors`` in ``folder`` when present,
    else random-initialised (seed 0) with the given dims and ``trained=False``."""
    cls = ProjectionHeads
    if folder is not None:
        meta, weights = Path(folder) / "heads.json", Path(folder) / "heads.safetensors"
        if meta.is_file() and weights.is_file():
            from safetensors.torch import load_file

            dims = json.loads(meta.read_text())
            heads = cls(dims["hidden"], dims["seg_dim"], dims["gen_tokens"], dims["gen_dim"])
            heads.load_state_dict(load_file(str(weights)))
            heads.dims.update({k: int(dims[k]) for k in ("seg_offset", "gen_offset") if k in dims})
            return heads.eval(), True
    gen = torch.Generator().manual_seed(0)
    heads = cls(hidden, seg_dim, gen_tokens, gen_dim)
    with torch.no_grad():
        for p in heads.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.02)
    return heads.eval(), False


def save_heads(heads: Any, folder: str | Path) -> None:
    from safetensors.torch import save_file

    folder = Path(folder)
    (folder / "heads.json").write_text(json.dumps(heads.dims))
    save_file({k: v.contiguous() for k, v in heads.state_dict().items()}, str(folder / "heads.safetensors"))
