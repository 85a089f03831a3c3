"""The native model API: Sequential, layers, History and the doctor's findings."""
import dataclasses
import sys
from typing import Any, Dict, List, Optional

import numpy as np

from plexus import _core

SPLITS = ("auto", "automatic", "tail", "random", "stratified")


class Layer:
    """Base of the layers. After ``model.add(layer)``, ``layer.name`` is the name the model gave it."""

    def __init__(self, name: str = ""):
        self._name = name
        self._core = None
        self._model = None
        self._index = None

    @property
    def name(self) -> str:
        return self._core.name if self._core is not None else self._name

    def _make(self):  # pragma: no cover - each layer defines it
        raise NotImplementedError

    def get_weights(self) -> List[np.ndarray]:
        if self._model is None:
            return []
        return self._model._core.get_weights(self._index) if self._model._core.built else []

    def __repr__(self):
        return f"<plexus.{type(self).__name__} {self.name or '(not added)'}>"


class Dense(Layer):
    """A fully connected layer: ``activation(x @ kernel + bias)`` (C++ ``DenseOptions``)."""

    def __init__(self, units: int, activation: str = "linear", *, use_bias: bool = True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_l1: float = 0.0,
                 kernel_l2: float = 0.0, input_dim: int = 0, name: str = ""):
        super().__init__(name)
        self.units, self.activation, self.use_bias = int(units), activation or "linear", bool(use_bias)
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_l1, self.kernel_l2, self.input_dim = float(kernel_l1), float(kernel_l2), int(input_dim or 0)

    def _make(self):
        return _core.dense(self.units, self.activation, self.use_bias, self.kernel_initializer,
                           self.bias_initializer, self.kernel_l1, self.kernel_l2, self.input_dim, self._name)


class Activation(Layer):
    """Applies an activation function (``"tanh"``, ``"softmax"``, ...) element-wise."""

    def __init__(self, activation: str, *, name: str = ""):
        super().__init__(name)
        self.activation = activation

    def _make(self):
        return _core.activation(self.activation, self._name)


class Dropout(Layer):
    """Drops a fraction ``rate`` of its inputs in training (inverted dropout), none at inference."""

    def __init__(self, rate: float, *, name: str = ""):
        super().__init__(name)
        self.rate = float(rate)

    def _make(self):
        return _core.dropout(self.rate, self._name)


class BatchNormalization(Layer):
    """Normalises each feature with the batch's mean and variance in training and with moving
    statistics at inference (Keras semantics: ``moving = momentum * moving + (1 - momentum) * batch``),
    then scales by ``gamma`` and shifts by ``beta``. Weights: [gamma, beta, moving_mean, moving_variance]
    (gamma without ``scale``, beta without ``center`` are left out); the moving ones are not trained."""

    def __init__(self, *, momentum: float = 0.99, epsilon: float = 1e-3, center: bool = True, scale: bool = True,
                 name: str = ""):
        super().__init__(name)
        self.momentum, self.epsilon = float(momentum), float(epsilon)
        self.center, self.scale = bool(center), bool(scale)

    def _make(self):
        return _core.batch_normalization(self.momentum, self.epsilon, self.center, self.scale, self._name)


class LayerNormalization(Layer):
    """Normalises each row over its features (mean 0, variance 1), then ``gamma * x + beta``."""

    def __init__(self, *, epsilon: float = 1e-3, center: bool = True, scale: bool = True, name: str = ""):
        super().__init__(name)
        self.epsilon, self.center, self.scale = float(epsilon), bool(center), bool(scale)

    def _make(self):
        return _core.layer_normalization(self.epsilon, self.center, self.scale, self._name)


class GaussianNoise(Layer):
    """Adds normal noise of standard deviation ``stddev`` in training (from the fit's seed); identity at inference."""

    def __init__(self, stddev: float, *, name: str = ""):
        super().__init__(name)
        self.stddev = float(stddev)

    def _make(self):
        return _core.gaussian_noise(self.stddev, self._name)


@dataclasses.dataclass
class Finding:
    """A finding of the training doctor (docs/doctor.md lists every id)."""
    id: str
    severity: str  # "info", "warning", "error"
    message: str
    evidence: Dict[str, Any]
    fix: str
    epoch: Optional[int] = None

    def __str__(self):
        return f"[{self.severity}] {self.id}: {self.message}\n    fix: {self.fix}"


