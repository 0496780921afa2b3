#!/usr/bin/env bash
# The real-toolchain run (docs/real-toolchain.md): builds the real mlnx-ofa_kernel source RPM from
# ../shared/real, lays it into an MLNX_OFED bundle, runs `mlnx-lustre build` (srpm-rebuild, the real
# rpmbuild --rebuild of that SRPM, the real Lustre 2.17.0 autogen/configure/make rpms/make dkms-rpms)
# against the real Debian kernel headers, and asserts what a user would.
#
# Usage: tools/real-toolchain.sh OUTDIR            (as root; installs its packages with apt-get)
#   OUTDIR/ofed-<v>/           the published output of the build for OFED <v>
#   OUTDIR/ofed-<v>-withheld/  its withheld directory
#   OUTDIR/ofed-<v>-work/      its work directory with the engine's logs (logs/NN-*.log)
#   OUTDIR/ofed-<v>.log        the engine's console output
#   OUTDIR/ofed-<v>-checks.log the assertions
#   OUTDIR/cache/              the engine's OFED cache (reused by a rerun with the same OUTDIR)
#   OUTDIR/state/              private rpm configuration, provider RPMs, bundles, the Lustre git repo
# Environment: OFED_VERSIONS (default "24.10 25.10"), REAL_SOURCES (default <project>/../shared/real),
#   JOBS (make -j, default nproc), CHECK_ONLY=1 (only rerun the assertions on an existing OUTDIR),
#   OFED_SOURCE=bundle|srpm (default bundle: the SRPM inside an MLNX_OFED bundle; srpm: the same SRPM
#   given bare with --ofed-srpm), OFED_PACKAGING=kmp|modules (default kmp; modules: the spec's non-KMP
#   mlnx-ofa_kernel-modules). A run other than bundle+kmp is named OUTDIR/ofed-<v>-<source>-<packaging>.
# Exit status: 0 when every build and assertion passed, 1 otherwise, 2 on bad usage.
set -euo pipefail

die() { echo "real-toolchain: $*" >&2; exit 2; }
[ $# -eq 1 ] || die "usage: $0 OUTDIR"
[ "$(id -u)" -eq 0 ] || die "run as root (it installs packages with apt-get and EL's rpm helpers)"

PROJECT=$(cd "$(dirname "$0")/.." && pwd)
REAL=${REAL_SOURCES:-$(cd "$PROJECT/.." && pwd)/shared/real}
[ -d "$REAL" ] || die "no real sources at $REAL (set REAL_SOURCES)"
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
STATE=$OUT/state
mkdir -p "$STATE"
JOBS=${JOBS:-$(nproc)}
OFED_VERSIONS=${OFED_VERSIONS:-"24.10 25.10"}
JAR=$PROJECT/cli/target/mlnx-lustre.jar
OFED_SOURCE=${OFED_SOURCE:-bundle}
OFED_PACKAGING=${OFED_PACKAGING:-kmp}
case "$OFED_SOURCE/$OFED_PACKAGING" in
    bundle/kmp) RUN_SUFFIX= ;;
    bundle/modules|srpm/kmp|srpm/modules) RUN_SUFFIX=-$OFED_SOURCE-$OFED_PACKAGING ;;
    *) die "OFED_SOURCE must be bundle or srpm, OFED_PACKAGING kmp or modules" ;;
esac
# the package that carries OFED's kernel modules
OFED_KMOD_PACKAGE=$([ "$OFED_PACKAGING" = kmp ] && echo kmod-mlnx-ofa_kernel || echo mlnx-ofa_kernel-modules)
FAILED=0
TIMES=()

