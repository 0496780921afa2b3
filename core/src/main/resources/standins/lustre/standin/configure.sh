#!/bin/bash
#
# STAND-IN for lustre-release's configure (mellanox-lustre test fixture; autogen.sh copies this
# file to ./configure). It accepts the real options, applies the checks of lustre-release's
# config/*.m4 and lnet/autoconf/lustre-lnet.m4 that decide what gets built (kernel tree, ldiskfs,
# zfs, o2iblnd) with their real messages, and writes Makefile, lustre.spec, lustre-dkms.spec,
# config.h, config.log, config.status and standin/{config.env,rpmbuild-args}.
# See docs/tool-contracts.md for what is modelled and what is not.
#
# Version behaviour follows the baked-in version (@VERSION@):
#   o2ib checks: before 2.15.60 the b2_15 rules (missing Module.symvers under --with-o2ib=<path>
#   silently falls back to the kernel's), from 2.15.60 the 2.16 rules (warning
#   "ko2iblnd.ko for external OFED will not be built", continue).
set -euo pipefail

PACKAGE=lustre
VERSION=@VERSION@
me=configure

if [[ ! -f standin/Makefile.in || ! -f lustre.spec.in ]]; then
    echo "configure: error: run ./configure from the top of the lustre tree" >&2
    exit 1
fi
: > config.log
{
    echo "This file contains any messages produced by compilers while"
    echo "running configure, to aid debugging if configure makes a mistake."
    echo
    echo "It was created by Lustre configure $VERSION (stand-in)."
    printf '  $ ./configure'
    printf ' %q' "$@"
    printf '\n\n'
} >> config.log

