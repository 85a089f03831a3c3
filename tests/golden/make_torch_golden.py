#!/usr/bin/python3
"""Generate PyTorch reference values ("golden fixture") for Plexus tests.

How to run (from the repository root), using Debian's python which ships
torch 1.13 + numpy (the pyenv `python3` on PATH does not have torch):

    /usr/bin/python3 tests/golden/make_torch_golden.py > tests/golden/torch_golden.json
or
    /usr/bin/python3 tests/golden/make_torch_golden.py tests/golden/torch_golden.json

The output is fully deterministic: all inputs and weights come from fixed
numpy RandomState seeds (torch's RNG is never used), all arithmetic is done in
float64, and floats are written with Python's repr(), which is the shortest
string that round-trips to the exact same IEEE-754 double (at most 17
significant digits).  Re-running the script must reproduce the committed JSON
byte for byte (given the same torch/numpy versions).

See tests/golden/README.md for the JSON schema.

Plexus conventions mirrored here (Keras-like):
  * Dense kernel has shape (in, out), i.e. the TRANSPOSE of
    torch.nn.Linear.weight; y = x @ kernel + bias.
  * A loss is the mean over the batch of per-sample losses; per-sample losses
    that act element-wise (bce, mse, mae, huber) are the mean over the last
    axis (Keras semantics).  Gradients are of that mean loss.
"""

import json
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

FORMAT_VERSION = 1


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def t(a):
    """numpy array -> float64 torch tensor (no grad)."""
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float64)


def to_list(x):
    """torch tensor / numpy array -> nested python lists of python floats."""
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    x = np.asarray(x)
    if x.dtype.kind in "iu":
        return [int(v) for v in x.reshape(-1)] if x.ndim == 1 else x.tolist()
    return np.asarray(x, dtype=np.float64).tolist()


# Activations as used by the MLP cases (final "softmax" is row-wise).
def apply_activation(name, z):
    if name == "linear":
        return z
    if name == "tanh":
        return torch.tanh(z)
    if name == "sigmoid":
        return torch.sigmoid(z)
    if name == "relu":
        return torch.relu(z)
    if name == "leaky_relu":
        return F.leaky_relu(z, negative_slope=0.2)
    if name == "elu":
        return F.elu(z, alpha=1.0)
    if name == "selu":
        # torch: scale=1.0507009873554804934, alpha=1.6732632423543772848
        # (same constants as Keras 3).
        return F.selu(z)
    if name == "gelu":
        return F.gelu(z, approximate="none")  # exact erf form
    if name == "softplus":
        return F.softplus(z)  # beta=1; threshold=20 never reached here
    if name == "swish":
        return F.silu(z)  # x * sigmoid(x)
    if name == "softmax":
        return torch.softmax(z, dim=-1)
    raise ValueError(name)


# Losses, written out explicitly so that the semantics are unambiguous
# (no clipping, no epsilon).  Each returns the mean over the batch.
def loss_fn(name, y_true, y_pred, from_logits=False):
    if name == "categorical_crossentropy":
        if from_logits:
            per = -(y_true * torch.log_softmax(y_pred, dim=-1)).sum(-1)
        else:
            # Plain -sum(y * log p).  NOTE: Keras additionally renormalises
            # p by its row sum before the log; for rows that sum to 1 the
            # value is identical but d/dp differs (see README).
            per = -(y_true * torch.log(y_pred)).sum(-1)
        return per.mean()
    if name == "sparse_categorical_crossentropy":
        # y_true: int64 labels of shape (n,)
        logp = torch.log_softmax(y_pred, -1) if from_logits else torch.log(y_pred)
        per = -logp.gather(1, y_true.view(-1, 1)).squeeze(1)
        return per.mean()
    if name == "binary_crossentropy":
        if from_logits:
            # numerically stable: max(z,0) - z*y + log(1+exp(-|z|))
            el = F.binary_cross_entropy_with_logits(y_pred, y_true, reduction="none")
        else:
            el = -(y_true * torch.log(y_pred) + (1 - y_true) * torch.log(1 - y_pred))
        return el.mean(-1).mean()
    if name == "mse":
        return ((y_pred - y_true) ** 2).mean(-1).mean()
    if name == "mae":
        return (y_pred - y_true).abs().mean(-1).mean()
    if name == "huber":
        d = 1.0
        err = (y_pred - y_true).abs()
        el = torch.where(err <= d, 0.5 * err ** 2, d * err - 0.5 * d * d)
        return el.mean(-1).mean()
    raise ValueError(name)