# Runs "$@" as one timed step in a subshell with errexit (so never call step in an if/||/&& context,
# where bash ignores errexit); sets STEP_RC and records the time for the summary.
STEP_RC=0
step() {
    local name=$1; shift
    local t0=$SECONDS
    echo "=== $name"
    set +e
    (set -e; "$@")
    STEP_RC=$?
    set -e
    if [ "$STEP_RC" -eq 0 ]; then
        TIMES+=("$(printf '%-52s %6d s  ok' "$name" $((SECONDS - t0)))")
    else
        TIMES+=("$(printf '%-52s %6d s  FAILED (exit %d)' "$name" $((SECONDS - t0)) "$STEP_RC")")
        FAILED=1
    fi
}
# Stops the run when the last step failed.
need_ok() { [ "$STEP_RC" -eq 0 ] || exit 1; }

summary() {
    echo
    echo "=== real-toolchain summary (outside the engine; the engine prints its own phase times)"
    printf '%s\n' "${TIMES[@]}"
    [ "$FAILED" -eq 0 ] && echo "RESULT: PASS" || echo "RESULT: FAIL"
}
trap summary EXIT

APT_PACKAGES=(linux-headers-amd64 autoconf automake libtool flex bison libelf-dev libssl-dev bc kmod
    libyaml-dev libnl-3-dev libnl-genl-3-dev libkeyutils-dev libmount-dev zlib1g-dev pkg-config
    gcc make perl python3 rpm rpm2cpio cpio createrepo-c git xz-utils binutils gawk debugedit
    openjdk-17-jre-headless)
# gawk: the EL ksym generators (find-provides.ksyms, find-requires.ksyms) run "awk --non-decimal-data",
# which Debian's default mawk refuses: without gawk every kmod package silently gets no ksym()/kernel() deps.

install_packages() {
    local missing=()
    local p
    for p in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "apt-get install ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
}

# The Debian kernel headers package's release, e.g. 6.1.0-57-amd64.
kernel_release() {
    dpkg-query -W -f '${Depends}' linux-headers-amd64 | sed -n 's/.*linux-headers-\([0-9][^ ,]*-amd64\).*/\1/p'
}

# The Debian release as an EL kernel-devel release: 6.1.0-57-amd64 -> 6.1.0-57.deb12.x86_64.
# EL's kmod packaging (kmodtool, lustre.spec) writes the release into RPM versions
# ("Provides: kernel-modules >= <release>"), where a second '-' is invalid; EL releases have one.
el_release() {
    local deb=$1
    echo "${deb%-amd64}.deb12.x86_64" | sed 's/^\([^-]*-[^-]*\)-/\1./'
}

# EL's kernel-devel layout: one tree at /usr/src/kernels/<release> holding the sources, the generated
# headers, .config, Module.symvers and the kbuild scripts. EL's %kernel_module_package (kmodtool) builds
# KMP packages against exactly this path, and find-requires.ksyms reads its Module.symvers. Debian splits
# it in -common (sources) and -amd64 (object side, scripts from linux-kbuild); this merges them and
# relabels the release (UTS_RELEASE, kernel.release, Debian's KERNELRELEASE override) as el_release says.
# Symbol CRCs do not depend on the release: Module.symvers is Debian's, unchanged.
make_el_kernel_tree() {
    local deb=$1 rel=$2 tree=/usr/src/kernels/$2
    local common=/usr/src/linux-headers-${deb%-amd64}-common obj=/usr/src/linux-headers-$deb
    local kbuild
    kbuild=$(readlink -f "$obj/scripts")
    kbuild=${kbuild%/scripts}
    if [ -f "$tree/.real-toolchain-merged" ] && cmp -s "$tree/Module.symvers" "$obj/Module.symvers"; then
        return 0
    fi
    rm -rf "$tree"
    mkdir -p "$tree"
    cp -a "$common/." "$tree/"
    (cd "$obj" && find . -mindepth 1 -maxdepth 1 ! -name scripts ! -name tools -exec cp -a {} "$tree/" \;)
    rm -f "$tree/scripts" "$tree/tools"
    ln -s "$kbuild/scripts" "$tree/scripts"
    ln -s "$kbuild/tools" "$tree/tools"
    sed -i "s/\"$deb\"/\"$rel\"/" "$tree/include/generated/utsrelease.h"
    grep -q "\"$rel\"" "$tree/include/generated/utsrelease.h"
    echo "$rel" > "$tree/include/config/kernel.release"
    sed -i "s/^override KERNELRELEASE = .*/override KERNELRELEASE = $rel/" "$tree/.kernelvariables"
    # Debian's "make kernelrelease" prints the upstream version (6.1.192); EL's prints the release,
    # which the spec's KMP kernel_release() macro reads (make -s -C <tree> kernelrelease).
    printf 'kernelrelease:\n\t@echo "$(KERNELRELEASE)"\n' >> "$tree/Makefile"
    [ "$(make -s -C "$tree" kernelrelease M=/tmp 2>/dev/null)" = "$rel" ]
    touch "$tree/.real-toolchain-merged"
}

