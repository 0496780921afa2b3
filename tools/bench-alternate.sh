#!/usr/bin/env bash
# bench-alternate.sh: compares commands by running them in turn, RUNS rounds, and prints each one's
# median wall time and median CPU time (user + system, from /usr/bin/time). For the start-up
# figures of docs/check.md#where-the-time-goes, e.g.:
#
#   tools/bench-alternate.sh 9 -- "java -version" "java -version" \
#       -- "check" "cli/target/mlnx-lustre check RPMS/*.rpm" \
#       -- "check C1" "MLNX_LUSTRE_JAVA_OPTS=-XX:TieredStopAtLevel=1 cli/target/mlnx-lustre check RPMS/*.rpm"
#
# Each command is a bash command line (run with bash -c, output discarded); its exit code is not
# judged. /usr/bin/time gives 10 ms steps. The load average at the end is printed too.
set -euo pipefail
runs=${1:?usage: bench-alternate.sh RUNS -- LABEL COMMAND [-- LABEL COMMAND]...}
shift
case $runs in ''|*[!0-9]*|0) echo "bench-alternate.sh: RUNS: '$runs' is not a positive number" >&2; exit 2 ;; esac
labels=()
cmds=()
while [ $# -gt 0 ]; do
    [ "$1" = -- ] || { echo "bench-alternate.sh: expected -- before '$1'" >&2; exit 2; }
    [ $# -ge 3 ] || { echo "bench-alternate.sh: -- needs a LABEL and a COMMAND" >&2; exit 2; }
    labels+=("$2")
    cmds+=("$3")
    shift 3
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for ((r = 0; r < runs; r++)); do
    for ((i = 0; i < ${#cmds[@]}; i++)); do
        /usr/bin/time -f "%e %U %S" -o "$tmp/$i.$r" bash -c "${cmds[i]}" > /dev/null 2>&1 || true
    done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for ((i = 0; i < ${#cmds[@]}; i++)); do
    wall=$(for ((r = 0; r < runs; r++)); do tail -1 "$tmp/$i.$r" | awk '{ print $1 * 1000 }'; done | median)
    cpu=$(for ((r = 0; r < runs; r++)); do tail -1 "$tmp/$i.$r" | awk '{ print ($2 + $3) * 1000 }'; done | median)
    printf '%-40s wall %6s ms  CPU %6s ms\n' "${labels[i]}" "$wall" "$cpu"
done
echo "medians of $runs rounds; load average $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"
