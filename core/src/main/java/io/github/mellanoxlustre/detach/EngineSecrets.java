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
 * @param environment         the build's environment
 * @param bundleKeyPassphrase the bundle key's passphrase, or null
 * @param lustreKeyPassphrase the git key's passphrase, or null
 */
public record EngineSecrets(Map<String, String> environment, char[] bundleKeyPassphrase, char[] lustreKeyPassphrase) {

    public EngineSecrets {
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    /** The environment only, no passphrase. */
    public static EngineSecrets of(Map<String, String> environment) {
        return new EngineSecrets(environment, null, null);
    }

    /** This with the bundle key's passphrase (kept, not copied). */
    public EngineSecrets withBundleKeyPassphrase(char[] passphrase) {
        return new EngineSecrets(environment, passphrase, lustreKeyPassphrase);
    }

    /** This with the git key's passphrase (kept, not copied). */
    public EngineSecrets withLustreKeyPassphrase(char[] passphrase) {
        return new EngineSecrets(environment, bundleKeyPassphrase, passphrase);
    }

    /** Overwrites the passphrases. */
    void clear() {
        for (char[] p : new char[][] {bundleKeyPassphrase, lustreKeyPassphrase}) {
            if (p != null) {
                Arrays.fill(p, '\0');
            }
        }
    }

    /** No values: a record's default would print the environment and passphrases. */
    @Override
    public String toString() {
        return "EngineSecrets[" + environment.size() + " variables, bundle key passphrase "
                + (bundleKeyPassphrase != null) + ", git key passphrase " + (lustreKeyPassphrase != null) + "]";
    }
}
