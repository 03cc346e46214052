"""The ring's training step in plain PyTorch, one run on one thread, for `deno task bench`.

The Numerics of GANs' networks (D 2 -> 4x16 ReLU -> 1, G 16 -> 4x16 ReLU -> 2), the non-saturating
loss at D's logit, RMSprop 1e-4, batch 512, simultaneous updates: both players' gradients from the
same point, then both steps. `--batch new` draws G's own z (as gansweep's default does); `--batch
reuse` gives both players one z. `--consensus GAMMA` adds GAMMA * grad(1/2 |v|^2) to each player's
gradient (v the joint field, by double backward), each at its own step's samples. Prints
`{"ms_per_iteration": ...}` after timing `--iterations` iterations (a few untimed ones first).

Usage: python3 src/bench/torch_ring.py [--iterations 200] [--batch new|reuse] [--consensus 0]
"""

import argparse
import json
import math
import time

import torch
import torch.nn.functional as F


def network(widths):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def ring_sample(batch):
    modes = torch.randint(0, 8, (batch,))
    angles = modes.float() * (2 * math.pi / 8)
    centres = torch.stack([torch.cos(angles), torch.sin(angles)], 1)
    return centres + 0.01 * torch.randn(batch, 2)


def losses(D, G, real, z_d, z_g):
    """D's loss on (real, G(z_d)) and G's on G(z_g): one G pass where the z is one."""
    fake_g = G(z_g)
    fake_d = fake_g if z_d is z_g else G(z_d)
    d_loss = F.softplus(-D(real)).mean() + F.softplus(D(fake_d.detach())).mean()
    return d_loss, F.softplus(-D(fake_g)).mean()


def consensus_term(D, G, real, z, wanted):
    """grad(1/2 |v|^2) in the parameters `wanted`, v the joint field at (real, z)."""
    fake = G(z)
    d_loss = F.softplus(-D(real)).mean() + F.softplus(D(fake)).mean()
    g_loss = F.softplus(-D(fake)).mean()
    v_d = torch.autograd.grad(d_loss, list(D.parameters()), create_graph=True)
    v_g = torch.autograd.grad(g_loss, list(G.parameters()), create_graph=True)
    half = 0.5 * sum((v * v).sum() for v in v_d + v_g)
    return torch.autograd.grad(half, wanted)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--batch", choices=["new", "reuse"], default="new")
    parser.add_argument("--consensus", type=float, default=0.0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    D = network([2, 16, 16, 16, 16, 1])
    G = network([16, 16, 16, 16, 16, 2])
    d_params, g_params = list(D.parameters()), list(G.parameters())
    optimise_d = torch.optim.RMSprop(d_params, lr=1e-4)
    optimise_g = torch.optim.RMSprop(g_params, lr=1e-4)
    batch = 512

    def iteration():
        real = ring_sample(batch)
        z_g = torch.randn(batch, 16)
        z_d = z_g if args.batch == "reuse" else torch.randn(batch, 16)
        if args.consensus > 0 and args.batch == "reuse":
            # One z: v and grad(1/2 |v|^2) in both players' parameters from one graph.
            fake = G(z_g)
            d_loss = F.softplus(-D(real)).mean() + F.softplus(D(fake)).mean()
            g_loss = F.softplus(-D(fake)).mean()
            v_d = torch.autograd.grad(d_loss, d_params, create_graph=True)
            v_g = torch.autograd.grad(g_loss, g_params, create_graph=True)
            half = 0.5 * sum((v * v).sum() for v in v_d + v_g)
            jv = torch.autograd.grad(half, d_params + g_params)
            grads_d = [v.detach() + args.consensus * j for v, j in zip(v_d, jv[: len(d_params)])]
            grads_g = [v.detach() + args.consensus * j for v, j in zip(v_g, jv[len(d_params):])]
        else:
            d_loss, g_loss = losses(D, G, real, z_d, z_g)
            grads_d = list(torch.autograd.grad(d_loss, d_params))
            grads_g = list(torch.autograd.grad(g_loss, g_params))
            if args.consensus > 0:
                jd = consensus_term(D, G, real, z_d, d_params)
                jg = consensus_term(D, G, real, z_g, g_params)
                grads_d = [v + args.consensus * j for v, j in zip(grads_d, jd)]
                grads_g = [v + args.consensus * j for v, j in zip(grads_g, jg)]
        for p, grad in zip(d_params, grads_d):
            p.grad = grad
        for p, grad in zip(g_params, grads_g):
            p.grad = grad
        optimise_d.step()
        optimise_g.step()

    for _ in range(min(10, args.iterations)):
        iteration()
    start = time.perf_counter()
    for _ in range(args.iterations):
        iteration()
    elapsed = time.perf_counter() - start
    print(json.dumps({"ms_per_iteration": 1000 * elapsed / args.iterations}))


if __name__ == "__main__":
    main()
