"""PyTorch's draws that gansweep's own are checked against (not training loops: those are the
fixture formats in tests/parity/README*.md).

Run with Debian's torch (1.13): /usr/bin/python3 tests/parity/draws/make.py tests/parity/draws

1. torch-init.json (tests/initialisation_test.ts): for each case, `draws` kernels of PyTorch's nn.Linear(in, out) weight
initialised by torch.nn.init.<name>_(weight, gain), each given in gansweep's kernel layout
[in, out] row-major (weight[o][i] at i*out + o), every number to 6 significant digits; and the singular
values of each kernel. torch.manual_seed(6000 + k) before the k-th case.

2. notebook-stratified-batches.json (tests/stratified_batches_test.ts): The Numerics of GANs'
real batches as its notebook builds them (LMescheder/TheNumericsOfGANs,
notebooks/mog-eigval-dist.ipynb: `mus = np.vstack([np.cos(2*np.pi*k/8), np.sin(2*np.pi*k/8)] for
k in range(batch_size))`, `x_real = mus + sigma*tf.random_normal([batch_size, 2])`), here with
torch.randn for the noise: `batch_size` 512, sigma 0.01, three batches; `mode_of_row` is k mod 8's
k for each row (the mus row it was built from), `batches` the samples. torch.manual_seed(7000).
"""
import math
import json
import sys

import torch

CASES = [
    {"name": "xavier_uniform", "gain": 1.0, "in": 16, "out": 16, "draws": 12},
    {"name": "xavier_uniform", "gain": 1.0, "in": 2, "out": 16, "draws": 64},
    {"name": "orthogonal", "gain": 1.4, "in": 2, "out": 128, "draws": 12},
    {"name": "orthogonal", "gain": 1.4, "in": 128, "out": 128, "draws": 1},
    {"name": "orthogonal", "gain": 1.4, "in": 128, "out": 1, "draws": 12},
]


def main(folder):
    out = []
    for k, case in enumerate(CASES):
        torch.manual_seed(6000 + k)
        init = getattr(torch.nn.init, case["name"] + "_")
        kernels, singular = [], []
        for _ in range(case["draws"]):
            weight = torch.empty(case["out"], case["in"], dtype=torch.float64)
            init(weight, gain=case["gain"])
            kernels.append([float(f"{v:.6g}") for v in weight.t().reshape(-1).tolist()])
            singular.append(torch.linalg.svdvals(weight).tolist())
        out.append({**case, "kernels": kernels, "singular_values": singular})
    with open(f"{folder}/torch-init.json", "w") as f:
        json.dump({"torch": torch.__version__, "cases": out}, f)
    stratified(folder)


def stratified(folder, batch_size=512, sigma=0.01, batches=3):
    torch.manual_seed(7000)
    ks = list(range(batch_size))
    mus = torch.tensor(
        [[math.cos(2 * math.pi * k / 8), math.sin(2 * math.pi * k / 8)] for k in ks],
        dtype=torch.float64,
    )
    drawn = [(mus + sigma * torch.randn(batch_size, 2, dtype=torch.float64)).tolist() for _ in range(batches)]
    with open(f"{folder}/notebook-stratified-batches.json", "w") as f:
        json.dump({
            "torch": torch.__version__,
            "batch_size": batch_size,
            "sigma": sigma,
            "mode_of_row": [k % 8 for k in ks],
            "batches": [[[float(f"{v:.6g}") for v in row] for row in batch] for batch in drawn],
        }, f)


if __name__ == "__main__":
    main(sys.argv[1])
