package io.github.mellanoxlustre.rpm;

import java.util.Objects;

/**
 * One entry of an RPM's REQUIRENAME/PROVIDENAME (with its FLAGS and VERSION) arrays.
 *
 * @param name    the capability, e.g. {@code lustre}, {@code ksym(ib_register_client)} or
 *                {@code kernel(__ib_alloc_pd)}
 * @param flags   rpm's RPMSENSE flag bits as stored in the header
 * @param version the version the capability is compared with, empty when unversioned
 */
public record RpmDependency(String name, int flags, String version) {
    /** RPMSENSE_LESS. */
    public static final int LESS = 1 << 1;
    /** RPMSENSE_GREATER. */
    public static final int GREATER = 1 << 2;
    /** RPMSENSE_EQUAL. */
    public static final int EQUAL = 1 << 3;
    /** RPMSENSE_RPMLIB: an {@code rpmlib(...)} feature dependency. */
    public static final int RPMLIB = 1 << 24;

    public RpmDependency {
        Objects.requireNonNull(name, "name");
        version = version == null ? "" : version;
    }

    /** The comparison operator ({@code <}, {@code <=}, {@code =}, {@code >=}, {@code >}), empty if none. */
    public String operator() {
        StringBuilder op = new StringBuilder(2);
        if ((flags & LESS) != 0) {
            op.append('<');
        }
        if ((flags & GREATER) != 0) {
            op.append('>');
        }
        if ((flags & EQUAL) != 0) {
            op.append('=');
        }
        return op.toString();
    }

    /** Whether this is a {@code ksym(...)} or {@code kernel(...)} kernel symbol dependency. */
    public boolean isKernelSymbol() {
        return name.startsWith("ksym(") || name.startsWith("kernel(");
    }

    /**
     * The form {@code rpm -qp -R} / {@code --provides} prints (rpm's {@code rpmdsNewDNEVR}): the name,
     * then the operator if any, then the version if any, separated by single spaces.
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(name);
        String op = operator();
        if (!op.isEmpty()) {
            s.append(' ').append(op);
        }
        if (!version.isEmpty()) {
            s.append(' ').append(version);
        }
        return s.toString();
    }
}