# EL's kmod packaging (Fedora kernel-srpm-macros): the helper scripts where EL has them (paths that
# macros.kmp and the .attr files name; Debian's rpm uses none of them), and, in a private rpm
# configuration used only by this run (HOME=$STATE/rpm-home), macros.kmp, the .attr files, the
# vendor "redhat" and an rpm database holding the provider RPMs below.
install_el_macros() {
    local el=$REAL/el-kmod-macros d=/usr/lib/rpm/redhat
    mkdir -p "$d/find-provides.d"
    local f
    for f in kmodtool find-provides.ksyms find-requires.ksyms brp-kmod-restore-perms brp-kmod-set-exec-bit \
            rpmsort symset-table; do
        install -m 0755 "$el/$f" "$d/$f"
    done
    install -m 0755 "$el/modalias.prov" "$el/firmware.prov" "$d/find-provides.d/"
    # EL's find-provides.ksyms under its own name, behind a wrapper that also reads Linux 6.x modules
    install -m 0755 "$el/find-provides.ksyms" "$d/find-provides.ksyms.el"
    install -m 0755 "$PROJECT/tools/real-toolchain-find-provides.ksyms" "$d/find-provides.ksyms"
    local home=$STATE/rpm-home attrs=$STATE/fileattrs
    rm -rf "$attrs"
    mkdir -p "$home" "$attrs"
    cp /usr/lib/rpm/fileattrs/*.attr "$attrs/"
    cp "$el"/*.attr "$attrs/"
    {
        echo "# real-toolchain: an EL build host's rpm configuration (see tools/real-toolchain.sh)"
        echo "%_vendor redhat"
        echo "%_fileattrsdir $attrs"
        echo "%_dbpath $STATE/rpmdb"
        # EL's /bin/sh is bash; the real spec's %install uses bash syntax (${ko_name/.ko*/}), which
        # Debian's dash refuses ("Bad substitution")
        echo "%_buildshell /bin/bash"
        # what an EL 9 host's macros.dist and systemd-rpm-macros define and Debian's rpm does not:
        # lustre.spec decides systemd units, udev rules and dependencies on %rhel and installs into
        # %_unitdir / %_udevrulesdir (without them: "File must begin with /: %{_udevrulesdir}/...")
        echo "%rhel 9"
        echo "%el9 1"
        echo "%dist .el9"
        echo "%_unitdir /usr/lib/systemd/system"
        echo "%_userunitdir /usr/lib/systemd/user"
        echo "%_presetdir /usr/lib/systemd/system-preset"
        echo "%_udevrulesdir /usr/lib/udev/rules.d"
        echo "%_modprobedir /usr/lib/modprobe.d"
        echo "%_tmpfilesdir /usr/lib/tmpfiles.d"
        echo "%systemd_requires Requires(post): systemd\\"
        echo "Requires(preun): systemd\\"
        echo "Requires(postun): systemd"
        echo "%systemd_post() :"
        echo "%systemd_preun() :"
        echo "%systemd_postun() :"
        echo "%systemd_postun_with_restart() :"
        cat "$el/macros.kernel-srpm" "$el/macros.kmp"
        # rpm 4.18 takes the names of the file classes from %_fileattrsdir/*.attr but their macros
        # (%__provided_ksyms_provides...) from the macro path, which has /usr/lib/rpm/fileattrs/*.attr
        # and not this private directory: without these lines no module is classified and the kmod
        # packages get no ksym()/kernel()/kmod() dependencies at all
        local a
        for a in "$el"/*.attr; do
            echo "# $(basename "$a")"
            cat "$a"
        done
    } > "$home/.rpmmacros"
}

rpm_home() { HOME=$STATE/rpm-home "$@"; }

# A provider RPM: Provides only, no files (stands for what an EL build host has installed).
provider_rpm() {
    local name=$1 provides_file=$2 outdir=$3 top
    top=$(mktemp -d "$STATE/provider.XXXXXX")
    mkdir -p "$top/SPECS"
    {
        echo "Name: $name"
        echo "Version: 1"
        echo "Release: 1"
        echo "Summary: real-toolchain provider ($name)"
        echo "License: MIT"
        echo "BuildArch: noarch"
        sed 's/^/Provides: /' "$provides_file"
        echo "%description"
        echo "Provides what an EL build host or target has installed; made by tools/real-toolchain.sh."
        echo "%files"
    } > "$top/SPECS/$name.spec"
    rpmbuild -bb --quiet --define "_topdir $top" --define "_rpmdir $outdir" \
        --define "_build_name_fmt %%{NAME}.rpm" "$top/SPECS/$name.spec"
    rm -rf "$top"
}

# The build host's rpm database: what lustre.spec and mlnx-ofa_kernel.spec BuildRequire, provided.
build_host_rpmdb() {
    local rel=$1 list=$STATE/buildhost.provides
    cat > "$list" <<EOF
kernel = $rel
kernel-devel = $rel
kernel-devel-uname-r = $rel
kernel-uname-r = $rel
kernel-abi-stablelists
kernel-abi-whitelists
kernel-rpm-macros
redhat-rpm-config
rpm-build = 4.18.0
elfutils-libelf-devel
kmod
/usr/bin/perl
libtool
flex
bison
pkgconfig(yaml-0.1)
pkgconfig(zlib)
pkgconfig(libnl-3.0)
pkgconfig(libnl-genl-3.0)
pkgconfig(mount)
pkgconfig(systemd)
pkgconfig(libselinux)
libselinux-devel
libmount-devel
libyaml-devel
libnl3-devel
zlib-devel
openssl-devel
krb5-devel
keyutils-libs-devel
python3-devel = 3.11
swig
systemd
systemd-devel
e2fsprogs-devel = 1.47
kernel-debugsource
kernel-source
mpich-devel
openmpi-devel
EOF
    rm -rf "$STATE/rpmdb" "$STATE/providers"
    mkdir -p "$STATE/rpmdb" "$STATE/providers"
    rpm --dbpath "$STATE/rpmdb" --initdb
    provider_rpm real-toolchain-buildhost "$list" "$STATE/providers"
    rpm --dbpath "$STATE/rpmdb" -i --justdb --nodeps "$STATE/providers/real-toolchain-buildhost.rpm"
}

# The bundle version MLNX_OFED ships each source as.
bundle_version() {
    case $1 in
        24.10) echo 24.10-2.1.8.0 ;;
        25.10) echo 25.10-1.7.1.1 ;;
        *) return 1 ;;
    esac
}

# Real mlnx-ofa_kernel-<v>-<release>.src.rpm with its own spec, inside an MLNX_OFED bundle laid out as
# NVIDIA ships it: MLNX_OFED_LINUX-<bv>-<distro>-<arch>/src/MLNX_OFED_SRC-<bv>.tgz holding
# MLNX_OFED_SRC-<bv>/SRPMS/mlnx-ofa_kernel-*.src.rpm (lustre-release contrib/lbuild/lbuild unpack_ofed).
# Kept between runs (the engine's OFED cache is keyed by the bundle's SHA-256).
make_bundle() {
    local v=$1 bv=$2 bundle=$3
    [ -f "$bundle" ] && return 0
    local scratch=$STATE/bundle-$v
    rm -rf "$scratch"
    mkdir -p "$scratch/top/SOURCES" "$scratch/src"
    tar -xJf "$REAL/mlnx-ofa_kernel-$v.tar.xz" -C "$scratch/src"
    tar -czf "$scratch/top/SOURCES/mlnx-ofa_kernel-$v.tgz" -C "$scratch/src" "mlnx-ofa_kernel-$v"
    rpm_home rpmbuild -bs --define "_topdir $scratch/top" \
        "$scratch/src/mlnx-ofa_kernel-$v/mlnx-ofa_kernel.spec"
    local base name=${bundle##*/}
    base=${name%.tgz}
    local srcdir=$scratch/b/$base/src/MLNX_OFED_SRC-$bv
    mkdir -p "$srcdir/SRPMS" "$scratch/b/$base/RPMS"
    cp "$scratch/top/SRPMS/"mlnx-ofa_kernel-*.src.rpm "$srcdir/SRPMS/"
    echo "$bv" > "$scratch/b/$base/.mlnx"
    echo "x86_64" > "$scratch/b/$base/.arch"
    echo "$DISTRO" > "$scratch/b/$base/distro"
    : > "$scratch/b/$base/.supported_kernels"
    tar -czf "$scratch/b/$base/src/MLNX_OFED_SRC-$bv.tgz" -C "$scratch/b/$base/src" "MLNX_OFED_SRC-$bv"
    rm -rf "$srcdir"
    mkdir -p "${bundle%/*}"
    tar -czf "$bundle.tmp" -C "$scratch/b" "$base"
    mv "$bundle.tmp" "$bundle"
    rm -rf "$scratch"
}