log() { printf '%s\n' "$*" >> config.log; }
checking() { printf 'checking %s... ' "$1"; log "$me: checking $1"; }
result() { printf '%s\n' "$1"; log "$me: result: $1"; }
notice() { printf '%s: %s\n' "$me" "$1"; log "$me: $1"; }
warn() { printf '%s: WARNING: %s\n' "$me" "$1" >&2; log "$me: WARNING: $1"; }
die() {
    printf '%s: error: %s\n' "$me" "$1" >&2
    log "$me: error: $1"
    exit 1
}
usage() {
    cat << EOF
\`configure' configures Lustre $VERSION to adapt to many kinds of systems.
(mellanox-lustre stand-in; see docs/tool-contracts.md)

Usage: ./configure [OPTION]... [VAR=VALUE]...

  --with-linux=path        set path to Linux source (default=/lib/modules/\$(uname -r)/{source,build})
  --with-linux-obj=path    set path to Linux objects (default=/lib/modules/\$(uname -r)/build)
  --with-linux-config=path set path to Linux .conf (default=\$LINUX_OBJ/.config)
  --with-o2ib=[yes|no|<path>]  build o2iblnd against path
  --with-zfs=PATH          Path to zfs source
  --with-zfs-obj=PATH      Path to zfs build objects
  --with-zfs-devel=PATH    Path to zfs development headers
  --enable-server / --disable-server
  --enable-ldiskfs / --disable-ldiskfs
  --enable-tests / --disable-tests
  --enable-iokit / --disable-iokit
  --enable-utils / --disable-utils
  --enable-modules / --disable-modules
  --with-kmp-moddir=string set the kmod updates or extra directory
EOF
}

# ---- options ------------------------------------------------------------------------------------
with_linux=
with_linux_obj=
with_linux_config=
with_o2ib=yes
with_zfs=
with_zfs_set=0
with_zfs_obj=
with_zfs_devel=
enable_server=yes
enable_ldiskfs=maybe
enable_tests=yes
enable_iokit=yes
enable_utils=yes
enable_modules=yes
enable_multiple_lnds=no
unrecognized=()

yesno() { # yesno OPTION VALUE -> yes|no or die
    case $2 in
        yes | no) printf '%s\n' "$2" ;;
        *) die "$1 valid options are \"yes\" or \"no\"" ;;
    esac
}

for arg in "$@"; do
    case $arg in
        --help | -h) usage; exit 0 ;;
        --version | -V) echo "Lustre configure $VERSION (stand-in)"; exit 0 ;;
        --with-linux=*) with_linux=${arg#*=} ;;
        --with-linux-obj=*) with_linux_obj=${arg#*=} ;;
        --with-linux-config=*) with_linux_config=${arg#*=} ;;
        --with-o2ib) with_o2ib=yes ;;
        --with-o2ib=*) with_o2ib=${arg#*=} ;;
        --without-o2ib) with_o2ib=no ;;
        --with-zfs) with_zfs=yes; with_zfs_set=1 ;;
        --with-zfs=*) with_zfs=${arg#*=}; with_zfs_set=1 ;;
        --without-zfs) with_zfs=no; with_zfs_set=1 ;;
        --with-zfs-obj=*) with_zfs_obj=${arg#*=} ;;
        --with-zfs-devel=*) with_zfs_devel=${arg#*=} ;;
        --with-spl | --with-spl=* | --without-spl | --with-spl-obj=*) ;;
        --enable-server) enable_server=yes ;;
        --enable-server=*) enable_server=$(yesno server "${arg#*=}") ;;
        --disable-server) enable_server=no ;;
        --enable-ldiskfs) enable_ldiskfs=yes ;;
        --enable-ldiskfs=*) enable_ldiskfs=$(yesno ldiskfs "${arg#*=}") ;;
        --disable-ldiskfs) enable_ldiskfs=no ;;
        --with-ldiskfs | --with-ldiskfs=* | --without-ldiskfs)
            warn "--with-ldiskfs is deprecated, please use --enable-ldiskfs"
            case $arg in
                --without-ldiskfs | --with-ldiskfs=no) enable_ldiskfs=no ;;
                --with-ldiskfs | --with-ldiskfs=yes) enable_ldiskfs=yes ;;
                *) die "The ldiskfs option is deprecated, and no longer supports paths to external ldiskfs source" ;;
            esac
            ;;
        --enable-tests | --enable-tests=yes) enable_tests=yes ;;
        --disable-tests | --enable-tests=no) enable_tests=no ;;
        --enable-iokit | --enable-iokit=yes) enable_iokit=yes ;;
        --disable-iokit | --enable-iokit=no) enable_iokit=no ;;
        --enable-utils | --enable-utils=yes) enable_utils=yes ;;
        --disable-utils | --enable-utils=no) enable_utils=no ;;
        --enable-modules | --enable-modules=yes) enable_modules=yes ;;
        --disable-modules | --enable-modules=no) enable_modules=no ;;
        --enable-multiple-lnds | --enable-multiple-lnds=yes)
            die "--enable-multiple-lnds is not implemented by the mellanox-lustre stand-in" ;;
        --disable-multiple-lnds | --enable-multiple-lnds=no) enable_multiple_lnds=no ;;
        --with-kmp-moddir=* | --enable-dist | --disable-dist | --with-spec=* | \
            --enable-shared | --disable-shared | --enable-static | --disable-static | \
            --enable-manpages | --disable-manpages | --enable-gss | --disable-gss | \
            --enable-gss-keyring | --disable-gss-keyring | --enable-snmp | --disable-snmp | \
            --enable-l_getsepol | --disable-l_getsepol | --enable-crypto | --disable-crypto | \
            --enable-mpitests | --disable-mpitests | --with-systemdsystemunitdir=* | \
            --enable-quota | --disable-quota | --enable-lru-resize | --disable-lru-resize) ;;
        --prefix=* | --exec-prefix=* | --*dir=* | --cache-file=* | -C | --config-cache | \
            --host=* | --build=* | --target=* | --program-prefix=* | --program-suffix=* | \
            --quiet | --silent | -q | --no-create | -n | --disable-option-checking | \
            --disable-dependency-tracking | --enable-dependency-tracking | --disable-silent-rules | \
            --enable-silent-rules) ;;
        --with-* | --without-* | --enable-* | --disable-*) unrecognized+=("$arg") ;;
        [A-Za-z_]*=*) log "variable: $arg" ;;
        -*)
            printf '%s: error: unrecognized option: `%s'"'"'\nTry `%s --help'"'"' for more information\n' \
                "$me" "$arg" "$0" >&2
            exit 1
            ;;
        *) die "invalid argument \`$arg' (the stand-in does not take a host type)" ;;
    esac
done

