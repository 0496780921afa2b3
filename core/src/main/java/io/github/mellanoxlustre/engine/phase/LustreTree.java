package io.github.mellanoxlustre.engine.phase;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The Lustre source tree a build configures and builds.
 *
 * @param dir     the tree in the work directory
 * @param origin  where it came from: the git URL or the local directory
 * @param ref     the ref asked for (git), empty for a local directory
 * @param commit  the commit checked out (or the local directory's HEAD, if it is a git checkout)
 * @param dirty   whether a local directory had uncommitted changes
 */
public record LustreTree(Path dir, String origin, Optional<String> ref, Optional<String> commit, boolean dirty) {
}
