package io.xcluster.cni.router.install;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts CNI plugins into the host's CNI bin directory without ever exposing a partial file.
 *
 * <p><b>Bundles</b> (kube-node: a launcher script with its own Java runtime, jars and start cache)
 * are copied whole into a versioned directory {@code
 * <bin>/xcluster-cni/<name>-<version>-<digest>/}, renamed into place, and then the link {@code
 * <bin>/<name>} is switched to the launcher inside it with one rename. A plugin invocation that
 * started before the switch keeps running from the old directory, which is kept (the previous
 * version survives one upgrade; older ones are removed).
 *
 * <p><b>Single binaries</b> (host-local, bridge) are someone else's programs that the node may
 * already have from its distribution: they are installed when missing, and replaced only by a
 * strictly newer version; when either version cannot be told (Debian's builds say "version
 * unknown") the host's copy stays.
 *
 * <p>Nothing older ever replaces something newer unless {@code force} is set. All decisions and
 * switches happen under {@link InstallLock}, so concurrent installers (main and secondary networks,
 * or threads) cannot interleave a version check with another's switch.
 */
public final class PluginInstaller {
  /** The directory under the CNI bin dir that holds bundles, and the lock file. */
  public static final String STORE = "xcluster-cni";

  private static final String LOCK = ".lock";
  private static final Pattern BUNDLE_DIR = Pattern.compile("(.+)-([0-9a-f]{12})");

  private final Path binDir;
  private final PluginProber prober;

  /**
   * @param binDir the host's CNI bin dir as mounted here (e.g. /host/opt/cni/bin)
   * @param prober asks a plugin binary for its version
   */
  public PluginInstaller(Path binDir, PluginProber prober) {
    this.binDir = binDir;
    this.prober = prober;
  }

  /** What happened to one plugin. */
  public enum Action {
    /** Nothing was there; now ours is. */
    INSTALLED,
    /** An older version was replaced. */
    UPGRADED,
    /** The same version of a different build, or one of unknown version, was replaced. */
    REPLACED,
    /** Identical already: nothing written. */
    UNCHANGED,
    /** The host's copy is newer, or its version cannot be compared: left as it is. */
    KEPT,
    /** A newer version is installed and {@code --force} was not given. */
    REFUSED_DOWNGRADE
  }

  /** The outcome for one plugin, with the reason in words. */
  public record Result(String name, Action action, String detail) {
    @Override
    public String toString() {
      return name + ": " + action.name().toLowerCase().replace('_', ' ') + " (" + detail + ")";
    }
  }

  /**
   * Installs a bundle directory and links {@code <bin>/<name>} to its launcher.
   *
   * @param source the bundle as laid out in the image
   * @param name the plugin name, the link's name in the bin dir
   * @param launcher the launcher's path inside the bundle, e.g. {@code bin/kube-node}
   * @param version the bundle's version
   * @param force install even over a newer version
   */
  public Result installBundle(
      Path source, String name, Path launcher, PluginVersion version, boolean force)
      throws IOException {
    if (!Files.isRegularFile(source.resolve(launcher))) {
      throw new IOException("bundle " + source + " has no launcher " + launcher);
    }
    Path store = Files.createDirectories(binDir.resolve(STORE));
    String digest = Trees.digest(source).substring(0, 12);
    String dirName = name + "-" + version + "-" + digest;
    Path link = binDir.resolve(name);
    Path linkTarget = Path.of(STORE, dirName).resolve(launcher);

    try (InstallLock lock = InstallLock.acquire(store.resolve(LOCK))) {
      removeAbandonedCopies(store);
      Installed installed = installed(link, name, launcher);
      Action action;
      String detail;
      boolean sameBuild = installed.dir().filter(d -> d.equals(dirName)).isPresent();
      if (sameBuild && Files.isRegularFile(binDir.resolve(linkTarget))) {
        return new Result(name, Action.UNCHANGED, version + " already installed");
      } else if (sameBuild) {
        action = Action.REPLACED;
        detail = version + " was incomplete, reinstalled";
      } else if (installed.kind() == Kind.NONE) {
        action = Action.INSTALLED;
        detail = version.toString();
      } else if (installed.version().isEmpty()) {
        action = Action.REPLACED;
        detail = "replaced " + installed.describe() + " with " + version;
      } else {
        int c = installed.version().get().compareTo(version);
        if (c > 0 && !force) {
          return new Result(
              name,
              Action.REFUSED_DOWNGRADE,
              installed.version().get() + " is installed, newer than " + version + "; use --force");
        }
        action = c < 0 ? Action.UPGRADED : Action.REPLACED;
        detail =
            (c == 0 ? "same version " + version + ", different build" : installed.describe())
                + " -> "
                + version;
      }

      Path target = store.resolve(dirName);
      if (!Files.isRegularFile(target.resolve(launcher))) {
        Trees.delete(target); // an incomplete leftover can only come from outside; start clean
        Path tmp =
            store.resolve(
                ".tmp-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
        try {
          Trees.copy(source, tmp);
          AtomicFiles.publishDirectory(tmp, target);
        } finally {
          Trees.delete(tmp);
        }
      }
      AtomicFiles.symlink(link, linkTarget);
      prune(store, name, dirName, installed.dir());
      return new Result(name, action, detail);
    }
  }

  /**
   * Installs one plugin binary as {@code <bin>/<name>}: when missing, when strictly newer than the
   * host's, or when forced.
   */
  public Result installBinary(Path source, String name, boolean force) throws IOException {
    Files.createDirectories(binDir);
    Path store = Files.createDirectories(binDir.resolve(STORE));
    Path target = binDir.resolve(name);
    try (InstallLock lock = InstallLock.acquire(store.resolve(LOCK))) {
      if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        AtomicFiles.copy(source, target, AtomicFiles.EXECUTABLE);
        return new Result(name, Action.INSTALLED, describe(prober.version(source)));
      }
      if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
          && Files.mismatch(source, target) == -1L) {
        if (!Files.isExecutable(target)) {
          AtomicFiles.copy(source, target, AtomicFiles.EXECUTABLE);
          return new Result(name, Action.REPLACED, "same content, was not executable");
        }
        return new Result(name, Action.UNCHANGED, "identical to the image's");
      }
      Optional<PluginVersion> ours = prober.version(source);
      Optional<PluginVersion> theirs = prober.version(target);
      if (force) {
        AtomicFiles.copy(source, target, AtomicFiles.EXECUTABLE);
        return new Result(
            name, Action.REPLACED, "forced: " + describe(theirs) + " -> " + describe(ours));
      }
      if (ours.isPresent() && theirs.isPresent() && ours.get().compareTo(theirs.get()) > 0) {
        AtomicFiles.copy(source, target, AtomicFiles.EXECUTABLE);
        return new Result(name, Action.UPGRADED, theirs.get() + " -> " + ours.get());
      }
      if (ours.isPresent() && theirs.isPresent() && ours.get().compareTo(theirs.get()) < 0) {
        return new Result(
            name,
            Action.REFUSED_DOWNGRADE,
            "the host has " + theirs.get() + ", newer than " + ours.get() + "; use --force");
      }
      return new Result(
          name,
          Action.KEPT,
          "the host's "
              + describe(theirs)
              + " kept; the image's is "
              + describe(ours)
              + (ours.isPresent() && theirs.isPresent() ? "" : " (cannot compare)"));
    }
  }

  private static String describe(Optional<PluginVersion> v) {
    return v.map(PluginVersion::toString).orElse("version unknown");
  }

  private enum Kind {
    NONE,
    OURS,
    FOREIGN
  }

  /** What {@code <bin>/<name>} is now. */
  private record Installed(Kind kind, Optional<String> dir, Optional<PluginVersion> version) {
    String describe() {
      return version
          .map(PluginVersion::toString)
          .orElse(kind == Kind.FOREIGN ? "a file not installed by xcluster-cni" : dir.orElse("?"));
    }
  }

  private static Installed installed(Path link, String name, Path launcher) throws IOException {
    if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
      return new Installed(Kind.NONE, Optional.empty(), Optional.empty());
    }
    if (Files.isSymbolicLink(link)) {
      Path target = Files.readSymbolicLink(link);
      if (target.getNameCount() == 2 + launcher.getNameCount()
          && target.getName(0).toString().equals(STORE)
          && target.subpath(2, target.getNameCount()).equals(launcher)) {
        String dir = target.getName(1).toString();
        String prefix = name + "-";
        Matcher m = BUNDLE_DIR.matcher(dir);
        if (dir.startsWith(prefix) && m.matches()) {
          try {
            PluginVersion v = PluginVersion.parse(m.group(1).substring(prefix.length()));
            return new Installed(Kind.OURS, Optional.of(dir), Optional.of(v));
          } catch (IllegalArgumentException e) {
            return new Installed(Kind.OURS, Optional.of(dir), Optional.empty());
          }
        }
      }
    }
    return new Installed(Kind.FOREIGN, Optional.empty(), Optional.empty());
  }

  /**
   * Removes half-copied bundles of an installer that was killed. Called under the lock, and copies
   * are only made under the lock, so every one found is abandoned.
   */
  private static void removeAbandonedCopies(Path store) throws IOException {
    try (DirectoryStream<Path> tmps = Files.newDirectoryStream(store, ".tmp-*")) {
      for (Path t : tmps) {
        Trees.delete(t);
      }
    }
  }

  /** Removes this plugin's bundle directories other than the current and the previous one. */
  private static void prune(Path store, String name, String current, Optional<String> previous)
      throws IOException {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(store, name + "-*")) {
      for (Path d : dirs) {
        String n = d.getFileName().toString();
        Matcher m = BUNDLE_DIR.matcher(n);
        if (!m.matches() || n.equals(current) || previous.filter(n::equals).isPresent()) {
          continue;
        }
        Trees.delete(d);
      }
    }
  }
}
