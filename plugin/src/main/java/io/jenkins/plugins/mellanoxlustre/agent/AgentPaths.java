package io.jenkins.plugins.mellanoxlustre.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import io.jenkins.plugins.mellanoxlustre.ArchivedFile;

/** Agent-side path handling: workspace containment, the archive list, digests. */
final class AgentPaths {
    private AgentPaths() {
    }

    /**
     * Resolves a workspace-relative directory (already checked for {@code ..} and absolute forms on the
     * controller) and makes sure it still lies inside the workspace once symbolic links are followed.
     */
    static Path inside(Path workspace, String relative, String field) throws IOException {
        Path ws = workspace.toAbsolutePath().normalize();
        Path p = ws.resolve(relative).normalize();
        if (!p.startsWith(ws) || p.equals(ws)) {
            throw new IOException(field + ": '" + relative + "' is not a directory inside the workspace");
        }
        Path existing = p;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing != null && !existing.toRealPath().startsWith(ws.toRealPath())) {
            throw new IOException(field + ": '" + relative + "' leads out of the workspace through a symbolic link");
        }
        return p;
    }

    /** {@code dir@tmp} beside the workspace, as Jenkins' {@code WorkspaceList.tempDir} names it. */
    static Path tempDir(Path workspace) {
        Path ws = workspace.toAbsolutePath().normalize();
        return ws.resolveSibling(ws.getFileName() + "@tmp");
    }

    /**
     * A path as shown to users: relative to the workspace with '/' when inside it ({@code .} for the
     * workspace itself, as the controller names it), else absolute.
     */
    static String shown(Path workspace, Path file) {
        Path ws = workspace.toAbsolutePath().normalize();
        Path f = file.toAbsolutePath().normalize();
        if (f.equals(ws)) {
            return ".";
        }
        if (f.startsWith(ws)) {
            return ws.relativize(f).toString().replace('\\', '/');
        }
        return f.toString();
    }

    /**
     * Every regular file below {@code dir} fit to archive, sorted: symbolic links are neither followed
     * nor listed, and any file in {@code exclude} (absolute, normalized) is left out.
     */
    static List<ArchivedFile> archivable(Path workspace, Path dir, Set<Path> exclude) throws IOException {
        List<ArchivedFile> out = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !exclude.contains(file.toAbsolutePath().normalize())) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(null);
        for (Path f : files) {
            out.add(new ArchivedFile(shown(workspace, f), md5(f), Files.size(f)));
        }
        return out;
    }

    /** Lower-case hex MD5, the digest Jenkins' fingerprints use. */
    static String md5(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("MD5 is not available on this agent's JVM", e);
        }
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
