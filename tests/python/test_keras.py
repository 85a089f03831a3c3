"""plexus.keras: Keras's names, return types and semantics."""
import warnings

import numpy as np
import pytest

import plexus
from plexus.keras import callbacks, losses, metrics, optimizers
from plexus.keras.layers import Activation, Dense, Dropout, Input, InputLayer
from plexus.keras.models import Sequential, load_model
from plexus.keras.utils import np_utils, set_random_seed, to_categorical


def keras_model(metrics_=("accuracy",), optimizer="sgd"):
    model = Sequential([Dense(8, activation="tanh", input_shape=(2,)), Dense(2, activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer=optimizer, metrics=list(metrics_))
    return model


def test_fit_returns_keras_history(seed):
    x, y = seed
    h = keras_model().fit(x, y, epochs=3, batch_size=16, validation_split=0.2, verbose=0)
    assert isinstance(h.history, dict)
    assert list(h.history) == ["loss", "accuracy", "val_loss", "val_accuracy"]  # Keras's order
    assert all(len(v) == 3 and all(isinstance(e, float) for e in v) for v in h.history.values())
    assert h.epoch == [0, 1, 2] and h.params["epochs"] == 3


def test_validation_split_is_the_tail_and_the_doctor_says_so(seed):
    x, y = seed
    h = keras_model().fit(x, y, epochs=1, batch_size=8, validation_split=0.2, verbose=0)
    # Keras: split_at = int(n * (1 - validation_split)); the last rows validate, unshuffled.
    assert h.split.method == "tail" and h.split.validation_indices == list(range(int(512 * 0.8), 512))
    assert "split.label_shift" in [f.id for f in h.findings]


def test_metric_names_as_given():
    x = np.random.default_rng(0).normal(size=(64, 2)).astype(np.float32)
    y = to_categorical((x[:, 0] > 0).astype(int), 2)
    model = keras_model(metrics_=("acc", metrics.Precision()))
    h = model.fit(x, y, epochs=1, validation_split=0.25, verbose=0)
    assert set(h.history) == {"loss", "acc", "precision", "val_loss", "val_acc", "val_precision"}
    scores = model.evaluate(x, y, verbose=0)
    assert isinstance(scores, list) and len(scores) == 3
    assert set(model.evaluate(x, y, return_dict=True)) == {"loss", "acc", "precision"}


def test_evaluate_scalar_without_metrics_and_predict_ndarray(seed):
    x, y = seed
    model = keras_model(metrics_=())
    model.fit(x, y, epochs=1, verbose=0)
    assert isinstance(model.evaluate(x, y, verbose=0), float)
    p = model.predict(x)
    assert isinstance(p, np.ndarray) and p.shape == (512, 2) and p.dtype == np.float32
    assert np.allclose(p.sum(axis=1), 1, atol=1e-5)


def test_summary_prints_and_returns_none(capsys):
    model = keras_model()
    assert model.summary() is None
    out = capsys.readouterr().out
    assert "Dense" in out and "Total params" in out and "(None, 8)" in out


def test_keras1_names_warn(seed):
    x, y = seed
    with pytest.warns(DeprecationWarning, match="nb_epoch"):
        h = keras_model().fit(x, y, nb_epoch=2, verbose=0)
    assert len(h.epoch) == 2
    with pytest.warns(DeprecationWarning, match="output_dim"):
        layer = Dense(output_dim=3, init="uniform", input_dim=2)
    assert layer.units == 3 and layer.kernel_initializer == "random_uniform"
    with pytest.warns(DeprecationWarning, match="lr"):
        assert optimizers.SGD(lr=0.5).learning_rate == 0.5


def test_unsupported_arguments_are_named():
    x = np.zeros((8, 2), np.float32)
    y = to_categorical([0, 1] * 4, 2)
    model = keras_model()
    with pytest.raises(NotImplementedError, match="steps_per_epoch"):
        model.fit(x, y, steps_per_epoch=3)
    with pytest.raises(TypeError, match="'epoks'"):
        model.fit(x, y, epoks=3)
    with pytest.raises(NotImplementedError, match="amsgrad"):
        optimizers.Adam(amsgrad=True)
    with pytest.raises(NotImplementedError, match="bias_regularizer"):
        Dense(2, bias_regularizer=object())
    with pytest.raises(NotImplementedError, match="input_shape"):
        Dense(2, input_shape=(28, 28))
    with pytest.raises(NotImplementedError, match="label_smoothing"):
        losses.CategoricalCrossentropy(label_smoothing=0.1)
    with pytest.raises(NotImplementedError, match="on_batch_begin"):
        model.fit(x, y, verbose=0, callbacks=[callbacks.LambdaCallback(on_batch_begin=print)])


def test_callbacks_order_and_hooks(seed):
    x, y = seed
    events = []

    def recorder(tag):
        return callbacks.LambdaCallback(
            on_train_begin=lambda logs: events.append((tag, "train_begin")),
            on_epoch_begin=lambda epoch, logs: events.append((tag, "epoch_begin", epoch)),
            on_batch_end=lambda batch, logs: events.append((tag, "batch_end", batch)),
            on_epoch_end=lambda epoch, logs: events.append((tag, "epoch_end", epoch, "val_loss" in logs)),
            on_train_end=lambda logs: events.append((tag, "train_end")))

    keras_model().fit(x[:64], y[:64], epochs=2, batch_size=32, validation_split=0.25, verbose=0,
                      callbacks=[recorder("a"), recorder("b")])
    expected = []
    expected += [("a", "train_begin"), ("b", "train_begin")]
    for epoch in range(2):
        expected += [("a", "epoch_begin", epoch), ("b", "epoch_begin", epoch)]
        for batch in range(2):
            expected += [("a", "batch_end", batch), ("b", "batch_end", batch)]
        expected += [("a", "epoch_end", epoch, True), ("b", "epoch_end", epoch, True)]
    expected += [("a", "train_end"), ("b", "train_end")]
    assert events == expected


def test_callback_subclass_stops_training(seed):
    x, y = seed

    class StopAfterTwo(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    stopper = StopAfterTwo()
    h = keras_model().fit(x, y, epochs=10, verbose=0, callbacks=[stopper])
    assert h.epoch == [0, 1] and stopper.params["epochs"] == 10


def test_early_stopping_restores_best(seed):
    x, y = seed
    es = callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    h = keras_model().fit(x, y, epochs=200, batch_size=8, validation_split=0.2, verbose=0, callbacks=[es])
    assert len(h.epoch) < 200


def test_input_layers_and_optimizer_objects(seed):
    x, y = seed
    for first in (Input(shape=(2,)), InputLayer(input_shape=(2,))):
        model = Sequential([first, Dense(4), Activation("relu"), Dropout(0.1), Dense(2, activation="softmax")])
        model.compile(loss=losses.CategoricalCrossentropy(), optimizer=optimizers.Adam(learning_rate=0.01),
                      metrics=[metrics.CategoricalAccuracy()])
        h = model.fit(x, y, epochs=2, verbose=0)
        assert "categorical_accuracy" in h.history and model.input_dim == 2
    schedule = optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    keras_model(optimizer=optimizers.SGD(learning_rate=schedule, momentum=0.9)).fit(x, y, epochs=1, verbose=0)


def test_to_categorical_as_keras():
    assert to_categorical([0, 2, 1]).tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    assert np_utils.to_categorical(np.array([[1.0], [0.0]]), 2).shape == (2, 2)
    assert to_categorical(np.zeros((2, 3)), 4).shape == (2, 3, 4)
    assert to_categorical([1], 2).dtype == np.float32


def test_save_and_load_model(seed, tmp_path):
    x, y = seed
    model = keras_model()
    model.fit(x, y, epochs=1, verbose=0)
    model.save(str(tmp_path / "model.keras"))
    loaded = load_model(str(tmp_path / "model.keras"))
    assert np.array_equal(loaded.predict(x), model.predict(x))
    assert loaded.evaluate(x, y, verbose=0)[0] == pytest.approx(model.evaluate(x, y, verbose=0)[0])


def test_set_random_seed_makes_runs_repeatable(seed):
    x, y = seed
    results = []
    for _ in range(2):
        set_random_seed(5)
        results.append(keras_model().fit(x, y, epochs=2, verbose=0).history)
    assert results[0] == results[1]
    assert keras_model().fit(x, y, epochs=2, verbose=0).history != results[0]


def test_verbose_prints_keras_progress(seed, capsys):
    x, y = seed
    keras_model().fit(x, y, epochs=2, batch_size=64, verbose=2)
    out = capsys.readouterr().out
    assert "Epoch 2/2" in out and "loss:" in out


def test_no_warning_for_plain_keras2_script(seed):
    x, y = seed
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        keras_model().fit(x, y, epochs=1, batch_size=8, validation_split=0.2, verbose=0)
    assert plexus.keras.Sequential is Sequential


def test_normalization_layers_follow_keras_at_inference(seed):
    """BatchNormalization uses its moving statistics in predict, LayerNormalization each row's own,
    GaussianNoise nothing; checked against NumPy on the trained weights."""
    from plexus.keras.layers import BatchNormalization, GaussianNoise, LayerNormalization
    x, y = seed
    model = Sequential([Dense(6, activation="tanh", input_shape=(2,)), BatchNormalization(momentum=0.9),
                        GaussianNoise(0.3), LayerNormalization(epsilon=1e-3), Dense(2, activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    h = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.2, verbose=0)
    assert all(np.isfinite(v).all() for v in h.history.values())
    (k1, b1), (gamma, beta, mean, var), noise, (g2, b2), (k2, b2_out) = [l.get_weights() for l in model.layers]
    assert noise == []
    assert not np.allclose(mean, 0) and not np.allclose(var, 1)  # the moving statistics moved in fit
    h1 = np.tanh(x @ k1 + b1)
    bn = gamma * (h1 - mean) / np.sqrt(var + 1e-3) + beta
    mu, sd = bn.mean(axis=1, keepdims=True), np.sqrt(bn.var(axis=1, keepdims=True) + 1e-3)
    ln = g2 * (bn - mu) / sd + b2
    logits = ln @ k2 + b2_out
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-4, atol=1e-5)


def test_normalization_layers_refuse_what_plexus_lacks():
    from plexus.keras.layers import BatchNormalization, GaussianNoise, LayerNormalization
    with pytest.raises(NotImplementedError, match="axis"):
        BatchNormalization(axis=0)
    with pytest.raises(NotImplementedError, match="gamma_regularizer"):
        LayerNormalization(gamma_regularizer="l2")
    with pytest.raises(NotImplementedError, match="seed"):
        GaussianNoise(0.1, seed=3)
