"""keras.utils.np_utils (Keras 1/2): to_categorical."""
import numpy as np


def to_categorical(y, num_classes=None, dtype="float32"):
    """Class indices -> one-hot rows, as Keras: shape y.shape + (num_classes,), a trailing 1 dropped."""
    y = np.array(y, dtype="int64")
    input_shape = y.shape
    if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
        input_shape = tuple(input_shape[:-1])
    y = y.ravel()
    if not num_classes:
        num_classes = int(np.max(y)) + 1
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(f"to_categorical: labels must be in [0, {num_classes}); received values in "
                         f"[{y.min()}, {y.max()}]")
    n = y.shape[0]
    categorical = np.zeros((n, num_classes), dtype=dtype)
    categorical[np.arange(n), y] = 1
    return np.reshape(categorical, input_shape + (num_classes,))
