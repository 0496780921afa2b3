package io.jenkins.plugins.mellanoxlustre;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.OfedBundleName;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.policy.PolicyBase;
import io.github.mellanoxlustre.request.BuildSpec;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;

/**
 * The one validation of the build options' form fields, used by {@link BuildOptions.DescriptorImpl}
 * (the flat fields of the Pipeline step's and the freestyle builder's form), by the descriptors of the
 * nested parameters ({@link OfedLocation.LocationDescriptor}, {@link LustreGit.DescriptorImpl},
 * {@link TargetKernel.DescriptorImpl}, {@link RpmOutput.DescriptorImpl}) and by {@link RpmCheckStep}, as
 * warnings-ng's {@code ModelValidation}.
 *
 * <p>It has no rules of its own: a field is checked by putting the typed value into a
 * {@link BuildOptions} and keeping the {@link BuildOptions#problems()} (core's {@link BuildSpec}
 * rules, and the workspace rule of the output directory) that name this field. So the form says
 * exactly what the build would say, with the same message.
 *
 * <p>Permissions: value checks require {@link Item#CONFIGURE} on the job (or
 * {@link Jenkins#ADMINISTER} outside a job) and answer 403 otherwise, so nobody probes the engine's
 * validators anonymously. Credentials lists and checks follow the credentials plugin's
 * {@code docs/consumer.adoc}: without {@link Item#EXTENDED_READ} or {@link CredentialsProvider#USE_ITEM}
 * only the current value is returned and nothing is checked, so no credential id is enumerated.
 */
final class OptionsValidation {
    /** A valid bundle name, so that a checksum is checked alone (core checks it with its bundle). */
    private static final String SAMPLE_BUNDLE = "MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz";

    private final JenkinsFacade jenkins;

    OptionsValidation() {
        this(new JenkinsFacade());
    }

    OptionsValidation(JenkinsFacade jenkins) {
        this.jenkins = jenkins;
    }

    /** Throws (HTTP 403) unless the user may configure the job, or administer Jenkins outside a job. */
    void checkConfigure(@CheckForNull Item item) {
        if (item == null) {
            jenkins.checkPermission(Jenkins.ADMINISTER);
        } else {
            item.checkPermission(Item.CONFIGURE);
        }
    }

    private boolean mayListCredentials(@CheckForNull Item item) {
        if (item == null) {
            return jenkins.hasPermission(Jenkins.ADMINISTER);
        }
        return item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
    }

    private static boolean isBlank(@CheckForNull String value) {
        return value == null || value.isBlank();
    }

    private static boolean isExpression(@CheckForNull String value) {
        return value != null && value.contains("${");
    }

    /**
     * The first of {@code problems} that names {@code field}, as an error without the field's name
     * (the form shows it under the field), else OK.
     */
    static FormValidation of(List<String> problems, String field) {
        String prefix = field + ": ";
        for (String p : problems) {
            if (p.startsWith(prefix)) {
                return FormValidation.error(p.substring(prefix.length()));
            }
        }
        return FormValidation.ok();
    }

    /** What the build would say about {@code field} with only the values {@code typed} sets. */
    static FormValidation validate(String field, Consumer<BuildOptions> typed) {
        BuildOptions options = new BuildOptions();
        typed.accept(options);
        return of(options.problems(), field);
    }

    /**
     * An optional text field: empty and {@code ${VAR}} (expanded when the build runs) are OK, anything
     * else as the build would check it.
     */
    private FormValidation checkOptional(@CheckForNull Item item, String field, @CheckForNull String value,
                                         Consumer<BuildOptions> typed) {
        checkConfigure(item);
        if (isBlank(value) || isExpression(value)) {
            return FormValidation.ok();
        }
        return validate(field, typed);
    }

    FormValidation checkBundle(@CheckForNull Item item, @CheckForNull String value, @CheckForNull String sha256,
                               @CheckForNull String ofedSrpm, @CheckForNull String docaRepo, boolean ofedInstalled) {
        checkConfigure(item);
        boolean other = !isBlank(ofedSrpm) || !isBlank(docaRepo) || ofedInstalled;
        if (isBlank(value)) {
            return other ? FormValidation.ok() : FormValidation.error(Messages.Validation_OneOfedSource());
        }
        if (other) {
            return FormValidation.error(Messages.Validation_OneOfedSource());
        }
        if (isExpression(value)) {
            return FormValidation.warning(Messages.Validation_CannotValidateExpression());
        }
        // A bad checksum is the checksum field's problem, not the bundle's.
        String sum = checkBundleSha256Value(sha256).kind == FormValidation.Kind.OK ? sha256 : "";
        FormValidation result = validate("bundle", o -> {
            o.setBundle(value);
            o.setBundleSha256(sum);
        });
        return result.kind == FormValidation.Kind.OK ? describe(value, sum) : result;
    }

