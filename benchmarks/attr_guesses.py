"""Guessed targets (newcomer s12, class 9): does a step on a target no model singles out wait and ask back,
while a recognised target goes ahead? 21 requests written before the fix (graphs/policy.weak_guess), on
photos found on this machine (none in the recognition set). Tuning half: the newcomer's board, webcam
icon, Groot and garage photo, with three that must go ahead; held out: other photos.

Each case is ``(id, photo, request, want)``; ``want`` is "ask" (the target is not found or only guessed:
right = the step on it held, or the selection refused) or "go" (right = done without a hold). A case
done on a guess counts wrong whatever its warning said. Prints each case and the right count per half.

    .venv/bin/python benchmarks/attr_guesses.py
"""

from __future__ import annotations

import sys
from pathlib import Path

SITE = Path(sys.prefix) / "lib" / "python3.11" / "site-packages"
RUST = Path("/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/share/doc/rust/html/embedded-book/assets")
EVAL = Path(sys.prefix) / "share" / "vitron-agent" / "eval-photos"
PHOTOS = {
    "board": RUST / "f3.jpg",
    "verify": RUST / "verify.jpeg",
    "webcam_icon": Path("/usr/share/icons/Adwaita/512x512/devices/camera-web.png"),
    "groot": SITE / "gradio" / "media_assets" / "images" / "groot.jpeg",
    "hflogo": SITE / "gradio" / "media_assets" / "images" / "hf-logo_transpng.png",
    "jetty": Path(
        "/usr/lib/google-cloud-sdk/platform/google_appengine/google/appengine/tools/java/jetty12/jetty-home/"
        "modules/demo.d/root/images/jetty-pic.png"
    ),
    "moto_r": SITE / "skimage" / "data" / "motorcycle_right.png",
    **{
        k: SITE / "skimage" / "data" / f"{k}.{'jpg' if k in ('rocket', 'retina') else 'png'}"
        for k in ("chelsea", "rocket", "coffee", "astronaut", "retina")
    },
    "cups": EVAL / "cups.png",
    "grace_hopper": EVAL / "grace_hopper.png",
}
TUNE = [
    ("t1", "board", "make the board blue", "ask"),
    ("t2", "webcam_icon", "make the lens red", "ask"),
    ("t3", "board", "what colour is the circuit board?", "ask"),
    ("t4", "board", "what colour is the button?", "ask"),
    ("t5", "groot", "make the moss on his shoulders brighter green", "ask"),
    ("t6", "moto_r", "make the red box green", "ask"),
    ("t7", "board", "highlight the usb connectors", "ask"),
    ("c1", "moto_r", "make the motorbike blue", "go"),
    ("c2", "chelsea", "make the cat purple", "go"),
    ("c3", "jetty", "make the sky darker", "go"),
]
HELD_OUT = [
    ("h1", "rocket", "make the launch tower yellow", "ask"),
    ("h2", "coffee", "make the saucer blue", "ask"),
    ("h3", "cups", "what colour is the handle?", "ask"),
    ("h4", "grace_hopper", "make her glasses red", "ask"),
    ("h5", "astronaut", "what colour is the flag?", "ask"),
    ("h6", "retina", "make the optic disc green", "ask"),
    ("h7", "hflogo", "make the hands yellow", "ask"),
    ("h8", "verify", "what colour is the cable?", "ask"),
    ("d1", "coffee", "make the cup red", "go"),
    ("d2", "astronaut", "make the woman blue", "go"),
    ("d3", "astronaut", "make the orange suit blue", "go"),
]


def verdict(result, want: str) -> bool:
    """Right or not: an "ask" case is right when its last step did not run (held, or a step before it
    refused to select); a "go" case when every step ran and none was held."""
    if want == "go":
        return all(s.status == "ok" for s in result.steps)
    return bool(result.steps) and result.steps[-1].status != "ok"


def main() -> None:
    import numpy as np
    from PIL import Image

    from vitron_agent.runtime.agent import Agent

    agent = Agent()
    for label, cases in (("tuning", TUNE), ("held-out", HELD_OUT)):
        right = total = 0
        for cid, photo, request, want in cases:
            if not PHOTOS[photo].exists():
                print(f"{cid}: {PHOTOS[photo]} absent, skipped")
                continue
            image = np.asarray(Image.open(PHOTOS[photo]).convert("RGB"))
            r = agent.run(request, image=image)
            ok = verdict(r, want)
            right, total = right + ok, total + 1
            print(f"{cid} {'right' if ok else 'WRONG'} ({want}) {request!r}: {r.answer.splitlines()[-1][:110]}")
        print(f"{label}: {right} of {total} right")
    agent.close()


if __name__ == "__main__":
    main()