# A git repository of the real Lustre 2.17.0 tree with its release tag.
make_lustre_repo() {
    local repo=$STATE/lustre-release.git
    [ -d "$repo/refs/tags" ] && git --git-dir="$repo" rev-parse -q --verify refs/tags/v2_17_0 >/dev/null \
        && git --git-dir="$repo" cat-file -e v2_17_0:lustre_compat/Makefile 2>/dev/null && return 0
    rm -rf "$repo" "$STATE/lustre-src"
    mkdir -p "$STATE/lustre-src"
    tar -xJf "$REAL/lustre-2.17.0.tar.xz" -C "$STATE/lustre-src"
    local src=$STATE/lustre-src/lustre-2.17.0
    git -C "$src" init -q
    # -f: Lustre's .gitignore ignores "Makefile", yet lustre_compat/ tracks four Makefiles; the tarball
    # is a git archive of the release commit, so every file in it is tracked upstream
    git -C "$src" add -A -f
    git -C "$src" -c user.name=real-toolchain -c user.email=real-toolchain@invalid \
        commit -q -m "lustre-release v2_17_0 (git archive of 4b0407a48e9e5b7f17877e8868080e9f40c238c6)"
    git -C "$src" tag v2_17_0
    git clone -q --bare "$src" "$repo"
    rm -rf "$STATE/lustre-src"
}

