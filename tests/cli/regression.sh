# Regression done right (issue 17): the diabetes data (tests/data/diabetes) with
# the defaults standardizes its target (and says so), reaches R^2 >= 0.4 on the
# held-out rows in the target's units; --standardize-target without a value
# means on; `doctor --verify` clears the unscaled-target findings; an ambiguous
# integer target is refused asking for --task; info findings are hidden below
# --verbose 2 and the count line is right.
source "$(dirname "$0")/lib.sh"
D=$(cd "$(dirname "$0")/../data/diabetes" && pwd)

run_ok train --data "$D/diabetes_train.csv" --standardize --out run -v 2
grep -q "Note: standardizing the target 'progression'" out.txt || fail "auto target scaling is not announced: $(head -3 out.txt)"
json_check run/report.json 'r["target_standardizer"]["mean"][0] > 100 and r["final"]["validation"]["metrics"]["r2"] >= 0.4'
run_ok evaluate --model run --data "$D/diabetes_test.csv" --json
cp out.txt eval.json
json_check eval.json 'r["metrics"]["r2"] >= 0.4 and 20 < r["metrics"]["mae"] < 80 and r.get("target_standardized") is True'
run_ok predict --model run --data "$D/diabetes_test.csv" --json
cp out.txt pred.json
json_check pred.json '100 < sum(p[0] for p in r["predictions"]) / len(r["predictions"]) < 200'

run_ok train --data "$D/diabetes_train.csv" --standardize --standardize-target --out on -v 0
json_check on/report.json 'r["config"]["fit"]["standardize_target"] == "on"'
expect_error '--standardize-target|auto, on or off' bad train --data "$D/diabetes_train.csv" --standardize-target sometimes --out bad

run_ok doctor --data "$D/diabetes_train.csv" --standardize --standardize-target off --verify
grep -q 'applied: --standardize-target on' out.txt || fail "doctor --verify did not apply the target fix: $(cat out.txt)"
grep -q 'data.unscaled_target *cleared' out.txt || fail "doctor --verify: data.unscaled_target not cleared: $(cat out.txt)"
grep -q '(improved)' out.txt || fail "doctor --verify: the metric did not improve: $(cat out.txt)"

# An integer score 0-15 is neither silently 16 classes nor silently a number.
python3 -c "
print('x,score')
for i in range(64): print(f'{i},{i % 16}')" >score.csv
expect_error "16 distinct integers|--task regression|--task classification" sc train --data score.csv --out sc
run_ok train --data score.csv --task regression --epochs 2 --out sc -v 0

# Info findings: hidden at --verbose 1, shown at 2, always in report.json; the count line counts them.
run_ok train --data moons --epochs 3 --out moons -v 2
grep -q 'doctor: \[info\] data.sorted_by_label' out.txt || fail "--verbose 2 hides the info finding: $(grep doctor out.txt)"
run_ok train --data moons --epochs 3 --out moons2 -v 1
if grep -q '\[info\]' out.txt; then fail "--verbose 1 prints an info finding"; fi
grep -q 'info not shown: --verbose 2 shows them' out.txt || fail "the hidden info is not counted: $(grep doctor out.txt)"
json_check moons2/report.json 'any(f["severity"] == "info" for f in r["findings"])'
