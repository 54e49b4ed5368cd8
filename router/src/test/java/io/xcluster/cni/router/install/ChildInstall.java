package io.xcluster.cni.router.install;

import io.xcluster.cni.router.RouterMain;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code xcluster-cni install} as a separate JVM, the way an init container does. */
final class ChildInstall {
  private ChildInstall() {}

  /** {@code java -cp <this test's class path> RouterMain <args>}. */
  static List<String> command(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xshare:auto");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(RouterMain.class.getName());
    cmd.addAll(args);
    return cmd;
  }

  static Process start(List<String> command, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().remove("NODE_NAME");
    pb.environment().remove("KUBERNETES_SERVICE_HOST");
    Process p = pb.start();
    p.getOutputStream().close();
    return p;
  }
}
