# NPY input: float64 features and int64 labels as two files, C order.
source "$(dirname "$0")/lib.sh"

python3 - <<'PY'
import random, struct
def save(path, descr, shape, values, fmt):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, "(%d,)" % shape[0] if len(shape) == 1 else "(%d, %d)" % shape)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1"))
        f.write(struct.pack("<%d%s" % (len(values), fmt), *values))
rng = random.Random(7)
xs, ys = [], []
for i in range(120):
    c = i % 2
    xs += [rng.gauss(2 * c - 1, 0.4), rng.gauss(1 - 2 * c, 0.4)]
    ys.append(c * 5)  # labels 0 and 5
save("x.npy", "<f8", (120, 2), xs, "d")
save("y.npy", "<i8", (120,), ys, "q")
save("y_short.npy", "<i8", (100,), ys[:100], "q")
save("x3.npy", "<f8", (120,), xs[:120], "d")
save("x_f4.npy", "<f4", (120, 2), xs, "f")  # mapped in place (float32, C order)
# The same float32 values in Fortran order: converted on reading.
header = "{'descr': '<f4', 'fortran_order': True, 'shape': (120, 2), }"
header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
with open("x_fortran.npy", "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1"))
    f.write(struct.pack("<240f", *(xs[0::2] + xs[1::2])))
with open("x_cut.npy", "wb") as f:
    f.write(open("x_f4.npy", "rb").read()[:-40])  # shorter than its header says
PY

run_ok train --data x.npy --labels y.npy --epochs 30 --lr 0.02 --out run --verbose 0
json_check run/report.json 'r["data"]["class_names"] == ["0", "5"] and r["data"]["rows"] == 120'
run_ok predict --model run --data x.npy --out preds.csv
[[ $(head -1 preds.csv) == x1,x2,p_0,p_5,class ]] || fail "header: $(head -1 preds.csv)"
[[ $(lines preds.csv) == 121 ]] || fail "preds.csv rows"
run_ok evaluate --model run --data x.npy --labels y.npy --json
cp out.txt eval.json
json_check eval.json 'r["metrics"]["accuracy"] > 0.9'

# The mapped file and the converted one train to the same history and evaluate alike.
run_ok train --data x_f4.npy --labels y.npy --epochs 20 --validation-split 0.25 --out run_f4 --verbose 0
run_ok train --data x_fortran.npy --labels y.npy --epochs 20 --validation-split 0.25 --out run_fortran --verbose 0
cmp run_f4/history.csv run_fortran/history.csv || fail "mapped and converted NPY trained differently"
run_ok evaluate --model run_f4 --data x_f4.npy --labels y.npy --json
cp out.txt eval_f4.json
run_ok evaluate --model run_f4 --data x_fortran.npy --labels y.npy --json
cmp <(grep -v '"data"' out.txt) <(grep -v '"data"' eval_f4.json) || fail "mapped and converted NPY evaluated differently"
expect_error 'x_cut.npy' bad train --data x_cut.npy --labels y.npy --out bad
expect_error 'x_cut.npy' '' evaluate --model run_f4 --data x_cut.npy --labels y.npy

expect_error 'y_short.npy|rows' bad train --data x.npy --labels y_short.npy --out bad
expect_error 'x3.npy|2-D' bad train --data x3.npy --labels y.npy --out bad
expect_error 'x.npy|--labels' '' evaluate --model run --data x.npy
echo ok
