"""Pictures of models and training runs as PNG/SVG/PDF bytes, wrapped in objects that display
inline in Jupyter (``_repr_png_`` / ``_repr_svg_``) and can be saved.

    picture = plexus.plot.decision_regions(model, x_train, labels_train, x_val, labels_val)
    picture              # in a notebook: shows it
    picture.save("boundary.png")
"""
import numpy as np

from plexus import _core


class Picture:
    """Bytes of one picture in ``format`` ("png", "svg" or "pdf")."""

    def __init__(self, data: bytes, format: str):
        self.data, self.format = data, format

    def _repr_png_(self):
        return self.data if self.format == "png" else None

    def _repr_svg_(self):
        return self.data.decode("utf-8") if self.format == "svg" else None

    def save(self, path) -> None:
        with open(path, "wb") as f:
            f.write(self.data)

    def __bytes__(self):
        return self.data

    def __repr__(self):
        return f"<plexus.plot.Picture {self.format}, {len(self.data)} bytes>"


def _style(width, height, title, **extra):
    style = {"width": int(width), "height": int(height)}
    if title:
        style["title"] = str(title)
    style.update({k: v for k, v in extra.items() if v is not None})
    return style


def _labels(y):
    """Class indices from indices or one-hot rows."""
    if y is None:
        return None
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return y.argmax(axis=1).tolist()
    return y.reshape(-1).astype(np.int64).tolist()


def _core_model(model):
    return getattr(model, "_core", model)


def decision_regions(model, x, y, x_val=None, y_val=None, *, class_names=(), title="", format="png",
                     width=800, height=600, range=None, resolution=200, **style) -> Picture:
    """Decision regions of a 2-input classifier with training points (filled) and validation points
    (hollow); cells outside the training data's support are hatched. y: class indices or one-hot."""
    data = _core.plot_decision_regions(_core_model(model), x, _labels(y), x_val, _labels(y_val),
                                       [str(c) for c in class_names], _style(width, height, title, **style),
                                       format, range, int(resolution))
    return Picture(data, format)


def learning_curves(history, *, title="", format="png", width=800, height=600, log_y=False, **style) -> Picture:
    """Loss and metrics per epoch (validation dashed); epochs with doctor findings are marked."""
    data = _core.plot_learning_curves(history._raw, _style(width, height, title, **style), format, bool(log_y))
    return Picture(data, format)


def layer_views(model, x, y, *, class_names=(), title="", format="png", width=1200, height=400, range=None,
                **style) -> Picture:
    """How each hidden layer bends the input plane (2-input models)."""
    data = _core.plot_layer_views(_core_model(model), x, _labels(y), [str(c) for c in class_names],
                                  _style(width, height, title, **style), format, range)
    return Picture(data, format)


def confusion_matrix(model, x, y, *, class_names=(), title="", format="png", width=600, height=600,
                     **style) -> Picture:
    """Confusion matrix of the model's predictions on (x, y)."""
    data = _core.plot_confusion_matrix(_core_model(model), x, _labels(y), [str(c) for c in class_names],
                                       _style(width, height, title, **style), format)
    return Picture(data, format)
