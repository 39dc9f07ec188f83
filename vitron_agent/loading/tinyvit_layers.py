"""TinyViT's layers as torch modules (MobileSAM's ``tiny_vit_sam.py`` at LiteMedSAM's shapes):
imported by :func:`vitron_agent.perception.tinyvit.build_tinyvit` only, so torch loads when a model is
built. It lives outside ``tools/`` on purpose: every tool module is imported when a toolbox is
built (backend discovery), and this one imports torch at the top. Attribute names are the
checkpoint's keys."""

from __future__ import annotations

import itertools

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["TinyViT"]


class ConvBN(nn.Sequential):
    def __init__(self, a: int, b: int, ks: int = 1, stride: int = 1, pad: int = 0, groups: int = 1):
        super().__init__()
        self.add_module("c", nn.Conv2d(a, b, ks, stride, pad, 1, groups, bias=False))
        self.add_module("bn", nn.BatchNorm2d(b))


class PatchEmbed(nn.Module):
    def __init__(self, n: int):
        super().__init__()
        self.seq = nn.Sequential(ConvBN(3, n // 2), nn.GELU(), ConvBN(n // 2, n))

    def forward(self, x):
        return self.seq(x)


class MBConv(nn.Module):
    def __init__(self, dim: int, expand: float):
        super().__init__()
        hidden = int(dim * expand)
        self.conv1, self.act1 = ConvBN(dim, hidden), nn.GELU()
        self.conv2, self.act2 = ConvBN(hidden, hidden, 3, 1, 1, groups=hidden), nn.GELU()
        self.conv3, self.act3 = ConvBN(hidden, dim), nn.GELU()

    def forward(self, x):
        y = self.act2(self.conv2(self.act1(self.conv1(x))))
        return self.act3(self.conv3(y) + x)


class PatchMerging(nn.Module):
    def __init__(self, resolution: tuple[int, int], dim: int, out_dim: int):
        super().__init__()
        self.resolution = resolution
        self.act = nn.GELU()
        self.conv1 = ConvBN(dim, out_dim)
        stride = 1 if out_dim in (320, 448, 576) else 2  # MobileSAM keeps the last stage's grid
        self.conv2 = ConvBN(out_dim, out_dim, 3, stride, 1, groups=out_dim)
        self.conv3 = ConvBN(out_dim, out_dim)

    def forward(self, x):
        if x.ndim == 3:
            h, w = self.resolution
            x = x.view(len(x), h, w, -1).permute(0, 3, 1, 2)
        x = self.conv3(self.act(self.conv2(self.act(self.conv1(x)))))
        return x.flatten(2).transpose(1, 2)


class Mlp(nn.Module):
    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.norm, self.fc1, self.fc2, self.act = (
            nn.LayerNorm(dim),
            nn.Linear(dim, hidden),
            nn.Linear(hidden, dim),
            nn.GELU(),
        )

    def forward(self, x):
        return self.fc2(self.act(self.fc1(self.norm(x))))


class Attention(nn.Module):
    def __init__(self, dim: int, key_dim: int, num_heads: int, resolution: tuple[int, int]):
        super().__init__()
        self.num_heads, self.key_dim, self.scale = num_heads, key_dim, key_dim**-0.5
        self.d = key_dim  # attn_ratio 1
        self.dh = self.d * num_heads
        self.norm = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, self.dh + 2 * key_dim * num_heads)
        self.proj = nn.Linear(self.dh, dim)
        points = list(itertools.product(range(resolution[0]), range(resolution[1])))
        offsets: dict[tuple[int, int], int] = {}
        idxs = []
        for p1 in points:
            for p2 in points:
                off = (abs(p1[0] - p2[0]), abs(p1[1] - p2[1]))
                idxs.append(offsets.setdefault(off, len(offsets)))
        self.attention_biases = nn.Parameter(torch.zeros(num_heads, len(offsets)))
        self.register_buffer(
            "attention_bias_idxs", torch.LongTensor(idxs).view(len(points), len(points)), persistent=False
        )

    def forward(self, x):
        b, n, _ = x.shape
        q, k, v = (
            self.qkv(self.norm(x)).view(b, n, self.num_heads, -1).split([self.key_dim, self.key_dim, self.d], dim=3)
        )
        q, k, v = (t.permute(0, 2, 1, 3) for t in (q, k, v))
        bias = self.attention_biases[:, self.attention_bias_idxs]
        attn = ((q @ k.transpose(-2, -1)) * self.scale + bias).softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n, self.dh))