# --------------------------------------------------------------------------
# MLP cases
# --------------------------------------------------------------------------

class MLP:
    """Minimal dense network holding parameters in Plexus layout.

    params[i] = (kernel (in,out), bias (out,)), both leaf tensors with grad.
    """

    def __init__(self, input_dim, layers, weights_np):
        self.input_dim = input_dim
        self.layers = layers
        self.params = []
        for k, b in weights_np:
            self.params.append((t(k).requires_grad_(True), t(b).requires_grad_(True)))
        # Smallest |pre-activation| seen at any relu unit (for the
        # well-definedness check of relu gradients).
        self.min_relu_abs_z = math.inf

    def flat_params(self):
        return [p for kb in self.params for p in kb]

    def forward(self, x):
        h = x
        for (k, b), spec in zip(self.params, self.layers):
            z = h @ k + b
            if spec["activation"] == "relu":
                self.min_relu_abs_z = min(self.min_relu_abs_z, float(z.detach().abs().min()))
            h = apply_activation(spec["activation"], z)
        return h

    def weights_json(self):
        return [{"kernel": to_list(k), "bias": to_list(b)} for k, b in self.params]

    def grads_json(self):
        return [{"kernel": to_list(k.grad), "bias": to_list(b.grad)} for k, b in self.params]


def init_weights(rs, input_dim, layers, scale=1.0):
    """Glorot-uniform-like kernels and small non-zero biases from numpy RS."""
    ws = []
    fan_in = input_dim
    for spec in layers:
        fan_out = spec["units"]
        lim = scale * math.sqrt(6.0 / (fan_in + fan_out))
        k = rs.uniform(-lim, lim, size=(fan_in, fan_out))
        b = rs.uniform(-0.2, 0.2, size=(fan_out,))
        ws.append((k, b))
        fan_in = fan_out
    return ws


OPTIMIZER_CONFIGS = {
    "sgd_momentum": {"learning_rate": 0.1, "momentum": 0.9, "nesterov": False},
    "sgd_nesterov": {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True},
    "adam": {"learning_rate": 0.01, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7},
    "rmsprop": {"learning_rate": 0.01, "rho": 0.9, "epsilon": 1e-7},
    "adamw": {"learning_rate": 0.01, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7,
              "weight_decay": 0.004},
    "adagrad": {"learning_rate": 0.1, "initial_accumulator_value": 0.1, "epsilon": 1e-7},
}
N_STEPS = 3


class KerasAdagrad:
    """Adagrad with KERAS semantics, implemented by hand.

    torch.optim.Adagrad computes  w -= lr * g / (sqrt(acc) + eps),
    whereas Keras (and Plexus) compute
        acc  = initial_accumulator_value            (at start)
        acc += g**2
        w   -= lr * g / sqrt(acc + eps)
    so torch.optim.Adagrad is deliberately NOT used here.
    """

    def __init__(self, params, lr, initial_accumulator_value, eps):
        self.params = list(params)
        self.lr = lr
        self.eps = eps
        self.acc = [torch.full_like(p, initial_accumulator_value) for p in self.params]

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        for p, a in zip(self.params, self.acc):
            g = p.grad
            a.add_(g * g)
            p.sub_(self.lr * g / torch.sqrt(a + self.eps))


