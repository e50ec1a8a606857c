#!/usr/bin/env bash
# How the base model finds the object a question names. Serves a model of a workflow's latest run
# (`judgeflow serve`, default the `base` node), draws fresh scenes of two and three objects of the
# main job's world with `judgeflow world scene` (seed 9001; the workflows train on 1–3; a model of
# another world needs the `world` settings below changed) and, for every object the world names by its
# shape or by colour and shape, asks greedily
#   "where is <the object> ?"              (position; the answer is a cell)
#   "what color is the <shape> ?"          (colour; asked where the shape is the scene's only one)
#   "which row is <the object> in ?" and "which column is <the object> in ?"   (a cell a number at a time)
# and sorts each answer: right, another object's value, a value no object has, or not an answer of
# that type. A position answer that names another object's cell is a lookup that found the wrong
# object; an empty cell would be a cell misread. Last, the share of scenes whose position questions,
# about two or more different objects, all got the same cell: answers that ignore the question.
#   bash bench/reference/run.sh [WORKFLOW] [STORE] [NODE] [SCENES]   # default: self-improve.yaml, ./artifacts, base, 400
set -euo pipefail
cd "$(dirname "$0")/../.."
WORKFLOW=${1:-workflows/self-improve.yaml}
STORE=${2:-artifacts}
NODE=${3:-base}
SCENES=${4:-400}
OUT=${OUT:-$(mktemp -d)}
swift build -c release --product judgeflow >/dev/null
JF=$PWD/.build/release/judgeflow
$JF serve "$NODE" --workflow "$WORKFLOW" --store "$STORE" --port 0 --name "$NODE" > "$OUT/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q '^serving ' "$OUT/serve.log" && break; sleep 0.1; done
python3 - "$JF" "$OUT" "$NODE" "$SCENES" <<'PY'
import base64, collections, json, subprocess, sys, urllib.request
jf, out, model, scenes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
url = open(f"{out}/serve.log").readline().split(" at ")[1].strip()
world = []  # the main job's world
for k, v in {"image_size": 24, "grid": 3, "max_objects": 3, "shapes": 3, "colours": 4}.items():
    world += ["--set", f"{k}={v}"]

def ask(png, question):
    body = {"model": model, "temperature": 0, "max_tokens": 16,
            "messages": [{"role": "user", "content": [
                {"type": "image_url", "image_url": {"url": "data:image/png;base64," + base64.b64encode(png).decode()}},
                {"type": "text", "text": question}]}]}
    request = urllib.request.Request(url + "/chat/completions", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request))["choices"][0]["message"]["content"].split("<sep>")[0].strip()

def cell(o):
    return f"row {o['row'] + 1} column {o['column'] + 1}"

def name(o, objects):
    """The world's reference to o and its kind (Phrase.reference's first two forms), or (None, None)."""
    same_shape = [p for p in objects if p["shape"] == o["shape"]]
    if len(same_shape) == 1: return f"the {o['shape']}", "the <shape>"
    if sum(p["color"] == o["color"] for p in same_shape) == 1: return f"the {o['color']} {o['shape']}", "the <colour> <shape>"
    return None, None

cells = {f"row {r} column {c}" for r in (1, 2, 3) for c in (1, 2, 3)}
colours = {"red", "green", "blue", "yellow", "purple", "orange", "white"}
tally = collections.Counter()
for index in range(scenes):
    scene, image = f"{out}/scene.json", f"{out}/scene.png"
    subprocess.run([jf, "world", "scene", "--seed", "9001", "--index", str(index), *world, "-o", scene], check=True, capture_output=True)
    subprocess.run([jf, "world", "render", scene, "-o", image], check=True, capture_output=True)
    objects = json.load(open(scene))["objects"]
    if len(objects) < 2: continue
    png = open(image, "rb").read()
    answers = []  # the scene's position answers
    for o in objects:
        others = [p for p in objects if p is not o]
        phrase, kind = name(o, objects)
        if phrase:
            said = ask(png, f"where is {phrase} ?")
            verdict = ("right" if said == cell(o) else "another object's" if said in {cell(p) for p in others}
                       else "no object's" if said in cells else "not a cell")
            tally[("position", kind, len(objects), verdict)] += 1
            answers.append(said)
            for part in ("row", "column"):
                said = ask(png, f"which {part} is {phrase} in ?")
                verdict = ("right" if said == str(o[part] + 1) else "another object's" if said in {str(p[part] + 1) for p in others}
                           else "no object's" if said in {"1", "2", "3"} else "not a cell")
                tally[(part, kind, len(objects), verdict)] += 1
        other_colours = {p["color"] for p in others} - {o["color"]}
        if kind == "the <shape>" and other_colours:  # else every object has its colour: no wrong object to find
            said = ask(png, f"what color is the {o['shape']} ?")
            verdict = ("right" if said == o["color"] else "another object's" if said in other_colours
                       else "no object's" if said in colours else "not a colour")
            tally[("colour", kind, len(objects), verdict)] += 1
    if len(answers) >= 2:
        tally[("scenes", len(set(answers)) == 1)] += 1
verdicts = ["right", "another object's", "no object's", "not a cell", "not a colour"]
print("| question | reference | objects | asked | right | another object's value | a value no object has | not an answer of the type |")
print("|---|---|---|---|---|---|---|---|")
for family, kind, count in sorted({k[:3] for k in tally if len(k) == 4}):
    cells_ = [tally[(family, kind, count, v)] for v in verdicts]
    asked = sum(cells_)
    share = lambda n: f"{n / asked:.2f}"
    print(f"| {family} | {kind} | {count} | {asked} | {share(cells_[0])} | {share(cells_[1])} | {share(cells_[2])} | {share(cells_[3] + cells_[4])} |")
scenes = tally[("scenes", True)] + tally[("scenes", False)]
if scenes:
    print(f"\nScenes asked where two or more objects are: {scenes}; the same cell answered for every one of them: "
          f"{tally[('scenes', True)] / scenes:.2f}.")
PY
