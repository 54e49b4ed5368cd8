package io.xcluster.cni.ipam;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The plugin's log: one line per message, to {@code logfile} or stderr, never to stdout (stdout
 * belongs to the CNI result). Levels as in the original: error, warning, info, debug, trace.
 *
 * <p>Hand-written rather than SLF4J and Logback: their start-up costs more than a warm ADD may
 * take.
 */
public final class Log {
  public static final int ERROR = 0;
  public static final int WARNING = 1;
  public static final int INFO = 2;
  public static final int DEBUG = 3;
  public static final int TRACE = 4;

  private final OutputStream out;
  private final int level;

  public Log(OutputStream out, int level) {
    this.out = out;
    this.level = level;
  }

  /** Logs warnings and errors to stderr until the configuration says otherwise. */
  public static Log stderr() {
    return new Log(System.err, WARNING);
  }

  /**
   * The log the configuration asks for: a file (appended) when {@code logfile} is set and not
   * "stdout"/"stderr", else stderr. An unwritable file falls back to stderr with a warning.
   */
  public static Log configured(String logfile, String loglevel) {
    int level = parseLevel(loglevel);
    if (logfile == null || logfile.equals("stdout") || logfile.equals("stderr")) {
      return new Log(System.err, level);
    }
    try {
      return new Log(new FileOutputStream(logfile, true), level);
    } catch (IOException e) {
      Log log = new Log(System.err, level);
      log.warn("cannot open logfile " + logfile + ": " + e.getMessage() + "; logging to stderr");
      return log;
    }
  }

  static int parseLevel(String name) {
    if (name == null) {
      return WARNING;
    }
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "error" -> ERROR;
      case "info" -> INFO;
      case "debug" -> DEBUG;
      case "trace" -> TRACE;
      default -> WARNING;
    };
  }

  public boolean enabled(int l) {
    return l <= level;
  }

  public void error(String message) {
    log(ERROR, "error", message, null);
  }

  public void error(String message, Throwable t) {
    log(ERROR, "error", message, t);
  }

  public void warn(String message) {
    log(WARNING, "warning", message, null);
  }

  public void info(String message) {
    log(INFO, "info", message, null);
  }

  public void debug(String message) {
    log(DEBUG, "debug", message, null);
  }

  public void trace(String message) {
    log(TRACE, "trace", message, null);
  }

  private void log(int l, String name, String message, Throwable t) {
    if (l > level) {
      return;
    }
    StringBuilder sb = new StringBuilder(128);
    // The pid only now: ProcessHandle costs start time that a quiet run should not pay.
    sb.append(Instant.now()).append(" kube-node[").append(ProcessHandle.current().pid());
    sb.append("] ").append(name).append(": ");
    sb.append(message).append('\n');
    if (t != null) {
      StringWriter w = new StringWriter();
      t.printStackTrace(new PrintWriter(w));
      sb.append(w);
    }
    try {
      synchronized (out) {
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException e) {
      // Logging must never fail the invocation.
    }
  }
}
