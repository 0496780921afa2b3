package io.github.mellanoxlustre.detach;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.request.BuildRequest;
import io.github.mellanoxlustre.request.BuildSpec;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetachedSpecTest {
    @TempDir
    Path dir;

    /**
     * Every input a {@link BuildSpec} takes has a {@link DetachedSpec} setter of the same name, so a
     * new spec field cannot be forgotten on the way to a detached engine process.
     */
    @Test
    void everyBuildSpecSetterHasItsDetachedTwin() {
        Set<String> spec = setters(BuildSpec.class, BuildSpec.class);
        Set<String> detached = setters(DetachedSpec.class, DetachedSpec.class);
        assertThat(spec).isNotEmpty();
        assertThat(detached).containsAll(spec);
    }

    private static Set<String> setters(Class<?> type, Class<?> returning) {
        return Arrays.stream(type.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getReturnType() == returning)
                .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Through JSON and back, the spec makes the same request as the original (passphrases aside). */
    @Test
    void theJsonMakesTheSameRequest() throws Exception {
        DetachedSpec original = new DetachedSpec().names(Map.of(BuildSpec.Field.BACKENDS, "--backend"))
                .baseDir(dir).bundle("MLNX_OFED_LINUX-5.8-2.0.3.0-rhel8.8-x86_64.tgz")
                .kernelRelease("4.18.0-477.27.1.el8_lustre.x86_64").kernelSource(Path.of("kernel"))
                .ofedRebuild("add-kernel-support").sudo("never").lustreDir(Path.of("lustre"))
                .backends(List.of("ldiskfs, zfs")).zfsSource(Path.of("zfs")).zfsObj(Path.of("zfs-obj"))
                .packaging(List.of("kmod", "dkms")).makeJobs(3).policy("internal").outputDir(dir.resolve("out"))
                .withheldDir(dir.resolve("held")).replaceOutput(true).workDir(Path.of("work"))
                .cacheDir(Path.of("cache")).checkDistro(false).minFreeMiB(7L).environment(List.of("CC=gcc-12"))
                .toolEnvironment(List.of("CCACHE_DIR"));
        DetachedSpec copy = EngineJson.MAPPER.readValue(EngineJson.MAPPER.writeValueAsBytes(original),
                DetachedSpec.class);
        Map<String, String> env = Map.of("HOME", dir.toString(), "CCACHE_DIR", "/ccache");
        BuildRequest a = original.toBuildSpec(EngineSecrets.of(env)).toRequest(env);
        BuildRequest b = copy.toBuildSpec(EngineSecrets.of(env)).toRequest(env);
        assertThat(b).isEqualTo(a);
        assertThat(b.settings().environment()).containsEntry("CC", "gcc-12");
        assertThat(b.lustreOptions().makeJobs()).isEqualTo(3);
        assertThat(EngineJson.MAPPER.writeValueAsString(copy)).isEqualTo(EngineJson.MAPPER.writeValueAsString(original));
        assertThat(copy.toBuildSpec(EngineSecrets.of(env)).name(BuildSpec.Field.BACKENDS)).isEqualTo("--backend");
    }

    /** Each OFED source besides a bundle, and the non-KMP packaging, survive the JSON too. */
    @Test
    void theOtherOfedSourcesMakeTheSameRequest() throws Exception {
        Map<String, String> env = Map.of("HOME", dir.toString());
        List<DetachedSpec> specs = List.of(
                base().ofedSrpm("ofed/mlnx-ofa_kernel-25.10-OFED.25.10.1.7.1.1.src.rpm").ofedPackaging("modules"),
                base().docaRepo("/mirror/doca/3.2.1"),
                base().ofedInstalled(null),
                base().ofedInstalled(Path.of("ofed-root")));
        for (DetachedSpec original : specs) {
            DetachedSpec copy = EngineJson.MAPPER.readValue(EngineJson.MAPPER.writeValueAsBytes(original),
                    DetachedSpec.class);
            BuildRequest a = original.toBuildSpec(EngineSecrets.of(env)).toRequest(env);
            assertThat(copy.toBuildSpec(EngineSecrets.of(env)).toRequest(env)).isEqualTo(a);
        }
        assertThat(specs.get(0).toBuildSpec(EngineSecrets.of(env)).toRequest(env).settings().ofedKmp()).isFalse();
        assertThat(specs.get(3).toBuildSpec(EngineSecrets.of(env)).toRequest(env).ofed())
                .isEqualTo(new io.github.mellanoxlustre.ofed.OfedSource.Installed(Optional.of(dir.resolve("ofed-root"))));
    }

    private DetachedSpec base() {
        return new DetachedSpec().baseDir(dir).lustreDir(Path.of("lustre")).outputDir(dir.resolve("out"))
                .workDir(Path.of("work"));
    }
}
