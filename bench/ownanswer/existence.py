#!/usr/bin/env python3
"""What the loop's kept existence traces teach: each kept `is there a <colour> <shape> ?` trace of a
workflow's run, sorted by what its scene holds (the combination present, a named colour or shape
missing, or an absent combination of present ones), with the preferred answer and the judge's own.
Scenes are read back with `judgeflow world scene`. Run the workflow first.
    python3 bench/ownanswer/existence.py [WORKFLOW] [STORE]   # default: workflows/self-improve.yaml, ./artifacts
Prints a Markdown table, one row per iteration.
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JF = os.path.join(ROOT, ".build", "release", "judgeflow")
KINDS = ["present", "missing colour or shape", "absent combination"]


def judgeflow(*args):
    return subprocess.run([JF, *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def kept_traces(node, workflow, store, out):
    judgeflow("export", node, out, "--workflow", workflow, "--store", store)
    directory = os.path.join(out, "kept")
    with open(os.path.join(directory, "world.json")) as f:
        world = json.load(f)
    with open(os.path.join(directory, "kept.jsonl")) as f:
        return [json.loads(line) for line in f], world


def world_args(world):
    w = world["world"]
    pairs = {"image_size": w["imageSize"], "grid": w["grid"], "max_objects": w["maxObjects"],
             "min_objects": w["minObjects"], "noise": w["noise"], "shapes": len(w["shapes"]), "colours": len(w["colours"])}
    args = ["--seed", str(world["seed"])]
    for key, value in pairs.items():
        args += ["--set", f"{key}={value}"]
    return args


def main():
    workflow = sys.argv[1] if len(sys.argv) > 1 else "workflows/self-improve.yaml"
    store = sys.argv[2] if len(sys.argv) > 2 else "artifacts"
    subprocess.run(["swift", "build", "-c", "release", "--product", "judgeflow"], cwd=ROOT, check=True, capture_output=True)
    print("| iteration | " + " | ".join(f"{k}: kept (own answer `yes`)" for k in KINDS) + " | `yes` where both named attributes are present |")
    print("|---" * (len(KINDS) + 2) + "|")
    with tempfile.TemporaryDirectory() as tmp:
        scenes = {}
        for i in range(1, 9):
            try:
                kept, world = kept_traces(f"kept@{i}", workflow, store, os.path.join(tmp, f"kept{i}"))
            except subprocess.CalledProcessError:
                break
            counts = {k: [0, 0] for k in KINDS}
            for k in kept:
                if k["family"] != "existence":
                    continue
                words = k["question"].split()  # is there a <colour> <shape> ?
                colour, shape = words[3], words[4]
                if k["scene"] not in scenes:
                    text = judgeflow("world", "scene", "--index", str(k["scene"]), *world_args(world))
                    scenes[k["scene"]] = json.loads(text)["objects"]
                objects = scenes[k["scene"]]
                if any(o["color"] == colour and o["shape"] == shape for o in objects):
                    kind = "present"
                elif any(o["color"] == colour for o in objects) and any(o["shape"] == shape for o in objects):
                    kind = "absent combination"
                else:
                    kind = "missing colour or shape"
                counts[kind][0] += 1
                counts[kind][1] += k["trace"] == "yes"
            both = counts["present"][0] + counts["absent combination"][0]
            share = counts["present"][0] / both if both else float("nan")
            cells = " | ".join(f"{n} ({yes})" for n, yes in (counts[k] for k in KINDS))
            print(f"| {i} | {cells} | {share:.2f} |")


if __name__ == "__main__":
    main()
