package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;
import java.io.Serializable;
import java.util.Objects;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The kernel the build targets, the step's and the builder's {@code kernel} parameter (Pipeline:
 * {@code kernel: targetKernel(release: '4.18.0-553.27.1.el8_lustre.x86_64')}): its release, and the
 * directory of its build tree when it is not {@code /lib/modules/<release>/build}. Both empty: the
 * agent's running kernel. The flat names {@code kernelRelease} and {@code kernelSourceDir} of older
 * scripts set the same.
 */
public final class TargetKernel implements Describable<TargetKernel>, Serializable {
    private static final long serialVersionUID = 1L;

    private String release = "";
    private String sourceDir = "";

    @DataBoundConstructor
    public TargetKernel() {
        // both fields are optional
    }

    /** Writes this kernel into {@code options}. */
    void applyTo(BuildOptions options) {
        options.setKernelRelease(release);
        options.setKernelSourceDir(sourceDir);
    }

    /** The kernel {@code options} name. */
    static TargetKernel of(BuildOptions options) {
        TargetKernel k = new TargetKernel();
        k.setRelease(options.getKernelRelease());
        k.setSourceDir(options.getKernelSourceDir());
        return k;
    }

    public String getRelease() {
        return release;
    }

    @DataBoundSetter
    public void setRelease(String release) {
        this.release = release == null ? "" : release.strip();
    }

    public String getSourceDir() {
        return sourceDir;
    }

    @DataBoundSetter
    public void setSourceDir(String sourceDir) {
        this.sourceDir = sourceDir == null ? "" : sourceDir.strip();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TargetKernel other && release.equals(other.release) && sourceDir.equals(other.sourceDir);
    }

    @Override
    public int hashCode() {
        return Objects.hash(release, sourceDir);
    }

    @Override
    public String toString() {
        return "TargetKernel[" + release + ", " + sourceDir + "]";
    }

    /** The form check of the release, {@code @POST} and permission-checked as every other option's. */
    @Extension
    @Symbol("targetKernel")
    public static final class DescriptorImpl extends Descriptor<TargetKernel> {
        private final transient OptionsValidation validation = new OptionsValidation();

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.TargetKernel_DisplayName();
        }

        @POST
        public FormValidation doCheckRelease(@AncestorInPath Item item, @QueryParameter String value) {
            return validation.checkKernelRelease(item, value);
        }
    }
}
