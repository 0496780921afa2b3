package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.CheckForNull;

/**
 * Workspace-relative paths the plugin writes to or archives from. They must stay inside the
 * workspace: no absolute path, no {@code ..} segment, no drive letter, no backslash tricks.
 */
public final class WorkspacePaths {
    private WorkspacePaths() {
    }

    /**
     * Checks a workspace-relative directory.
     *
     * @return null when fine, else a message naming the field and the accepted form
     */
    @CheckForNull
    public static String checkRelative(String field, String path) {
        String accepted = "expected a directory relative to the workspace, such as lustre-rpms or out/el8"
                + " (no leading '/', no '..')";
        if (path == null || path.isBlank()) {
            return field + ": empty; " + accepted;
        }
        if (path.startsWith("/") || path.startsWith("\\") || path.contains("\\") || path.matches("^[A-Za-z]:.*")
                || path.indexOf('\0') >= 0 || path.startsWith("-")) {
            return field + ": '" + path + "' is not relative; " + accepted;
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..") || segment.equals(".") && path.equals(".")) {
                return field + ": '" + path + "' leaves or is the workspace itself; " + accepted;
            }
        }
        return null;
    }

    /** {@code a/./b/} as {@code a/b}. */
    public static String normalize(String path) {
        StringBuilder b = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(segment);
        }
        return b.toString();
    }
}
