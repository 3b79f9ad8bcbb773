package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.MemoryStream;
import io.sluice.api.OutputMode;
import io.sluice.api.Sluice;
import io.sluice.api.StreamingQuery;
import io.sluice.api.Trigger;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real browser: while the main sample runs, the page charts its progress,
 * and a screenshot of it is written to {@code samples/target/dashboard/dashboard.png}.
 */
class DashboardScreenshotTest {
  private static final Path OUT = Path.of("target", "dashboard");
  private static final Path SCREENSHOT = OUT.resolve("dashboard.png");
  /** Batches each query runs before the browser looks: the first has no watermark yet. */
  private static final int BATCHES = 4;
  /** A bound on the wait for those batches, so that a stuck query fails; not a timing. */
  private static final long WAIT_BOUND_MILLIS = 30_000;
  private static final Pattern SECTION = Pattern.compile("<section class=\"query\">");
  private static final Pattern NAME = Pattern.compile("<h2 class=\"name\">(.*?)</h2>");
  private static final Pattern FIGURE = Pattern.compile("<figure ([^>]*)>(.*?)</figure>",
      Pattern.DOTALL);

  private HeadlessChromium chromium;

  @BeforeEach
  void findChromium() throws Exception {
    Files.createDirectories(OUT);
    chromium = HeadlessChromium.require(OUT);
  }

  @Test
  void chartsTheRunningSampleAndSavesAScreenshot() throws Exception {
    try (Sluice engine = Sluice.builder().dashboard(0).console(silent()).build()) {
      StreamingQuery pageViews = PageViews.start(engine);
      // The main sample has no watermark; the event-time sample over the same clicks has one.
      StreamingQuery perMinute = ViewsPerMinute_Query.over(PageViews.clicks(engine))
          .writeStream().outputMode(OutputMode.APPEND).format("memory")
          .queryName("ViewsPerMinute").trigger(Trigger.processingTime("1 second")).start();
      awaitBatches(pageViews);
      awaitBatches(perMinute);

      List<Card> cards = cards(chromium.dom(engine.dashboardUri()));
      chromium.screenshot(engine.dashboardUri(), SCREENSHOT);
      System.out.println("Dashboard screenshot: " + SCREENSHOT.toAbsolutePath());

      assertThat(cards).extracting(Card::name).containsExactly("PageViewCounts", "ViewsPerMinute");
      Card main = cards.get(0);
      assertThat(main.points()).containsOnlyKeys("rates", "duration", "state", "watermark");
      assertThat(List.of("rates", "duration", "state")).allSatisfy(chart ->
          assertThat(main.points().get(chart)).as(chart).isGreaterThanOrEqualTo(BATCHES));
      assertThat(main.points().get("watermark")).isZero();
      assertThat(main.absent()).containsExactly(Map.entry("watermark", "no watermark"));
      Card eventTime = cards.get(1);
      assertThat(eventTime.points()).hasSize(4).allSatisfy((chart, points) ->
          assertThat(points).as(chart).isGreaterThan(1));
      assertThat(eventTime.absent()).isEmpty();
      assertChartsAreDrawn(ImageIO.read(SCREENSHOT.toFile()));
    }
  }

  @Test
  void showsAQueryNameWithMarkupAsText() throws Exception {
    String name = "<img src=x onerror=\"document.title='injected'\">";
    try (Sluice engine = Sluice.builder().dashboard(0).build()) {
      MemoryStream<Click> clicks = engine.memoryStream(Click.class);
      StreamingQuery query = clicks.toDataset().writeStream().format("memory").queryName(name)
          .start();
      clicks.addData(new Click("ann", "home", 1L));
      query.processAllAvailable();

      String dom = chromium.dom(engine.dashboardUri());

      assertThat(cards(dom)).extracting(Card::name)
          .containsExactly("&lt;img src=x onerror=\"document.title='injected'\"&gt;");
      assertThat(dom).contains("<title>Sluice dashboard</title>").doesNotContain("<img");
    }
  }

  /**
   * The first query's rates, duration and state charts have lines in them: pixels of a series
   * colour, which nothing else on the page has in quantity, in each of their quarters of the
   * page. A chart without data shows axes and legend only, far fewer such pixels.
   */
  private static void assertChartsAreDrawn(BufferedImage png) {
    assertThat(png).isNotNull();
    assertThat(png.getWidth()).isEqualTo(1280);
    assertThat(png.getHeight()).isEqualTo(1600);
    assertThat(colouredPixels(png, 40, 150, 640, 420)).as("rates").isGreaterThan(800);
    assertThat(colouredPixels(png, 640, 150, 1240, 420)).as("duration").isGreaterThan(800);
    assertThat(colouredPixels(png, 40, 430, 640, 690)).as("state").isGreaterThan(800);
  }

  private static int colouredPixels(BufferedImage png, int x0, int y0, int x1, int y1) {
    int count = 0;
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        int rgb = png.getRGB(x, y);
        int r = rgb >> 16 & 0xff;
        int g = rgb >> 8 & 0xff;
        int b = rgb & 0xff;
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
          count++;
        }
      }
    }
    return count;
  }

  private static void awaitBatches(StreamingQuery query) throws InterruptedException {
    long bound = System.currentTimeMillis() + WAIT_BOUND_MILLIS;
    while (query.recentProgress().size() < BATCHES) {
      assertThat(query.exception()).isNull();
      assertThat(System.currentTimeMillis()).as(query.name() + " ran " + BATCHES + " batches")
          .isLessThan(bound);
      Thread.sleep(50);
    }
  }

  /** One query as the page shows it: its name, each chart's points, absent charts' reasons. */
  private record Card(String name, Map<String, Integer> points, Map<String, String> absent) {}

  private static List<Card> cards(String dom) {
    List<Card> cards = new ArrayList<>();
    // The page's template for a query's section follows the sections made from it.
    String[] sections = SECTION.split(dom.substring(0, dom.indexOf("<template")));
    for (int i = 1; i < sections.length; i++) {
      Matcher name = NAME.matcher(sections[i]);
      assertThat(name.find()).as("a query's name in " + sections[i]).isTrue();
      Map<String, Integer> points = new LinkedHashMap<>();
      Map<String, String> absent = new LinkedHashMap<>();
      for (Matcher figure = FIGURE.matcher(sections[i]); figure.find(); ) {
        String chart = attribute(figure.group(1), "data-chart");
        points.put(chart, Integer.parseInt(attribute(figure.group(1), "data-points")));
        Matcher note = Pattern.compile("<p class=\"absent\">(.+?)</p>").matcher(figure.group(2));
        if (note.find()) {
          absent.put(chart, note.group(1));
        }
      }
      cards.add(new Card(name.group(1), points, absent));
    }
    return cards;
  }

  private static String attribute(String attributes, String name) {
    Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(attributes);
    assertThat(m.find()).as(name + " in " + attributes).isTrue();
    return m.group(1);
  }

  private static PrintStream silent() {
    return new PrintStream(OutputStream.nullOutputStream());
  }
}