plain_path() { # the paths end up in rpmbuild --define values: keep them simple
    if [[ $2 =~ [[:space:]\'\"\\] ]]; then
        die "$1 must not contain whitespace, quotes or backslashes (stand-in limitation): $2"
    fi
}
[[ -z $with_linux ]] || plain_path --with-linux "$with_linux"
[[ -z $with_linux_obj ]] || plain_path --with-linux-obj "$with_linux_obj"
plain_path --with-o2ib "$with_o2ib"
[[ -z $with_zfs ]] || plain_path --with-zfs "$with_zfs"
[[ -z $with_zfs_obj ]] || plain_path --with-zfs-obj "$with_zfs_obj"

# ---- version ------------------------------------------------------------------------------------
vnum=${VERSION%%[!0-9.]*}
IFS=. read -r vmaj vmin vpat _ <<< "$vnum."
vkey=$((10#${vmaj:-0} * 10000 + 10#${vmin:-0} * 100 + 10#${vpat:-0}))
o2ib_rules=new
((vkey >= 21560)) || o2ib_rules=old
standin_gen=215
((vkey >= 21554)) && standin_gen=216
((vkey >= 21651)) && standin_gen=217
notice "Lustre $VERSION (stand-in, o2ib rules: $o2ib_rules, spec generation: $standin_gen)"

# ---- kernel -------------------------------------------------------------------------------------
checking "for Linux sources"
LINUX=${with_linux:-/lib/modules/$(uname -r)/build}
[[ -e $LINUX ]] && LINUX=$(readlink -f "$LINUX")
result "$LINUX"
[[ -e $LINUX ]] || die "Kernel source $LINUX could not be found."
checking "for Linux objects"
LINUX_OBJ=${with_linux_obj:-$LINUX}
[[ -e $LINUX_OBJ ]] && LINUX_OBJ=$(readlink -f "$LINUX_OBJ")
result "$LINUX_OBJ"
LINUX_CONFIG=${with_linux_config:-$LINUX_OBJ/.config}
checking "for $LINUX_CONFIG"
if [[ -f $LINUX_CONFIG ]]; then result yes; else
    result no
    die $'\n\nKernel config could not be found.\n'
fi
checking "for Linux kernel utsrelease"
LINUXRELEASE=
for f in include/generated/utsrelease.h include/linux/utsrelease.h include/linux/version.h; do
    if [[ -r $LINUX_OBJ/$f ]] && grep -q UTS_RELEASE "$LINUX_OBJ/$f"; then
        LINUXRELEASE=$(awk -F '"' '/ UTS_RELEASE / { print $2; exit }' "$LINUX_OBJ/$f")
        break
    fi
done
if [[ -z $LINUXRELEASE ]]; then
    result no
    die $'\n\nCannot find UTS_RELEASE definition.\n\nThis is often provided by the kernel-devel package.\n'
fi
result "$LINUXRELEASE"
checking "if the kernel can build external modules"
if [[ -f $LINUX_OBJ/Makefile ]]; then result yes; else
    result no
    log "make -C $LINUX_OBJ M=...: No targets specified and no makefile found."
    die "kernel module make failed; check config.log for details"
fi
if [[ -f .standin/fail-configure ]]; then
    checking "if Linux kernel has kthread_worker"
    result no
    log "conftest.c:42:1: error: stand-in configure failure injected by the test fixture"
    die "kernel module make failed; check config.log for details"
fi

# ---- server, ldiskfs ------------------------------------------------------------------------------
checking "whether to build Lustre server support"
result "$enable_server"
if [[ $enable_server == no ]]; then
    case $enable_ldiskfs in
        maybe) enable_ldiskfs=no ;;
        yes) die "cannot build ldiskfs when servers are disabled" ;;
    esac
fi
if [[ $enable_ldiskfs != no ]]; then
    [[ $enable_ldiskfs == maybe ]] && enable_ldiskfs=yes
    EXT4_SRC_DIR=$LINUX/fs/ext4
    ldiskfs_build=yes
    for f in dir.c file.c inode.c super.c; do
        checking "for $EXT4_SRC_DIR/$f"
        if [[ -f $EXT4_SRC_DIR/$f ]]; then result yes; else
            result no
            ldiskfs_build=no
            warn "ext4 must exist for ldiskfs build"
        fi
    done
    if [[ $ldiskfs_build == no ]]; then
        enable_ldiskfs=no
        warn $'\n\nDisabling ldiskfs support because complete ext4 source does not exist.\n\nIf you are building using kernel-devel packages and require ldiskfs\nserver support then ensure that the matching kernel-debuginfo-common\nand kernel-debuginfo-common-<arch> packages are installed.\n'
    fi
fi
checking "whether to build ldiskfs"
result "$enable_ldiskfs"

# ---- zfs (config/lustre-build-zfs.m4) -----------------------------------------------------------
enable_zfs=no
require_zfs=no
zfssrc=
zfsobj=
zfsver=
zfs_symvers=
if [[ $enable_server == yes ]]; then
    if ((with_zfs_set)); then
        case $with_zfs in
            no) enable_zfs=no ;;
            yes) enable_zfs=yes; require_zfs=yes ;;
            *) enable_zfs=yes; require_zfs=yes; zfssrc=$with_zfs ;;
        esac
    else
        enable_zfs=yes
    fi
