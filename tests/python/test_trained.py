"""plexus.load_run: a model trained by the command line predicts from Python exactly as
`plexus predict` does (standardizer, target scaling, table preprocessor, findings)."""
import json
import subprocess
import sys
import warnings

import numpy as np
import pytest

import plexus
from conftest import BUILD, REPO

PLEXUS = BUILD / "apps" / "plexus"


def cli(*args, cwd):
    return subprocess.run([str(PLEXUS), *map(str, args)], capture_output=True, text=True, check=True, cwd=cwd).stdout


def cli_predict(model, data, cwd):
    return json.loads(cli("predict", "--model", model, "--data", data, "--json", cwd=cwd))


def as_probabilities(outputs):
    """The command's JSON gives [1 - p, p] for a one-unit sigmoid output."""
    return np.column_stack([1 - outputs[:, 0], outputs[:, 0]]) if outputs.shape[1] == 1 else outputs


def write_csv(path, header, rows):
    path.write_text(",".join(header) + "\n" + "".join(",".join(str(v) for v in r) + "\n" for r in rows))


def test_standardized_classifier_predicts_like_the_command(tmp_path):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(300, 2)) * [1000.0, 0.01] + [5000.0, 0.0]
    y = ((x[:, 0] - 5000) / 1000 + x[:, 1] / 0.01 > 0).astype(int)
    write_csv(tmp_path / "train.csv", ["a", "b", "label"], [[*r, c] for r, c in zip(x, y)])
    cli("train", "--data", "train.csv", "--standardize", "--layers", "8", "--epochs", "20", "--verbose", "0", "--out", "run",
        cwd=tmp_path)
    run = plexus.load_run(tmp_path / "run")
    assert run.classification and run.class_names == ["0", "1"] and run.feature_names == ["a", "b"]
    got = run.predict(x.astype(np.float32))
    want = cli_predict("run", "train.csv", tmp_path)
    np.testing.assert_allclose(as_probabilities(got), np.array(want["probabilities"]), rtol=1e-5, atol=1e-6)
    assert run.predict_classes(x[:3]) == [str(c) for c in want["class"][:3]]
    # The bare model does not standardize: loading it says so.
    with pytest.warns(UserWarning, match="standardizer"):
        plexus.load_model(tmp_path / "run" / "model.plexus")
    # Rows far from the training data are flagged, as by `plexus predict`.
    run.predict(np.array([[9e5, 50.0]], np.float32))
    assert [f.id for f in run.findings] == ["predict.extrapolation"]
    with pytest.raises(plexus.ShapeError, match="columns"):
        run.predict(np.zeros((2, 3), np.float32))


def test_regression_comes_back_in_the_target_units(tmp_path):
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, size=(400, 2))
    y = 5000 + 800 * x[:, 0] - 300 * x[:, 1]
    write_csv(tmp_path / "reg.csv", ["u", "v", "price"], [[*r, t] for r, t in zip(x, y)])
    cli("train", "--data", "reg.csv", "--task", "regression", "--layers", "16", "--epochs", "40", "--verbose", "0",
        "--out", "run", cwd=tmp_path)
    run = plexus.load_run(tmp_path / "run")
    assert not run.classification
    got = run.predict(x.astype(np.float32))
    want = np.array(cli_predict("run", "reg.csv", tmp_path)["predictions"])
    np.testing.assert_allclose(got, want.reshape(got.shape), rtol=1e-5, atol=1e-3)
    assert abs(float(np.mean(got)) - 5000) < 500  # the target's units, not standardized ones


def test_table_model_takes_raw_rows(tmp_path):
    subprocess.run([sys.executable, str(REPO / "tests" / "data" / "make_mixed_table.py"), "mixed.csv", "1500", "7"],
                   check=True, cwd=tmp_path)
    cli("train", "--data", "mixed.csv", "--epochs", "10", "--verbose", "0", "--out", "run", cwd=tmp_path)
    (tmp_path / "raw.csv").write_text("plan,city,age,income,visits,region_code,score\n"
                                      "pro,Atlantis,35,40000,3,1,0.5\n,Rome,,NA,10,2,\nbasic,Oslo,50,20000,1,3,-1\n")
    run = plexus.load_run(tmp_path / "run")
    assert run.takes_tables
    got = run.predict_csv(tmp_path / "raw.csv")
    want = cli_predict("run", "raw.csv", tmp_path)
    np.testing.assert_allclose(as_probabilities(got), np.array(want["probabilities"]), rtol=1e-5, atol=1e-6)
    assert "predict.unseen_category" in [f.id for f in run.findings]
    with pytest.raises(plexus.ConfigError, match="predict_csv"):
        run.predict(np.zeros((1, 7), np.float32))
