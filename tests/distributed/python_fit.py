"""python_fit.py OUT.json: plexus.distributed from Python, alone or under mpirun.

A data-parallel fit (SGD, 4 epochs, global batch 25, relu with a large learning rate so
the doctor's training findings fire) and a sweep of 4 configurations. Rank 0 writes the
world, the history, the findings, the predictions and the sweep's results to OUT.json;
the other ranks write nothing. tests/distributed/python.sh compares 1 process with 2 ranks.
"""
import json
import sys
import time

import numpy as np

import plexus
import plexus.distributed as dist


def moons(n, seed):
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, np.pi, n)
    label = rng.integers(0, 2, n)
    x = np.where(label[:, None] == 0, np.column_stack([np.cos(t), np.sin(t)]),
                 np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)]))
    x = x + rng.normal(0, 0.1, x.shape)
    return (4 * x).astype(np.float32), label.astype(np.float32)


def make_model(lr, layers, activation):
    model = plexus.Sequential([plexus.Dense(u, activation, input_dim=2 if i == 0 else 0) for i, u in enumerate(layers)] +
                              [plexus.Dense(2, "softmax")])
    model.compile(optimizer={"name": "sgd", "learning_rate": lr}, loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], seed=5)
    return model


x, y = moons(400, 3)
w = dist.world()
model = make_model(1.5, [32, 32], "relu")
history = dist.fit(model, x, y, epochs=4, batch_size=25, validation_split=0.2, seed=7, verbose=2)
predictions = model.predict(x)


def trial(config, index):
    # Trials are handed out on request (dynamic assignment): each takes at least 0.4 s, so
    # that one rank cannot finish all four before the other asks for one, even on a busy
    # machine (two ranks on two cores next to other tests). The results do not depend on it.
    time.sleep(0.4)
    m = make_model(float(config["lr"]), [int(u) for u in config["layers"].split(",")], "tanh")
    return m.fit(x, y, epochs=2, batch_size=32, validation_split=0.2, seed=1, verbose=0)


results = dist.sweep("lr=0.01,0.1;layers=8|16,16", trial, out=sys.argv[1] + ".sweep")
if w.rank == 0:
    out = {"world": list(w), "epoch": history.epoch, "history": history.history,
           "findings": [{"id": f.id, "evidence": f.evidence, "epoch": f.epoch} for f in history.findings],
           "predictions": predictions.tolist(), "sweep": results}
    with open(sys.argv[1], "w") as f:
        json.dump(out, f)
else:
    assert results == [], results
