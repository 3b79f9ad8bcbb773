package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.sluice.fixtures.Click;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The live dashboard's HTTP side: when it listens, where, and what it serves. */
class DashboardTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Nested
  class Listening {
    @Test
    void anEngineOpensNoPortUnlessTheDashboardIsTurnedOn() throws Exception {
      assumeThat(Path.of("/proc/self/fd")).exists();
      Set<String> before = listeningSockets();
      try (Sluice engine = Sluice.create()) {
        assertThat(engine.dashboardUri()).isNull();
        assertThat(listeningSockets()).isSubsetOf(before);
      }
      try (Sluice engine = Sluice.builder().dashboard(0).build()) {
        assertThat(listeningSockets()).hasSize(before.size() + 1);
      }
    }

    @Test
    void listensOnTheLoopbackAddressByDefault() throws Exception {
      try (Sluice engine = Sluice.builder().dashboard(0).build()) {
        URI uri = engine.dashboardUri();
        assertThat(uri.getHost()).isEqualTo(InetAddress.getLoopbackAddress().getHostAddress());
        assertThat(uri.getPort()).isPositive();
        assertThat(get(uri.resolve("/")).statusCode()).isEqualTo(200);
        Optional<InetAddress> outside = nonLoopbackAddress();
        assumeThat(outside).as("this machine has a non-loopback address").isPresent();
        assertThatThrownBy(() -> new Socket(outside.get(), uri.getPort()).close())
            .isInstanceOf(ConnectException.class);
      }
    }

    @Test
    void listensOnAnExplicitAddress() throws Exception {
      InetSocketAddress any = new InetSocketAddress(0);
      try (Sluice engine = Sluice.builder().dashboard(any).build()) {
        assertThat(get(engine.dashboardUri().resolve("/")).statusCode()).isEqualTo(200);
      }
    }

    @Test
    void stopsListeningWhenTheEngineCloses() throws Exception {
      URI uri;
      try (Sluice engine = Sluice.builder().dashboard(0).build()) {
        uri = engine.dashboardUri();
        assertThat(get(uri.resolve("/")).statusCode()).isEqualTo(200);
        engine.close(); // and once more by try-with-resources: harmless
      }
      assertThatThrownBy(() -> new Socket(uri.getHost(), uri.getPort()).close())
          .isInstanceOf(ConnectException.class);
    }

    @Test
    void anEngineThatFailsToBuildLeavesNoPortOpen() throws Exception {
      assumeThat(Path.of("/proc/self/fd")).exists();
      Set<String> before = listeningSockets();
      assertThatThrownBy(() -> Sluice.builder().dashboard(0).statePartitions(0).build())
          .hasMessageContaining("state partitions");
      assertThat(listeningSockets()).isSubsetOf(before);
    }

    @Test
    void anEngineLeftOpenDoesNotKeepTheJvmAliveThroughItsDashboard() throws Exception {
      Set<Thread> before = Thread.getAllStackTraces().keySet();
      try (Sluice engine = Sluice.builder().dashboard(0).build()) {
        assertThat(get(engine.dashboardUri().resolve("/")).statusCode()).isEqualTo(200);
        Set<Thread> started = new HashSet<>(Thread.getAllStackTraces().keySet());
        started.removeAll(before);
        assertThat(started).isNotEmpty().allMatch(Thread::isDaemon, "is a daemon thread");
      }
    }

    @Test
    void aPortInUseIsAClearError() throws Exception {
      try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        assertThatThrownBy(() -> Sluice.builder().dashboard(taken.getLocalPort()).build())
            .isInstanceOf(SluiceException.class)
            .hasMessageContaining("cannot start the dashboard on")
            .hasMessageContaining(":" + taken.getLocalPort())
            .hasMessageContaining("choose another port, or 0 for any free one");
      }
    }
  }

  @Nested
  class Queries {
    @Test
    void listsEachQueryWithItsRecentProgressInSparksLayout() throws Exception {
      try (Sluice engine = Sluice.builder().dashboard(0).build()) {
        MemoryStream<Click> clicks = engine.memoryStream(Click.class);
        StreamingQuery query = clicks.toDataset().groupBy("page").count().writeStream()
            .outputMode(OutputMode.COMPLETE).format("memory").queryName("views").start();
        clicks.addData(Click.of("ann", "home", 1), Click.of("bob", "cart", 2));
        query.processAllAvailable();
        clicks.addData(Click.of("cy", "home", 3));
        query.processAllAvailable();

        String json = get(engine.dashboardUri().resolve("/api/queries")).body();

        List<StreamingQueryProgress> progress = query.recentProgress();
        assertThat(progress).hasSize(2);
        assertThat(json).isEqualTo("{\"queries\":[{\"id\":\"" + query.id() + "\",\"runId\":\""
            + query.runId() + "\",\"name\":\"views\",\"active\":true,\"recentProgress\":["
            + progress.get(0).json() + "," + progress.get(1).json() + "]}]}");
      }
    }

    @Test
    void keepsAStoppedQueryInViewAsInactive() throws Exception {
      try (Sluice engine = Sluice.builder().dashboard(0).build()) {
        MemoryStream<Click> clicks = engine.memoryStream(Click.class);
        StreamingQuery query = clicks.toDataset().writeStream().format("memory")
            .queryName("finished").start();
        clicks.addData(Click.of("ann", "home", 1));
        query.processAllAvailable();
        query.stop();

        String json = get(engine.dashboardUri().resolve("/api/queries")).body();

        assertThat(engine.activeQueries()).isEmpty();
        assertThat(json).contains("\"name\":\"finished\",\"active\":false", "\"batchId\":0");
      }
    }

    @Test
    void showsWhyAFailedQueryStopped() throws Exception {
      try (Sluice engine = Sluice.builder().dashboard(0).build()) {
        MemoryStream<Click> clicks = engine.memoryStream(Click.class);
        StreamingQuery query = clicks.toDataset().map(c -> {
          throw new IllegalStateException("no page for " + c.user());
        }, Click.class).writeStream().format("memory").queryName("failing").start();
        clicks.addData(Click.of("ann", "home", 1));
        assertThatThrownBy(query::awaitTermination).isInstanceOf(SluiceException.class);

        String json = get(engine.dashboardUri().resolve("/api/queries")).body();

        assertThat(json).contains("\"name\":\"failing\",\"active\":false,\"exception\":\"")
            .contains("no page for ann");
      }
    }

    @Test
    void aNameWithMarkupIsServedAsEscapedJsonText() throws Exception {
      String name = "<script>alert('x & y')</script>";
      try (Sluice engine = Sluice.builder().dashboard(0).build()) {
        MemoryStream<Click> clicks = engine.memoryStream(Click.class);
        StreamingQuery query = clicks.toDataset().writeStream().format("memory").queryName(name)
            .start();
        clicks.addData(Click.of("ann", "home", 1));
        query.processAllAvailable();

        HttpResponse<String> response = get(engine.dashboardUri().resolve("/api/queries"));

        assertThat(response.headers().firstValue("Content-Type"))
            .hasValue("application/json; charset=utf-8");
        assertThat(response.body()).doesNotContain("<", ">", "&")
            .contains("\"name\":\"\\u003cscript\\u003ealert('x \\u0026 y')\\u003c/script\\u003e\"");
      }
    }
  }

  @Nested
  class ServedFiles {
    @Test
    void servesThePageThatLoadsUplotFromTheEngineItself() throws Exception {
      try (Sluice engine = Sluice.builder().dashboard(0).build()) {
        HttpResponse<String> page = get(engine.dashboardUri());

        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
            .startsWith("default-src 'self'");
        assertThat(page.body()).contains("<script src=\"/uplot/uPlot.iife.min.js\"",
            "<script src=\"/dashboard.js\"").doesNotContain("http:", "https:");
      }
    }

    @Test
    void servesUplotFromItsWebjarWithItsContentType() throws Exception {
      try (Sluice engine = Sluice.builder().dashboard(0).build()) {
        HttpResponse<String> script = get(engine.dashboardUri().resolve("/uplot/uPlot.iife.min.js"));
        HttpResponse<String> style = get(engine.dashboardUri().resolve("/uplot/uPlot.min.css"));

        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type"))
            .hasValue("text/javascript; charset=utf-8");
        assertThat(script.body()).startsWith("/*! https://github.com/leeoniya/uPlot (v1.6.30) */");
        assertThat(style.statusCode()).isEqualTo(200);
        assertThat(style.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(style.body()).contains(".uplot");
      }
    }

    @Test
    void anUnknownOrDottedPathIsNotFound() throws Exception {
      try (Sluice engine = Sluice.builder().dashboard(0).build()) {
        int port = engine.dashboardUri().getPort();
        assertThat(get(engine.dashboardUri().resolve("/index.html")).statusCode()).isEqualTo(404);
        assertThat(rawStatus(port, "/../../../../etc/passwd", "localhost")).isEqualTo(404);
        assertThat(rawStatus(port, "/uplot/../dashboard.js", "localhost")).isEqualTo(404);
        assertThat(rawStatus(port, "/uplot/%2e%2e/dashboard.js", "localhost")).isEqualTo(404);
        assertThat(rawStatus(port, "/dashboard.js", "localhost")).isEqualTo(200);
      }
    }

    @Test
    void refusesWritesAndNamesItDoesNotAnswerTo() throws Exception {
      try (Sluice engine = Sluice.builder().dashboard(0).build()) {
        URI api = engine.dashboardUri().resolve("/api/queries");
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(api)
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        // A page of another site whose name was rebound to 127.0.0.1 sends that name.
        assertThat(rawStatus(api.getPort(), "/api/queries", "attacker.example:" + api.getPort()))
            .isEqualTo(403);
        assertThat(rawStatus(api.getPort(), "/api/queries", "localhost:" + api.getPort()))
            .isEqualTo(200);
      }
    }
  }

  private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The status of a request sent as written, so that no client tidies the path or host. */
  private static int rawStatus(int port, String path, String host) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
          StandardCharsets.US_ASCII)).readLine();
      return Integer.parseInt(statusLine.split(" ")[1]);
    }
  }

  /** This process's listening TCP sockets, by inode: those in its descriptors and listening. */
  private static Set<String> listeningSockets() throws IOException {
    Set<String> own = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      fds.forEach(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            own.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // The descriptor closed while listed (the listing's own, for one).
        }
      });
    }
    Set<String> listening = new HashSet<>();
    for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
      Path file = Path.of(table);
      if (Files.exists(file)) {
        listening.addAll(Files.readAllLines(file).stream().skip(1)
            .map(line -> line.trim().split("\\s+"))
            .filter(cols -> cols[3].equals("0A"))
            .map(cols -> cols[9]).collect(Collectors.toSet()));
      }
    }
    own.retainAll(listening);
    return own;
  }

  private static Optional<InetAddress> nonLoopbackAddress() {
    try {
      return NetworkInterface.networkInterfaces().filter(DashboardTest::isUp)
          .flatMap(NetworkInterface::inetAddresses)
          .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
          .findFirst();
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isUp(NetworkInterface nic) {
    try {
      return nic.isUp() && !nic.isLoopback();
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }
}