# The engine runs in a private mount namespace where /usr/bin/lsb_release says what an EL host's does:
# mlnx-ofa_kernel's makefile (install_modules) asks it and, on Debian, lays the modules flat into
# /lib/modules/<k>/updates/dkms/ instead of EL's extra/mlnx-ofa_kernel/<path>.
el_namespace() {
    local fake=$STATE/lsb_release
    printf '#!/bin/sh\n# real-toolchain: an EL host'"'"'s lsb_release\ncase "$*" in\n  *-i*) echo RedHatEnterprise ;;\n  *-r*) echo 9.4 ;;\n  *) echo "Distributor ID: RedHatEnterprise" ;;\nesac\n' > "$fake"
    chmod 0755 "$fake"
    if [ -e /usr/bin/lsb_release ]; then
        unshare --mount --propagation private -- /bin/bash -c \
            'mount --bind "$1" /usr/bin/lsb_release && shift && exec "$@"' _ "$fake" "$@"
    else
        "$@"
    fi
}

# The bare source RPM inside a bundle made by make_bundle (for OFED_SOURCE=srpm).
bare_srpm() {
    local bundle=$1 dir=$STATE/srpms
    mkdir -p "$dir"
    local scratch
    scratch=$(mktemp -d "$STATE/srpm.XXXXXX")
    tar -xzf "$bundle" -C "$scratch"
    tar -xzf "$(ls "$scratch"/*/src/MLNX_OFED_SRC-*.tgz)" -C "$scratch"
    cp "$scratch"/MLNX_OFED_SRC-*/SRPMS/mlnx-ofa_kernel-*.src.rpm "$dir/"
    rm -rf "$scratch"
}

