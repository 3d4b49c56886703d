"""The reference workload in PyTorch, timed step by step: gradlab's peer in `gradlab bench --vs pytorch`.

A ReLU MLP (input -> width x (depth - 1) -> output) with He-normal kernels and zero biases,
softmax cross-entropy, plain SGD. Each step draws a batch from a fixed pool of `--samples`
examples (gathered inside the timed step, as gradlab does), trains on it and reads the loss
back; in the "norms" mode it also reads every parameter's gradient L2 norm back to the host, as
gradlab's "norms" mode does. Inputs are uniform in [0, 1) and labels uniform over the classes:
the cost of a step does not depend on them.

`--mode` takes one mode or several, comma-separated ("bare,norms"): each runs on a fresh model,
its first `--warmup` steps untimed. Prints one JSON object:
  {"torch": version, "threads": n, "blas": {...}, "modes": {mode: [ms per timed step]},
   "mode": first mode, "ms": its times}

`--threads` sets both torch's own threads and OpenBLAS's. Debian's torch does its matrix
products in whatever libblas.so.3 is installed (libopenblas0-pthread: OpenBLAS), which reads
OPENBLAS_NUM_THREADS once, when it is loaded: so the variable is set here before torch is
imported, or OpenBLAS would use every core whatever --threads says.
"""

import argparse
import json
import os
import sys
import time

MODES = ("bare", "norms")


def positive(text: str) -> int:
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text}")
    return n


def modes(text: str) -> list:
    names = [m.strip() for m in text.split(",") if m.strip()]
    bad = [m for m in names if m not in MODES]
    if not names or bad:
        raise argparse.ArgumentTypeError(f"expected {' or '.join(MODES)} (comma-separated), got {text!r}")
    return names


def loaded_blas() -> dict:
    """Which BLAS library this process has loaded, and its thread count (Linux; best effort)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            libs = sorted({line.split()[-1] for line in f if "blas" in line.lower() and "/" in line})
    except OSError:
        return {"library": None, "threads": None}
    threads = None
    for lib in libs:
        if "openblas" in os.path.basename(lib):
            try:
                import ctypes

                threads = ctypes.CDLL(lib).openblas_get_num_threads()
            except (OSError, AttributeError):
                pass
    library = next((lib for lib in libs if "openblas" in os.path.basename(lib)), libs[0] if libs else None)
    return {"library": library, "threads": threads}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--depth", type=positive, default=20, help="dense layers, the output layer included")
    p.add_argument("--width", type=positive, default=256)
    p.add_argument("--input", type=positive, default=784)
    p.add_argument("--output", type=positive, default=10)
    p.add_argument("--batch", type=positive, default=128)
    p.add_argument("--samples", type=positive, default=10000, help="examples the batches are drawn from")
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--steps", type=positive, default=20, help="timed steps per mode")
    p.add_argument("--warmup", type=int, default=2, help="untimed steps before them")
    p.add_argument("--threads", type=positive, default=1)
    p.add_argument("--mode", type=modes, default=["norms"], help="bare, norms, or both: bare,norms")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()

    # Before torch (and with it libblas.so.3) is loaded: see the module's docstring.
    os.environ["OPENBLAS_NUM_THREADS"] = str(a.threads)
    os.environ["OMP_NUM_THREADS"] = str(a.threads)
    import torch

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    sizes = [a.input] + [a.width] * (a.depth - 1) + [a.output]
    x_all = torch.rand(a.samples, a.input)
    y_all = torch.randint(0, a.output, (a.samples,))
    loss_fn = torch.nn.CrossEntropyLoss()

    def model_and_params():
        layers = []
        for i in range(a.depth):
            linear = torch.nn.Linear(sizes[i], sizes[i + 1])
            torch.nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
            torch.nn.init.zeros_(linear.bias)
            layers.append(linear)
            if i < a.depth - 1:
                layers.append(torch.nn.ReLU())
        model = torch.nn.Sequential(*layers)
        return model, list(model.parameters())

    times = {}
    for mode in a.mode:
        model, params = model_and_params()
        opt = torch.optim.SGD(params, lr=a.lr)
        norms_mode = mode == "norms"
        ms = []
        for step in range(a.warmup + a.steps):
            t0 = time.perf_counter()
            idx = torch.randint(0, a.samples, (a.batch,))
            x, y = x_all[idx], y_all[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            if norms_mode:
                norms = torch.stack([q.grad.norm() for q in params])
            opt.step()
            loss.item()
            if norms_mode:
                norms.tolist()
            if step >= a.warmup:
                ms.append((time.perf_counter() - t0) * 1000)
        times[mode] = ms

    json.dump(
        {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "blas": loaded_blas(),
            "workload": {
                "depth": a.depth,
                "width": a.width,
                "input": a.input,
                "output": a.output,
                "batch": a.batch,
                "lr": a.lr,
            },
            "modes": times,
            "mode": a.mode[0],
            "ms": times[a.mode[0]],
        },
        sys.stdout,
    )
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
