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

FORMAT_VERSION = 2


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
def loss_fn(name, y_true, y_pred, from_logits=False, delta=1.0):
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
        d = delta
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


# Optimizer runs of every MLP case: name -> (config, steps). The config is what
# Plexus reads (optimizer_options_from_json); "name" is the Plexus optimizer.
# Clip thresholds are not fixed numbers: they are derived from each case's
# initial gradient (clip_thresholds) so that clipping is active on some but not
# all elements / tensors, whatever the gradient scale of the case.
N_STEPS = 3
SCHEDULE_STEPS = 5  # long enough for every schedule to change the rate (and cosine to reach its floor)


def base_configs():
    return {
        "sgd": {"name": "sgd", "learning_rate": 0.1},
        "sgd_momentum": {"name": "sgd", "learning_rate": 0.1, "momentum": 0.9, "nesterov": False},
        "sgd_nesterov": {"name": "sgd", "learning_rate": 0.1, "momentum": 0.9, "nesterov": True},
        "adam": {"name": "adam", "learning_rate": 0.01, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7},
        "rmsprop": {"name": "rmsprop", "learning_rate": 0.01, "rho": 0.9, "epsilon": 1e-7},
        "adamw": {"name": "adamw", "learning_rate": 0.01, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7,
                  "weight_decay": 0.004},
        # Keras's Adagrad, by hand (epsilon inside the square root; see KerasAdagrad).
        "adagrad": {"name": "adagrad", "learning_rate": 0.1, "initial_accumulator_value": 0.1, "epsilon": 1e-7},
        # torch.optim.Adagrad itself, with Keras's initial accumulator 0.1. torch adds epsilon
        # outside the square root and Keras inside, so epsilon is 0 here: then the two agree exactly.
        "adagrad_torch": {"name": "adagrad", "learning_rate": 0.1, "initial_accumulator_value": 0.1, "epsilon": 0.0},
    }


