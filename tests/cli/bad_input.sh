# Bad input: each case gets one line on stderr, "plexus: error: ...", naming
# the file (with line and column) or the option, and the fix; exit code 2; and
# no output folder or temporary file left behind.
source "$(dirname "$0")/lib.sh"

printf '' >empty.csv
printf '\n\n' >blank.csv
printf 'a,b,label\n1,2,x\n3,4\n5,6,y\n' >ragged.csv
printf 'a,b,label\n1,2,x\n3,abc,y\n5,6,y\n' >text.csv
printf 'a,b,label\n1,2,x\n3,nan,y\n5,6,y\n' >nan.csv
printf 'a,b,label\n1,2,x\n3,4,y\n5,-inf,y\n' >inf.csv
printf 'a,b,label\n1,2,x\n3,4,x\n5,6,x\n' >single.csv
printf 'a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n' >good.csv
printf 'a,b,label\n1,2,x\n3,4,z\n' >unknown.csv
printf 'a,b,c,label\n1,2,0,x\n3,4,0,y\n' >wide.csv
printf 'a,b,c,d\n1,2,0,0\n3,4,0,0\n' >wide_features.csv

# Data files.
expect_error 'missing.csv|no such file|fix' bad train --data missing.csv --out bad
expect_error "moon|did you mean 'moons'" bad train --data moon --out bad
expect_error 'empty.csv|empty' bad train --data empty.csv --out bad
expect_error 'blank.csv' bad train --data blank.csv --out bad
expect_error 'ragged.csv:3|2 fields|expected 3' bad train --data ragged.csv --out bad
# Text and missing feature cells go through the preprocessor (issue 19); --impute none refuses missing ones.
expect_error 'nan.csv:3:2|missing value|--impute none' bad train --data nan.csv --impute none --out bad
expect_error '--categorical nope|not a feature column' bad train --data text.csv --categorical nope --out bad
expect_error 'inf.csv:4:2|Inf' bad train --data inf.csv --out bad
expect_error 'single.csv|one class' bad train --data single.csv --out bad
expect_error 'x.npy|no such file' bad train --data x.npy --out bad
touch x.npy
expect_error 'x.npy|--labels' bad train --data x.npy --out bad
expect_error 'target|nope|columns' bad train --data good.csv --target nope --out bad

# Names: the library's errors list the valid ones.
expect_error '--activation tahn|valid:|tanh' bad train --data xor --activation tahn --out bad
expect_error '--output softmx|valid:|softmax' bad train --data xor --output softmx --out bad
expect_error '--loss mse2|valid:|sparse_categorical_crossentropy' bad train --data xor --loss mse2 --out bad
expect_error '--optimizer adamm|valid:|rmsprop' bad train --data xor --optimizer adamm --out bad
expect_error '--split tial|valid:|stratified' bad train --data xor --split tial --out bad
expect_error '--task|valid' bad train --data good.csv --task clustering --out bad

# Numbers.
expect_error '--validation-split|received 1;|[0, 1)|fix' bad train --data xor --validation-split 1 --out bad
expect_error '--validation-split|received 1.5|[0, 1)' bad train --data xor --validation-split 1.5 --out bad
expect_error '--validation-split|received -0.1|[0, 1)' bad train --data xor --validation-split -0.1 --out bad
expect_error '--batch-size|received 0|positive|fix' bad train --data xor --batch-size 0 --out bad
expect_error '--batch-size|received -3|positive' bad train --data xor --batch-size -3 --out bad
expect_error '--batch-size|abc' bad train --data xor --batch-size abc --out bad
expect_error '--epochs|received 0|fix' bad train --data xor --epochs 0 --out bad
expect_error '--lr|positive' bad train --data xor --lr -1 --out bad
expect_error '--layers|16,16' bad train --data xor --layers 4,x --out bad
expect_error '--momentum|sgd' bad train --data xor --momentum 0.9 --out bad
expect_error '--samples|--data xor' bad train --data xor --samples 1 --out bad
expect_error '--frobnicate' bad train --data xor --frobnicate --out bad
expect_error '--monitor val_loss|--validation-split' bad train --data xor --validation-split 0 --monitor val_loss --out bad

