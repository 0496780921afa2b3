#!/bin/sh
# STAND-IN for lustre-release autogen.sh (mellanox-lustre test fixture). The real script runs
# libtoolize, aclocal, autoheader, automake and autoconf; the stand-in needs no autotools and
# generates ./configure from standin/configure.sh, baking in the version LUSTRE-VERSION-GEN
# prints (as AC_INIT does through m4_esyscmd). Run it as the real one: `sh autogen.sh`.
if [ -z "${BASH_VERSION:-}" ]; then
    exec bash "$0" "$@"
fi
set -euo pipefail

if [[ ! -f LUSTRE-VERSION-GEN || ! -f standin/configure.sh ]]; then
    echo "autogen.sh: run it from the top of the lustre tree" >&2
    exit 1
fi
if [[ -f .standin/fail-autogen ]]; then
    echo "configure.ac:12: error: possibly undefined macro: LB_CONFIGURE" >&2
    echo "      If this token and others are legitimate, please use m4_pattern_allow." >&2
    echo "autoreconf: error: autoconf failed with exit status: 1" >&2
    exit 1
fi

# avoid the "modules.order: No such file or directory" failure
touch modules.order
version=$(sh ./LUSTRE-VERSION-GEN)
echo "libtoolize -q"
echo "aclocal -I $PWD/config"
echo "autoheader"
echo "automake -a -c"
echo "autoconf"
sed -e "s|@VERSION@|$version|g" standin/configure.sh > configure.tmp
chmod 755 configure.tmp
mv -f configure.tmp configure
