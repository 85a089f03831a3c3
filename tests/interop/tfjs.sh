# Random Keras models made by TensorFlow.js layers (a JavaScript Keras) import
# and predict like Keras: every activation, with and without bias, dropout,
# activation layers (LeakyReLU keeps its slope), a functional chain, a compiled
# model's training config. Branching graphs, unknown layers and activations,
# and damaged files are refused with exit 2 and nothing written.
source "$(dirname "$0")/lib.sh"
use_node_modules "$1"

node "$JS_SRC/make_tfjs_models.js" models >gen.log 2>&1 || { cat gen.log; fail "make_tfjs_models.js failed"; }
n=0
for dir in models/*/; do
    name=$(basename "$dir")
    [[ $name == refuse_* ]] && continue
    run_ok import "$dir/model.json" --out "$name.plexus"
    grep -q "TensorFlow.js layers" out.txt || fail "$name: the import did not report the format: $(cat out.txt)"
    predict_json "$name.plexus" "$dir/inputs.npy" "$name.pred.json"
    agree "$dir/expected.json" "$name.pred.json" "$name"
    n=$((n + 1))
done
[[ $n -ge 20 ]] || fail "only $n models were compared"

run_ok import models/compiled_adam/model.json --out compiled.plexus
grep -q "loss categorical_crossentropy and optimizer adam (from the file" out.txt || fail "compiled_adam: $(cat out.txt)"
run_ok summary --model compiled.plexus --json
json_check out.txt 'abs(r["config"]["compile"]["optimizer"]["learning_rate"] - 0.005) < 1e-9'
run_ok summary --model layer_activations.plexus --json
json_check out.txt '[l.get("negative_slope") for l in r["config"]["layers"] if l.get("activation") == "leaky_relu"] == [0.25, 0.3]'
# Normalization layers keep their options (the statistics are checked by the predictions above).
run_ok summary --model batchnorm.plexus --json
json_check out.txt '[(l["momentum"], l["epsilon"]) for l in r["config"]["layers"] if l["type"] == "BatchNormalization"] == [(0.99, 0.001), (0.9, 0.01)]'
run_ok summary --model batchnorm_variants.plexus --json
json_check out.txt '[(l["center"], l["scale"]) for l in r["config"]["layers"] if l["type"] == "BatchNormalization"] == [(True, True), (False, True), (True, False), (False, False)]'
run_ok summary --model layernorm.plexus --json
json_check out.txt '[(l["epsilon"], l["center"], l["scale"]) for l in r["config"]["layers"] if l["type"] == "LayerNormalization"] == [(0.001, True, True), (1e-05, False, True), (0.001, True, False)]'
run_ok summary --model gaussian_noise.plexus --json
json_check out.txt '[l["stddev"] for l in r["config"]["layers"] if l["type"] == "GaussianNoise"] == [0.5, 0.2]'
run_ok import models/act_tanh/model.json --out defaults.plexus
grep -q "no training config" out.txt || fail "act_tanh: no note about the missing training config"

expect_error 'branching|single chain' refused.plexus import models/refuse_branching/model.json --out refused.plexus
expect_error 'PReLU|not supported|Dense' refused.plexus import models/refuse_prelu/model.json --out refused.plexus
expect_error 'hard_sigmoid|unsupported activation|dense|relu' refused.plexus import models/refuse_activation/model.json --out refused.plexus

# Damaged copies of a good model.
good=models/dropout
damaged() { rm -rf bad && mkdir bad && cp "$good"/model.json "$good"/weights.bin bad/; }
damaged && head -c 100 "$good/weights.bin" >bad/weights.bin
expect_error 'truncated|weight' refused.plexus import bad/model.json --out refused.plexus
damaged && rm bad/weights.bin
expect_error 'weights.bin|missing' refused.plexus import bad/model.json --out refused.plexus
damaged && cat "$good/weights.bin" "$good/weights.bin" >bad/weights.bin
expect_error 'bytes|manifest' refused.plexus import bad/model.json --out refused.plexus
damaged && python3 - bad/model.json <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j["modelTopology"]["config"]["layers"][0]["config"]["units"] = 9   # the kernel in weights.bin stays (3, 8)
json.dump(j, open(sys.argv[1], "w"))
PY
expect_error 'kernel|shape|(3, 8)|(3, 9)' refused.plexus import bad/model.json --out refused.plexus
damaged && python3 - bad/model.json <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j["weightsManifest"][0]["weights"][0]["shape"] = [3, 4000000000000]
json.dump(j, open(sys.argv[1], "w"))
PY
expect_error 'impossible shape|kernel' refused.plexus import bad/model.json --out refused.plexus
damaged && python3 - bad/model.json <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j["modelTopology"]["config"]["layers"][0]["config"]["units"] = 10**12
json.dump(j, open(sys.argv[1], "w"))
PY
expect_error 'units|1000000000000' refused.plexus import bad/model.json --out refused.plexus
damaged && python3 - bad/model.json <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j["modelTopology"]["config"]["layers"][0]["config"]["use_bias"] = "yes"
json.dump(j, open(sys.argv[1], "w"))
PY
expect_error 'model.json|malformed' refused.plexus import bad/model.json --out refused.plexus
# Normalization over another axis, Keras 1 BatchNormalization modes, renorm and
# RMS scaling are refused; a BatchNormalization without its moving variance too.
normbad() {  # normbad MODEL PYTHON: a copy of models/MODEL changed in j (its model.json); ln = its layer list
    rm -rf bad && mkdir bad && cp models/"$1"/model.json models/"$1"/weights.bin bad/
    python3 -c "import json
j = json.load(open('bad/model.json')); ln = j['modelTopology']['config']['layers']
$2
json.dump(j, open('bad/model.json', 'w'))" || fail "normbad $1 failed"
}
normbad layernorm 'ln[1]["config"]["axis"] = [0]'
expect_error 'axis|[0]|layer_normalization' refused.plexus import bad/model.json --out refused.plexus
normbad batchnorm 'ln[1]["config"]["axis"] = 0'
expect_error 'axis 0|batch_normalization' refused.plexus import bad/model.json --out refused.plexus
normbad batchnorm 'ln[1]["config"]["mode"] = 2'
expect_error 'mode 2|batch_normalization' refused.plexus import bad/model.json --out refused.plexus
normbad batchnorm 'ln[1]["config"]["renorm"] = True'
expect_error 'renorm' refused.plexus import bad/model.json --out refused.plexus
normbad layernorm 'ln[1]["config"]["rms_scaling"] = True'
expect_error 'rms_scaling' refused.plexus import bad/model.json --out refused.plexus
normbad gaussian_noise 'ln[0]["config"]["stddev"] = -1'
expect_error 'stddev' refused.plexus import bad/model.json --out refused.plexus
normbad batchnorm 'w = j["weightsManifest"][0]["weights"]; v = [x for x in w if x["name"].endswith("moving_variance")][0]; v["name"] += "_renamed"'
expect_error 'weight arrays|moving_variance' refused.plexus import bad/model.json --out refused.plexus
rm -rf bad && mkdir bad && cp "$good"/model.json "$good"/weights.bin bad/
head -c 40 "$good/model.json" >bad/cut.json
expect_error 'cut.json|JSON' refused.plexus import bad/cut.json --out refused.plexus
printf 'GIF89a not a model' >bad/picture.h5
expect_error 'picture.h5|not a Keras model' refused.plexus import bad/picture.h5 --out refused.plexus
: >bad/empty.keras
expect_error 'empty.keras|empty' refused.plexus import bad/empty.keras --out refused.plexus
expect_error 'missing.h5|no such file' refused.plexus import missing.h5 --out refused.plexus
echo "ok: $n tfjs models agree with TensorFlow.js"