run_engine() {
    local v=$1 bundle=$2 rel=$3
    local out=$OUT/ofed-$v$RUN_SUFFIX source
    if [ "$OFED_SOURCE" = srpm ]; then
        bare_srpm "$bundle"
        source=--ofed-srpm=$(ls "$STATE"/srpms/mlnx-ofa_kernel-"$v"-*.src.rpm | head -1)
    else
        source=--bundle=$bundle
    fi
    rm -rf "$out" "$out-withheld"
    mkdir -p "$out-work"
    el_namespace java -jar "$JAR" build \
        "$source" \
        --ofed-packaging="$OFED_PACKAGING" \
        --no-distro-check \
        --kernel-release="$rel" \
        --kernel-source="/usr/src/kernels/$rel" \
        --ofed-rebuild=srpm-rebuild \
        --lustre-repo="$STATE/lustre-release.git" \
        --lustre-ref=v2_17_0 \
        --client-only \
        --packaging=kmod --packaging=dkms \
        -j "$JOBS" \
        --output="$out" \
        --withheld-dir="$out-withheld" \
        --work-dir="$out-work" \
        --cache-dir="$OUT/cache" \
        --replace-output \
        --env=HOME="$STATE/rpm-home" \
        2>&1 | tee "$OUT/ofed-$v$RUN_SUFFIX.log"
    return "${PIPESTATUS[0]}"
}

. "$PROJECT/tools/real-toolchain-checks.sh"

check_build_logged() {
    check_build "$@" 2>&1 | tee "$OUT/ofed-$1$RUN_SUFFIX-checks.log"
    return "${PIPESTATUS[0]}"
}

DISTRO=rhel9.4
main() {
    step "apt-get install (${#APT_PACKAGES[@]} packages)" install_packages; need_ok
    [ -f "$JAR" ] || die "build the CLI first: mvn -B -q -DskipTests package"
    # a private copy: rebuilding the project while this runs must not change the jar under the JVM
    cp "$JAR" "$STATE/mlnx-lustre.jar"
    JAR=$STATE/mlnx-lustre.jar
    local rel
    rel=$(kernel_release)
    [ -n "$rel" ] || { echo "cannot tell the linux-headers-amd64 release" >&2; FAILED=1; exit 1; }
    echo "kernel: $rel"
    local deb=$rel
    rel=$(el_release "$deb")
    step "EL kernel-devel tree /usr/src/kernels/$rel" make_el_kernel_tree "$deb" "$rel"; need_ok
    step "EL kmod macros and private rpm configuration" install_el_macros; need_ok
    step "build host rpm database (provider RPM)" build_host_rpmdb "$rel"; need_ok
    step "Lustre 2.17.0 git repository" make_lustre_repo; need_ok
    local v bv bundle
    for v in $OFED_VERSIONS; do
        bv=$(bundle_version "$v") || { echo "unknown OFED version $v" >&2; FAILED=1; continue; }
        bundle=$STATE/bundles/MLNX_OFED_LINUX-$bv-$DISTRO-x86_64.tgz
        if [ "${CHECK_ONLY:-0}" != 1 ]; then
            step "OFED $v: source RPM and bundle" make_bundle "$v" "$bv" "$bundle"
            [ "$STEP_RC" -eq 0 ] || continue
            step "OFED $v: mlnx-lustre build" run_engine "$v" "$bundle" "$rel"
        fi
        step "OFED $v: assertions" check_build_logged "$v" "$rel"
    done
    [ "$FAILED" -eq 0 ]
}

main
