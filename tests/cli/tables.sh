# A mixed-type table (numbers on different scales, text categories with a rare
# one, missing cells; made by tests/data/make_mixed_table.py) trains with
# defaults through the preprocessor, with a held-out test set; predict and
# evaluate take raw rows with unseen categories and missing cells and report
# them; cv reproduces for a seed whatever --jobs. With a second argument
# "sklearn", also compares the test accuracy with scikit-learn's (exit 77 =
# skipped when scikit-learn is missing).
source "$(dirname "$0")/lib.sh"
MODE=${1:-}
python3 "$TEST_DATA/../../data/make_mixed_table.py" mixed.csv 4000 19

if [[ $MODE == sklearn ]]; then
    /usr/bin/python3 -c 'import sklearn' 2>/dev/null || { echo "skipped: no scikit-learn (apt-get install python3-sklearn)"; exit 77; }
    run_ok train --data mixed.csv --test-split 0.25 --out run --verbose 0
    /usr/bin/python3 "$TEST_DATA/../sklearn_compare.py" mixed.csv run/report.json || fail "test accuracy more than 0.02 from scikit-learn's"
    echo ok
    exit 0
fi

run_ok train --data mixed.csv --test-split 0.25 --epochs 30 --out run --verbose 2
grep -q '^Columns:' out.txt || fail "train does not print the column types"
grep -q 'city: categorical, 7 categories' out.txt || fail "city not typed categorical: $(grep -A8 '^Columns' out.txt)"
grep -q 'income: numeric, standardized' out.txt || fail "income not numeric/standardized"
grep -q '^  test: ' out.txt || fail "no test line in the summary"
grep -q 'data.missing_values' out.txt || fail "no data.missing_values finding"
json_check run/report.json '[c["type"] for c in r["columns"]] == ["numeric", "numeric", "categorical", "categorical", "numeric", "numeric", "numeric", "target"]'
json_check run/report.json 'r["test"]["rows"] == 1000 and len(r["test"]["row_indices"]) == 1000 and r["test"]["evaluation"]["metrics"]["accuracy"] > 0.75'
json_check run/report.json 'r["split"]["train_rows"] + r["split"]["validation_rows"] == 3000'
json_check run/report.json 'any(f["id"] == "data.missing_values" and f["evidence"]["columns"]["score"]["predicts_label"] for f in r["findings"])'
run_ok summary --model run
grep -q 'Preprocessing (7 columns -> ' out.txt || fail "summary does not show the preprocessing: $(cat out.txt)"

# Raw rows: an unseen city, missing cells, columns in another order, no label column.
{ echo 'plan,city,age,income,visits,region_code,score'
  echo 'pro,Atlantis,35,40000,3,1,0.5'
  echo ',Rome,,NA,10,2,'
  echo 'basic,Oslo,50,20000,1,3,-1'; } > raw.csv
run_ok predict --model run --data raw.csv --json
cp out.txt preds.json
json_check preds.json 'r["rows"] == 3 and len(r["class"]) == 3'
json_check preds.json 'any(f["id"] == "predict.unseen_category" and f["evidence"]["columns"]["city"]["examples"] == ["Atlantis"] for f in r["findings"])'
json_check preds.json 'any(f["id"] == "data.missing_values" and f["evidence"]["missing_cells"] == 4 for f in r["findings"])'
run_ok predict --model run --data raw.csv
grep -q 'predict.unseen_category' out.txt || fail "predict does not print the unseen category"

# evaluate on labelled raw rows: the Wilson interval on a small set.
head -61 mixed.csv > small.csv
run_ok evaluate --model run --data small.csv
grep -q 'accuracy 95% interval \[' out.txt || fail "no accuracy interval: $(cat out.txt)"
run_ok evaluate --model run --data small.csv --json
cp out.txt eval.json
json_check eval.json 'r["accuracy_interval"]["low"] < r["metrics"]["accuracy"] < r["accuracy_interval"]["high"] and r["accuracy_interval"]["rows"] == 60'

# A numeric column with text at predict time is an error naming the cell.
{ echo 'age,income,city,plan,visits,region_code,score'; echo 'old,1,Rome,pro,1,1,0'; } > bad.csv
expect_error 'bad.csv:2:1|age' '' predict --model run --data bad.csv
expect_error '--impute' '' train --data mixed.csv --impute mean --out bad_run
expect_error '--test-split' '' train --data mixed.csv --test-split 1.5 --out bad_run
expect_error 'missing value' bad_run train --data mixed.csv --impute none --out bad_run

# cv: the same numbers with one or two jobs.
head -601 mixed.csv > cv.csv
run_ok cv --data cv.csv --folds 3 --epochs 5 --seed 2 --out cv1
grep -q 'accuracy .* ± ' out.txt || fail "cv does not print mean ± std: $(cat out.txt)"
run_ok cv --data cv.csv --folds 3 --epochs 5 --seed 2 --jobs 3 --out cv2 --json
python3 -c 'import json,sys; a=json.load(open("cv1/cv.json")); b=json.load(open("cv2/cv.json")); sys.exit(a["metrics"]!=b["metrics"])' ||
    fail "cv results depend on --jobs"
json_check cv1/cv.json 'r["folds"] == 3 and sum(f["test_rows"] for f in r["fold_reports"]) == 600 and "accuracy" in r["metrics"]'
echo ok
