package io.xcluster.cni.router.install;

import io.xcluster.cni.router.route.RouteFailure;
import io.xcluster.cni.router.route.RouteOp;
import io.xcluster.cni.router.route.RouteTable;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Removes what one network instance put on this node: its routes (the protocol number says which
 * are its), its kubeconfig and, for the main network, the CNI conf. The plugins stay: other
 * instances, and pods still running, use them. The node-name file goes with the last instance.
 */
public final class Uninstaller {
  private final Consumer<String> log;

  public Uninstaller(Consumer<String> log) {
    this.log = log;
  }

  /**
   * Deletes every route of the table's protocol.
   *
   * @return the deletions that failed, each with its reason
   */
  public List<RouteFailure> removeRoutes(RouteTable routes) throws IOException {
    List<RouteOp> ops = routes.list().stream().<RouteOp>map(RouteOp.Delete::new).toList();
    List<RouteFailure> failures = routes.apply(ops);
    log.accept(
        "routes of protocol "
            + routes.protocol()
            + ": "
            + (ops.size() - failures.size())
            + " deleted"
            + (failures.isEmpty() ? "" : ", " + failures.size() + " failed"));
    failures.forEach(f -> log.accept("  " + f));
    return failures;
  }

  /** Removes the instance's files. */
  public void removeFiles(InstanceLayout layout, boolean mainNetwork) throws IOException {
    if (mainNetwork) {
      remove(layout.confFile());
    }
    remove(layout.kubeconfig());
    if (!Files.isDirectory(layout.ownDir())) {
      return;
    }
    try (DirectoryStream<Path> others = Files.newDirectoryStream(layout.ownDir(), "*.kubeconfig")) {
      if (others.iterator().hasNext()) {
        log.accept(layout.nodeNameFile() + ": kept, other instances are installed");
        return;
      }
    }
    remove(layout.nodeNameFile());
    try {
      Files.deleteIfExists(layout.ownDir());
    } catch (DirectoryNotEmptyException e) {
      log.accept(layout.ownDir() + ": kept, not empty");
    }
  }

  private void remove(Path file) throws IOException {
    log.accept(file + (Files.deleteIfExists(file) ? ": removed" : ": was not there"));
  }
}