def make_optimizer(name, params):
    """Map a Plexus/Keras optimizer config onto the torch reference.

    torch.optim formulas (float64) are the reference for Plexus:
      SGD(momentum, nesterov):  buf = m*buf + g (buf = g at step 1);
                                w -= lr*buf  or  w -= lr*(g + m*buf) (nesterov)
      Adam:    m,v EMAs; m_hat=m/(1-b1^t), v_hat=v/(1-b2^t);
               w -= lr*m_hat/(sqrt(v_hat)+eps)
      RMSprop: v = rho*v + (1-rho)*g^2 (v0=0); w -= lr*g/(sqrt(v)+eps)
      AdamW:   w *= (1 - lr*wd) (decoupled decay, applied first), then Adam.
      Adagrad: Keras formula, see KerasAdagrad.
    """
    c = OPTIMIZER_CONFIGS[name]
    if name in ("sgd_momentum", "sgd_nesterov"):
        return torch.optim.SGD(params, lr=c["learning_rate"], momentum=c["momentum"],
                               nesterov=c["nesterov"], dampening=0.0, weight_decay=0.0)
    if name == "adam":
        return torch.optim.Adam(params, lr=c["learning_rate"], betas=(c["beta_1"], c["beta_2"]),
                                eps=c["epsilon"], weight_decay=0.0, amsgrad=False)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=c["learning_rate"], alpha=c["rho"], eps=c["epsilon"],
                                   momentum=0.0, centered=False, weight_decay=0.0)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=c["learning_rate"], betas=(c["beta_1"], c["beta_2"]),
                                 eps=c["epsilon"], weight_decay=c["weight_decay"], amsgrad=False)
    if name == "adagrad":
        return KerasAdagrad(params, lr=c["learning_rate"],
                            initial_accumulator_value=c["initial_accumulator_value"],
                            eps=c["epsilon"])
    raise ValueError(name)


def run_case(name, loss, input_dim, layers, x, y, weights_np):
    """Forward/backward at the initial weights plus 3 steps per optimizer."""
    xt, yt = t(x), t(y)
    model = MLP(input_dim, layers, weights_np)
    out = model.forward(xt)
    L = loss_fn(loss, yt, out)
    L.backward()
    case = {
        "name": name,
        "loss": loss,
        "layers": layers,
        "input_dim": input_dim,
        "x": to_list(x),
        "y": to_list(y),
        "weights": model.weights_json(),
        "output": to_list(out),
        "loss_value": float(L),
        "grads": model.grads_json(),
        "optimizers": {},
    }
    min_relu = model.min_relu_abs_z

    for opt_name, cfg in OPTIMIZER_CONFIGS.items():
        m = MLP(input_dim, layers, weights_np)  # fresh copy of initial weights
        opt = make_optimizer(opt_name, m.flat_params())
        steps = []
        for _ in range(N_STEPS):
            opt.zero_grad()
            Ls = loss_fn(loss, yt, m.forward(xt))  # loss BEFORE this update
            Ls.backward()
            opt.step()
            steps.append({"loss": float(Ls), "weights": m.weights_json()})
        min_relu = min(min_relu, m.min_relu_abs_z)
        case["optimizers"][opt_name] = {"config": dict(cfg), "steps": steps}
    return case, min_relu


def one_hot(labels, k):
    y = np.zeros((len(labels), k))
    y[np.arange(len(labels)), labels] = 1.0
    return y


def case_tanh_softmax():
    rs = np.random.RandomState(1001)
    layers = [{"units": 4, "activation": "tanh"},
              {"units": 4, "activation": "tanh"},
              {"units": 2, "activation": "softmax"}]
    w = init_weights(rs, 2, layers)
    x = rs.uniform(-1.5, 1.5, size=(6, 2))
    y = one_hot(np.array([0, 1, 1, 0, 1, 0]), 2)
    case, _ = run_case("mlp_2_4_4_2_tanh_softmax", "categorical_crossentropy", 2, layers, x, y, w)
    return case


def case_relu_softmax():
    rs = np.random.RandomState(2002)
    layers = [{"units": 8, "activation": "relu"},
              {"units": 3, "activation": "softmax"}]
    w = init_weights(rs, 5, layers)
    y = one_hot(np.array([0, 1, 2, 1, 0, 2, 1]), 3)
    # Regenerate x until no relu pre-activation is within 1e-3 of 0 -- at the
    # initial weights AND at every forward pass of every optimizer run -- so
    # that the relu derivative (and hence every reference number) is well
    # defined and insensitive to rounding.
    for attempt in range(1000):
        x = rs.uniform(-1.0, 1.0, size=(7, 5))
        case, min_relu = run_case("mlp_5_8_3_relu_softmax", "categorical_crossentropy",
                                  5, layers, x, y, w)
        if min_relu > 1e-3:
            return case
    raise RuntimeError("could not find relu-safe inputs")


