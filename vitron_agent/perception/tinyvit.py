"""TinyViT image encoder in the layout LiteMedSAM's weights were trained with (MobileSAM's
``tiny_vit_sam.py`` at a 256-pixel input: 1x1 stride-1 patch embedding, 64x64 output grid).

Written here, inference only, so that the embedded ``lite_medsam.pth`` loads without the
package's own code (which imports timm, and timm imports torchvision). Module and parameter
names match the checkpoint's ``image_encoder.*`` keys; the layout follows MobileSAM
(Apache-2.0, https://github.com/ChaoningZhang/MobileSAM).
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_tinyvit", "LITE_MEDSAM_ENCODER"]

LITE_MEDSAM_ENCODER: dict[str, Any] = {
    "img_size": 256,
    "embed_dims": [64, 128, 160, 320],
    "depths": [2, 2, 6, 2],
    "num_heads": [2, 4, 5, 10],
    "window_sizes": [7, 7, 14, 7],
}


def build_tinyvit(
    img_size: int = 256,
    embed_dims: list[int] | None = None,
    depths: list[int] | None = None,
    num_heads: list[int] | None = None,
    window_sizes: list[int] | None = None,
    mlp_ratio: float = 4.0,
    expand: float = 4.0,
    local_conv: int = 3,
    out_chans: int = 256,
) -> Any:
    """A TinyViT (random weights) whose forward maps Bx3xSxS pixels to Bx256x(S/4)x(S/4)."""
    from vitron_agent.loading.tinyvit_layers import TinyViT

    return TinyViT(
        img_size,
        embed_dims or LITE_MEDSAM_ENCODER["embed_dims"],
        depths or LITE_MEDSAM_ENCODER["depths"],
        num_heads or LITE_MEDSAM_ENCODER["num_heads"],
        window_sizes or LITE_MEDSAM_ENCODER["window_sizes"],
        mlp_ratio,
        expand,
        local_conv,
        out_chans,
    )
