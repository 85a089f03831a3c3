# Features at 1e-30 scale (issue 16): perfectly separable, yet invisible to a network
# next to its biases. The doctor says so before epoch 1, and --standardize, which now
# standardizes any feature that varies (no absolute cut at 1e-12), trains them.
source "$(dirname "$0")/lib.sh"

python3 - <<'PY'
import random
random.seed(11)
with open("tiny.csv", "w") as f:
    f.write("a,b,label\n")
    for i in range(400):
        label = i % 2
        a = (random.uniform(0.2, 1.0) if label else random.uniform(-1.0, -0.2)) * 1e-30
        b = random.uniform(-1, 1) * 1e-30
        f.write(f"{a:.6e},{b:.6e},{label}\n")
PY

run_ok doctor --data tiny.csv --target label --json
json_check out.txt 'any(f["id"] == "data.unscaled" and f["fix_options"] == {"fit": {"standardize": True}} for f in r["findings"])'

run_ok train --data tiny.csv --target label --layers 8 --epochs 60 --lr 0.05 --standardize --verbose 0 --out run
json_check run/report.json 'r["final"]["validation"]["metrics"]["accuracy"] >= 0.95'
json_check run/report.json 'not any(f["id"] == "data.unscaled" for f in r["findings"])'
# The model's standardizer holds the real spread, not a scale of 1.
run_ok summary --model run --json
json_check out.txt 'all(1e-31 < s < 1e-29 for s in r["standardizer"]["scale"])'
echo "tiny features: flagged, and trained with --standardize"