    /** A nested bundle's location: required, then checked as {@link #checkBundle} checks it. */
    FormValidation checkBundleLocation(@CheckForNull Item item, @CheckForNull String value,
                                       @CheckForNull String sha256) {
        checkConfigure(item);
        return isBlank(value) ? FormValidation.error(Messages.Validation_LocationRequired())
                : checkBundle(item, value, sha256, null, null, false);
    }

    /** A nested source RPM's location: required, then checked as {@link #checkOfedSrpm} checks it. */
    FormValidation checkOfedSrpmLocation(@CheckForNull Item item, @CheckForNull String value,
                                         @CheckForNull String sha256) {
        checkConfigure(item);
        return isBlank(value) ? FormValidation.error(Messages.Validation_LocationRequired())
                : checkOfedSrpm(item, value, sha256);
    }

    /** A nested DOCA-Host repository's location: required, then checked as {@link #checkDocaRepo} checks it. */
    FormValidation checkDocaRepoLocation(@CheckForNull Item item, @CheckForNull String value,
                                         @CheckForNull String sha256) {
        checkConfigure(item);
        return isBlank(value) ? FormValidation.error(Messages.Validation_LocationRequired())
                : checkDocaRepo(item, value, sha256);
    }

    /** What the bundle is, read with core's parser of its name. */
    private static FormValidation describe(String value, @CheckForNull String sha256) {
        BundleLocation location = BundleLocation.parse(value.strip(), isBlank(sha256) ? null : sha256.strip());
        OfedBundleName n = location.bundleName();
        return FormValidation.ok("MLNX_OFED " + n.version() + " for " + n.distro() + " " + n.arch()
                + (location instanceof BundleLocation.Ssh ? " (needs SSH credentials and known_hosts)" : ""));
    }

    /** A bare mlnx-ofa_kernel source RPM, checked as the build checks it. */
    FormValidation checkOfedSrpm(@CheckForNull Item item, @CheckForNull String value, @CheckForNull String sha256) {
        String sum = checkBundleSha256Value(sha256).kind == FormValidation.Kind.OK ? sha256 : "";
        return checkOptional(item, "ofedSrpm", value, o -> {
            o.setBundle("");
            o.setOfedSrpm(value);
            o.setBundleSha256(sum);
        });
    }

    /** A DOCA-Host repository, checked as the build checks it (a local directory is only looked at on the agent). */
    FormValidation checkDocaRepo(@CheckForNull Item item, @CheckForNull String value, @CheckForNull String sha256) {
        String sum = checkBundleSha256Value(sha256).kind == FormValidation.Kind.OK ? sha256 : "";
        return checkOptional(item, "docaRepo", value, o -> {
            o.setBundle("");
            o.setDocaRepo(value);
            o.setBundleSha256(sum);
        });
    }

    FormValidation checkBundleSha256(@CheckForNull Item item, @CheckForNull String value) {
        checkConfigure(item);
        return checkBundleSha256Value(value);
    }

    private static FormValidation checkBundleSha256Value(@CheckForNull String value) {
        if (isBlank(value) || isExpression(value)) {
            return FormValidation.ok();
        }
        return validate("bundleSha256", o -> {
            o.setBundle(SAMPLE_BUNDLE);
            o.setBundleSha256(value);
        });
    }

    FormValidation checkKernelRelease(@CheckForNull Item item, @CheckForNull String value) {
        return checkOptional(item, "kernelRelease", value, o -> o.setKernelRelease(value));
    }

    FormValidation checkLustreRepository(@CheckForNull Item item, @CheckForNull String value,
                                         @CheckForNull String lustreSourceDir) {
        checkConfigure(item);
        if (!isBlank(lustreSourceDir)) {
            return FormValidation.ok(Messages.Validation_LustreSourceDirOverrides());
        }
        return checkOptional(item, "lustreRepository", value, o -> o.setLustreRepository(value));
    }

    FormValidation checkLustreRef(@CheckForNull Item item, @CheckForNull String value) {
        return checkOptional(item, "lustreRef", value, o -> o.setLustreRef(value));
    }

    FormValidation checkMakeJobs(@CheckForNull Item item, @CheckForNull String value) {
        checkConfigure(item);
        if (isBlank(value)) {
            return FormValidation.ok();
        }
        int jobs;
        try {
            jobs = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return FormValidation.error(Messages.Validation_MakeJobs(BuildSpec.MAX_MAKE_JOBS));
        }
        return validate("makeJobs", o -> o.setMakeJobs(jobs));
    }