def clip_thresholds(grads):
    """clipvalue = median |g|, clipnorm = median tensor norm, global_clipnorm = half the
    global norm; 3 significant digits."""
    flat = torch.cat([g.reshape(-1) for g in grads]).abs()
    norms = sorted(float(g.norm()) for g in grads)
    r = lambda v: float("%.3g" % v)
    return {"clipvalue": r(float(flat.median())), "clipnorm": r(norms[len(norms) // 2]),
            "global_clipnorm": r(0.5 * float(flat.norm()))}


def all_configs(grads):
    """Every optimizer run of a case: name -> (config, number of steps)."""
    c = base_configs()
    runs = {k: (v, N_STEPS) for k, v in c.items()}
    th = clip_thresholds(grads)
    runs["sgd_clipvalue"] = (dict(c["sgd"], clipvalue=th["clipvalue"]), N_STEPS)
    runs["adam_clipnorm"] = (dict(c["adam"], clipnorm=th["clipnorm"]), N_STEPS)
    runs["sgd_momentum_global_clipnorm"] = (dict(c["sgd_momentum"], global_clipnorm=th["global_clipnorm"]), N_STEPS)
    exp = {"name": "exponential", "decay_steps": 2, "decay_rate": 0.5, "staircase": False}
    runs["sgd_exponential"] = (dict(c["sgd"], schedule=exp), SCHEDULE_STEPS)
    runs["sgd_exponential_staircase"] = (dict(c["sgd"], schedule=dict(exp, staircase=True)), SCHEDULE_STEPS)
    runs["adam_step"] = (dict(c["adam"], schedule={"name": "step", "step_size": 2, "factor": 0.5}), SCHEDULE_STEPS)
    cosine = {"name": "cosine", "decay_steps": 3, "alpha": 0.1}
    runs["rmsprop_cosine"] = (dict(c["rmsprop"], schedule=cosine), SCHEDULE_STEPS)
    runs["sgd_momentum_exponential"] = (dict(c["sgd_momentum"], schedule=exp), SCHEDULE_STEPS)
    runs["sgd_nesterov_cosine"] = (dict(c["sgd_nesterov"], schedule=cosine), SCHEDULE_STEPS)
    return runs


def schedule_lr(cfg, t):
    """The learning rate of step t (0-based): Plexus's schedule_learning_rate, written out."""
    lr = cfg["learning_rate"]
    s = cfg.get("schedule")
    if s is None:
        return lr
    if s["name"] == "exponential":
        ratio = t / s["decay_steps"]
        if s["staircase"]:
            ratio = math.floor(ratio)
        return lr * s["decay_rate"] ** ratio
    if s["name"] == "step":
        return lr * s["factor"] ** math.floor(t / s["step_size"])
    if s["name"] == "cosine":
        progress = min(t, s["decay_steps"]) / s["decay_steps"]
        return lr * ((1 - s["alpha"]) * 0.5 * (1 + math.cos(math.pi * progress)) + s["alpha"])
    raise ValueError(s["name"])


class KerasAdagrad:
    """Adagrad with KERAS semantics, implemented by hand.

    torch.optim.Adagrad computes  w -= lr * g / (sqrt(acc) + eps),
    whereas Keras (and Plexus) compute
        acc  = initial_accumulator_value            (at start)
        acc += g**2
        w   -= lr * g / sqrt(acc + eps)
    so with eps > 0 torch.optim.Adagrad is not the reference ("adagrad_torch" runs
    torch.optim.Adagrad with eps = 0, where the two formulas coincide).
    """

    def __init__(self, params, lr, initial_accumulator_value, eps):
        self.params = list(params)
        self.param_groups = [{"lr": lr}]
        self.eps = eps
        self.acc = [torch.full_like(p, initial_accumulator_value) for p in self.params]

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        lr = self.param_groups[0]["lr"]
        for p, a in zip(self.params, self.acc):
            g = p.grad
            a.add_(g * g)
            p.sub_(lr * g / torch.sqrt(a + self.eps))


class KerasSgdMomentum:
    """SGD with (Nesterov) momentum in KERAS form, by hand:
        v = m*v - lr_t*g;  w += v            (w += m*v - lr_t*g with Nesterov)
    torch.optim.SGD keeps buf = m*buf + g and applies w -= lr_t*buf: the same at a
    constant rate, but not under a schedule, where Keras's velocity carries the
    older (larger) rates. Plexus follows Keras; this is the reference for momentum
    under a schedule."""

    def __init__(self, params, lr, momentum, nesterov):
        self.params = list(params)
        self.param_groups = [{"lr": lr}]
        self.m = momentum
        self.nesterov = nesterov
        self.v = [torch.zeros_like(p) for p in self.params]

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        lr = self.param_groups[0]["lr"]
        for p, v in zip(self.params, self.v):
            g = p.grad
            v.mul_(self.m).sub_(lr * g)
            if self.nesterov:
                p.add_(self.m * v - lr * g)
            else:
                p.add_(v)


def make_optimizer(c, params):
    """Map a Plexus/Keras optimizer config onto the reference. torch.optim is the
    reference wherever its formula is Keras's (float64):
      SGD(momentum, nesterov) at a constant rate: buf = m*buf + g (buf = g at step 1);
                                w -= lr*buf  or  w -= lr*(g + m*buf) (nesterov)
      Adam:    m,v EMAs; m_hat=m/(1-b1^t), v_hat=v/(1-b2^t); w -= lr*m_hat/(sqrt(v_hat)+eps)
      RMSprop: v = rho*v + (1-rho)*g^2 (v0=0); w -= lr*g/(sqrt(v)+eps)
      AdamW:   w *= (1 - lr*wd) (decoupled decay, applied first), then Adam.
      Adagrad: torch.optim.Adagrad when eps = 0, else the Keras formula (KerasAdagrad).
      SGD with momentum under a schedule: the Keras formula (KerasSgdMomentum).
    A schedule sets param_groups[0]["lr"] before every step (run_optimizer).
    """
    name, lr = c["name"], c["learning_rate"]
    if name == "sgd":
        if c.get("momentum", 0.0) > 0 and "schedule" in c:
            return KerasSgdMomentum(params, lr, c["momentum"], c["nesterov"])
        return torch.optim.SGD(params, lr=lr, momentum=c.get("momentum", 0.0),
                               nesterov=c.get("nesterov", False), dampening=0.0, weight_decay=0.0)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, betas=(c["beta_1"], c["beta_2"]),
                                eps=c["epsilon"], weight_decay=0.0, amsgrad=False)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=c["rho"], eps=c["epsilon"],
                                   momentum=0.0, centered=False, weight_decay=0.0)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, betas=(c["beta_1"], c["beta_2"]),
                                 eps=c["epsilon"], weight_decay=c["weight_decay"], amsgrad=False)
    if name == "adagrad":
        if c["epsilon"] == 0.0:
            return torch.optim.Adagrad(params, lr=lr, lr_decay=0.0, weight_decay=0.0,
                                       initial_accumulator_value=c["initial_accumulator_value"], eps=0.0)
        return KerasAdagrad(params, lr, c["initial_accumulator_value"], c["epsilon"])
    raise ValueError(name)


# Smallest relative distance of a clipped quantity from its threshold, over all runs:
# must stay far from 0 so that rounding never decides whether a value is clipped.
CLIP_MARGIN = [math.inf]


