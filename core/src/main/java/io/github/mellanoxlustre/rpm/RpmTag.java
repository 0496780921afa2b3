package io.github.mellanoxlustre.rpm;

/**
 * The header tag numbers this reader looks at, with the types rpm's {@code include/rpm/rpmtag.h}
 * defines for them (used for rpm's "known tag with mismatching type" check).
 */
final class RpmTag {
    private RpmTag() {
    }

    // Signature header (lib/rpmtag.h RPMSIGTAG_* / RPMTAG_SHA1HEADER, RPMTAG_SHA256HEADER).
    static final int SIG_SHA1 = 269;
    static final int SIG_SHA256 = 273;

    // Main header.
    static final int NAME = 1000;
    static final int VERSION = 1001;
    static final int RELEASE = 1002;
    static final int EPOCH = 1003;
    static final int LICENSE = 1014;
    static final int ARCH = 1022;
    static final int OLDFILENAMES = 1027;
    static final int SOURCERPM = 1044;
    static final int PROVIDENAME = 1047;
    static final int REQUIREFLAGS = 1048;
    static final int REQUIRENAME = 1049;
    static final int REQUIREVERSION = 1050;
    static final int NOSOURCE = 1051;
    static final int NOPATCH = 1052;
    static final int SOURCEPACKAGE = 1106;
    static final int PROVIDEFLAGS = 1112;
    static final int PROVIDEVERSION = 1113;
    static final int DIRINDEXES = 1116;
    static final int BASENAMES = 1117;
    static final int DIRNAMES = 1118;
    static final int PAYLOADCOMPRESSOR = 1125;

    /** rpm's type for a main-header tag this reader uses, or -1 for a tag it does not check. */
    static int expectedType(int tag) {
        switch (tag) {
            case NAME:
            case VERSION:
            case RELEASE:
            case LICENSE:
            case ARCH:
            case SOURCERPM:
            case PAYLOADCOMPRESSOR:
                return HeaderBlob.TYPE_STRING;
            case EPOCH:
            case REQUIREFLAGS:
            case NOSOURCE:
            case NOPATCH:
            case SOURCEPACKAGE:
            case PROVIDEFLAGS:
            case DIRINDEXES:
                return HeaderBlob.TYPE_INT32;
            case OLDFILENAMES:
            case PROVIDENAME:
            case REQUIRENAME:
            case REQUIREVERSION:
            case PROVIDEVERSION:
            case BASENAMES:
            case DIRNAMES:
                return HeaderBlob.TYPE_STRING_ARRAY;
            default:
                return -1;
        }
    }

    /** As rpm's {@code hdrchkTagType}: equal types, or two string-class types. */
    static boolean compatible(int expected, int actual) {
        return expected == actual || (isString(expected) && isString(actual));
    }

    private static boolean isString(int type) {
        return type == HeaderBlob.TYPE_STRING || type == HeaderBlob.TYPE_STRING_ARRAY
                || type == HeaderBlob.TYPE_I18NSTRING;
    }
}
