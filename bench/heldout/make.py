#!/usr/bin/env python3
"""A held-out judge benchmark of the embedded world, built apart from JudgeFlow's own generator.

Nothing here calls JudgeFlow: scenes come from Python's `random` with seeds no workflow uses, images are
drawn by this file's own anti-aliased rasteriser (same world: 24 pixels, 3x3 cells, circles, squares and
triangles in red, green, blue and yellow, small or large, +-1 pixel jitter, noise 12), and the answers and
captions follow the world's grammar (docs/world.md) as written here. Every rejected response names only
what the scene shows and has as many words as the preferred one; each kind of error is its own category
(100 items each by default), and the preferred response sits first in half the items.

    python3 bench/heldout/make.py OUT_DIR [--items 100] [--seed 20261207]

writes OUT_DIR/items.jsonl, OUT_DIR/images/*.png and OUT_DIR/benchmark.json; `judgeflow eval --judge J
--bench OUT_DIR` scores a judge on it (bench/heldout/run.sh does it for every judge of the main job).
"""
import argparse
import json
import os
import random
import struct
import zlib

SIZE, GRID, NOISE = 24, 3, 12
SHAPES = ["circle", "square", "triangle"]
COLOURS = {"red": (220, 40, 40), "green": (40, 190, 60), "blue": (50, 80, 235), "yellow": (230, 215, 40)}
SIZES = {"small": 0.28, "large": 0.45}
PLURAL = {"circle": "circles", "square": "squares", "triangle": "triangles"}


def inside(shape, dx, dy, r):
    if shape == "circle":
        return dx * dx + dy * dy <= r * r
    if shape == "square":
        return abs(dx) <= r * 0.85 and abs(dy) <= r * 0.85
    return -r <= dy <= r * 0.8 and abs(dx) <= (dy + r) * 0.6


def draw(objects, rng):
    """RGB rows of the scene: 3x3 sub-pixel coverage per pixel, colour jitter, uniform noise."""
    cell = SIZE / GRID
    painted = []
    for o in objects:
        base = COLOURS[o["colour"]]
        painted.append(tuple(c + rng.randint(-15, 15) for c in base))
    rows = []
    for y in range(SIZE):
        row = bytearray()
        for x in range(SIZE):
            colour = [28.0, 28.0, 32.0]
            for o, c in zip(objects, painted):
                cx = (o["column"] + 0.5) * cell - 0.5 + o["dx"]
                cy = (o["row"] + 0.5) * cell - 0.5 + o["dy"]
                r = SIZES[o["size"]] * cell
                hits = sum(inside(o["shape"], x + (sx + 0.5) / 3 - 0.5 - cx, y + (sy + 0.5) / 3 - 0.5 - cy, r)
                           for sy in range(3) for sx in range(3))
                a = hits / 9
                colour = [colour[k] * (1 - a) + c[k] * a for k in range(3)]
            row += bytes(max(0, min(255, int(round(v)) + rng.randint(-NOISE, NOISE))) for v in colour)
        rows.append(bytes(row))
    return rows


