"""Makes the format-7 PyTorch reference runs (../README-format-7.md): format 6 with
`generator_batch`: "reuse", where G's step takes the last critic step's z (and G(z)) instead of
drawing its own; with simultaneous updates one z serves both players (The Numerics of GANs'
notebook, GDPP's script and AilsaF/RS-GAN's 5gaussian.py all run both players on one batch). Run
with Debian's python3-torch (1.13):

    /usr/bin/python3 tests/parity/format-7/make.py tests/parity

The loop is format 5's (../format-5/make.py reads `generator_batch`), the optimisers format 6's
(../format-6/make.py, which adds TensorFlow 1's RMSprop), both imported unchanged. Float64
throughout; torch.manual_seed(7000 + k) before the k-th case; `iterations` as format 6 chooses it.
"""
import importlib.util
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name, folder):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, "..", folder, "make.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Format 6 patches format 5's optimiser lookup on import; use the module it patched.
format6 = load("format6", "format-6")
format5 = format6.format5

SEED_BASE = 7000


def run(case, k):
    return format6.run(case, k, fmt=7, seed_base=SEED_BASE)


CASES = [
    # Alternating updates, 2 critic steps: G's step takes the second critic step's z.
    {"case": "reuse-bce-alternating-2critic", "pattern": {"width": 6}, "batch_size": 4,
     "generator_input": {"noise": 1}, "loss": "bce", "d_steps": 2, "generator_batch": "reuse",
     "iterations": 200, **format5.networks(format5.SEED_D_SIGMOID, format5.adam(1e-3))},
    # The Numerics of GANs' step: one z for both players, simultaneous, D's joint step, TF's
    # RMSprop.
    {"case": "reuse-numerics-step", "pattern": {"width": 6}, "batch_size": 4,
     "generator_input": {"noise": 1}, "loss": "bce", "d_update": "joint",
     "updates": "simultaneous", "generator_batch": "reuse", "iterations": 200,
     **format5.networks(format5.SEED_D_SIGMOID, format6.rmsprop_tf(1e-2))},
]

if __name__ == "__main__":
    folder = sys.argv[1]
    for k, case in enumerate(CASES):
        made, error = run(case, k)
        with open(f"{folder}/{case['case']}.json", "w") as out:
            json.dump(made, out)
        print(f"{case['case']}: {made['iterations']} iterations, float32 worst error {error:.3g}")
