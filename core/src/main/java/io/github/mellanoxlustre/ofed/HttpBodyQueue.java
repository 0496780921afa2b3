package io.github.mellanoxlustre.ofed;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Receives an HTTP response body from the JDK client one buffer list at a time and hands it to the
 * fetching thread, which waits at most the read timeout for each part and reacts to an interrupt.
 * (The JDK's own {@code BodyHandlers.ofInputStream()} stream has no read timeout, and on Java 17 a
 * read blocked in it swallows the thread's interrupt, so an aborted build would hang there.)
 */
final class HttpBodyQueue implements Flow.Subscriber<List<ByteBuffer>> {
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        queue.add(throwable);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    /** Stops the body (closes the connection's use for this response). */
    void cancel() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    /**
     * Copies the whole body into {@code sink}.
     *
     * @throws SocketTimeoutException  when nothing arrives for {@code idle}
     * @throws InterruptedIOException when the thread is interrupted (its interrupt flag stays set)
     */
    void copyTo(TransferSink sink, Duration idle) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try {
            while (true) {
                Object item;
                try {
                    item = queue.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    InterruptedIOException ie = new InterruptedIOException("interrupted");
                    ie.initCause(e);
                    throw ie;
                }
                if (item == null) {
                    throw new SocketTimeoutException("nothing received for " + BundleFetcher.seconds(idle));
                }
                if (item == END) {
                    return;
                }
                if (item instanceof Throwable t) {
                    throw t instanceof IOException io ? io : new IOException(BundleFetcher.describe(t), t);
                }
                @SuppressWarnings("unchecked")
                List<ByteBuffer> buffers = (List<ByteBuffer>) item;
                for (ByteBuffer b : buffers) {
                    while (b.hasRemaining()) {
                        int n = Math.min(chunk.length, b.remaining());
                        b.get(chunk, 0, n);
                        sink.write(chunk, 0, n);
                    }
                }
                subscription.request(1);
            }
        } catch (IOException | RuntimeException e) {
            cancel();
            throw e;
        }
    }
}
