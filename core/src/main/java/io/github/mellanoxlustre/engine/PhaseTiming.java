package io.github.mellanoxlustre.engine;

import java.time.Duration;

/**
 * How long one phase took.
 *
 * @param index    1-based phase number
 * @param title    the phase title
 * @param elapsed  the phase's wall time
 * @param toolTime the part of it spent inside child processes
 */
public record PhaseTiming(int index, String title, Duration elapsed, Duration toolTime) {
}
