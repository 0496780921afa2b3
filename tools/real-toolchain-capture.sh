#!/usr/bin/env bash
# Captures small real outputs of a real-toolchain run for the tests CI runs
# (core/src/test/resources/real/, see its README.md).
#
# Usage: tools/real-toolchain-capture.sh <ofed version> <dir with the OFED kernel RPMs> [engine log]
#   e.g. tools/real-toolchain-capture.sh 24.10 OUTDIR/cache/ofed/<key>/RPMS OUTDIR/ofed-24.10.log
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 <ofed version> <rpm dir> [engine log]" >&2; exit 2; }
v=$1 rpms=$2 log=${3:-}
PROJECT=$(cd "$(dirname "$0")/.." && pwd)
dest=$PROJECT/core/src/test/resources/real/ofed-$v
rm -rf "$dest"
mkdir -p "$dest"

# One file per binary package: what `rpm -qp` says about it (name, NEVRA fields, sourcerpm,
# provides, requires, files), in a line format the tests parse.
qf='name %{NAME}\nepoch %{EPOCHNUM}\nversion %{VERSION}\nrelease %{RELEASE}\narch %{ARCH}\nlicense %{LICENSE}\nsourcerpm %{SOURCERPM}\n[provide %{PROVIDES} %{PROVIDEFLAGS:depflags} %{PROVIDEVERSION}\n][require %{REQUIRES} %{REQUIREFLAGS:depflags} %{REQUIREVERSION}\n]'
for f in "$rpms"/*.rpm; do
    name=$(rpm -qp --qf '%{NAME}' "$f" 2>/dev/null)
    case $name in *-debuginfo|*-debugsource) continue ;; esac
    out=$dest/$name.rpm-qp.txt
    rpm -qp --qf "$qf" "$f" 2>/dev/null > "$out"
    rpm -qp --qf '%{SIZE}' "$f" 2>/dev/null | sed 's/^/installsize /' >> "$out"; echo >> "$out"
    echo "filesize $(stat -c %s "$f")" >> "$out"
    echo "filename $(basename "$f")" >> "$out"
    # files: all of them, except the devel package's and the source package's header trees, which
    # are summarised by their top directories (thousands of headers)
    case $name in
        mlnx-ofa_kernel-devel|mlnx-ofa_kernel-source)
            rpm -qlp "$f" 2>/dev/null | awk -F/ 'NF <= 8' | sed 's/^/file /' >> "$out" ;;
        *)
            rpm -qlp "$f" 2>/dev/null | sed 's/^/file /' >> "$out" ;;
    esac
done

# OFED's Module.symvers, as staged from mlnx-ofa_kernel-devel
devel=$(ls "$rpms"/mlnx-ofa_kernel-devel-*.rpm | head -1)
tmp=$(mktemp -d)
(cd "$tmp" && rpm2cpio "$devel" | cpio -idm --quiet --no-absolute-filenames)
# the one beside ofed_scripts (lbuild's --with-o2ib tree); 25.10's devel also ships configure's
# empty compat/modtest/Module.symvers
o2ib=$(dirname "$(find "$tmp" -name ofed_scripts -type d | head -1)")
cp "$o2ib/Module.symvers" "$dest/Module.symvers"
sed -i 's|/[^\t ]*/rpmbuild/BUILD/|BUILD/|' "$dest/Module.symvers"   # no build-machine paths
echo "${o2ib#"$tmp"}/ofed_scripts" > "$dest/o2ib-dir.txt"
rm -rf "$tmp"

if [ -n "$log" ] && [ -f "$log" ]; then
    grep -E '^(==>|<==|!!!) \[' "$log" > "$dest/engine-phases.txt" || true
fi
du -sh "$dest"
