"""One named object followed through a clip as the same one: by where it goes and what it looks like.

Detection on every frame gives boxes of the class; the question on each frame is which box (if any)
is *the* object followed. Box overlap alone switches identity after a gap: the dog walks behind a
tree, another dog passes where it was, and the track is on the other dog, said as followed. So:

* **while it is in view** (seen within :data:`SHORT_S`): the box that overlaps where its motion puts
  it (IoU >= 0.2, area within 2x) and does not look different (colour signature,
  :func:`~vitron_agent.perception.track_boxes.appearance`; where the colours are not close, the
  classifier's names for the box against the object's own);
* **after a gap** (hidden, out of view, missed): a box of the class within reach of where its motion
  puts it and that does not look different is taken again, and said: *picked up again* when the gap
  was short, the box lies where the motion said and it looks the same; else *lost at 0:03, found
  something similar at 0:05 (may be another one)*. A box that looks different is never taken for
  it, and is said ("another cat at 0:02.4 was not taken for it: it looks different").

The classifier's names (EfficientNet-Lite2's 1,000 probabilities on the box) tell a tabby from a
cheetah where colour histograms of two brown animals do not; it runs only when colours are not
close, so a clip whose object stays in view costs nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Identity", "Event", "events_said"]

SHORT_S = 0.25  # unseen this long or less: still in view (a detector's miss)
SAME_LOOK = 0.15  # colour distance under which it looks the same (Bhattacharyya, 0 = same colours)
CLOSE_LOOK = 0.22  # under this, close enough not to ask the classifier
OTHER_LOOK = 0.42  # over this, it looks different whatever the names say
NAMES_SAME = 0.9  # Bhattacharyya coefficient of the classifier's probabilities: the same kind of thing
NAMES_OTHER = 0.6  # under this, the names say another kind of thing
SURE_GAP_S = 0.5  # a gap this short (or less), with the same look where the motion said: the same one
REF_SIGHTINGS = 4  # sightings averaged into the object's names


@dataclass
class Event:
    """What happened to the identity: ``kind`` "again" (sure), "similar" (may be another one) or
    "other" (one that looks different, not taken); ``lost`` the last frame it was seen, ``frame`` now."""

    kind: str
    lost: int
    frame: int


def _xyxy(d) -> np.ndarray:
    b = d.box if hasattr(d, "box") else d
    return np.array([b.x1, b.y1, b.x2, b.y2], float) if hasattr(b, "x1") else np.asarray(b, float)


@dataclass
class Identity:
    """The followed object: last box and frame, velocity, colour signature, names (classifier)."""

    fps: float
    box: np.ndarray
    frame: int
    look: np.ndarray
    velocity: np.ndarray = field(default_factory=lambda: np.zeros(2))  # of the centre, pixels a frame
    size: tuple[float, float] = (1.0, 1.0)
    names: list[np.ndarray] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    others_said: set[int] = field(default_factory=set)

    @classmethod
    def start(cls, image: np.ndarray, det, frame: int, fps: float) -> Identity:
        from vitron_agent.perception.track_boxes import appearance

        box = _xyxy(det)
        return cls(fps=fps, box=box, frame=frame, look=appearance(image, box), size=(box[2] - box[0], box[3] - box[1]))

    def _predict(self, frame: int) -> np.ndarray:
        """Its box on ``frame``: the centre moved along its velocity, the size it has had (a box that
        shrank as it went behind something says nothing of its size when it comes out)."""
        cx, cy = (self.box[:2] + self.box[2:]) / 2 + self.velocity[:2] * abs(frame - self.frame)
        w, h = self.size
        return np.array([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])

    def _names_of(self, image: np.ndarray, box: np.ndarray) -> np.ndarray | None:
        from vitron_agent.core.refs import Box
        from vitron_agent.perception.classifier import class_probabilities, classifier_ready

        if not classifier_ready():
            return None
        return class_probabilities(image, Box(x1=box[0], y1=box[1], x2=box[2], y2=box[3]))

    def _names_alike(self, image: np.ndarray, box: np.ndarray) -> float | None:
        """Bhattacharyya coefficient of the classifier's probabilities on ``box`` and the object's own
        (averaged over its first sightings); None without the classifier."""
        if not self.names:
            return None
        p = self._names_of(image, box)
        return None if p is None else float(np.sqrt(np.mean(self.names, 0) * p).sum())

    def _learn_names(self, image: np.ndarray, box: np.ndarray) -> None:
        h, w = image.shape[:2]
        inside = box[0] > 2 and box[1] > 2 and box[2] < w - 2 and box[3] < h - 2
        if len(self.names) < REF_SIGHTINGS and (inside or not self.names):
            p = self._names_of(image, box)
            if p is not None:
                self.names.append(p)

    def _judge(self, image: np.ndarray, box: np.ndarray) -> tuple[str, float]:
        """("same" | "close" | "other", colour distance) of a box against the object."""
        from vitron_agent.perception.track_boxes import _unlike, appearance

        far = _unlike(self.look, appearance(image, box))
        if far > OTHER_LOOK:
            return "other", far
        if far <= CLOSE_LOOK:
            return ("same" if far <= SAME_LOOK else "close"), far
        alike = self._names_alike(image, box)
        if alike is None:
            return "close", far
        return ("other" if alike < NAMES_OTHER else "close" if alike < NAMES_SAME else "same"), far

    def choose(self, image: np.ndarray, frame: int, dets: list) -> int | None:
        """The index in ``dets`` of the object on ``frame`` (frames come in order from the prompt frame,
        forward or backward), or None; events are recorded on :attr:`events`."""
        from vitron_agent.perception.detector import box_iou

        if not self.names:
            self._learn_names(image, self.box)
        gap = abs(frame - self.frame)
        guess = self._predict(frame)
        width = max(1.0, guess[2] - guess[0])
        in_view = gap <= max(1, int(round(SHORT_S * self.fps)))
        best, best_key, verdict = None, None, ""
        for k, d in enumerate(dets):
            b = _xyxy(d)
            ratio = (b[2] - b[0]) * (b[3] - b[1]) / max((guess[2] - guess[0]) * (guess[3] - guess[1]), 1e-6)
            if not (0.5 <= ratio <= 2.0 if in_view else 0.3 <= ratio <= 2.5):  # coming out from behind: part of it
                continue
            iou = box_iou(guess, b)
            dist = np.hypot(*((guess[:2] + guess[2:]) / 2 - (b[:2] + b[2:]) / 2)) / width
            reach = 0.6 if in_view else 1.0 + 0.5 * gap / max(1.0, self.fps * 0.5)
            if (iou < 0.2 and dist > 0.6) if in_view else dist > reach:
                continue
            how, far = self._judge(image, b)
            if how == "other":
                self._say_other(frame, k)
                continue
            key = (iou - far) if in_view else -(dist + 2 * far)
            if best_key is None or key > best_key:
                best, best_key, verdict = k, key, how
        if best is None:
            return None
        b = _xyxy(dets[best])
        if not in_view:
            near = np.hypot(*((guess[:2] + guess[2:]) / 2 - (b[:2] + b[2:]) / 2)) / width <= 1.0
            sure = verdict == "same" and near and gap <= SURE_GAP_S * self.fps
            self.events.append(Event("again" if sure else "similar", self.frame, frame))
        self._move(image, frame, b, verdict)
        return best

    def _say_other(self, frame: int, k: int) -> None:
        if not any(e.kind == "other" and abs(e.frame - frame) < self.fps for e in self.events):
            self.events.append(Event("other", self.frame, frame))

    def _move(self, image: np.ndarray, frame: int, box: np.ndarray, verdict: str) -> None:
        from vitron_agent.perception.track_boxes import appearance

        step = abs(frame - self.frame)
        if step:
            v = ((box[:2] + box[2:]) / 2 - (self.box[:2] + self.box[2:]) / 2) / step
            self.velocity = 0.5 * self.velocity + 0.5 * v if step <= 2 else v
        self.box, self.frame = box, frame
        w, h = box[2] - box[0], box[3] - box[1]
        if verdict == "same" or w * h > self.size[0] * self.size[1]:
            self.size = (0.7 * self.size[0] + 0.3 * w, 0.7 * self.size[1] + 0.3 * h)
        if verdict == "same":
            self.look = 0.8 * self.look + 0.2 * appearance(image, box)
            self._learn_names(image, box)


def events_said(events: list[Event], fps: float, word: str, clock: Callable[[float], str]) -> str:
    """The events in words for a track's method, "" when none: "; hidden 0:01.5-0:02, picked up again
    where its motion put it, looking the same"; "; lost at 0:01.5, found something similar at 0:03.1 (may
    be another one); cannot tell whether the cat at 0:03.1 is the same one, so it followed that one too";
    "; another cat at 0:02.4 was not taken for it (it looks different)". ``clock`` writes a time in seconds."""
    said: list[str] = []
    shown = sorted(events, key=lambda e: e.frame)
    similar = [e for e in shown if e.kind == "similar"]
    shown = [e for e in shown if e.kind != "similar" or e is similar[0]][
        :4
    ]  # the first doubt says it; the rest are counted
    for e in shown:
        lost, now = clock(e.lost / fps), clock(e.frame / fps)
        if e.kind == "again":
            a, b = sorted((e.lost, e.frame))
            said.append(
                f"hidden {clock(a / fps)}-{clock(b / fps)}, picked up again where its motion put it, looking the same"
            )
        elif e.kind == "similar":
            found = (
                f"lost at {lost}, found something similar at {now} (may be another one)"
                if e.frame > e.lost
                else (f"seen from {lost}; before a gap, something similar at {now} (may be another one)")
            )
            said.append(
                f"{found}; cannot tell whether the {word} at {now} is the same one, so it followed that one too"
            )
        else:
            said.append(f"another {word} at {now} was not taken for it (it looks different)")
    if len(similar) > 1:
        said.append(
            f"{len(similar) - 1} more such gap{'s' if len(similar) > 2 else ''} after it, each may be another one"
        )
    return "".join(f"; {s}" for s in said)
