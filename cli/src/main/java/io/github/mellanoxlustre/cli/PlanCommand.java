package io.github.mellanoxlustre.cli;

import io.github.mellanoxlustre.engine.BuildEngine;
import io.github.mellanoxlustre.request.BuildRequest;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mlnx-lustre plan}: the phases and exact commands a build would run, running nothing. */
@Command(name = "plan", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Print the phases and the exact commands 'build' would run with these options, without "
                + "running anything. Values only known while building are shown as <placeholders>."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:plan printed", "2:bad usage or an invalid value",
            "4:cannot run here (the policy file is unreadable or invalid)"})
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BuildOptions options;

    @Override
    public Integer call() throws Exception {
        BuildRequest request = options.toRequest(spec);
        PrintWriter out = spec.commandLine().getOut();
        if (options.temporaryWorkDir) {
            out.println("(work directory: a new temporary directory such as " + request.workDir() + ")");
        }
        String plan;
        try {
            plan = new BuildEngine().plan(request).render();
        } catch (RuntimeException e) {
            return ExitCodes.report(spec, e, request.secretMasker());
        }
        out.print(plan);
        out.flush();
        return 0;
    }
}
