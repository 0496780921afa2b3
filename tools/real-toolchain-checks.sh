# Assertions of tools/real-toolchain.sh over one build's output, what a user would check (sourced;
# uses OUT, STATE, provider_rpm from the main script). check_build <ofed version> <kernel release>.

CHECK_FAILS=0
ok() { echo "  ok: $*"; }
bad() { echo "  FAIL: $*"; CHECK_FAILS=$((CHECK_FAILS + 1)); }

# The CRC of symbol $2 in Module.symvers-format file $1 (empty when not exported).
symvers_crc() { awk -v s="$2" '$2 == s { print $1; exit }' "$1"; }

# "<crc> <symbol>" lines of a module's __versions (the CRCs it was built against).
module_versions() {
    local ko=$1 tmp
    case $ko in
        *.xz) tmp=$(mktemp --suffix=.ko); xz -dc "$ko" > "$tmp"; ko=$tmp ;;
        *.zst) tmp=$(mktemp --suffix=.ko); zstd -qdc "$ko" > "$tmp"; ko=$tmp ;;
    esac
    /sbin/modprobe --dump-modversions "$ko" | awk '{ print $1, $2 }'
    [ -z "${tmp:-}" ] || rm -f "$tmp"
}

check_engine_result() {
    local v=$1 log=$OUT/ofed-$1${RUN_SUFFIX:-}.log
    [ -f "$log" ] || { bad "no engine log $log"; return; }
    local p
    for p in 1 2 3 4 5 6 7 8 9; do
        if grep -q "^<== \[$p/9\]" "$log"; then
            ok "phase $p: $(grep "^<== \[$p/9\]" "$log" | sed 's/^<== //')"
        else
            bad "phase $p did not finish: $(grep -m1 "^!!! \[$p/9\]\|^==> \[$p/9\]" "$log" || echo 'not reached')"
        fi
    done
}

# The published packages a client kmod + dkms build must have.
check_published() {
    local out=$1 name
    [ -d "$out" ] || { bad "no output directory $out"; return; }
    for name in lustre-client kmod-lustre-client lustre-client-dkms "${OFED_KMOD_PACKAGE:-kmod-mlnx-ofa_kernel}" \
            mlnx-ofa_kernel-devel; do
        if compgen -G "$out/$name-[0-9]*.rpm" >/dev/null; then
            ok "published $(basename "$(ls "$out/$name"-[0-9]*.rpm | head -1)")"
        else
            bad "no $name package published in $out"
        fi
    done
    for f in manifest.json SHA256SUMS repodata/repomd.xml; do
        [ -e "$out/$f" ] && ok "published $f" || bad "no $f in $out"
    done
    (cd "$out" && sha256sum --quiet -c SHA256SUMS) && ok "SHA256SUMS verifies" || bad "SHA256SUMS does not verify"
}

# ko2iblnd was built against the external OFED: each symbol it uses that OFED's Module.symvers
# exports has OFED's CRC, and __ib_alloc_pd's differs from the in-kernel stack's.
check_ko2iblnd() {
    local out=$1 rel=$2 scratch=$3
    local kernel_symvers=/usr/src/kernels/$rel/Module.symvers
    mkdir -p "$scratch/lustre" "$scratch/ofed-devel"
    local rpm
    for rpm in "$out"/kmod-lustre-client*.rpm; do
        (cd "$scratch/lustre" && rpm2cpio "$rpm" | cpio -idm --quiet --no-absolute-filenames)
    done
    (cd "$scratch/ofed-devel" && rpm2cpio "$(ls "$out"/mlnx-ofa_kernel-devel-[0-9]*.rpm | head -1)" \
        | cpio -idm --quiet --no-absolute-filenames)
    local ofed_symvers ko
    ofed_symvers=$(find "$scratch/ofed-devel" -name Module.symvers | head -1)
    ko=$(find "$scratch/lustre" -name 'ko2iblnd.ko*' | head -1)
    [ -n "$ofed_symvers" ] || { bad "mlnx-ofa_kernel-devel has no Module.symvers"; return; }
    [ -n "$ko" ] || { bad "no ko2iblnd.ko in the published kmod-lustre-client packages"; return; }
    ok "ko2iblnd: ${ko#"$scratch/lustre"}; OFED Module.symvers: ${ofed_symvers#"$scratch/ofed-devel"} ($(wc -l < "$ofed_symvers") exports)"
    local n=0 same=0 crc sym ofed kern
    while read -r crc sym; do
        ofed=$(symvers_crc "$ofed_symvers" "$sym")
        [ -n "$ofed" ] || continue
        n=$((n + 1))
        if [ "$crc" = "$ofed" ]; then
            same=$((same + 1))
        else
            kern=$(symvers_crc "$kernel_symvers" "$sym")
            bad "ko2iblnd uses $sym $crc, OFED exports $ofed (kernel: ${kern:-none})"
        fi
    done < <(module_versions "$ko")
    [ "$n" -gt 0 ] && [ "$same" -eq "$n" ] && ok "ko2iblnd: all $n symbols it takes from OFED have OFED's CRC"
    crc=$(module_versions "$ko" | awk '$2 == "__ib_alloc_pd" { print $1 }')
    ofed=$(symvers_crc "$ofed_symvers" __ib_alloc_pd)
    kern=$(symvers_crc "$kernel_symvers" __ib_alloc_pd)
    if [ -n "$crc" ] && [ "$crc" = "$ofed" ] && [ "$crc" != "$kern" ]; then
        ok "__ib_alloc_pd: ko2iblnd $crc = OFED $ofed, not the in-kernel stack's $kern"
    else
        bad "__ib_alloc_pd: ko2iblnd ${crc:-none}, OFED ${ofed:-none}, kernel ${kern:-none}"
    fi
    echo "  ksym requirements of the published kmod-lustre-client packages:" \
        "$(for r in "$out"/kmod-lustre-client*.rpm; do rpm -qp --requires "$r" 2>/dev/null; done | grep -c '^ksym(\|^kernel(')"
}

