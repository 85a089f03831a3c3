# `plexus doctor`: the pre-flight checks alone, with train's flags, without
# training: the seed's tail split is diagnosed, a clean default run is quiet,
# --json parses, and nothing is written.
source "$(dirname "$0")/lib.sh"

run_ok doctor --data seed-curves --split tail --layers 4,4,4,4 --optimizer sgd --lr 0.01 --batch-size 8
for id in split.label_shift split.covariate_shift data.sorted_by_label; do
    grep -q "doctor: \[[a-z]*\] $id:" out.txt || fail "doctor --split tail does not report $id: $(cat out.txt)"
done
grep -q 'fix:' out.txt || fail "the findings give no fix"
grep -q 'tail split' out.txt || fail "doctor does not describe the split: $(head -1 out.txt)"
[[ ! -e run ]] || fail "doctor wrote a run folder"

# The default (stratified) split: no warning or error.
run_ok doctor --data seed-curves --layers 4,4,4,4 --optimizer sgd --lr 0.01 --batch-size 8
if grep -Eq '\[(warning|error)\]' out.txt; then fail "doctor on the default split: $(cat out.txt)"; fi
run_ok doctor --data moons
if grep -Eq '\[(warning|error)\]' out.txt; then fail "doctor on moons: $(cat out.txt)"; fi

# --json
run_ok doctor --data seed-curves --split tail --json
cp out.txt tail.json
json_check tail.json '{"split.label_shift", "split.covariate_shift", "data.sorted_by_label"} <= {f["id"] for f in r["findings"]}'
json_check tail.json 'all(k in f for f in r["findings"] for k in ["id", "severity", "message", "evidence", "fix"])'
json_check tail.json 'r["split"]["method"] == "tail" and r["split"]["validation_rows"] == 103'
run_ok doctor --data seed-curves --json
cp out.txt strat.json
json_check strat.json 'not any(f["severity"] in ("warning", "error") for f in r["findings"])'

# A configuration problem is a finding (exit 0), not an error.
run_ok doctor --data moons --output softmax --loss binary_crossentropy --json
cp out.txt cfg.json
json_check cfg.json 'any(f["id"].startswith("config.") for f in r["findings"])'

# Bad input: exit 2, one line.
expect_error 'no-such.csv' '' doctor --data no-such.csv
expect_error '--split' '' doctor --data moons --split sideways
expect_error '--layers' '' doctor --data moons --layers 4,x
echo ok
