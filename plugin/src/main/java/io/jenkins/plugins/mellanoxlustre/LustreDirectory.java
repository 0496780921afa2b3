package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * Lustre from a source tree on the agent (Pipeline: {@code lustre: lustreDirectory('lustre-release')}),
 * relative to the workspace or absolute, instead of a git clone. The flat name {@code lustreSourceDir}
 * of older scripts sets the same.
 */
public final class LustreDirectory extends LustreSource {
    private static final long serialVersionUID = 1L;

    private final String directory;

    @DataBoundConstructor
    public LustreDirectory(String directory) {
        this.directory = directory == null ? "" : directory.strip();
    }

    @Override
    void fill(BuildOptions options) {
        options.setLustreSourceDir(directory);
    }

    public String getDirectory() {
        return directory;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LustreDirectory other && directory.equals(other.directory);
    }

    @Override
    public int hashCode() {
        return directory.hashCode();
    }

    @Override
    public String toString() {
        return "LustreDirectory[" + directory + "]";
    }

    @Extension
    @Symbol("lustreDirectory")
    public static final class DescriptorImpl extends LustreSourceDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.LustreDirectory_DisplayName();
        }
    }
}
