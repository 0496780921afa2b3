package io.jenkins.plugins.mellanoxlustre;

import hudson.model.Describable;
import hudson.model.Descriptor;
import io.github.mellanoxlustre.request.BuildSpec;
import java.io.Serializable;

/**
 * Where a build gets Lustre, the step's and the builder's {@code lustre} parameter: a git repository
 * and ref ({@link LustreGit}, {@code lustreGit}, the default: lustre-release's {@code master}) or a
 * source tree on the agent ({@link LustreDirectory}, {@code lustreDirectory}). A view of
 * {@link BuildOptions}' flat fields, as {@link OfedSource} is.
 */
public abstract class LustreSource implements Describable<LustreSource>, Serializable {
    private static final long serialVersionUID = 1L;

    /** Writes this source into {@code options}, replacing the Lustre source there. */
    final void applyTo(BuildOptions options) {
        options.setLustreRepository(BuildSpec.DEFAULT_LUSTRE_REPOSITORY);
        options.setLustreRef(BuildSpec.DEFAULT_LUSTRE_REF);
        options.setLustreCredentialsId("");
        options.setLustreSourceDir("");
        fill(options);
    }

    /** Sets this source's own fields in options that hold the default source. */
    abstract void fill(BuildOptions options);

    /** The source {@code options} name: a source directory when one is set, else git. */
    static LustreSource of(BuildOptions options) {
        if (!options.getLustreSourceDir().isEmpty()) {
            return new LustreDirectory(options.getLustreSourceDir());
        }
        LustreGit git = new LustreGit();
        git.setRepository(options.getLustreRepository());
        git.setRef(options.getLustreRef());
        git.setCredentialsId(options.getLustreCredentialsId());
        return git;
    }

    /** The descriptors of the Lustre sources: what the form's drop-down offers. */
    public abstract static class LustreSourceDescriptor extends Descriptor<LustreSource> {
        private final transient OptionsValidation validation = new OptionsValidation();

        /** The form's checks and lists: the same as every other option's. */
        final OptionsValidation validation() {
            return validation;
        }
    }
}
