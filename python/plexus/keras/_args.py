"""Argument checks shared by plexus.keras: Keras 1 names, unsupported options."""
import warnings


def deprecated(kwargs: dict, old: str, new: str, where: str):
    """Pops Keras 1's `old` from kwargs with a DeprecationWarning; returns its value or None."""
    if old not in kwargs:
        return None
    warnings.warn(f"{where}: '{old}' is Keras 1's name; use '{new}'", DeprecationWarning, stacklevel=4)
    return kwargs.pop(old)


def unsupported(where: str, **given):
    """NotImplementedError for the first argument that differs from its Keras default.
    Each value is (received, default)."""
    for name, (value, default) in given.items():
        if value is not default and value != default:
            raise NotImplementedError(f"{where}: argument '{name}' is not supported by Plexus yet "
                                      f"(received {value!r}; only {default!r} is); see docs/python.md")


def no_unknown(kwargs: dict, where: str):
    """TypeError for keyword arguments that Keras does not have either."""
    if kwargs:
        name = next(iter(kwargs))
        raise TypeError(f"{where} got an unexpected keyword argument '{name}'")
