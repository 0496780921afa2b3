package io.github.mellanoxlustre.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * The findings one rule collects for one package, at most {@link #MAX} of them plus one that counts
 * the rest: a header may list a million matching files, and a report of them all would hold them
 * all in memory.
 */
final class CappedFindings {
    /** Findings kept per rule and package before the rest are only counted. */
    static final int MAX = 100;

    private final List<Finding> kept = new ArrayList<>();
    private long more;
    private Finding last;

    void add(Finding f) {
        if (kept.size() < MAX) {
            kept.add(f);
        } else {
            more++;
            last = f;
        }
    }

    boolean isEmpty() {
        return kept.isEmpty();
    }

    /** The findings kept, then, if any were left out, one saying how many (with the last one's evidence). */
    List<Finding> toList() {
        if (more == 0) {
            return List.copyOf(kept);
        }
        List<Finding> out = new ArrayList<>(kept);
        out.add(Finding.of(last.rule(), last.severity(), "and " + more + " more like the above (last shown)",
                last.evidence()));
        return List.copyOf(out);
    }
}
