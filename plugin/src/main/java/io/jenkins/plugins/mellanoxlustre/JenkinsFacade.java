package io.jenkins.plugins.mellanoxlustre;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.FingerprintMap;
import hudson.security.Permission;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * The one place that calls {@link Jenkins#get()}, as warnings-ng's {@code JenkinsFacade}: everything
 * else asks this facade for the controller's permissions, fingerprints and root URL, so
 * the rest of the plugin stays readable without a running Jenkins in mind (an architecture test keeps
 * it so).
 */
public class JenkinsFacade {
    /** Whether the current user has {@code permission} on Jenkins itself. */
    public boolean hasPermission(Permission permission) {
        return Jenkins.get().hasPermission(permission);
    }

    /** Throws (HTTP 403 in a request) unless the current user has {@code permission} on Jenkins itself. */
    public void checkPermission(Permission permission) {
        Jenkins.get().checkPermission(permission);
    }

    /** The controller's fingerprint records. */
    public FingerprintMap getFingerprintMap() {
        return Jenkins.get().getFingerprintMap();
    }

    /** The configured root URL, or null when none is configured. */
    @CheckForNull
    public String getRootUrl() {
        return Jenkins.get().getRootUrl();
    }

    /** The descriptors of {@code type}'s implementations, in their extension order. */
    public <T extends Describable<T>> List<Descriptor<T>> getDescriptorList(Class<T> type) {
        return List.copyOf(Jenkins.get().getDescriptorList(type));
    }

    /** The descriptor of {@code type}. */
    @SuppressWarnings("unchecked")
    public <T extends Describable<T>> Descriptor<T> getDescriptorOrDie(Class<T> type) {
        return (Descriptor<T>) Jenkins.get().getDescriptorOrDie(type);
    }
}
