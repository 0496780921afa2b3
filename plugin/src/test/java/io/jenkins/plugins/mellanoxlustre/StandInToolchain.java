package io.jenkins.plugins.mellanoxlustre;

import hudson.EnvVars;
import io.github.mellanoxlustre.engine.EngineFixtures;
import io.github.mellanoxlustre.standin.LustreRepo;
import io.github.mellanoxlustre.standin.LustreTreeFixture;
import io.github.mellanoxlustre.standin.ZfsDevel;
import io.github.mellanoxlustre.standin.ZfsDevelFixture;
import java.nio.file.Path;

/**
 * The engine's stand-in toolchain from core's test-jar ({@link EngineFixtures}, see
 * docs/tool-contracts.md): an MLNX_OFED-like bundle with a rebuildable source RPM, a kernel build
 * tree, a lustre-release-like git repository whose {@code make rpms} builds real RPMs, autotools
 * stubs for preflight, plus a ZFS development tree. Everything lives on this machine, where the test
 * agent runs too.
 */
record StandInToolchain(EngineFixtures engine, LustreRepo lustre, ZfsDevel zfs) {
    static final String KERNEL = EngineFixtures.KERNEL;

    static StandInToolchain create(Path dir) throws Exception {
        EngineFixtures f = EngineFixtures.create(dir.resolve("engine"));
        return new StandInToolchain(f, f.lustre, ZfsDevelFixture.create(dir.resolve("zfs"), "2.1.15", KERNEL));
    }

    /** The same toolchain with another lustre-release repository (e.g. one whose make hangs). */
    static StandInToolchain create(Path dir, LustreTreeFixture.Options lustreOptions) throws Exception {
        StandInToolchain t = create(dir);
        return new StandInToolchain(t.engine, LustreTreeFixture.createGitRepo(dir.resolve("lustre-custom"),
                lustreOptions), t.zfs);
    }

    Path bundle() {
        return engine.bundle.tgz();
    }

    /** The agent's environment: the autotools stubs first on the PATH, as the engine's own e2e tests do. */
    EnvVars agentEnv() {
        return new EnvVars("PATH", engine.path());
    }

    /** The named arguments every test build shares, as Groovy map entries (paths hold no quote). */
    String pipelineArgs() {
        return pipelineArgs("ofedBundle('" + bundle() + "')");
    }

    /** The same with another OFED source, {@code ofed} a Groovy expression such as {@code ofedBundle(...)}. */
    String pipelineArgs(String ofed) {
        return "ofed: " + ofed + ", kernel: targetKernel(release: '" + KERNEL + "', sourceDir: '" + engine.kernel.dir()
                + "'), lustre: lustreGit(repository: '" + lustre.url() + "', ref: 'b2_15'), checkDistro: false, "
                + "cacheDir: '" + engine.cache + "'";
    }

    /** The arguments of {@link #pipelineArgs()} with the flat names of scripts written before the nested ones. */
    String flatPipelineArgs() {
        return "bundle: '" + bundle() + "', kernelRelease: '" + KERNEL + "', kernelSourceDir: '" + engine.kernel.dir()
                + "', lustreRepository: '" + lustre.url() + "', lustreRef: 'b2_15', checkDistro: false, cacheDir: '"
                + engine.cache + "'";
    }

    /** The same options on a freestyle builder. */
    MellanoxLustreBuilder builder() {
        MellanoxLustreBuilder b = new MellanoxLustreBuilder();
        b.setOfed(new OfedBundle(bundle().toString()));
        TargetKernel kernel = new TargetKernel();
        kernel.setRelease(KERNEL);
        kernel.setSourceDir(engine.kernel.dir().toString());
        b.setKernel(kernel);
        LustreGit git = new LustreGit();
        git.setRepository(lustre.url());
        git.setRef("b2_15");
        b.setLustre(git);
        b.setCheckDistro(false);
        b.setCacheDir(engine.cache.toString());
        return b;
    }
}
