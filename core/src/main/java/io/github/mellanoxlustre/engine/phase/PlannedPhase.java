package io.github.mellanoxlustre.engine.phase;

import java.util.List;

/**
 * One phase of a build's plan ({@code BuildEngine.plan}).
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

    /** The plan of {@code phase}, numbered and titled from the {@link Phase} table. */
    public PlannedPhase(Phase phase, String detail, List<String> notes, List<PlannedCommand> commands) {
        this(phase.number(), phase.title(), detail, notes, commands);
    }
}
