# shellcheck shell=bash
#
# Shared helpers of the mellanox-lustre test stand-ins (sourced, never executed).
#
# The stand-ins fake kernel module builds. A stand-in "module" (*.ko) is a real ELF object compiled
# with gcc from what modpost would write into <module>.mod.c: a __versions section (one
# struct modversion_info {unsigned long crc; char name[64 - sizeof(long)]} per versioned import, as
# `modprobe --dump-modversions` and the engine's phase 8 read it) and a .modinfo section (license,
# name, vermagic). It has no code. Its section .standin holds the stand-in's own description, which
# the stand-in ksym generator reads (objcopy -O binary --only-section=.standin):
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

# standin_build_modules LIST ORIGIN VERSION KERNEL_TREE OUT_DIR MODULE_PREFIX EXTRA_SYMVERS...
#
# "Compiles" every module of LIST (lines "<path>|<exports csv>|<imports csv>", '#' comments)
# into OUT_DIR/<path>.ko and writes OUT_DIR/Module.symvers, like kbuild + modpost would:
# exported symbols get CRCs from ORIGIN/VERSION/<UTS_RELEASE of KERNEL_TREE>; imports are
# resolved first against the modules being built, then against EXTRA_SYMVERS files in order
# (KBUILD_EXTRA_SYMBOLS), then against KERNEL_TREE/Module.symvers. An import nobody exports
# gets modpost's "undefined!" warning and no version (so no RPM dependency), as with real modpost.
# MODULE_PREFIX is prepended to the module column of Module.symvers (e.g. "lnet/klnds/o2iblnd/").
# (Few processes on purpose: one sha256sum for all exports, one awk for all lookups.)
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
    local -a paths=() export_lists=() import_lists=() export_syms=() export_mods=()
    local line path exports imports sym
    while IFS= read -r line; do
        [[ -z $line || $line == \#* ]] && continue
        IFS='|' read -r path exports imports <<< "$line"
        paths+=("$path")
        export_lists+=("$exports")
        import_lists+=("$imports")
        local IFS=,
        for sym in $exports; do
            [[ -n $sym ]] || continue
            export_syms+=("$sym")
            export_mods+=("$path")
        done
        unset IFS
    done < "$list"

    # CRCs of the exports: sha256("<origin>:<version>:<uts>:<symbol>"), one sha256sum call
    : > "$own"
    if ((${#export_syms[@]} > 0)); then
        local work i
        work=$(mktemp -d)
        for i in "${!export_syms[@]}"; do
            printf '%s:%s:%s:%s' "$origin" "$version" "$uts" "${export_syms[$i]}" > "$work/$i"
        done
        local -a digests=()
        mapfile -t digests < <(cd "$work" && sha256sum -- "${!export_syms[@]}")
        rm -rf "$work"
        for i in "${!export_syms[@]}"; do
            printf '0x%s\t%s\t%s\tEXPORT_SYMBOL\n' "${digests[$i]:0:8}" "${export_syms[$i]}" \
                "$prefix${export_mods[$i]}" >> "$own"
        done
    fi

    # symbol -> CRC, first file wins: own exports, extra symbols, the kernel
    local -A crc_of=()
    local s c
    while read -r s c; do
        crc_of[$s]=$c
    done < <(awk -F '\t' 'NF >= 2 && !($2 in seen) { seen[$2] = 1; print $2, $1 }' \
        "$own" "${extra[@]}" "$ktree/Module.symvers" 2> /dev/null)

    local n ko name cdir
    cdir=$(mktemp -d)
    local -a sources=()
    for n in "${!paths[@]}"; do
        path=${paths[$n]}
        ko="$out/$path.ko"
        name=${path##*/}
        mkdir -p "${ko%/*}"
        {
            printf 'STANDIN-KO v1\nname=%s\nvermagic=%s SMP mod_unload modversions\nlicense=GPL\n' "$name" "$uts"
            local IFS=,
            for sym in ${export_lists[$n]}; do
                [[ -n $sym ]] && printf 'export %s %s\n' "${crc_of[$sym]}" "$sym"
            done
            for sym in ${import_lists[$n]}; do
                [[ -n $sym ]] || continue
                if [[ -z ${crc_of[$sym]:-} ]]; then
                    echo "WARNING: modpost: \"$sym\" [$prefix$path.ko] undefined!" >&2
                    continue
                fi
                printf 'import %s %s\n' "${crc_of[$sym]}" "$sym"
            done
            unset IFS
        } > "$cdir/m$n.txt"
        standin_mod_c "$cdir/m$n.txt" > "$cdir/m$n.c"
        sources+=("m$n.c")
        echo "  LD [M]  $prefix$path.ko"
    done
    # one compiler driver for all modules (each source its own object, m<n>.o)
    if ((${#sources[@]} > 0)); then
        (cd "$cdir" && gcc -c "${sources[@]}")
        for n in "${!paths[@]}"; do
            mv "$cdir/m$n.o" "$out/${paths[$n]}.ko"
        done
    fi
    rm -rf "$cdir"
}

# standin_mod_c DESCRIPTION -> prints the C source of a module object for a STANDIN-KO description:
# modpost's __versions table from its "import" lines, .modinfo from name/vermagic/license, and the
# description itself in section .standin.
standin_mod_c() {
    awk '
        function cstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return s }
        { text = text cstr($0) "\\n" }
        /^name=/ { modinfo = modinfo "name=" cstr(substr($0, 6)) "\\0" }
        /^vermagic=/ { modinfo = modinfo "vermagic=" cstr(substr($0, 10)) " \\0" }
        /^license=/ { modinfo = modinfo "license=" cstr(substr($0, 9)) "\\0" }
        $1 == "import" { versions = versions "\t{ " $2 ", \"" cstr($3) "\" },\n" }
        END {
            print "struct modversion_info { unsigned long crc; char name[64 - sizeof(unsigned long)]; };"
            if (versions != "") {
                print "__attribute__((section(\"__versions\"), used))"
                printf "static const struct modversion_info ____versions[] = {\n%s};\n", versions
            }
            print "__attribute__((section(\".modinfo\"), used))"
            printf "static const char ____modinfo[] = \"%s\";\n", modinfo
            print "__attribute__((section(\".standin\"), used))"
            printf "static const char ____standin[] = \"%s\";\n", text
        }' "$1"
}
