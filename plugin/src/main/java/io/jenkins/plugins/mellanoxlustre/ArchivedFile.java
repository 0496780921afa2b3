package io.jenkins.plugins.mellanoxlustre;

import java.io.Serializable;

/**
 * A regular file the agent found fit to archive (never a symbolic link, never a forbidden RPM),
 * with its MD5 for the fingerprint record.
 */
public final class ArchivedFile implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String workspacePath;
    private final String md5;
    private final long size;

    /**
     * @param workspacePath the path relative to the workspace, with '/' separators
     * @param md5           lower-case hex MD5 of the content
     * @param size          bytes
     */
    public ArchivedFile(String workspacePath, String md5, long size) {
        this.workspacePath = workspacePath;
        this.md5 = md5;
        this.size = size;
    }

    public String getWorkspacePath() {
        return workspacePath;
    }

    public String getMd5() {
        return md5;
    }

    public long getSize() {
        return size;
    }

    /** The file name without directories, as the fingerprint records it. */
    public String getFileName() {
        int slash = workspacePath.lastIndexOf('/');
        return slash < 0 ? workspacePath : workspacePath.substring(slash + 1);
    }
}
