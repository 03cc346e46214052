"""Makes the format-5 PyTorch reference runs (../README-format-5.md): the
relativistic losses, penalties that combine, batches and noise input.
Run with Debian's python3-torch (1.13):

    /usr/bin/python3 tests/parity/format-5/make.py tests/parity

Float64 throughout; torch.manual_seed(5000 + k) before the k-th case. Each
case is also replayed in float32 PyTorch from its recorded initial weights
and samples; its `iterations` is the longest of 200, 190, ..., 50 for which
that replay stays under 1e-4 relative error (`|f32 - f64| / max(1, |f64|)`)
on every recorded d_loss_real, d_loss_fake, g_loss and penalty.
"""
import json
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

FLOAT32_LIMIT = 1e-4
ITERATION_CHOICES = list(range(200, 49, -10))


class Scale(torch.nn.Module):
    """y = w ⊙ x, no bias, every weight starting at `start` (format 4's layer)."""

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
                        "weight_out_in": module.weight.detach().double().tolist(),
                        "bias": module.bias.detach().double().tolist()})
        elif layer["type"] == "scale":
            out.append({"index": index, "type": "scale",
                        "gamma": module.weight.detach().double().tolist()})
    return out


def load_weights(net, weights, dtype):
    """A network's parameters from a `weights_of` list, in `dtype`."""
    with torch.no_grad():
        for entry in weights:
            module = net[entry["index"]]
            if entry["type"] == "linear":
                module.weight.copy_(torch.tensor(entry["weight_out_in"], dtype=dtype))
                module.bias.copy_(torch.tensor(entry["bias"], dtype=dtype))
            elif entry["type"] == "scale":
                module.weight.copy_(torch.tensor(entry["gamma"], dtype=dtype))


def build(layers, dtype=torch.float64):
    return torch.nn.Sequential(*[MODULES[l["type"]](l) for l in layers]).to(dtype)


def optimiser_for(params, spec):
    if spec["name"] == "adam":
        return torch.optim.Adam(params, lr=spec["lr"], betas=(spec["beta1"], spec["beta2"]),
                                eps=spec["eps"])
    if spec["name"] == "sgd":
        return torch.optim.SGD(params, lr=spec["lr"], momentum=spec.get("momentum", 0))
    raise ValueError(spec["name"])


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


RELATIVISTIC = ("rsgan", "rasgan", "ralsgan", "rahinge")


def relativistic_terms(loss):
    """(D's real and fake terms, G's loss), each a function of (s(x), s(x̃)), the scores on the
    real and the fake batch; pairs are sample i of one with sample i of the other."""
    sp = F.softplus
    relu = torch.relu
    if loss == "rsgan":
        return (lambda sr, sf: sp(sf - sr).mean(),
                lambda sr, sf: torch.zeros((), dtype=sr.dtype),
                lambda sr, sf: sp(sr - sf).mean())
    if loss == "rasgan":
        return (lambda sr, sf: 0.5 * sp(-(sr - sf.mean())).mean(),
                lambda sr, sf: 0.5 * sp(sf - sr.mean()).mean(),
                lambda sr, sf: 0.5 * sp(sr - sf.mean()).mean()
                + 0.5 * sp(-(sf - sr.mean())).mean())
    if loss == "ralsgan":
        return (lambda sr, sf: 0.5 * ((sr - sf.mean() - 1) ** 2).mean(),
                lambda sr, sf: 0.5 * ((sf - sr.mean() + 1) ** 2).mean(),
                lambda sr, sf: 0.5 * ((sr - sf.mean() + 1) ** 2).mean()
                + 0.5 * ((sf - sr.mean() - 1) ** 2).mean())
    if loss == "rahinge":
        return (lambda sr, sf: 0.5 * relu(1 - (sr - sf.mean())).mean(),
                lambda sr, sf: 0.5 * relu(1 + (sf - sr.mean())).mean(),
                lambda sr, sf: 0.5 * relu(1 + (sr - sf.mean())).mean()
                + 0.5 * relu(1 - (sf - sr.mean())).mean())
    raise ValueError(loss)


def penalties_of(case):
    penalty = case.get("penalty")
    if penalty is None:
        return []
    return list(penalty) if isinstance(penalty, list) else [penalty]


