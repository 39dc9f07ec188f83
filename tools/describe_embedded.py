"""describe and count, embedded backends (the defaults): what the COCO detector recognised, on top
of the cv backends' measurements.

* count: objects the detector knows ("how many people", "count the cups") are counted by
  detection, each with its score; blob-like things it does not know (coins, cells, stars) are
  counted as blobs by the cv backend, which says so.
* describe: plain words made of what was recognised -- the objects, their colours as people name
  them, where they are, what they hold or lie on, and how sure the detector is
  (:func:`vitron_agent.perception.scene_words.describe_scene`); questions
  on colour, position, size, brightness and text get the cv backend's measured answers;
  "what is in this photo?" / "what animal is this?" / "is there a dog?" are answered from the
  detections; who someone is, is not answered.

Without the detector's weights (``vitron-agent fetch-weights``) both behave as the cv backends
and say what to fetch.
"""

from __future__ import annotations

import re

import numpy as np

from vitron_agent.toolkit.registry import Backend, register
from vitron_agent.toolkit.tool import ToolContext
from vitron_agent.tools.describe import (
    TEXT_QUESTION,
    CountInput,
    CountOutput,
    CvCountTool,
    CvDescribeTool,
    DescribeInput,
    DescribeOutput,
    count_region,
    describe_text,
    region_facts,
    region_mask,
)

RECOGNITION = "recognition: SSD-MobileNetV2 (COCO's 80 classes) with EfficientNet-Lite2 (1,000 ImageNet names); colours measured against the light"

# a "no" is a claim about absence, and detectors miss things (SSD's recall on the labelled tuning
# photos is about 0.6): said with every none found
MISS = "though the detector can miss small or partly hidden things"
MISS_BY_NAME = "I can name them only where the detector, the salient object or the classifier's activation points"

__all__ = ["EmbeddedCountTool", "EmbeddedDescribeTool", "IDENTITY", "NO_IDENTITY"]

IDENTITY = re.compile(
    r"^\s*who\b|\bwhose\b|\bwho (?:is|are|was)\b|\bname of (?:this|that|the) (?:person|man|woman|guy)\b"
    r"|\b(?:identify|recogni[sz]e) (?:him|her|them|this person|the person|this man|this woman)\b"
    r"|\bwhich (?:celebrity|actor|actress|person)\b",
    re.I,
)
NO_IDENTITY = "I don't identify people: I can say that there is a person and where, not who it is."
WHAT_IS = re.compile(
    r"\bwhat(?:'s|s| is| are)?\s+(?:in|on)\b|\bwhat (?:animal|animals|object|objects|things?|vehicle|"
    r"vehicles|kind of|sort of|type of|do you see|can you see|is (?:this|that|it|shown|there))\b"
    r"|\bwhat(?:'s| is) (?:this|that|it)\b|\bwhat(?:'s| is) (?:shown|there|going on)\b"
    r"|\bwhat(?:'s| is) the (?:animal|object|thing|vehicle)\b",
    re.I,
)
IS_THERE = re.compile(
    r"^\s*(?:is|are) there\b|^\s*(?:do|can) you see\b|^\s*does (?:it|the (?:image|photo|picture)) "
    r"(?:show|contain|have)\b",
    re.I,
)
BLOB_LIKE = re.compile(
    r"\b(?:coins?|cells?|stars?|dots?|spots?|blobs?|nuclei|nucleus|bubbles?|circles?|discs?|disks?|"
    r"beads?|pills?|seeds?|grains?|pebbles?|stones?|holes?|objects?|things?|items?|regions?|shapes?|"
    r"particles?|colonies|colony|marbles?|candies|sweets)\b",
    re.I,
)


def _detector_ready(*names: str) -> bool:
    from vitron_agent.loading.weights import embedded_available

    return embedded_available(*(names or ("ssd_mobilenet", "ssd_mobilenet_config")))


def _inside(found: list, mask: np.ndarray | None) -> list:
    """The detections whose box centre lies in ``mask`` (all when there is no mask)."""
    if mask is None:
        return found
    h, w = mask.shape
    return [
        d for d in found if mask[min(h - 1, int((d.box.y1 + d.box.y2) / 2)), min(w - 1, int((d.box.x1 + d.box.x2) / 2))]
    ]


def _recognised(found: list, made: bool = False) -> str:
    """'I recognise 3 people and a bus', 'I recognise a cat and what may be a cup' (the detector unsure
    of the cup), 'I recognise nothing surely; what I see may be a stop sign' (every name a guess: a
    weak score, or ``made``: a drawing, a chart, a screenshot, where models trained on photographs
    guess), or 'I recognise nothing in it'."""
    from vitron_agent.perception.detector import confidence_word

    if not found:
        return "I recognise nothing in it"
    sure = [] if made else [d for d in found if confidence_word(d.score) == "probably"]
    unsure = [d for d in found if d not in sure]
    said = f"I recognise {_in_words(sure)}" if sure else "I recognise nothing surely"
    if unsure:
        said += (" and what may be " if sure else "; what I see may be ") + _in_words(unsure)
    return said


def _as_asked(d, labels: tuple[str, ...], image: np.ndarray | None = None) -> str:
    """In words, no scores (they are in the detections and --verbose): 'a cat (an Egyptian cat by
    its look)', 'possibly a bird (the classifier sees a fox squirrel)', 'a cat or a person (about
    as likely)'."""
    import re

    from vitron_agent.perception.detector import confidence_word
    from vitron_agent.perception.recognise import _article

    more = ""
    if image is not None:
        from vitron_agent.perception.name_finder import doubt as name_doubt
        from vitron_agent.perception.name_finder import kind_of, second_opinion

        kind = kind_of(image, d)
        other = re.sub(r"\s*\(\d\.\d+\)", "", second_opinion(image, d)) if not kind else ""
        doubt = name_doubt(image, d) if not (kind or other) else ""
        more = f"{kind} by its look" if kind else (other or doubt)
    if d.label in labels:
        sure = confidence_word(d.score) == "probably" and not d.alternatives and not more.startswith("the classifier")
        hedge = "" if sure else "possibly "
        alt = "".join(f" or {_article(k)} {k}" for k in d.alternatives)
        return f"{hedge}{_article(d.label)} {d.label}{alt}" + (f" ({more})" if more else "")
    lab = max(labels, key=lambda x: d.alternatives.get(x, 0.0))
    return f"{_article(lab)} {lab} or {_article(d.label)} {d.label} (about as likely" + (f"; {more})" if more else ")")


