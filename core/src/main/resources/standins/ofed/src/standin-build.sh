#!/bin/bash
#
# Stand-in for "configure && make kernel" of MLNX_OFED's mlnx-ofa_kernel sources (test fixture).
# Produces stand-in *.ko files and a Module.symvers whose CRCs depend on the OFED version and
# the kernel the modules are "built" against (see standin-symbols.sh).
#
# usage: standin-build.sh --kernel-version <k> --kernel-sources <dir> --out <dir> [--fail]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../common/standin-symbols.sh
. "$here/standin-symbols.sh"

kver=
ksrc=
out=
fail=0
while (($# > 0)); do
    case $1 in
        --kernel-version) kver=${2:?--kernel-version needs a value}; shift 2 ;;
        --kernel-sources) ksrc=${2:?--kernel-sources needs a value}; shift 2 ;;
        --out) out=${2:?--out needs a value}; shift 2 ;;
        --fail) fail=1; shift ;;
        *) echo "standin-build.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[[ -n $kver && -n $ksrc && -n $out ]] || { echo "standin-build.sh: --kernel-version, --kernel-sources and --out are required" >&2; exit 2; }

ofed_version=$(cat "$here/BUNDLE_VERSION")
echo "Kernel version: $kver"
echo "Kernel sources: $ksrc"
if [[ ! -d $ksrc ]]; then
    echo "ERROR: Kernel sources directory $ksrc does not exist." >&2
    echo "Please install the kernel-devel package matching $kver or pass --kernel-sources." >&2
    exit 1
fi
if [[ ! -f $ksrc/Makefile ]]; then
    echo "ERROR: $ksrc is not a kernel build tree (no Makefile)." >&2
    exit 1
fi
uts=$(standin_uts_release "$ksrc")
if [[ -z $uts ]]; then
    echo "ERROR: Cannot find UTS_RELEASE definition in $ksrc." >&2
    exit 1
fi
if [[ $uts != "$kver" ]]; then
    echo "WARNING: kernel sources $ksrc are for $uts, not $kver; modules get vermagic $uts" >&2
fi
if [[ ! -f $ksrc/Module.symvers ]]; then
    # modpost's own words (scripts/Makefile.modpost), then the stand-in's hard stop: without the
    # kernel's symbol versions the modules would carry no modversions at all.
    echo "WARNING: Symbol version dump $ksrc/Module.symvers" >&2
    echo "           is missing; modules will have no dependencies and modversions." >&2
    echo "ERROR: stand-in mlnx-ofa_kernel build needs $ksrc/Module.symvers" >&2
    exit 1
fi
if ((fail)); then
    echo "  CC [M]  drivers/infiniband/core/verbs.o"
    echo "drivers/infiniband/core/verbs.c:42:1: error: stand-in build failure injected by the test fixture" >&2
    echo "make[2]: *** [scripts/Makefile.build:315: drivers/infiniband/core/verbs.o] Error 1" >&2
    echo "make: *** [Makefile:1582: _module_$here] Error 2" >&2
    exit 2
fi
standin_build_modules "$here/standin-modules.list" mofed "$ofed_version" "$ksrc" "$out" ""
echo "Built $(grep -c . "$out/Module.symvers") exported symbols for $uts"
