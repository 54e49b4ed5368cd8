package io.xcluster.cni.router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code xcluster-cni version}: the build version. */
@Command(name = "version", description = "Print the version.")
final class VersionCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().getOut().println(version());
  }

  /** The version Maven filtered into the jar, e.g. {@code 0.1.0-SNAPSHOT}. */
  static String version() {
    try (InputStream in =
        VersionCommand.class.getResourceAsStream("/xcluster-cni-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"xcluster-cni " + version()};
    }
  }
}