def _seen(refusal: str) -> str:
    """What a resolver's refusal says was found ("cat 0.91; the classifier sees ...")."""
    if "(I found: " not in refusal:
        return "nothing"
    return refusal.split("(I found: ", 1)[1].split("). If it is there", 1)[0]


def _in_words(found: list, limit: int = 6) -> str:
    """What was recognised, in words, no scores (they are in the step's method and --verbose):
    'a cat, 2 people and a cup'; 'nothing I recognise'."""
    from vitron_agent.perception.recognise import _article, plural

    counts: dict[str, int] = {}
    for d in found[: limit * 2]:
        counts[d.label] = counts.get(d.label, 0) + 1
    parts = [f"{_article(k)} {k}" if n == 1 else f"{n} {plural(k, n)}" for k, n in list(counts.items())[:limit]]
    if not parts:
        return "nothing I recognise"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _unscored(said: str) -> str:
    """A model's account with its raw scores taken out ('cup 0.95 (or bowl 0.87)' -> 'cup (or bowl)')."""
    return re.sub(r"\s+\d\.\d+\b", "", said)


def _hit_words(d, image: np.ndarray | None = None) -> str:
    """'a tripod' when the detector is sure, 'possibly a tripod' when not (or when the classifier
    names no kind of it: 'possibly a dog (the classifier's nearest names are ...)')."""
    from vitron_agent.perception.coco_names import COCO80
    from vitron_agent.perception.detector import confidence_word
    from vitron_agent.perception.name_finder import doubt as name_doubt
    from vitron_agent.perception.recognise import _article

    doubt = name_doubt(image, d) if d.label in COCO80 else ""
    hedge = "" if confidence_word(d.score) == "probably" and not doubt else "possibly "
    alt = "".join(f" or {_article(k)} {k}" for k in d.alternatives)
    return f"{hedge}{_article(d.label)} {d.label}{alt}" + (f" ({doubt})" if doubt else "")


def _stuff_there(image: np.ndarray, rest: str, word: str, found: list, mask: np.ndarray | None) -> str | None:
    """The answer to "is there any water / grass / sky?" by the same colour, texture and place finder the
    edits use (it said "I see no water" beside a stream, "no grass" on a lawn: no model names stuff);
    None when the words name no stuff."""
    import re

    from vitron_agent.core.errors import ToolFailed
    from vitron_agent.perception.detector import named
    from vitron_agent.perception.recognise import stuff_region
    from vitron_agent.perception.stuff import stuff_kind

    if (kind := stuff_kind(rest)) is None or named(rest) is not None:
        return None
    from vitron_agent.perception.stuff_material import MATERIALS

    if kind in MATERIALS:  # "a brick wall": the wall named with its material, not "wall"
        word = re.sub(r"^(?:an?|the|any|some)\s+", "", rest.strip(), flags=re.I) or word
    try:
        region, method = stuff_region(image, kind, found, rest)
    except ToolFailed:
        return f"I see no {word} by colour, texture and place (no model here knows {kind} by name), so I may miss it."
    share = float((region & mask).mean() if mask is not None else region.mean())
    if share < 0.01:
        return f"I see no {word}{' in the region' if mask is not None else ''} by colour, texture and place, so I may miss it."
    sure = re.search(r"how sure: (\w+)", method)
    lead = "Probably" if sure is None or sure.group(1) == "high" else "Perhaps"
    return (
        f"{lead}: what looks like {word} covers about {100 * share:.0f}% of the picture, found by colour, texture "
        f"and place (no model here knows {kind} by name; how sure: {sure.group(1) if sure else 'unsure'})."
    )


def _is_there(image: np.ndarray, rest: str, found: list, mask: np.ndarray | None, made: bool = False) -> str | None:
    """The answer to "is there a squirrel?" by the resolver (COCO classes, WordNet kinds, the
    classifier's names), inside the region when there is one; None when the words name nothing."""
    from vitron_agent.core.errors import ToolFailed
    from vitron_agent.perception.name_finder import head_noun
    from vitron_agent.perception.recognise import resolve

    word = head_noun(rest)
    if word is None:
        return None
    where = " in the region" if mask is not None else ""
    if (stuff := _stuff_there(image, rest, word.replace("_", " "), found, mask)) is not None:
        return stuff
    try:
        hits = _inside(resolve(image, rest, found, with_mask=False).detections, mask)
    except ToolFailed as e:
        said = str(e)
        if said.startswith("I cannot recognise"):  # what it does see, each name as sure as it is
            if mask is not None:
                return None
            head, seen = said.split(" To work on")[0].split(" In this image I see ", 1)
            whole = (
                "; the whole picture" + seen.split("; the whole picture", 1)[1] if "; the whole picture" in seen else ""
            )
            return f"{head} {_recognised(found, made)}{whole.rstrip('.')}."
        seen = _unscored(_seen(said))
        whole = "; the whole picture" + seen.split("; the whole picture", 1)[1] if "; the whole picture" in seen else ""
        return _no_or_unsure(image, word.replace("_", " "), found, mask, made, whole)
    if not hits:
        return _no_or_unsure(image, word.replace("_", " "), found, mask, made, "")
    words = [_hit_words(d, image) for d in hits]
    sure = all(not w.startswith("possibly") for w in words)
    words = words if sure else [w.removeprefix("possibly ") for w in words]  # not "Perhaps: I see possibly a dog"
    return f"{'Yes' if sure else 'Perhaps'}: I see {', '.join(words)}{where}."


