"""Callbacks: the library's (EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, TerminateOnNaN,
CSVLogger, run in C++) and Python ones (subclass ``Callback`` or use ``LambdaCallback``).

Hooks, with Keras's signatures: ``on_train_begin(logs)``, ``on_epoch_begin(epoch, logs)``,
``on_train_batch_end(batch, logs)``, ``on_epoch_end(epoch, logs)``, ``on_train_end(logs)``.
Only the hooks a subclass overrides are called (a callback without a batch hook costs nothing per
batch). Python callbacks run with the GIL; an exception in one stops training and is raised by fit.
Setting ``self.model.stop_training = True`` ends training.
"""
from plexus import _core

HOOKS = ("on_train_begin", "on_epoch_begin", "on_train_batch_end", "on_epoch_end", "on_train_end")


class Callback:
    def __init__(self):
        self.model = None

    def set_model(self, model) -> None:
        self.model = model

    def on_train_begin(self, logs=None): pass
    def on_epoch_begin(self, epoch, logs=None): pass
    def on_train_batch_end(self, batch, logs=None): pass
    def on_epoch_end(self, epoch, logs=None): pass
    def on_train_end(self, logs=None): pass

    def _hooks(self) -> dict:
        """The overridden hooks, as fit's C++ side calls them."""
        return {name: getattr(self, name) for name in HOOKS
                if getattr(type(self), name) is not getattr(Callback, name)}


class LambdaCallback(Callback):
    """A callback from functions: ``LambdaCallback(on_epoch_end=lambda epoch, logs: ...)``."""

    def __init__(self, on_train_begin=None, on_epoch_begin=None, on_train_batch_end=None, on_epoch_end=None,
                 on_train_end=None):
        super().__init__()
        self._functions = {"on_train_begin": on_train_begin, "on_epoch_begin": on_epoch_begin,
                           "on_train_batch_end": on_train_batch_end, "on_epoch_end": on_epoch_end,
                           "on_train_end": on_train_end}

    def _hooks(self) -> dict:
        return {k: f for k, f in self._functions.items() if f is not None}


class _Native:
    """A callback implemented in the library; ``_native`` is what fit passes to C++."""
    _native = None

    def set_model(self, model) -> None:  # the C++ callback sees the C++ model
        pass


class EarlyStopping(_Native):
    def __init__(self, monitor="val_loss", min_delta=0.0, patience=0, mode="auto", baseline=None,
                 restore_best_weights=False, start_from_epoch=0):
        self._native = _core.early_stopping(monitor, float(min_delta), int(patience), mode,
                                            None if baseline is None else float(baseline),
                                            bool(restore_best_weights), int(start_from_epoch))


class ModelCheckpoint(_Native):
    """Saves the model after epochs; ``{epoch}`` in filepath is the 1-based epoch."""

    def __init__(self, filepath, monitor="val_loss", save_best_only=False, mode="auto"):
        self._native = _core.model_checkpoint(str(filepath), monitor, bool(save_best_only), mode)


class ReduceLROnPlateau(_Native):
    def __init__(self, monitor="val_loss", factor=0.1, patience=10, mode="auto", min_delta=1e-4, cooldown=0,
                 min_lr=0.0):
        self._native = _core.reduce_lr_on_plateau(monitor, float(factor), int(patience), mode, float(min_delta),
                                                  int(cooldown), float(min_lr))


class TerminateOnNaN(_Native):
    def __init__(self):
        self._native = _core.terminate_on_nan()


class CSVLogger(_Native):
    def __init__(self, filename, append=False):
        self._native = _core.csv_logger(str(filename), bool(append))
