"""Makes the format-4 PyTorch reference runs (../README-format-4.md): the
Dirac-GAN (a `scale` layer for each player) and consensus optimisation.
Run with Debian's python3-torch (1.13):

    /usr/bin/python3 tests/parity/format-4/make.py tests/parity

Float64 throughout; torch.manual_seed(4000 + k) before the k-th case.
"""
import json
import sys

import torch

torch.set_default_dtype(torch.float64)


class Scale(torch.nn.Module):
    """y = w ⊙ x, no bias, every weight starting at `start`."""

    def __init__(self, width, start):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.full((width,), float(start)))

    def forward(self, x):
        return x * self.weight


MODULES = {
    "linear": lambda l: torch.nn.Linear(l["in"], l["out"]),
    "scale": lambda l: Scale(l["width"], l["start"]),
    "sigmoid": lambda l: torch.nn.Sigmoid(),
    "tanh": lambda l: torch.nn.Tanh(),
    "leaky_relu": lambda l: torch.nn.LeakyReLU(l["alpha"]),
}


def weights_of(net, layers):
    out = []
    for index, (module, layer) in enumerate(zip(net, layers)):
        if layer["type"] == "linear":
            out.append({"index": index, "type": "linear",
                        "weight_out_in": module.weight.detach().tolist(),
                        "bias": module.bias.detach().tolist()})
        elif layer["type"] == "scale":
            out.append({"index": index, "type": "scale", "gamma": module.weight.detach().tolist()})
    return out


def loss_terms(loss):
    """(real, fake, generator) terms on D's output (a probability, or a score), batch means."""
    log = lambda v: torch.clamp(torch.log(v), min=-100)
    if loss == "bce":
        return (lambda q: -log(q).mean(), lambda q: -log(1 - q).mean(), lambda q: -log(q).mean())
    if loss == "bce_minimax":
        return (lambda q: -log(q).mean(), lambda q: -log(1 - q).mean(), lambda q: log(1 - q).mean())
    if loss == "wasserstein":
        return (lambda s: -s.mean(), lambda s: s.mean(), lambda s: -s.mean())
    raise ValueError(loss)


def run(case, k):
    torch.manual_seed(4000 + k)
    d_layers, g_layers = case["discriminator"]["layers"], case["generator"]["layers"]
    D = torch.nn.Sequential(*[MODULES[l["type"]](l) for l in d_layers])
    G = torch.nn.Sequential(*[MODULES[l["type"]](l) for l in g_layers])
    initial = {"discriminator": weights_of(D, d_layers), "generator": weights_of(G, g_layers)}
    width, iters, d_steps = case["pattern"]["width"], case["iterations"], case.get("d_steps", 1)
    gamma = case.get("consensus", 0)
    simultaneous = case.get("updates") == "simultaneous"
    real_term, fake_term, gen_term = loss_terms(case["loss"])
    sigmoid_head = d_layers[-1]["type"] == "sigmoid"
    penalty = case.get("penalty")
    lr_d, lr_g = case["discriminator"]["optimiser"]["lr"], case["generator"]["optimiser"]["lr"]
    z = torch.full((1, 1), float(case["generator_input"]))
    n = iters * d_steps
    if case.get("data") == "point":
        real_samples = torch.zeros(n, width)
    else:  # the seed's pattern: even slots U(0.8, 1), odd U(0, 0.2)
        u = torch.rand(n, width)
        even = (torch.arange(width) % 2 == 0).to(torch.float64)
        real_samples = even * (0.8 + 0.2 * u) + (1 - even) * (0.2 * u)
    dp, gp = list(D.parameters()), list(G.parameters())

    def score(x):
        return D[:-1](x) if sigmoid_head else D(x)

    def r1(x):
        if not (penalty and penalty["type"] == "r1"):
            return torch.zeros(())
        x = x.clone().requires_grad_(True)
        (grad,) = torch.autograd.grad(score(x).sum(), x, create_graph=True)
        return penalty["gamma"] / 2 * (grad ** 2).sum(1).mean()

    def regulariser(x):
        """∇(½‖v‖²) in (D's, G's) parameters, v = (∇_D (real + fake + penalty), ∇_G G's loss)."""
        total = real_term(D(x)) + fake_term(D(G(z))) + r1(x)
        vd = torch.autograd.grad(total, dp, create_graph=True)
        vg = torch.autograd.grad(gen_term(D(G(z))), gp, create_graph=True)
        half = 0.5 * (sum((v ** 2).sum() for v in vd) + sum((v ** 2).sum() for v in vg))
        grads = torch.autograd.grad(half, dp + gp)
        return grads[: len(dp)], grads[len(dp):]

    def generator_step():
        fake = G(z)
        out = D(fake)
        g_loss = gen_term(out)
        return torch.autograd.grad(g_loss, gp), g_loss.item(), out.mean().item()

    steps = []
    for it in range(iters):
        record = {"iteration": it}
        if simultaneous:
            g_grads, record["g_loss"], record["d_of_fake"] = generator_step()
            start = [p.detach().clone() for p in dp]
        for c in range(d_steps):
            x = real_samples[it * d_steps + c: it * d_steps + c + 1]
            out_real = D(x)
            lr_, lf_, pen = real_term(out_real), fake_term(D(G(z).detach())), r1(x)
            grads = torch.autograd.grad(lr_ + lf_ + pen, dp)
            if gamma:
                grads = [g + gamma * r for g, r in zip(grads, regulariser(x)[0])]
            record.update({"d_loss_real": lr_.item(), "d_loss_fake": lf_.item(),
                           "penalty": pen.item(), "d_of_real": out_real.mean().item()})
            with torch.no_grad():
                for p, g in zip(dp, grads):
                    p -= lr_d * g
                if penalty and penalty["type"] == "weight_clip":
                    for p in dp:
                        p.clamp_(-penalty["clip"], penalty["clip"])
        if simultaneous:
            if gamma:
                # From the point G steps from: D as it stood at the iteration's start.
                after = [p.detach().clone() for p in dp]
                with torch.no_grad():
                    for p, s in zip(dp, start):
                        p.copy_(s)
                g_reg = regulariser(x)[1]
                with torch.no_grad():
                    for p, a in zip(dp, after):
                        p.copy_(a)
                g_grads = [g + gamma * r for g, r in zip(g_grads, g_reg)]
        else:
            g_grads, record["g_loss"], record["d_of_fake"] = generator_step()
            if gamma:
                g_grads = [g + gamma * r for g, r in zip(g_grads, regulariser(x)[1])]
        with torch.no_grad():
            for p, g in zip(gp, g_grads):
                p -= lr_g * g
            record["g_output_after"] = G(z)[0].tolist()
        steps.append(record)
    case = dict(case)
    case.update({"format": 4, "torch_seed": 4000 + k, "dtype": "float64",
                 "torch_version": torch.__version__, "initial_weights": initial,
                 "real_samples": real_samples.tolist(), "steps": steps,
                 "final_weights": {"discriminator": weights_of(D, d_layers),
                                   "generator": weights_of(G, g_layers)}})
    return case


