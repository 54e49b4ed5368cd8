package io.xcluster.cni.router;

import io.xcluster.cni.router.daemon.Logging;
import picocli.CommandLine.Option;

/** Log level and format, as LOG_LEVEL and LOG_FORMAT set them. */
final class LogOptions {
  @Option(
      names = "--log-level",
      defaultValue = "${env:LOG_LEVEL:-info}",
      paramLabel = "LEVEL",
      description =
          "info, debug, trace, or a verbosity number (0 info, 1 debug, 2 trace)."
              + " Default: ${DEFAULT-VALUE}. Env: LOG_LEVEL")
  String level;

  @Option(
      names = "--log-format",
      defaultValue = "${env:LOG_FORMAT:-text}",
      paramLabel = "FORMAT",
      description =
          "text or json (one object per line). Default: ${DEFAULT-VALUE}. Env: LOG_FORMAT")
  String format;

  void apply() {
    Logging.configure(level, format);
  }
}