# The published repository installs into an empty root (rpm --test) on a target whose kernel
# provides kernel(<sym>) = <crc> for each export of its Module.symvers (as EL's kernel package does)
# and whose base system provides every requirement outside the kernel and the published packages.
check_installable() {
    local out=$1 rel=$2 scratch=$3
    local kernel_list=$scratch/kernel.provides base_list=$scratch/base.provides
    {
        echo "kernel = $rel"
        echo "kernel-uname-r = $rel"
        echo "kernel-modules = $rel"
        echo "kernel-devel = $rel"   # the DKMS packages build on the target: lustre-client-dkms needs it
        awk '{ printf "kernel(%s) = %s\n", $2, $1 }' "/usr/src/kernels/$rel/Module.symvers"
    } > "$kernel_list"
    local set=("$out"/*.rpm)
    local kmod_set=() dkms_set=() r
    for r in "${set[@]}"; do
        case ${r##*/} in
            *-dkms-*) dkms_set+=("$r") ;;
            *) kmod_set+=("$r") ;;
        esac
    done
    install_test "kmod set (${#kmod_set[@]} packages)" "$scratch/root-kmod" "$kernel_list" "${kmod_set[@]}"
    [ ${#dkms_set[@]} -eq 0 ] || install_test "dkms set (${#dkms_set[@]} packages)" "$scratch/root-dkms" \
        "$kernel_list" "${dkms_set[@]}"
}

# install_test <label> <root> <kernel provides> <rpm>...: rpm --test -i of the RPMs plus the kernel
# provider and a base-system provider for every requirement that is neither kernel-related
# (kernel(, ksym(, kmod(, kernel-*), nor a rich dependency "(a or b)", nor provided within the set.
install_test() {
    local label=$1 root=$2 kernel_list=$3
    shift 3
    rm -rf "$root"
    mkdir -p "$root/providers"
    local provided=$root/provided required=$root/required base=$root/base.provides
    rpm -qp --provides "$@" 2>/dev/null | sed 's/ *$//' | sort -u > "$provided"
    rpm -qp --requires "$@" 2>/dev/null | sed 's/ *$//' | sort -u > "$required"
    grep -v -E '^(\(|rpmlib\(|kernel\(|ksym\(|kmod\(|kernel-|kernel( |$))' "$required" \
        | while read -r req; do
            local name=${req%% *}
            grep -q -E "^$(printf '%s' "$name" | sed 's/[][\.*^$()+?{}|/]/\\&/g')( |$)" "$provided" || echo "$req"
        done | sed 's/ \(>=\|<=\|=\|<\|>\) .*//' | sort -u > "$base"
    provider_rpm real-toolchain-kernel "$kernel_list" "$root/providers"
    provider_rpm real-toolchain-base "$base" "$root/providers"
    rpm --root "$root" --initdb
    local log=$root/rpm-test.log
    if rpm --root "$root" --test -i --nosignature --nodigest --ignorearch --ignoreos \
            "$root/providers/real-toolchain-kernel.rpm" "$root/providers/real-toolchain-base.rpm" "$@" > "$log" 2>&1; then
        ok "installable: $label ($(wc -l < "$required") requirements, $(grep -c -E '^(kernel|ksym)\(' "$required") on kernel symbols; base system stands in for $(wc -l < "$base"))"
    else
        bad "not installable: $label:"
        grep -v '^rpm: ' "$log" | sed 's/^/      /' | head -40
        echo "      ($(grep -c 'is needed by' "$log") unmet)"
    fi
}

check_build() {
    local v=$1 rel=$2 out=$OUT/ofed-$1${RUN_SUFFIX:-}
    local scratch=$STATE/checks-$v${RUN_SUFFIX:-}
    rm -rf "$scratch"
    mkdir -p "$scratch"
    CHECK_FAILS=0
    echo "--- OFED $v: the engine's phases"
    check_engine_result "$v"
    echo "--- OFED $v: published packages"
    check_published "$out"
    echo "--- OFED $v: ko2iblnd against the external OFED"
    check_ko2iblnd "$out" "$rel" "$scratch"
    echo "--- OFED $v: the repository installs"
    check_installable "$out" "$rel" "$scratch"
    echo "--- OFED $v: $CHECK_FAILS failed"
    [ "$CHECK_FAILS" -eq 0 ]
}
