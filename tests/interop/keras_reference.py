"""Reference outputs for a real Keras file, independent of Plexus's importer.

usage: /usr/bin/python3 keras_reference.py MODEL INPUTS.npy EXPECTED.json [KERAS_IO.h5]

Reads the model's config and weights with h5py (and zipfile for Keras 3
.keras files), runs the forward pass in float64 NumPy on seeded random inputs
(written to INPUTS.npy), and writes {"outputs": rows}. With KERAS_IO (a file of
Keras's own inputs and predictions, as dl4j's inputs_and_outputs.h5), those
are used instead.
"""
import io
import json
import sys
import zipfile

import h5py
import numpy as np


def activation(name, z, slope=0.2):
    if name in (None, "linear"):
        return z
    if name == "relu":
        return np.maximum(z, 0)
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-z))
    if name == "leaky_relu":
        return np.where(z > 0, z, slope * z)
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    raise SystemExit(f"keras_reference.py: activation {name} not implemented here")


def load(path):
    """(layers [(class, config)], weights per layer name: [arrays])."""
    if open(path, "rb").read(2) == b"PK":
        z = zipfile.ZipFile(path)
        model = json.loads(z.read("config.json"))
        h = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
        layers = [(l["class_name"], l["config"]) for l in model["config"]["layers"]]
        weights, seen = {}, {}
        for cls, cfg in layers:
            if cls == "InputLayer":
                continue
            base = {"LeakyReLU": "leaky_re_lu"}.get(cls, cls.lower())
            n = seen.get(base, 0)
            seen[base] = n + 1
            group = h[f"layers/{base}{'' if n == 0 else '_' + str(n)}/vars"]
            weights[cfg["name"]] = [np.array(group[str(k)]) for k in range(len(group))]
        return layers, weights
    h = h5py.File(path, "r")
    model = json.loads(h.attrs["model_config"])
    config = model["config"]
    layers = [(l["class_name"], l["config"]) for l in (config if isinstance(config, list) else config["layers"])]
    root = h["model_weights"]
    weights = {}
    for _, cfg in layers:
        g = root[cfg["name"]]
        weights[cfg["name"]] = [np.array(g[n]) for n in g.attrs["weight_names"]]
    return layers, weights


def forward(layers, weights, x):
    y = x.astype(np.float64)
    for cls, cfg in layers:
        w = weights.get(cfg["name"], [])
        if cls == "Dense":
            y = y @ w[0] + (w[1] if len(w) > 1 else 0)
            y = activation(cfg.get("activation"), y)
        elif cls == "Activation":
            y = activation(cfg["activation"], y)
        elif cls == "LeakyReLU":
            y = activation("leaky_relu", y, cfg.get("negative_slope", cfg.get("alpha", 0.3)))
        elif cls not in ("Dropout", "InputLayer"):
            raise SystemExit(f"keras_reference.py: layer {cls} not implemented here")
    return y


def width(layers):
    for _, cfg in layers:
        for key in ("batch_input_shape", "batch_shape"):
            if key in cfg:
                return cfg[key][-1]
    raise SystemExit("keras_reference.py: no input shape")


def main():
    model, inputs, expected = sys.argv[1:4]
    if len(sys.argv) > 4:
        ref = h5py.File(sys.argv[4], "r")
        x = np.array(ref["inputs"][list(ref["inputs"])[0]], dtype=np.float32)
        y = np.array(ref["predictions"][list(ref["predictions"])[0]], dtype=np.float64)
    else:
        layers, weights = load(model)
        x = np.random.default_rng(0).normal(scale=2.0, size=(32, width(layers))).astype(np.float32)
        y = forward(layers, weights, x)
    np.save(inputs, x)
    json.dump({"outputs": y.tolist()}, open(expected, "w"))


main()