def draw(case, k):
    """The case's initial weights and samples, from torch.manual_seed(5000 + k): D's and G's
    initialisation, then the real samples, then (with a noise input) the z samples."""
    torch.manual_seed(5000 + k)
    d_layers, g_layers = case["discriminator"]["layers"], case["generator"]["layers"]
    D, G = build(d_layers), build(g_layers)
    initial = {"discriminator": weights_of(D, d_layers), "generator": weights_of(G, g_layers)}
    width, iters, d_steps = case["pattern"]["width"], case["iterations"], case.get("d_steps", 1)
    batch = case.get("batch_size", 1)
    n = iters * d_steps * batch
    # The seed's pattern: even slots U(0.8, 1), odd U(0, 0.2).
    u = torch.rand(n, width)
    even = (torch.arange(width) % 2 == 0).to(torch.float64)
    real_samples = even * (0.8 + 0.2 * u) + (1 - even) * (0.2 * u)
    z_samples = None
    if isinstance(case["generator_input"], dict):
        # Per iteration a batch for each critic step and one for G's step (format 7's
        # generator_batch "reuse": none for G's step, which takes the last critic step's).
        reuse = case.get("generator_batch", "new") == "reuse"
        draws = iters * (d_steps + (0 if reuse else 1))
        z_samples = torch.randn(draws * batch, case["generator_input"]["noise"])
    return initial, real_samples, z_samples


