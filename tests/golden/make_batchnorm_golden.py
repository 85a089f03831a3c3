#!/usr/bin/python3
"""PyTorch reference values for Plexus's BatchNormalization (float64).

    /usr/bin/python3 tests/golden/make_batchnorm_golden.py > tests/golden/batchnorm_golden.json

Deterministic: inputs and weights come from numpy RandomState seeds; floats are
written with repr() (exact round trip).

Semantics. Plexus follows Keras: moving = m * moving + (1 - m) * batch_stat with
m = momentum (0.99 by default), and the batch variance is the biased one (divide
by n) both for normalising and for the moving variance. torch.nn.BatchNorm1d
uses running = (1 - p) * running + p * batch_stat with p = its momentum, so
p = 1 - m, and its running_var mixes in the UNBIASED variance (n / (n - 1)).
This script trains torch's BatchNorm1d(momentum = 1 - m, eps) for 3 steps and
stores torch's running statistics as they are ("torch_running_var") and
converted to Keras's convention ("moving_variance"): with a fixed batch size n
and initial value 1,
    keras = m^k + (torch - m^k) * (n - 1) / n   after k steps.
The per-step train-mode outputs and gradients, and the eval-mode output after
the 3 steps, come straight from torch.

Schema: {"cases": [{"name", "momentum", "epsilon", "gamma" [d], "beta" [d],
"batches": [3 x {"x" [n][d], "upstream" [n][d], "output" [n][d],
"grad_input" [n][d], "grad_gamma" [d], "grad_beta" [d]}],
"moving_mean" [d], "moving_variance" [d], "torch_running_var" [d],
"eval_x" [n][d], "eval_output" [n][d]}]}. grad_* are of sum(output * upstream);
gamma and beta stay fixed (no optimizer step) so that the three steps only
move the running statistics.
"""

import json
import sys

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
STEPS = 3


def to_list(x):
    if isinstance(x, torch.Tensor):
        x = x.detach().numpy()
    return np.asarray(x, dtype=np.float64).tolist()


def case(name, seed, n, d, momentum, epsilon):
    rs = np.random.RandomState(seed)
    gamma = rs.uniform(0.5, 1.5, d)
    beta = rs.uniform(-0.5, 0.5, d)
    bn = torch.nn.BatchNorm1d(d, eps=epsilon, momentum=1.0 - momentum)
    with torch.no_grad():
        bn.weight.copy_(torch.tensor(gamma))
        bn.bias.copy_(torch.tensor(beta))
    batches = []
    bn.train()
    for _ in range(STEPS):
        x = torch.tensor(rs.normal(1.0, 2.0, (n, d)), requires_grad=True)
        upstream = torch.tensor(rs.uniform(-1, 1, (n, d)))
        bn.weight.grad = None
        bn.bias.grad = None
        out = bn(x)
        (out * upstream).sum().backward()
        batches.append({"x": to_list(x), "upstream": to_list(upstream), "output": to_list(out),
                        "grad_input": to_list(x.grad), "grad_gamma": to_list(bn.weight.grad),
                        "grad_beta": to_list(bn.bias.grad)})
    mk = momentum ** STEPS
    torch_var = bn.running_var.detach().numpy().copy()
    keras_var = mk + (torch_var - mk) * (n - 1) / n
    bn.eval()
    eval_x = torch.tensor(rs.normal(0.5, 1.5, (n, d)))
    with torch.no_grad():
        eval_out = bn(eval_x)
    return {"name": name, "momentum": momentum, "epsilon": epsilon, "gamma": to_list(gamma),
            "beta": to_list(beta), "batches": batches, "moving_mean": to_list(bn.running_mean),
            "moving_variance": to_list(keras_var), "torch_running_var": to_list(torch_var),
            "eval_x": to_list(eval_x), "eval_output": to_list(eval_out)}


def main():
    doc = {"format_version": 1, "generator": "tests/golden/make_batchnorm_golden.py",
           "torch_version": torch.__version__, "dtype": "float64",
           "cases": [case("keras_defaults", 7, 8, 3, 0.99, 1e-3),
                     case("fast_momentum", 8, 5, 4, 0.5, 1e-5)]}
    text = json.dumps(doc, indent=1) + "\n"
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
