#!/usr/bin/env bash
# bench-check.sh: whole-process `mlnx-lustre check` against ONE `rpm -qp` process over the same files,
# as a user runs them from a shell: wall time and peak RSS (from /usr/bin/time -v), medians of runs
# that alternate between the two, printed as a table with their CPU time (user + system). See
# docs/check.md#benchmark.
#
#   tools/bench-check.sh [--runs N] [--dir DIR] [SIZE...]
#
# SIZE is any of 30 (30 Lustre-like RPMs, a build's output), 3000 (2,900 small RPMs and 100 with a
# 64 MiB payload) and 30000 (30,000 small RPMs, a repository mirror); default: all three. Runs: 5.
# The corpora are built once with rpmbuild into DIR (default cli/target/bench-check) and kept. The
# 3,000 and 30,000 corpora are a few distinct packages under many names (hard links, so the disk
# holds each once; both tools open and read every name). Needs: rpmbuild, rpm, /usr/bin/time, and
# the launcher cli/target/mlnx-lustre (mvn -B -DskipTests package). JVM options for check can be
# given in MLNX_LUSTRE_JAVA_OPTS, as for the launcher.
set -euo pipefail

root=$(cd "$(dirname -- "$(readlink -f -- "$0")")/.." && pwd)
runs=5
dir=$root/cli/target/bench-check
sizes=()
while [ $# -gt 0 ]; do
    case $1 in
        --runs) runs=${2:?--runs needs a number}; shift 2 ;;
        --dir) dir=${2:?--dir needs a directory}; shift 2 ;;
        30|3000|30000) sizes+=("$1"); shift ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-check.sh: unknown argument '$1'; expected --runs N, --dir DIR or a size: 30, 3000, 30000" >&2
           exit 2 ;;
    esac
