package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.util.FormValidation;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * An MLNX_OFED bundle, {@code MLNX_OFED_LINUX-<version>-<distro>-<arch>.tgz} (Pipeline:
 * {@code ofed: ofedBundle('...')}): its {@code mlnx-ofa_kernel} source RPM is rebuilt for the target
 * kernel. The flat names {@code bundle}, {@code bundleSha256} and {@code bundleCredentialsId} of older
 * scripts set the same.
 */
public final class OfedBundle extends OfedLocation {
    private static final long serialVersionUID = 1L;

    @DataBoundConstructor
    public OfedBundle(String location) {
        super(location);
    }

    @Override
    void fillLocation(BuildOptions options, String value) {
        options.setBundle(value);
    }

    @Extension
    @Symbol("ofedBundle")
    public static final class DescriptorImpl extends LocationDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.OfedBundle_DisplayName();
        }

        @Override
        FormValidation checkLocation(@CheckForNull Item item, @CheckForNull String value, @CheckForNull String sha256) {
            return validation().checkBundleLocation(item, value, sha256);
        }
    }
}
