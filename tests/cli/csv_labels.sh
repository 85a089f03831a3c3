# A CSV with string labels (semicolon-separated): classes are mapped in sorted
# order, recorded in the model, and mapped back by predict and evaluate.
source "$(dirname "$0")/lib.sh"
cp "$TEST_DATA/flowers.csv" flowers.csv

run_ok train --data flowers.csv --epochs 200 --lr 0.05 --batch-size 6 --validation-split 0.33333 --standardize --out run --verbose 0
json_check run/report.json 'r["data"]["class_names"] == ["setosa", "versicolor", "virginica"]'
json_check run/report.json 'r["data"]["feature_names"] == ["petal_length", "petal_width"] and r["data"]["target"] == "species"'
json_check run/report.json 'r["split"]["method"] == "stratified" and r["split"]["validation_class_counts"] == [2, 2, 2]'
json_check run/report.json 'r["standardizer"] is not None and len(r["standardizer"]["mean"]) == 2'
json_check run/report.json '[c["class"] for c in r["final"]["train"]["per_class"]] == ["setosa", "versicolor", "virginica"]'
run_ok summary --model run
grep -q 'setosa, versicolor, virginica' out.txt || fail "summary does not list the class names"

# predict maps indices back to names; features-only input works too.
cut -d';' -f1-2 flowers.csv > features.csv
run_ok predict --model run --data features.csv --out preds.csv
[[ $(head -1 preds.csv) == petal_length,petal_width,p_setosa,p_versicolor,p_virginica,class ]] || fail "header: $(head -1 preds.csv)"
[[ $(lines preds.csv) == 19 ]] || fail "preds.csv has $(lines preds.csv) lines"
sed -n 2p preds.csv | grep -q ',setosa$' || fail "first flower not predicted setosa: $(sed -n 2p preds.csv)"
tail -1 preds.csv | grep -q ',virginica$' || fail "last flower not predicted virginica: $(tail -1 preds.csv)"
run_ok predict --model run --data flowers.csv --json
cp out.txt preds.json
json_check preds.json 'r["rows"] == 18 and r["class"][0] == "setosa" and abs(sum(r["probabilities"][0]) - 1) < 1e-4'

run_ok evaluate --model run --data flowers.csv --json
cp out.txt eval.json
json_check eval.json 'r["class_names"] == ["setosa", "versicolor", "virginica"] and r["metrics"]["accuracy"] > 0.8'

# Reordered columns are matched by name.
awk -F';' '{print $2";"$1";"$3}' flowers.csv > swapped.csv
run_ok evaluate --model run --data swapped.csv --json
cp out.txt eval2.json
python3 -c 'import json,sys; a=json.load(open("eval.json")); b=json.load(open("eval2.json")); sys.exit(a["metrics"]!=b["metrics"])' ||
    fail "evaluating with swapped columns changed the metrics"

# A label the model does not know.
{ head -3 flowers.csv; echo '5.0;1.7;tulip'; } > unknown.csv
expect_error 'unknown.csv:4:3|tulip|setosa' '' evaluate --model run --data unknown.csv
echo ok

# evaluate on a CSV without the model's target column names that column.
cut -d';' -f1-2 flowers.csv > no_target.csv
expect_error "column 'species'|missing|--target" '' evaluate --model run --data no_target.csv