def _no_or_unsure(image: np.ndarray, word: str, found: list, mask: np.ndarray | None, made: bool, whole: str) -> str:
    """'I see no bowl, though ...' where the "no" is earned (:func:`~vitron_agent.perception.absence.absence`:
    nothing hints at one, something else explains the picture, the models know the thing); else "I'm not
    sure: ..." with what hints at it (a kind or a close relative the classifier names, a weak guess of
    the detector's) or why the miss says little. In a region (``mask``) the plain "no" is kept."""
    from vitron_agent.perception.absence import absence

    where = " in the region" if mask is not None else ""
    flat = f"I see no {word}{where}, {MISS}; {_recognised(found, made)}{whole}."
    if mask is not None:
        return flat
    got = absence(image, word, found, made)
    if got.earned:
        return flat
    hints = []
    if got.kinds:
        hints.append(f"the classifier names the picture or a part of it {_or_list(got.kinds)}")
    if got.relatives:
        hints.append(f"I see what may be {_or_list(got.relatives)}")
    if got.weak:
        hints.append(f"the detector has a weak guess of {_or_list(got.weak)}, too weak to say")
    lead = "; ".join(hints) if hints else got.why
    return f"I'm not sure: I find no {word} surely, but {lead}; {_recognised(found, made)}{whole}."


def _or_list(names: list[str]) -> str:
    from vitron_agent.perception.recognise import _article

    said = [f"{_article(n)} {n}" for n in names[:3]]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " or " + said[-1]


class EmbeddedCountTool(CvCountTool):
    description = (
        "Count things in an image: objects by name (people, cars, cups ... COCO's 80 classes) by detection, "
        "with scores; blob-like things (coins, cells, stars, coloured blobs) as blobs. Embedded SSD-MobileNetV2."
    )
    backend = "embedded"

    def run(self, inp: CountInput, ctx: ToolContext) -> CountOutput:
        from vitron_agent.perception.count_kinds import split_kinds

        kinds = split_kinds(inp.target, BLOB_LIKE)
        if kinds:  # "motorbikes and bottles": each kind counted, none dropped
            return _count_kinds(self, inp, ctx, kinds)
        parts = _count_parts(inp, ctx)
        if parts is not None:  # "how many wheels does the motorbike have?": seen, and by kind
            return parts
        if inp.mask is None and inp.box is None and not inp.place and not _drawn_shapes(inp, ctx):
            from vitron_agent.perception.tiles import find_tiles

            tiles = find_tiles(ctx.store.get_image(inp.image))
            if tiles is not None:  # a collage: each photo counted as a photo
                return _count_tiles(self, inp, ctx, tiles)
        return self._count_whole(inp, ctx)

    def _count_whole(self, inp: CountInput, ctx: ToolContext) -> CountOutput:
        """The count over one picture (a photo, a drawing, or one tile of a collage)."""
        from vitron_agent.perception.detector import Named, detect_objects, named
        from vitron_agent.perception.picture_kind import made_picture_note
        from vitron_agent.perception.recognise import face_part, plural, select

        if inp.target and face_part(inp.target) is not None and _detector_ready("blazeface", "blazeface_weights"):
            return _count_faces(inp, ctx)
        if _drawn_shapes(inp, ctx):  # "how many triangles" on a drawing: geometry, no model's name
            return super().run(inp, ctx)
        if (text_units := _count_text_units(inp, ctx)) is not None:  # "how many lines of text": the OCR's lines
            return text_units
        if inp.color and _ANY_THING.match(inp.target or "") and _detector_ready():  # "how many red things"
            image = ctx.store.get_image(inp.image)
            if not made_picture_note(image):  # a photo: things of the colour, not round blobs of it
                return _count_coloured(inp, ctx, image)
        name = named(inp.target) if inp.target and not BLOB_LIKE.search(inp.target) else None
        if name is None and inp.target and not BLOB_LIKE.search(inp.target) and _detector_ready():
            counted = _count_by_classifier(inp, ctx)
            if counted is not None:
                return counted
        if name is None or not _detector_ready():
            out = super().run(inp, ctx)
            if name is not None:  # a detector class, but no detector weights
                from vitron_agent.loading.weights import NPM_HINT

                out = out.model_copy(update={"text": out.text + f" To count {name.word} by recognition, {NPM_HINT}."})
            return out
        image = ctx.store.get_image(inp.image)
        ctx.progress(0.2, "recognising objects (SSD-MobileNetV2)")
        found = detect_objects(image)
        items, _ = select(image, found, Named(name.labels, name.word, True), inp.target, allow_none=True)
        region, where = count_region(ctx, inp, image.shape[:2])
        if region is not None:  # the user's region itself, not a mask found in it (a crowd's box)
            items = _inside(items, region)
        noun = name.labels[0] if len(name.labels) == 1 else re.sub(r"s$", "", name.word)
        listed = ", ".join(d.describe() for d in items)
        unsure = [d for d in items if d.label not in name.labels]
        text = f"I count {len(items)} {plural(noun, len(items))}"
        if unsure:
            text += (
                f"; {'one' if len(unsure) == 1 else len(unsure)} of them may instead be "
                + _in_words(unsure)
                + " (about as likely)"
            )
        if region is None and len(name.labels) == 1:
            text = _crowd(image, name.labels[0], items) or _perhaps(image, name.labels[0], items, noun) or text
        if text.startswith(f"I count {len(items)} "):  # no crowd nor half-seen one: is every one seen?
            text = _hidden_behind(items, noun) or _missed(image, items, name.labels, noun) or text
            text += _low_scores(items)
        note = made_picture_note(image)
        if not items:
            text = f"I count no {plural(noun, 2)}, {MISS}; {_recognised(found, bool(note))}"
        text = _hedged(note, text) + "." + _only_in(where)
        method = f"SSD-MobileNetV2 detections of {' / '.join(name.labels)} scoring at least 0.3" + (
            f": {listed}" if items else ""
        )
        if len(items) > OUTLINED:
            method += f"; the mask is their boxes (outlines are traced for up to {OUTLINED})"
        return CountOutput(count=len(items), mask=_count_mask(ctx, inp, image, items), text=text, method=method)


