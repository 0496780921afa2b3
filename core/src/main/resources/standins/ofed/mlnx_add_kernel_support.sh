#!/bin/bash
#
# STAND-IN for MLNX_OFED's mlnx_add_kernel_support.sh (mellanox-lustre test fixture, not NVIDIA
# code). Same command line and output layout as the real tool (docs/tool-contracts.md):
#
#   mlnx_add_kernel_support.sh -m|--mlnx_ofed <MLNX_OFED dir> [options]
#
# Rebuilds the bundle's mlnx-ofa_kernel source RPM (src/MLNX_OFED_SRC-<ver>.tgz) for a kernel
# with `rpmbuild --rebuild` and writes <tmpdir>/<name>.tgz, <name> defaulting to
# MLNX_OFED_LINUX-<ver>-<distro>-<arch>-ext, holding <name>/ = the bundle with the kernel RPMs
# replaced by the rebuilt ones.
#
# Exit codes: 0 done; 1 failure (message + log file); 30 kernel already supported (listed in the
# bundle's .supported_kernels) and no --force.
#
# Stand-in only: MLNX_STANDIN_ALLOW_NONROOT=1 lifts the root requirement; failure knobs are files
# in <bundle>/.standin/ (fail-add-kernel-support, hang), see OfedBundleFixture.
set -euo pipefail

prog=${0##*/}

usage() {
    cat << EOF

Usage: $prog -m|--mlnx_ofed <path to MLNX_OFED directory> [--make-iso|--make-tgz]

Options:
    -m|--mlnx_ofed <path>       Path to MLNX_OFED directory
    --make-iso                  Create MLNX_OFED ISO image (not supported by this stand-in)
    --make-tgz                  Create MLNX_OFED TGZ image (default)
    -t|--tmpdir <dir>           Temp directory (default: /tmp)
    -k|--kernel <version>       Kernel version to use (default: \$(uname -r))
    -s|--kernel-sources <path>  Path to kernel headers (default: /lib/modules/<kernel>/build)
    -n|--name <name>            Name of the package to be created
    -y|--yes                    Answer "yes" to all questions
    --force                     Force rebuild even if the kernel is already supported
    --kmp                       Enable KMP format if supported
    --skip-repo                 Do not create a repository in the created package
    --distro <distro>           Set distro name for the created package
    --without-<package>         Do not build/include <package>
    --ofed-sources <tgz>        Path to MLNX_OFED_SRC tarball
    -v|--verbose                Verbose
    -h|--help                   Show this help

EOF
}

err() { echo "ERROR: $*" >&2; }

mlnx_ofed=
tmpdir=/tmp
kernel=
ksrc=
name=
yes=0
force=0
kmp=0
skip_repo=0
distro=
ofed_sources=
verbose=0
make_iso=0
without=()

need_value() {
    if (($# < 2)) || [[ -z $2 || $2 == -* ]]; then
        err "Option $1 requires a value"
        usage
        exit 1
    fi
}

while (($# > 0)); do
    case $1 in
        -m | --mlnx_ofed) need_value "$@"; mlnx_ofed=$2; shift 2 ;;
        -t | --tmpdir) need_value "$@"; tmpdir=$2; shift 2 ;;
        -k | --kernel) need_value "$@"; kernel=$2; shift 2 ;;
        -s | --kernel-sources) need_value "$@"; ksrc=$2; shift 2 ;;
        -n | --name) need_value "$@"; name=$2; shift 2 ;;
        --distro) need_value "$@"; distro=$2; shift 2 ;;
        --ofed-sources) need_value "$@"; ofed_sources=$2; shift 2 ;;
        --make-tgz) make_iso=0; shift ;;
        --make-iso) make_iso=1; shift ;;
        -y | --yes) yes=1; shift ;;
        --force) force=1; shift ;;
        --kmp) kmp=1; shift ;;
        --skip-repo) skip_repo=1; shift ;;
        -v | --verbose) verbose=1; shift ;;
        --without-?*) without+=("${1#--without-}"); shift ;;
        -h | --help) usage; exit 0 ;;
        *)
            err "Unsupported option: $1"
            usage
            exit 1
            ;;
    esac
done

if [[ $(id -u) -ne 0 && ${MLNX_STANDIN_ALLOW_NONROOT:-0} != 1 ]]; then
    echo "You must be root to run $prog"
    exit 1
fi

if [[ -z $mlnx_ofed ]]; then
    err "Path to MLNX_OFED directory is not defined."
    usage
    exit 1
