package io.github.mellanoxlustre.policy;

/** The overall outcome of a check run. */
public enum CheckVerdict {
    /** No package is forbidden (some files may still be unreadable: see {@link CheckReport#hasErrors()}). */
    PASS,
    /** At least one package is forbidden. */
    FAIL
}
