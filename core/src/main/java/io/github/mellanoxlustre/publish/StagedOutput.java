package io.github.mellanoxlustre.publish;

import io.github.mellanoxlustre.files.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The output of one build while it is being made: a staging directory beside the output directory
 * (and one beside the withheld directory), renamed into place in one step by {@link #commit()} only
 * when everything is written. Until then nothing is at the output path; a build that fails or is
 * aborted {@link #close() closes} without committing and its staging directories are deleted.
 *
 * <p>The output (and withheld) directory must not exist or be empty, unless {@code replace} is set:
 * then the old one is renamed aside, the new one renamed in, and the old one deleted.
 */
public final class StagedOutput implements AutoCloseable {
    private final Path output;
    private final Path withheld;
    private final boolean replace;
    private final Path staging;
    private final Path withheldStaging;
    private boolean committed;

    private StagedOutput(Path output, Path withheld, boolean replace) throws IOException {
        this.output = output.toAbsolutePath().normalize();
        this.withheld = withheld.toAbsolutePath().normalize();
        this.replace = replace;
        String id = UUID.randomUUID().toString().substring(0, 8);
        Files.createDirectories(this.output.getParent());
        Files.createDirectories(this.withheld.getParent());
        this.staging = Files.createDirectory(this.output.resolveSibling("." + this.output.getFileName() + ".staging-" + id));
        this.withheldStaging = this.withheld.resolveSibling("." + this.withheld.getFileName() + ".staging-" + id);
    }

    /** Checks the targets and creates the staging directory. */
    public static StagedOutput create(Path output, Path withheld, boolean replace) throws IOException {
        checkTarget("outputDir", output, replace);
        checkTarget("withheldDir", withheld, replace);
        return new StagedOutput(output, withheld, replace);
    }

    /** Fails unless the directory may be published into. */
    public static void checkTarget(String field, Path dir, boolean replace) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(field + ": '" + dir + "' exists and is not a directory");
        }
        if (!replace && !FileTrees.absentOrEmpty(dir)) {
            throw new IOException(field + ": '" + dir + "' exists and is not empty; remove it, choose another "
                    + "directory, or replace it (--replace-output)");
        }
    }

    /** The staging directory that becomes the output. */
    public Path dir() {
        return staging;
    }

    /** The staging directory that becomes the withheld directory (created on first use). */
    public Path withheldDir() throws IOException {
        Files.createDirectories(withheldStaging);
        return withheldStaging;
    }

    /** Whether anything was withheld. */
    public boolean hasWithheld() {
        return Files.isDirectory(withheldStaging);
    }

    /** The final output directory. */
    public Path output() {
        return output;
    }

    /** The final withheld directory. */
    public Path withheld() {
        return withheld;
    }

    /**
     * Renames the staging directories into place: the withheld one first (if any), the output
     * last, so a published output always has its withheld directory beside it.
     */
    public void commit() throws IOException {
        if (hasWithheld()) {
            move(withheldStaging, withheld);
        } else if (replace && Files.isDirectory(withheld)) {
            // a stale withheld directory of an earlier build would be mistaken for this one's
            Path aside = withheld.resolveSibling("." + withheld.getFileName() + ".old-" + UUID.randomUUID());
            Files.move(withheld, aside);
            FileTrees.deleteQuietly(aside);
        }
        try {
            move(staging, output);
        } catch (IOException e) {
            if (hasWithheld()) {
                FileTrees.deleteQuietly(withheld);
            }
            throw e;
        }
        committed = true;
    }

    private void move(Path from, Path to) throws IOException {
        if (FileTrees.absentOrEmpty(to)) {
            FileTrees.atomicRename(from, to);
            return;
        }
        if (!replace) {
            throw new IOException("'" + to + "' appeared while the build ran and is not empty; nothing was published");
        }
        Path aside = to.resolveSibling("." + to.getFileName() + ".old-" + UUID.randomUUID());
        Files.move(to, aside);
        try {
            FileTrees.atomicRename(from, to);
        } catch (IOException e) {
            Files.move(aside, to);
            throw e;
        }
        FileTrees.deleteQuietly(aside);
    }

    /** Deletes the staging directories unless committed. */
    @Override
    public void close() {
        if (!committed) {
            FileTrees.deleteQuietly(staging);
            FileTrees.deleteQuietly(withheldStaging);
        }
    }
}
