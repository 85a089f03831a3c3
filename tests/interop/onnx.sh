# `plexus export --format onnx` writes graphs that Debian's onnx checker accepts
# (full check, strict shape inference) and that onnxruntime-node runs to the
# outputs of `plexus predict` (|diff| <= 1e-5 + 1e-5|y|): every hidden
# activation, softmax, sigmoid and linear outputs, a from_logits model, a
# standardized model (raw features in), and an imported Keras LeakyReLU slope.
source "$(dirname "$0")/lib.sh"
need_python onnx numpy
use_node_modules "$1"

inputs() {  # inputs FEATURES FILE: seeded rows spanning the built-in datasets' ranges
    /usr/bin/python3 -c "import numpy as np; np.save('$2', np.random.default_rng(3).uniform(-3, 3, size=(64, $1)).astype(np.float32))"
}
inputs 2 x2.npy
check() {  # check NAME MODEL INPUTS
    run_ok export --model "$2" --format onnx --out "$1.onnx"
    run_ok summary --model "$2" --json
    cp out.txt "$1.summary.json"
    /usr/bin/python3 "$INTEROP_DIR/check_onnx.py" "$1.onnx" "$1.summary.json" || fail "$1: the onnx checker rejected the export"
    predict_json "$2" "$3" "$1.pred.json"
    node "$JS_SRC/run_onnx.js" "$1.onnx" "$3" "$1.ort.json" || fail "$1: onnxruntime failed"
    agree "$1.pred.json" "$1.ort.json" "$1"
}
train() {  # train NAME ARGS...
    local name=$1
    shift
    run_ok train --epochs 3 --verbose 0 --seed 5 --out "run_$name" "$@"
}
for a in linear tanh sigmoid relu leaky_relu elu selu gelu softplus swish softmax; do
    train "$a" --data moons --layers 8,6 --activation "$a"
    check "$a" "run_$a" x2.npy
done
train sigmoid_out --data xor --layers 8 --output sigmoid --loss binary_crossentropy
check sigmoid_out run_sigmoid_out x2.npy
train regression --data regression-2d --layers 8 --activation tanh
check regression run_regression x2.npy
train logits --data spirals --layers 8 --output linear --from-logits --loss categorical_crossentropy
check logits run_logits x2.npy
train standardized --data gaussians --layers 8 --standardize
check standardized run_standardized x2.npy
/usr/bin/python3 -c "import onnx, sys; m = onnx.load('standardized.onnx'); ops = [n.op_type for n in m.graph.node]; sys.exit(ops[:2] != ['Sub', 'Div'])" ||
    fail "standardized: the graph does not start with Sub, Div"

# A Keras model with LeakyReLU layers of slope 0.25 and 0.3 (TensorFlow.js-made).
node "$JS_SRC/make_tfjs_models.js" models >gen.log 2>&1 || { cat gen.log; fail "make_tfjs_models.js failed"; }
run_ok import models/layer_activations/model.json --out leaky.plexus
check leaky leaky.plexus models/layer_activations/inputs.npy
agree models/layer_activations/expected.json leaky.ort.json "leaky (ONNX vs TensorFlow.js)"

expect_error '--format|onnx' bad.onnx export --model run_tanh --format keras --out bad.onnx
expect_error 'missing|no such file' bad.onnx export --model missing --out bad.onnx
echo ok
