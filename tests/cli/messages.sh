# The command line when you slip: unknown commands and options named with the
# nearest valid one, numeric options range-checked while parsing, `fix:` lines
# at every verbosity, and terminal output (wrapped to the width, coloured by
# severity, NO_COLOR respected) only on a terminal.
source "$(dirname "$0")/lib.sh"

# Unknown command / option: named, with a suggestion; exit 2, one line.
expect_error "unknown command 'trian'|did you mean 'train'?" '' trian --data moons
expect_error "unknown command 'frobnicate'|valid: train, evaluate" '' frobnicate
grep -q 'did you mean' err.txt && fail "a far-off word got a suggestion: $(cat err.txt)"
expect_error "unknown option '--dat'|did you mean '--data'?|plexus train --help" bad train --dat moons --out bad
expect_error "unknown option '--epoch'|did you mean '--epochs'?" bad train --data moons --epoch=3 --out bad
expect_error "unknown option '--modle'|did you mean '--model'?" '' evaluate --modle run --data moons

# Every numeric option is range-checked (value, expected range, fix).
expect_error '--verbose|received -1|[0, 2]|fix: e.g. --verbose 2' bad train --data moons --verbose -1 --out bad
while read -r option value expected; do
    expect_error "$option|received $value;|$expected|fix: e.g." bad train --data moons --out bad "$option" "$value"
done <<'CASES'
--epochs 0 positive integer
--batch-size -3 positive integer
--validation-split 1 [0, 1)
--early-stopping -1 >= 0
--reduce-lr-on-plateau -2 >= 0
--reduce-lr-factor 1 (0, 1)
--reduce-lr-factor 0 (0, 1)
--lr 0 positive number
--momentum 1 [0, 1)
--clipnorm -1 positive number
--clipvalue 0 positive number
--samples 0 positive integer
--samples 2.5 positive integer
--noise -0.1 >= 0
--classes 1 >= 2
--verbose 3 [0, 2]
CASES
expect_error '--epochs|received 0' bad demo --epochs 0 --out bad
expect_error '--verbose|received 5|[0, 2]' bad demo --verbose 5 --out bad
run_ok train --data moons --samples 60 --epochs 2 --out run --verbose 0
expect_error '--width|received 5|[16, 20000]' bad.png plot boundary --model run --width 5 --out bad.png
expect_error '--dpi|received 1|[10, 2400]' bad.png plot boundary --model run --dpi 1 --out bad.png
expect_error '--frames|received 0|[1, 100]' bad.png plot animation --model run --frames 0 --out bad.png
expect_error '--head|received -1|>= 0' '' predict --model run --data moons --head -1
expect_error '--seed|received -1|>= 0' '' evaluate --model run --data moons --seed -1

# fix: lines at every verbosity (0: in the summary; 1 and 2: as the doctor reports).
for v in 0 1 2; do
    run_ok train --data seed-curves --split tail --epochs 2 --out "tail$v" --verbose "$v"
    grep -q 'split.label_shift' out.txt || fail "--verbose $v: no finding: $(cat out.txt)"
    grep -q 'fix: use split = Split::stratified' out.txt || fail "--verbose $v: no fix: line: $(cat out.txt)"
done

# Piped: one finding per line, however long, and no escape codes.
run_ok doctor --data seed-curves --split tail
python3 -c 'import sys; sys.exit(not any(len(l) > 100 for l in open(sys.argv[1], encoding="utf-8")))' out.txt ||
    fail "piped output was wrapped"
grep -q $'\x1b' out.txt && fail "piped output has escape codes"

# On a terminal (a pseudo-terminal from script(1), 60 columns): wrapped and coloured.
tty_run() {  # tty_run ENV...: runs `plexus doctor` on a 60-column terminal; output in tty.txt
    env "$@" script -qefc "stty cols 60; '$PLEXUS' doctor --data seed-curves --split tail" /dev/null >tty.txt 2>&1 ||
        { cat tty.txt >&2; fail "plexus doctor on a terminal failed"; }
}
tty_run TERM=xterm NO_COLOR=
grep -q $'\x1b\[33m\[warning\]' tty.txt || fail "no colour for [warning] on a terminal: $(head -3 tty.txt)"
grep -q $'\x1b\[32mfix:' tty.txt || fail "no colour for fix: on a terminal"
sed 's/\x1b\[[0-9;]*m//g; s/\r$//' tty.txt >plain.txt
python3 - plain.txt <<'PY' || fail "terminal wrapping: see above"
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
long = [l for l in lines if len(l) > 60]
assert not long, f"lines wider than the terminal's 60 columns: {long}"
# A finding's message continues under its text (8 columns in), its fix under the fix (13 in).
assert any(l.startswith(" " * 8) and not l.startswith(" " * 9) and "fix:" not in l for l in lines), "no message continuation"
assert any(l.startswith(" " * 13) and not l.startswith(" " * 14) for l in lines), "no fix continuation"
PY
tty_run TERM=xterm NO_COLOR=1
grep -q $'\x1b' tty.txt && fail "NO_COLOR=1 still coloured: $(head -3 tty.txt | cat -v)"
tty_run TERM=dumb NO_COLOR=
grep -q $'\x1b' tty.txt && fail "TERM=dumb still coloured"
echo ok
