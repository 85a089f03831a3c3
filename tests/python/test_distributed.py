"""plexus.distributed in a process started alone: a world of one (the 2-rank runs are the
ctest distributed.python, under mpirun)."""
import csv

import numpy as np

import plexus
import plexus.distributed as dist


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 2)).astype(np.float32)
    y = (x[:, 0] * x[:, 1] > 0).astype(np.float32)
    return x, y


def _model(lr=0.1, units=8):
    m = plexus.Sequential([plexus.Dense(units, "tanh", input_dim=2), plexus.Dense(2, "softmax")])
    m.compile(optimizer={"name": "sgd", "learning_rate": lr}, loss="sparse_categorical_crossentropy", seed=3)
    return m


def test_world_of_one():
    w = dist.world()
    assert (w.rank, w.size, w.is_root) == (0, 1, True)


def test_fit_alone_equals_plain_fit():
    x, y = _data()
    a = dist.fit(_model(), x, y, epochs=3, batch_size=16, validation_split=0.25, seed=5, verbose=0)
    b = _model().fit(x, y, epochs=3, batch_size=16, validation_split=0.25, seed=5, verbose=0)
    assert a.history == b.history


def test_sweep_alone(tmp_path):
    x, y = _data()

    def trial(config, index):
        if config["units"] == "0":
            raise ValueError("no units")
        return _model(float(config["lr"]), int(config["units"])).fit(x, y, epochs=2, validation_split=0.25, seed=1,
                                                                      verbose=0)

    results = dist.sweep("lr=0.01,0.1;units=4|0", trial, out=str(tmp_path))
    assert [r["index"] for r in results] == [0, 1, 2, 3]
    assert [r["config"] for r in results][:2] == [{"lr": "0.01", "units": "4"}, {"lr": "0.01", "units": "0"}]
    assert [r["ok"] for r in results] == [True, False, True, False]
    assert "no units" in results[1]["error"]
    plain = _model(0.1, 4).fit(x, y, epochs=2, validation_split=0.25, seed=1, verbose=0)
    assert results[2]["best"] == min(plain.history["val_loss"])
    rows = list(csv.DictReader(open(tmp_path / "leaderboard.csv")))
    assert len(rows) == 4 and rows[0]["trial"] in ("0", "2") and rows[-1]["status"].startswith("failed")
