package io.github.mellanoxlustre.engine.phase;

import io.github.mellanoxlustre.files.FileTrees;
import io.github.mellanoxlustre.lustre.GitMirror;
import io.github.mellanoxlustre.lustre.GitSsh;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.process.AbortedException;
import io.github.mellanoxlustre.process.ToolCommand;
import io.github.mellanoxlustre.process.ToolFailedException;
import io.github.mellanoxlustre.request.BuildRequest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Phase 5: the Lustre source tree.
 *
 * <p>From git: a bare mirror in the cache ({@link GitMirror}; cloned once, fetched on reuse, under a
 * file lock so two builds on one machine do not update it at once), the ref resolved to a commit in
 * the mirror, then a local clone into the work directory with that commit checked out (detached).
 * The commit goes into the manifest.
 *
 * <p>From a local directory: the tree is copied into the work directory (files, links as links,
 * permissions), so the build never writes into the user's tree (autogen, configure and make
 * would) and a later edit there cannot change a running build. If it is a git checkout, its HEAD
 * and whether it has uncommitted changes go into the manifest.
 */
public final class LustreSourcePhase {
    static final Phase PHASE = Phase.LUSTRE_SOURCE;

    public static PlannedPhase plan(BuildRequest r, WorkLayout w) {
        List<String> notes = new ArrayList<>();
        List<PlannedCommand> cmds = new ArrayList<>();
        String tree = w.lustre().toString();
        if (r.lustre() instanceof LustreSource.Git git) {
            GitMirror mirrors = new GitMirror(r.cacheDir());
            String mirror = mirrors.mirrorDir(git.url()).toString();
            notes.add("mirror " + mirror + ": cloned when absent, fetched when present (under "
                    + mirrors.lockFile(git.url()).getFileName() + ")");
            git.ssh().ifPresent(s -> notes.add("GIT_SSH_COMMAND: ssh -i <key> -o IdentitiesOnly=yes "
                    + "-o StrictHostKeyChecking=yes -o UserKnownHostsFile=" + s.knownHosts() + " -o BatchMode=yes"));
            cmds.add(new PlannedCommand(mirrors.root().toString(),
                    GitMirror.cloneMirrorArgv(git.url(), "<mirror>.tmp")));
            cmds.add(new PlannedCommand(mirrors.root().toString(), GitMirror.fetchArgv(mirror)));
            cmds.add(new PlannedCommand(mirrors.root().toString(),
                    GitMirror.resolveArgv("--git-dir=" + mirror, git.ref())));
            cmds.add(new PlannedCommand(w.root().toString(), GitMirror.cloneWorkTreeArgv(mirror, tree)));
            cmds.add(new PlannedCommand(tree, GitMirror.checkoutArgv("<commit>")));
            return new PlannedPhase(PHASE, git.url() + " " + git.ref(), notes, cmds);
        }
        LustreSource.Local local = (LustreSource.Local) r.lustre();
        notes.add("copy " + local.dir().toAbsolutePath() + " to " + tree + " (the original is never written)");
        notes.add("record its git HEAD and whether it has uncommitted changes, if it is a git checkout");
        return new PlannedPhase(PHASE, local.dir().toString(), notes, cmds);
    }

    public LustreTree run(PhaseContext ctx, BuildRequest req, WorkLayout w)
            throws ToolFailedException, PhaseFailedException, IOException, AbortedException {
        FileTrees.delete(w.lustre());
        if (req.lustre() instanceof LustreSource.Git git) {
            return fromGit(ctx, req, git, w);
        }
        return fromLocal(ctx, (LustreSource.Local) req.lustre(), w);
    }

