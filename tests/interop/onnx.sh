# `plexus export --format onnx` writes graphs that Debian's onnx checker accepts
# (full check, strict shape inference) and that onnxruntime-node runs to the
# outputs of `plexus predict` (|diff| <= 1e-5 + 1e-5|y|): every hidden
# activation, softmax, sigmoid and linear outputs, a from_logits model, a
# standardized model (raw features in), a standardized regression target, an
# imported Keras LeakyReLU slope, BatchNormalization (moving statistics),
# LayerNormalization and GaussianNoise (imported from TensorFlow.js and trained
# here), and a table model whose Preprocessor (imputation, scaling, one-hot of
# text columns, missing indicators, rare categories) becomes ONNX nodes over one
# input per CSV column; a numeric --na-values marker is refused (exit 2).
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

# Normalization layers and noise: TensorFlow.js-made (ONNX = plexus = TensorFlow.js) ...
for name in batchnorm batchnorm_variants layernorm gaussian_noise; do
    run_ok import "models/$name/model.json" --out "$name.plexus"
    check "$name" "$name.plexus" "models/$name/inputs.npy"
    agree "models/$name/expected.json" "$name.ort.json" "$name (ONNX vs TensorFlow.js)"
done
ops() { /usr/bin/python3 -c "import onnx, sys; print(' '.join(n.op_type for n in onnx.load(sys.argv[1]).graph.node))" "$1"; }
[[ $(ops batchnorm.onnx) == *BatchNormalization* ]] || fail "batchnorm.onnx has no BatchNormalization op: $(ops batchnorm.onnx)"
[[ $(ops gaussian_noise.onnx) != *Random* ]] || fail "gaussian_noise.onnx draws noise: $(ops gaussian_noise.onnx)"
# ... and trained here (moving statistics after 3 epochs), with a standardized regression target.
cat >norm_spec.json <<'JSON'
[{"type": "Dense", "units": 8, "activation": "relu"}, {"type": "BatchNormalization", "momentum": 0.8},
 {"type": "GaussianNoise", "stddev": 0.3}, {"type": "Dense", "units": 6, "activation": "tanh"},
 {"type": "LayerNormalization", "epsilon": 0.01}, {"type": "Dense", "units": 1}]
JSON
train norm --data regression-2d --model-spec norm_spec.json --standardize-target
check norm run_norm x2.npy

# A table with text categories, missing cells and a rare category: the Preprocessor as ONNX nodes.
/usr/bin/python3 "$INTEROP_DIR/../data/make_mixed_table.py" mixed.csv 600 19
train mixed --data mixed.csv --missing-indicator --min-frequency 40
{ echo 'plan,city,age,income,visits,region_code,score'
  echo 'pro,Atlantis,35,40000,3,1,0.5'
  echo ',Rome,,NA,10,2,'
  echo '?,Oslo,nan,20000,?,3,NaN'
  echo 'n/a,Tallinn,50,-5,1,,-1'
  echo 'basic,NA,NAN,,2,4,0'; } >raw.csv
head -n 201 mixed.csv >mixed_head.csv
run_ok export --model run_mixed --format onnx --out mixed.onnx
grep -q "one input per CSV column" out.txt || fail "export does not say the inputs are columns: $(cat out.txt)"
run_ok summary --model run_mixed --json
cp out.txt mixed.summary.json
/usr/bin/python3 "$INTEROP_DIR/check_onnx.py" mixed.onnx mixed.summary.json || fail "mixed: the onnx checker rejected the export"
for data in raw.csv mixed_head.csv; do
    /usr/bin/python3 "$INTEROP_DIR/table_feeds.py" mixed.onnx "$data" "$data.feeds.json" || fail "table_feeds.py $data failed"
    predict_json run_mixed "$data" "$data.pred.json"
    node "$JS_SRC/run_onnx.js" mixed.onnx "$data.feeds.json" "$data.ort.json" || fail "mixed: onnxruntime failed on $data"
    agree "$data.pred.json" "$data.ort.json" "mixed ($data)"
done
json_check mixed.summary.json 'any(c.get("other") for c in r["preprocessor"]["columns"]) and any(c.get("indicator") for c in r["preprocessor"]["columns"])'
train mixed_na --data mixed.csv --na-values 'NA,?,-999'
expect_error "numeric column 'age'|-999|--na-values" bad.onnx export --model run_mixed_na --out bad.onnx

expect_error '--format|onnx' bad.onnx export --model run_tanh --format keras --out bad.onnx
expect_error 'missing|no such file' bad.onnx export --model missing --out bad.onnx
echo ok