    FormValidation checkOutputDir(@CheckForNull Item item, @CheckForNull String value) {
        return checkOptional(item, "outputDir", value, o -> o.setOutputDir(value));
    }

    /** A workspace-relative directory of a step that has no build options ({@link RpmCheckStep}). */
    FormValidation checkWorkspaceDirectory(@CheckForNull Item item, String field, @CheckForNull String value) {
        checkConfigure(item);
        if (isBlank(value) || isExpression(value)) {
            return FormValidation.ok();
        }
        String problem = WorkspacePaths.checkRelative(field, value.strip());
        return problem == null ? FormValidation.ok() : of(List.of(problem), field);
    }

    FormValidation checkPolicy(@CheckForNull Item item, @CheckForNull String value) {
        FormValidation result = checkOptional(item, "policy", value, o -> o.setPolicy(value));
        if (result.kind != FormValidation.Kind.OK || isBlank(value) || isExpression(value)
                || PolicyBase.parse(value.strip()).isPresent()) {
            return result;
        }
        return FormValidation.ok("A policy file on the agent, read when the build runs (relative to the workspace).");
    }

    /** The bundle's SSH credentials: needed when the bundle location is {@code sftp://} or {@code scp://}. */
    FormValidation checkBundleCredentialsId(@CheckForNull Item item, @CheckForNull String value,
                                            @CheckForNull String bundle) {
        String b = bundle == null ? "" : bundle.strip().toLowerCase(Locale.ROOT);
        return checkCredentialsId(item, value, b.startsWith("sftp://") || b.startsWith("scp://"), bundle);
    }

    /**
     * @param location where the key is used (the bundle or the git remote): only credentials whose
     *                 domain admits its host are valid, as the build looks them up
     */
    FormValidation checkCredentialsId(@CheckForNull Item item, @CheckForNull String value, boolean needed,
                                      @CheckForNull String location) {
        if (!mayListCredentials(item)) {
            return FormValidation.ok();
        }
        if (isBlank(value)) {
            return needed ? FormValidation.warning(Messages.Validation_SshNeedsCredentials()) : FormValidation.ok();
        }
        if (isExpression(value)) {
            return FormValidation.warning(Messages.Validation_CannotValidateExpression());
        }
        if (CredentialsProvider.listCredentialsInItem(SSHUserPrivateKey.class, item, authOf(item),
                SshCredentials.domainOf(location), CredentialsMatchers.withId(value)).isEmpty()) {
            return FormValidation.error(Messages.Validation_NoSuchCredentials());
        }
        return FormValidation.ok();
    }

    /**
     * The SSH key credentials the job's builds may use for {@code location} (the bundle or the git
     * remote): those whose domain admits its host.
     */
    ListBoxModel fillCredentials(@CheckForNull Item item, @CheckForNull String current,
                                 @CheckForNull String location) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (!mayListCredentials(item)) {
            return result.includeCurrentValue(current);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(authOf(item), item, SSHUserPrivateKey.class, SshCredentials.domainOf(location),
                        CredentialsMatchers.always())
                .includeCurrentValue(current);
    }

    /** The authentication the job's builds run as, which is who will use the credentials. */
    private static Authentication authOf(@CheckForNull Item item) {
        return item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
    }

    /**
     * A fixed list of choices (the form selects the configured value itself). Nothing secret, but
     * still only for users who may see the job's configuration; others get an empty list.
     */
    ListBoxModel fillChoices(@CheckForNull Item item, String... choices) {
        ListBoxModel m = new ListBoxModel();
        boolean allowed = item == null ? jenkins.hasPermission(Jenkins.ADMINISTER)
                : item.hasPermission(Item.CONFIGURE) || item.hasPermission(Item.EXTENDED_READ);
        if (allowed) {
            for (String c : choices) {
                m.add(c);
            }
        }
        return m;
    }

    ListBoxModel fillOfedRebuild(@CheckForNull Item item) {
        return fillChoices(item, RebuildMethod.SRPM_REBUILD.id(), RebuildMethod.ADD_KERNEL_SUPPORT.id(),
                RebuildMethod.DOCA_KERNEL_SUPPORT.id());
    }

    ListBoxModel fillOfedPackaging(@CheckForNull Item item) {
        return fillChoices(item, "kmp", "modules");
    }

    ListBoxModel fillSudo(@CheckForNull Item item) {
        return fillChoices(item, "auto", "always", "never");
    }

    ListBoxModel fillBackends(@CheckForNull Item item) {
        return fillChoices(item, "ldiskfs", "zfs", "ldiskfs,zfs");
    }

    ListBoxModel fillPackaging(@CheckForNull Item item) {
        return fillChoices(item, "kmod", "dkms", "kmod,dkms");
    }
}
