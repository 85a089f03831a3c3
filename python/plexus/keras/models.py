"""keras.models: Sequential and load_model with Keras's semantics.

Differences from the native plexus.Sequential: validation_split takes the last rows, unshuffled,
as Keras does (the doctor says what that costs: see ``history.findings``); verbose='auto' prints
Keras's progress display; evaluate returns a scalar or a list; summary prints and returns None;
each model draws its seed from plexus.keras.utils.set_random_seed's generator.
"""
import numpy as np

import plexus._model as native
from plexus.keras import _args, callbacks as keras_callbacks, losses as keras_losses
from plexus.keras import metrics as keras_metrics, optimizers as keras_optimizers
from plexus.keras.layers import InputLayer
from plexus.keras.utils import _next_seed


def _verbose(verbose) -> int:
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2, True, False):
        raise ValueError(f"verbose must be 'auto', 0, 1 or 2; received {verbose!r}")
    return int(verbose)


def _as_2d(x, what):
    """Keras accepts 1-D inputs as one feature; y stays as given (1-D is a column for the library)."""
    if isinstance(x, (list, tuple)):
        x = np.asarray(x, dtype=np.float32)
    if isinstance(x, np.ndarray) and x.ndim == 1 and what == "x":
        return x.reshape(-1, 1)
    return x


