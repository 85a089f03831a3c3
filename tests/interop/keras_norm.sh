# Keras 2 (tf.keras HDF5) and Keras 3 (.keras) files with Dense, BatchNormalization,
# GaussianNoise and LayerNormalization, laid out as those versions save them
# (tests/interop/make_keras_norm.py, h5py; no Keras needed), import and predict like
# a float64 NumPy forward pass; weights that do not fit the config are refused.
source "$(dirname "$0")/lib.sh"
need_python h5py numpy
use_node_modules "$1"

/usr/bin/python3 "$INTEROP_DIR/make_keras_norm.py" . || fail "make_keras_norm.py failed"
for name in keras2 keras3; do
    file=keras2_norm.h5
    [[ $name == keras3 ]] && file=keras3_norm.keras
    run_ok import "$file" --out "$name.plexus"
    predict_json "$name.plexus" x.npy "$name.pred.json"
    agree "$name.expected.json" "$name.pred.json" "$name"
done
run_ok summary --model keras2.plexus --json
json_check out.txt '[l["type"] for l in r["config"]["layers"]] == ["Dense", "BatchNormalization", "GaussianNoise", "Dense", "LayerNormalization", "Dense"]'
json_check out.txt '[l.get("momentum") for l in r["config"]["layers"] if l["type"] == "BatchNormalization"] == [0.9]'
run_ok summary --model keras3.plexus --json
json_check out.txt '[l.get("scale") for l in r["config"]["layers"] if l["type"] == "BatchNormalization"] == [False]'

# A moving variance of the wrong length, and a LayerNormalization over axis 0.
cp keras2_norm.h5 shape.h5 && chmod u+w shape.h5
/usr/bin/python3 -c "import h5py, numpy as np
f = h5py.File('shape.h5', 'r+'); n = 'model_weights/batch_normalization/batch_normalization/moving_variance:0'
del f[n]; f[n] = np.ones(7, np.float32)" || fail "edit shape.h5"
expect_error 'moving_variance|(7,)|batch_normalization' refused.plexus import shape.h5 --out refused.plexus
cp keras2_norm.h5 axis.h5 && chmod u+w axis.h5
/usr/bin/python3 -c "import h5py, json
f = h5py.File('axis.h5', 'r+'); c = json.loads(f.attrs['model_config'])
c['config']['layers'][5]['config']['axis'] = [0]; f.attrs['model_config'] = json.dumps(c)" || fail "edit axis.h5"
expect_error 'layer_normalization|axis' refused.plexus import axis.h5 --out refused.plexus
echo ok