    private LustreTree fromGit(PhaseContext ctx, BuildRequest req, LustreSource.Git git, WorkLayout w)
            throws ToolFailedException, PhaseFailedException, IOException, AbortedException {
        GitMirror mirrors = new GitMirror(req.cacheDir());
        Files.createDirectories(mirrors.root());
        Path mirror = mirrors.mirrorDir(git.url());
        Map<String, String> env = new HashMap<>(GitMirror.baseEnvironment());
        GitSsh ssh = null;
        try {
            if (git.ssh().isPresent()) {
                ssh = GitSsh.prepare(git.ssh().get(), w.tmp());
                env.putAll(ssh.environment());
            }
            String commit;
            try (FileChannel ch = FileChannel.open(mirrors.lockFile(git.url()), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock lock = lock(ctx, ch)) {
                if (GitMirror.isMirror(mirror)) {
                    ctx.log("reusing the git mirror " + mirror);
                    ctx.tools().run(cmd(mirrors.root(), GitMirror.fetchArgv(mirror.toString()), env));
                } else {
                    FileTrees.delete(mirror);
                    Path tmp = mirrors.root().resolve(".tmp-" + mirror.getFileName() + "-" + UUID.randomUUID());
                    try {
                        ctx.log("no mirror of " + git.url() + " yet: cloning it into " + mirror);
                        ctx.tools().run(cmd(mirrors.root(), GitMirror.cloneMirrorArgv(git.url(), tmp.toString()), env));
                        FileTrees.atomicRename(tmp, mirror);
                    } finally {
                        FileTrees.deleteQuietly(tmp);
                    }
                }
                commit = resolve(ctx, "--git-dir=" + mirror, git.ref(), mirrors.root(), env, git.url());
                ctx.tools().run(cmd(w.root(), GitMirror.cloneWorkTreeArgv(mirror.toString(), w.lustre().toString()),
                        env));
            }
            ctx.tools().run(cmd(w.lustre(), GitMirror.checkoutArgv(commit), env));
            ctx.log("Lustre " + git.ref() + " is commit " + commit);
            return new LustreTree(w.lustre(), git.url(), Optional.of(git.ref()), Optional.of(commit), false);
        } finally {
            if (ssh != null) {
                ssh.close();
            }
        }
    }

    private static FileLock lock(PhaseContext ctx, FileChannel ch) throws IOException, AbortedException {
        FileLock l = ch.tryLock();
        if (l != null) {
            return l;
        }
        ctx.log("another build is updating the same git mirror; waiting for it");
        try {
            return ch.lock();
        } catch (java.nio.channels.ClosedByInterruptException e) {
            throw new AbortedException(ctx.title(), "aborted while waiting for the git mirror lock");
        }
    }

    private static String resolve(PhaseContext ctx, String gitDir, String ref, Path dir, Map<String, String> env,
                                  String origin)
            throws ToolFailedException, PhaseFailedException, IOException, AbortedException {
        List<String> out;
        try {
            out = ctx.tools().capture(cmd(dir, GitMirror.resolveArgv(gitDir, ref), env));
        } catch (ToolFailedException e) {
            if (e.exitCode() == 1 || e.exitCode() == 128) {
                throw new PhaseFailedException("lustreRef: '" + ref + "' is not a branch, tag or commit of " + origin,
                        List.of(), e);
            }
            throw e;
        }
        String commit = out.isEmpty() ? "" : out.get(out.size() - 1).trim();
        if (!commit.matches("[0-9a-f]{40}([0-9a-f]{24})?")) {
            throw new PhaseFailedException("git rev-parse gave no commit for '" + ref + "'", out);
        }
        return commit;
    }

    private LustreTree fromLocal(PhaseContext ctx, LustreSource.Local local, WorkLayout w)
            throws ToolFailedException, PhaseFailedException, IOException, AbortedException {
        Path src = local.dir().toAbsolutePath().normalize();
        if (!Files.isDirectory(src)) {
            throw new PhaseFailedException("lustreDir: '" + src + "' is not a directory");
        }
        if (!Files.isRegularFile(src.resolve("autogen.sh"))) {
            throw new PhaseFailedException("lustreDir: '" + src + "' has no autogen.sh; expected a lustre-release "
                    + "source tree");
        }
        Optional<String> commit = Optional.empty();
        boolean dirty = false;
        if (Files.exists(src.resolve(".git"))) {
            Map<String, String> env = GitMirror.baseEnvironment();
            try {
                List<String> head = ctx.tools().capture(cmd(src, List.of("git", "-c", "safe.directory=" + src,
                        "rev-parse", "--verify", "HEAD"), env));
                commit = head.isEmpty() ? Optional.empty() : Optional.of(head.get(head.size() - 1).trim());
                List<String> status = ctx.tools().capture(cmd(src, List.of("git", "-c", "safe.directory=" + src,
                        "--no-optional-locks", "status", "--porcelain"), env));
                dirty = status.stream().anyMatch(l -> !l.isBlank());
            } catch (ToolFailedException e) {
                ctx.log("warning: " + src + " has .git but git cannot read it (" + e.getMessage()
                        + "); the manifest records no commit");
            }
        }
        ctx.log("copying " + src + " to " + w.lustre());
        FileTrees.copyTree(src, w.lustre());
        commit.ifPresent(c -> ctx.log("local tree at commit " + c));
        return new LustreTree(w.lustre(), src.toString(), Optional.empty(), commit, dirty);
    }

    private static ToolCommand cmd(Path dir, List<String> argv, Map<String, String> env) {
        return ToolCommand.of(dir, argv).withEnv(env);
    }
}
