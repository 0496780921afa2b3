package io.github.mellanoxlustre.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelResolverTest {
    static final String STOCK = "4.18.0-477.10.1.el8_8.x86_64";
    static final String LUSTRE = "4.18.0-477.10.1.el8_lustre.x86_64";
    static final String LUSTRE2 = "4.18.0-553.5.1.el8_lustre.x86_64";

    @TempDir
    Path root;
    Path osrelease;
    Path modules;
    Path kernels;
    KernelResolver resolver;

    @BeforeEach
    void layout() throws IOException {
        osrelease = root.resolve("proc/osrelease");
        modules = root.resolve("lib/modules");
        kernels = root.resolve("usr/src/kernels");
        Files.createDirectories(osrelease.getParent());
        Files.writeString(osrelease, STOCK + "\n");
        resolver = new KernelResolver(osrelease, modules, kernels);
    }

    private Path develTree(String release) throws IOException {
        Path tree = Files.createDirectories(kernels.resolve(release));
        Files.createDirectories(tree.resolve("include/config"));
        Files.writeString(tree.resolve("include/config/kernel.release"), release + "\n");
        return tree;
    }

    @Test
    void runningKernelByDefault() throws Exception {
        ResolvedKernel k = resolver.resolve(KernelTarget.detect());
        assertThat(k.release()).isEqualTo(STOCK);
        assertThat(k.sourceDir()).isEqualTo(modules.resolve(STOCK).resolve("build"));
        assertThat(k.moduleSymvers()).isEqualTo(modules.resolve(STOCK).resolve("build/Module.symvers"));
        assertThat(k.origin()).isEqualTo("the running kernel");
    }

    @Test
    void runningLustreKernelWins() throws Exception {
        Files.writeString(osrelease, LUSTRE + "\n");
        develTree(LUSTRE2);
        ResolvedKernel k = resolver.resolve(KernelTarget.detect());
        assertThat(k.release()).isEqualTo(LUSTRE);
        assertThat(k.origin()).contains("Lustre-patched");
    }

    @Test
    void singleLustreDevelTree() throws Exception {
        develTree(STOCK);
        Path tree = develTree(LUSTRE);
        Files.createDirectories(kernels.resolve("not_a_release_lustre"));
        ResolvedKernel k = resolver.resolve(KernelTarget.detect());
        assertThat(k).isEqualTo(new ResolvedKernel(LUSTRE, tree, "the only *_lustre* kernel-devel tree in " + kernels));
    }

    @Test
    void severalLustreTreesAreAnErrorListingThem() throws Exception {
        develTree(LUSTRE);
        develTree(LUSTRE2);
        assertThatThrownBy(() -> resolver.resolve(KernelTarget.detect()))
                .isInstanceOf(KernelResolutionException.class)
                .hasMessageStartingWith("kernelRelease: several Lustre kernel-devel trees")
                .hasMessageContaining(LUSTRE + ", " + LUSTRE2)
                .hasMessageContaining("running kernel " + STOCK);
    }

    @Test
    void givenReleaseUsesItsBuildTreeOrTheDevelTree() throws Exception {
        ResolvedKernel k = resolver.resolve(new KernelTarget(Optional.of(LUSTRE), Optional.empty()));
        assertThat(k.sourceDir()).isEqualTo(modules.resolve(LUSTRE).resolve("build"));
        Path devel = develTree(LUSTRE);
        assertThat(resolver.resolve(new KernelTarget(Optional.of(LUSTRE), Optional.empty())).sourceDir()).isEqualTo(devel);
        Path build = Files.createDirectories(modules.resolve(LUSTRE).resolve("build"));
        assertThat(resolver.resolve(new KernelTarget(Optional.of(LUSTRE), Optional.empty())).sourceDir()).isEqualTo(build);
    }

    @Test
    void givenTreeGivesItsRelease() throws Exception {
        Path tree = develTree(LUSTRE2);
        ResolvedKernel k = resolver.resolve(new KernelTarget(Optional.empty(), Optional.of(tree)));
        assertThat(k.release()).isEqualTo(LUSTRE2);
        assertThat(k.sourceDir()).isEqualTo(tree);
        Path bare = Files.createDirectories(root.resolve("bare"));
        assertThatThrownBy(() -> resolver.resolve(new KernelTarget(Optional.empty(), Optional.of(bare))))
                .hasMessageContaining("has neither a readable include/generated/utsrelease.h nor include/config/kernel.release");
        Files.createDirectories(bare.resolve("include/config"));
        Files.writeString(bare.resolve("include/config/kernel.release"), "garbage here");
        assertThatThrownBy(() -> resolver.resolve(new KernelTarget(Optional.empty(), Optional.of(bare))))
                .hasMessageContaining("holds 'garbage here', not a kernel release");
    }

    @Test
    void givenTreeGivesUtsReleaseBeforeKernelRelease() throws Exception {
        // Debian's linux-headers-6.1.0-57-amd64: kernel.release holds the upstream version
        Path tree = Files.createDirectories(root.resolve("usr/src/linux-headers-6.1.0-57-amd64"));
        Files.createDirectories(tree.resolve("include/config"));
        Files.createDirectories(tree.resolve("include/generated"));
        Files.writeString(tree.resolve("include/config/kernel.release"), "6.1.192\n");
        Files.writeString(tree.resolve("include/generated/utsrelease.h"), "#define UTS_RELEASE \"6.1.0-57-amd64\"\n");
        ResolvedKernel k = resolver.resolve(new KernelTarget(Optional.empty(), Optional.of(tree)));
        assertThat(k.release()).isEqualTo("6.1.0-57-amd64");
        Files.writeString(tree.resolve("include/generated/utsrelease.h"), "/* nothing */\n");
        assertThatThrownBy(() -> resolver.resolve(new KernelTarget(Optional.empty(), Optional.of(tree))))
                .hasMessageContaining("has no #define UTS_RELEASE");
    }

    @Test
    void bothGivenAreUsedAsTheyAre() throws Exception {
        ResolvedKernel k = resolver.resolve(new KernelTarget(Optional.of(LUSTRE), Optional.of(Path.of("/x"))));
        assertThat(k).isEqualTo(new ResolvedKernel(LUSTRE, Path.of("/x"), "as requested"));
    }

    @Test
    void unreadableRunningRelease() throws Exception {
        Files.delete(osrelease);
        assertThatThrownBy(() -> resolver.resolve(KernelTarget.detect()))
                .hasMessageStartingWith("kernelRelease: cannot read the running kernel's release from " + osrelease);
    }

    @Test
    void realMachine() throws Exception {
        // /proc/sys/kernel/osrelease exists on every Linux machine the tests run on
        ResolvedKernel k = new KernelResolver().resolve(KernelTarget.detect());
        assertThat(k.release()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
    }
}
