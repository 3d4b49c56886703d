"""The reference workload in PyTorch, timed step by step: gradlab's peer in `gradlab bench --vs pytorch`.

A ReLU MLP (input -> width x (depth - 1) -> output) with He-normal kernels and zero biases,
softmax cross-entropy, plain SGD, and, in the "norms" mode, every parameter's gradient L2 norm
read back to the host every step, as gradlab's "norms" mode does. Inputs are uniform in [0, 1)
and labels uniform over the classes, drawn once: the cost of a step does not depend on them.

Prints one JSON object: {"torch": version, "threads": n, "mode": m, "ms": [per-step times]}.
The first `--warmup` steps are run and not timed.
"""

import argparse
import json
import sys
import time


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--depth", type=int, default=20)
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--input", type=int, default=784)
    p.add_argument("--output", type=int, default=10)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--mode", choices=["bare", "norms"], default="norms")
    a = p.parse_args()

    import torch

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    sizes = [a.input] + [a.width] * (a.depth - 1) + [a.output]
    layers = []
    for i in range(a.depth):
        linear = torch.nn.Linear(sizes[i], sizes[i + 1])
        torch.nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
        torch.nn.init.zeros_(linear.bias)
        layers.append(linear)
        if i < a.depth - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    params = list(model.parameters())
    opt = torch.optim.SGD(params, lr=a.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.rand(a.batch, a.input)
    y = torch.randint(0, a.output, (a.batch,))

    times = []
    for step in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        if a.mode == "norms":
            norms = torch.stack([q.grad.norm() for q in params])
        opt.step()
        loss.item()
        if a.mode == "norms":
            norms.tolist()
        ms = (time.perf_counter() - t0) * 1000
        if step >= a.warmup:
            times.append(ms)
    json.dump(
        {"torch": torch.__version__, "threads": torch.get_num_threads(), "mode": a.mode, "ms": times},
        sys.stdout,
    )
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