def png(rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def scene(rng, least=2):
    count = rng.randint(least, 3)
    cells = rng.sample(range(GRID * GRID), count)
    objects = [{"shape": rng.choice(SHAPES), "colour": rng.choice(list(COLOURS)), "size": rng.choice(list(SIZES)),
                "row": c // GRID, "column": c % GRID, "dx": rng.randint(-1, 1), "dy": rng.randint(-1, 1)} for c in cells]
    return sorted(objects, key=lambda o: (o["row"], o["column"]))


def mention(o):
    return f"a {o['size']} {o['colour']} {o['shape']} in row {o['row'] + 1} column {o['column'] + 1} ."


def caption(objects):
    return " ".join(mention(o) for o in sorted(objects, key=lambda o: (o["row"], o["column"])))


def swapped(objects, rng, fields):
    """A copy where two objects that differ in `fields` trade them, or None."""
    pairs = [(i, j) for i in range(len(objects)) for j in range(i + 1, len(objects))
             if any(objects[i][f] != objects[j][f] for f in fields)]
    if not pairs:
        return None
    i, j = rng.choice(pairs)
    out = [dict(o) for o in objects]
    for f in fields:
        out[i][f], out[j][f] = objects[j][f], objects[i][f]
    return out


def item(kind, objects, rng):
    """(query, preferred, rejected) for one kind of error, or None when the scene cannot show it."""
    truth = caption(objects)
    if kind in ("colour-swap", "shape-swap", "size-swap", "position-swap"):
        fields = {"colour-swap": ["colour"], "shape-swap": ["shape"], "size-swap": ["size"],
                  "position-swap": ["row", "column", "dx", "dy"]}[kind]
        bad = swapped(objects, rng, fields)
        if bad is None or caption(bad) == truth:
            return None
        return "describe the image .", truth, caption(bad)
    if kind == "hallucinated-object":
        present = {(o["colour"], o["shape"]) for o in objects}
        options = [(i, a["colour"], b["shape"]) for i in range(len(objects)) for a in objects for b in objects
                   if a is not objects[i] and b is not objects[i] and (a["colour"], b["shape"]) not in present]
        if not options:
            return None
        i, colour, shape = rng.choice(options)
        bad = [dict(o) for o in objects]
        bad[i]["colour"], bad[i]["shape"] = colour, shape
        return "describe the image .", truth, caption(bad)
    if kind == "distractor-colour":
        unique = [o for o in objects if sum(p["shape"] == o["shape"] for p in objects) == 1]
        if not unique:
            return None
        o = rng.choice(unique)
        others = sorted({p["colour"] for p in objects} - {o["colour"]})
        if not others:
            return None
        return f"what color is the {o['shape']} ?", o["colour"], rng.choice(others)
    if kind == "distractor-shape":
        unique = [o for o in objects if sum(p["colour"] == o["colour"] for p in objects) == 1]
        if not unique:
            return None
        o = rng.choice(unique)
        others = sorted({p["shape"] for p in objects} - {o["shape"]})
        if not others:
            return None
        return f"what shape is the {o['colour']} object ?", o["shape"], rng.choice(others)
    if kind == "absent-combination":
        present = {(o["colour"], o["shape"]) for o in objects}
        options = sorted({(a["colour"], b["shape"]) for a in objects for b in objects} - present)
        if not options:
            return None
        c, s = rng.choice(options)
        return f"is there a {c} {s} ?", "no", "yes"
    if kind == "present-combination":
        o = rng.choice(objects)
        return f"is there a {o['colour']} {o['shape']} ?", "yes", "no"
    if kind == "count":
        n = len(objects)
        return "how many objects are there ?", str(n), str(rng.choice([k for k in (n - 1, n + 1) if 0 <= k <= 3]))
    raise ValueError(kind)


KINDS = ["colour-swap", "shape-swap", "size-swap", "position-swap", "hallucinated-object", "distractor-colour",
         "distractor-shape", "absent-combination", "present-combination", "count"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    os.makedirs(os.path.join(args.out, "images"), exist_ok=True)
    rng = random.Random(args.seed)
    lines, n = [], 0
    for kind in KINDS:
        made = 0
        while made < args.items:
            objects = scene(rng, least=1 if kind in ("count", "present-combination") else 2)
            made_item = item(kind, objects, rng)
            if made_item is None:
                continue
            query, good, bad = made_item
            image = f"images/{n}.png"
            with open(os.path.join(args.out, image), "wb") as f:
                f.write(png(draw(objects, rng)))
            first = made % 2 == 0
            lines.append(json.dumps({"version": 1, "id": f"heldout-{kind}-{made}", "category": kind, "image": image,
                                     "query": query, "responses": [good, bad] if first else [bad, good],
                                     "preferred": 0 if first else 1, "source": f"heldout/{kind}"}, sort_keys=True))
            made += 1
            n += 1
    with open(os.path.join(args.out, "items.jsonl"), "w") as f:
        f.write("\n".join(lines) + "\n")
    vocabulary = {"colour": list(COLOURS), "shape": SHAPES + list(PLURAL.values()), "size": list(SIZES),
                  "number": [str(k) for k in range(4)], "other": [".", ",", "?", ":", "a", "in", "row", "column", "yes", "no"]}
    with open(os.path.join(args.out, "benchmark.json"), "w") as f:
        json.dump({"version": 1, "style": "heldout", "seed": args.seed, "items_per_category": args.items,
                   "vocabulary": vocabulary}, f, sort_keys=True, indent=2)
    print(f"{len(lines)} items in {len(KINDS)} kinds into {args.out}")


if __name__ == "__main__":
    main()