elif ((with_zfs_set)) && [[ $with_zfs != no ]]; then
    notice "zfs osd is not built without server support"
fi
checking "whether to enable zfs"
result "$enable_zfs"
if [[ $enable_zfs == yes ]]; then
    if [[ $enable_modules == yes ]]; then
        zver=$(find /usr/src -maxdepth 1 -name 'zfs-*' -printf '%f\n' 2> /dev/null | cut -f2 -d'-' | sort -V | head -n1 || true)
        checking "zfs source directory"
        if [[ -z $zfssrc ]]; then
            for cand in "/var/lib/dkms/zfs/$zver/source" "/usr/src/zfs-$zver/$LINUXRELEASE" "/usr/src/zfs-$zver" \
                "../zfs" "$LINUX/zfs"; do
                if [[ -e $cand/zfs.release.in ]]; then
                    zfssrc=$(readlink -f "$cand")
                    break
                fi
            done
            [[ -n $zfssrc ]] || zfssrc="[Not found]"
        fi
        result "$zfssrc"
        if [[ ! -e $zfssrc/zfs.release.in && ! -e $zfssrc/zfs.release ]]; then
            enable_zfs=no
        fi
        checking "zfs build directory"
        if [[ -n $with_zfs_obj ]]; then
            zfsobj=$with_zfs_obj
        elif [[ -e $zfssrc/$LINUXRELEASE/zfs_config.h ]]; then
            zfsobj=$zfssrc/$LINUXRELEASE
        elif [[ -e $zfssrc/zfs_config.h ]]; then
            zfsobj=$zfssrc
        else
            last=$(ls -d "$zfssrc"/[0-9]*/ 2> /dev/null | tail -n 1 | sed 's|/$||' || true)
            if [[ -n $last && -e $last/zfs_config.h ]]; then zfsobj=$last; else zfsobj="[Not found]"; fi
        fi
        result "$zfsobj"
        [[ -e $zfsobj/zfs_config.h ]] || enable_zfs=no
        if [[ $enable_zfs == yes ]]; then
            checking "zfs source version"
            if grep -q ZFS_META_VERSION "$zfsobj/zfs_config.h"; then
                zv=$(awk -F '"' '/define ZFS_META_VERSION/ { print $2; exit }' "$zfsobj/zfs_config.h")
                zr=$(awk -F '"' '/define ZFS_META_RELEASE/ { print $2; exit }' "$zfsobj/zfs_config.h")
                zfsver=$zv-$zr
            else
                zfsver="[Not found]"
                enable_zfs=no
            fi
            result "$zfsver"
        fi
        if [[ $enable_zfs == yes ]]; then
            checking "zfs file name for module symbols"
            if [[ -r $zfsobj/Module.symvers ]]; then
                zfs_symvers=$zfsobj/Module.symvers
                result Module.symvers
            elif [[ -r $zfsobj/module/Module.symvers ]]; then
                zfs_symvers=$zfsobj/module/Module.symvers
                result Module.symvers
            else
                result "[Not found]"
                enable_zfs=no
            fi
        fi
    fi
    checking "user provided zfs devel headers"
    if [[ -n $with_zfs_devel ]]; then
        if [[ -d $with_zfs_devel/usr/include/libspl && -d $with_zfs_devel/usr/include/libzfs ]]; then
            result "-I $with_zfs_devel/usr/include/libspl -I $with_zfs_devel/usr/include/libzfs"
        else
            die "Path to development headers directory does not exist"
        fi
    else
        result ""
        checking "zfs devel headers"
        if [[ -e $zfssrc/include/libzfs.h && -e $zfssrc/lib/libspl/include ]]; then
            result "-I $zfssrc/lib/libspl/include -I $zfssrc/lib/libspl/include/os/linux -I $zfssrc/include"
        elif [[ -d /usr/include/libzfs && -d /usr/include/libspl ]]; then
            result "-I/usr/include/libspl -I /usr/include/libzfs"
        else
            result "[Not Found]"
            enable_zfs=no
        fi
    fi
    if [[ $enable_zfs != yes ]]; then
        zfs_help=$'\n\nSupport for zfs can be enabled by downloading the required packages for your\ndistribution.  See http://zfsonlinux.org/ to determine is zfs is supported by\nyour distribution.\n'
        if [[ $require_zfs == yes ]]; then
            die $'\n\nRequired zfs osd cannot be built due to missing zfs development headers.'"$zfs_help"
        fi
        warn $'\n\nDisabling optional zfs osd due to missing development headers.'"$zfs_help"
    fi
