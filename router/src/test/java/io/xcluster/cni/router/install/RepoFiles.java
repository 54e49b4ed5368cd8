package io.xcluster.cni.router.install;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's top directory from a module's working directory. */
final class RepoFiles {
  private RepoFiles() {}

  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      if (Files.isRegularFile(p.resolve("build.sh")) && Files.isDirectory(p.resolve("manifests"))) {
        return p;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }
}
