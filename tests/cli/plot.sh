# Pictures: `plexus train --plots` writes every picture into the run folder,
# `plexus plot KIND` draws one from a run (PNG, SVG, PDF, GIF by extension),
# and bad kinds/options are one-line errors (exit 2) that leave no file.
source "$(dirname "$0")/lib.sh"

# magic FILE HEX: the file starts with these bytes.
magic() {
    [[ -s $1 ]] || fail "$1 missing or empty"
    local n=$((${#2} / 2))
    [[ $(od -An -tx1 -N"$n" "$1" | tr -d ' \n') == "$2" ]] || fail "$1 does not start with the bytes $2"
}
PNG=89504e470d0a1a0a
GIF=474946383961  # GIF89a
PDF=25504446      # %PDF

# Moons, standardized (the pictures are drawn in the original feature space).
run_ok train --data moons --samples 120 --epochs 4 --batch-size 16 --standardize --plots --out mrun --verbose 0
for f in boundary curves layers animation confusion; do magic mrun/$f.png $PNG; done
magic mrun/animation.gif $GIF
grep -q 'plots:.*boundary.png' out.txt || fail "train --plots does not list the pictures: $(cat out.txt)"

# The seed with the tail split: the run stores its validation rows for `plot`.
run_ok train --data seed-curves --layers 4,4 --epochs 3 --batch-size 32 --split tail --plots --out tail --verbose 0
for f in boundary curves layers animation confusion; do magic tail/$f.png $PNG; done
magic tail/animation.gif $GIF
json_check tail/report.json 'r["split"]["validation_indices"] == list(range(409, 512))'

run_ok plot boundary --model tail --data seed-curves --out x.svg
grep -q '<svg' x.svg || fail "x.svg is not an SVG"
grep -q 'wrote x.svg' out.txt || fail "plot does not say what it wrote: $(cat out.txt)"
run_ok plot boundary --model tail --range 0:9.5,-2:2 --width 400 --height 300 --title 'seed, tail split'
magic tail/boundary.png $PNG
python3 - tail/boundary.png <<'PY' || fail "tail/boundary.png is not 400x300"
import struct, sys
d = open(sys.argv[1], "rb").read(24)
sys.exit(struct.unpack(">II", d[16:24]) != (400, 300))
PY
run_ok plot curves --model tail --log --out curves.pdf
magic curves.pdf $PDF
run_ok plot layers --model mrun/model.plexus --out layers.svg
grep -q '<svg' layers.svg || fail "layers.svg is not an SVG"
run_ok plot confusion --model mrun --data moons --samples 60 --seed 3 --out conf.png
magic conf.png $PNG
run_ok plot animation --model mrun --frames 3 --out anim.gif
magic anim.gif $GIF
grep -q 'Retraining' out.txt || fail "plot animation does not say it retrains"

# Regression (its own pictures: tests/cli/regression_plots.sh) has no class pictures;
# data with more than 2 features: the plane pictures are skipped with a note.
run_ok train --data regression-2d --samples 80 --epochs 2 --plots --out reg --verbose 0
magic reg/curves.png $PNG
[[ ! -e reg/confusion.png && ! -e reg/layers.png ]] || fail "a regression run drew class pictures"
python3 - <<'PY'
import random
random.seed(1)
with open("three.csv", "w") as f:
    f.write("a,b,c,label\n")
    for i in range(60):
        k = i % 2
        f.write(f"{random.gauss(k, 0.5)},{random.gauss(-k, 0.5)},{random.gauss(0, 1)},{'ab'[k]}\n")
PY
run_ok train --data three.csv --epochs 2 --plots --out three --verbose 0
magic three/curves.png $PNG
magic three/confusion.png $PNG
[[ ! -e three/boundary.png ]] || fail "a 3-feature run drew decision regions"
grep -q 'note:.*2 inputs' out.txt || fail "no note about the 3 features: $(cat out.txt)"

# Errors: one line, exit 2, no file left.
expect_error 'kind|boundary' '' plot nonsense --model tail
expect_error '--out|.png' 'bad.txt' plot boundary --model tail --out bad.txt
expect_error '--range' 'r.png' plot boundary --model tail --range 1:0,0:1 --out r.png
expect_error '2 inputs' 'b3.png' plot boundary --model three --out b3.png
expect_error 'regression' 'rb.png' plot layers --model reg --out rb.png
expect_error '--log' 'l.png' plot boundary --model tail --log --out l.png
rm -f three/report.json
expect_error 'report.json' 'sub/c.png' plot curves --model three --out sub/c.png
[[ ! -e sub ]] || fail "a failed plot left its folder behind"
echo ok