class Block(nn.Module):
    def __init__(
        self, dim: int, resolution: tuple[int, int], num_heads: int, window: int, mlp_ratio: float, local_conv: int
    ):
        super().__init__()
        self.resolution, self.window = resolution, window
        self.attn = Attention(dim, dim // num_heads, num_heads, (window, window))
        self.mlp = Mlp(dim, int(dim * mlp_ratio))
        self.local_conv = ConvBN(dim, dim, local_conv, 1, local_conv // 2, groups=dim)

    def forward(self, x):
        h, w = self.resolution
        b, length, c = x.shape
        ws = self.window
        if h == ws and w == ws:
            y = self.attn(x)
        else:
            y = x.view(b, h, w, c)
            pad_b, pad_r = (ws - h % ws) % ws, (ws - w % ws) % ws
            if pad_b or pad_r:
                y = F.pad(y, (0, 0, 0, pad_r, 0, pad_b))
            ph, pw = h + pad_b, w + pad_r
            nh, nw = ph // ws, pw // ws
            y = y.view(b, nh, ws, nw, ws, c).transpose(2, 3).reshape(b * nh * nw, ws * ws, c)
            y = self.attn(y).view(b, nh, nw, ws, ws, c).transpose(2, 3).reshape(b, ph, pw, c)
            y = y[:, :h, :w].contiguous().view(b, length, c)
        x = x + y
        x = self.local_conv(x.transpose(1, 2).reshape(b, c, h, w)).view(b, c, length).transpose(1, 2)
        return x + self.mlp(x)


class Stage(nn.Module):
    def __init__(self, blocks: list[nn.Module], downsample: nn.Module | None):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)
        self.downsample = downsample

    def forward(self, x):
        for blk in self.blocks:
            x = blk(x)
        return self.downsample(x) if self.downsample is not None else x


class LayerNorm2d(nn.Module):
    def __init__(self, n: int, eps: float = 1e-6):
        super().__init__()
        self.weight, self.bias, self.eps = nn.Parameter(torch.ones(n)), nn.Parameter(torch.zeros(n)), eps

    def forward(self, x):
        u = x.mean(1, keepdim=True)
        s = (x - u).pow(2).mean(1, keepdim=True)
        return self.weight[:, None, None] * ((x - u) / torch.sqrt(s + self.eps)) + self.bias[:, None, None]


class TinyViT(nn.Module):
    def __init__(
        self,
        img_size: int,
        dims: list[int],
        depths: list[int],
        heads: list[int],
        windows: list[int],
        mlp_ratio: float,
        expand: float,
        local_conv: int,
        out_chans: int,
    ):
        super().__init__()
        self.img_size = img_size  # SamPredictor and Sam.preprocess read it
        self.patch_embed = PatchEmbed(dims[0])
        self.layers = nn.ModuleList()
        for i, depth in enumerate(depths):
            scale = 2 ** (i - 1 if i == 3 else i)
            res = (img_size // scale, img_size // scale)
            down = PatchMerging(res, dims[i], dims[min(i + 1, len(dims) - 1)]) if i < len(depths) - 1 else None
            if i == 0:
                blocks = [MBConv(dims[0], expand) for _ in range(depth)]
            else:
                blocks = [Block(dims[i], res, heads[i], windows[i], mlp_ratio, local_conv) for _ in range(depth)]
            self.layers.append(Stage(blocks, down))
        self.grid = img_size // 4
        self.neck = nn.Sequential(
            nn.Conv2d(dims[-1], out_chans, 1, bias=False),
            LayerNorm2d(out_chans),
            nn.Conv2d(out_chans, out_chans, 3, padding=1, bias=False),
            LayerNorm2d(out_chans),
        )

    def forward(self, x):
        x = self.patch_embed(x)
        for layer in self.layers:
            x = layer(x)
        b, _, c = x.shape
        return self.neck(x.view(b, self.grid, self.grid, c).permute(0, 3, 1, 2))