@dataclasses.dataclass
class SplitInfo:
    """How fit divided the rows: the method and the rows (indices into fit's x) of each part."""
    method: str
    train_rows: int
    validation_rows: int
    train_class_counts: List[int]
    validation_class_counts: List[int]
    train_indices: List[int]
    validation_indices: List[int]


class History:
    """What fit returns: ``history`` (dict of per-epoch lists), ``epoch``, the doctor's ``findings``,
    the ``split``, ``train_seconds``, the ``seed`` used, and the ``model``."""

    def __init__(self, result: dict, model=None, params=None):
        self._raw = result
        self.history: Dict[str, List[float]] = dict(result["history"])
        self.epoch: List[int] = list(result["epoch"])
        self.findings: List[Finding] = [Finding(**f) for f in result["findings"]]
        self.split = SplitInfo(**result["split"])
        self.train_seconds: float = result["train_seconds"]
        self.seed: int = result["seed"]
        self.model = model
        self.params = params or {}

    def __repr__(self):
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.history.items() if v)
        return f"<plexus.History {len(self.epoch)} epochs: {last}; {len(self.findings)} findings>"


def _native_callbacks(callbacks, model) -> list:
    """The list fit's C++ side takes: C++ callbacks as they are, Python ones as dicts of hooks."""
    from plexus.callbacks import Callback
    out = []
    for cb in callbacks or []:
        if hasattr(cb, "_native"):
            out.append(cb._native)
        elif isinstance(cb, Callback):
            cb.set_model(model)
            out.append(cb._hooks())
        elif callable(cb):
            out.append({"on_epoch_end": cb})
        else:
            raise TypeError(f"callbacks: expected plexus.callbacks.Callback objects or callables; received {cb!r}")
    return out


