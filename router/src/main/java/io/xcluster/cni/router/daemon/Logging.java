package io.xcluster.cni.router.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Sets up logging from LOG_LEVEL and LOG_FORMAT: levels as the original xcluster-cni takes them
 * ({@code info}, {@code debug}, {@code trace}, or a verbosity number: 0 info, 1 debug, 2 and more
 * trace), text or JSON lines on stderr. Stdout stays for command output.
 */
public final class Logging {
  private Logging() {}

  /** Level for a LOG_LEVEL value; anything unknown is info, as in the original. */
  public static Level level(String value) {
    if (value == null || value.isBlank()) {
      return Level.INFO;
    }
    String v = value.strip().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "trace" -> Level.TRACE;
      case "debug" -> Level.DEBUG;
      case "warn", "warning" -> Level.WARN;
      case "error" -> Level.ERROR;
      default -> {
        try {
          int n = Integer.parseInt(v);
          yield n <= 0 ? Level.INFO : n == 1 ? Level.DEBUG : Level.TRACE;
        } catch (NumberFormatException e) {
          yield Level.INFO;
        }
      }
    };
  }

  /**
   * Replaces the logging configuration.
   *
   * @param format {@code text} or {@code json}
   */
  public static void configure(String level, String format) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.reset();
      configure(context, level, format);
    }
  }

  /**
   * Mutes the two client-java loggers that report, as an ERROR with a stack trace, the interrupt
   * its own informer stop sends their threads. For a daemon that is stopping.
   */
  public static void muteInformerStop() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context
          .getLogger("io.kubernetes.client.informer.cache.ProcessorListener")
          .setLevel(Level.OFF);
      context.getLogger("io.kubernetes.client.informer.cache.Controller").setLevel(Level.OFF);
    }
  }

  /** Sets up {@code context}, which has no appender yet. */
  static void configure(LoggerContext context, String level, String format) {
    Encoder<ILoggingEvent> encoder;
    if ("json".equalsIgnoreCase(format)) {
      JsonEncoder json = new JsonEncoder();
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithArguments(false);
      json.setWithMDC(false);
      json.setWithFormattedMessage(true);
      json.setWithMessage(false);
      encoder = json;
    } else {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern(
          "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX, UTC} %-5level [%thread] %logger{0} - %msg%n");
      encoder = text;
    }
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("stderr");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(level(level));
    root.addAppender(stderr);
    // client-java and okhttp are chatty at debug; they follow only when tracing.
    Level libraries = level(level) == Level.TRACE ? Level.DEBUG : Level.INFO;
    context.getLogger("io.kubernetes.client").setLevel(libraries);
    context.getLogger("okhttp3").setLevel(libraries);
  }
}
