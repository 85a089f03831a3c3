"""Shared fixtures of the Python package's tests (run by ctest as python_tests)."""
import math
import os
import pathlib

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("PLEXUS_BUILD_DIR", REPO / "build"))


def seed_data(n_points=256):
    """The seed's two curves, computed exactly as examples/seed_curves.cpp does (glibc cos, float32)."""
    x = np.array([2 * math.pi * i / (n_points - 1) for i in range(n_points)])
    upper = [math.cos(v * 1.2) + 0.8 for v in x]
    lower = [math.cos(v * 1.2) - 0.8 for v in x]
    features = np.concatenate([np.column_stack([x, upper]), np.column_stack([x, lower])]).astype(np.float32)
    labels = np.concatenate([np.zeros(n_points), np.ones(n_points)])
    one_hot = np.zeros((2 * n_points, 2), np.float32)
    one_hot[np.arange(2 * n_points), labels.astype(int)] = 1
    return features, one_hot


@pytest.fixture
def seed():
    return seed_data()


def seed_model(module):
    """examples/seed_curves.cpp's create_model, through the native API."""
    import plexus
    model = plexus.Sequential()
    model.add(plexus.Dense(4, input_dim=2))
    for units in (4, 4, 4, 2):
        model.add(plexus.Activation("tanh"))
        model.add(plexus.Dense(units))
    model.add(plexus.Activation("softmax"))
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
