package io.jenkins.plugins.mellanoxlustre;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import com.cloudbees.plugins.credentials.domains.HostnameRequirement;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.Secret;
import io.jenkins.plugins.mellanoxlustre.agent.SshKeyMaterial;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Looks up the SSH private key credentials a build names, on the controller, and records their use. */
final class SshCredentials {
    /** {@code scheme://...}: a URL, whose scheme, host, port and path are the domain requirements. */
    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");
    /** git's scp-like {@code [user@]host:path} (no slash before the colon): an SSH host. */
    private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/:]+@)?([^@/:]+):.*");

    private SshCredentials() {
    }

    /**
     * The credentials domain requirements of a location the key is for (the host of an {@code sftp://}
     * or {@code scp://} bundle, or of the Lustre git remote), as the credentials plugin's consumer
     * guide asks: {@link URIRequirementBuilder#fromUri} for a URL, an {@code ssh} scheme and the host
     * for git's {@code user@host:path}; none for a local path (or a value that is not one of these).
     */
    static List<DomainRequirement> domainOf(@CheckForNull String location) {
        if (location == null || location.isBlank()) {
            return List.of();
        }
        String l = location.strip();
        if (URL.matcher(l).matches()) {
            return URIRequirementBuilder.fromUri(l).build();
        }
        Matcher scp = SCP_LIKE.matcher(l);
        if (scp.matches() && !l.startsWith("/")) {
            return URIRequirementBuilder.create().withScheme("ssh").withHostname(scp.group(1)).build();
        }
        return List.of();
    }

    /**
     * The key material of the {@code SSHUserPrivateKey} with this id, as this build may see it, tracked
     * against the build.
     *
     * @param id       the id as configured, never expanded: {@code ${NAME}} names a credentials parameter,
     *                 which {@link CredentialsProvider#findCredentialById(String, Class, Run, List)} resolves
     *                 with the permissions of the user who started the build (their own credentials
     *                 included); any other id is looked up as the job
     * @param location where the key is used (its host is the credentials domain requirement)
     * @return null when no id is given
     * @throws AbortException when the id names nothing this build can use, or a credential without a key
     */
    @CheckForNull
    static SshKeyMaterial resolve(Run<?, ?> run, String id, String field, @CheckForNull String location,
                                  TaskListener listener) throws AbortException {
        if (id == null || id.isBlank()) {
            return null;
        }
        SSHUserPrivateKey c = CredentialsProvider.findCredentialById(id, SSHUserPrivateKey.class, run,
                domainOf(location));
        if (c == null) {
            throw new AbortException(field + ": no 'SSH Username with private key' credentials with id '" + id
                    + "' are available to this build for " + hostOf(location));
        }
        CredentialsProvider.track(run, c);
        List<String> keys = c.getPrivateKeys();
        if (keys.isEmpty() || keys.get(0).isBlank()) {
            throw new AbortException(field + ": the credentials '" + id + "' hold no private key");
        }
        // The credential's username is not printed (it may be secret, isUsernameSecret()) and not used:
        // the user is the one in the URL.
        listener.getLogger().println("[mellanox-lustre] " + field + ": using SSH key credentials '" + id
                + "' (key and passphrase only; the SSH user is the one in the URL)");
        return new SshKeyMaterial(id, Secret.fromString(keys.get(0)), c.getPassphrase());
    }

    /** The host a lookup was for, for the error message (never user information). */
    private static String hostOf(@CheckForNull String location) {
        for (DomainRequirement r : domainOf(location)) {
            if (r instanceof HostnameRequirement h) {
                return "host " + h.getHostname();
            }
        }
        return "this location";
    }
}
