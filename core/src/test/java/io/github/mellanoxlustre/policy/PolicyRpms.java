package io.github.mellanoxlustre.policy;

import io.github.mellanoxlustre.rpm.RpmDependency;
import io.github.mellanoxlustre.rpm.RpmPackage;
import io.github.mellanoxlustre.testing.RpmQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** Reads a real RPM for the policy tests. INTERIM: rpm -qp until RpmReader is merged. */
final class PolicyRpms {
    private PolicyRpms() {
    }

    static RpmPackage read(Path rpm) throws Exception {
        List<String> h = RpmQuery.query(rpm, "--qf",
                "%{NAME}\\n%|EPOCH?{%{EPOCH}}:{}|\\n%{VERSION}\\n%{RELEASE}\\n%{ARCH}\\n%{LICENSE}\\n"
                        + "%|SOURCEPACKAGE?{1}:{0}|\\n%|SOURCERPM?{%{SOURCERPM}}:{}|\\n");
        List<RpmDependency> req = new ArrayList<>();
        for (String l : RpmQuery.query(rpm, "--qf", "[%{REQUIRENAME}\\t%{REQUIREFLAGS}\\t%{REQUIREVERSION}\\n]")) {
            String[] f = l.split("\t", -1);
            req.add(new RpmDependency(f[0], Integer.parseInt(f[1]), f[2]));
        }
        List<String> files = RpmQuery.query(rpm, "--qf", "[%{FILENAMES}\\n]");
        return new RpmPackage(h.get(0), h.get(1).isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(h.get(1))),
                h.get(2), h.get(3), h.get(4), h.get(5), h.get(6).equals("1"), h.get(7), req, List.of(), files, "", 0);
    }
}
