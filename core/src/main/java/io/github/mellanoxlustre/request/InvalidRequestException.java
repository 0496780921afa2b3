package io.github.mellanoxlustre.request;

/**
 * A bad request: a value the user gave is not accepted. The message starts with the name the user
 * typed (an option such as {@code --backend}, or a form field such as {@code backends}) and states
 * the accepted form. Nothing ran. It is an {@link IllegalArgumentException}, as every invalid value
 * in core is.
 */
public class InvalidRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
