"""Keras's names and semantics over Plexus: change a dense-network Keras script's imports from
``keras`` (or ``tensorflow.keras``) to ``plexus.keras`` and it runs.

Differences from Keras are listed in docs/python.md. Arguments Plexus does not support raise
``TypeError`` (unknown) or ``NotImplementedError`` (known to Keras, not implemented), naming the
argument; nothing is silently ignored.
"""
from plexus.keras import callbacks, layers, losses, metrics, models, optimizers, regularizers, utils
from plexus.keras.models import Sequential, load_model

__all__ = ["Sequential", "load_model", "callbacks", "layers", "losses", "metrics", "models", "optimizers",
           "regularizers", "utils"]
