"""What the resolver's second looks cost, side by side with the default path on the same pictures.

    python benchmarks/recognition_search_cost.py

Per scikit-image photo: detect + classify the whole picture (the default path, goal <= 150 ms);
selective search's proposals alone; a region search for a name not in the picture (proposals,
ranking, the first LIMIT regions classified: the most it costs); the weak-candidate look for a
COCO label not in the picture (the 2x2 tiles' detector runs). Medians and their ratios to the
default path: the second looks run only when the default path has not found the thing.
"""

from __future__ import annotations

import os
import time

import numpy as np
from skimage import data

from vitron_agent.perception.classifier import classify
from vitron_agent.perception.detector import detect_objects
from vitron_agent.perception.region_proposals import region_proposals
from vitron_agent.perception.region_search import search_regions
from vitron_agent.perception.weak_finds import weak_candidates
from vitron_agent.perception.wordnet_names import classes_for


def main() -> None:
    photos = {
        "astronaut": data.astronaut(),
        "coffee": data.coffee(),
        "chelsea": data.chelsea(),
        "motorcycle": data.stereo_motorcycle()[0],
        "rocket": data.rocket(),
    }
    detect_objects(data.camera()[:, :, None].repeat(3, 2))  # models loaded before any timing
    classify(data.camera()[:, :, None].repeat(3, 2))
    rows = []
    for name, image in photos.items():
        image = image.copy()
        t0 = time.perf_counter()
        detect_objects(image)
        classify(image)
        t1 = time.perf_counter()
        n = len(region_proposals(image))
        t2 = time.perf_counter()
        _, looked = search_regions(image, classes_for("lemon")[1])
        t3 = time.perf_counter()
        weak_candidates(image, ("bench",))
        t4 = time.perf_counter()
        rows.append((t1 - t0, t2 - t1, t3 - t1, t4 - t3))
        print(
            f"{name:10s} detect+classify {1000 * (t1 - t0):5.0f} ms | proposals {1000 * (t2 - t1):5.0f} ms ({n}) | "
            f"region search {1000 * (t3 - t1):5.0f} ms ({looked} classified) | weak finds {1000 * (t4 - t3):5.0f} ms"
        )
    m = np.median(np.array(rows), 0)
    load = os.getloadavg()[0]
    print(
        f"medians (load {load:.1f}): detect+classify {1000 * m[0]:.0f} ms; proposals {1000 * m[1]:.0f} ms "
        f"({m[1] / m[0]:.1f}x); region search {1000 * m[2]:.0f} ms ({m[2] / m[0]:.1f}x); weak finds "
        f"{1000 * m[3]:.0f} ms ({m[3] / m[0]:.1f}x)"
    )


if __name__ == "__main__":
    main()