fi
if [[ ! -f $mlnx_ofed/.mlnx ]]; then
    err "$mlnx_ofed is not a supported MLNX_OFED_LINUX directory"
    exit 1
fi
mlnx_ofed=$(cd "$mlnx_ofed" && pwd)
if ((make_iso)); then
    err "--make-iso: ISO images are not supported by the mellanox-lustre stand-in; use --make-tgz"
    exit 1
fi

mlnx_version=$(< "$mlnx_ofed/.mlnx")
arch=$(< "$mlnx_ofed/.arch")
if [[ -z $distro ]]; then
    distro=$(< "$mlnx_ofed/distro")
fi
if [[ -z $kernel ]]; then
    kernel=$(uname -r)
fi
if [[ -z $ksrc ]]; then
    ksrc=/lib/modules/$kernel/build
fi
if [[ -z $name ]]; then
    name=MLNX_OFED_LINUX-$mlnx_version-$distro-$arch-ext
fi
if [[ $name == */* ]]; then
    err "--name must be a file name, not a path: $name"
    exit 1
fi
if [[ -n $ofed_sources && ! -f $ofed_sources ]]; then
    err "MLNX_OFED sources tarball $ofed_sources does not exist"
    exit 1
fi

if grep -qxF -- "$kernel" "$mlnx_ofed/.supported_kernels" 2> /dev/null && ((!force)); then
    echo "Kernel $kernel is already supported by MLNX_OFED_LINUX-$mlnx_version."
    echo "Use --force to rebuild the kernel packages anyway."
    exit 30
fi

if [[ ! -d $ksrc ]]; then
    err "Kernel sources directory $ksrc does not exist (kernel $kernel)."
    err "Install the kernel-devel package of $kernel or pass --kernel-sources."
    exit 1
fi
ksrc=$(cd "$ksrc" && pwd)

if ! command -v rpmbuild > /dev/null; then
    err "rpmbuild is not installed!"
    exit 1
fi
createrepo_cmd=
if ((!skip_repo)); then
    if command -v createrepo_c > /dev/null; then
        createrepo_cmd=createrepo_c
    elif command -v createrepo > /dev/null; then
        createrepo_cmd=createrepo
    else
        err "createrepo is not installed! Install it or use --skip-repo."
        exit 1
    fi
fi

mkdir -p "$tmpdir"
tmpdir=$(cd "$tmpdir" && pwd)
out_tgz=$tmpdir/$name.tgz
if [[ -e $out_tgz && $yes -eq 0 && $force -eq 0 ]]; then
    read -r -p "$out_tgz already exists. Do you want to overwrite it? [y/N]: " answer || answer=
    case $answer in
        y | Y | yes) ;;
        *) echo "Aborted."; exit 1 ;;
    esac
fi

logdir=$tmpdir/mlnx_iso.$$_logs
log=$logdir/mlnx_ofed_iso.$$.log
work=$tmpdir/mlnx_iso.$$
mkdir -p "$logdir" "$work"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

echo "Note: This program will create $name TGZ for $distro under $tmpdir directory."
echo "See log file $log"
echo
{
    echo "mlnx_add_kernel_support.sh (stand-in) $mlnx_version"
    echo "kernel=$kernel sources=$ksrc distro=$distro arch=$arch kmp=$kmp name=$name"
    ((${#without[@]} == 0)) || echo "without: ${without[*]}"
} >> "$log"

# ---- stand-in failure knobs (files in <bundle>/.standin/) --------------------------------------
knob_value() { # knob_value FILE KEY DEFAULT
    local v
    v=$(sed -n "s/^$2=//p" "$1" 2> /dev/null | head -n1)
    printf '%s\n' "${v:-$3}"
}
if [[ -f $mlnx_ofed/.standin/hang ]]; then
    pidfile=$(knob_value "$mlnx_ofed/.standin/hang" pidfile "$tmpdir/standin-hang.pids")
    echo "Building MLNX_OFED_LINUX RPMS . Please wait..."
    (
        sleep 1000 &
        echo $! >> "$pidfile"
        sleep 1000 &
        echo $! >> "$pidfile"
        wait
    ) &
    wait
    exit 1
fi
if [[ -f $mlnx_ofed/.standin/fail-add-kernel-support ]]; then
    lines=$(knob_value "$mlnx_ofed/.standin/fail-add-kernel-support" lines 2000)
    code=$(knob_value "$mlnx_ofed/.standin/fail-add-kernel-support" exit 1)
    echo "Checking if all needed packages are installed..."
    echo "Building MLNX_OFED_LINUX RPMS . Please wait..."
    for ((i = 1; i <= lines; i++)); do
        echo "  CC [M]  /var/tmp/OFED_topdir/BUILD/mlnx-ofa_kernel-src/obj/default/drivers/infiniband/core/file$i.o"
    done | tee -a "$log"
    err "Failed executing \"rpmbuild --rebuild mlnx-ofa_kernel\" (injected by the test fixture)"
    err "See $log"
    exit "$code"
fi
# -------------------------------------------------------------------------------------------------

echo "Checking if all needed packages are installed..."
src_tgz=$ofed_sources
if [[ -z $src_tgz ]]; then
    src_tgz=$(find "$mlnx_ofed/src" -maxdepth 1 -name "MLNX_OFED_SRC-*.tgz" 2> /dev/null | sort | head -n1)
fi
if [[ -z $src_tgz ]]; then
    err "MLNX_OFED_SRC tarball not found under $mlnx_ofed/src"
    exit 1
fi
tar -xzf "$src_tgz" -C "$work" >> "$log" 2>&1
srpm=$(find "$work" -path "*/SRPMS/mlnx-ofa_kernel-*.src.rpm" | sort | head -n1)
if [[ -z $srpm ]]; then
    err "mlnx-ofa_kernel source RPM not found in $src_tgz"
    exit 1
fi

# rpm's _dist of this distro: rhel8.6 -> .rhel8u6, sles15sp4 -> .sles15sp4
dist=.${distro//./u}
echo "Building MLNX_OFED_LINUX RPMS . Please wait..."
# the spec writes %{_builddir}/kmp.files while rpmbuild parses it: BUILD/ must exist first
mkdir -p "$work/rpmbuild/BUILD" "$work/rpmbuild/RPMS" "$work/rpmbuild/SOURCES" "$work/rpmbuild/SPECS" \
    "$work/rpmbuild/SRPMS"
rpmbuild_args=(--rebuild
    --define "_topdir $work/rpmbuild"
    --define "_tmppath $work/rpmbuild/TMP"
    --define "KVERSION $kernel"
    --define "K_SRC $ksrc"
    --define "_dist $dist"
    --target "$arch")
if ((kmp)); then
    rpmbuild_args+=(--define "KMP 1")
fi
((verbose)) && echo "Running rpmbuild ${rpmbuild_args[*]} $srpm"
if ! rpmbuild "${rpmbuild_args[@]}" "$srpm" >> "$log" 2>&1; then
    echo
    err "Failed executing \"rpmbuild ${rpmbuild_args[*]} $srpm\""
    err "See $log"
    exit 1
fi

# assemble <name>/: the bundle without its mlnx-ofa_kernel packages, plus the rebuilt ones
stage=$work/stage/$name
mkdir -p "$stage"
tar -C "$mlnx_ofed" --exclude=./.standin -cf - . | tar -C "$stage" -xf -
rpmdirs=("$stage/RPMS")
kernel_rpm_dir=$stage/RPMS
if [[ -d $stage/RPMS/COMMON ]]; then
    rpmdirs=("$stage/RPMS/COMMON" "$stage/RPMS/MLNX_LIBS" "$stage/RPMS/UPSTREAM_LIBS")
    kernel_rpm_dir=$stage/RPMS/COMMON
fi
mapfile -t existing < <(find "${rpmdirs[@]}" -maxdepth 1 -name '*.rpm' 2> /dev/null | sort)
if ((${#existing[@]} > 0)); then
    mapfile -t sources < <(rpm -qp --nosignature --nodigest --qf '%{SOURCERPM}\n' "${existing[@]}" 2>> "$log")
    for i in "${!existing[@]}"; do
        if [[ ${sources[$i]:-} == mlnx-ofa_kernel-* ]]; then
            echo "replacing ${existing[$i]##*/}" >> "$log"
            rm -f "${existing[$i]}"
        fi
    done
fi
find "$work/rpmbuild/RPMS" -name '*.rpm' -exec cp {} "$kernel_rpm_dir/" \;
printf '%s\n' "$kernel" > "$stage/.supported_kernels"
printf '%s\n' "$distro" > "$stage/distro"
for d in "${rpmdirs[@]}"; do
    rm -rf "$d/repodata"
done
if ((!skip_repo)); then
    for d in "${rpmdirs[@]}"; do
        [[ -d $d ]] && "$createrepo_cmd" -q "$d" >> "$log" 2>&1
    done
fi

rm -f "$out_tgz"
tar -C "$work/stage" -czf "$out_tgz" "$name"
echo "Created $out_tgz"
