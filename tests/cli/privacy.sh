# Model files hold no training row (issue 16): train on a CSV, then search the
# model file for every training row as decimal text (as JSON writes a float) and
# as float32 and float64 bytes. With --store-training-rows the same search finds
# the rows, so the search itself is known to work.
source "$(dirname "$0")/lib.sh"

python3 - <<'PY'
import random, struct
random.seed(7)
with open("data.csv", "w") as f:
    f.write("a,b,c,label\n")
    for i in range(400):
        label = i % 2
        row = [random.gauss(label * 2.0, 1.0), random.uniform(-3, 3), random.gauss(0, 0.5)]
        f.write(",".join(f"{v:.6f}" for v in row) + f",{label}\n")
PY

# rows_found MODEL: how many training rows appear in MODEL's bytes (all of a row's
# values as JSON text, or the row's float32 or float64 bytes).
rows_found() {
    python3 - "$1" <<'PY'
import csv, struct, sys
blob = open(sys.argv[1], "rb").read()
found = 0
for rec in csv.DictReader(open("data.csv")):
    vals = [struct.unpack("<f", struct.pack("<f", float(rec[k])))[0] for k in ("a", "b", "c")]
    as_text = all(repr(v).encode() in blob for v in vals)
    as_f32 = struct.pack("<3f", *vals) in blob
    as_f64 = struct.pack("<3d", *vals) in blob
    found += as_text or as_f32 or as_f64
print(found)
PY
}

run_ok train --data data.csv --target label --layers 8 --epochs 3 --verbose 0 --out run
json_check run/report.json 'r["config"]["fit"]["store_training_rows"] is False'
n=$(rows_found run/model.plexus)
[[ $n == 0 ]] || fail "model.plexus holds $n training rows"
grep -q '"support_summary"' run/model.plexus || fail "model.plexus has no support summary"
if grep -q '"support_sample"' run/model.plexus; then fail "model.plexus holds a support_sample without --store-training-rows"; fi

# predict.extrapolation still works from the summary: far-away rows are flagged, training rows not.
printf 'a,b,c\n40,40,40\n-40,30,-20\n' > far.csv
run_ok predict --model run --data far.csv --out far_pred.csv
grep -q 'predict.extrapolation' out.txt err.txt || fail "predict on far rows did not warn: $(cat out.txt err.txt)"
run_ok predict --model run --data data.csv --out pred.csv
if grep -q 'predict.extrapolation' out.txt err.txt; then fail "predict on the training rows warned: $(cat out.txt err.txt)"; fi

# summary lists what the file holds, the summary included.
run_ok summary --model run
grep -qi 'support summary' out.txt || fail "summary does not list the support summary: $(cat out.txt)"
grep -qiE 'training rows: +none' out.txt || fail "summary does not say that no training row is stored: $(cat out.txt)"

# The opt-in stores rows, and the search finds them.
run_ok train --data data.csv --target label --layers 8 --epochs 3 --verbose 0 --store-training-rows --out rows
n=$(rows_found rows/model.plexus)
(( n >= 300 )) || fail "with --store-training-rows only $n training rows were found (the search does not work)"
run_ok summary --model rows
grep -qiE 'training rows: +[0-9]+ raw' out.txt || fail "summary does not warn about the stored rows: $(cat out.txt)"
echo "privacy: no training row without --store-training-rows, $n with it"
