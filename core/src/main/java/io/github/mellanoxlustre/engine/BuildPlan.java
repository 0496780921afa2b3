package io.github.mellanoxlustre.engine;

import io.github.mellanoxlustre.engine.phase.PlannedCommand;
import io.github.mellanoxlustre.engine.phase.PlannedPhase;
import java.util.List;

/**
 * What a build would do, phase by phase, with the exact commands, computed without running
 * anything (and without reading the bundle, which is not fetched yet: such values are shown as
 * placeholders like {@code <bundle>}).
 *
 * @param phases       the phases in order
 * @param placeholders what each placeholder used in the commands stands for
 */
public record BuildPlan(List<PlannedPhase> phases, List<String> placeholders) {
    public BuildPlan {
        phases = List.copyOf(phases);
        placeholders = List.copyOf(placeholders);
    }

    /** The plan as text, as {@code mlnx-lustre plan} prints it. */
    public String render() {
        StringBuilder b = new StringBuilder();
        int total = phases.size();
        for (PlannedPhase p : phases) {
            b.append("[").append(p.index()).append('/').append(total).append("] ").append(p.title());
            if (!p.detail().isEmpty()) {
                b.append(" (").append(p.detail()).append(')');
            }
            b.append('\n');
            for (String n : p.notes()) {
                b.append("    - ").append(n).append('\n');
            }
            String dir = null;
            for (PlannedCommand c : p.commands()) {
                if (!c.dir().equals(dir)) {
                    b.append("    in ").append(c.dir()).append(":\n");
                    dir = c.dir();
                }
                b.append("      $ ").append(c.display()).append('\n');
            }
        }
        if (!placeholders.isEmpty()) {
            b.append("\nPlaceholders:\n");
            for (String p : placeholders) {
                b.append("  ").append(p).append('\n');
            }
        }
        return b.toString();
    }
}
