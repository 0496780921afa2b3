package io.github.mellanoxlustre.policy;

/** What the policy says about one file. */
public enum Verdict {
    /** May leave the site (possibly with warnings or allowed findings). */
    DISTRIBUTABLE,
    /** At least one {@link Severity#FORBIDDEN} finding. */
    FORBIDDEN,
    /** The file could not be read as an RPM, or the path does not exist. */
    ERROR
}
