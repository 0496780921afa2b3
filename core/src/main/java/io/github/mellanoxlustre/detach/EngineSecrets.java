package io.github.mellanoxlustre.detach;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * What a detached engine process must not find in clear anywhere but a 0600 file it deletes as
 * soon as it has read it ({@link ControlDir#SECRETS}): the keys' passphrases and the whole
 * environment the build is requested with (the map {@link io.github.mellanoxlustre.request.BuildSpec#toRequest}
 * takes: a Jenkins build's variables may hold bound credentials, and the passphrase variables of
 * {@link io.github.mellanoxlustre.process.ToolEnvironment#SECRET_NAMES} are there).
 *
 * <p>A private key can travel here too (a Jenkins credential has no file on the agent): the process
 * then writes it to a 0600 file of the control directory, which it deletes as soon as the phase
 * that reads it is done, and in any case when the build ends ({@code KeyFiles}).
 *
 * @param environment         the build's environment
 * @param bundleKeyPassphrase the bundle key's passphrase, or null
 * @param lustreKeyPassphrase the git key's passphrase, or null
 * @param bundleKey           the bundle's SSH private key (OpenSSH/PEM text), or null: the spec's key file, if any
 * @param lustreKey           the git remote's SSH private key, or null: the spec's key file, if any
 */
public record EngineSecrets(Map<String, String> environment, char[] bundleKeyPassphrase, char[] lustreKeyPassphrase,
                            char[] bundleKey, char[] lustreKey) {

    public EngineSecrets {
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    /** The environment only, no passphrase. */
    public static EngineSecrets of(Map<String, String> environment) {
        return new EngineSecrets(environment, null, null, null, null);
    }

    /** This with the bundle key's passphrase (kept, not copied). */
    public EngineSecrets withBundleKeyPassphrase(char[] passphrase) {
        return new EngineSecrets(environment, passphrase, lustreKeyPassphrase, bundleKey, lustreKey);
    }

    /** This with the git key's passphrase (kept, not copied). */
    public EngineSecrets withLustreKeyPassphrase(char[] passphrase) {
        return new EngineSecrets(environment, bundleKeyPassphrase, passphrase, bundleKey, lustreKey);
    }

    /** This with the bundle's private key itself (kept, not copied): the process writes its key file. */
    public EngineSecrets withBundleKey(char[] key) {
        return new EngineSecrets(environment, bundleKeyPassphrase, lustreKeyPassphrase, key, lustreKey);
    }

    /** This with the git remote's private key itself (kept, not copied): the process writes its key file. */
    public EngineSecrets withLustreKey(char[] key) {
        return new EngineSecrets(environment, bundleKeyPassphrase, lustreKeyPassphrase, bundleKey, key);
    }

    /** Overwrites the passphrases and keys. */
    public void clear() {
        for (char[] p : new char[][] {bundleKeyPassphrase, lustreKeyPassphrase, bundleKey, lustreKey}) {
            if (p != null) {
                Arrays.fill(p, '\0');
            }
        }
    }

    /** No values: a record's default would print the environment and passphrases. */
    @Override
    public String toString() {
        return "EngineSecrets[" + environment.size() + " variables, bundle key passphrase "
                + (bundleKeyPassphrase != null) + ", git key passphrase " + (lustreKeyPassphrase != null)
                + ", bundle key " + (bundleKey != null) + ", git key " + (lustreKey != null) + "]";
    }
}
