package io.github.mellanoxlustre.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on 127.0.0.1 (random port) serving the files under a directory, for tests of
 * {@code http://} bundle locations. Besides plain files it can answer a path with a redirect or with a
 * body that stops after some bytes (to test read timeouts).
 *
 * <pre>{@code
 * try (LoopbackHttpServer http = LoopbackHttpServer.start(dir)) {
 *     URI url = http.uri("MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.7-x86_64.tgz");
 *     ...
 * }
 * }</pre>
 */
public final class LoopbackHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final Path root;
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final Map<String, Long> stalls = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    private LoopbackHttpServer(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loopback-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts serving the files under {@code root} at {@code http://127.0.0.1:<port>/<relative path>}. */
    public static LoopbackHttpServer start(Path root) throws IOException {
        return new LoopbackHttpServer(root);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>/<path>}. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + "/" + (path.startsWith("/") ? path.substring(1) : path));
    }

    /** Answers {@code path} with a 302 redirect to {@code location}. */
    public LoopbackHttpServer redirect(String path, String location) {
        redirects.put(normalize(path), location);
        return this;
    }

    /**
     * Answers {@code path} (a served file) with its full Content-Length but only its first
     * {@code bytes} bytes, then sends nothing more until the server is closed.
     */
    public LoopbackHttpServer stallAfter(String path, long bytes) {
        stalls.put(normalize(path), bytes);
        return this;
    }

    /** The request paths received so far, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private static String normalize(String path) {
        return path.startsWith("/") ? path : "/" + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String location = redirects.get(path);
            if (location != null) {
                exchange.getResponseHeaders().add("Location", location);
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            Path file = root.resolve(path.substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                byte[] body = "not found\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(404, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            long size = Files.size(file);
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, size);
            Long stallAt = stalls.get(path);
            try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
                if (stallAt == null) {
                    in.transferTo(out);
                } else {
                    out.write(in.readNBytes((int) Math.min(stallAt, size)));
                    out.flush();
                    closing.await(60, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException clientWentAway) {
                // the client closed the connection: nothing to answer
            }
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
