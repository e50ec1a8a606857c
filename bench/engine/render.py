"""Render the peer harness's dag.json (../shared/bench/peers/gen.py) as a JudgeFlow workflow.

Usage: python render.py DAG_JSON OUTDIR
Writes OUTDIR/workflow.yaml and the same input files as the DVC and Snakemake renderings. Each stage is a
`shell` node doing exactly what the peers' stages do; the stage that reads `p` interpolates `${p}` from the
workflow's params, so the harness edits `p` with sed (see judgeflow.json).
"""
import json, os, sys


def main():
    dag_path, out = sys.argv[1], sys.argv[2]
    dag = json.load(open(dag_path))
    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    for i, f in enumerate(dag["inputs"]):
        with open(os.path.join(out, f), "w") as fh:
            fh.write(f"input {i}\n")
    lines = ["# Generated from the peer benchmark's dag.json by bench/engine/render.py.",
             "params:", f"  p: {dag['param']['p']}", "stages:"]
    for n in dag["nodes"]:
        cmd = f"mkdir -p out && cat {' '.join(n['deps'])} | sha256sum > {n['out']} && echo {n['name']} >> {n['out']}"
        if n["uses_param"]:
            cmd += " && echo p=${p} >> " + n["out"]
        lines += [f"  {n['name']}:", "    uses: shell", "    with:", f"      cmd: {cmd}",
                  f"      deps: [{', '.join(n['deps'])}]", f"      outs: [{n['out']}]"]
    with open(os.path.join(out, "workflow.yaml"), "w") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
