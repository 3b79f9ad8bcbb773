package io.sluice.internal.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The files the dashboard serves, by request path: its page, script and style sheet, and uPlot's
 * from its webjar. Only these paths are served; anything else, {@code ..} included, is not found.
 */
final class DashboardAssets {
  /** A file's bytes and its content type. */
  record Asset(byte[] body, String contentType) {}

  private static final String PAGE = "/io/sluice/dashboard/";
  private static final String UPLOT_JAR = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";
  private static final String JS = "text/javascript; charset=utf-8";
  private static final String CSS = "text/css; charset=utf-8";

  private final Map<String, Asset> byPath;

  private DashboardAssets(Map<String, Asset> byPath) {
    this.byPath = byPath;
  }

  /** Reads every file once, so that a missing one fails when the dashboard starts. */
  static DashboardAssets load() {
    String uplot = "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
    return new DashboardAssets(Map.of(
        "/", new Asset(read(PAGE + "index.html"), "text/html; charset=utf-8"),
        "/dashboard.js", new Asset(read(PAGE + "dashboard.js"), JS),
        "/dashboard.css", new Asset(read(PAGE + "dashboard.css"), CSS),
        "/uplot/uPlot.iife.min.js", new Asset(read(uplot + "uPlot.iife.min.js"), JS),
        "/uplot/uPlot.min.css", new Asset(read(uplot + "uPlot.min.css"), CSS)));
  }

  @Nullable Asset at(String path) {
    return byPath.get(path);
  }

  /** The webjar's version, read from the jar so that the pom alone names it. */
  private static String uplotVersion() {
    Properties pom = new Properties();
    try (InputStream in = open(UPLOT_JAR)) {
      pom.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pom.getProperty("version");
  }

  private static byte[] read(String resource) {
    try (InputStream in = open(resource)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String resource) {
    InputStream in = DashboardAssets.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("the dashboard's file " + resource
          + " is not on the class path");
    }
    return in;
  }
}
