package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.Objects;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * An OFED source that is a file or repository at a location (a path on the agent, an https:// URL,
 * or sftp:// and scp:// with SSH credentials), with the SHA-256 the build verifies it against: the
 * fields, form and help ({@code OfedLocation/config.jelly}) that {@link OfedBundle},
 * {@link OfedSourceRpm} and {@link DocaRepository} share.
 */
public abstract class OfedLocation extends OfedSource {
    private static final long serialVersionUID = 1L;

    private final String location;
    private String sha256 = "";
    private String credentialsId = "";

    protected OfedLocation(String location) {
        this.location = location == null ? "" : location.strip();
    }

    /** {@code source} with the checksum and credentials {@code options} hold. */
    static OfedLocation read(OfedLocation source, BuildOptions options) {
        source.setSha256(options.getBundleSha256());
        source.setCredentialsId(options.getBundleCredentialsId());
        return source;
    }

    @Override
    final void fill(BuildOptions options) {
        fillLocation(options, location);
        options.setBundleSha256(sha256);
        options.setBundleCredentialsId(credentialsId);
    }

    /** Sets the options' field of this kind of location. */
    abstract void fillLocation(BuildOptions options, String value);

    public String getLocation() {
        return location;
    }

    public String getSha256() {
        return sha256;
    }

    @DataBoundSetter
    public void setSha256(String sha256) {
        this.sha256 = sha256 == null ? "" : sha256.strip();
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
        return o != null && o.getClass() == getClass() && location.equals(((OfedLocation) o).location)
                && sha256.equals(((OfedLocation) o).sha256) && credentialsId.equals(((OfedLocation) o).credentialsId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass(), location, sha256, credentialsId);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + location + "]";
    }

    /**
     * The form checks of a location's fields, under the job's URL ({@code @AncestorInPath} is the job),
     * {@code @POST} and permission-checked as every other option's. Each kind checks its location as
     * the build does ({@link #checkLocation}).
     */
    public abstract static class LocationDescriptor extends OfedSourceDescriptor {

        /** The location, checked as the build checks this kind of location. */
        abstract FormValidation checkLocation(@CheckForNull Item item, @CheckForNull String value,
                                              @CheckForNull String sha256);

        @POST
        public FormValidation doCheckLocation(@AncestorInPath Item item, @QueryParameter String value,
                                              @QueryParameter String sha256) {
            return checkLocation(item, value, sha256);
        }

        @POST
        public FormValidation doCheckSha256(@AncestorInPath Item item, @QueryParameter String value) {
            return validation().checkBundleSha256(item, value);
        }

        @POST
        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value,
                                                   @QueryParameter String location) {
            return validation().checkBundleCredentialsId(item, value, location);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item,
                                                     @QueryParameter String credentialsId,
                                                     @QueryParameter String location) {
            return validation().fillCredentials(item, credentialsId, location);
        }
    }
}
