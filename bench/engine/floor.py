"""The commands of the peer harness's DAG with no engine: what a cold run (or the edit rerun's cone) costs
when only the stages' own commands run, J at a time, layer after layer.

Usage: python floor.py DAG_JSON PROJECT_DIR [--jobs 2] [--cone] [--repeat 3]
PROJECT_DIR is a rendering of DAG_JSON (bench/engine/render.py), whose data/ the commands read; out/ is
removed first. Each stage's command runs as `bash -c` in strict mode, as a `shell` stage runs it, through
`xargs -P J`; a layer starts when the one before has finished (an engine that follows the edges can only do
better). With --cone, only the stages downstream of the one that reads `p` (what editing `p` reruns).
Prints one wall time per repeat.
"""
import argparse, json, os, shutil, subprocess, tempfile, time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dag"); ap.add_argument("project")
    ap.add_argument("--jobs", type=int, default=2); ap.add_argument("--cone", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    dag = json.load(open(a.dag))
    by_out = {n["out"]: n for n in dag["nodes"]}
    wanted = {n["name"] for n in dag["nodes"]}
    if a.cone:
        children = {}
        for n in dag["nodes"]:
            for d in n["deps"]:
                if d in by_out:
                    children.setdefault(by_out[d]["name"], []).append(n["name"])
        wanted = {n["name"] for n in dag["nodes"] if n["uses_param"]}
        stack = list(wanted)
        while stack:
            for c in children.get(stack.pop(), []):
                if c not in wanted:
                    wanted.add(c); stack.append(c)
    layers = {}
    for n in dag["nodes"]:
        if n["name"] not in wanted:
            continue
        cmd = f"set -euo pipefail; mkdir -p out && cat {' '.join(n['deps'])} | sha256sum > {n['out']} && echo {n['name']} >> {n['out']}"
        if n["uses_param"]:
            cmd += f" && echo p={dag['param']['p']} >> {n['out']}"
        layers.setdefault(n["layer"], []).append(cmd)
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for layer in sorted(layers):
            path = os.path.join(tmp, f"{layer:04d}.txt")
            open(path, "w").write("\n".join(layers[layer]) + "\n")
            files.append(path)
        for _ in range(a.repeat):
            if not a.cone:
                shutil.rmtree(os.path.join(a.project, "out"), ignore_errors=True)
            start = time.monotonic()
            for path in files:
                with open(path) as fh:
                    subprocess.run(["xargs", "-P", str(a.jobs), "-d", "\n", "-n", "1", "bash", "-c"], stdin=fh, cwd=a.project, check=True)
            print(f"{len(wanted)} stages, {a.jobs} at a time: {time.monotonic() - start:.2f} s", flush=True)


if __name__ == "__main__":
    main()
