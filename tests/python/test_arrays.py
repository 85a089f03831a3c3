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


def test_fit_copies_x_and_y_once_each(seed):
    # Sequential::fit takes `const Matrix&`, so the rows are copied into one Matrix each (no conversion).
    x, y = seed
    model = seed_model(plexus)
    before = counts()
    model.fit(x, y, epochs=1, verbose=0)
    assert counts() == (before[0], before[1] + 2)


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
