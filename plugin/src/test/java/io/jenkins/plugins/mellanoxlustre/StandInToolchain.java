package io.jenkins.plugins.mellanoxlustre;

import io.github.mellanoxlustre.testing.KernelTree;
import io.github.mellanoxlustre.testing.KernelTreeFixture;
import io.github.mellanoxlustre.testing.LustreRepo;
import io.github.mellanoxlustre.testing.LustreTreeFixture;
import io.github.mellanoxlustre.testing.OfedBundle;
import io.github.mellanoxlustre.testing.OfedBundleFixture;
import io.github.mellanoxlustre.testing.ZfsDevel;
import io.github.mellanoxlustre.testing.ZfsDevelFixture;
import java.nio.file.Path;

/**
 * The engine's stand-in toolchain (core's test-jar, see docs/tool-contracts.md): a real MLNX_OFED-like
 * bundle with a rebuildable source RPM, a kernel build tree, a lustre-release-like git repository
 * whose {@code make rpms} builds real RPMs, and a ZFS development tree. Everything lives on the
 * machine the test agent runs on (the same machine), under a JUnit temp directory.
 */
record StandInToolchain(OfedBundle bundle, KernelTree kernel, LustreRepo lustre, ZfsDevel zfs, Path cache) {
    static final String KERNEL = "4.18.0-477.10.1.el8_lustre.x86_64";

    static StandInToolchain create(Path dir) throws Exception {
        return create(dir, LustreTreeFixture.Options.defaults());
    }

    static StandInToolchain create(Path dir, LustreTreeFixture.Options lustreOptions) throws Exception {
        OfedBundle bundle = OfedBundleFixture.create(dir.resolve("ofed"), "5.8-3.0.7.0", "rhel8.7", "x86_64");
        KernelTree kernel = KernelTreeFixture.create(dir.resolve("kernel"), KERNEL);
        LustreRepo lustre = LustreTreeFixture.createGitRepo(dir.resolve("lustre-release"), lustreOptions);
        ZfsDevel zfs = ZfsDevelFixture.create(dir.resolve("zfs"), "2.1.15", KERNEL);
        return new StandInToolchain(bundle, kernel, lustre, zfs, dir.resolve("cache"));
    }

    /** The named arguments every test build shares, as Groovy map entries (paths hold no quote). */
    String pipelineArgs() {
        return "bundle: '" + bundle.tgz() + "', kernelRelease: '" + KERNEL + "', kernelSourceDir: '" + kernel.dir()
                + "', lustreRepository: '" + lustre.url() + "', lustreRef: 'b2_15', checkDistro: false, cacheDir: '"
                + cache + "'";
    }

    /** The same options on a freestyle builder. */
    MellanoxLustreBuilder builder() {
        MellanoxLustreBuilder b = new MellanoxLustreBuilder(bundle.tgz().toString());
        b.setKernelRelease(KERNEL);
        b.setKernelSourceDir(kernel.dir().toString());
        b.setLustreRepository(lustre.url());
        b.setLustreRef("b2_15");
        b.setCheckDistro(false);
        b.setCacheDir(cache.toString());
        return b;
    }
}
