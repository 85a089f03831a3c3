# The model file's self-check: a flipped byte in the weights at the end of the
# file, a truncated file, or something that is not a model at all fails to
# load with a one-line error (exit 2) that names the file and says what is wrong.
source "$(dirname "$0")/lib.sh"

run_ok train --data xor --epochs 3 --out run --verbose 0
run_ok summary --model run/model.plexus

flip() {  # flip FILE OFFSET_FROM_END: xor one byte with 0x10
    python3 - "$1" "$2" <<'PY'
import sys
path, back = sys.argv[1], int(sys.argv[2])
b = bytearray(open(path, "rb").read())
b[len(b) - back] ^= 0x10
open(path, "wb").write(b)
PY
}
size=$(stat -c %s run/model.plexus)

cp run/model.plexus flipped.plexus
flip flipped.plexus 5
expect_error 'flipped.plexus|corrupted' '' summary --model flipped.plexus
expect_error 'flipped.plexus|corrupted' '' predict --model flipped.plexus --data xor
expect_error 'flipped.plexus|corrupted' '' evaluate --model flipped.plexus --data xor

head -c $((size - 7)) run/model.plexus >cut.plexus
expect_error 'cut.plexus|truncated|fix' '' summary --model cut.plexus
head -c 100 run/model.plexus >short.plexus
expect_error 'short.plexus|truncated' '' evaluate --model short.plexus --data xor

echo 'not a model' >text.plexus
expect_error 'text.plexus|not a Plexus model' '' summary --model text.plexus
: >empty.plexus
expect_error 'empty.plexus' '' summary --model empty.plexus
expect_error 'missing.plexus|no such file' '' summary --model missing.plexus
echo ok