def _stdout_sink(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _optimizer_config(optimizer):
    if isinstance(optimizer, (str, dict)):
        return optimizer
    if hasattr(optimizer, "get_config"):
        return optimizer.get_config()
    raise TypeError(f"compile: optimizer must be a name, a dict of options or an optimizer object; received {optimizer!r}")


class Sequential:
    """A stack of layers with compile / fit / evaluate / predict, as the C++ ``plexus::Sequential``.

    Unlike ``plexus.keras``, ``fit``'s validation split is stratified by default (``split="auto"``);
    ``split="tail"`` takes the last rows as Keras does.
    """

    def __init__(self, layers=None):
        self._core = _core.Model()
        self._layers: List[Layer] = []
        for layer in layers or []:
            self.add(layer)

    # -- structure ---------------------------------------------------------------------------------
    def add(self, layer: Layer) -> None:
        if not isinstance(layer, Layer):
            raise TypeError("add: expected a plexus layer (Dense, Activation, Dropout, BatchNormalization, "
                            f"LayerNormalization, GaussianNoise); received {layer!r}")
        if layer._model is not None:
            raise ValueError(f"add: layer '{layer.name}' already belongs to a model")
        core = layer._make()
        self._core.add(core)
        layer._core, layer._model, layer._index = core, self, len(self._layers)
        self._layers.append(layer)

    @property
    def layers(self) -> List[Layer]:
        return list(self._layers)

    def build(self, input_dim: int, seed: int = 0) -> None:
        self._core.build(int(input_dim), int(seed))

    @property
    def built(self) -> bool:
        return self._core.built

    @property
    def input_dim(self) -> int:
        return self._core.input_dim

    @property
    def output_dim(self) -> int:
        return self._core.output_dim

    def count_params(self) -> int:
        return self._core.count_params()

    def summary(self) -> str:
        return self._core.summary()

    def config(self) -> dict:
        return self._core.config()

    @property
    def stop_training(self) -> bool:
        return self._core.stop_training

    @stop_training.setter
    def stop_training(self, value: bool) -> None:
        self._core.stop_training = bool(value)

    # -- training ----------------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss="mse", metrics=(), *, from_logits=False, huber_delta=1.0,
                seed=0) -> None:
        self._core.compile(_optimizer_config(optimizer), loss, list(metrics or ()), bool(from_logits),
                           float(huber_delta), int(seed))

    @property
    def compiled(self) -> bool:
        return self._core.compiled

    def fit(self, x, y, *, epochs=1, batch_size=32, shuffle=True, validation_split=0.0, split="auto",
            validation_data=None, class_weight=None, sample_weight=None, initial_epoch=0, seed=None,
            verbose=1, progress=None, callbacks=None, doctor=True, feature_names=None,
            class_names=None, distributed=False) -> History:
        """Trains (C++ ``FitOptions``). ``progress`` receives the display text (default: stdout when
        verbose > 0); ``callbacks`` are plexus.callbacks objects, Callback subclasses, or callables
        ``f(epoch, logs)`` run at each epoch's end. Ctrl-C stops training and raises KeyboardInterrupt.
        ``distributed=True``: data-parallel over the ranks of ``mpirun`` (see plexus.distributed)."""
        if split not in SPLITS:
            raise _core.ConfigError(f"fit: split must be one of {', '.join(SPLITS)}; received {split!r}")
        options = dict(epochs=int(epochs), batch_size=int(batch_size), shuffle=bool(shuffle),
                       validation_split=float(validation_split), split="auto" if split == "automatic" else split,
                       class_weight={int(k): float(v) for k, v in (class_weight or {}).items()},
                       sample_weight=[] if sample_weight is None else np.asarray(sample_weight, float).ravel().tolist(),
                       initial_epoch=int(initial_epoch), seed=None if seed is None else int(seed),
                       verbose=int(verbose), feature_names=list(feature_names or []),
                       class_names=[str(c) for c in (class_names or [])], doctor=bool(doctor),
                       distributed=bool(distributed))
        if progress is None and verbose:
            progress = _stdout_sink
        if validation_data is not None:
            validation_data = tuple(validation_data)
        native = _native_callbacks(callbacks, self)
        result = self._core.fit(x, y, options, validation_data, native, progress)
        return History(result, self, {"epochs": int(epochs), "verbose": int(verbose)})

    def evaluate(self, x, y, *, sample_weight=None, batch_size=256) -> Dict[str, float]:
        weights = [] if sample_weight is None else np.asarray(sample_weight, float).ravel().tolist()
        return dict(self._core.evaluate(x, y, weights, int(batch_size)))

    def predict(self, x, *, batch_size=256) -> np.ndarray:
        return self._core.predict(x, int(batch_size))

    # -- weights and files -------------------------------------------------------------------------
    def get_weights(self, layer: Optional[int] = None) -> List[np.ndarray]:
        """Layer ``layer``'s arrays ([kernel, bias] for Dense), or every layer's in order (Keras)."""
        if layer is not None:
            return self._core.get_weights(int(layer))
        return [w for i in range(len(self._layers)) for w in self._core.get_weights(i)]

    def set_weights(self, weights, layer: Optional[int] = None) -> None:
        if layer is not None:
            self._core.set_weights(int(layer), list(weights))
            return
        weights = list(weights)
        for i in range(len(self._layers)):
            count = len(self._core.get_weights(i))
            self._core.set_weights(i, weights[:count])
            weights = weights[count:]
        if weights:
            raise _core.ShapeError(f"set_weights: {len(weights)} arrays left over after the last layer")

    def save(self, path, *, class_names=None, feature_names=None) -> None:
        """Writes the model file (config, weights, optimizer state; atomically)."""
        self._core.save(str(path), {"class_names": list(class_names or []),
                                    "feature_names": list(feature_names or [])})

    def _init_from_core(self, core):
        self._core = core
        self._layers = []
        for i, layer_core in enumerate(core.layers()):
            layer = _LoadedLayer(layer_core)
            layer._model, layer._index = self, i
            self._layers.append(layer)


class _LoadedLayer(Layer):
    """A layer of a loaded model: its type and config as the file gives them."""

    def __init__(self, core):
        super().__init__(core.name)
        self._core = core

    @property
    def type(self) -> str:
        return self._core.type

    def config(self) -> dict:
        return self._core.config()


def load_model(path, cls=Sequential):
    """Reads a model file written by ``save`` (or the plexus command); IoError if missing or corrupt."""
    core, metadata = _core.load_model(str(path))
    if metadata["applied_around"]:
        import warnings
        warnings.warn(f"{path}: the model was trained with {', '.join(metadata['applied_around'])} applied around it, "
                      "which this bare model does not apply; plexus.load_run(path).predict(x) does (as `plexus predict`)",
                      stacklevel=2)
    model = cls.__new__(cls)
    Sequential._init_from_core(model, core)
    return model