def case_sigmoid_bce():
    rs = np.random.RandomState(3003)
    layers = [{"units": 6, "activation": "sigmoid"},
              {"units": 1, "activation": "sigmoid"}]
    w = init_weights(rs, 3, layers, scale=1.5)
    x = rs.uniform(-2.0, 2.0, size=(5, 3))
    y = np.array([[1.0], [0.0], [1.0], [1.0], [0.0]])
    case, _ = run_case("mlp_3_6_1_sigmoid_bce", "binary_crossentropy", 3, layers, x, y, w)
    return case


def case_gelu_mse():
    rs = np.random.RandomState(4004)
    layers = [{"units": 5, "activation": "gelu"},
              {"units": 2, "activation": "linear"}]
    w = init_weights(rs, 4, layers)
    x = rs.uniform(-2.0, 2.0, size=(6, 4))
    y = rs.uniform(-1.0, 1.0, size=(6, 2))
    case, _ = run_case("mlp_4_5_2_gelu_mse", "mse", 4, layers, x, y, w)
    return case


# --------------------------------------------------------------------------
# Standalone loss checks
# --------------------------------------------------------------------------

def loss_checks():
    rs = np.random.RandomState(5005)
    out = []

    def add(name, from_logits, y_true, y_pred, extra=None):
        yt = torch.tensor(y_true) if np.asarray(y_true).dtype.kind in "iu" else t(y_true)
        yp = t(y_pred).requires_grad_(True)
        L = loss_fn(name, yt, yp, from_logits)
        (g,) = torch.autograd.grad(L, yp)
        e = {"name": name, "from_logits": from_logits,
             "y_true": to_list(y_true), "y_pred": to_list(y_pred),
             "value": float(L), "grad": to_list(g)}
        if extra:
            e.update(extra(yt, yp))
        out.append(e)

    def probs(n, k):
        # rows of probabilities in [0.1, 0.8]-ish, summing to 1 (no clipping needed)
        p = rs.uniform(0.5, 2.0, size=(n, k))
        return p / p.sum(1, keepdims=True)

    def keras_norm_grad(yt, yp):
        # Gradient if the implementation renormalises p by its row sum first
        # (Keras does this for probability inputs): -y/p + sum(y)/sum(p).
        yp2 = yp.detach().clone().requires_grad_(True)
        if yt.dtype == torch.int64:
            ytd = t(one_hot(yt.numpy(), yp2.shape[1]))
        else:
            ytd = yt
        L = -(ytd * torch.log(yp2 / yp2.sum(-1, keepdim=True))).sum(-1).mean()
        (g,) = torch.autograd.grad(L, yp2)
        return {"grad_if_renormalized": to_list(g)}

    labels = np.array([2, 0, 1, 2], dtype=np.int64)
    add("categorical_crossentropy", False, one_hot(labels, 3), probs(4, 3), keras_norm_grad)
    add("categorical_crossentropy", True, one_hot(np.array([1, 2, 0, 0]), 3),
        rs.uniform(-2.0, 2.0, size=(4, 3)))
    add("sparse_categorical_crossentropy", False, np.array([0, 2, 1, 1], dtype=np.int64),
        probs(4, 3), keras_norm_grad)
    add("binary_crossentropy", False, rs.randint(0, 2, size=(4, 2)).astype(np.float64),
        rs.uniform(0.1, 0.9, size=(4, 2)))
    add("binary_crossentropy", True, rs.randint(0, 2, size=(4, 2)).astype(np.float64),
        rs.uniform(-3.0, 3.0, size=(4, 2)))
    add("mse", False, rs.uniform(-1, 1, size=(4, 3)), rs.uniform(-1, 1, size=(4, 3)))
    # mae: keep |y_pred - y_true| away from 0 (non-differentiable point)
    yt = rs.uniform(-1, 1, size=(4, 3))
    diff = rs.uniform(0.1, 1.0, size=(4, 3)) * np.where(rs.rand(4, 3) < 0.5, -1.0, 1.0)
    add("mae", False, yt, yt + diff)
    # huber (delta=1): mix of |err| < 1 and |err| > 1, none near 1 or 0
    yt = rs.uniform(-1, 1, size=(4, 3))
    mag = np.where(rs.rand(4, 3) < 0.5, rs.uniform(0.1, 0.8, size=(4, 3)),
                   rs.uniform(1.2, 2.5, size=(4, 3)))
    sign = np.where(rs.rand(4, 3) < 0.5, -1.0, 1.0)
    e = {"delta": 1.0}
    add("huber", False, yt, yt + mag * sign, lambda a, b: e)
    return out


