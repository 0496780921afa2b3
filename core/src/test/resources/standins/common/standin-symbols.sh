# shellcheck shell=bash
#
# Shared helpers of the mellanox-lustre test stand-ins (sourced, never executed).
#
# The stand-ins fake kernel module builds. A stand-in "module" (*.ko) is a text file:
#
#   STANDIN-KO v1
#   name=<module name>
#   vermagic=<kernel release> SMP mod_unload modversions
#   license=<licence>
#   export <crc> <symbol>      one line per exported symbol (what __crc_<symbol> is to nm)
#   import <crc> <symbol>      one line per versioned import (what modprobe --dump-modversions shows)
#
# Symbol CRCs are derived, never random: crc = "0x" + first 8 hex digits of
# sha256("<origin>:<version>:<kernel release>:<symbol>"). The origin is "kernel" (version = the
# kernel release), "mofed" (version = the MLNX_OFED bundle version), "zfs" or "lustre". So the
# same OFED built for another kernel, or another OFED for the same kernel, exports other CRCs,
# exactly the property that makes a real ko2iblnd refuse to load against the wrong IB stack.
# The Java fixtures (StandInSymbols.crc) use the same formula.

# standin_crc ORIGIN VERSION RELEASE SYMBOL -> prints 0x%08x
standin_crc() {
    local digest
    digest=$(printf '%s:%s:%s:%s' "$1" "$2" "$3" "$4" | sha256sum)
    printf '0x%s\n' "${digest:0:8}"
}

# standin_uts_release KERNEL_TREE -> prints UTS_RELEASE of a kernel build tree, or nothing.
# Same order of files as Lustre's LB_LINUXRELEASE (config/lustre-build-linux.m4).
standin_uts_release() {
    local tree=$1 f
    for f in include/generated/utsrelease.h include/linux/utsrelease.h include/linux/version.h; do
        if [[ -r $tree/$f ]] && grep -q UTS_RELEASE "$tree/$f"; then
            awk -F '"' '/ UTS_RELEASE / { print $2; exit }' "$tree/$f"
            return 0
        fi
    done
    return 0
}

# standin_symvers_crc SYMBOL FILE... -> prints "<crc>" of the first FILE (Module.symvers format:
# crc<TAB>symbol<TAB>module<TAB>export type) that exports SYMBOL; prints nothing if none does.
standin_symvers_crc() {
    local sym=$1 f crc
    shift
    for f in "$@"; do
        [[ -r $f ]] || continue
        crc=$(awk -F '\t' -v s="$sym" '$2 == s { print $1; exit }' "$f")
        if [[ -n $crc ]]; then
            printf '%s\n' "$crc"
            return 0
        fi
    done
    return 0
}

# standin_split_csv STRING -> one item per line (empty items dropped)
standin_split_csv() {
    local IFS=,
    local item
    # shellcheck disable=SC2086
    for item in $1; do
        [[ -n $item ]] && printf '%s\n' "$item"
    done
    return 0
}

# standin_build_modules LIST ORIGIN VERSION KERNEL_TREE OUT_DIR MODULE_PREFIX EXTRA_SYMVERS...
#
# "Compiles" every module of LIST (lines "<path>|<exports csv>|<imports csv>", '#' comments)
# into OUT_DIR/<path>.ko and writes OUT_DIR/Module.symvers, like kbuild + modpost would:
# exported symbols get CRCs from ORIGIN/VERSION/<UTS_RELEASE of KERNEL_TREE>; imports are
# resolved first against the modules being built, then against EXTRA_SYMVERS files in order
# (KBUILD_EXTRA_SYMBOLS), then against KERNEL_TREE/Module.symvers. An import nobody exports
# gets modpost's "undefined!" warning and no version (so no RPM dependency), as with real modpost.
# MODULE_PREFIX is prepended to the module column of Module.symvers (e.g. "lnet/klnds/o2iblnd/").
standin_build_modules() {
    local list=$1 origin=$2 version=$3 ktree=$4 out=$5 prefix=$6
    shift 6
    local -a extra=("$@")
    local uts
    uts=$(standin_uts_release "$ktree")
    if [[ -z $uts ]]; then
        echo "ERROR: cannot find UTS_RELEASE in $ktree" >&2
        return 1
    fi
    mkdir -p "$out"
    local own="$out/Module.symvers"
    : > "$own"
    local line path exports imports sym crc
    # pass 1: exports (so modules can import each other regardless of order)
    while IFS= read -r line; do
        [[ -z $line || $line == \#* ]] && continue
        IFS='|' read -r path exports imports <<< "$line"
        while IFS= read -r sym; do
            crc=$(standin_crc "$origin" "$version" "$uts" "$sym")
            printf '%s\t%s\t%s\tEXPORT_SYMBOL\n' "$crc" "$sym" "$prefix$path" >> "$own"
        done < <(standin_split_csv "$exports")
    done < "$list"
    # pass 2: module files
    local ko name
    while IFS= read -r line; do
        [[ -z $line || $line == \#* ]] && continue
        IFS='|' read -r path exports imports <<< "$line"
        ko="$out/$path.ko"
        name=${path##*/}
        mkdir -p "${ko%/*}"
        {
            printf 'STANDIN-KO v1\nname=%s\nvermagic=%s SMP mod_unload modversions\nlicense=GPL\n' "$name" "$uts"
            while IFS= read -r sym; do
                printf 'export %s %s\n' "$(standin_symvers_crc "$sym" "$own")" "$sym"
            done < <(standin_split_csv "$exports")
            while IFS= read -r sym; do
                crc=$(standin_symvers_crc "$sym" "$own" "${extra[@]}" "$ktree/Module.symvers")
                if [[ -z $crc ]]; then
                    echo "WARNING: modpost: \"$sym\" [$prefix$path.ko] undefined!" >&2
                    continue
                fi
                printf 'import %s %s\n' "$crc" "$sym"
            done < <(standin_split_csv "$imports")
        } > "$ko"
        echo "  LD [M]  $prefix$path.ko"
    done < "$list"
}
