package io.jenkins.plugins.mellanoxlustre;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.Secret;
import io.jenkins.plugins.mellanoxlustre.agent.SshKeyMaterial;
import java.util.List;

/** Looks up the SSH private key credentials a build names, on the controller, and records their use. */
final class SshCredentials {
    private SshCredentials() {
    }

    /**
     * The key material of the {@code SSHUserPrivateKey} with this id, as this build may see it (the
     * build's authentication, folder and global stores), tracked against the build.
     *
     * @return null when no id is given
     * @throws AbortException when the id names nothing this build can use, or a credential without a key
     */
    @CheckForNull
    static SshKeyMaterial resolve(Run<?, ?> run, String id, String field, TaskListener listener) throws AbortException {
        if (id == null || id.isBlank()) {
            return null;
        }
        SSHUserPrivateKey c = CredentialsProvider.findCredentialById(id, SSHUserPrivateKey.class, run);
        if (c == null) {
            throw new AbortException(field + ": no 'SSH Username with private key' credentials with id '" + id
                    + "' are available to this build");
        }
        CredentialsProvider.track(run, c);
        List<String> keys = c.getPrivateKeys();
        if (keys.isEmpty() || keys.get(0).isBlank()) {
            throw new AbortException(field + ": the credentials '" + id + "' hold no private key");
        }
        listener.getLogger().println("[mellanox-lustre] " + field + ": using SSH key credentials '" + id + "' (user "
                + c.getUsername() + ")");
        return new SshKeyMaterial(id, c.getUsername(), Secret.fromString(keys.get(0)), c.getPassphrase());
    }
}