HEDGES = re.compile(
    r"\b(?:perhaps|at least|at a guess|roughly|may|cannot|possibly|unsure|about as likely|crowd)\b", re.I
)


def _count_tiles(tool: EmbeddedCountTool, inp: CountInput, ctx: ToolContext, tiles: list) -> CountOutput:
    """A count over a collage: each tile counted as a picture of its own, summed; the sum is "at
    least" when a tile's count is, and said with the count per tile."""
    from vitron_agent.perception.tiles import grid_words

    image = ctx.store.get_image(inp.image)
    counts, unsure, methods = [], [], []
    mask = np.zeros(image.shape[:2], bool)
    for i, (x1, y1, x2, y2) in enumerate(tiles, 1):
        ctx.progress(0.1 + 0.8 * i / len(tiles), f"counting in picture {i} of {len(tiles)}")
        ref = ctx.store.put_image(np.ascontiguousarray(image[y1:y2, x1:x2]), producer=ctx.step_id)
        out = tool._count_whole(inp.model_copy(update={"image": ref}), ctx)
        named_whole = _tile_named(image[y1:y2, x1:x2], inp.target) if out.count == 0 else ""
        counts.append(1 if named_whole else out.count)
        methods.append(f"picture {i}: {out.method}" + (f"; {named_whole}" if named_whole else ""))
        if named_whole:
            unsure.append(f"picture {i} I took as one, as {named_whole}")
        elif out.count is None or HEDGES.search(out.text):
            unsure.append(f"picture {i}: {out.text.rstrip('.')}")
        if out.mask is not None:
            mask[y1:y2, x1:x2] |= ctx.store.get_mask(out.mask)
    total, what = sum(c or 0 for c in counts), (inp.target or "things").strip()
    each = ", ".join("?" if c is None else str(c) for c in counts)
    text = f"This picture is {grid_words(tiles)}; I counted in each on its own ({each}): "
    text += f"{'at least ' if unsure else ''}{total} {what} in all."
    if unsure:
        text += " Unsure: " + "; ".join(unsure[:3]) + ("; ..." if len(unsure) > 3 else "") + "."
    mask_ref = ctx.store.put_mask(mask, producer=ctx.step_id, image=inp.image) if mask.any() else None
    method = f"{grid_words(tiles)} found by its grid lines (gutters or seams); " + "; ".join(methods)
    # a picture that could not be counted leaves the total unknown (the text gives the lower bound)
    return CountOutput(count=None if None in counts else total, mask=mask_ref, text=text, method=method)


def _count_kinds(tool: EmbeddedCountTool, inp: CountInput, ctx: ToolContext, kinds: list[str]) -> CountOutput:
    """A count of several kinds: each kind counted as its own request, their sentences in the
    user's order; ``count`` is the sum (None when a kind could not be counted) and the mask their union."""
    outs = [tool.run(inp.model_copy(update={"target": kind}), ctx) for kind in kinds]
    masks = [ctx.store.get_mask(o.mask) for o in outs if o.mask is not None]
    mask_ref = None
    if masks:
        mask_ref = ctx.store.put_mask(np.logical_or.reduce(masks), producer=ctx.step_id, image=inp.image)
    counts = [o.count for o in outs]
    return CountOutput(
        count=None if None in counts else sum(counts),
        mask=mask_ref,
        text=_kinds_text([o.text for o in outs]),
        method="; ".join(f"{kind}: {o.method}" for kind, o in zip(kinds, outs, strict=True)),
    )


def _kinds_text(texts: list[str]) -> str:
    """The kinds' sentences joined; the kinds none was found of said in one sentence ("I count no
    cats and no dogs, though the detector can miss ...; I recognise a person."), not each with the
    same doubt and the same list of what was seen."""
    nones = [t for t in texts if t.startswith("I count no ") and f", {MISS};" in t]
    if len(nones) < 2:
        return " ".join(texts)
    heads = [t.removeprefix("I count ").split(f", {MISS};")[0] for t in nones]
    merged = f"I count {', '.join(heads[:-1])} and {heads[-1]}, {MISS};" + nones[-1].split(f", {MISS};", 1)[1]
    kept = [t for t in texts if t not in nones]
    return " ".join([*kept, merged])


def _count_parts(inp: CountInput, ctx: ToolContext) -> CountOutput | None:
    """A count of a part of a thing found (wheels of a motorbike, legs of a cat): what is visible,
    and how many it has by kind, said apart; None when the target names no part, or names no owner
    and no whole of it is found (the part is then counted as a thing of its own)."""
    from vitron_agent.perception.detector import detect_objects
    from vitron_agent.perception.part_counts import count_parts, part_question

    q = part_question(inp.target)
    if q is None or inp.mask is not None or inp.box is not None or inp.place or not _detector_ready():
        return None
    image = ctx.store.get_image(inp.image)
    ctx.progress(0.2, "recognising objects (SSD-MobileNetV2)")
    got = count_parts(image, q, detect_objects(image))
    if got is None:
        return None
    n, text, mask = got
    mask_ref = ctx.store.put_mask(mask, producer=ctx.step_id, image=inp.image) if mask is not None else None
    return CountOutput(
        count=n,
        mask=mask_ref,
        text=text,
        method=f"the {q.part}s of the thing found by SSD-MobileNetV2; wheels as round lobes of its outline "
        "(U²-Netp); how many it has by kind is common knowledge (perception/part_counts.py), not measured",
    )


