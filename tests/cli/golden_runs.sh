# The command lines whose outputs tests/cli/golden/ holds (sourced by
# make_golden.sh and golden.sh): every subcommand on a fixed seed. Runs in the
# current folder with $PLEXUS.
golden_runs() {
    "$PLEXUS" train --data seed-curves --layers 4,4,4,4 --optimizer sgd --lr 0.01 --batch-size 8 --epochs 40 \
        --split tail --seed 1 --verbose 0 --out seed-tail >/dev/null
    "$PLEXUS" train --data moons --layers 16,16 --epochs 15 --standardize --seed 3 --verbose 0 \
        --early-stopping 5 --class-weight balanced --out moons >/dev/null
    "$PLEXUS" train --data regression-2d --layers 8 --epochs 15 --seed 2 --verbose 0 --out regression >/dev/null
    "$PLEXUS" evaluate --model seed-tail --data seed-curves --json >evaluate.json
    "$PLEXUS" predict --model moons --grid -2:3:7,-1.5:2:5 --out predictions.csv >/dev/null 2>&1
    "$PLEXUS" plot boundary --model seed-tail --out boundary.svg >/dev/null
    "$PLEXUS" plot curves --model moons --out curves.svg >/dev/null
    "$PLEXUS" doctor --data seed-curves --split tail --layers 4,4,4,4 --optimizer sgd --batch-size 8 >doctor.txt
    "$PLEXUS" demo --out demo >/dev/null
}
# The files compared (numbers within a tolerance; see compare_outputs.py).
GOLDEN_FILES=(seed-tail/report.json seed-tail/history.csv moons/report.json moons/history.csv
              regression/report.json regression/history.csv evaluate.json predictions.csv boundary.svg curves.svg doctor.txt
              demo/tail/report.json demo/tail/predictions.csv demo/stratified/report.json demo/stratified/history.csv)
