package io.xcluster.cni.router.daemon;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration until a command applies LOG_LEVEL and LOG_FORMAT: info, text, on stderr
 * (stdout is for command output), set up in code as {@link Logging} does it. Found by logback
 * through {@code META-INF/services}, it replaces a {@code logback.xml}, whose parser alone loads
 * some 300 classes into a daemon that never needs them. A {@code logback-test.xml} (tests) or
 * {@code -Dlogback.configurationFile} still takes precedence.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogbackDefaults extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || LogbackDefaults.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    Logging.configure(context, "info", "text");
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