fi

# ---- o2iblnd (lnet/autoconf/lustre-lnet.m4, LN_CONFIG_O2IB) -------------------------------------
has_ib_headers() {
    [[ -f $1/include/rdma/rdma_cm.h && -f $1/include/rdma/ib_cm.h && -f $1/include/rdma/ib_verbs.h ]]
}
find_ofed_devel() { # prints the directories holding include/rdma/rdma_cm.h under the OFED devel root
    local root=${STANDIN_OFA_KERNEL_DIR:-/usr/src/ofa_kernel}
    [[ -d $root ]] || return 0
    if [[ -d $root/$(uname -m)/$LINUXRELEASE ]]; then
        root=$root/$(uname -m)/$LINUXRELEASE
    fi
    find -H "$root" -name rdma_cm.h | sed -e 's/\/include\/rdma\/rdma_cm.h//'
}
O2IB=none
O2IB_PATH=
O2IB_SYMVERS=
EXTERNAL_KO2IBLND=no
BUILT_IN_KO2IBLND=no
if [[ $o2ib_rules == old ]]; then
    O2IBPATHS=()
    case $with_o2ib in
        yes)
            if command -v ofed_info > /dev/null 2>&1; then
                mapfile -t O2IBPATHS < <(find_ofed_devel)
                if ((${#O2IBPATHS[@]} == 0)); then
                    die $'\nYou seem to have an OFED installed but have not installed it\'s devel package.\nIf you still want to build Lustre for your OFED I/B stack, you need to install its devel headers RPM.\nInstead, if you want to build Lustre for your kernel\'s built-in I/B stack rather than your installed OFED stack, either remove the OFED package(s) or use --with-o2ib=no.\n'
                fi
                if ((${#O2IBPATHS[@]} >= 2)); then
                    die $'\nIt appears that you have multiple OFED versions installed.\nIf you still want to build Lustre for your OFED I/B stack, you need to install a single version with its devel headers RPM.\nInstead, if you want to build Lustre for your in-kernel I/B stack rather than your installed external OFED stack, either remove the OFED package(s) or use --with-o2ib=no.\n'
                fi
                if [[ -e ${O2IBPATHS[0]}/$LINUXRELEASE ]]; then
                    O2IBPATHS=("${O2IBPATHS[0]}/$LINUXRELEASE")
                elif [[ -e ${O2IBPATHS[0]}/default ]]; then
                    O2IBPATHS=("${O2IBPATHS[0]}/default")
                fi
            else
                O2IBPATHS=("$LINUX" "$LINUX/drivers/infiniband")
            fi
            ENABLEO2IB=yes
            ;;
        no) ENABLEO2IB=no ;;
        *) O2IBPATHS=("$with_o2ib"); ENABLEO2IB=withpath ;;
    esac
    checking "whether to enable OpenIB gen2 support"
    if [[ $ENABLEO2IB == no ]]; then
        result no
    else
        O2IBPATH=
        for p in "${O2IBPATHS[@]}"; do
            if has_ib_headers "$p"; then O2IBPATH=$p; break; fi
        done
        if [[ -z $O2IBPATH ]]; then
            result no
            case $ENABLEO2IB in
                yes) die "no OFED nor kernel OpenIB gen2 headers present" ;;
                *) die "bad --with-o2ib path" ;;
            esac
        fi
        result yes
        O2IBPATH=$(readlink --canonicalize "$O2IBPATH")
        O2IB_PATH=$O2IBPATH
        symver=
        if [[ -f $O2IBPATH/Module.symvers ]]; then
            symver=$O2IBPATH/Module.symvers
        elif [[ -f $LINUX_OBJ/Module.symvers ]]; then
            # Debian symvers is in the arch tree
            symver=$LINUX_OBJ/Module.symvers
        fi
        if [[ -n $symver ]]; then
            O2IB=inkernel
            if [[ ! $symver -ef $LINUX_OBJ/Module.symvers ]]; then
                notice "adding $symver to Symbol Path O2IB"
                O2IB=external
                O2IB_SYMVERS=$symver
            fi
        else
            die "an external source tree was, either specified or detected, for o2iblnd however I could not find a $O2IBPATH/Module.symvers there"
        fi
    fi
else
    INT_O2IBPATHS=()
    EXT_O2IBPATHS=()
    case $with_o2ib in
        yes)
            INT_O2IBPATHS=("$LINUX" "$LINUX/drivers/infiniband")
            BUILT_IN_KO2IBLND=yes
            if command -v ofed_info > /dev/null 2>&1; then
                mapfile -t EXT_O2IBPATHS < <(find_ofed_devel)
                EXTERNAL_KO2IBLND=yes
                if ((${#EXT_O2IBPATHS[@]} == 0)); then
                    EXTERNAL_KO2IBLND=no
                    warn $'\n* You seem to have an OFED installed but have not installed the associated\n* devel package.\n* If you still want to build Lustre for your External OFED I/B stack,\n* you need to install its devel headers RPM.\n* Only the kernel built-in I/B stack support will be built.\n'
                fi
                if ((${#EXT_O2IBPATHS[@]} >= 2)); then
                    BUILT_IN_KO2IBLND=no
                    warn $'\n* It appears that you have multiple OFED versions installed.\n* If you still want to build Lustre for your External OFED I/B stack, you\n* need to install a single version with the associated devel package.\n* Only the kernel built-in I/B stack support will be built.\n'
                fi
                if [[ $EXTERNAL_KO2IBLND != no ]]; then
                    if [[ -e ${EXT_O2IBPATHS[0]}/$LINUXRELEASE ]]; then
                        EXT_O2IBPATHS=("${EXT_O2IBPATHS[0]}/$LINUXRELEASE")
                    elif [[ -e ${EXT_O2IBPATHS[0]}/default ]]; then
                        EXT_O2IBPATHS=("${EXT_O2IBPATHS[0]}/default")
                    fi
                fi
            fi
            ENABLEO2IB=yes
            ;;
        no) ENABLEO2IB=no ;;
        *)
            ENABLEO2IB=withpath
            EXT_O2IBPATHS=("$with_o2ib")
            EXTERNAL_KO2IBLND=yes
            INT_O2IBPATHS=("$LINUX" "$LINUX/drivers/infiniband")
            BUILT_IN_KO2IBLND=yes
            ;;
    esac
    checking "if external o2iblnd needs to use Compat RDMA"
    result no
    if [[ $ENABLEO2IB != no ]]; then
        INT_O2IBPATH=
        for p in "${INT_O2IBPATHS[@]}"; do
            if has_ib_headers "$p"; then INT_O2IBPATH=$p; break; fi
        done
        if [[ -z $INT_O2IBPATH ]]; then
            warn "kernel does not support in-kernel o2ib, it will not be built"
            BUILT_IN_KO2IBLND=no
        fi
        EXT_O2IBPATH=
        for p in "${EXT_O2IBPATHS[@]}"; do
            if has_ib_headers "$p"; then EXT_O2IBPATH=$p; break; fi
        done
        if [[ -z $EXT_O2IBPATH ]]; then
            case $ENABLEO2IB in
                withpath) die "bad --with-o2ib path" ;;
                *)
                    warn $'\nAuto detection of external O2IB failed. Build of external o2ib disabled.'
                    EXTERNAL_KO2IBLND=no
                    ;;
            esac
        fi
        if [[ $EXTERNAL_KO2IBLND != no ]]; then
            checking "whether to enable OpenIB gen2 support"
            result yes
            EXT_O2IBPATH=$(readlink --canonicalize "$EXT_O2IBPATH")
            if [[ -f $EXT_O2IBPATH/Module.symvers ]]; then
                if [[ ! $EXT_O2IBPATH/Module.symvers -ef $LINUX_OBJ/Module.symvers ]]; then
                    notice "adding $EXT_O2IBPATH/Module.symvers to external o2ib symbols"
                    O2IB_SYMVERS=$EXT_O2IBPATH/Module.symvers
                    O2IB_PATH=$EXT_O2IBPATH
                else
                    EXTERNAL_KO2IBLND=no
                fi
            else
                warn $'\n\t* Module.symvers for external o2iblnd was not found.\n\t* Expected: '"$EXT_O2IBPATH"$'/Module.symvers\n\t* ko2iblnd.ko for external OFED will not be built.\n'
                EXTERNAL_KO2IBLND=no
            fi
        fi
        if [[ ! -f $LINUX_OBJ/Module.symvers && ! -f ${INT_O2IBPATH:-/nonexistent}/Module.symvers ]]; then
            warn "Module.symvers for in-kernel o2iblnd was not found"
        fi
        if [[ $EXTERNAL_KO2IBLND == no && $BUILT_IN_KO2IBLND == no ]]; then
            warn "No o2iblnd can be built"
        elif [[ $enable_multiple_lnds == no && $EXTERNAL_KO2IBLND != no && $BUILT_IN_KO2IBLND != no ]]; then
            warn $'\nNOTE: --enable-multiple-lnds is needed to enable both o2iblnd drivers.\n* Disabling in-kernel o2iblnd in favor of external o2iblnd driver.\n* There can be only one in this configuration\n'
            BUILT_IN_KO2IBLND=no
        fi
    fi
    if [[ $EXTERNAL_KO2IBLND == yes ]]; then
        O2IB=external
    elif [[ $BUILT_IN_KO2IBLND == yes ]]; then
        O2IB=inkernel
        O2IB_PATH=$LINUX
    fi
fi
checking "which o2iblnd is built"
result "$O2IB${O2IB_SYMVERS:+ (symbols: $O2IB_SYMVERS)}"

checking "whether to build Lustre tests"
result "$enable_tests"
checking "whether to build Lustre IO kit"
result "$enable_iokit"

# ---- outputs ------------------------------------------------------------------------------------
DIST=
if [[ $LINUXRELEASE =~ \.el([0-9]+) ]]; then
    DIST=.el${BASH_REMATCH[1]}
fi

# LB_CONFIG_RPMBUILD_OPTIONS (config/lustre-build.m4)
CONFIGURE_ARGS=
for arg in "$@"; do
    case $arg in
        --*dir=*) ;;
        -C | --cache-file=*) ;;
        --prefix=* | --*-prefix=*) ;;
        --enable-dist) ;;
        --with-linux=* | --with-linux-obj=*) ;;
        --enable-shared | --disable-shared) ;;
        --enable-static | --disable-static) ;;
        --enable-ldiskfs | --disable-ldiskfs) ;;
        --enable-modules | --disable-modules) ;;
        --enable-server | --disable-server) ;;
        --enable-tests | --disable-tests) ;;
        --enable-utils | --disable-utils) ;;
        --enable-iokit | --disable-iokit) ;;
        --enable-manpages | --disable-manpages) ;;
        *) CONFIGURE_ARGS="$CONFIGURE_ARGS '$arg'" ;;
    esac