# --------------------------------------------------------------------------
# Standalone activation checks
# --------------------------------------------------------------------------

ACTIVATIONS = ["linear", "tanh", "sigmoid", "relu", "leaky_relu", "elu", "selu",
               "gelu", "softplus", "swish", "softmax"]


def activation_checks():
    rs = np.random.RandomState(6006)
    # Fixed 3x4 input, entries in [-3, 3] with |x| >= 0.1 (avoid relu kink).
    mag = rs.uniform(0.1, 3.0, size=(3, 4))
    sign = np.where(rs.rand(3, 4) < 0.5, -1.0, 1.0)
    x = mag * sign
    G = rs.uniform(-1.0, 1.0, size=(3, 4))  # fixed upstream gradient
    out = []
    for name in ACTIVATIONS:
        xt = t(x).requires_grad_(True)
        y = apply_activation(name, xt)
        (gx,) = torch.autograd.grad((y * t(G)).sum(), xt)
        e = {"name": name, "input": to_list(x), "upstream": to_list(G),
             "output": to_list(y), "grad_input": to_list(gx)}
        if name == "leaky_relu":
            e["negative_slope"] = 0.2
        if name == "elu":
            e["alpha"] = 1.0
        out.append(e)
    return out


# --------------------------------------------------------------------------
# JSON writer: standard JSON, but innermost number arrays on one line so the
# file stays small and diff-friendly.  Floats via repr() = shortest exact
# round-trip representation (<= 17 significant digits).
# --------------------------------------------------------------------------

def fmt_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError("non-finite value in golden output")
        return repr(v)
    if v is None:
        return "null"
    return json.dumps(v)


def dump(v, indent=0):
    pad = " " * indent
    pad2 = " " * (indent + 1)
    if isinstance(v, dict):
        if not v:
            return "{}"
        if all(not isinstance(val, (list, dict)) for val in v.values()):
            # small flat object (layer spec, optimizer config): one line
            return "{" + ", ".join(json.dumps(k) + ": " + fmt_scalar(val)
                                   for k, val in v.items()) + "}"
        items = [pad2 + json.dumps(k) + ": " + dump(val, indent + 1) for k, val in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(v, list):
        if all(not isinstance(e, (list, dict)) for e in v):
            return "[" + ", ".join(fmt_scalar(e) for e in v) + "]"
        if all(isinstance(e, list) and all(not isinstance(q, (list, dict)) for q in e) for e in v):
            # matrix: one row per line
            return "[" + (",\n" + pad2).join(dump(e) for e in v) + "]"
        return "[\n" + ",\n".join(pad2 + dump(e, indent + 1) for e in v) + "\n" + pad + "]"
    return fmt_scalar(v)


def main():
    golden = {
        "format_version": FORMAT_VERSION,
        "generator": "tests/golden/make_torch_golden.py",
        "torch_version": torch.__version__.split("+")[0],
        "dtype": "float64",
        "cases": [case_tanh_softmax(), case_relu_softmax(), case_sigmoid_bce(), case_gelu_mse()],
        "losses": loss_checks(),
        "activations": activation_checks(),
    }
    text = dump(golden) + "\n"
    # Self-check: must be valid JSON that round-trips exactly.
    assert json.loads(text) == json.loads(json.dumps(golden))
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
