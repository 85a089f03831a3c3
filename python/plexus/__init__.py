"""Plexus for Python: dense neural networks with a training doctor, NumPy in, NumPy out.

Two APIs over the same C++ library:

* ``plexus`` (this module), the native API, mirroring the C++ one::

      import plexus
      model = plexus.Sequential([plexus.Dense(4, "tanh", input_dim=2), plexus.Dense(2, "softmax")])
      model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
      history = model.fit(x, y, epochs=300, batch_size=8, validation_split=0.2, seed=0)
      for finding in history.findings: print(finding)

* ``plexus.keras``: Keras's names and semantics, so a Keras script for a dense network runs
  when its imports change (``from plexus.keras.models import Sequential`` ...).

Arrays: float32 C-contiguous arrays are read in place; anything else is converted once.
Errors: ``plexus.Error`` and its subclasses ``ShapeError``, ``ConfigError``, ``DataError``
(all ``ValueError``) and ``IoError`` (an ``OSError``).
"""
from plexus import _core
from plexus._core import ConfigError, DataError, Error, IoError, ShapeError
from plexus._model import (Activation, BatchNormalization, Dense, Dropout, Finding, GaussianNoise, History, Layer,
                           LayerNormalization, Sequential, SplitInfo, load_model)
from plexus._trained import TrainedModel, load_run
from plexus import callbacks, datasets, plot

__version__ = _core.__version__
load = load_model

__all__ = ["Sequential", "Dense", "Activation", "Dropout", "BatchNormalization", "LayerNormalization",
           "GaussianNoise", "Layer", "History", "Finding", "SplitInfo",
           "load_model", "load", "load_run", "TrainedModel", "callbacks", "datasets", "plot", "Error", "ShapeError", "ConfigError",
           "DataError", "IoError", "__version__"]