done
rpmargs=()
[[ -z $CONFIGURE_ARGS ]] || rpmargs+=(--define "configure_args $CONFIGURE_ARGS")
rpmargs+=(--define "kdir $LINUX" --define "kobjdir $LINUX_OBJ")
[[ $enable_modules == yes ]] || rpmargs+=(--without lustre_modules)
[[ $enable_tests == yes ]] || rpmargs+=(--without lustre_tests)
rpmargs+=(--without lustre_tests_lutf)
[[ $enable_utils == yes ]] || rpmargs+=(--without lustre_utils)
[[ $enable_server == yes ]] || rpmargs+=(--without servers)
[[ $enable_ldiskfs == yes ]] || rpmargs+=(--without ldiskfs)
[[ $enable_zfs != yes ]] || rpmargs+=(--with zfs)
if [[ $o2ib_rules == new ]]; then
    rpmargs+=(--without multiple_lnds)
    if [[ $EXTERNAL_KO2IBLND == yes ]]; then rpmargs+=(--with mofed); else rpmargs+=(--without mofed); fi
    if [[ $BUILT_IN_KO2IBLND == yes ]]; then rpmargs+=(--with o2ib); else rpmargs+=(--without o2ib); fi
    rpmargs+=(--without kfi --without gni)
fi
[[ $enable_iokit == yes ]] || rpmargs+=(--without lustre_iokit)
rpmargs+=(--without mpi)
printf '%s\n' "${rpmargs[@]}" > standin/rpmbuild-args

