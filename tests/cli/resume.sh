# --resume continues a run from its saved epoch with its options and optimizer
# state: history.csv and report.json continue the epoch numbers.
source "$(dirname "$0")/lib.sh"

run_ok train --data moons --samples 200 --epochs 3 --optimizer sgd --lr 0.05 --momentum 0.9 --out run --verbose 2
steps_before=$("$PLEXUS" summary --model run --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["optimizer_iterations"])')
[[ $steps_before == 15 ]] || fail "expected 15 optimizer steps after 3 epochs of 160 rows in batches of 32, got $steps_before"

run_ok train --resume run --epochs 5 --verbose 2
grep -q '^Epoch 4/5' out.txt || fail "resume did not start at epoch 4: $(head -3 out.txt)"
grep -q '^Epoch 1/5' out.txt && fail "resume ran epoch 1 again"
[[ $(cut -d, -f1 run/history.csv | tr '\n' ' ') == "epoch 0 1 2 3 4 " ]] || fail "history.csv epochs: $(cut -d, -f1 run/history.csv | tr '\n' ' ')"
json_check run/report.json 'r["history"]["epoch"] == [0, 1, 2, 3, 4] and r["epochs"]["initial_epoch"] == 3 and r["epochs"]["completed"] == 5'
json_check run/report.json 'r["resumed_from"] == "run" and r["config"]["model"]["optimizer"] == "sgd" and r["config"]["model"]["momentum"] == 0.9'
json_check run/report.json 'r["config"]["fit"]["epochs"] == 5 and len(r["history"]["loss"]) == 5'
steps_after=$("$PLEXUS" summary --model run --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["optimizer_iterations"])')
[[ $steps_after == 25 ]] || fail "optimizer steps after resuming: $steps_after, expected 25"

# Into another folder, leaving the original alone.
run_ok train --resume run --epochs 7 --out run2 --verbose 0
json_check run2/report.json 'r["history"]["epoch"] == list(range(7))'
json_check run/report.json 'r["history"]["epoch"] == list(range(5))'

expect_error '--epochs 5|already|fix' '' train --resume run --epochs 5
expect_error '--layers|resum' '' train --resume run --epochs 9 --layers 8
expect_error '--resume|no such file' '' train --resume nowhere --epochs 9
echo ok
