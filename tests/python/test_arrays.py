"""NumPy in, NumPy out: zero-copy paths, conversions, and every bad-input path."""
import numpy as np
import pytest

import plexus
from plexus import _core
from conftest import seed_model


def counts():
    return _core._conversion_count(), _core._copy_count()


@pytest.fixture
def trained(seed):
    x, y = seed
    model = seed_model(plexus)
    model.fit(x, y, epochs=1, verbose=0, seed=0)
    return model


def test_float32_c_contiguous_is_not_copied(seed, trained):
    x, y = seed
    before = counts()
    trained.predict(x)
    trained.evaluate(x, y)
    assert counts() == before


def test_other_layouts_are_converted_once(seed, trained):
    x, _ = seed
    expected = trained.predict(x)
    for variant in (x.astype(np.float64), np.asfortranarray(x), np.repeat(x, 2, axis=1)[:, ::2],
                    x.astype(np.float32).tolist()):
        before = counts()
        assert np.array_equal(trained.predict(variant), expected)
        assert counts() == (before[0] + 1, before[1])
    assert np.array_equal(trained.predict((x * 0 + 1).astype(np.int64)), trained.predict(np.ones_like(x)))


def test_fit_reads_float32_c_contiguous_in_place(seed):
    # Sequential::fit takes MatrixViews: x and y are read where NumPy keeps them (no copy, no conversion).
    x, y = seed
    model = seed_model(plexus)
    before = counts()
    model.fit(x, y, epochs=1, verbose=0, validation_split=0.2)
    assert counts() == before


def test_fit_converts_other_layouts_once_with_identical_results(seed):
    x, y = seed
    options = dict(epochs=3, verbose=0, seed=5, validation_split=0.2)
    reference = seed_model(plexus).fit(x, y, **options).history
    assert reference["val_loss"]
    for variant in (x.astype(np.float64), np.asfortranarray(x), np.repeat(x, 2, axis=1)[:, ::2], x.tolist()):
        before = counts()
        history = seed_model(plexus).fit(variant, y, **options).history
        assert counts() == (before[0] + 1, before[1])
        assert history == reference  # bit for bit: the same floats in every list


RSS_SCRIPT = r"""
import resource, sys
import numpy as np
import plexus
rows, cols, doctor = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
x = np.random.default_rng(0).standard_normal((rows, cols), dtype=np.float32)
y = (x[:, :1] > 0).astype(np.float32)
model = plexus.Sequential()
model.add(plexus.Dense(1, input_dim=cols))
model.compile(optimizer="sgd", loss="mse")
model.predict(x[:2])                       # build and warm up outside the measurement
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
model.fit(x, y, epochs=1, batch_size=8192, validation_split=0.1, verbose=0, doctor=doctor, seed=1)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) * 1024, x.nbytes)
"""


@pytest.mark.parametrize("doctor", [False, True])
def test_fit_on_a_400_mb_array_does_not_copy_it(doctor):
    # Peak RSS is monotone: a copy of x during fit would raise it by the array's size (400 MB). What fit
    # may add: per-row bookkeeping (row indices, the split in the History, as Python lists), ~120 bytes a row.
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", RSS_SCRIPT, "250000", "400", "1" if doctor else "0"],
                         check=True, capture_output=True, text=True, timeout=600).stdout.split()
    growth, size = int(out[0]), int(out[1])
    assert size == 400_000_000
    # The doctor adds bounded samples and per-row facts (a 16 MB support sample, row hashes), never a copy.
    bound = size // 3 if doctor else size // 8
    assert growth < bound, f"peak RSS grew by {growth / 1e6:.0f} MB during fit on a {size / 1e6:.0f} MB array"


def test_predict_output_is_the_library_matrix(trained, seed):
    x, _ = seed
    out = trained.predict(x)
    assert out.dtype == np.float32 and out.flags.c_contiguous and out.flags.writeable
    assert not out.flags.owndata and out.base is not None  # owned by the C++ Matrix, no extra copy


@pytest.mark.parametrize("bad, error, pattern", [
    (np.zeros((4, 3), np.float32), plexus.ShapeError, r"3"),
    (np.zeros(4, np.float32), plexus.ShapeError, r"2-D.*\(4,\)"),
    (np.zeros((2, 2, 2), np.float32), plexus.ShapeError, r"\(2, 2, 2\)"),
    ([["a", "b"]], plexus.DataError, r"float32"),
])
def test_bad_predict_input(trained, bad, error, pattern):
    with pytest.raises(error, match=pattern) as info:
        trained.predict(bad)
    assert isinstance(info.value, ValueError)


def test_bad_fit_input(seed):
    x, y = seed
    model = seed_model(plexus)
    nan = x.copy()
    nan[5, 1] = np.nan
    with pytest.raises(plexus.DataError, match="NaN or Inf at row 5, column 1"):
        model.fit(nan, y, verbose=0)
    with pytest.raises(plexus.ShapeError, match="rows"):
        model.fit(x, y[:10], verbose=0)
    with pytest.raises(plexus.ShapeError):
        model.fit(x, y[:, :1], verbose=0)
    with pytest.raises(plexus.ConfigError, match="validation_split"):
        model.fit(x, y, validation_split=1.5, verbose=0)
    with pytest.raises(plexus.ConfigError, match="split"):
        model.fit(x, y, split="random-ish", verbose=0)
    with pytest.raises(plexus.ConfigError, match="batch_size"):
        model.fit(x, y, batch_size=0, verbose=0)
    with pytest.raises(ValueError):
        model.fit(x[:0], y[:0], verbose=0)


def test_config_and_io_errors(tmp_path):
    with pytest.raises(plexus.ConfigError, match="tahn") as info:
        plexus.Dense(4, "tahn")._make()
    assert isinstance(info.value, ValueError) and isinstance(info.value, plexus.Error)
    model = plexus.Sequential([plexus.Dense(2, input_dim=2)])
    with pytest.raises(plexus.ConfigError, match="loss"):
        model.compile(loss="cross_entropy")
    with pytest.raises(plexus.ConfigError, match="fit"):
        plexus.Sequential([plexus.Dense(2, input_dim=2)]).fit(np.zeros((2, 2)), np.zeros((2, 2)), verbose=0)
    with pytest.raises(plexus.IoError, match="missing.plexus") as info:
        plexus.load_model(tmp_path / "missing.plexus")
    assert isinstance(info.value, OSError)
    corrupt = tmp_path / "corrupt.plexus"
    corrupt.write_bytes(b"not a model")
    with pytest.raises(plexus.IoError):
        plexus.load_model(corrupt)
