package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.util.FormValidation;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * A bare {@code mlnx-ofa_kernel} source RPM (Pipeline: {@code ofed: ofedSourceRpm('...')}), rebuilt
 * for the target kernel without a bundle around it. The flat name {@code ofedSrpm} of older scripts sets the same.
 */
public final class OfedSourceRpm extends OfedLocation {
    private static final long serialVersionUID = 1L;

    @DataBoundConstructor
    public OfedSourceRpm(String location) {
        super(location);
    }

    @Override
    void fillLocation(BuildOptions options, String value) {
        options.setOfedSrpm(value);
    }

    @Extension
    @Symbol("ofedSourceRpm")
    public static final class DescriptorImpl extends LocationDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.OfedSourceRpm_DisplayName();
        }

        @Override
        FormValidation checkLocation(@CheckForNull Item item, @CheckForNull String value, @CheckForNull String sha256) {
            return validation().checkOfedSrpmLocation(item, value, sha256);
        }
    }
}
