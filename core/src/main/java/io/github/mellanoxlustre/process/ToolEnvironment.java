package io.github.mellanoxlustre.process;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The environment every tool of a build gets. Not the engine's whole environment (which may hold a
 * key passphrase, a CI token or a cloud credential that a {@code make} printing its environment
 * would put in the console and the logs) but:
 *
 * <ol>
 *   <li>the variables of the inherited environment (the JVM's, or Jenkins' {@code EnvVars}) whose
 *       names are on the {@linkplain #isInherited allowlist}: what {@code rpmbuild}, {@code make},
 *       {@code gcc}, {@code ccache}, {@code git}, {@code curl} and {@code ssh} legitimately read;</li>
 *   <li>the variables the user names explicitly to pass on ({@code --tool-env NAME});</li>
 *   <li>the variables the user sets explicitly ({@code --env NAME=VALUE});</li>
 *   <li>and, per command, what the engine sets itself (e.g. {@code GIT_SSH_COMMAND}).</li>
 * </ol>
 *
 * A variable that holds one of the engine's secrets ({@link #SECRET_NAMES}) is never passed.
 */
public final class ToolEnvironment {
    /** Valid environment variable names. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The variables holding the SSH key passphrases the CLI reads: never given to a tool. */
    public static final Set<String> SECRET_NAMES = Set.of(
            "MLNX_LUSTRE_BUNDLE_KEY_PASSPHRASE", "MLNX_LUSTRE_GIT_KEY_PASSPHRASE");

    /** Inherited variables passed to every tool (see docs/build.md, "Tool environment"). */
    public static final Set<String> INHERITED = Set.of(
            // the basics of any POSIX tool
            "PATH", "HOME", "USER", "LOGNAME", "SHELL", "HOSTNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM",
            // proxies (git, curl, rpm's URL fetches), both spellings
            "http_proxy", "https_proxy", "no_proxy", "all_proxy", "ftp_proxy",
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "FTP_PROXY",
            // CA certificates for git/curl/OpenSSL behind a TLS-intercepting proxy
            "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO", "GIT_SSL_CAPATH",
            // ssh-agent for an ssh:// Lustre remote without --lustre-key
            "SSH_AUTH_SOCK",
            // where ccache and git keep their configuration and cache (XDG base directories)
            "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
            // gcc-toolset / devtoolset (scl enable) and pkg-config
            "LD_LIBRARY_PATH", "PKG_CONFIG_PATH",
            // reproducible builds: rpmbuild's build time and mtime clamping, kbuild's stamps
            "SOURCE_DATE_EPOCH", "KBUILD_BUILD_TIMESTAMP", "KBUILD_BUILD_USER", "KBUILD_BUILD_HOST");

    /** Inherited name prefixes passed to every tool: locale categories and ccache's settings. */
    public static final List<String> INHERITED_PREFIXES = List.of("LC_", "CCACHE_");

    private ToolEnvironment() {
    }

    /** Whether an inherited variable of this name is passed to tools without being asked for. */
    public static boolean isInherited(String name) {
        return !isSecretName(name) && (INHERITED.contains(name)
                || INHERITED_PREFIXES.stream().anyMatch(name::startsWith));
    }

    /** Whether this variable holds one of the engine's secrets. */
    public static boolean isSecretName(String name) {
        return SECRET_NAMES.contains(name);
    }

    /**
     * The environment tools get.
     *
     * @param inherited the environment the engine runs in (the JVM's, or Jenkins' EnvVars)
     * @param passed    further inherited names to pass on (none may be a {@link #SECRET_NAMES secret name})
     * @param explicit  variables set for the tools (override inherited ones)
     */
    public static Map<String, String> build(Map<String, String> inherited, Set<String> passed,
                                            Map<String, String> explicit) {
        Map<String, String> env = new TreeMap<>();
        inherited.forEach((name, value) -> {
            if (name != null && value != null && value.indexOf('\0') < 0
                    && (isInherited(name) || (passed.contains(name) && !isSecretName(name)))) {
                env.put(name, value);
            }
        });
        explicit.forEach((name, value) -> {
            if (!isSecretName(name)) {
                env.put(name, value);
            }
        });
        return env;
    }
}