DIRAC_D = {"layers": [{"type": "scale", "width": 1, "start": 1}, {"type": "sigmoid"}],
           "optimiser": {"name": "sgd", "lr": 0.2, "momentum": 0}}
DIRAC_D_SCORE = {"layers": [{"type": "scale", "width": 1, "start": 1}],
                 "optimiser": {"name": "sgd", "lr": 0.2, "momentum": 0}}
DIRAC_G = {"layers": [{"type": "scale", "width": 1, "start": 1}],
           "optimiser": {"name": "sgd", "lr": 0.2, "momentum": 0}}
DIRAC = {"pattern": {"width": 1}, "data": "point", "generator_input": 1, "d_update": "joint",
         "iterations": 500, "discriminator": DIRAC_D, "generator": DIRAC_G}
SMALL_D = {"layers": [{"type": "linear", "in": 4, "out": 3}, {"type": "tanh"},
                      {"type": "linear", "in": 3, "out": 1}, {"type": "sigmoid"}],
           "optimiser": {"name": "sgd", "lr": 0.05, "momentum": 0}}
SMALL_G = {"layers": [{"type": "linear", "in": 1, "out": 3}, {"type": "leaky_relu", "alpha": 0.02},
                      {"type": "linear", "in": 3, "out": 4}, {"type": "sigmoid"}],
           "optimiser": {"name": "sgd", "lr": 0.05, "momentum": 0}}

CASES = [
    {"case": "dirac-minimax-simultaneous", **DIRAC, "loss": "bce_minimax", "updates": "simultaneous"},
    {"case": "dirac-minimax-alternating", **DIRAC, "loss": "bce_minimax"},
    {"case": "dirac-r1-alternating", **DIRAC, "loss": "bce_minimax",
     "penalty": {"type": "r1", "gamma": 0.3}},
    {"case": "dirac-wgan-clip-5critic", **DIRAC, "loss": "wasserstein", "discriminator": DIRAC_D_SCORE,
     "penalty": {"type": "weight_clip", "clip": 1}, "d_steps": 5, "iterations": 200},
    {"case": "dirac-consensus-simultaneous", **DIRAC, "loss": "bce_minimax", "updates": "simultaneous",
     "consensus": 1},
    {"case": "dirac-consensus-alternating-5critic", **DIRAC, "loss": "bce_minimax", "consensus": 1,
     "d_steps": 5, "iterations": 200},
    {"case": "consensus-small-bce-alternating", "pattern": {"width": 4}, "generator_input": 0.5,
     "loss": "bce", "d_update": "joint", "consensus": 0.5, "iterations": 100,
     "discriminator": SMALL_D, "generator": SMALL_G},
    {"case": "consensus-small-minimax-simultaneous", "pattern": {"width": 4}, "generator_input": 0.5,
     "loss": "bce_minimax", "d_update": "joint", "updates": "simultaneous", "consensus": 1,
     "iterations": 100, "discriminator": SMALL_D, "generator": SMALL_G},
]

if __name__ == "__main__":
    folder = sys.argv[1]
    for k, case in enumerate(CASES):
        with open(f"{folder}/{case['case']}.json", "w") as out:
            json.dump(run(case, k), out)
        print(case["case"])
