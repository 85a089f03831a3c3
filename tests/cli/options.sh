# Training options: --model-spec, callbacks (early stopping, checkpoint,
# reduce-LR), --standardize, regression, and --help on every subcommand.
source "$(dirname "$0")/lib.sh"

cat >spec.json <<'JSON'
[
  {"type": "Dense", "units": 8, "activation": "relu"},
  {"type": "Dropout", "rate": 0.1},
  {"type": "Dense", "units": 8, "activation": "tanh"},
  {"type": "Dense", "units": 3, "activation": "softmax"}
]
JSON
run_ok train --data gaussians --samples 150 --model-spec spec.json --loss categorical_crossentropy --epochs 5 --out spec --verbose 0
json_check spec/report.json '[l["type"] for l in r["model"]["config"]["layers"]] == ["Dense", "Dropout", "Dense", "Dense"]'
json_check spec/report.json 'r["resolved"]["loss"] == "categorical_crossentropy" and r["model"]["output_dim"] == 3'
run_ok evaluate --model spec --data gaussians --samples 150 --json

# Early stopping with a checkpoint of the best epoch, and ReduceLROnPlateau.
run_ok train --data circles --samples 200 --epochs 400 --lr 0.05 --early-stopping 3 --restore-best-weights --checkpoint \
    --reduce-lr-on-plateau 2 --reduce-lr-factor 0.5 --standardize --out cb --verbose 0
[[ -s cb/best.plexus ]] || fail "no checkpoint"
json_check cb/report.json 'r["epochs"]["stopped_early"] and r["epochs"]["epochs_run"] < 400 and r["files"]["checkpoint"] == "best.plexus"'
json_check cb/report.json '"learning_rate" in r["history"] and r["standardizer"] is not None'
head -1 cb/history.csv | grep -q ',learning_rate$' || fail "history.csv lacks learning_rate: $(head -1 cb/history.csv)"
run_ok summary --model cb/best.plexus
grep -q 'Standardized inputs: yes' out.txt || fail "the checkpoint lacks the standardizer"
run_ok predict --model cb/best.plexus --grid -1.5:1.5:5,-1.5:1.5:4
grep -q 'Predicted 20 rows' out.txt || fail "grid prediction: $(cat out.txt)"

# Binary output with one sigmoid unit, no validation.
run_ok train --data linear --samples 100 --output sigmoid --validation-split 0 --epochs 3 --out sig --verbose 0
json_check sig/report.json 'r["resolved"]["loss"] == "binary_crossentropy" and r["model"]["output_dim"] == 1 and r["final"]["validation"] is None'
run_ok predict --model sig --data linear --samples 100 --out sig.csv
[[ $(head -1 sig.csv) == x,y,p_0,p_1,class ]] || fail "sigmoid predictions header: $(head -1 sig.csv)"

# Class weights and gradient clipping (flags the doctor's fixes name).
run_ok train --data gaussians --samples 90 --epochs 2 --class-weight balanced --clipnorm 1 --out cw --verbose 0
json_check cw/report.json 'r["config"]["fit"]["class_weight"] == "balanced" and r["resolved"]["optimizer"]["clipnorm"] == 1'
run_ok train --data moons --samples 60 --epochs 2 --class-weight 0:1,1:2.5 --clipvalue 0.5 --out cw2 --verbose 0
expect_error '--class-weight|7:2|classes' bad train --data moons --class-weight 7:2 --out bad
expect_error '--class-weight|regression' bad train --data regression-2d --class-weight balanced --out bad
expect_error '--clipnorm|positive' bad train --data moons --clipnorm 0 --out bad

# final.train on a seeded sample of the training rows (--final-train-rows), all of them with 0.
run_ok train --data moons --samples 400 --epochs 2 --seed 4 --final-train-rows 120 --out ft1 --verbose 0
json_check ft1/report.json 'r["final"]["train"]["rows"] == 120 and r["final"]["train"]["sample_of"] == 320'
json_check ft1/report.json 'sum(map(sum, r["final"]["train"]["confusion_matrix"])) == 120 and r["final"]["validation"]["rows"] == 80'
json_check ft1/report.json '"sample_of" not in r["final"]["validation"] and r["config"]["fit"]["final_train_rows"] == 120'
run_ok train --data moons --samples 400 --epochs 2 --seed 4 --final-train-rows 120 --out ft2 --verbose 0
python3 -c 'import json,sys; a,b=(json.load(open(f))["final"]["train"] for f in sys.argv[1:]); sys.exit(a != b)' \
    ft1/report.json ft2/report.json || fail "--final-train-rows: the same seed drew a different sample"
run_ok train --data moons --samples 400 --epochs 2 --seed 4 --final-train-rows 0 --out ft0 --verbose 0
json_check ft0/report.json 'r["final"]["train"]["rows"] == 320 and "sample_of" not in r["final"]["train"]'
expect_error '--final-train-rows|>= 0' bad train --data moons --final-train-rows -5 --out bad

# Same seed, same history.
run_ok train --data moons --samples 100 --epochs 3 --seed 5 --out s1 --verbose 0
run_ok train --data moons --samples 100 --epochs 3 --seed 5 --out s2 --verbose 0
cmp -s s1/history.csv s2/history.csv || fail "the same seed gave different histories"

# Help with examples on every subcommand, exit code 0.
for cmd in train evaluate predict summary datasets demo; do
    run_ok "$cmd" --help
    grep -q 'Example' out.txt || fail "plexus $cmd --help has no examples"
done
run_ok --help
run_ok datasets
[[ $(lines out.txt) -ge 8 ]] || fail "plexus datasets lists fewer than 8 datasets"
grep -q '^seed-curves ' out.txt || fail "datasets lacks seed-curves"
echo ok
