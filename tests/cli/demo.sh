# `plexus demo` runs the seed experiment with the tail and the stratified split
# and writes both runs, with predictions on the seed's 50x36 grid and pictures.
source "$(dirname "$0")/lib.sh"

run_ok demo --out demo
for run in tail stratified; do
    for f in model.plexus report.json history.csv predictions.csv; do [[ -s demo/$run/$f ]] || fail "demo/$run/$f missing"; done
    [[ $(lines demo/$run/predictions.csv) == 1801 ]] || fail "demo/$run/predictions.csv: expected 1800 grid rows"
    [[ $(lines demo/$run/history.csv) == 301 ]] || fail "demo/$run/history.csv: expected 300 epochs"
done
[[ -s demo/demo.txt ]] || fail "demo/demo.txt missing"
# The pictures of both runs.
for run in tail stratified; do
    for f in boundary curves layers animation confusion; do
        [[ $(od -An -tx1 -N4 demo/$run/$f.png | tr -d ' \n') == 89504e47 ]] || fail "demo/$run/$f.png missing or not a PNG"
    done
    [[ $(head -c 6 demo/$run/animation.gif) == GIF89a ]] || fail "demo/$run/animation.gif missing or not a GIF"
done
json_check demo/tail/report.json 'r["split"]["method"] == "tail" and r["split"]["train_rows"] == 409 and r["split"]["validation_class_counts"] == [0, 103]'
json_check demo/stratified/report.json 'r["split"]["method"] == "stratified" and r["split"]["validation_rows"] == 103'
json_check demo/tail/report.json 'r["final"]["validation"]["metrics"]["accuracy"] < 0.5'
json_check demo/stratified/report.json 'r["final"]["validation"]["metrics"]["accuracy"] > 0.9'
grep -q '^tail split: 409 training rows' out.txt || fail "demo does not describe the tail split"
grep -q '^stratified split: 409 training rows' out.txt || fail "demo does not describe the stratified split"
grep -q 'x in \[3.77, 6.28\]' out.txt || fail "demo does not give the tail validation rows' x range"
grep -q 'Why they differ' out.txt || fail "demo does not explain the difference"
# The grid file: x inner, y outer.
sed -n 2p demo/tail/predictions.csv | grep -q '^0,-1,' || fail "first grid row: $(sed -n 2p demo/tail/predictions.csv)"
sed -n 52p demo/tail/predictions.csv | grep -q '^0,-0.94285' || fail "row 51 should start the second y value: $(sed -n 52p demo/tail/predictions.csv)"
# predict flags the grid's extrapolation (from the training sample stored in the model).
run_ok predict --model demo/tail --grid 0:9.42477796:50,-1:1:36 --json
cp out.txt grid.json
json_check grid.json 'r["rows"] == 1800 and any(f["id"] == "predict.extrapolation" for f in r["findings"])'
run_ok predict --model demo/stratified --grid 0:9.42477796:50,-1:1:36
grep -q 'predict.extrapolation' out.txt || fail "predict does not print predict.extrapolation"
echo ok
