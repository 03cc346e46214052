"""Makes the format-6 PyTorch reference runs (../README-format-6.md): format 5 with TensorFlow 1's
RMSprop (`tf.train.RMSPropOptimizer`, momentum 0), the optimiser `rmsprop_tf`. Run with Debian's
python3-torch (1.13):

    /usr/bin/python3 tests/parity/format-6/make.py tests/parity

PyTorch has no such optimiser: `RMSpropTF` below writes TensorFlow's rule by hand (as timm's
`timm/optim/rmsprop_tf.py` emulates it): the accumulator ms starts at 1,
`ms ← ms + (g² − ms)(1 − ρ)`, `θ ← θ − lr·g / √(ms + ε)` (ε inside the root), read from
tensorflow/python/training/rmsprop.py (the "rms" slot's ones_initializer) and
tensorflow/core/kernels/training_ops.cc (ApplyRMSProp). Everything else is format 5's loop,
imported from ../format-5/make.py unchanged. Float64 throughout; torch.manual_seed(6000 + k) before
the k-th case. Each case is also replayed in float32 PyTorch from its recorded initial weights and
samples; its `iterations` is the longest of 200, 190, ..., 50 for which that replay stays under
1e-4 relative error on every recorded d_loss_real, d_loss_fake, g_loss and penalty.
"""
import importlib.util
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "format5", os.path.join(HERE, "..", "format-5", "make.py"))
format5 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(format5)

SEED_BASE = 6000


class RMSpropTF(torch.optim.Optimizer):
    """TensorFlow 1's RMSprop without momentum: ms₀ = 1, ms ← ms + (g² − ms)(1 − ρ),
    θ ← θ − lr·g / √(ms + ε). `alpha` is TensorFlow's decay ρ (default 0.9), `eps` its ε
    (default 1e-10)."""

    def __init__(self, params, lr, alpha=0.9, eps=1e-10):
        super().__init__(params, {"lr": lr, "alpha": alpha, "eps": eps})

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                state = self.state[p]
                if "ms" not in state:
                    state["ms"] = torch.ones_like(p)
                ms = state["ms"]
                ms.add_((g * g - ms) * (1 - group["alpha"]))
                p.sub_(g * group["lr"] / torch.sqrt(ms + group["eps"]))


_format5_optimiser_for = format5.optimiser_for


def optimiser_for(params, spec):
    if spec["name"] == "rmsprop_tf":
        return RMSpropTF(params, lr=spec["lr"], alpha=spec["alpha"], eps=spec["eps"])
    return _format5_optimiser_for(params, spec)


# Format 5's loop looks its optimisers up here.
format5.optimiser_for = optimiser_for


def run(case, k, fmt=6, seed_base=SEED_BASE):
    """Format 5's loop for `case` from torch.manual_seed(seed_base + k), as format `fmt`."""
    for iterations in format5.ITERATION_CHOICES:
        trial = dict(case, iterations=iterations)
        # format5.draw seeds torch.manual_seed(5000 + k'): k' = k + seed_base - 5000.
        initial, real_samples, z_samples = format5.draw(trial, seed_base - 5000 + k)
        steps, final = format5.train(trial, initial, real_samples, z_samples, torch.float64)
        error = format5.float32_error(trial, initial, real_samples, z_samples, steps)
        if error < format5.FLOAT32_LIMIT:
            break
    else:
        raise RuntimeError(f"{case['case']}: float32 strays {error:.3g} even at {iterations}")
    trial.update({"format": fmt, "torch_seed": seed_base + k, "dtype": "float64",
                  "torch_version": torch.__version__, "initial_weights": initial,
                  "real_samples": real_samples.tolist()})
    if z_samples is not None:
        trial["z_samples"] = z_samples.tolist()
    trial.update({"steps": steps, "final_weights": final})
    return trial, error


def rmsprop_tf(lr, alpha=0.9, eps=1e-10):
    return {"name": "rmsprop_tf", "lr": lr, "alpha": alpha, "eps": eps}


CASES = [
    # The Numerics of GANs' scheme (non-saturating BCE, one joint D step and G's step from the
    # same point) on the seed's networks, TensorFlow's defaults, a rate at which the steps matter.
    {"case": "tf-rmsprop-bce-simultaneous", "pattern": {"width": 6}, "batch_size": 4,
     "generator_input": {"noise": 1}, "loss": "bce", "d_update": "joint",
     "updates": "simultaneous", "iterations": 200,
     **format5.networks(format5.SEED_D_SIGMOID, rmsprop_tf(1e-2))},
    # Options other than the defaults (a decay of 0.5 and an ε that shows inside the root), the
    # seed's separate, alternating D updates.
    {"case": "tf-rmsprop-options-alternating", "pattern": {"width": 6}, "batch_size": 4,
     "generator_input": 0.5, "loss": "bce", "d_update": "separate", "iterations": 200,
     **format5.networks(format5.SEED_D_SIGMOID, rmsprop_tf(5e-3, 0.5, 1e-3))},
]

if __name__ == "__main__":
    folder = sys.argv[1]
    for k, case in enumerate(CASES):
        made, error = run(case, k)
        with open(f"{folder}/{case['case']}.json", "w") as out:
            json.dump(made, out)
        print(f"{case['case']}: {made['iterations']} iterations, float32 worst error {error:.3g}")