def train(case, initial, real_samples, z_samples, dtype):
    """The loop of ../README-format-5.md from `initial`, on the given samples, in `dtype`.
    Returns (steps, final weights)."""
    d_layers, g_layers = case["discriminator"]["layers"], case["generator"]["layers"]
    D, G = build(d_layers, dtype), build(g_layers, dtype)
    load_weights(D, initial["discriminator"], dtype)
    load_weights(G, initial["generator"], dtype)
    real_samples = real_samples.to(dtype)
    z_samples = None if z_samples is None else z_samples.to(dtype)
    iters, d_steps = case["iterations"], case.get("d_steps", 1)
    batch = case.get("batch_size", 1)
    simultaneous = case.get("updates") == "simultaneous"
    # Format 7: G's step takes the last critic step's z (with simultaneous updates, one z for both).
    reuse = case.get("generator_batch", "new") == "reuse"
    joint = case.get("d_update", "separate") == "joint"
    relativistic = case["loss"] in RELATIVISTIC
    sigmoid_head = d_layers[-1]["type"] == "sigmoid"
    assert not (relativistic and sigmoid_head), "a relativistic loss reads D's raw score"
    assert not (relativistic and not joint), "a relativistic loss takes joint D steps"
    assert not (simultaneous and d_steps != 1), "simultaneous updates take one critic step"
    if relativistic:
        d_real_term, d_fake_term, g_term = relativistic_terms(case["loss"])
    else:
        real_term, fake_term, gen_term = loss_terms(case["loss"])
    penalties = penalties_of(case)
    for p in penalties:
        assert p["type"] in ("r1", "r2"), p
    dp, gp = list(D.parameters()), list(G.parameters())
    opt_d = optimiser_for(dp, case["discriminator"]["optimiser"])
    opt_g = optimiser_for(gp, case["generator"]["optimiser"])

    def score(x):
        return D[:-1](x) if sigmoid_head else D(x)

    def gradient_penalty_at(x, kind):
        """Σ over the penalties of `kind` of γ/2·‖∇ₓ s(x)‖², mean over the batch."""
        total = torch.zeros((), dtype=dtype)
        for p in penalties:
            if p["type"] != kind:
                continue
            xg = x.detach().clone().requires_grad_(True)
            (grad,) = torch.autograd.grad(score(xg).sum(), xg, create_graph=True)
            total = total + p["gamma"] / 2 * (grad ** 2).sum(1).mean()
        return total

    draw_index = [0]

    def next_z():
        if z_samples is None:
            return torch.full((batch, 1), float(case["generator_input"]), dtype=dtype)
        i = draw_index[0]
        draw_index[0] += 1
        return z_samples[i * batch: (i + 1) * batch]

    def real_batch(it, c):
        start = (it * d_steps + c) * batch
        return real_samples[start: start + batch]

    def generator_evaluation(z, x):
        """G's loss on its batch G(z) (x: the last critic step's real batch), its gradient in
        G's parameters, and D's mean output on G's batch."""
        fake = G(z)
        if relativistic:
            with torch.no_grad():
                s_real = D(x)
            s_fake = D(fake)
            g_loss = g_term(s_real, s_fake)
            d_of_fake = s_fake.mean()
        else:
            out = D(fake)
            g_loss = gen_term(out)
            d_of_fake = out.mean()
        grads = torch.autograd.grad(g_loss, gp)
        return grads, g_loss.item(), d_of_fake.item()

    def critic_step(x, z):
        if joint:
            with torch.no_grad():
                fake = G(z)
            out_real, out_fake = D(x), D(fake)
            if relativistic:
                lr_, lf_ = d_real_term(out_real, out_fake), d_fake_term(out_real, out_fake)
            else:
                lr_, lf_ = real_term(out_real), fake_term(out_fake)
            pen = gradient_penalty_at(x, "r1") + gradient_penalty_at(fake, "r2")
            opt_d.zero_grad()
            (lr_ + lf_ + pen).backward()
            opt_d.step()
        else:
            # Format 2's critic step: D on the real batch (+ R1), a step; then the updated D
            # on the fake batch (+ R2), a step.
            out_real = D(x)
            lr_ = real_term(out_real)
            pen_real = gradient_penalty_at(x, "r1")
            opt_d.zero_grad()
            (lr_ + pen_real).backward()
            opt_d.step()
            with torch.no_grad():
                fake = G(z)
            out_fake = D(fake)
            lf_ = fake_term(out_fake)
            pen_fake = gradient_penalty_at(fake, "r2")
            opt_d.zero_grad()
            (lf_ + pen_fake).backward()
            opt_d.step()
            pen = pen_real + pen_fake
        return {"d_loss_real": lr_.item(), "d_loss_fake": lf_.item(), "penalty": pen.item(),
                "d_of_real": out_real.mean().item()}

    steps = []
    for it in range(iters):
        record = {"iteration": it}
        if simultaneous:
            z_g = next_z()
            z_first = z_g
            # G's loss and gradient at the iteration's start point; x is this iteration's
            # (last) critic step's real batch, scored by D before the critic step.
            g_grads, record["g_loss"], record["d_of_fake"] = generator_evaluation(
                z_g, real_batch(it, d_steps - 1))
        for c in range(d_steps):
            z_c = z_first if simultaneous and reuse else next_z()
            record.update(critic_step(real_batch(it, c), z_c))
        # G's output is recorded for the last z drawn (the critic step's when simultaneous).
        last_z = z_c
        if not simultaneous:
            z_g = z_c if reuse else next_z()
            last_z = z_g
            g_grads, record["g_loss"], record["d_of_fake"] = generator_evaluation(
                z_g, real_batch(it, d_steps - 1))
        opt_g.zero_grad()
        for p, g in zip(gp, g_grads):
            p.grad = g.clone()
        opt_g.step()
        with torch.no_grad():
            record["g_output_after"] = G(last_z[:1])[0].double().tolist()
        # Keep the key order of the earlier formats.
        steps.append({key: record[key] for key in (
            "iteration", "d_loss_real", "d_loss_fake", "penalty", "d_of_real", "g_loss",
            "d_of_fake", "g_output_after")})
    if z_samples is not None:
        assert draw_index[0] * batch == len(z_samples), "every z row is used once"
    final = {"discriminator": weights_of(D, d_layers), "generator": weights_of(G, g_layers)}
    return steps, final


def relative(ours, ref):
    return abs(ours - ref) / max(1.0, abs(ref))


def float32_error(case, initial, real_samples, z_samples, steps64):
    steps32, _ = train(case, initial, real_samples, z_samples, torch.float32)
    return max(relative(a[key], b[key]) for a, b in zip(steps32, steps64)
               for key in ("d_loss_real", "d_loss_fake", "g_loss", "penalty"))


