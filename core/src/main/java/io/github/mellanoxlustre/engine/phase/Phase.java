package io.github.mellanoxlustre.engine.phase;

/**
 * The phases of a build, in the order they run: the one table of their numbers and titles, used by
 * the plan, the run, the console banners ({@code [3/9] Rebuild OFED kernel modules}) and the log
 * file names ({@code logs/03-rebuild-ofed-kernel-modules.log}).
 */
public enum Phase {
    /** 1: every check that can be made before the long phases. */
    PREFLIGHT("Preflight"),
    /** 2: fetch and extract the OFED source, or find the installed OFED. */
    GET_OFED("Get OFED"),
    /** 3: rebuild OFED's kernel packages for the target kernel, or take them from the cache. */
    OFED_REBUILD("Rebuild OFED kernel modules"),
    /** 4: unpack {@code mlnx-ofa_kernel-devel}, the tree Lustre's configure is given. */
    OFED_DEVEL("Stage mlnx-ofa_kernel-devel"),
    /** 5: clone or fetch the Lustre git remote, or take a local tree. */
    LUSTRE_SOURCE("Get the Lustre source"),
    /** 6: {@code autogen.sh} and {@code configure --with-o2ib}. */
    LUSTRE_CONFIGURE("Configure Lustre"),
    /** 7: {@code make rpms} and/or {@code make dkms-rpms}. */
    LUSTRE_BUILD("Build the Lustre RPMs"),
    /** 8: the Lustre modules' kernel symbol CRCs against OFED's and the kernel's. */
    VERIFY("Verify kernel symbols"),
    /** 9: the distribution policy, then the output published in one rename. */
    PUBLISH("Check the policy and publish");

    private final String title;

    Phase(String title) {
        this.title = title;
    }

    /** The 1-based number shown in banners and log names. */
    public int number() {
        return ordinal() + 1;
    }

    /** The title shown in banners, failures and the plan. */
    public String title() {
        return title;
    }

    /** How many phases a build has. */
    public static int count() {
        return values().length;
    }
}
