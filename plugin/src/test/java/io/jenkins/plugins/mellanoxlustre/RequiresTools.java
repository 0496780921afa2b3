package io.jenkins.plugins.mellanoxlustre;

import java.io.File;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A test (or every test of a class) that runs programs: it is skipped, and reported as skipped with the
 * missing programs named, where one of them is not on the {@code PATH} (a Windows agent, a container
 * without rpm-build). The condition is evaluated before Jenkins starts, so a skipped test costs nothing.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresTools.Condition.class)
@interface RequiresTools {
    /** Program names, looked up on the {@code PATH} of the test JVM (where the test agents run too). */
    String[] value();

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            List<String> missing = new ArrayList<>();
            for (String tool : required(context)) {
                if (!onPath(tool) && !missing.contains(tool)) {
                    missing.add(tool);
                }
            }
            return missing.isEmpty()
                    ? ConditionEvaluationResult.enabled("every program it runs is on the PATH")
                    : ConditionEvaluationResult.disabled("needs " + String.join(", ", missing)
                            + " on the PATH, which this machine lacks (the engine runs on Linux agents with rpm-build, "
                            + "git and bash)");
        }

        private static List<String> required(ExtensionContext context) {
            List<String> tools = new ArrayList<>();
            Optional<RequiresTools> onElement = AnnotationSupport.findAnnotation(context.getElement(), RequiresTools.class);
            onElement.ifPresent(r -> tools.addAll(List.of(r.value())));
            context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, RequiresTools.class))
                    .ifPresent(r -> tools.addAll(List.of(r.value())));
            return tools;
        }

        static boolean onPath(String program) {
            String path = System.getenv("PATH");
            if (path == null) {
                return false;
            }
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                    return true;
                }
            }
            return false;
        }
    }
}
