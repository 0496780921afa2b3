package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.github.mellanoxlustre.request.BuildSpec;
import java.util.Objects;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Lustre from a git repository (Pipeline: {@code lustre: lustreGit(ref: '2.17.0')}): a branch, tag or
 * commit of {@code repository} (default lustre-release on GitHub, ref {@code master}), cloned over
 * https or, with SSH credentials, over ssh. The flat names {@code lustreRepository}, {@code lustreRef}
 * and {@code lustreCredentialsId} of older scripts set the same.
 */
public final class LustreGit extends LustreSource {
    private static final long serialVersionUID = 1L;

    private String repository = BuildSpec.DEFAULT_LUSTRE_REPOSITORY;
    private String ref = BuildSpec.DEFAULT_LUSTRE_REF;
    private String credentialsId = "";

    @DataBoundConstructor
    public LustreGit() {
        // every field has a default
    }

    @Override
    void fill(BuildOptions options) {
        options.setLustreRepository(repository);
        options.setLustreRef(ref);
        options.setLustreCredentialsId(credentialsId);
    }

    public String getRepository() {
        return repository;
    }

    @DataBoundSetter
    public void setRepository(String repository) {
        this.repository = repository == null || repository.isBlank() ? BuildSpec.DEFAULT_LUSTRE_REPOSITORY
                : repository.strip();
    }

    public String getRef() {
        return ref;
    }

    @DataBoundSetter
    public void setRef(String ref) {
        this.ref = ref == null || ref.isBlank() ? BuildSpec.DEFAULT_LUSTRE_REF : ref.strip();
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = credentialsId == null ? "" : credentialsId.strip();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LustreGit other && repository.equals(other.repository) && ref.equals(other.ref)
                && credentialsId.equals(other.credentialsId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(repository, ref, credentialsId);
    }

    @Override
    public String toString() {
        return "LustreGit[" + repository + "@" + ref + "]";
    }

    /** The form checks of the git fields, {@code @POST} and permission-checked as every other option's. */
    @Extension
    @Symbol("lustreGit")
    public static final class DescriptorImpl extends LustreSourceDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.LustreGit_DisplayName();
        }

        @POST
        public FormValidation doCheckRepository(@AncestorInPath Item item, @QueryParameter String value) {
            return validation().checkLustreRepository(item, value, "");
        }

        @POST
        public FormValidation doCheckRef(@AncestorInPath Item item, @QueryParameter String value) {
            return validation().checkLustreRef(item, value);
        }

        @POST
        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value,
                                                   @QueryParameter String repository) {
            return validation().checkCredentialsId(item, value, false, repository);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item,
                                                     @QueryParameter String credentialsId,
                                                     @QueryParameter String repository) {
            return validation().fillCredentials(item, credentialsId, repository);
        }
    }
}