def _tile_named(tile: np.ndarray, target: str | None) -> str:
    """'the classifier names it a cheetah (0.81)' when the classifier's first name for a whole tile
    (HxWx3 uint8 RGB) is a kind of what is counted (a photo of one animal the detector does not
    know), else ''."""
    from vitron_agent.perception.classifier import class_name, classifier_ready, classify_indices
    from vitron_agent.perception.name_finder import head_noun
    from vitron_agent.perception.wordnet_names import classes_for, wordnet_ready

    word = head_noun(target or "")
    if word is None or not (wordnet_ready() and classifier_ready()):
        return ""
    kinds = classes_for(word)[1]
    (index, p), *_ = classify_indices(tile, k=1)
    return f"the classifier names it a {class_name(index)} ({p:.2f})" if index in kinds and p >= 0.3 else ""


_TEXT_UNITS = re.compile(
    r"^(?:the\s+|all\s+(?:the\s+)?)?(?:(?:written|printed|typed|text|body)\s+)?(?P<unit>lines?|words?|rows?)"
    r"(?:\s+(?:of|in)\s+(?:the\s+)?(?:text|writing|words|page|document|paragraph))?$",
    re.I,
)


def _count_text_units(inp: CountInput, ctx: ToolContext) -> CountOutput | None:
    """ "how many lines of text are there?", "how many words": the OCR model's lines (or their words), in reading
    order; None when the target names no unit of text. ("I count no lines ... I recognise nothing" had been said
    of a page of 7 lines: newcomer s13, class 5.)"""
    m = _TEXT_UNITS.match((inp.target or "").strip())
    if m is None:
        return None
    from vitron_agent.tools.read_text import read_lines

    image = ctx.store.get_image(inp.image)
    ctx.progress(0.2, "reading the text (PP-OCR)")
    lines = [line for line in read_lines(image) if not line.maybe]
    words = m.group("unit").lower().startswith("word")
    n = sum(len(line.text.split()) for line in lines) if words else len(lines)
    unit = ("word" if words else "line") + ("" if n == 1 else "s")
    if not lines:
        return CountOutput(
            count=None,
            text="I can't count the text's lines: the OCR model read no text here (it reads printed Latin text; "
            "handwriting, stylised letters or very small text it may miss).",
            method="PP-OCR (rapidocr): no line read",
        )
    return CountOutput(
        count=n,
        text=f"I count {n} {unit} of text, as the OCR model read them (a line it could not read is not counted).",
        method=f"PP-OCR (rapidocr): {len(lines)} lines read",
    )


def _none_named(image: np.ndarray, noun: str, many: str, seen: str) -> CountOutput:
    """The count when the resolver named none: 0 where that "none" is earned
    (:func:`~vitron_agent.perception.absence.absence`: nothing hints at one, something else explains the
    picture); else no count ("I count no snakes" had been said of a logo of two, and "I count no lines" of a
    page of seven: newcomer s13, class 5)."""
    from vitron_agent.perception.absence import absence
    from vitron_agent.perception.detector import detect_objects
    from vitron_agent.perception.picture_kind import made_picture_note

    got = absence(image, noun, detect_objects(image), bool(made_picture_note(image)))
    if got.earned:
        return CountOutput(
            count=0,
            text=f"I count no {many}, though I may well miss them: {MISS_BY_NAME}; I recognise {_unscored(seen)}.",
            method=f"resolver: {seen}; the none is earned (nothing hints at one, something else explains the picture)",
        )
    return CountOutput(
        count=None,
        text=f"I found no {many}, but I can't say there are none: {got.why or MISS_BY_NAME}. What I see: {_unscored(seen)}.",
        method=f"resolver: {seen}; a none not earned: {got.why}",
    )


def _drawn_shapes(inp: CountInput, ctx: ToolContext) -> bool:
    """Whether the count asks for drawn shapes (circles, squares, stars ...) on a drawing."""
    from vitron_agent.perception.shapes import is_drawing, shape_word

    return shape_word(inp.target) is not None and is_drawing(ctx.store.get_image(inp.image))


def _count_by_classifier(inp: CountInput, ctx: ToolContext) -> CountOutput | None:
    """Counting what only the classifier names ("the lemons", "squirrels"): the proposals it
    names so (detector boxes, the salient object, activation peaks), said to be a rough count;
    None when the words name nothing the classifier knows (the blob counter answers)."""
    from vitron_agent.core.errors import ToolFailed
    from vitron_agent.perception.classifier import classifier_ready
    from vitron_agent.perception.name_finder import head_noun
    from vitron_agent.perception.recognise import mask_of, plural, resolve
    from vitron_agent.perception.wordnet_names import classes_for, wordnet_ready

    word = head_noun(inp.target)
    if word is None or not (wordnet_ready() and classifier_ready()) or not classes_for(word)[1]:
        return None
    from vitron_agent.perception.coco_names import _singular
    from vitron_agent.perception.wordnet_names import singular

    image = ctx.store.get_image(inp.image)
    ctx.progress(0.2, "recognising objects (SSD-MobileNetV2, EfficientNet-Lite2)")
    noun = singular(word) or _singular(word.replace("_", " "))  # "brushes": "brush" (it said "1 brushe")
    try:
        items = resolve(image, f"all the {word}", with_mask=False).detections
    except ToolFailed as e:
        return _none_named(image, noun, plural(noun, 2), _seen(str(e)))
    region, where = count_region(ctx, inp, image.shape[:2])
    if region is not None:
        items = _inside(items, region)
    listed = ", ".join(d.describe() for d in items)
    mask_ref = ctx.store.put_mask(mask_of(image, items), producer=ctx.step_id, image=inp.image) if items else None
    return CountOutput(
        count=len(items),
        mask=mask_ref,
        text=f"I count {len(items)} {plural(noun, len(items))}, roughly: the classifier names "
        "proposals one by one and may miss ones close together." + _only_in(where),
        method="EfficientNet-Lite2 names on the detector's boxes, the salient object and activation peaks"
        + (f": {listed}" if items else ""),
    )


def _only_in(where: str) -> str:
    """' I counted only those whose centre lies in the box you gave (…).' ('' for the whole picture)."""
    return f" I counted only those whose centre lies in {where}." if where else ""


OUTLINED = 8  # a count's mask traces each object's outline up to this many; beyond, their boxes


