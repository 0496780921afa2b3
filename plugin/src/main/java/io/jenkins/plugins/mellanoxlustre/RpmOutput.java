package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.github.mellanoxlustre.request.BuildSpec;
import java.io.Serializable;
import java.util.Objects;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * What the build publishes and how, the step's and the builder's {@code output} parameter (Pipeline:
 * {@code output: rpmOutput(policy: 'internal', directory: 'out/el8')}): the distribution policy that
 * decides which RPMs may be published, the workspace directory they are published to, and whether
 * they are archived (archiving is distributing). The flat names {@code policy}, {@code outputDir} and
 * {@code archive} of older scripts set the same.
 */
public final class RpmOutput implements Describable<RpmOutput>, Serializable {
    private static final long serialVersionUID = 1L;

    private String directory = BuildOptions.DEFAULT_OUTPUT_DIR;
    private String policy = BuildSpec.DEFAULT_POLICY;
    private boolean archive = true;

    @DataBoundConstructor
    public RpmOutput() {
        // every field has a default
    }

    /** Writes this output into {@code options}. */
    void applyTo(BuildOptions options) {
        options.setOutputDir(directory);
        options.setPolicy(policy);
        options.setArchive(archive);
    }

    /** The output {@code options} name. */
    static RpmOutput of(BuildOptions options) {
        RpmOutput out = new RpmOutput();
        out.setDirectory(options.getOutputDir());
        out.setPolicy(options.getPolicy());
        out.setArchive(options.isArchive());
        return out;
    }

    public String getDirectory() {
        return directory;
    }

    @DataBoundSetter
    public void setDirectory(String directory) {
        this.directory = directory == null || directory.isBlank() ? BuildOptions.DEFAULT_OUTPUT_DIR : directory.strip();
    }

    public String getPolicy() {
        return policy;
    }

    @DataBoundSetter
    public void setPolicy(String policy) {
        this.policy = policy == null || policy.isBlank() ? BuildSpec.DEFAULT_POLICY : policy.strip();
    }

    public boolean isArchive() {
        return archive;
    }

    @DataBoundSetter
    public void setArchive(boolean archive) {
        this.archive = archive;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RpmOutput other && directory.equals(other.directory) && policy.equals(other.policy)
                && archive == other.archive;
    }

    @Override
    public int hashCode() {
        return Objects.hash(directory, policy, archive);
    }

    @Override
    public String toString() {
        return "RpmOutput[" + directory + ", " + policy + ", archive=" + archive + "]";
    }

    /** The form checks of the directory and the policy, {@code @POST} and permission-checked. */
    @Extension
    @Symbol("rpmOutput")
    public static final class DescriptorImpl extends Descriptor<RpmOutput> {
        private final transient OptionsValidation validation = new OptionsValidation();

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.RpmOutput_DisplayName();
        }

        @POST
        public FormValidation doCheckDirectory(@AncestorInPath Item item, @QueryParameter String value) {
            return validation.checkOutputDir(item, value);
        }

        @POST
        public FormValidation doCheckPolicy(@AncestorInPath Item item, @QueryParameter String value) {
            return validation.checkPolicy(item, value);
        }
    }
}
