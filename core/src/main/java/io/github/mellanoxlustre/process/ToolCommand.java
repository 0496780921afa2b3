package io.github.mellanoxlustre.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One external command: an argv list (never a shell string), the directory it runs in, the
 * environment variables it gets on top of the engine's own, the exit codes that count as success,
 * and the secrets that must never appear in what is displayed or logged.
 *
 * @param argv       the program and its arguments; the program must not start with {@code -}
 * @param dir        the working directory
 * @param env        variables set for the tool (added to, or replacing, the inherited environment)
 * @param okExits    exit codes that are not a failure (always contains 0)
 * @param secrets    strings masked as {@code ****} in the displayed command and in logged output
 */
public record ToolCommand(List<String> argv, Path dir, Map<String, String> env, Set<Integer> okExits,
                          List<String> secrets) {

    /** What replaces a secret in displays and logs. */
    public static final String MASK = "****";

    public ToolCommand {
        argv = List.copyOf(argv);
        Objects.requireNonNull(dir, "dir");
        env = Map.copyOf(env);
        TreeSet<Integer> ok = new TreeSet<>(okExits);
        ok.add(0);
        okExits = Set.copyOf(ok);
        secrets = secrets.stream().filter(s -> s != null && !s.isEmpty()).toList();
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs a program");
        }
        if (argv.get(0).isEmpty() || argv.get(0).startsWith("-")) {
            throw new IllegalArgumentException("'" + argv.get(0) + "' is not a program name");
        }
        for (String a : argv) {
            if (a.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a command argument contains a NUL character");
            }
        }
    }

    /** A command with no extra environment that succeeds only with exit code 0. */
    public static ToolCommand of(Path dir, List<String> argv) {
        return new ToolCommand(argv, dir, Map.of(), Set.of(0), List.of());
    }

    /** A command with no extra environment that succeeds only with exit code 0. */
    public static ToolCommand of(Path dir, String... argv) {
        return of(dir, List.of(argv));
    }

    /** This command with one more environment variable. */
    public ToolCommand withEnv(String name, String value) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new ToolCommand(argv, dir, e, okExits, secrets);
    }

    /** This command with these environment variables added. */
    public ToolCommand withEnv(Map<String, String> more) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.putAll(more);
        return new ToolCommand(argv, dir, e, okExits, secrets);
    }

    /** This command, also accepting these exit codes as success. */
    public ToolCommand accepting(Integer... codes) {
        Set<Integer> ok = new TreeSet<>(okExits);
        ok.addAll(List.of(codes));
        return new ToolCommand(argv, dir, env, ok, secrets);
    }

    /** This command with a secret to mask. */
    public ToolCommand masking(String secret) {
        List<String> s = new ArrayList<>(secrets);
        s.add(secret);
        return new ToolCommand(argv, dir, env, okExits, s);
    }

    /** This command with the program run through another, e.g. {@code sudo -n}. */
    public ToolCommand prefixedWith(List<String> prefix) {
        List<String> a = new ArrayList<>(prefix);
        a.addAll(argv);
        return new ToolCommand(a, dir, env, okExits, secrets);
    }

    /** The program name as the user would recognise it (the last path element of argv[0]). */
    public String program() {
        String p = argv.get(0);
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /**
     * The command as a person would type it into a POSIX shell: arguments that need it are
     * single-quoted; secrets are replaced by {@link #MASK}. For display only, never executed.
     */
    public String display() {
        StringBuilder b = new StringBuilder();
        for (String a : argv) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(ShellQuote.quote(mask(a)));
        }
        return b.toString();
    }

    /** Replaces every secret in a text by {@link #MASK}. */
    public String mask(String text) {
        String t = text;
        for (String s : secrets) {
            t = t.replace(s, MASK);
        }
        return t;
    }

    @Override
    public String toString() {
        return display();
    }
}
