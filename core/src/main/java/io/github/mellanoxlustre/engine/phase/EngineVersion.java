package io.github.mellanoxlustre.engine.phase;

/** The engine's version, from the jar manifest when packaged. */
final class EngineVersion {
    private EngineVersion() {
    }

    static String get() {
        String v = EngineVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
