# Every real Keras file in ../shared/keras-models (Keras 1.2.2, 2.1.3, 2.3.1 and
# 3.9.2) imports and predicts like Keras: against Keras's own predictions where
# the folder has them, else against a float64 NumPy forward pass over the file's
# weights (keras_reference.py). Damaged HDF5 and .keras files are refused.
source "$(dirname "$0")/lib.sh"
SHARED=$1
[[ -d $SHARED ]] || skip "$SHARED is absent (the real Keras files live in ../shared/keras-models next to the source tree)"
need_python h5py numpy
use_node_modules "$2"

check() {  # check NAME MODEL [KERAS_IO]
    local name=$1 model=$2
    run_ok import "$model" --out "$name.plexus"
    /usr/bin/python3 "$INTEROP_DIR/keras_reference.py" "$model" "$name.x.npy" "$name.expected.json" "${@:3}" || fail "$name: keras_reference.py failed"
    predict_json "$name.plexus" "$name.x.npy" "$name.pred.json"
    agree "$name.expected.json" "$name.pred.json" "$name"
}
check dl4j_keras_io "$SHARED/dl4j_simple_sparse_xent_mlp_keras_2_model.h5" "$SHARED/dl4j_simple_sparse_xent_mlp_keras_2_inputs_and_outputs.h5"
check dl4j_keras2 "$SHARED/dl4j_simple_sparse_xent_mlp_keras_2_model.h5"
run_ok import "$SHARED/dl4j_simple_sparse_xent_mlp_keras_2_model.h5" --out dl4j.plexus
grep -q "sparse_categorical_crossentropy and optimizer rmsprop (from the file" out.txt || fail "dl4j: training config not used: $(cat out.txt)"
check dl4j_keras2_1 "$SHARED/dl4j_dense_tensorflow_2.h5"
check dl4j_keras1 "$SHARED/dl4j_dense_tensorflow_1_keras1.h5"
check flownet_keras3 "$SHARED/flownet_out_final_model.keras"
run_ok summary --model flownet_keras3.plexus --json
json_check out.txt '[l.get("negative_slope") for l in r["config"]["layers"] if l.get("activation") == "leaky_relu"] == [0.2, 0.2]'
json_check out.txt 'r["config"]["compile"]["loss"] == "mse" and r["config"]["compile"]["optimizer"]["name"] == "adam"'
run_ok import "$SHARED/dl4j_dense_tensorflow_1_keras1.h5" --out k1.plexus
grep -q "Keras 1 HDF5" out.txt || fail "Keras 1 file not reported as such: $(cat out.txt)"

# Damaged copies.
h5=$SHARED/dl4j_simple_sparse_xent_mlp_keras_2_model.h5
head -c 3000 "$h5" >cut.h5
expect_error 'cut.h5' refused.plexus import cut.h5 --out refused.plexus
head -c 50000 "$SHARED/flownet_out_final_model.keras" >cut.keras
expect_error 'cut.keras|zip' refused.plexus import cut.keras --out refused.plexus
edit() {  # edit OUT PYTHON: a copy of the Keras 2 file changed with h5py (f is the file)
    cp "$h5" "$1" && chmod u+w "$1"
    /usr/bin/python3 -c "import h5py, json, numpy as np
f = h5py.File('$1', 'r+')
$2" || fail "edit $1 failed"
}
edit noweights.h5 'del f["model_weights/dense_1/dense_1/bias:0"]'
expect_error 'noweights.h5|dense_1|bias' refused.plexus import noweights.h5 --out refused.plexus
edit shape.h5 'del f["model_weights/dense_1/dense_1/kernel:0"]; f["model_weights/dense_1/dense_1/kernel:0"] = np.zeros((4, 5), np.float32)'
expect_error 'shape.h5|dense_1|kernel|(4, 5)|(4, 3)' refused.plexus import shape.h5 --out refused.plexus
edit huge.h5 'del f["model_weights/dense_1/dense_1/kernel:0"]; f.create_dataset("model_weights/dense_1/dense_1/kernel:0", shape=(4, 2**40), dtype=np.float32)'
expect_error 'huge.h5|kernel|values' refused.plexus import huge.h5 --out refused.plexus
edit config.h5 'c = json.loads(f.attrs["model_config"]); c["config"]["layers"].append({"class_name": "Conv2D", "config": {"name": "conv"}}); f.attrs["model_config"] = json.dumps(c)'
expect_error "config.h5|conv|Conv2D|supported" refused.plexus import config.h5 --out refused.plexus
edit noconfig.h5 'del f.attrs["model_config"]'
expect_error 'noconfig.h5|model_config|weights only' refused.plexus import noconfig.h5 --out refused.plexus
edit int.h5 'del f["model_weights/dense_1/dense_1/bias:0"]; f["model_weights/dense_1/dense_1/bias:0"] = np.zeros(3, np.int32)'
expect_error 'int.h5|floating point' refused.plexus import int.h5 --out refused.plexus
echo ok