cat > standin/config.env << EOF
VERSION=$VERSION
STANDIN_GEN=$standin_gen
O2IB_RULES=$o2ib_rules
LINUX=$LINUX
LINUX_OBJ=$LINUX_OBJ
LINUXRELEASE=$LINUXRELEASE
ENABLE_MODULES=$enable_modules
ENABLE_SERVER=$enable_server
ENABLE_LDISKFS=$enable_ldiskfs
ENABLE_ZFS=$enable_zfs
ENABLE_TESTS=$enable_tests
ENABLE_UTILS=$enable_utils
ENABLE_IOKIT=$enable_iokit
ZFS=$zfssrc
ZFS_OBJ=$zfsobj
ZFS_VERSION=$zfsver
ZFS_SYMVERS=$zfs_symvers
O2IB=$O2IB
O2IB_PATH=$O2IB_PATH
O2IB_SYMVERS=$O2IB_SYMVERS
DIST=$DIST
EOF

subst() { # subst IN OUT (the token is split so that autogen.sh's own substitution leaves it alone)
    local a=@
    sed -e "s|${a}VERSION${a}|$VERSION|g" -e "s|${a}PACKAGE${a}|$PACKAGE|g" \
        -e "s|${a}LINUXRELEASE${a}|$LINUXRELEASE|g" -e "s|${a}STANDIN_GEN${a}|$standin_gen|g" "$1" > "$2"
}
subst lustre.spec.in lustre.spec
subst lustre-dkms.spec.in lustre-dkms.spec
subst standin/Makefile.in Makefile
{
    echo "/* config.h, generated by the stand-in configure */"
    echo "#define VERSION \"$VERSION\""
    [[ $enable_server == yes ]] && echo "#define HAVE_SERVER_SUPPORT 1"
    [[ $enable_ldiskfs == yes ]] && echo "#define HAVE_LDISKFS_OSD 1"
    [[ $enable_zfs == yes ]] && echo "#define HAVE_ZFS_OSD 1"
    echo "/* end */"
} > config.h
{
    echo '#!/bin/bash'
    echo '# config.status of the stand-in configure: re-runs it with the same options'
    printf 'exec ./configure'
    printf ' %q' "$@"
    printf '\n'
} > config.status
chmod +x config.status
notice "creating Makefile"
notice "creating lustre.spec"
notice "creating lustre-dkms.spec"
notice "creating config.h"

if ((${#unrecognized[@]} > 0)); then
    joined=$(printf '%s, ' "${unrecognized[@]}")
    warn "unrecognized options: ${joined%, }"
fi

cat << EOF

CC:            gcc
LD:            ld
Linux:         $LINUX ($LINUXRELEASE)
Server:        $enable_server (ldiskfs: $enable_ldiskfs, zfs: $enable_zfs)
o2iblnd:       $O2IB
Type 'make' to build Lustre, 'make rpms' or 'make dkms-rpms' to package it.
EOF
