package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.util.FormValidation;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * A DOCA-Host repository (Pipeline: {@code ofed: docaRepository('...')}): a local directory or
 * an archive of one, from which the {@code mlnx-ofa_kernel} source RPM is taken. The flat name {@code docaRepo}
 * of older scripts sets the same.
 */
public final class DocaRepository extends OfedLocation {
    private static final long serialVersionUID = 1L;

    @DataBoundConstructor
    public DocaRepository(String location) {
        super(location);
    }

    @Override
    void fillLocation(BuildOptions options, String value) {
        options.setDocaRepo(value);
    }

    @Extension
    @Symbol("docaRepository")
    public static final class DescriptorImpl extends LocationDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.DocaRepository_DisplayName();
        }

        @Override
        FormValidation checkLocation(@CheckForNull Item item, @CheckForNull String value, @CheckForNull String sha256) {
            return validation().checkDocaRepoLocation(item, value, sha256);
        }
    }
}
