#!/bin/bash
#
# Recipes of the stand-in Lustre Makefile (mellanox-lustre test fixture), following
# lustre-release autoMakefile.am:
#   dist       lustre-<ver>.tar.gz of the tracked tree plus configure, lustre.spec, LUSTRE-VERSION-FILE
#   srpm       cp rpm/* .; rpmbuild --define "dist %{nil}" -ts lustre-<ver>.tar.gz; copy lustre-<ver>-*.src.rpm here
#   rpms       rpmbuild <RPMBUILD_BINARY_ARGS> --rebuild lustre-<ver>-*.src.rpm; copy RPMS/*/*.rpm here
#   dkms-srpm  rpmbuild -bs lustre-dkms.spec (server: zfs, ldiskfs, all; client: client); copy SRPMS here
#   dkms-rpm   rpmbuild <RPMBUILD_BINARY_ARGS> --rebuild of each dkms source RPM; copy RPMS/*/*.rpm here
# each in a fresh `mktemp -d` topdir removed afterwards.
set -euo pipefail

target=${1:?usage: make-rpms.sh dist|srpm|rpms|dkms-srpm|dkms-rpm}
top=$(pwd)
cfg() { sed -n "s/^$1=//p" standin/config.env | head -n1; }
version=$(cfg VERSION)
distdir=lustre-$version
d=
trap 'if [[ -n $d ]]; then rm -rf "$d"; fi' EXIT

rpmbuild_dir() { mktemp -t -d "rpmbuild-lustre-${USER:-root}-XXXXXXXX"; }
binary_args() {
    mapfile -t bin_args < standin/rpmbuild-args
    local hostdist
    hostdist=$(rpm --eval '%{?dist}')
    if [[ -z $hostdist && -n $(cfg DIST) ]]; then
        # the build host's %dist (.el8 on EL8); the stand-in derives it from the kernel release
        bin_args+=(--define "dist $(cfg DIST)")
    fi
}
hang_knob() {
    [[ -f .standin/hang-make ]] || return 0
    local pidfile
    pidfile=$(sed -n 's/^pidfile=//p' .standin/hang-make | head -n1)
    pidfile=${pidfile:-$top/.standin/hang.pids}
    echo "Executing(%build): stand-in hang injected by the test fixture"
    # each sleeper records its pid as the machine sees it ($! would be a PID namespace's pid)
    local sleeper='read -r p _ < /proc/self/stat; echo "$p" >> "$1"; exec sleep 1000'
    (
        bash -c "$sleeper" sleeper "$pidfile" &
        bash -c "$sleeper" sleeper "$pidfile" &
        wait
    ) &
    # and a daemon: a session of its own and a double fork, so it is re-parented away from make
    setsid bash -c 'bash -c "$2" sleeper "$1" &' daemon "$pidfile" "$sleeper" </dev/null >/dev/null 2>&1
    wait
    exit 1
}

# knob: STANDIN_MAKE_GATE=<file> in make's environment (the build's --env): make rpms creates
# <file>.waiting and waits until <file> exists, so a test holds the build in phase 7 for as long
# as it needs and lets it finish when it wants (no timing guess)
gate_knob() {
    [[ -n ${STANDIN_MAKE_GATE:-} ]] || return 0
    echo "stand-in make rpms: waiting for $STANDIN_MAKE_GATE (test fixture)"
    : > "$STANDIN_MAKE_GATE.waiting"
    while [[ ! -e $STANDIN_MAKE_GATE ]]; do
        sleep 0.1
    done
    echo "stand-in make rpms: $STANDIN_MAKE_GATE is there, building"
}

