package io.github.mellanoxlustre.engine.phase;

import io.github.mellanoxlustre.kernel.ResolvedKernel;
import java.nio.file.Path;
import java.util.List;

/**
 * What the phases before publishing established, for the manifest.
 *
 * @param kernel          the target kernel
 * @param symversSha256   SHA-256 of the kernel's Module.symvers
 * @param input           what phase 2 made of the OFED source
 * @param ofed            phase 3's outcome
 * @param o2ib            the --with-o2ib directory
 * @param lustre          the Lustre tree
 * @param configureArgv   the configure command
 */
public record BuildFacts(ResolvedKernel kernel, String symversSha256, OfedInput input, OfedRebuildPhase.Result ofed,
                  Path o2ib, LustreTree lustre, List<String> configureArgv) {
}
