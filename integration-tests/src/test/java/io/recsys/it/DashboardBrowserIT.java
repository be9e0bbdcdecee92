package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.recsys.app.RecsysApp;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.http.RecsysHttpServer;
import io.recsys.app.metrics.MetricsPublisher;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.app.testing.KafkaCluster;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}
 * packages) during a short run: its figures move, a user lookup shows recent items and
 * recommendations, and a screenshot is saved as {@code target/dashboard.png}. Skipped where
 * Chromium is not installed.
 */
class DashboardBrowserIT {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();

  /** Debian's paths; the system properties exist to point at another build (or at none). */
  private static final Path CHROMIUM =
      Path.of(System.getProperty("recsys.test.chromium", "/usr/bin/chromium"));

  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("recsys.test.chromedriver", "/usr/bin/chromedriver"));
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int USERS = 50;

  @TempDir Path stateDir;
  @TempDir Path browserProfile;

  @Test
  void shouldShowMovingFiguresAndLookAUserUp() throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "headless Chromium not installed ("
            + CHROMIUM
            + ", "
            + CHROMEDRIVER
            + "):"
            + " apt-get install -y chromium chromium-driver");
    Map<String, Object> config = appConfig();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicBoolean producing = new AtomicBoolean(true);
    Thread load = null;
    WebDriver browser = null;
    try (RecsysApp app = RecsysApp.create(config, new PipelineMetrics(registry));
        RecsysHttpServer server = RecsysHttpServer.start(app, registry, () -> true)) {
      app.start();
      try (MetricsPublisher publisher = MetricsPublisher.start(app)) {
        // Given a pipeline receiving a steady trickle of events
        String topic = (String) config.get(RecsysConfig.EVENTS_TOPIC_CONFIG);
        load = new Thread(() -> produce(topic, producing), "dashboard-test-load");
        load.start();

        // When the dashboard is open
        browser = chromium();
        browser.get(server.url());
        WebDriverWait wait = new WebDriverWait(browser, WAIT);

        // Then the figures arrive and change
        wait.until(d -> received(d) >= 1 && !text(d, "eventsPerSecond").equals("—"));
        int first = received(browser);
        String totalsBefore = text(browser, "eventsPerSecond") + text(browser, "latencyP50Ms");
        wait.until(
            d ->
                received(d) >= first + 3
                    && !(text(d, "eventsPerSecond") + text(d, "latencyP50Ms"))
                        .equals(totalsBefore));
        assertThat(text(browser, "connection")).isEqualTo("live");
        assertThat(text(browser, "hr10")).contains("/");
        assertThat(text(browser, "hr10Served")).contains("/");
        // Lists were published in these windows, so every one names the strategies that made them.
        assertThat(text(browser, "servedShares")).containsPattern("[a-z]+ \\d+%");

        // And looking a user up shows their recent items and recommendations with a reason
        browser.findElement(By.id("userId")).sendKeys("user-7");
        browser.findElement(By.id("lookupButton")).click();
        wait.until(d -> "user-7".equals(bodyAttribute(d, "data-looked-up")));
        assertThat(text(browser, "lookupError")).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#recommendedItems li"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#recentItems li"))).isNotEmpty();
        assertThat(text(browser, "recommendationMeta")).contains("popularity");
        assertThat(text(browser, "recommendationReason")).startsWith("Why:");

        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "dashboard.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(target)).isPositive();
      } finally {
        producing.set(false);
        if (load != null) {
          load.join();
        }
        if (browser != null) {
          browser.quit();
        }
      }
    }
  }

  private Map<String, Object> appConfig() {
    Map<String, Object> config = KAFKA.appConfig("dashboard");
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    config.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "2");
    config.put(RecsysConfig.HTTP_PORT_CONFIG, "0");
    config.put(RecsysConfig.METRICS_INTERVAL_CONFIG, "500");
    config.put(RecsysConfig.MODEL_ENABLED_CONFIG, "false");
    config.put(RecsysConfig.TRAINER_ENABLED_CONFIG, "false");
    return config;
  }

  /** About 200 events/s, with a varying rate so that the figures visibly move. */
  private static void produce(String topic, AtomicBoolean producing) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(KAFKA.clientConfig(), new StringSerializer(), new StringSerializer())) {
      long step = 0;
      while (producing.get()) {
        int batch = 5 + (int) (step / 10 % 10);
        for (int i = 0; i < batch; i++, step++) {
          int user = (int) (step % USERS);
          String json =
              "{\"userId\":\"user-%d\",\"itemId\":\"item-%d\",\"eventType\":\"view\",\"eventTime\":%d}"
                  .formatted(user, (step * 7) % 40, System.currentTimeMillis());
          producer.send(new ProducerRecord<>(topic, "user-" + user, json));
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private WebDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        "--user-data-dir=" + browserProfile);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new ChromeDriver(service, options);
  }

  private static int received(WebDriver browser) {
    String value = bodyAttribute(browser, "data-received");
    return value == null ? 0 : Integer.parseInt(value);
  }

  private static String bodyAttribute(WebDriver browser, String name) {
    return browser.findElement(By.tagName("body")).getDomAttribute(name);
  }

  private static String text(WebDriver browser, String id) {
    return browser.findElement(By.id(id)).getText();
  }
}
