package io.xcluster.cni.router.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.OutputStreamAppender;
import org.junit.jupiter.api.Test;

class LogbackProviderTest {
  @Test
  void bindsAStartedContextAtInfoInTextWithUtcTimes() {
    LogbackProvider provider = new LogbackProvider();
    provider.initialize();

    assertThat(provider.getLoggerFactory()).isInstanceOf(LoggerContext.class);
    LoggerContext context = (LoggerContext) provider.getLoggerFactory();
    assertThat(context.isStarted()).isTrue();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    assertThat(root.iteratorForAppenders())
        .toIterable()
        .singleElement()
        .isInstanceOfSatisfying(
            OutputStreamAppender.class,
            a ->
                assertThat(((PatternLayoutEncoder) a.getEncoder()).getPattern())
                    .startsWith("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX, UTC} "));
    assertThat(provider.getMDCAdapter()).isNotNull();
    assertThat(provider.getMarkerFactory().getMarker("m").getName()).isEqualTo("m");
    assertThat(provider.getRequestedApiVersion()).startsWith("2.0.");
  }
}