done
case $runs in ''|*[!0-9]*|0) echo "bench-check.sh: --runs: '$runs' is not a positive number" >&2; exit 2 ;; esac
[ ${#sizes[@]} -gt 0 ] || sizes=(30 3000 30000)

launcher=$root/cli/target/mlnx-lustre
for tool in rpmbuild rpm /usr/bin/time "$launcher"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "bench-check.sh: $tool is missing$([ "$tool" = "$launcher" ] && echo '; build it with: mvn -B -DskipTests package')" >&2
        exit 2
    fi
done

# What the check reads of a package, asked of rpm: identity, license, file list (-l), requires (-R).
QF='%{NAME} %{EPOCH} %{VERSION} %{RELEASE} %{ARCH} %{LICENSE}\n'
KVER=4.18.0-477.10.1.el8_lustre.x86_64

# build_rpm OUTDIR NAME LICENSE NFILES NMODULES NKSYMS [PAYLOAD_BYTES]: one package built by rpmbuild.
build_rpm() {
    local out=$1 name=$2 license=$3 nfiles=$4 nmodules=$5 nksyms=$6 payload=${7:-0}
    local work i
    work=$(mktemp -d "$out/.build-XXXXXX")
    mkdir -p "$work/stage/usr/share/$name" "$work/stage/lib/modules/$KVER/extra/$name"
    for ((i = 0; i < nfiles; i++)); do printf '%d\n' "$i" > "$work/stage/usr/share/$name/f$i"; done
    for ((i = 0; i < nmodules; i++)); do printf 'elf' > "$work/stage/lib/modules/$KVER/extra/$name/m$i.ko"; done
    if [ "$payload" -gt 0 ]; then
        head -c "$payload" /dev/urandom > "$work/stage/usr/share/$name/blob.bin"
    fi
    {
        printf 'Name: %s\nVersion: 2.15.4\nRelease: 1.el8\nLicense: %s\nSummary: benchmark package\nAutoReqProv: no\n' \
            "$name" "$license"
        for ((i = 0; i < nksyms; i++)); do printf 'Requires: ksym(lnet_sym_%d) = 0x%08x\n' "$i" "$((i * 2654435761 % 4294967296))"; done
        printf '%%description\nbenchmark package\n%%prep\n%%build\n%%install\nmkdir -p %%{buildroot}\n'
        printf "cp -a '%s'/. %%{buildroot}/\n%%files\n/usr/share/%s\n" "$work/stage" "$name"
        [ "$nmodules" -eq 0 ] || printf '/lib/modules/%s/extra/%s\n' "$KVER" "$name"
    } > "$work/$name.spec"
    rpmbuild -bb --quiet --define "_topdir $work/top" --define "_rpmdir $out" \
        --define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
        --define "_binary_payload w.ufdio" --define "_build_id_links none" --define "debug_package %{nil}" \
        --define "__os_install_post %{nil}" --target x86_64 "$work/$name.spec" > "$work/log" 2>&1 \
        || { cat "$work/log" >&2; exit 1; }
    rm -rf "$work"
}

# A Lustre server/client build's output: kmods with modules and ksym pins, user space, devel, tests.
corpus_30() {
    local c=$dir/30 n
    [ -f "$c/.complete" ] && return
    rm -rf "$c"; mkdir -p "$c"
    echo "building the 30-RPM corpus in $c (once)" >&2
    for n in kmod-lustre kmod-lustre-client kmod-lustre-osd-ldiskfs kmod-lustre-osd-zfs kmod-lustre-tests \
        kmod-lustre-client-tests; do
        build_rpm "$c" "$n" GPL-2.0-only 5 40 300
    done
    for n in lustre lustre-client lustre-iokit lustre-resource-agents lustre-osd-ldiskfs-mount \
        lustre-osd-zfs-mount lustre-client-utils lustre-utils lustre-gss lustre-lnet lustre-lnet-utils \
        lustre-shared lustre-client-shared lustre-kernel-headers; do
        build_rpm "$c" "$n" "GPL-2.0-only AND LGPL-2.1-or-later" 120 0 20
    done
    for n in lustre-devel lustre-client-devel lustre-zfs-dkms lustre-client-dkms lustre-ldiskfs-dkms; do
        build_rpm "$c" "$n" GPL-2.0-only 600 0 5
    done
    for n in lustre-tests lustre-client-tests lustre-tests-devel lustre-debugsource lustre-tests-extra; do
        build_rpm "$c" "$n" GPL-2.0-only 1500 0 40
    done
    touch "$c/.complete"
}

# 20 distinct small packages (1 to 58 files), built once for both big corpora.
distinct_small() {
    local s=$dir/small i
    [ -f "$s/.complete" ] && return
    rm -rf "$s"; mkdir -p "$s"
    echo "building 20 distinct small RPMs in $s (once)" >&2
    for ((i = 0; i < 20; i++)); do build_rpm "$s" "small-$i" GPLv2 $((1 + i * 3)) 0 2; done
    touch "$s/.complete"
}

# link_corpus DIR COUNT PREFIX SOURCE...: COUNT hard links to the SOURCE files, round robin.
link_corpus() {
    local c=$1 count=$2 prefix=$3 i
    shift 3
    local sources=("$@")
    for ((i = 0; i < count; i++)); do
        ln -f "${sources[i % ${#sources[@]}]}" "$c/$prefix$(printf '%05d' "$i").rpm"
    done
}

corpus_3000() {
    local c=$dir/3000 b=$dir/big i
    [ -f "$c/.complete" ] && return
    distinct_small
    if [ ! -f "$b/.complete" ]; then
        rm -rf "$b"; mkdir -p "$b"
        echo "building 4 distinct RPMs with a 64 MiB payload in $b (once)" >&2
        for ((i = 0; i < 4; i++)); do build_rpm "$b" "big-$i" GPLv2 3 0 2 $((64 * 1024 * 1024)); done
        touch "$b/.complete"
    fi
    rm -rf "$c"; mkdir -p "$c"
    link_corpus "$c" 2900 s "$dir"/small/*.rpm
    link_corpus "$c" 100 b "$b"/*.rpm
    touch "$c/.complete"
}

corpus_30000() {
    local c=$dir/30000
    [ -f "$c/.complete" ] && return
    distinct_small
    rm -rf "$c"; mkdir -p "$c"
    link_corpus "$c" 30000 s "$dir"/small/*.rpm
    touch "$c/.complete"
}

# timed LOG CMD...: runs CMD in the corpus directory with its output discarded; prints
# "wall_s rss_kb rc cpu_s" (cpu: user plus system time, which a busy machine disturbs less than wall).
timed() {
    local log=$1 rc=0 wall rss cpu
    shift
    /usr/bin/time -v -o "$log" "$@" > /dev/null 2>&1 || rc=$?
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.3f", s }' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$log")
    echo "$wall $rss $rc $cpu"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

rows=()
for size in "${sizes[@]}"; do
    "corpus_$size"
    cd "$dir/$size"
    mapfile -t files < <(find . -maxdepth 1 -name '*.rpm' -printf '%P\n' | sort)
    # Page cache warm for both.
    rpm -qp --qf "$QF" -l -R "${files[@]}" > /dev/null 2>&1 || true
    "$launcher" check "${files[@]}" > /dev/null 2>&1 || true
    load_before=$(cut -d' ' -f1-3 /proc/loadavg)
    : > "$dir/check-$size.txt"; : > "$dir/rpm-$size.txt"
    for ((r = 0; r < runs; r++)); do
        # Alternate which goes first, so neither always runs on the other's warmed caches.
        if ((r % 2 == 0)); then order=(check rpm); else order=(rpm check); fi
        for tool in "${order[@]}"; do
            if [ "$tool" = check ]; then
                timed "$dir/time.log" "$launcher" check "${files[@]}" >> "$dir/check-$size.txt"
            else
                timed "$dir/time.log" rpm -qp --qf "$QF" -l -R "${files[@]}" >> "$dir/rpm-$size.txt"
            fi
        done
    done
    load_after=$(cut -d' ' -f1-3 /proc/loadavg)
    cw=$(cut -d' ' -f1 "$dir/check-$size.txt" | median)
    rw=$(cut -d' ' -f1 "$dir/rpm-$size.txt" | median)
    cm=$(cut -d' ' -f2 "$dir/check-$size.txt" | median)
    rm_=$(cut -d' ' -f2 "$dir/rpm-$size.txt" | median)
    cc=$(cut -d' ' -f4 "$dir/check-$size.txt" | median)
    rc_=$(cut -d' ' -f4 "$dir/rpm-$size.txt" | median)
    crc=$(cut -d' ' -f3 "$dir/check-$size.txt" | sort -u | paste -sd/)
    rrc=$(cut -d' ' -f3 "$dir/rpm-$size.txt" | sort -u | paste -sd/)
    rows+=("$(awk -v n="${#files[@]}" -v cw="$cw" -v rw="$rw" -v cm="$cm" -v rm="$rm_" -v crc="$crc" -v rrc="$rrc" \
        -v lb="$load_before" -v la="$load_after" -v cc="$cc" -v rc="$rc_" \
        'BEGIN { printf "| %s | %.3f s | %.3f s | %.2fx | %.2f / %.2f s | %.0f / %.0f MB | %s / %s | %s -> %s |", n, cw, rw,
            cw / rw, cc, rc, cm / 1024, rm / 1024, crc, rrc, lb, la }')")
    cd "$root"
done

echo
echo "mlnx-lustre check vs one rpm -qp --qf '$QF' -l -R process; medians of $runs alternating runs"
echo "(JVM options: ${MLNX_LUSTRE_JAVA_OPTS:-none}; $(nproc) CPUs; $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1); $(rpm --version))"
echo
echo "| files | check wall | rpm wall | ratio | CPU check / rpm | peak RSS check / rpm | exit check / rpm | load average before -> after |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
