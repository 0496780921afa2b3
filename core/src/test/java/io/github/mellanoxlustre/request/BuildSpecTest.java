package io.github.mellanoxlustre.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mellanoxlustre.lustre.LustreOptions;
import io.github.mellanoxlustre.lustre.LustreSource;
import io.github.mellanoxlustre.ofed.BundleLocation;
import io.github.mellanoxlustre.ofed.OfedSource;
import io.github.mellanoxlustre.ofed.RebuildMethod;
import io.github.mellanoxlustre.ssh.SshAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one way from what a user typed (CLI options, Jenkins form fields) to a {@link BuildRequest}. */
class BuildSpecTest {
    static final String BUNDLE = "MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz";
    static final Map<String, String> ENV = Map.of("HOME", "/home/builder", "PATH", "/usr/bin");

    @TempDir
    Path dir;

    private static BuildSpec minimal() {
        return new BuildSpec().bundle("/srv/ofed/" + BUNDLE).outputDir(Path.of("/srv/rpms/lustre"))
                .workDir(Path.of("/var/tmp/work"));
    }

    @Test
    void unsetValuesTakeTheDefaultsBothFrontEndsShare() {
        BuildRequest r = minimal().toRequest(ENV);
        assertThat(r.ofedRebuild()).isEqualTo(RebuildMethod.parse(BuildSpec.DEFAULT_OFED_REBUILD))
                .isEqualTo(RebuildMethod.SRPM_REBUILD);
        assertThat(r.settings().sudo()).isEqualTo(SudoMode.parse(BuildSpec.DEFAULT_SUDO)).isEqualTo(SudoMode.AUTO);
        assertThat(r.lustre()).isEqualTo(new LustreSource.Git(BuildSpec.DEFAULT_LUSTRE_REPOSITORY,
                BuildSpec.DEFAULT_LUSTRE_REF, java.util.Optional.empty()));
        assertThat(r.lustreOptions().server()).isTrue();
        assertThat(r.lustreOptions().backends()).containsExactly(LustreOptions.Backend.parse(BuildSpec.DEFAULT_BACKEND));
        assertThat(r.lustreOptions().packaging())
                .containsExactly(LustreOptions.Packaging.parse(BuildSpec.DEFAULT_PACKAGING));
        assertThat(r.lustreOptions().makeJobs()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(r.policy()).isEqualTo(BuildSpec.DEFAULT_POLICY).isEqualTo("distribute");
        assertThat(r.cacheDir()).isEqualTo(Path.of("/home/builder/.cache/mlnx-lustre"));
        assertThat(r.withheldDir()).isEqualTo(Path.of("/srv/rpms/lustre-withheld"));
        assertThat(r.settings().checkDistro()).isTrue();
        assertThat(r.settings().replaceOutput()).isFalse();
        assertThat(r.settings().minFreeMiB()).isEqualTo(BuildSettings.DEFAULT_MIN_FREE_MIB);
    }

    @Test
    void oneCacheForTheCliAndThePluginAndTheFormerPluginCacheIsNamed() {
        assertThat(BuildSpec.defaultCacheDir(ENV)).isEqualTo(Path.of("/home/builder/.cache/mlnx-lustre"));
        assertThat(BuildSpec.defaultCacheDir(Map.of("HOME", "/h", "XDG_CACHE_HOME", "/xdg")))
                .isEqualTo(Path.of("/xdg/mlnx-lustre"));
        // a relative XDG_CACHE_HOME is invalid by the XDG base directory specification: ignored
        assertThat(BuildSpec.defaultCacheDir(Map.of("HOME", "/h", "XDG_CACHE_HOME", "rel")))
                .isEqualTo(Path.of("/h/.cache/mlnx-lustre"));
        assertThat(BuildSpec.defaultCacheDir(Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "mlnx-lustre"));
        assertThat(BuildSpec.formerPluginCacheDir(Map.of("HOME", "/h", "XDG_CACHE_HOME", "/xdg")))
                .isEqualTo(Path.of("/xdg/mellanox-lustre"));
    }

    @Test
    void relativeLocalPathsAreResolvedAgainstTheBaseDirectoryUrlsAndKeywordsAreNot() throws Exception {
        Path ws = dir.resolve("ws");
        Files.createDirectories(ws.resolve("keys"));
        Files.writeString(ws.resolve("site.yaml"), "base: distribute\n");
        BuildRequest r = new BuildSpec().baseDir(ws).bundle("ofed/" + BUNDLE).kernelSource(Path.of("kernel"))
                .lustreDir(Path.of("src/lustre")).backends(List.of("zfs")).zfsSource(Path.of("zfs"))
                .zfsObj(Path.of("zfs/obj")).policy("site.yaml").outputDir(ws.resolve("out"))
                .workDir(Path.of("../ws@tmp/work")).cacheDir(Path.of("cache")).toRequest(ENV);
        assertThat(((BundleLocation.Local) r.ofed().location().orElseThrow()).path()).isEqualTo(ws.resolve("ofed/" + BUNDLE));
        assertThat(r.kernel().sourceDir()).contains(ws.resolve("kernel"));
        assertThat(r.lustre()).isEqualTo(new LustreSource.Local(ws.resolve("src/lustre")));
        assertThat(r.lustreOptions().zfsSource()).contains(ws.resolve("zfs"));
        assertThat(r.lustreOptions().zfsObj()).contains(ws.resolve("zfs/obj"));
        assertThat(r.policy()).isEqualTo(ws.resolve("site.yaml").toString());
        assertThat(r.workDir()).isEqualTo(dir.resolve("ws@tmp/work"));
        assertThat(r.cacheDir()).isEqualTo(ws.resolve("cache"));

        BuildRequest remote = new BuildSpec().baseDir(ws).bundle("https://mirror.example.com/ofed/" + BUNDLE)
                .bundleSha256("ab".repeat(32)).policy("Internal").outputDir(ws.resolve("out"))
                .workDir(dir.resolve("work")).toRequest(ENV);
        assertThat(remote.ofed().location().orElseThrow()).isInstanceOf(BundleLocation.Http.class);
        assertThat(remote.policy()).isEqualTo("Internal");
    }

    @Test
    void withoutABaseDirectoryPathsAreTakenAsGiven() {
        BuildRequest r = minimal().kernelSource(Path.of("kernel")).toRequest(ENV);
        assertThat(r.kernel().sourceDir()).contains(Path.of("kernel"));
    }

    @Test
    void listsAreWordsInAnyCaseSeparatedByCommasOrSpaces() {
        BuildRequest r = minimal().backends(List.of("ZFS, ldiskfs")).zfsSource(Path.of("/usr/src/zfs"))
                .packaging(List.of("dkms", "kmod")).toolEnvironment(List.of("CC, CCACHE_PREFIX", "CFLAGS"))
                .toRequest(ENV);
        assertThat(r.lustreOptions().backends()).containsExactlyInAnyOrder(LustreOptions.Backend.LDISKFS,
                LustreOptions.Backend.ZFS);
        assertThat(r.lustreOptions().packaging()).containsExactlyInAnyOrder(LustreOptions.Packaging.KMOD,
                LustreOptions.Packaging.DKMS);
        assertThat(r.settings().passEnvironment()).containsExactlyInAnyOrder("CC", "CCACHE_PREFIX", "CFLAGS");
        assertThat(BuildSpec.variableNames(List.of("cc Cc"))).containsExactly("cc", "Cc");
    }

    @Test
    void errorsStartWithTheNameTheUserTypedAndStateTheAcceptedForm() {
        Map<BuildSpec.Field, String> cli = Map.of(BuildSpec.Field.BACKENDS, "--backend",
                BuildSpec.Field.LUSTRE_DIR, "--lustre-dir", BuildSpec.Field.LUSTRE_REF, "--lustre-ref",
                BuildSpec.Field.LUSTRE_REPOSITORY, "--lustre-repo", BuildSpec.Field.LUSTRE_KEY, "--lustre-key",
                BuildSpec.Field.MAKE_JOBS, "--jobs");
        assertThatThrownBy(() -> minimal().names(cli).backends(List.of("btrfs")).toRequest(ENV))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("--backend: 'btrfs' is not an OSD backend; expected ldiskfs, zfs or both");
        assertThatThrownBy(() -> minimal().backends(List.of("btrfs")).toRequest(ENV))
                .hasMessageStartingWith("backends: 'btrfs' is not an OSD backend");
        assertThatThrownBy(() -> minimal().names(cli).lustreDir(Path.of("/src/lustre")).lustreRef("b2_15")
                .toRequest(ENV)).hasMessage("--lustre-dir: give either --lustre-dir or --lustre-repo/--lustre-ref"
                + "/--lustre-key, not both");
        assertThatThrownBy(() -> minimal().names(cli).clientOnly(true).backends(List.of("zfs")).toRequest(ENV))
                .hasMessage("--backend: a client-only build has no OSD backend");
        assertThatThrownBy(() -> minimal().names(cli).makeJobs(2000).toRequest(ENV))
                .hasMessage("--jobs: 2000 is not a job count; expected 1 to 1024, or 0 for the number of processors");
        assertThat(minimal().makeJobs(0).toRequest(ENV).lustreOptions().makeJobs())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThatThrownBy(() -> minimal().environment(List.of("=x")).toRequest(ENV))
                .hasMessage("environment: '=x' is not NAME=VALUE");
        assertThatThrownBy(() -> minimal().outputDir(null).toRequest(ENV)).hasMessageStartingWith("outputDir: required");
        // a message of the request's own checks is named too
        assertThatThrownBy(() -> minimal().names(Map.of(BuildSpec.Field.OUTPUT_DIR, "--output"))
                .outputDir(Path.of("/")).toRequest(ENV)).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("--output: '/' is the root directory");
    }

    @Test
    void problemsListsEveryProblemFoundWithoutTheBuildingMachineAtOnce() {
        BuildSpec s = new BuildSpec().bundle("ofed.tgz").sudo("sometimes").lustreRef("-x").backends(List.of("btrfs"))
                .makeJobs(-1).toolEnvironment(List.of("MLNX_LUSTRE_GIT_KEY_PASSPHRASE")).policy(" ")
                .names(Map.of(BuildSpec.Field.TOOL_ENVIRONMENT, "toolEnvironment"));
        assertThat(s.problems()).hasSize(7).anyMatch(p -> p.startsWith("bundle: "))
                .anyMatch(p -> p.startsWith("sudo: 'sometimes'")).anyMatch(p -> p.startsWith("lustreRef: '-x'"))
                .anyMatch(p -> p.startsWith("backends: 'btrfs'")).anyMatch(p -> p.startsWith("makeJobs: -1"))
                .anyMatch(p -> p.startsWith("toolEnvironment: MLNX_LUSTRE_GIT_KEY_PASSPHRASE holds a key passphrase"))
                .anyMatch(p -> p.startsWith("policy: empty"));
        assertThat(minimal().problems()).isEmpty();
        // no file is read and no output or work directory is needed: a form checks this on the controller
        assertThat(new BuildSpec().bundle(BUNDLE).lustreKey(Path.of("/nonexistent/key"), null)
                .lustreKeyPassphraseFile(Path.of("/nonexistent/pass")).problems()).isEmpty();
    }

    @Test
    void sshKeysTakeTheirPassphraseFromAFileTheCallerOrTheEnvironment() throws Exception {
        Path pass = Files.writeString(dir.resolve("pass"), "s3cret\nignored\n");
        BuildSpec sftp = new BuildSpec().bundle("sftp://ofed@mirror.example.com/pub/" + BUNDLE)
                .outputDir(Path.of("/srv/rpms/lustre")).workDir(Path.of("/var/tmp/work"));
        SshAuth fromFile = sftp.bundleKey(Path.of("/keys/id"), null).bundleKeyPassphraseFile(pass)
                .toRequest(ENV).bundleSsh().orElseThrow();
        assertThat(fromFile.passphrase()).hasValueSatisfying(p -> assertThat(new String(p)).isEqualTo("s3cret"));
        assertThat(fromFile.knownHosts()).isEqualTo(Path.of("/home/builder/.ssh/known_hosts"));
        SshAuth given = sftp.bundleKeyPassphraseFile(null).bundleKey(Path.of("/keys/id"), "given".toCharArray())
                .knownHosts(Path.of("/etc/ssh/known")).toRequest(ENV).bundleSsh().orElseThrow();
        assertThat(given.passphrase()).hasValueSatisfying(p -> assertThat(new String(p)).isEqualTo("given"));
        assertThat(given.knownHosts()).isEqualTo(Path.of("/etc/ssh/known"));
        SshAuth fromEnv = sftp.bundleKey(Path.of("/keys/id"), null).toRequest(Map.of("HOME", "/h",
                BuildSpec.BUNDLE_PASSPHRASE_ENV, "env-pass")).bundleSsh().orElseThrow();
        assertThat(fromEnv.passphrase()).hasValueSatisfying(p -> assertThat(new String(p)).isEqualTo("env-pass"));

        Path empty = Files.writeString(dir.resolve("empty"), "");
        assertThatThrownBy(() -> sftp.bundleKeyPassphraseFile(empty).toRequest(ENV))
                .hasMessage("bundleKeyPassphraseFile: '" + empty + "' is empty; expected the passphrase on its first line");
        assertThatThrownBy(() -> sftp.bundleKey(null, null).bundleKeyPassphraseFile(null).toRequest(ENV))
                .hasMessage("bundleCredentials: an sftp:// OFED location needs an SSH private key file");
        assertThatThrownBy(() -> minimal().bundleKey(Path.of("/keys/id"), null).toRequest(ENV))
                .hasMessage("bundleCredentials: only for an sftp:// or scp:// OFED location");
        assertThatThrownBy(() -> minimal().lustreKeyPassphraseFile(pass).toRequest(ENV))
                .hasMessage("lustreKeyPassphraseFile: given without lustreKey");
        LustreSource.Git git = (LustreSource.Git) minimal().lustreRepository("ssh://git@review.example.com/lustre")
                .lustreKey(Path.of("/keys/git"), null).lustreKeyPassphraseFile(pass).toRequest(ENV).lustre();
        assertThat(git.ssh()).hasValueSatisfying(a -> assertThat(a.privateKey()).isEqualTo(Path.of("/keys/git")));
    }

    @Test
    void exactlyOneOfedSourceIsTakenEachWithItsOwnForm() {
        Map<BuildSpec.Field, String> cli = Map.of(BuildSpec.Field.BUNDLE, "--bundle", BuildSpec.Field.OFED_SRPM,
                "--ofed-srpm", BuildSpec.Field.DOCA_REPO, "--doca-repo", BuildSpec.Field.OFED_INSTALLED,
                "--ofed-installed", BuildSpec.Field.BUNDLE_SHA256, "--ofed-sha256", BuildSpec.Field.OFED_REBUILD,
                "--ofed-rebuild");
        String srpm = "mlnx-ofa_kernel-25.10-OFED.25.10.1.7.1.1.src.rpm";
        assertThat(minimal().bundle(null).ofedSrpm("ofed/" + srpm).baseDir(dir).toRequest(ENV).ofed())
                .isEqualTo(new OfedSource.SourceRpm(new BundleLocation.Local(dir.resolve("ofed/" + srpm),
                        BundleLocation.Kind.SOURCE_RPM, srpm, Optional.empty())));
        assertThat(minimal().bundle(null).docaRepo("/mirror/doca/3.2.1").toRequest(ENV).ofed())
                .isEqualTo(new OfedSource.DocaRepo(Optional.of(Path.of("/mirror/doca/3.2.1")), Optional.empty()));
        assertThat(minimal().bundle(null).ofedInstalled("").toRequest(ENV).ofed())
                .isEqualTo(new OfedSource.Installed(Optional.empty()));
        assertThat(minimal().bundle(null).ofedInstalled("root").baseDir(dir).toRequest(ENV).ofed())
                .isEqualTo(new OfedSource.Installed(Optional.of(dir.resolve("root"))));
        // not asked for: a null from a command line that did not give the option
        assertThat(minimal().ofedInstalled((String) null).toRequest(ENV).ofed()).isInstanceOf(OfedSource.Bundle.class);

        assertThatThrownBy(() -> minimal().names(cli).ofedSrpm("/x/" + srpm).toRequest(ENV))
                .hasMessageStartingWith("--bundle: give exactly one OFED source, not --bundle and --ofed-srpm");
        assertThatThrownBy(() -> minimal().names(cli).bundle(null).toRequest(ENV))
                .hasMessageStartingWith("--bundle: no OFED source given; expected one of --bundle (an MLNX_OFED "
                        + "bundle), --ofed-srpm (an mlnx-ofa_kernel source RPM), --doca-repo (a DOCA-Host repository) "
                        + "or --ofed-installed (the OFED installed on the build machine)");
        assertThatThrownBy(() -> minimal().names(cli).bundle(null).ofedSrpm("https://h/" + srpm).toRequest(ENV))
                .hasMessage("--ofed-srpm: an http(s) location needs the file's SHA-256 (64 hexadecimal digits) in "
                        + "the checksum field (--ofed-sha256)");
        assertThatThrownBy(() -> minimal().names(cli).bundle(null).ofedSrpm("/x/" + srpm)
                .ofedRebuild("add-kernel-support").toRequest(ENV))
                .hasMessage("--ofed-rebuild: add-kernel-support runs a bundle's own mlnx_add_kernel_support.sh; "
                        + "with another OFED source (--ofed-srpm) use srpm-rebuild");
        assertThatThrownBy(() -> minimal().names(cli).bundle(null).ofedInstalled("").ofedRebuild("add-kernel-support")
                .toRequest(ENV)).hasMessageStartingWith("--ofed-rebuild: the installed OFED is used as it is");
        assertThatThrownBy(() -> minimal().names(cli).bundle(null).ofedInstalled("").bundleSha256("ab".repeat(32))
                .toRequest(ENV)).hasMessageStartingWith("--ofed-sha256: only for an OFED file that is fetched, not "
                + "with --ofed-installed");
        assertThat(minimal().names(cli).ofedSrpm("/x/" + srpm).docaRepo("/m/doca/3.2.1").problems())
                .containsExactly("--bundle: give exactly one OFED source, not --bundle and --ofed-srpm and --doca-repo: "
                        + "--bundle (an MLNX_OFED bundle), --ofed-srpm (an mlnx-ofa_kernel source RPM), --doca-repo (a "
                        + "DOCA-Host repository) or --ofed-installed (the OFED installed on the build machine)");
    }

    @Test
    void ofedPackagingIsKmpUnlessModulesAreAskedFor() {
        assertThat(minimal().toRequest(ENV).settings().ofedKmp()).isTrue();
        assertThat(minimal().ofedPackaging(" Modules ").toRequest(ENV).settings().ofedKmp()).isFalse();
        assertThat(minimal().ofedPackaging("kmp").toRequest(ENV).settings().ofedKmp()).isTrue();
        assertThat(minimal().names(Map.of(BuildSpec.Field.OFED_PACKAGING, "--ofed-packaging")).ofedPackaging("rpm")
                .problems()).containsExactly("--ofed-packaging: 'rpm' is not an OFED kernel packaging; expected kmp "
                + "(kmod-mlnx-ofa_kernel, as lbuild builds it) or modules (mlnx-ofa_kernel-modules, the spec's non-KMP "
                + "default)");
    }

    @Test
    void settingsComeFromTheSpec() {
        BuildRequest r = minimal().sudo("never").checkDistro(false).replaceOutput(true).minFreeMiB(0L)
                .withheldDir(Path.of("/srv/held")).environment(List.of("CC=gcc-12"))
                .toRequest(Map.of("HOME", "/h", "PATH", "/opt/bin"));
        assertThat(r.settings().sudo()).isEqualTo(SudoMode.NEVER);
        assertThat(r.settings().checkDistro()).isFalse();
        assertThat(r.settings().replaceOutput()).isTrue();
        assertThat(r.settings().minFreeMiB()).isZero();
        assertThat(r.withheldDir()).isEqualTo(Path.of("/srv/held"));
        assertThat(r.settings().environment()).isEqualTo(Map.of("CC", "gcc-12"));
        assertThat(r.settings().toolEnvironment()).containsEntry("PATH", "/opt/bin");
        assertThat(r.settings().passEnvironment()).isEqualTo(Set.of());
    }
}