class Sequential(native.Sequential):
    """keras.models.Sequential(layers=None, name=None)."""

    def __init__(self, layers=None, name=None):
        self.name = name or "sequential"
        self._pending_input_dim = 0
        self._metric_keys = {}
        self.history = None
        super().__init__(None)
        for layer in layers or []:
            self.add(layer)

    def add(self, layer):
        if isinstance(layer, InputLayer):
            if self._layers:
                raise ValueError("add: an InputLayer must come first")
            self._pending_input_dim = layer.input_dim
            return
        if self._layers:
            # Keras reads input_shape on the first layer only and ignores it on later ones.
            if isinstance(layer, native.Dense):
                layer.input_dim = 0
        else:
            dim = getattr(layer, "input_dim", 0) or self._pending_input_dim
            if isinstance(layer, native.Dense):
                layer.input_dim, self._pending_input_dim = dim, 0
            else:
                self._pending_input_dim = dim  # built at compile
        super().add(layer)

    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None, weighted_metrics=None,
                run_eagerly=None, steps_per_execution=None, jit_compile=None, **kwargs):
        """keras Model.compile: optimizer by name or object, loss by name or object, metrics list."""
        _args.no_unknown(kwargs, "compile()")
        _args.unsupported("compile", loss_weights=(loss_weights, None), weighted_metrics=(weighted_metrics, None),
                          steps_per_execution=(steps_per_execution, None))
        if loss is None:
            raise ValueError("compile: give a loss, e.g. loss='categorical_crossentropy'")
        loss_name, loss_options = keras_losses.resolve(loss)
        names, self._metric_keys = keras_metrics.resolve(metrics)
        seed = _next_seed()
        super().compile(keras_optimizers.resolve(optimizer), loss_name, names, seed=seed, **loss_options)
        if self._pending_input_dim and not self.built:
            self.build(self._pending_input_dim, seed)

    def _keras_logs(self, logs: dict) -> dict:
        """Plexus's log names -> the names given in compile, in Keras's order: loss, metrics in compile's
        order, then the same with val_, then any other log (e.g. learning_rate)."""
        out = {}
        for prefix in ("", "val_"):
            for base, names in [("loss", ["loss"])] + list(self._metric_keys.items()):
                if prefix + base in logs:
                    for name in names:
                        out[prefix + name] = logs[prefix + base]
        known = {p + b for p in ("", "val_") for b in ["loss", *self._metric_keys]}
        out.update({k: v for k, v in logs.items() if k not in known})
        return out

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
            steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1,
            max_queue_size=10, workers=1, use_multiprocessing=False, **kwargs):
        """keras Model.fit; returns a History whose .history has Keras's keys."""
        nb_epoch = _args.deprecated(kwargs, "nb_epoch", "epochs", "fit")
        if nb_epoch is not None:
            epochs = nb_epoch
        _args.no_unknown(kwargs, "fit()")
        _args.unsupported("fit", steps_per_epoch=(steps_per_epoch, None), validation_steps=(validation_steps, None),
                          validation_batch_size=(validation_batch_size, None), validation_freq=(validation_freq, 1),
                          max_queue_size=(max_queue_size, 10), workers=(workers, 1),
                          use_multiprocessing=(use_multiprocessing, False))
        if x is None or y is None:
            raise NotImplementedError("fit: x and y are required (datasets and generators are not supported)")
        if shuffle not in (True, False):
            raise NotImplementedError(f"fit: shuffle={shuffle!r}; only True or False is supported")
        if validation_data is not None and len(validation_data) != 2:
            raise NotImplementedError("fit: validation_data with sample weights is not supported; give (x_val, y_val)")
        verbose = _verbose(verbose)
        cbs = keras_callbacks.prepare(callbacks, self, {"verbose": verbose, "epochs": int(epochs)})
        result = super().fit(_as_2d(x, "x"), _as_2d(y, "y"), epochs=epochs, batch_size=batch_size or 32,
                             shuffle=shuffle, validation_split=validation_split, split="tail",
                             validation_data=validation_data, class_weight=class_weight, sample_weight=sample_weight,
                             initial_epoch=initial_epoch, verbose=verbose, callbacks=cbs)
        result.history = {k: v for k, v in self._keras_logs(result.history).items()}
        result.params = {"verbose": verbose, "epochs": int(epochs),
                         "steps": -(-result.split.train_rows // int(batch_size or 32))}
        self.history = result
        return result

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False, **kwargs):
        """keras Model.evaluate: the loss, or [loss, metrics...] in compile's order, or a dict."""
        _args.no_unknown(kwargs, "evaluate()")
        _args.unsupported("evaluate", steps=(steps, None), callbacks=(callbacks, None))
        _verbose(verbose)
        logs = super().evaluate(_as_2d(x, "x"), _as_2d(y, "y"), sample_weight=sample_weight,
                                batch_size=batch_size or 32)
        logs = self._keras_logs(logs)
        if return_dict:
            return logs
        order = [name for names in self._metric_keys.values() for name in names]
        if not order:
            return logs["loss"]
        return [logs["loss"]] + [logs[name] for name in order]

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None, **kwargs):
        """keras Model.predict: an ndarray (n, outputs)."""
        _args.no_unknown(kwargs, "predict()")
        _args.unsupported("predict", steps=(steps, None), callbacks=(callbacks, None))
        _verbose(verbose)
        return super().predict(_as_2d(x, "x"), batch_size=batch_size or 32)

    def summary(self, line_length=None, positions=None, print_fn=None, **kwargs):
        """Prints Keras's table of layers, output shapes and parameter counts; returns None."""
        _args.no_unknown(kwargs, "summary()")
        (print_fn or print)(super().summary())

    def save(self, filepath, overwrite=True, **kwargs):
        """Writes a Plexus model file (whatever the extension: not HDF5 or .keras)."""
        _args.no_unknown(kwargs, "save()")
        if not overwrite:
            import os
            if os.path.exists(filepath):
                raise FileExistsError(f"save: {filepath} exists and overwrite=False")
        super().save(filepath)


def load_model(filepath, custom_objects=None, compile=True, **kwargs):  # noqa: A002 (Keras's name)
    """Reads a Plexus model file (written by model.save or the plexus command)."""
    _args.no_unknown(kwargs, "load_model()")
    _args.unsupported("load_model", custom_objects=(custom_objects, None))
    model = native.load_model(filepath, cls=Sequential)
    model.name, model._pending_input_dim, model.history = "sequential", 0, None
    config = model.config().get("compile", {})
    model._metric_keys = {m: [m] for m in config.get("metrics", [])}
    return model
