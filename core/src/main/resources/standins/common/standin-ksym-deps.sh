#!/bin/bash
#
# Stand-in for the RPM dependency generators of RHEL kernel module packages
# (redhat-rpm-config / kernel-rpm-macros find-provides.ksyms and find-requires.ksyms,
# and lustre-release rpm/find-provides.ksyms), working on stand-in *.ko objects, whose section
# .standin holds their description (format: standin-symbols.sh). rpmbuild runs it as the external
# dependency generator: the file list of one (sub)package arrives on stdin, one path per line.
#
#   standin-ksym-deps.sh provides
#       "ksym(<sym>) = <crc>" for every symbol a module under /lib/modules/<k>/ exports;
#       "kernel(<sym>) = <crc>" instead when the module lives under /lib/modules/<k>/kernel/
#       (built-in kernel modules), as RHEL 8+ find-provides.ksyms does.
#   standin-ksym-deps.sh requires <kernel Module.symvers>
#       for every versioned import not satisfied by the package's own modules:
#       "kernel(<sym>) = <crc>" when that exact symbol+CRC is in the kernel's Module.symvers,
#       else "ksym(<sym>) = <crc>" (provided by another kmod, e.g. kmod-mlnx-ofa_kernel), as
#       RHEL find-requires.ksyms does. The real script reads /usr/src/kernels/<vermagic>/
#       Module.symvers; the stand-in takes the file as argument.
set -euo pipefail

mode=${1:-}
kernel_symvers=${2:-}

case $mode in
    provides | requires) ;;
    *)
        echo "usage: ${0##*/} provides | requires <kernel Module.symvers>" >&2
        exit 2
        ;;
esac

if [[ ${STANDIN_NO_KSYM_DEPS:-} == 1 ]]; then
    cat > /dev/null
    exit 0
fi

# the stand-in description of each module (section .standin of the module object)
texts=$(mktemp -d)
trap 'rm -rf "$texts"' EXIT
modules=()
paths=()
while IFS= read -r f; do
    [[ $f =~ /lib/modules/[^/]+/.+\.ko$ ]] || continue
    [[ -f $f ]] || continue
    t="$texts/${#modules[@]}"
    objcopy -O binary --only-section=.standin "$f" "$t" 2> /dev/null || continue
    IFS= read -r magic < "$t" || true
    [[ $magic == "STANDIN-KO v1" ]] || continue
    modules+=("$t")
    paths+=("$f")
done

((${#modules[@]} > 0)) || exit 0

if [[ $mode == provides ]]; then
    for i in "${!modules[@]}"; do
        m=${modules[$i]}
        rel=${paths[$i]#"${RPM_BUILD_ROOT:-}"}
        prefix=ksym
        if [[ $rel =~ ^/?lib/modules/[1-9][^/]*/kernel/ ]]; then
            prefix=kernel
        fi
        awk -v p="$prefix" '$1 == "export" { printf "%s(%s) = %s\n", p, $3, $2 }' "$m"
    done | LC_ALL=C sort -u
    exit 0
fi

if [[ -z $kernel_symvers || ! -r $kernel_symvers ]]; then
    echo "${0##*/}: kernel symbol versions '$kernel_symvers' not readable; all requires become ksym()" >&2
    kernel_symvers=/dev/null
fi

{
    awk -F '\t' 'NF >= 2 { print "K", $2, $1 }' "$kernel_symvers"
    for m in "${modules[@]}"; do
        awk '$1 == "export" { print "E", $3, $2 } $1 == "import" { print "I", $3, $2 }' "$m"
    done
} | awk '
    $1 == "K" { kernel[$2 " " $3] = 1 }
    $1 == "E" { own[$2] = 1 }
    $1 == "I" { imports[$2 " " $3] = 1 }
    END {
        for (x in imports) {
            split(x, a, " ")
            if (a[1] in own) continue
            if (x in kernel) printf "kernel(%s) = %s\n", a[1], a[2]
            else printf "ksym(%s) = %s\n", a[1], a[2]
        }
    }' | LC_ALL=C sort -u