def run(case, k):
    for iterations in ITERATION_CHOICES:
        trial = dict(case, iterations=iterations)
        initial, real_samples, z_samples = draw(trial, k)
        steps, final = train(trial, initial, real_samples, z_samples, torch.float64)
        error = float32_error(trial, initial, real_samples, z_samples, steps)
        if error < FLOAT32_LIMIT:
            break
    else:
        raise RuntimeError(f"{case['case']}: float32 strays {error:.3g} even at {iterations}")
    trial.update({"format": 5, "torch_seed": 5000 + k, "dtype": "float64",
                  "torch_version": torch.__version__, "initial_weights": initial,
                  "real_samples": real_samples.tolist()})
    if z_samples is not None:
        trial["z_samples"] = z_samples.tolist()
    trial.update({"steps": steps, "final_weights": final})
    return trial, error


def adam(lr, beta1=0.9, beta2=0.999):
    return {"name": "adam", "lr": lr, "beta1": beta1, "beta2": beta2, "eps": 1e-08}


def sgd(lr):
    return {"name": "sgd", "lr": lr, "momentum": 0}


# The seed's networks without normalisation: D 6→3→3→1 (sigmoid hidden), G 1→3→3→3→6 (leaky
# ReLU 0.02 after every linear layer, the last included, as the seed's).
SEED_D = [{"type": "linear", "in": 6, "out": 3}, {"type": "sigmoid"},
          {"type": "linear", "in": 3, "out": 3}, {"type": "sigmoid"},
          {"type": "linear", "in": 3, "out": 1}]
SEED_D_SIGMOID = SEED_D + [{"type": "sigmoid"}]
SEED_G = [{"type": "linear", "in": 1, "out": 3}, {"type": "leaky_relu", "alpha": 0.02},
          {"type": "linear", "in": 3, "out": 3}, {"type": "leaky_relu", "alpha": 0.02},
          {"type": "linear", "in": 3, "out": 3}, {"type": "leaky_relu", "alpha": 0.02},
          {"type": "linear", "in": 3, "out": 6}, {"type": "leaky_relu", "alpha": 0.02}]


def networks(d_layers, optimiser):
    return {"discriminator": {"layers": d_layers, "optimiser": optimiser},
            "generator": {"layers": SEED_G, "optimiser": dict(optimiser)}}


NOISE = {"pattern": {"width": 6}, "batch_size": 4, "generator_input": {"noise": 1}}
R1_R2 = [{"type": "r1", "gamma": 1}, {"type": "r2", "gamma": 1}]

CASES = [
    {"case": "relativistic-rsgan-adam", **NOISE, "loss": "rsgan", "d_update": "joint",
     "iterations": 200, **networks(SEED_D, adam(1e-3))},
    {"case": "relativistic-rasgan-sgd", **NOISE, "loss": "rasgan", "d_update": "joint",
     "iterations": 200, **networks(SEED_D, sgd(0.05))},
    {"case": "relativistic-ralsgan-sgd-simultaneous", **NOISE, "loss": "ralsgan",
     "d_update": "joint", "updates": "simultaneous", "iterations": 200,
     **networks(SEED_D, sgd(0.02))},
    # A rate at which D's scores part by more than the hinge's margin, so that its kink clips.
    {"case": "relativistic-rahinge-adam-2critic", **NOISE, "loss": "rahinge", "d_update": "joint",
     "d_steps": 2, "iterations": 200, **networks(SEED_D, adam(2e-2))},
    {"case": "r3gan-rpgan-r1-r2", **NOISE, "loss": "rsgan", "penalty": R1_R2,
     "d_update": "joint", "iterations": 200, **networks(SEED_D, adam(2e-4, 0, 0.99))},
    {"case": "nonsaturating-r1-r2-separate", "pattern": {"width": 6}, "batch_size": 4,
     "generator_input": 0.5, "loss": "bce", "penalty": R1_R2, "d_update": "separate",
     "iterations": 200, **networks(SEED_D_SIGMOID, adam(1e-3))},
]

if __name__ == "__main__":
    folder = sys.argv[1]
    for k, case in enumerate(CASES):
        made, error = run(case, k)
        with open(f"{folder}/{case['case']}.json", "w") as out:
            json.dump(made, out)
        print(f"{case['case']}: {made['iterations']} iterations, float32 worst error {error:.3g}")
