"""Threads, Ctrl-C, leaks and the examples."""
import os
import pathlib
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import plexus
from conftest import REPO, seed_model


def big_problem(rows=20000):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, 2)).astype(np.float32)
    y = np.zeros((rows, 2), np.float32)
    y[np.arange(rows), (x[:, 0] * x[:, 1] > 0).astype(int)] = 1
    return x, y


def spin_during(call):
    """Runs call() while a Python thread counts; returns (seconds, steps the thread made)."""
    counter, done = [0], threading.Event()

    def spin():
        while not done.is_set():
            counter[0] += 1

    thread = threading.Thread(target=spin)
    thread.start()
    try:
        time.sleep(0.05)
        start_count, start = counter[0], time.perf_counter()
        call()
        return time.perf_counter() - start, counter[0] - start_count
    finally:
        done.set()
        thread.join()


def test_gil_is_released_during_fit():
    x, y = big_problem()
    model = seed_model(plexus)
    elapsed, progressed = spin_during(lambda: model.fit(x, y, epochs=30, batch_size=32, verbose=0, doctor=False))
    assert elapsed > 0.05, "fit too short to judge"
    # With the GIL held for the whole fit the thread could not run at all.
    assert progressed > 1000, f"the thread advanced {progressed} steps during a {elapsed:.2f} s fit"


@pytest.mark.parametrize("call", ["predict", "evaluate"])
def test_gil_is_released_during_predict_and_evaluate(call):
    x, y = big_problem(rows=2000000)
    model = seed_model(plexus)
    model.fit(x[:100], y[:100], epochs=1, verbose=0, doctor=False)
    # One call: no Python in between.
    elapsed, progressed = spin_during(lambda: model.predict(x) if call == "predict" else model.evaluate(x, y))
    assert elapsed > 0.05, f"{call} too short to judge"
    assert progressed > 1000, f"the thread advanced {progressed} steps during {elapsed:.2f} s of {call}"


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals need the main thread")
def test_ctrl_c_stops_fit_and_raises_keyboard_interrupt():
    x, y = big_problem(2000)
    model = seed_model(plexus)
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    start = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, y, epochs=100000, batch_size=32, verbose=0, doctor=False)  # minutes if not stopped
    elapsed = time.perf_counter() - start
    timer.join()
    assert elapsed < 10, f"fit took {elapsed:.1f} s to stop"
    assert np.isfinite(model.predict(x[:10])).all()
    assert len(model.fit(x, y, epochs=1, verbose=0).epoch) == 1  # usable afterwards


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def test_no_leak_over_1000_fit_and_predict_calls():
    x, y = big_problem(2000)
    model = seed_model(plexus)

    def cycle(n):
        for _ in range(n):
            h = model.fit(x, y, epochs=1, batch_size=256, verbose=0, validation_split=0.1)
            assert h.epoch == [0]
            model.predict(x)

    cycle(100)  # warm up allocator pools and caches
    before = rss_bytes()
    cycle(1000)
    growth = rss_bytes() - before
    # One leaked copy of x and y per call would be 1000 * 24 KB = 24 MB.
    assert growth < 8 * 2**20, f"RSS grew by {growth / 2**20:.1f} MiB over 1000 fit/predict calls"


def test_seed_example_reproduces_the_collapse(tmp_path):
    pytest.importorskip("matplotlib")
    picture = tmp_path / "seed.png"
    env = dict(os.environ, MPLBACKEND="Agg", PLEXUS_SEED_PICTURE=str(picture))
    out = subprocess.run([sys.executable, str(REPO / "examples" / "seed.py")], capture_output=True, text=True,
                         env=env, cwd=tmp_path, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "Total params" in out.stdout and "\nNone\n" in out.stdout  # print(model.summary())
    val_accuracy = float(re.findall(r"val_accuracy: ([0-9.]+)", out.stdout)[-1])
    assert val_accuracy < 0.1, f"val_accuracy {val_accuracy}: the tail split should collapse it (~0.03)"
    assert picture.read_bytes()[:4] == b"\x89PNG"


def test_notebook_executes(tmp_path):
    nbconvert = shutil.which("jupyter-nbconvert") or shutil.which("jupyter")
    try:
        import ipykernel  # noqa: F401
        import nbconvert as _  # noqa: F401
    except ImportError:
        pytest.skip("jupyter nbconvert / ipykernel not installed")
    if nbconvert is None:
        pytest.skip("jupyter-nbconvert not installed")
    source = pathlib.Path(REPO / "examples" / "seed.ipynb")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), JUPYTER_PLATFORM_DIRS="1",
               HOME=str(tmp_path), MPLBACKEND="Agg")
    cmd = [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--output-dir", str(tmp_path),
           "--ExecutePreprocessor.timeout=300", "--ExecutePreprocessor.kernel_name=python3", str(source)]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    executed = (tmp_path / "seed.ipynb").read_text()
    assert "image/png" in executed and "split.label_shift" in executed
