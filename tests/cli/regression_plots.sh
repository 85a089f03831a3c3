# Regression pictures (issue 17): `plexus train --plots` on a regression writes
# predictions.png (predicted vs actual), residuals.png and, for 2 inputs, the value
# surface as boundary.png instead of the class pictures; `plexus plot predictions`,
# `residuals` and `boundary` draw them from a run, in the target's own units also
# when the target was standardized; kinds that do not fit the model are one-line
# errors (exit 2) that leave no file.
source "$(dirname "$0")/lib.sh"
D=$(cd "$(dirname "$0")/../data/diabetes" && pwd)

magic() {
    [[ -s $1 ]] || fail "$1 missing or empty"
    local n=$((${#2} / 2))
    [[ $(od -An -tx1 -N"$n" "$1" | tr -d ' \n') == "$2" ]] || fail "$1 does not start with the bytes $2"
}
PNG=89504e470d0a1a0a
PDF=25504446
png_size() {
    python3 - "$1" <<'PY'
import struct, sys
print("%dx%d" % struct.unpack(">II", open(sys.argv[1], "rb").read(24)[16:24]))
PY
}

# The built-in 2-input regression: the regression pictures, none of the class ones.
run_ok train --data regression-2d --samples 120 --epochs 5 --plots --out reg --verbose 0
for f in curves predictions residuals boundary; do magic reg/$f.png $PNG; done
for f in confusion layers animation; do [[ ! -e reg/$f.png ]] || fail "a regression run drew $f.png"; done
grep -q 'plots:.*curves.png, predictions.png, residuals.png, boundary.png' out.txt || fail "train --plots: $(cat out.txt)"

run_ok plot predictions --model reg --out p.svg
grep -q '<svg' p.svg || fail "p.svg is not an SVG"
grep -q 'wrote p.svg' out.txt || fail "plot does not say what it wrote: $(cat out.txt)"
grep -q '^fit: validation: R² -\?[0-9.]*, MAE [0-9.e-]* · training: R² ' out.txt || fail "no fit line: $(cat out.txt)"
run_ok plot residuals --model reg --out r.pdf
magic r.pdf $PDF
run_ok plot boundary --model reg --range -4:4,-4:4 --width 500 --height 400
[[ $(png_size reg/boundary.png) == 500x400 ]] || fail "reg/boundary.png is $(png_size reg/boundary.png), not 500x400"
# Other rows than the run's: drawn alike as "data".
run_ok plot predictions --model reg --data regression-2d --samples 50 --seed 7 --out other.png
magic other.png $PNG
grep -q '^fit: data: R² ' out.txt || fail "other data is not drawn as one set: $(cat out.txt)"

# A CSV regression of 10 inputs with the target standardized (auto): the fit in the
# target's units, equal to the run's own validation metrics; no value surface.
run_ok train --data "$D/diabetes_train.csv" --standardize --epochs 40 --plots --out dia --verbose 0
for f in curves predictions residuals; do magic dia/$f.png $PNG; done
[[ ! -e dia/boundary.png ]] || fail "a 10-input regression drew a value surface"
grep -q 'note:.*boundary.png skipped.*2 inputs' out.txt || fail "no note about the value surface: $(cat out.txt)"
run_ok plot predictions --model dia --out dp.png
magic dp.png $PNG
python3 - out.txt dia/report.json <<'PY' || fail "the fit line does not match the run's validation metrics: $(cat out.txt)"
import json, re, sys
line = open(sys.argv[1]).read()
m = re.search(r"validation: R² (-?[0-9.]+), MAE ([0-9.e+-]+)", line)
r = json.load(open(sys.argv[2]))
assert r["target_standardizer"] is not None, "the target was not standardized"
val = r["final"]["validation"]["metrics"]
r2, mae = float(m.group(1)), float(m.group(2))
assert 10 < mae < 200, f"MAE {mae} is not in the target's units (25-346)"
assert abs(r2 - val["r2"]) < 2e-3, (r2, val["r2"])
assert abs(mae - val["mae"]) < 1e-3 * val["mae"] + 0.06, (mae, val["mae"])
PY
run_ok plot residuals --model dia --data "$D/diabetes_test.csv" --out dr.png
magic dr.png $PNG

# A 2-input CSV regression with a target far from unit scale (standardized automatically):
# the value surface too, and the fit line equals the run's own validation metrics.
python3 - <<'PY'
import math, random
random.seed(3)
with open("plane.csv", "w") as f:
    f.write("a,b,price\n")
    for _ in range(200):
        a, b = random.uniform(-2, 2), random.uniform(-2, 2)
        f.write(f"{a:.4f},{b:.4f},{1000 + 300 * a - 150 * b + random.gauss(0, 20):.2f}\n")
PY
run_ok train --data plane.csv --epochs 60 --plots --out plane --verbose 0
for f in curves predictions residuals boundary; do magic plane/$f.png $PNG; done
run_ok plot boundary --model plane --out plane.pdf
magic plane.pdf $PDF
run_ok plot residuals --model plane
python3 - out.txt plane/report.json <<'PY' || fail "plane: the fit line does not match the run's validation metrics: $(cat out.txt)"
import json, re, sys
m = re.search(r"validation: R² (-?[0-9.]+), MAE ([0-9.e+-]+)", open(sys.argv[1]).read())
r = json.load(open(sys.argv[2]))
assert r["target_standardizer"]["mean"][0] > 500, "the target was not standardized"
val = r["final"]["validation"]["metrics"]
assert abs(float(m.group(1)) - val["r2"]) < 2e-3, (m.group(1), val["r2"])
assert abs(float(m.group(2)) - val["mae"]) < 1e-3 * val["mae"] + 0.06, (m.group(2), val["mae"])
PY

# Kinds that do not fit the model.
run_ok train --data moons --samples 60 --epochs 1 --out cls --verbose 0
expect_error 'predicted-vs-actual|regression|classifier' 'cp.png' plot predictions --model cls --out cp.png
expect_error 'residual|regression|classifier' 'cr.png' plot residuals --model cls --out cr.png
expect_error 'confusion matrix|classifier|predictions' 'rc.png' plot confusion --model reg --out rc.png
expect_error 'layer view|classifier|boundary' 'rl.png' plot layers --model reg --out rl.png
expect_error 'value surface|2 inputs|takes 10' 'db.png' plot boundary --model dia --out db.png
expect_error '--range' 'pr.png' plot predictions --model reg --range 0:1,0:1 --out pr.png
expect_error '--log' 'pl.png' plot residuals --model reg --log --out pl.png
echo ok