# A failure after the run folder was created removes it again (val_accuracy is
# not logged for regression, which only shows at the end of the first epoch).
expect_error 'val_accuracy' late train --data regression-2d --early-stopping 2 --monitor val_accuracy --out late
# ...but never removes a folder that existed before.
mkdir keep
touch keep/mine.txt
expect_error 'val_accuracy' '' train --data regression-2d --checkpoint --monitor val_accuracy --out keep
[[ -e keep/mine.txt && ! -e keep/report.json && ! -e keep/best.plexus ]] || fail "a failed run changed an existing folder: $(ls keep)"

# Model spec files.
printf '[{"type": "Dense", "units": 4, "activation": "tanh"},\n {"type": "Dense" "units": 2}]\n' >broken.json
expect_error 'broken.json:2:|invalid JSON' bad train --data xor --model-spec broken.json --out bad
printf '[{"type": "Dense", "units": 4, "activation": "tahn"}, {"type": "Dense", "units": 2, "activation": "softmax"}]' >badact.json
expect_error 'badact.json|layer 1|tahn' bad train --data xor --model-spec badact.json --out bad
printf '[{"type": "Dense", "units": 3, "activation": "softmax"}]' >units.json
expect_error 'units.json|3 output units|2 classes' bad train --data xor --model-spec units.json --out bad
expect_error 'nospec.json|no such file' bad train --data xor --model-spec nospec.json --out bad
# A number beyond the double range (found by tests/fuzz/cli_mutations.py: it was an internal error).
printf '[{"type": "Dense", "units": 4, "activation": "tanh", "kernel_regularizer": {"l2": 1e3081}}]' >overflow.json
expect_error 'overflow.json|invalid JSON|finite' bad train --data xor --model-spec overflow.json --out bad

# A loaded model and data that do not fit it.
run_ok train --data good.csv --epochs 2 --validation-split 0 --out model --verbose 0
expect_error 'unknown.csv:3:3|unknown class label|z' '' evaluate --model model --data unknown.csv
expect_error 'wide.csv|3 feature|takes 2|fix' '' evaluate --model model --data wide.csv
expect_error 'wide_features.csv|4 columns|takes 2' '' predict --model model --data wide_features.csv
expect_error 'wide_features.csv|4 columns' preds.csv predict --model model --data wide_features.csv --out preds.csv
expect_error "--data xor|class '0'" '' evaluate --model model --data xor
expect_error 'nan.csv:3:2|NaN' '' evaluate --model model --data nan.csv
expect_error '--grid|min:max:count' '' predict --model model --grid 0:1:3,0:1
expect_error '--model|required' '' evaluate --data good.csv
expect_error '--data|required' '' evaluate --model model
echo ok

# Caps on the model (--max-layers, --max-units, --max-parameters): each refusal names the
# option that raises it, and raising it lets the same input through.
python3 -c "import json; print(json.dumps([{'type': 'Dense', 'units': 4, 'activation': 'tanh'}] * 1500 + [{'type': 'Dense', 'units': 2, 'activation': 'softmax'}]))" >deep.json
expect_error 'deep.json|1501 layers|limit of 1024|--max-layers' bad train --data xor --model-spec deep.json --out bad
run_ok doctor --data xor --model-spec deep.json --max-layers 2000
expect_error '--layers 70000|70000 units|limit of 65536|--max-units' bad train --data xor --layers 70000 --out bad
expect_error '--layers 4000,4000|limit of 1000000 parameters|--max-parameters' bad train --data xor --layers 4000,4000 --max-parameters 1000000 --out bad
expect_error '--max-layers|received 0|an integer in [1, 1048576]' bad train --data xor --max-layers 0 --out bad
run_ok train --data xor --epochs 1 --out capped
expect_error 'model.plexus|limit of 10 parameters|--max-parameters' '' predict --model capped --data xor --max-parameters 10
expect_error 'model.plexus|--max-units' '' summary --model capped --max-units 1
run_ok predict --model capped --data xor --max-parameters 100000
