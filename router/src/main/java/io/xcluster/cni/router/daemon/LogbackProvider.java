package io.xcluster.cni.router.daemon;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * SLF4J bound to logback, configured in code as {@link LogbackDefaults} configures it, for the
 * program's {@code main}, which names it in the {@code slf4j.provider} property. It spares every
 * start the lookups that SLF4J's and logback's own discovery make: a {@code ServiceLoader} for each
 * and a search for {@code logback-test.xml}, each of which opens every jar on the class path when
 * it finds nothing there, and every open jar keeps its central directory on the heap. Tests and
 * other embedders keep the usual discovery.
 */
public final class LogbackProvider implements SLF4JServiceProvider {
  /** The SLF4J API version this provider is written for. */
  static final String API_VERSION = "2.0.99";

  private LoggerContext context;
  private IMarkerFactory markers;
  private MDCAdapter mdc;

  @Override
  public void initialize() {
    LoggerContext c = new LoggerContext();
    c.setName("default");
    Logging.configure(c, "info", "text");
    LogbackMDCAdapter adapter = new LogbackMDCAdapter();
    c.setMDCAdapter(adapter);
    c.start();
    markers = new BasicMarkerFactory();
    mdc = adapter;
    context = c;
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return context;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return API_VERSION;
  }
}
