package io.github.mellanoxlustre.build;

import java.util.List;

/**
 * One phase of a {@link BuildPlan}.
 *
 * @param index    1-based phase number
 * @param title    its title
 * @param detail   shown after the title in parentheses (e.g. the rebuild method), may be empty
 * @param notes    what the phase does that is not a command (checks, fetches, file moves)
 * @param commands the commands it runs, in order
 */
public record PlannedPhase(int index, String title, String detail, List<String> notes, List<PlannedCommand> commands) {
    public PlannedPhase {
        notes = List.copyOf(notes);
        commands = List.copyOf(commands);
    }
}
