package io.github.mellanoxlustre.policy;

/**
 * A policy could not be resolved: an unknown policy name, an unreadable policy file, or a policy
 * file that fails validation. The message names the file, the field and the accepted form.
 */
public class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    public PolicyException(String message) {
        super(message);
    }

    public PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
