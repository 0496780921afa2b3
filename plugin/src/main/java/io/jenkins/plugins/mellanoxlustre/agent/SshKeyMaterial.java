package io.jenkins.plugins.mellanoxlustre.agent;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.util.Secret;
import java.io.Serializable;

/**
 * An SSH private key taken from an {@code SSHUserPrivateKey} credential on the controller, on its way
 * to the agent inside a file callable. The key and passphrase stay {@link Secret}s (never shown by
 * {@link #toString()}, never logged); on the agent they go into a 0600 file and a {@code char[]}
 * only as the detached engine process handles them (core's {@code EngineSecrets}: a 0600 file it
 * reads and deletes at once, then a 0600 key file deleted when the phase that reads it is done).
 */
public final class SshKeyMaterial implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String credentialsId;
    private final Secret privateKey;
    private final Secret passphrase;

    /**
     * @param credentialsId the id as configured (for messages)
     * @param privateKey    the key; the credential's username is not carried (it may be secret, and the
     *                      SSH user is the one in the URL)
     * @param passphrase    the key's passphrase, or null
     */
    public SshKeyMaterial(String credentialsId, Secret privateKey, @CheckForNull Secret passphrase) {
        this.credentialsId = credentialsId;
        this.privateKey = privateKey;
        this.passphrase = passphrase;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /** The key in OpenSSH/PEM text form; handle with care. */
    Secret privateKey() {
        return privateKey;
    }

    /** The passphrase as a fresh array the caller clears, or null when the key has none. */
    @CheckForNull
    char[] passphraseChars() {
        if (passphrase == null || passphrase.getPlainText().isEmpty()) {
            return null;
        }
        return passphrase.getPlainText().toCharArray();
    }

    @Override
    public String toString() {
        return "SshKeyMaterial[credentialsId=" + credentialsId + ", key=****"
                + (passphrase == null ? "" : ", passphrase=****") + "]";
    }
}