case $target in
    dist)
        list=$(mktemp)
        if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
            git ls-files > "$list"
        else
            find . -type f ! -path './.git/*' ! -path './build/*' ! -name '*.rpm' ! -name '*.tar.gz' \
                ! -name Makefile ! -name 'config.*' ! -path './standin/config.env' ! -path './standin/rpmbuild-args' \
                | sed 's|^\./||' > "$list"
        fi
        for f in configure lustre.spec LUSTRE-VERSION-FILE modules.order; do
            [[ -f $f ]] && ! grep -qxF "$f" "$list" && echo "$f" >> "$list"
        done
        rm -f "$distdir.tar.gz"
        tar --transform "s,^,$distdir/," -czf "$distdir.tar.gz" -T "$list"
        rm -f "$list"
        echo "Created $distdir.tar.gz"
        ;;
    srpm)
        d=$(rpmbuild_dir)
        mkdir -p "$d"/{TMP,BUILD,RPMS,SRPMS,SPECS,SOURCES}
        cp rpm/* "$top"
        rpmbuild --define "_tmppath $d/TMP" --define "_topdir $d" --define "dist %{nil}" -ts "$distdir.tar.gz"
        cp "$d"/SRPMS/"$distdir"-*.src.rpm "$top"
        rm -rf "$d"
        ;;
    rpms)
        gate_knob
        hang_knob
        d=$(rpmbuild_dir)
        mkdir -p "$d"/{TMP,BUILD,RPMS,SRPMS,SPECS,SOURCES}
        binary_args
        srpms=("$distdir"-*.src.rpm)
        # knob: the ksym generator writes nothing (EL's generators under Debian's mawk)
        [[ -f .standin/no-ksym-deps ]] && export STANDIN_NO_KSYM_DEPS=1
        # knob: the modules are shipped compressed (.standin/compress-modules-xz, -gzip or -zstd)
        for c in xz gzip zstd; do
            [[ -f .standin/compress-modules-$c ]] && export STANDIN_COMPRESS=$c
        done
        rpmbuild --define "_tmppath $d/TMP" --define "_topdir $d" "${bin_args[@]}" --rebuild "${srpms[@]}"
        cp "$d"/RPMS/*/*.rpm "$top"
        rm -rf "$d"
        ;;
    dkms-srpm)
        d=$(rpmbuild_dir)
        mkdir -p "$d"/{TMP,BUILD,RPMS,SRPMS,SPECS,SOURCES}
        common=(--define "_tmppath $d/TMP" --define "_topdir $d" --define "_sourcedir $top")
        if [[ $(cfg ENABLE_SERVER) == yes ]]; then
            rpmbuild "${common[@]}" --with servers --with zfs --without ldiskfs -bs lustre-dkms.spec
            rpmbuild "${common[@]}" --with servers --without zfs --with ldiskfs -bs lustre-dkms.spec
            rpmbuild "${common[@]}" --with servers --with zfs --with ldiskfs -bs lustre-dkms.spec
        else
            rpmbuild "${common[@]}" --without servers -bs lustre-dkms.spec
        fi
        cp "$d"/SRPMS/*.src.rpm "$top"
        rm -rf "$d"
        ;;
    dkms-rpm)
        d=$(rpmbuild_dir)
        mkdir -p "$d"/{TMP,BUILD,RPMS,SRPMS,SPECS,SOURCES}
        binary_args
        common=(--define "_tmppath $d/TMP" --define "_topdir $d" "${bin_args[@]}")
        if [[ $(cfg ENABLE_SERVER) == yes ]]; then
            rpmbuild "${common[@]}" --with servers --with zfs --without ldiskfs --rebuild lustre-zfs-dkms-*.src.rpm
            rpmbuild "${common[@]}" --with servers --without zfs --with ldiskfs --rebuild lustre-ldiskfs-dkms-*.src.rpm
            rpmbuild "${common[@]}" --with servers --with zfs --with ldiskfs --rebuild lustre-all-dkms-*.src.rpm
        else
            rpmbuild "${common[@]}" --without servers --rebuild lustre-client-dkms-*.src.rpm
        fi
        cp "$d"/RPMS/*/*.rpm "$top"
        rm -rf "$d"
        ;;
    *)
        echo "make-rpms.sh: unknown target $target" >&2
        exit 2
        ;;
esac
