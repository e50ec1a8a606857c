"""Cross-check: load a JudgeFlow TinyVLM checkpoint into the PyTorch reference model and compare logits.

Usage: python crosscheck.py DIR   (DIR written by `judgeflow-bench crosscheck-dump DIR`)
Opens DIR/model.safetensors with the `safetensors` library, builds ../../../shared/bench/torch-ref's
TinyVLM with the same configuration, loads the tensors by name (strict: every name must match), feeds the
same images and tokens, and prints the largest absolute and relative logit difference. Tolerance: the
two compute in float32 with different summation orders, so differences of ~1e-4 relative are expected;
the script fails above 1e-3 (max abs diff / max abs logit).
"""
import json, os, sys

import numpy as np
import torch
from safetensors.torch import load_file

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "shared", "bench", "torch-ref"))
from train_step import TinyVLM  # noqa: E402


def main():
    d = sys.argv[1]
    meta = json.load(open(os.path.join(d, "meta.json")))
    b, t, size = meta["batch"], meta["text"], meta["image"]
    model = TinyVLM(meta["vocab"], meta["d"], meta["layers"], meta["heads"], t, size)
    state = load_file(os.path.join(d, "model.safetensors"))
    model.load_state_dict(state, strict=True)
    pixels = np.fromfile(os.path.join(d, "images_hwc_u8.bin"), dtype=np.uint8).reshape(b, size, size, 3)
    images = torch.from_numpy(pixels.astype(np.float32) / 255).permute(0, 3, 1, 2).contiguous()
    tokens = torch.from_numpy(np.fromfile(os.path.join(d, "tokens_i32.bin"), dtype="<i4").astype(np.int64)).reshape(b, t)
    ours = np.fromfile(os.path.join(d, "logits_f32.bin"), dtype="<f4").reshape(b, t, meta["vocab"])
    with torch.no_grad():
        ref = model(images, tokens).numpy()
    diff = np.abs(ref - ours).max()
    scale = np.abs(ref).max()
    print(json.dumps({"max_abs_diff": float(diff), "max_abs_logit": float(scale), "relative": float(diff / scale),
                      "argmax_agreement": float((ref.argmax(-1) == ours.argmax(-1)).mean())}))
    sys.exit(0 if diff / scale < 1e-3 else 1)


if __name__ == "__main__":
    main()
