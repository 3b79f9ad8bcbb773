package io.sluice.internal.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.api.StreamingQuery;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's HTTP server (the JDK's own): serves the page, its files, and the tracked
 * queries' progress as JSON at {@code /api/queries}, read-only, on daemon threads.
 */
public final class DashboardServer implements AutoCloseable {
  private static final String PAGE_POLICY =
      "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

  private final HttpServer server;
  private final ExecutorService threads;
  private final DashboardAssets assets = DashboardAssets.load();
  private final TrackedQueries queries = new TrackedQueries();
  private final boolean loopbackOnly;

  private DashboardServer(HttpServer server, ExecutorService threads, boolean loopbackOnly) {
    this.server = server;
    this.threads = threads;
    this.loopbackOnly = loopbackOnly;
  }

  /** Binds {@code address} (port 0: any free port) and starts serving. */
  public static DashboardServer start(InetSocketAddress address) {
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, "cannot start the dashboard on "
          + address + ": " + e.getMessage() + "; choose another port, or 0 for any free one", e);
    }
    ExecutorService threads = daemonThreads();
    DashboardServer dashboard = new DashboardServer(server, threads,
        address.getAddress() != null && address.getAddress().isLoopbackAddress());
    server.createContext("/", dashboard::handle);
    server.setExecutor(threads);
    startOnDaemonThread(server);
    return dashboard;
  }

  /**
   * The JDK's server makes its dispatcher thread a daemon only if the thread that starts it is
   * one; started from an application's main thread, it would keep the JVM alive after main
   * returns, unlike every other thread of an engine.
   */
  private static void startOnDaemonThread(HttpServer server) {
    Thread starter = new Thread(server::start, "sluice-dashboard-start");
    starter.setDaemon(true);
    starter.start();
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.stop(0);
      throw new SluiceException(ErrorKind.EXECUTION,
          "interrupted while starting the dashboard on " + server.getAddress());
    }
  }

  /** Shows {@code query} from now on, and for a while after it stops. */
  public void track(StreamingQuery query) {
    queries.add(query);
  }

  /** Where a browser finds the page; the loopback address stands in for a wildcard bind. */
  public URI uri() {
    InetSocketAddress bound = server.getAddress();
    InetAddress address = bound.getAddress().isAnyLocalAddress()
        ? InetAddress.getLoopbackAddress() : bound.getAddress();
    String host = address instanceof Inet6Address
        ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    return URI.create("http://" + host + ":" + bound.getPort() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Response response = respond(exchange);
      Headers headers = exchange.getResponseHeaders();
      headers.set("Content-Type", response.contentType());
      headers.set("X-Content-Type-Options", "nosniff");
      headers.set("Cache-Control", "no-store");
      if (response.contentType().startsWith("text/html")) {
        headers.set("Content-Security-Policy", PAGE_POLICY);
      }
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(response.status(), head ? -1 : response.body().length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response.body());
        }
      }
    }
  }

  private Response respond(HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      return Response.text(405, "the dashboard only reads: GET or HEAD");
    }
    if (loopbackOnly
        && !HostHeader.namesThisMachine(exchange.getRequestHeaders().getFirst("Host"))) {
      return Response.text(403, "the dashboard answers requests for localhost or an address");
    }
    // The raw path, compared whole: an encoded or dotted path matches nothing.
    String path = exchange.getRequestURI().getRawPath();
    if (path.equals("/api/queries")) {
      return new Response(200, "application/json; charset=utf-8",
          QueriesJson.write(queries.snapshot()).getBytes(StandardCharsets.UTF_8));
    }
    DashboardAssets.@Nullable Asset asset = assets.at(path);
    return asset == null ? Response.text(404, "not found: " + path)
        : new Response(200, asset.contentType(), asset.body());
  }

  private static ExecutorService daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "sluice-dashboard-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** A status, a content type and a body. */
  private record Response(int status, String contentType, byte[] body) {
    static Response text(int status, String message) {
      return new Response(status, "text/plain; charset=utf-8",
          message.getBytes(StandardCharsets.UTF_8));
    }
  }
}