@torch.no_grad()
def clip_gradients(params, c, seen):
    """Keras's clipping, in Plexus's order: clipvalue (each element), clipnorm (each
    tensor: g *= c/||g|| if ||g|| > c), global_clipnorm (all tensors together).
    Written out: torch.nn.utils.clip_grad_norm_ divides by (norm + 1e-6)."""
    if "clipvalue" in c:
        v = c["clipvalue"]
        for p in params:
            a = p.grad.abs()
            CLIP_MARGIN[0] = min(CLIP_MARGIN[0], float(((a - v).abs() / v).min()))
            seen.add("clipped" if bool((a > v).any()) else "kept")
            seen.add("kept" if bool((a < v).any()) else "clipped")
            p.grad.clamp_(-v, v)
    if "clipnorm" in c:
        for p in params:
            n = float(p.grad.norm())
            CLIP_MARGIN[0] = min(CLIP_MARGIN[0], abs(n - c["clipnorm"]) / c["clipnorm"])
            seen.add("clipped" if n > c["clipnorm"] else "kept")
            if n > c["clipnorm"]:
                p.grad.mul_(c["clipnorm"] / n)
    if "global_clipnorm" in c:
        n = math.sqrt(sum(float((p.grad * p.grad).sum()) for p in params))
        CLIP_MARGIN[0] = min(CLIP_MARGIN[0], abs(n - c["global_clipnorm"]) / c["global_clipnorm"])
        seen.add("clipped" if n > c["global_clipnorm"] else "kept")
        if n > c["global_clipnorm"]:
            for p in params:
                p.grad.mul_(c["global_clipnorm"] / n)


def run_optimizer(make_model, loss_of, cfg, n_steps, snapshot):
    """n_steps full-batch steps from fresh weights and fresh state; returns the steps
    (loss before each update, snapshot of the weights after it) and the model."""
    m = make_model()
    params = m.flat_params()
    opt = make_optimizer(cfg, params)
    steps, seen = [], set()
    for t_step in range(n_steps):
        opt.zero_grad()
        Ls = loss_of(m)  # loss BEFORE this update
        Ls.backward()
        clip_gradients(params, cfg, seen)
        opt.param_groups[0]["lr"] = schedule_lr(cfg, t_step)
        opt.step()
        steps.append({"loss": float(Ls), "weights": snapshot(m)})
    if any(k in cfg for k in ("clipvalue", "clipnorm")) and seen != {"clipped", "kept"}:
        raise RuntimeError("clipping must be active on some values and not on others: %s" % cfg)
    if "global_clipnorm" in cfg and "clipped" not in seen:
        raise RuntimeError("global_clipnorm never clipped: %s" % cfg)
    return steps, m


