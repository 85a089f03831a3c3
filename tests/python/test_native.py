"""The native API: same results as the C++ API, the doctor's findings, files, datasets, plots."""
import re
import subprocess

import numpy as np
import pytest

import plexus
from conftest import BUILD, seed_model


def test_seed_matches_the_cpp_example(seed):
    exe = BUILD / "examples" / "seed_curves"
    if not exe.exists():
        pytest.skip(f"{exe} not built")
    out = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
    finals = re.findall(r"final: loss (\S+)  accuracy (\S+)  val_loss (\S+)  val_accuracy (\S+)", out)
    grids = re.findall(r"(\d+) points predicted class 0", out)
    assert len(finals) == 2 and len(grids) == 2
    x, y = seed
    gx = np.array([[3 * np.pi * c / 49, -1 + 2.0 * r / 35] for r in range(36) for c in range(50)], np.float32)
    for split, expected, grid in zip(("tail", "auto"), finals, grids):
        model = seed_model(plexus)
        h = model.fit(x, y, epochs=300, batch_size=8, validation_split=0.2, split=split, seed=0, verbose=0)
        got = tuple(f"{h.history[k][-1]:.4f}" for k in ("loss", "accuracy", "val_loss", "val_accuracy"))
        assert got == expected
        assert str(int((model.predict(gx)[:, 0] > 0.5).sum())) == grid


def test_same_seed_gives_identical_histories(seed):
    x, y = seed
    runs = []
    for _ in range(2):
        model = seed_model(plexus)
        h = model.fit(x, y, epochs=5, batch_size=8, validation_split=0.2, seed=7, verbose=0)
        runs.append((h.history, model.get_weights()))
    assert runs[0][0] == runs[1][0]
    assert all(np.array_equal(a, b) for a, b in zip(runs[0][1], runs[1][1]))


def test_doctor_findings_on_the_tail_split(seed):
    x, y = seed
    model = seed_model(plexus)
    h = model.fit(x, y, epochs=3, batch_size=8, validation_split=0.2, split="tail", seed=0, verbose=0)
    ids = [f.id for f in h.findings]
    assert "split.label_shift" in ids
    f = h.findings[ids.index("split.label_shift")]
    assert f.severity == "warning" and "stratified" in f.fix and isinstance(f.evidence, dict) and f.evidence
    assert h.split.method == "tail" and h.split.validation_indices == list(range(409, 512))  # int(512 * 0.8) = 409
    quiet = seed_model(plexus).fit(x, y, epochs=1, batch_size=8, validation_split=0.2, split="tail", seed=0,
                                   verbose=0, doctor=False)
    assert quiet.findings == []


def test_progress_sink_and_python_callbacks(seed):
    x, y = seed
    text, events = [], []

    class Recorder(plexus.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            events.append((epoch, sorted(logs)))
            logs["extra"] = 1.5  # copied back into the History

    h = seed_model(plexus).fit(x, y, epochs=2, batch_size=64, validation_split=0.2, seed=0, verbose=2,
                               progress=text.append, callbacks=[Recorder()])
    assert "Epoch 2/2" in "".join(text)
    assert events == [(0, ["accuracy", "loss", "val_accuracy", "val_loss"]),
                      (1, ["accuracy", "loss", "val_accuracy", "val_loss"])]
    assert h.history["extra"] == [1.5, 1.5]


def test_callback_exception_propagates_and_model_stays_usable(seed):
    x, y = seed
    model = seed_model(plexus)

    def boom(epoch, logs):
        raise ZeroDivisionError("from a callback")

    with pytest.raises(ZeroDivisionError, match="from a callback"):
        model.fit(x, y, epochs=5, verbose=0, seed=0, callbacks=[boom])
    assert np.isfinite(model.predict(x)).all()


def test_native_callbacks_early_stopping_and_checkpoint(seed, tmp_path):
    x, y = seed
    model = seed_model(plexus)
    path = tmp_path / "best.plexus"
    h = model.fit(x, y, epochs=300, batch_size=8, validation_split=0.2, split="tail", seed=0, verbose=0,
                  callbacks=[plexus.callbacks.EarlyStopping(patience=3),
                             plexus.callbacks.ModelCheckpoint(str(path), save_best_only=True)])
    assert len(h.epoch) < 300 and path.exists()


def test_save_load_round_trip(seed, tmp_path):
    x, y = seed
    model = seed_model(plexus)
    model.fit(x, y, epochs=2, verbose=0, seed=0)
    model.save(tmp_path / "m.plexus")
    loaded = plexus.load_model(tmp_path / "m.plexus")
    assert np.array_equal(loaded.predict(x), model.predict(x))
    assert [layer.type for layer in loaded.layers][:2] == ["Dense", "Activation"]
    assert loaded.evaluate(x, y)["loss"] == pytest.approx(model.evaluate(x, y)["loss"])


def test_datasets():
    assert "seed-curves" in plexus.datasets.names() and "moons" in plexus.datasets.names()
    data = plexus.datasets.load("moons", samples=200, seed=3)
    assert data.x.shape == (200, 2) and data.x.dtype == np.float32 and data.y.shape == (200, 1)
    assert sorted(set(data.labels.tolist())) == [0, 1]
    assert np.array_equal(plexus.datasets.load("moons", samples=200, seed=3).x, data.x)
    with pytest.raises(plexus.ConfigError, match="unknown"):
        plexus.datasets.load("mooons")


def test_plots_return_png_and_svg_bytes(seed):
    x, y = seed
    model = seed_model(plexus)
    h = model.fit(x, y, epochs=2, batch_size=32, validation_split=0.2, split="tail", seed=0, verbose=0)
    tr, va = h.split.train_indices, h.split.validation_indices
    png = plexus.plot.decision_regions(model, x[tr], y[tr], x[va], y[va], resolution=40, width=300, height=200)
    assert png.data[:8] == b"\x89PNG\r\n\x1a\n" and png._repr_png_() == png.data and png._repr_svg_() is None
    svg = plexus.plot.learning_curves(h, format="svg", width=300, height=200)
    assert "<svg" in svg._repr_svg_()
    assert plexus.plot.layer_views(model, x, y, width=600, height=200).data[:4] == b"\x89PNG"
    assert plexus.plot.confusion_matrix(model, x, y, format="svg").data.lstrip().startswith(b"<?xml")
    with pytest.raises(plexus.ConfigError, match="format"):
        plexus.plot.learning_curves(h, format="gif")
