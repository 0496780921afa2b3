package io.github.mellanoxlustre.ofed;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mellanoxlustre.testing.TestTarball;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random archives made of entries with short names from a small alphabet ({@code ..}, {@code .},
 * absolute paths, links of every kind): whatever the extractor accepts must stay inside the target,
 * and whatever it refuses must leave nothing behind. Symbolic links are checked with the system's
 * {@code realpath -m}, which resolves every link without needing the target to exist.
 */
class SafeArchiveExtractorPropertyTest {
    private static final int ARCHIVES = 250;

    @TempDir
    Path tmp;

    @Test
    void nothingEverLandsOutsideTheTarget() throws Exception {
        Path sandbox = Files.createDirectories(tmp.resolve("a/b/sandbox"));
        Path victim = tmp.resolve("victim");
        SafeArchiveExtractor extractor = new SafeArchiveExtractor();
        int accepted = 0;
        int refused = 0;
        for (int seed = 0; seed < ARCHIVES; seed++) {
            Random random = new Random(seed);
            TestTarball tarball = TestTarball.create();
            List<String> files = new ArrayList<>();
            int count = 1 + random.nextInt(7);
            for (int i = 0; i < count; i++) {
                String name = randomPath(random, victim);
                int kind = random.nextInt(5);
                switch (kind == 3 && files.isEmpty() ? 4 : kind) {
                    case 0 -> tarball.dir(name, 0755);
                    case 1, 2 -> tarball.symlink(name, randomLinkTarget(random, victim));
                    case 3 -> tarball.hardlink(name, random.nextInt(8) == 0
                            ? randomPath(random, victim) : files.get(random.nextInt(files.size())));
                    default -> {
                        tarball.file(name, "seed " + seed, 0644);
                        files.add(name);
                    }
                }
            }
            Path tgz = tarball.write(tmp.resolve("archive.tgz"));
            Path out = sandbox.resolve("out");
            boolean ok;
            try {
                extractor.extract(tgz, out);
                ok = true;
                accepted++;
            } catch (IOException e) {
                ok = false;
                refused++;
            }
            assertThat(everythingUnder(tmp)).as("seed %d", seed).allMatch(p -> p.equals(tgz)
                    || p.startsWith(out) || sandbox.startsWith(p));
            if (ok) {
                assertLinksStayInside(out, seed);
                deleteTree(out);
            } else {
                assertThat(out).as("seed %d: refused archive leaves nothing", seed).doesNotExist();
            }
        }
        System.out.println("accepted " + accepted + ", refused " + refused);
        // the generator must exercise both outcomes for the property to mean something
        assertThat(accepted).isGreaterThan(ARCHIVES / 10);
        assertThat(refused).isGreaterThan(ARCHIVES / 10);
    }

    private static final String[] PARTS = {"a", "b", "c", ".", "..", "d"};
    private static final String[] NAME_PARTS = {"a", "b", "c", "d", "e", "f", "g"};

    private static String randomPath(Random random, Path victim) {
        if (random.nextInt(40) == 0) {
            return victim.resolve("abs" + random.nextInt(3)).toString();
        }
        int depth = 1 + random.nextInt(3);
        List<String> parts = new ArrayList<>();
        if (random.nextInt(5) == 0) {
            parts.add(".");
        }
        for (int i = 0; i < depth; i++) {
            // ".." rarely, so that plenty of archives are valid
            parts.add(random.nextInt(40) == 0 ? ".." : NAME_PARTS[random.nextInt(NAME_PARTS.length)]);
        }
        return String.join("/", parts);
    }

    private static String randomLinkTarget(Random random, Path victim) {
        if (random.nextInt(25) == 0) {
            return victim.toString();
        }
        int depth = 1 + random.nextInt(4);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            parts.add(PARTS[random.nextInt(PARTS.length)]);
        }
        return String.join("/", parts);
    }

    private static Set<Path> everythingUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).collect(Collectors.toSet());
        }
    }

    private static void assertLinksStayInside(Path out, int seed) throws IOException, InterruptedException {
        List<Path> links;
        try (Stream<Path> s = Files.walk(out)) {
            links = s.filter(Files::isSymbolicLink).toList();
        }
        if (links.isEmpty()) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of("realpath", "-m", "--"));
        links.forEach(l -> argv.add(l.toString()));
        Path output = Files.createTempFile("realpath", ".txt");
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean finished = p.waitFor(30, TimeUnit.SECONDS);
        if (!finished) {
            // GNU realpath -m can grow without end on a self-extending link (d -> d/d); the extractor
            // must never have accepted such a link
            p.destroyForcibly().waitFor();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        assertThat(finished).as("seed %d: realpath did not finish on %s", seed, links).isTrue();
        assertThat(p.exitValue()).as(text).isZero();
        Path realOut = out.toRealPath();
        for (String line : text.strip().split("\n")) {
            // compared as paths without touching the file system (the link may dangle)
            assertThat(Path.of(line).normalize().startsWith(realOut)).as("seed %d: a link resolves to %s", seed, line)
                    .isTrue();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        SafeArchiveExtractor.deleteTree(dir);
    }
}
