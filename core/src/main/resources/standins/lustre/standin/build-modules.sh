#!/bin/bash
#
# Stand-in for the kernel-module part of Lustre's `make` (mellanox-lustre test fixture):
# "builds" the modules of standin/modules.list that the configuration enables into
# build/modules/<package dir>/<path>.ko and writes ./Module.symvers, resolving imports like
# modpost with KBUILD_EXTRA_SYMBOLS = the o2ib Module.symvers (external o2iblnd only) and the
# zfs Module.symvers, then the kernel's.
set -euo pipefail

top=$(pwd)
if [[ ! -f standin/config.env ]]; then
    echo "make: *** No configuration: run ./configure first.  Stop." >&2
    exit 2
fi
cfg() { sed -n "s/^$1=//p" standin/config.env | head -n1; }
# shellcheck source=../../common/standin-symbols.sh
. "$top/standin/standin-symbols.sh"

if [[ $(cfg ENABLE_MODULES) != yes ]]; then
    echo "Kernel modules disabled (--disable-modules)"
    exit 0
fi
if [[ -f .standin/print-env ]]; then
    # as a Makefile with $(info $(shell env)) or a debugging `env` in a recipe would
    echo "make: environment:"
    env | sort
fi
if [[ -f .standin/fail-make ]]; then
    echo "  CC [M]  $top/lustre/llite/llite_lib.o"
    echo "$top/lustre/llite/llite_lib.c:1:1: error: stand-in build failure injected by the test fixture" >&2
    echo "make[3]: *** [scripts/Makefile.build:315: $top/lustre/llite/llite_lib.o] Error 1" >&2
    echo "make[2]: *** [scripts/Makefile.build:555: $top/lustre/llite] Error 2" >&2
    echo "make[1]: *** [Makefile:1582: _module_$top] Error 2" >&2
    exit 2
fi

want() { # want CONDITION -> status
    case $1 in
        all) return 0 ;;
        server) [[ $(cfg ENABLE_SERVER) == yes ]] ;;
        ldiskfs) [[ $(cfg ENABLE_SERVER) == yes && $(cfg ENABLE_LDISKFS) == yes ]] ;;
        zfs) [[ $(cfg ENABLE_SERVER) == yes && $(cfg ENABLE_ZFS) == yes ]] ;;
        o2ib) [[ $(cfg O2IB) != none ]] ;;
        tests) [[ $(cfg ENABLE_TESTS) == yes ]] ;;
        *) echo "build-modules.sh: unknown condition $1" >&2; return 1 ;;
    esac
}

rm -rf build/modules
mkdir -p build
list=build/modules.list
: > "$list"
while IFS='|' read -r pkgdir path exports imports condition; do
    [[ -z $pkgdir || $pkgdir == \#* ]] && continue
    if want "$condition"; then
        printf '%s/%s|%s|%s\n' "$pkgdir" "$path" "$exports" "$imports" >> "$list"
    fi
done < standin/modules.list

extra=()
if [[ $(cfg O2IB) == external && ! -f .standin/o2iblnd-inkernel-symvers ]]; then
    extra+=("$(cfg O2IB_SYMVERS)")
fi
if [[ -n $(cfg ZFS_SYMVERS) ]] && want zfs; then
    extra+=("$(cfg ZFS_SYMVERS)")
fi
standin_build_modules "$list" lustre "$(cfg VERSION)" "$(cfg LINUX_OBJ)" build/modules "" "${extra[@]}"
cp build/modules/Module.symvers Module.symvers
