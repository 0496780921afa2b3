package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Describable;
import hudson.model.Descriptor;
import java.io.Serializable;

/**
 * Where a build gets MLNX_OFED or DOCA-OFED, the step's and the builder's {@code ofed} parameter:
 * exactly one of {@link OfedBundle} ({@code ofedBundle}), {@link OfedSourceRpm} ({@code ofedSourceRpm}),
 * {@link DocaRepository} ({@code docaRepository}) or {@link InstalledOfed} ({@code installedOfed}),
 * chosen in the form from a drop-down, so that two sources cannot be configured at once.
 *
 * <p>A view of {@link BuildOptions}, which stays the one stored form of every option ({@code config.xml},
 * the running build's state): {@link #applyTo} writes a source into the options' flat fields and
 * {@link #of} reads it back, so the flat Pipeline names of older scripts and the nested ones meet in
 * the same fields.
 */
public abstract class OfedSource implements Describable<OfedSource>, Serializable {
    private static final long serialVersionUID = 1L;

    /** Writes this source into {@code options}; the other OFED sources there are cleared first. */
    final void applyTo(BuildOptions options) {
        clear(options);
        fill(options);
    }

    /** Clears every OFED source field of {@code options}. */
    static void clear(BuildOptions options) {
        options.setBundle("");
        options.setOfedSrpm("");
        options.setDocaRepo("");
        options.setOfedInstalled(false);
        options.setOfedInstalledDir("");
        options.setBundleSha256("");
        options.setBundleCredentialsId("");
    }

    /** Sets this source's own fields in cleared options. */
    abstract void fill(BuildOptions options);

    /**
     * The source {@code options} name, or null when they name none (the build then says which to give).
     * When more than one is set (possible only with the flat names), the first in the order bundle,
     * source RPM, DOCA repository, installed OFED; the build refuses such options anyway.
     */
    @CheckForNull
    static OfedSource of(BuildOptions options) {
        if (!options.getBundle().isEmpty()) {
            return OfedLocation.read(new OfedBundle(options.getBundle()), options);
        }
        if (!options.getOfedSrpm().isEmpty()) {
            return OfedLocation.read(new OfedSourceRpm(options.getOfedSrpm()), options);
        }
        if (!options.getDocaRepo().isEmpty()) {
            return OfedLocation.read(new DocaRepository(options.getDocaRepo()), options);
        }
        if (options.isOfedInstalled()) {
            InstalledOfed installed = new InstalledOfed();
            installed.setDirectory(options.getOfedInstalledDir());
            return installed;
        }
        return null;
    }

    /** The descriptors of the OFED sources: what the form's drop-down offers. */
    public abstract static class OfedSourceDescriptor extends Descriptor<OfedSource> {
        private final transient OptionsValidation validation = new OptionsValidation();

        /** The form's checks and lists: the same as every other option's. */
        final OptionsValidation validation() {
            return validation;
        }
    }
}
