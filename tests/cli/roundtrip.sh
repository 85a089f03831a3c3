# train -> predict -> evaluate on one built-in dataset (the first argument),
# checking the run folder, report.json's schema, history.csv and predictions.
source "$(dirname "$0")/lib.sh"
DATASET=${1:?dataset name}

run_ok train --data "$DATASET" --epochs 4 --batch-size 16 --out run --verbose 2 --samples 120
grep -q '^Epoch 4/4' out.txt || fail "no Keras-style progress line for epoch 4"
grep -q 'wrote:' out.txt || fail "no closing summary"
for f in model.plexus report.json history.csv; do [[ -s run/$f ]] || fail "run/$f missing"; done

# report.json: the documented top-level keys and their content.
json_check run/report.json 'all(k in r for k in ["format","library_version","seed","config","data","model","split","epochs","history","final","timing","findings"])'
json_check run/report.json 'r["format"] == "plexus-report" and r["seed"] == 0 and r["status"] == "completed"'
json_check run/report.json 'r["history"]["epoch"] == [0, 1, 2, 3] and len(r["history"]["loss"]) == 4 and len(r["history"]["val_loss"]) == 4'
json_check run/report.json 'r["timing"]["train_seconds"] >= 0 and isinstance(r["findings"], list)'
json_check run/report.json 'r["split"]["train_rows"] + r["split"]["validation_rows"] == 120 and r["split"]["validation_rows"] == 24'
json_check run/report.json 'r["config"]["data"]["data"] == "'"$DATASET"'" and r["config"]["fit"]["epochs"] == 4'
json_check run/report.json 'all(math.isfinite(v) for v in r["final"]["train"]["metrics"].values())'

[[ $(lines run/history.csv) == 5 ]] || fail "history.csv: expected a header and 4 rows"
head -1 run/history.csv | grep -q '^epoch,loss,' || fail "history.csv header: $(head -1 run/history.csv)"
grep -q ',val_loss' run/history.csv || fail "history.csv lacks val_loss"

run_ok predict --model run --data "$DATASET" --samples 120 --out preds.csv
[[ $(lines preds.csv) == 121 ]] || fail "preds.csv: expected 121 lines, got $(lines preds.csv)"
header=$(head -1 preds.csv)

if [[ $DATASET == regression-2d ]]; then
    json_check run/report.json 'r["data"]["task"] == "regression" and "r2" in r["final"]["validation"]["metrics"]'
    [[ $header == x,y,prediction ]] || fail "regression predictions header: $header"
    run_ok evaluate --model run --data "$DATASET" --samples 120 --json
    cp out.txt eval.json
    json_check eval.json 'r["rows"] == 120 and all(k in r["metrics"] for k in ["loss", "mse", "mae", "r2"])'
else
    json_check run/report.json 'r["data"]["task"] == "classification" and len(r["split"]["train_class_counts"]) == len(r["data"]["class_names"])'
    json_check run/report.json 'len(r["final"]["validation"]["confusion_matrix"]) == len(r["data"]["class_names"])'
    json_check run/report.json 'all(k in r["final"]["train"]["per_class"][0] for k in ["class","precision","recall","f1","support"])'
    [[ $header == x,y,p_0,p_1* ]] || fail "classification predictions header: $header"
    [[ $header == *,class ]] || fail "predictions lack the class column: $header"
    run_ok evaluate --model run --data "$DATASET" --samples 120 --seed 1 --json
    cp out.txt eval.json
    json_check eval.json 'r["rows"] == 120 and 0 <= r["metrics"]["accuracy"] <= 1 and sum(map(sum, r["confusion_matrix"])) == 120'
    run_ok evaluate --model run/model.plexus --data "$DATASET" --samples 120
    grep -q 'confusion matrix' out.txt || fail "evaluate prints no confusion matrix"
fi
run_ok summary --model run
grep -q 'Total params' out.txt || fail "summary prints no layer table"
echo "ok: $DATASET"
