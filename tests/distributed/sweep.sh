# A sweep of 8 configurations over 2 ranks writes 8 runs and a correct leaderboard: the
# same (config, best value, epoch) rows in the same order as the sweep run alone, each
# best value equal to the best of its run's history, and trials run on both ranks.
source "$(dirname "$0")/lib.sh"
grid='lr=0.01,0.1;layers=8|16,16;activation=tanh,relu'
args=(--data moons --samples 400 --epochs 25 --batch-size 16 --seed 3 --grid "$grid")
run_ok mpi2 -- "$TRAIN" "${args[@]}" --out-dir two
run_ok "$TRAIN" "${args[@]}" --out-dir one
[[ $(ls -d two/trial-* | wc -l) == 8 ]] || fail "expected 8 trial folders, got: $(ls two)"
python3 "$HERE/check_leaderboard.py" two one