def run_case(name, loss, input_dim, layers, x, y, weights_np, from_logits=False, huber_delta=None):
    """Forward/backward at the initial weights plus the optimizer runs of all_configs."""
    xt = t(x)
    sparse = loss == "sparse_categorical_crossentropy"
    yt = torch.tensor(np.asarray(y).reshape(-1), dtype=torch.int64) if sparse else t(y)
    delta = 1.0 if huber_delta is None else huber_delta
    loss_of = lambda m: loss_fn(loss, yt, m.forward(xt), from_logits, delta)
    model = MLP(input_dim, layers, weights_np)
    out = model.forward(xt)
    L = loss_fn(loss, yt, out, from_logits, delta)
    L.backward()
    case = {
        "name": name,
        "loss": loss,
        "from_logits": from_logits,
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
    if huber_delta is not None:
        case["huber_delta"] = huber_delta
    min_relu = model.min_relu_abs_z
    grads = [p.grad for p in model.flat_params()]
    for opt_name, (cfg, n_steps) in all_configs(grads).items():
        steps, m = run_optimizer(lambda: MLP(input_dim, layers, weights_np), loss_of, cfg, n_steps,
                                 lambda m: m.weights_json())
        min_relu = min(min_relu, m.min_relu_abs_z)
        case["optimizers"][opt_name] = {"config": cfg, "steps": steps}
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


def case_elu_sparse_logits():
    rs = np.random.RandomState(7007)
    layers = [{"units": 6, "activation": "elu"},
              {"units": 3, "activation": "linear"}]
    w = init_weights(rs, 4, layers)
    x = rs.uniform(-2.0, 2.0, size=(7, 4))
    y = np.array([[0], [2], [1], [1], [0], [2], [2]])
    case, _ = run_case("mlp_4_6_3_elu_sparse_logits", "sparse_categorical_crossentropy", 4, layers, x, y, w,
                       from_logits=True)
    return case


def case_swish_categorical_logits():
    rs = np.random.RandomState(8008)
    layers = [{"units": 5, "activation": "swish"},
              {"units": 4, "activation": "selu"},
              {"units": 3, "activation": "linear"}]
    w = init_weights(rs, 3, layers)
    x = rs.uniform(-2.0, 2.0, size=(6, 3))
    y = one_hot(np.array([2, 0, 1, 2, 1, 0]), 3)
    case, _ = run_case("mlp_3_5_4_3_swish_selu_categorical_logits", "categorical_crossentropy", 3, layers, x, y, w,
                       from_logits=True)
    return case


def case_softplus_binary_logits():
    rs = np.random.RandomState(9009)
    layers = [{"units": 5, "activation": "softplus"},
              {"units": 2, "activation": "linear"}]
    w = init_weights(rs, 3, layers)
    x = rs.uniform(-2.0, 2.0, size=(6, 3))
    y = rs.randint(0, 2, size=(6, 2)).astype(np.float64)
    case, _ = run_case("mlp_3_5_2_softplus_binary_logits", "binary_crossentropy", 3, layers, x, y, w,
                       from_logits=True)
    return case


def case_leaky_huber():
    rs = np.random.RandomState(10010)
    layers = [{"units": 6, "activation": "leaky_relu"},
              {"units": 2, "activation": "linear"}]
    w = init_weights(rs, 3, layers)
    y = rs.uniform(-1.5, 1.5, size=(8, 2))
    # As for relu: every leaky_relu pre-activation stays >= 1e-3 from its kink in every pass.
    for attempt in range(1000):
        x = rs.uniform(-2.0, 2.0, size=(8, 3))
        model = MLP(3, [dict(l, activation="relu") if l["activation"] == "leaky_relu" else l for l in layers], w)
        model.forward(t(x))
        if model.min_relu_abs_z < 1e-2:
            continue
        case, _ = run_case("mlp_3_6_2_leaky_relu_huber_0.5", "huber", 3, layers, x, y, w, huber_delta=0.5)
        return case
    raise RuntimeError("could not find kink-safe inputs")


# --------------------------------------------------------------------------
# Large cases: layers wide enough for Dense's GEMM path (in*units > 256 and
# rows*in*units > 8192, src/plexus/layers/dense.cpp). Their inputs, weights and
# targets are not stored: they come from splitmix64 and exact arithmetic only
# (integer hashing, a multiplication by 2^-53, 2u-1, one multiplication by a
# correctly rounded sqrt), so tests/support/splitmix.hpp rebuilds the same bits
# in C++. Stored are the loss, the norm of every output and gradient tensor, and
# a fixed subset of elements (SAMPLE per tensor).
# --------------------------------------------------------------------------

MASK64 = (1 << 64) - 1
SAMPLE = 48


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def uniform(self):  # [0, 1), exact
        return (self.next() >> 11) * (1.0 / 9007199254740992.0)

    def symmetric(self, n, scale):  # n values (2u - 1) * scale
        return np.array([(2.0 * self.uniform() - 1.0) * scale for _ in range(n)])


def large_inputs(seed, input_dim, layers, rows, loss):
    """x (rows, input_dim) in [-1, 1), then per layer a Glorot-uniform kernel
    (in, out) row-major with limit sqrt(6 / (in + out)) and a bias in [-0.1, 0.1),
    then the targets: class index next() % units (one-hot unless sparse), or
    uniform [0, 1) for binary_crossentropy rounded to {0, 1}, or 2u - 1 for the rest."""
    g = SplitMix64(seed)
    x = g.symmetric(rows * input_dim, 1.0).reshape(rows, input_dim)
    ws, fan_in = [], input_dim
    for spec in layers:
        lim = math.sqrt(6.0 / (fan_in + spec["units"]))
        k = g.symmetric(fan_in * spec["units"], lim).reshape(fan_in, spec["units"])
        b = g.symmetric(spec["units"], 0.1)
        ws.append((k, b))
        fan_in = spec["units"]
    units = layers[-1]["units"]
    if loss.endswith("categorical_crossentropy"):
        labels = np.array([g.next() % units for _ in range(rows)])
        y = labels.reshape(-1, 1) if loss.startswith("sparse") else one_hot(labels, units)
    elif loss == "binary_crossentropy":
        y = np.array([1.0 if g.uniform() >= 0.5 else 0.0 for _ in range(rows * units)]).reshape(rows, units)
    else:
        y = g.symmetric(rows * units, 1.0).reshape(rows, units)
    return x, ws, y


def sample_of(tensor):
    """{"norm", "index" (flat, row-major), "value"} for a fixed subset of elements."""
    v = tensor.detach().reshape(-1)
    n = v.numel()
    idx = sorted(set([(k * n) // SAMPLE for k in range(SAMPLE)] + [n - 1]))
    return {"norm": float(v.norm()), "index": idx, "value": [float(v[i]) for i in idx]}


def large_case(name, seed, input_dim, layers, rows, loss, optimizers, from_logits=False):
    x, w, y = large_inputs(seed, input_dim, layers, rows, loss)
    xt = t(x)
    sparse = loss == "sparse_categorical_crossentropy"
    yt = torch.tensor(y.reshape(-1), dtype=torch.int64) if sparse else t(y)
    loss_of = lambda m: loss_fn(loss, yt, m.forward(xt), from_logits)
    model = MLP(input_dim, layers, w)
    out = model.forward(xt)
    L = loss_fn(loss, yt, out, from_logits)
    L.backward()
    snapshot = lambda m: [{"kernel": sample_of(k), "bias": sample_of(b)} for k, b in m.params]
    case = {
        "name": name, "seed": seed, "loss": loss, "from_logits": from_logits, "layers": layers,
        "input_dim": input_dim, "rows": rows,
        "x_sample": sample_of(xt),  # proves the C++ generator rebuilt the same inputs
        "weights": snapshot(model),
        "output": sample_of(out), "loss_value": float(L),
        "grads": [{"kernel": sample_of(k.grad), "bias": sample_of(b.grad)} for k, b in model.params],
        "optimizers": {},
    }
    min_relu = model.min_relu_abs_z
    configs = base_configs()
    for opt_name in optimizers:
        cfg = dict(configs[opt_name.split("+")[0]])
        if opt_name.endswith("+clipnorm"):
            cfg["clipnorm"] = clip_thresholds([p.grad for p in model.flat_params()])["clipnorm"]
        steps, m = run_optimizer(lambda: MLP(input_dim, layers, w), loss_of, cfg, 2, snapshot)
        min_relu = min(min_relu, m.min_relu_abs_z)
        case["optimizers"][opt_name.replace("+", "_")] = {"config": cfg, "steps": steps}
    if min_relu < 1e-9:
        raise RuntimeError("a relu pre-activation is too close to 0 in " + name)
    return case


def large_cases():
    return [
        large_case("large_40_300_300_10_tanh_relu_softmax", 40300, 40,
                   [{"units": 300, "activation": "tanh"}, {"units": 300, "activation": "relu"},
                    {"units": 10, "activation": "softmax"}],
                   64, "categorical_crossentropy", ["sgd_momentum", "adam", "adam+clipnorm"]),
        large_case("large_37_129_129_5_sigmoid_swish_mse", 37129, 37,
                   [{"units": 129, "activation": "sigmoid"}, {"units": 129, "activation": "swish"},
                    {"units": 5, "activation": "linear"}],
                   33, "mse", ["sgd", "rmsprop", "adamw"]),
    ]


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
    add("sparse_categorical_crossentropy", True, np.array([1, 0, 2, 2], dtype=np.int64),
        rs.uniform(-2.0, 2.0, size=(4, 3)))
    # huber (delta=0.5): |err| in [0.05, 0.4] or [0.6, 2], none near 0.5 or 0
    yt = rs.uniform(-1, 1, size=(4, 3))
    mag = np.where(rs.rand(4, 3) < 0.5, rs.uniform(0.05, 0.4, size=(4, 3)),
                   rs.uniform(0.6, 2.0, size=(4, 3)))
    sign = np.where(rs.rand(4, 3) < 0.5, -1.0, 1.0)
    yp = t(yt + mag * sign).requires_grad_(True)
    L = loss_fn("huber", t(yt), yp, False, 0.5)
    (g,) = torch.autograd.grad(L, yp)
    out.append({"name": "huber", "from_logits": False, "y_true": to_list(yt), "y_pred": to_list(yp),
                "value": float(L), "grad": to_list(g), "delta": 0.5})
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
        "cases": [case_tanh_softmax(), case_relu_softmax(), case_sigmoid_bce(), case_gelu_mse(),
                  case_elu_sparse_logits(), case_swish_categorical_logits(), case_softplus_binary_logits(),
                  case_leaky_huber()],
        "large_cases": large_cases(),
        "losses": loss_checks(),
        "activations": activation_checks(),
    }
    if CLIP_MARGIN[0] < 1e-6:
        raise RuntimeError("a clipped value lies within 1e-6 of its threshold: %g" % CLIP_MARGIN[0])
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
