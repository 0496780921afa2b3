package io.github.mellanoxlustre.engine;

/**
 * The request is valid but cannot run here, now: the work directory is in use by another build, was
 * not made by mlnx-lustre or cannot be cleaned; the policy file cannot be read or is not a valid
 * policy. Nothing ran. The message starts with the field concerned ({@code workDir: ...},
 * {@code policy: ...}) and says what to do.
 *
 * <p>Unlike {@link InvalidRequestException} this is not the user's typing: the same request can run
 * elsewhere or later. Unchecked, like the request's own errors, so {@link BuildEngine#plan} and
 * {@link BuildEngine#run} keep their signatures.
 */
public class CannotRunHereException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CannotRunHereException(String message, Throwable cause) {
        super(message, cause);
    }
}