def _count_mask(ctx: ToolContext, inp: CountInput, image: np.ndarray, items: list):
    """The counted objects' mask: outlines (the recogniser's masks) for a few, boxes for many (an
    outline costs ~0.3 s: a crowd of 32 took 17 s)."""
    from vitron_agent.perception.recognise import mask_of

    if not items:
        return None
    if len(items) <= OUTLINED:
        mask = mask_of(image, items)
    else:
        mask = np.zeros(image.shape[:2], bool)
        for d in items:
            mask[int(d.box.y1) : int(np.ceil(d.box.y2)), int(d.box.x1) : int(np.ceil(d.box.x2))] = True
    return ctx.store.put_mask(mask, producer=ctx.step_id, image=inp.image)


def _crowd(image: np.ndarray, label: str, items: list) -> str | None:
    """'I see a crowd of dozens of people; I can separate 14 (…)' when there are more of ``label``
    than the detector can tell apart: it half-sees many more (weaker candidates that are not the
    same ones), or many of those it separates stand in front of each other (rows of a crowd hide
    more behind them): never a precise number it cannot stand behind. None when it is not a crowd."""
    from vitron_agent.perception.detector import overlapped, weak_count
    from vitron_agent.perception.recognise import plural
    from vitron_agent.perception.scene_words import GROUPS

    separated, weak = len(items), weak_count(image, label)
    hidden = separated >= CROWD and overlapped(items) >= separated / 3
    if not hidden and (weak < 5 or weak < separated // 2):
        return None
    total = separated + weak
    many = "dozens of" if total >= 24 else (f"more than {separated}" if separated else "several")
    group = GROUPS.get(label, "a group")
    if not separated:  # only half-seen ones: perhaps a crowd, perhaps a pattern that looks like one
        return (
            f"I may see {group} of {many} {plural(label, 2)}: the detector half-sees {weak} it cannot tell "
            "apart, and separates none"
        )
    why = f"the detector half-sees {weak} more it cannot tell apart" if weak >= 5 else ""
    if hidden:
        why = "many stand in front of others, who may hide more" + (f"; {why}" if why else "")
    return f"I see {group} of {many} {plural(label, 2)}; I can separate {separated} ({why})"


LOW = 0.45  # a count whose every object scores under this is said unsure of them


def _hidden_behind(items: list, noun: str) -> str | None:
    """'I count at least 3 hens: 2 of them overlap others, and one more may hide behind them' when
    some of the (2 to CROWD) counted things stand in front of others: a hen behind two others is the
    one a detector misses, so the number is a lower bound. None when none overlap."""
    from vitron_agent.perception.detector import overlapped
    from vitron_agent.perception.recognise import plural

    n, k = len(items), overlapped(items) if 2 <= len(items) < CROWD else 0
    if not k:
        return None
    return (
        f"I count at least {n} {plural(noun, n)}: {k} of them overlap others, and one more may be hidden behind "
        "them (a detector misses what is mostly covered)"
    )


def _missed(image: np.ndarray, items: list, labels: tuple[str, ...], noun: str) -> str | None:
    """'I count at least 2 cats: the classifier sees another where the detector found none, at (…)' when
    windows the size of the counted things, away from them, are named as kinds of them
    (:func:`~vitron_agent.perception.count_checks.missed_like`); None when none is."""
    from vitron_agent.perception.count_checks import missed_like
    from vitron_agent.perception.recognise import plural
    from vitron_agent.perception.wordnet_names import classes_for, wordnet_ready

    if not wordnet_ready() or len(items) >= CROWD:
        return None
    kinds = frozenset().union(*(classes_for(label)[1] for label in labels))
    more = missed_like(image, items, kinds)
    if not more:
        return None
    n, where = len(items), "; ".join(f"({int(b[0])},{int(b[1])})-({int(b[2])},{int(b[3])})" for b in more[:3])
    return (
        f"I count at least {n} {plural(noun, n)}, perhaps {n + len(more)}: the classifier sees "
        f"{'another' if len(more) == 1 else f'{len(more)} more'} where the detector found none, at {where}"
    )


def _low_scores(items: list) -> str:
    """', unsure of it: the detector scores it only 0.33' when every counted thing scores under LOW."""
    if not items or max(d.score for d in items) >= LOW:
        return ""
    which = "it" if len(items) == 1 else "them"
    return f", unsure of {which}: the detector scores {which} only {max(d.score for d in items):.2f}"


CROWD = 10  # from this many separated, things in front of each other make a crowd
PERHAPS = 0.2  # a weaker candidate from this score is a thing the count may have missed


def _perhaps(image: np.ndarray, label: str, items: list, noun: str) -> str | None:
    """'I count 1 dog, perhaps 2 (…)' when the detector half-sees one or two more of ``label`` that
    are not the ones it reports (scoring PERHAPS to 0.3): a dog half-hidden behind another. None
    when it sees none."""
    from vitron_agent.perception.detector import weak_scores
    from vitron_agent.perception.recognise import plural

    more = [s for s in weak_scores(image, label) if s >= PERHAPS]
    if not more or len(more) > 2:
        return None
    n = len(items)
    return f"I count {n} {plural(noun, n)}, perhaps {n + len(more)} (the detector half-sees {len(more)} more)"


class EmbeddedDescribeTool(CvDescribeTool):
    description = (
        "Describe an image or a region (mask or box), or answer a question about it: what is recognised "
        "(COCO's 80 classes, where, dominant colour, how sure), colours, brightness, size, position, text. "
        "Embedded SSD-MobileNetV2 + measurements; not a captioning model."
    )
    backend = "embedded"

    def _run(self, inp: DescribeInput, ctx: ToolContext) -> DescribeOutput:
        from vitron_agent.tools.describe import CANNOT_ANSWER

        q = inp.question or ""
        if q and IDENTITY.search(q):
            return DescribeOutput(text=NO_IDENTITY)
        if not _detector_ready():
            return super()._run(inp, ctx)
        plain = super()._run(inp, ctx)
        if (
            q
            and (TEXT_QUESTION.search(q) or not (WHAT_IS.search(q) or IS_THERE.search(q)))
            and plain.text != CANNOT_ANSWER
        ):
            return plain  # colour, position, size, brightness, text: measured answers
        from vitron_agent.perception.detector import detect_objects, named
        from vitron_agent.perception.picture_kind import made_picture_note
        from vitron_agent.perception.scene_words import describe_scene

        image = ctx.store.get_image(inp.image)
        mask = region_mask(ctx.store, image.shape[:2], inp.mask, inp.box, inp.place)
        if mask is None and (not q or (WHAT_IS.search(q) and not IS_THERE.search(q))):
            from vitron_agent.perception.tiles import find_tiles

            if (tiles := find_tiles(image)) is not None:  # a collage: each photo described as a photo
                return _describe_tiles(ctx, image, tiles)
        ctx.progress(0.4, "recognising objects (SSD-MobileNetV2)")
        found = _inside(detect_objects(image), mask)
        if inp.place and not found and mask is not None and mask.any() and not (q and IS_THERE.search(q)):
            said = re.sub(r"\s*\(cv description:.*\)$", "", describe_text(region_facts(image, mask), True))
            return DescribeOutput(text=f"I recognise no object there. {said}", method=RECOGNITION)
        where = " in the region" if mask is not None else ""
        note = made_picture_note(image)  # not a photograph: what the models name there is a guess
        if q and IS_THERE.search(q):
            answer = _is_there(image, re.sub(r"[?!.]+\s*$", "", re.sub(IS_THERE, "", q)), found, mask, bool(note))
            if answer is not None:
                return DescribeOutput(text=_hedged(note, answer), method=RECOGNITION + _kind_method(image))
        asked = named(q) if q and WHAT_IS.search(q) else None
        if asked is not None:  # "what animal is this?": the detections of those classes, as asked
            hits = [d for d in found if d.label in asked.labels or set(d.alternatives) & set(asked.labels)]
            if not hits:
                seen = _recognised(found, bool(note)).replace("I recognise nothing surely; ", "")
                seen = f"; {seen.replace('I recognise', 'I see', 1)}" if found else ", nor anything else"
                return DescribeOutput(
                    text=_hedged(note, f"I recognise no {asked.word}{where}{seen}."),
                    method=RECOGNITION + ": " + (", ".join(d.describe() for d in found[:6]) or "nothing"),
                )
            return DescribeOutput(
                text=_hedged(
                    note, "It looks like " + "; ".join(_as_asked(d, asked.labels, image) for d in hits) + f"{where}."
                ),
                method=RECOGNITION + _kind_method(image),
            )
        said = describe_scene(image, found) + "."  # of what lies in the region, when there is one
        if not q and inp.mask is not None:
            said = _selected_as(inp, ctx, image, found) or said
        if q and plain.text == CANNOT_ANSWER and not WHAT_IS.search(q):
            return DescribeOutput(
                text=said + " I cannot answer more than that without a vision-language model "
                "([tools.describe] backend)."
            )
        if q:
            return DescribeOutput(
                text=said + " (I know COCO's 80 kinds of object and 1,000 finer names; I cannot name other things.)",
                method=RECOGNITION + _kind_method(image),
            )
        return DescribeOutput(
            text=said + " " + re.sub(r"\s*\(cv description:.*\)$", "", plain.text),
            method=RECOGNITION + _kind_method(image),
        )


def _describe_tiles(ctx: ToolContext, image: np.ndarray, tiles: list) -> DescribeOutput:
    """'This picture is a grid of 4 pictures (2 rows of 2). Row 1, left: I see a brown cat ...; ...':
    each tile of a collage described as a picture of its own (a detector and a classifier run on the
    whole grid see a few of its photos, and name the mixture)."""
    from vitron_agent.perception.detector import detect_objects
    from vitron_agent.perception.picture_kind import made_picture_note
    from vitron_agent.perception.scene_words import describe_scene
    from vitron_agent.perception.tiles import grid_words

    rows = sorted({t[1] for t in tiles})
    cols = sorted({t[0] for t in tiles})
    parts = []
    for i, (x1, y1, x2, y2) in enumerate(tiles, 1):
        ctx.progress(0.1 + 0.8 * i / len(tiles), f"recognising picture {i} of {len(tiles)}")
        tile = np.ascontiguousarray(image[y1:y2, x1:x2])
        where = _tile_place(rows.index(y1), len(rows), cols.index(x1), len(cols))
        parts.append((where, describe_scene(tile, detect_objects(tile)), made_picture_note(tile)))
    notes = {note for _, _, note in parts}
    common = notes.pop() if len(notes) == 1 else ""  # the same kind of picture in every tile: said once
    said = [f"{where}: {text.removeprefix(common).strip()}" for where, text, _ in parts]
    text = f"This picture is {grid_words(tiles)}. " + (f"{common} " if common else "")
    text += ". ".join(p[0].upper() + p[1:] for p in said) + "."
    return DescribeOutput(
        text=text, method=RECOGNITION + f"; {grid_words(tiles)} found by its grid lines, each described"
    )


def _tile_place(row: int, rows: int, col: int, cols: int) -> str:
    """'top left', 'middle row, right', 'picture 2' for a tile of a grid."""
    across = {1: [""], 2: ["left", "right"], 3: ["left", "middle", "right"]}.get(cols)
    down = {1: [""], 2: ["top", "bottom"], 3: ["top", "middle row", "bottom"]}.get(rows)
    if across is None or down is None:
        return f"picture {row * cols + col + 1}"
    said = " ".join(w for w in (down[row], across[col]) if w)
    return said.replace("middle row middle", "centre").replace("middle row ", "middle row, ")


def _hedged(note: str, answer: str) -> str:
    """``answer`` after the not-a-photograph ``note`` ('' for a photograph), a "Yes" softened to
    "Perhaps" (the detector's yes holds for photographs)."""
    if not note:
        return answer
    return f"{note} {re.sub(r'^Yes:', 'Perhaps:', answer)}"


def _kind_method(image: np.ndarray) -> str:
    """'; picture kind: ..., p(photo) 0.04 (noise 0.01, ...)' for the step's method."""
    from vitron_agent.perception.picture_kind import picture_kind

    return "; " + picture_kind(image).describe()


def _selected_as(inp, ctx: ToolContext, image: np.ndarray, found: list) -> str | None:
    """When the region is a segment step's recognised object ("the cat": NanoDet's cat 0.55) and
    the detector's first name for it here differs (an edit can make a cat look like a person to
    it; NanoDet can rank person first on the very picture), both: what was selected, then what the
    detector sees now. None when they agree or the mask was not found by recognition."""
    from vitron_agent.core.errors import RefError
    from vitron_agent.perception.detector import COCO80
    from vitron_agent.perception.scene_words import describe_scene

    try:
        made_by = ctx.store.meta(inp.mask).get("made_by") or ""
    except (RefError, OSError, ValueError):  # not in this session's store, or unreadable: the plain caption
        return None
    m = re.match(r"(?:NanoDet|SSD-MobileNetV2) recognised (.+?)(?:; the mask|$)", made_by)
    if m is None:
        return None
    phrase = m.group(1)
    label = max((c for c in COCO80 if phrase.startswith(c + " ")), key=len, default=None)
    if label is None or any(d.label == label for d in found):
        return None  # the detector names it so here too: the plain caption says it
    now = describe_scene(image, found).removeprefix("I see ") if found else "none of COCO's 80 classes"
    return f"This is the {label} you asked for; here I see {now} in it."


register(Backend("describe", "embedded", EmbeddedDescribeTool, default=True))
register(Backend("count", "embedded", EmbeddedCountTool, default=True))


_ANIMALS = frozenset({"bird", "cat", "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe"})


def _faces_said(n: int, image: np.ndarray) -> str:
    """The face count in words, saying what BlazeFace counts (people's faces): "I count 0 faces" on a
    cheetah's face or a drawn smiley read as "there is no face" (newcomer, session 12). With none
    found, an animal the detector sees is named, as what was not counted."""
    if n:
        return f"I count {n} human face{'s' if n != 1 else ''} (people's faces only: animals' and drawn faces are not counted)."
    said = "I count no human faces. I count people's faces only (BlazeFace): animals' and drawn faces are not counted"
    try:
        from vitron_agent.perception.detector import detect_objects

        animals = sorted({d.label for d in detect_objects(image) if d.label in _ANIMALS and d.score >= 0.6})
    except Exception:  # the detector unavailable: the limit is said all the same
        animals = []
    if animals:
        return f"{said}; what may be {' and '.join(f'a {a}' for a in animals)} is here, and I did not count its face."
    return said + "."


# "red things", "the blue objects", "items": any thing, named by its colour only
_ANY_THING = re.compile(r"^(?:the\s+|all\s+(?:the\s+)?|any\s+)?(?:[a-z-]+\s+)?(?:things?|objects?|items?|stuff)$", re.I)


def _count_coloured(inp: CountInput, ctx: ToolContext, image: np.ndarray) -> CountOutput:
    """Things of ``inp.color`` on a photo (perception/colour_counts.py): the detector's objects of the
    colour, named, and other areas of it large enough to be things, said as areas I cannot name."""
    from vitron_agent.perception.colour_counts import AREA, coloured_things
    from vitron_agent.perception.detector import detect_objects
    from vitron_agent.perception.recognise import mask_of, plural

    ctx.progress(0.2, "recognising objects (SSD-MobileNetV2) and judging their colours")
    colour = str(inp.color)
    found = coloured_things(image, colour, detect_objects(image), outline=lambda d: mask_of(image, [d]))
    parts = [f"a {d.label} ({d.score:.2f})" for d in found.named]
    parts += [f"a {colour} area I cannot name {where}" for _, where in found.areas[:6]]
    if found.count == 0:
        text = (
            f"I see nothing {colour} that stands out: none of the {found.checked} objects I recognise is {colour}, "
            f"and no {colour} area covers {AREA:.1%} of the picture"
        )
    else:
        listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
        text = f"I count {found.count} {colour} {plural('thing', found.count)}: {listed}"
        if found.areas:
            text += f" (the {plural('area', len(found.areas))} by colour only: a thing's outline is a guess there)"
    mask = np.zeros(image.shape[:2], bool)
    for shape in found.outlines:
        mask |= shape
    for area, _ in found.areas:
        mask |= area
    return CountOutput(
        count=found.count,
        mask=ctx.store.put_mask(mask, producer=ctx.step_id, image=inp.image) if mask.any() else None,
        text=text + ".",
        method=f"SSD-MobileNetV2 detections scoring at least 0.3, each judged {colour} or not by its colour against "
        f"the light ({found.checked} judged); then {colour} areas of at least {AREA:.1%} of the picture outside them",
    )


def _count_faces(inp: CountInput, ctx: ToolContext) -> CountOutput:
    """People's faces, by BlazeFace (in the user's region when one is given)."""
    from vitron_agent.perception.faces import detect_faces, face_mask

    image = ctx.store.get_image(inp.image)
    faces = detect_faces(image)
    region, where = count_region(ctx, inp, image.shape[:2])
    if region is not None:
        faces = [
            f
            for f in faces
            if region[
                min(region.shape[0] - 1, int((f.box[1] + f.box[3]) / 2)),
                min(region.shape[1] - 1, int((f.box[0] + f.box[2]) / 2)),
            ]
        ]
    scores = ", ".join(f"{f.score:.2f}" for f in faces)
    mask_ref = (
        ctx.store.put_mask(face_mask(image.shape[:2], faces), producer=ctx.step_id, image=inp.image) if faces else None
    )
    return CountOutput(
        count=len(faces),
        mask=mask_ref,
        method="BlazeFace faces scoring at least 0.7" + (f": {scores}" if faces else ""),
        text=_faces_said(len(faces), image) + _only_in(where),
    )
