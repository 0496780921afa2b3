package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The OFED already installed on the agent (Pipeline: {@code ofed: installedOfed()}), found by
 * {@code ofed_info}, or in {@code directory}: an installed {@code mlnx-ofa_kernel} tree or a root
 * directory that holds one. Its kernel modules are rebuilt from its source RPM, or with DOCA-Host's
 * {@code doca-kernel-support} (the step's {@code ofedRebuild}). The flat names {@code ofedInstalled}
 * and {@code ofedInstalledDir} of older scripts set the same.
 */
public final class InstalledOfed extends OfedSource {
    private static final long serialVersionUID = 1L;

    private String directory = "";

    @DataBoundConstructor
    public InstalledOfed() {
        // the directory is optional
    }

    @Override
    void fill(BuildOptions options) {
        options.setOfedInstalled(true);
        options.setOfedInstalledDir(directory);
    }

    public String getDirectory() {
        return directory;
    }

    @DataBoundSetter
    public void setDirectory(String directory) {
        this.directory = directory == null ? "" : directory.strip();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InstalledOfed other && directory.equals(other.directory);
    }

    @Override
    public int hashCode() {
        return directory.hashCode();
    }

    @Override
    public String toString() {
        return "InstalledOfed[" + directory + "]";
    }

    @Extension
    @Symbol("installedOfed")
    public static final class DescriptorImpl extends OfedSourceDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.InstalledOfed_DisplayName();
        }
    }
}
