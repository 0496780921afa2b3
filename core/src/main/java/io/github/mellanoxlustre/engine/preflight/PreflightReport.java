package io.github.mellanoxlustre.engine.preflight;

import io.github.mellanoxlustre.kernel.ResolvedKernel;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the preflight found, reported at once.
 *
 * @param problems    what stops the build, in the order checked; empty when it can go ahead
 * @param kernel      the resolved target kernel, when it could be resolved
 * @param agentDistro the machine's distribution, when it could be read
 * @param notes       information that does not stop the build (e.g. a skipped distro check)
 * @param workSpace   the free space measured for the work directory, when it could be measured (the
 *                    build lowers the extraction limit to it)
 */
public record PreflightReport(List<Problem> problems, Optional<ResolvedKernel> kernel,
                              Optional<AgentDistro> agentDistro, List<String> notes, Optional<FreeSpace> workSpace) {

    /**
     * Free space measured for a directory.
     *
     * @param dir         the directory (it may not exist yet: the space is that of its nearest existing
     *                    ancestor's file system)
     * @param fileSystem  the file system, as the JVM names it (e.g. {@code /work (/dev/sda1)})
     * @param usableBytes the bytes this process may still write there
     */
    public record FreeSpace(Path dir, String fileSystem, long usableBytes) {
        public FreeSpace {
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(fileSystem, "fileSystem");
        }
    }

    /**
     * One problem.
     *
     * @param message       what is wrong, with the numbers or paths involved
     * @param elPackage     the RHEL-family package that fixes it, if a package does
     * @param debianPackage the Debian/Ubuntu package that fixes it, if a package does
     */
    public record Problem(String message, Optional<String> elPackage, Optional<String> debianPackage) {
        public Problem {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(elPackage, "elPackage");
            Objects.requireNonNull(debianPackage, "debianPackage");
        }

        /** A problem no package fixes. */
        public static Problem of(String message) {
            return new Problem(message, Optional.empty(), Optional.empty());
        }
    }

    public PreflightReport {
        problems = List.copyOf(problems);
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(agentDistro, "agentDistro");
        notes = List.copyOf(notes);
        Objects.requireNonNull(workSpace, "workSpace");
    }

    /** Whether the build may go ahead. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** The RHEL-family packages to install, without duplicates, in problem order. */
    public List<String> elPackages() {
        Set<String> set = new LinkedHashSet<>();
        problems.forEach(p -> p.elPackage().ifPresent(set::add));
        return List.copyOf(set);
    }

    /** The Debian/Ubuntu packages to install, without duplicates, in problem order. */
    public List<String> debianPackages() {
        Set<String> set = new LinkedHashSet<>();
        problems.forEach(p -> p.debianPackage().ifPresent(set::add));
        return List.copyOf(set);
    }

    /**
     * The report as the build log shows it: each problem on its own line, then the install command(s)
     * for the machine's package family (both when the family is unknown).
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (ok()) {
            sb.append("preflight: all checks passed");
        } else {
            sb.append("preflight: ").append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
                    .append(" found:");
            for (Problem p : problems) {
                sb.append("\n  - ").append(p.message());
            }
            String family = agentDistro.map(AgentDistro::family).orElse("other");
            List<String> el = elPackages();
            List<String> deb = debianPackages();
            if (!el.isEmpty() && "suse".equals(family)) {
                sb.append("\n  install: zypper install ").append(String.join(" ", el));
            } else if (!el.isEmpty() && !"debian".equals(family)) {
                sb.append("\n  install on RHEL-family machines: dnf install ").append(String.join(" ", el));
            }
            if (!deb.isEmpty() && !"el".equals(family)) {
                sb.append("\n  install on Debian/Ubuntu machines: apt-get install ").append(String.join(" ", deb));
            }
        }
        for (String note : notes) {
            sb.append("\n  note: ").append(note);
        }
        return sb.toString();
    }
}
