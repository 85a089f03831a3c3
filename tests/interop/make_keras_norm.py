"""Writes Keras 2 (tf.keras HDF5) and Keras 3 (.keras zip) model files holding
Dense, BatchNormalization, GaussianNoise and LayerNormalization layers, laid out
as those Keras versions save them (model_config + model_weights/<layer>/
weight_names; config.json + model.weights.h5 layers/<class>[_n]/vars/<i>), with
random statistics, and the float64 NumPy predictions for seeded inputs.

usage: /usr/bin/python3 make_keras_norm.py OUT_DIR
writes OUT_DIR/{keras2_norm.h5, keras3_norm.keras, x.npy, keras2.expected.json, keras3.expected.json}
"""
import io
import json
import os
import sys
import zipfile

import h5py
import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(11)
F = 4
x = rng.uniform(-3, 3, size=(32, F)).astype(np.float32)
np.save(os.path.join(out, "x.npy"), x)


def dense(name, units, fan_in, activation):
    w = [rng.normal(0, 0.7, (fan_in, units)).astype(np.float32), rng.normal(0, 0.3, units).astype(np.float32)]
    return {"class_name": "Dense", "name": name, "config": {"units": units, "activation": activation, "use_bias": True}, "weights": w}


def batchnorm(name, d, axis, scale=True, center=True):
    w = []
    if scale:
        w.append(rng.uniform(0.5, 1.5, d).astype(np.float32))
    if center:
        w.append(rng.uniform(-0.5, 0.5, d).astype(np.float32))
    w += [rng.uniform(-1, 1, d).astype(np.float32), rng.uniform(0.2, 2, d).astype(np.float32)]
    cfg = {"axis": axis, "momentum": 0.9, "epsilon": 0.001, "center": center, "scale": scale,
           "beta_regularizer": None, "gamma_regularizer": None}
    return {"class_name": "BatchNormalization", "name": name, "config": cfg, "weights": w,
            "names": (["gamma"] if scale else []) + (["beta"] if center else []) + ["moving_mean", "moving_variance"]}


def layernorm(name, d, axis):
    w = [rng.uniform(0.5, 1.5, d).astype(np.float32), rng.uniform(-0.5, 0.5, d).astype(np.float32)]
    return {"class_name": "LayerNormalization", "name": name, "config": {"axis": axis, "epsilon": 0.001, "center": True, "scale": True},
            "weights": w, "names": ["gamma", "beta"]}


def noise(name):
    return {"class_name": "GaussianNoise", "name": name, "config": {"stddev": 0.3}, "weights": []}


def model(axis, bn_scale):
    return [dense("dense", 6, F, "relu"), batchnorm("batch_normalization", 6, axis, scale=bn_scale), noise("gaussian_noise"),
            dense("dense_1", 5, 6, "linear"), layernorm("layer_normalization", 5, axis), dense("dense_2", 3, 5, "softmax")]


def forward(layers, x):
    h = x.astype(np.float64)
    for l in layers:
        w = [a.astype(np.float64) for a in l["weights"]]
        c = l["class_name"]
        if c == "Dense":
            h = h @ w[0] + w[1]
            if l["config"]["activation"] == "relu":
                h = np.maximum(h, 0)
            elif l["config"]["activation"] == "softmax":
                e = np.exp(h - h.max(axis=1, keepdims=True))
                h = e / e.sum(axis=1, keepdims=True)
        elif c == "BatchNormalization":
            k = dict(zip(l["names"], w))
            h = (h - k["moving_mean"]) / np.sqrt(k["moving_variance"] + l["config"]["epsilon"])
            h = h * k.get("gamma", 1.0) + k.get("beta", 0.0)
        elif c == "LayerNormalization":
            m, v = h.mean(axis=1, keepdims=True), h.var(axis=1, keepdims=True)
            h = (h - m) / np.sqrt(v + l["config"]["epsilon"]) * w[0] + w[1]
    return h


def layer_json(l, keras3):
    cfg = dict(l["config"], name=l["name"], trainable=True, dtype="float32")
    j = {"class_name": l["class_name"], "config": cfg}
    if keras3:
        cfg["dtype"] = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}
        j.update(module="keras.layers", registered_name=None)
    return j


def keras2(path, layers):
    input_layer = {"class_name": "InputLayer", "config": {"batch_input_shape": [None, F], "dtype": "float32", "name": "dense_input"}}
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [input_layer] + [layer_json(l, False) for l in layers]}}
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = "2.4.0"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(config)
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = [l["name"].encode() for l in layers]
        for l in layers:
            lg = g.create_group(l["name"])
            names = l.get("names", ["kernel", "bias"] if l["weights"] else [])
            full = [f"{l['name']}/{n}:0" for n in names]
            lg.attrs["weight_names"] = np.array([n.encode() for n in full], dtype="S")
            for n, a in zip(full, l["weights"]):
                lg[n] = a


def keras3(path, layers):
    input_layer = {"module": "keras.layers", "class_name": "InputLayer",
                   "config": {"batch_shape": [None, F], "dtype": "float32", "sparse": False, "name": "input_layer"}, "registered_name": None}
    config = {"module": "keras", "class_name": "Sequential", "registered_name": None,
              "config": {"name": "sequential", "trainable": True, "layers": [input_layer] + [layer_json(l, True) for l in layers]},
              "compile_config": None}
    weights = io.BytesIO()
    with h5py.File(weights, "w") as f:
        seen = {}
        for l in layers:
            base = "".join("_" + ch.lower() if ch.isupper() and i else ch.lower() for i, ch in enumerate(l["class_name"]))
            n = seen.get(base, 0)
            seen[base] = n + 1
            vars_group = f.create_group(f"layers/{base}{'' if n == 0 else '_' + str(n)}/vars")
            for i, a in enumerate(l["weights"]):
                vars_group[str(i)] = a
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.9.2", "date_saved": "2025-01-01@00:00:00"}))
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", weights.getvalue())


for name, axis, bn_scale, writer in [("keras2", [1], True, keras2), ("keras3", -1, False, keras3)]:
    layers = model(axis, bn_scale)
    writer(os.path.join(out, f"{name}_norm.{'h5' if name == 'keras2' else 'keras'}"), layers)
    json.dump({"outputs": forward(layers, x).tolist()}, open(os.path.join(out, f"{name}.expected.json"), "w"))
