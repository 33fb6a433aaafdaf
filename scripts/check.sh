#!/bin/sh
# make check: every test, in order of cost.  Each stage reports its own
# "N passed, M failed"; the last line sums them up.  Exits non-zero if
# anything failed.
#
# Usage: check.sh BUILD_DIR
# Environment: FUZZ_SECONDS (per fuzz target, default 15),
#              PYTEST_ARGS (extra pytest arguments, e.g. -k tcp).
set -u
build=$(realpath "${1:?usage: check.sh BUILD_DIR}")
top=$(realpath "$(dirname "$0")/..")
out=$build/check
mkdir -p "$out"
# The VM suites boot the image of this build directory.
export PB_BUILD_DIR="$build"
passed=0
failed=0

# Add the "N passed, M failed" of a stage's log to the totals; a stage that
# failed without such a line counts as one failure.
count() {
	stage=$1 log=$2 status=$3
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -n "$line" ]; then
		p=$(echo "$line" | sed -E 's/^(.*[^0-9])?([0-9]+) passed, ([0-9]+) failed.*/\2/')
		f=$(echo "$line" | sed -E 's/^(.*[^0-9])?([0-9]+) passed, ([0-9]+) failed.*/\3/')
	elif [ "$status" = 0 ]; then
		p=1 f=0
	else
		p=0 f=1
	fi
	if [ "$status" != 0 ] && [ "$f" = 0 ]; then
		f=1
	fi
	echo "check: $stage: $p passed, $f failed"
	passed=$((passed + p))
	failed=$((failed + f))
}

run_stage() {
	stage=$1
	shift
	log=$out/$stage.log
	echo "check: $stage ..."
	"$@" >"$log" 2>&1
	status=$?
	if [ "$status" != 0 ]; then
		tail -n 60 "$log"
	fi
	count "$stage" "$log" "$status"
}

run_stage unit make -s -C "$top/userspace" O="$build/userspace" check
run_stage fuzz make -s -C "$top/userspace" O="$build/userspace" fuzz \
	FUZZ_SECONDS="${FUZZ_SECONDS:-15}"
run_stage testimage "$top/scripts/mktestimage.sh" "$build"
# shellcheck disable=SC2086
run_stage vm /usr/bin/python3 "$top/scripts/pytest-summary.py" \
	"$out/vm.xml" -- -v -p no:cacheprovider ${PYTEST_ARGS:-} "$top/tests/vm"

# The benchmark's smoke run: every contender still runs (no figure is
# judged).
run_stage benchimage "$top/scripts/mkbenchimage.sh" "$build"
run_stage bench-smoke /usr/bin/python3 "$top/tests/bench/run.py" --smoke \
	--out "$out/bench-smoke"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
