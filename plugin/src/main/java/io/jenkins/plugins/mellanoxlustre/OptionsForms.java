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
import io.github.mellanoxlustre.kernel.KernelTarget;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.OfedBundleName;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;

/**
 * Form validation and list filling shared by the step's and the builder's descriptors, which expose
 * these as {@code @POST doCheck*}/{@code doFill*} web methods.
 *
 * <p>Permissions: value checks require {@link Item#CONFIGURE} on the job (or
 * {@link Jenkins#ADMINISTER} outside a job) and answer 403 otherwise, so nobody probes the engine's
 * validators anonymously. Credentials lists and checks follow the credentials plugin's
 * {@code docs/consumer.adoc}: without {@link Item#EXTENDED_READ} or {@link CredentialsProvider#USE_ITEM}
 * only the current value is returned and nothing is checked, so no credential id is enumerated.
 */
final class OptionsForms {
    /** A valid bundle name, to check a SHA-256 with the engine's own parser. */
    private static final String SAMPLE_BUNDLE = "MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz";

    private OptionsForms() {
    }

    /** Throws (HTTP 403) unless the user may configure the job, or administer Jenkins outside a job. */
    static void checkConfigure(@CheckForNull Item item) {
        if (item == null) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        } else {
            item.checkPermission(Item.CONFIGURE);
        }
    }

    private static boolean mayListCredentials(@CheckForNull Item item) {
        if (item == null) {
            return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
        }
        return item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
    }

    private static boolean isExpression(String value) {
        return value != null && value.contains("${");
    }

    private static String strip(String message, String field) {
        String prefix = field + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    static FormValidation checkBundle(@CheckForNull Item item, String value, String sha256) {
        checkConfigure(item);
        if (value == null || value.isBlank()) {
            return FormValidation.error(Messages.Validation_Required("bundle"));
        }
        if (isExpression(value)) {
            return FormValidation.warning(Messages.Validation_CannotValidateExpression());
        }
        String sum = sha256;
        try {
            BundleLocation.parse(SAMPLE_BUNDLE, sum);
        } catch (IllegalArgumentException e) {
            sum = null; // the checksum field reports its own problem
        }
        try {
            BundleLocation location = BundleLocation.parse(value.strip(), sum);
            OfedBundleName n = location.bundleName();
            return FormValidation.ok("MLNX_OFED " + n.version() + " for " + n.distro() + " " + n.arch()
                    + (location instanceof BundleLocation.Ssh ? " (needs SSH credentials and known_hosts)" : ""));
        } catch (IllegalArgumentException e) {
            return FormValidation.error(strip(e.getMessage(), "bundle"));
        }
    }

    static FormValidation checkBundleSha256(@CheckForNull Item item, String value) {
        checkConfigure(item);
        if (value == null || value.isBlank() || isExpression(value)) {
            return FormValidation.ok();
        }
        try {
            BundleLocation.parse(SAMPLE_BUNDLE, value);
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(strip(e.getMessage(), "bundleSha256"));
        }
    }

    static FormValidation checkKernelRelease(@CheckForNull Item item, String value) {
        checkConfigure(item);
        if (value == null || value.isBlank() || isExpression(value)) {
            return FormValidation.ok();
        }
        try {
            KernelTarget.checkRelease(value.strip());
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(strip(e.getMessage(), "kernelRelease"));
        }
    }

    static FormValidation checkLustreRepository(@CheckForNull Item item, String value, String lustreSourceDir) {
        checkConfigure(item);
        if (lustreSourceDir != null && !lustreSourceDir.isBlank()) {
            return FormValidation.ok(Messages.Validation_LustreSourceDirOverrides());
        }
        if (value == null || value.isBlank() || isExpression(value)) {
            return FormValidation.ok();
        }
        try {
            new LustreSource.Git(value.strip(), BuildOptions.DEFAULT_LUSTRE_REF, Optional.empty());
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(strip(e.getMessage(), "lustreRepository"));
        }
    }

    static FormValidation checkLustreRef(@CheckForNull Item item, String value) {
        checkConfigure(item);
        if (value == null || value.isBlank() || isExpression(value)) {
            return FormValidation.ok();
        }
        try {
            LustreSource.Git.checkRef(value.strip());
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(strip(e.getMessage(), "lustreRef"));
        }
    }

    static FormValidation checkMakeJobs(@CheckForNull Item item, String value) {
        checkConfigure(item);
        if (value == null || value.isBlank()) {
            return FormValidation.ok();
        }
        try {
            int n = Integer.parseInt(value.strip());
            return n >= 0 && n <= 1024 ? FormValidation.ok() : FormValidation.error(Messages.Validation_MakeJobs());
        } catch (NumberFormatException e) {
            return FormValidation.error(Messages.Validation_MakeJobs());
        }
    }

    static FormValidation checkDirectory(@CheckForNull Item item, String field, String value) {
        checkConfigure(item);
        if (value == null || value.isBlank() || isExpression(value)) {
            return FormValidation.ok();
        }
        String problem = WorkspacePaths.checkRelative(field, value.strip());
        return problem == null ? FormValidation.ok() : FormValidation.error(strip(problem, field));
    }

    static FormValidation checkPolicy(@CheckForNull Item item, String value) {
        checkConfigure(item);
        if (value == null || value.isBlank()) {
            return FormValidation.ok();
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("distribute") || v.equals("internal") || isExpression(value)) {
            return FormValidation.ok();
        }
        if (v.endsWith(".yaml") || v.endsWith(".yml") || v.endsWith(".json")) {
            return FormValidation.ok("A policy file on the agent, read when the build runs (relative to the workspace).");
        }
        return FormValidation.error("Expected distribute, internal or the path of a policy file (.yaml, .yml or .json).");
    }

    /** The bundle's SSH credentials: needed when the bundle location is {@code sftp://} or {@code scp://}. */
    static FormValidation checkBundleCredentialsId(@CheckForNull Item item, String value, @CheckForNull String bundle) {
        String b = bundle == null ? "" : bundle.strip().toLowerCase(java.util.Locale.ROOT);
        return checkCredentialsId(item, value, b.startsWith("sftp://") || b.startsWith("scp://"));
    }

    static FormValidation checkCredentialsId(@CheckForNull Item item, String value, boolean needed) {
        if (!mayListCredentials(item)) {
            return FormValidation.ok();
        }
        if (value == null || value.isBlank()) {
            return needed ? FormValidation.warning(Messages.Validation_SshNeedsCredentials()) : FormValidation.ok();
        }
        if (isExpression(value)) {
            return FormValidation.warning(Messages.Validation_CannotValidateExpression());
        }
        if (CredentialsProvider.listCredentialsInItem(SSHUserPrivateKey.class, item, authOf(item),
                Collections.emptyList(), CredentialsMatchers.withId(value)).isEmpty()) {
            return FormValidation.error(Messages.Validation_NoSuchCredentials());
        }
        return FormValidation.ok();
    }

    static ListBoxModel fillCredentials(@CheckForNull Item item, String current) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (!mayListCredentials(item)) {
            return result.includeCurrentValue(current);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(authOf(item), item, SSHUserPrivateKey.class, Collections.emptyList(),
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
    static ListBoxModel fillChoices(@CheckForNull Item item, String... choices) {
        ListBoxModel m = new ListBoxModel();
        boolean allowed = item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                : item.hasPermission(Item.CONFIGURE) || item.hasPermission(Item.EXTENDED_READ);
        if (allowed) {
            for (String c : choices) {
                m.add(c);
            }
        }
        return m;
    }

    static ListBoxModel fillOfedRebuild(@CheckForNull Item item) {
        return fillChoices(item, RebuildMethod.SRPM_REBUILD.id(), RebuildMethod.ADD_KERNEL_SUPPORT.id());
    }

    static ListBoxModel fillSudo(@CheckForNull Item item) {
        return fillChoices(item, "auto", "always", "never");
    }

    static ListBoxModel fillBackends(@CheckForNull Item item) {
        return fillChoices(item, "ldiskfs", "zfs", "ldiskfs,zfs");
    }

    static ListBoxModel fillPackaging(@CheckForNull Item item) {
        return fillChoices(item, "kmod", "dkms", "kmod,dkms");
    }
}
