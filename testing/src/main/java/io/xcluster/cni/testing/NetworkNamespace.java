package io.xcluster.cni.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A throw-away named network namespace ({@code ip netns add}), deleted on close. Tests build their
 * fixtures in it with {@code ip} and never touch the host's own links or routes.
 *
 * <p>Names are {@code xcni-<purpose>-p<pid>-<random>}, so parallel test runs and leftovers of a
 * killed run never collide, and {@link #deleteLeftovers()} can remove the latter without touching
 * the namespaces of a run that is still going (another worktree's benchmark, say).
 */
public final class NetworkNamespace implements AutoCloseable {
  static final String PREFIX = "xcni-";
  private static final long TIMEOUT_SECONDS = 30;
  private static final Pattern OWNER = Pattern.compile("-p(\\d+)-[0-9a-f]+$");

  private final String name;

  private NetworkNamespace(String name) {
    this.name = name;
  }

  /** Creates a namespace with {@code lo} up. */
  public static NetworkNamespace create(String purpose) {
    String name =
        PREFIX
            + purpose.replaceAll("[^A-Za-z0-9]", "").toLowerCase()
            + "-p"
            + ProcessHandle.current().pid()
            + "-"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    run(List.of("ip", "netns", "add", name));
    NetworkNamespace ns = new NetworkNamespace(name);
    ns.exec("ip", "link", "set", "lo", "up");
    return ns;
  }

  /**
   * A namespace made by someone else, e.g. the one a child process was started in. Closing it
   * deletes it, so only its owner should.
   */
  public static NetworkNamespace existing(String name) {
    if (!java.nio.file.Files.exists(Path.of("/run/netns", name))) {
      throw new IllegalArgumentException("no network namespace " + name);
    }
    return new NetworkNamespace(name);
  }

  public String name() {
    return name;
  }

  /** The namespace's file, for setns(2) or {@code nsenter --net=}. */
  public Path path() {
    return Path.of("/run/netns", name);
  }

  /**
   * Adds a veth pair {@code dev}–{@code peer} inside the namespace, puts {@code addresses} (CIDR
   * notation; IPv6 without duplicate address detection) on {@code dev} and brings both ends up: the
   * link kernel tests route over (the {@code dummy} link type is not available here).
   */
  public NetworkNamespace addVethPair(String dev, String peer, String... addresses) {
    ip("link", "add", "name", dev, "type", "veth", "peer", "name", peer);
    for (String address : addresses) {
      if (address.contains(":")) {
        ip("-6", "addr", "add", address, "dev", dev, "nodad");
      } else {
        ip("addr", "add", address, "dev", dev);
      }
    }
    ip("link", "set", dev, "up");
    ip("link", "set", peer, "up");
    return this;
  }

  /** Runs a command inside the namespace; returns its stdout, fails on a non-zero exit. */
  public String exec(String... command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(Arrays.asList(command));
    return run(full);
  }

  /** The command line that runs {@code command} inside the namespace, for a ProcessBuilder. */
  public List<String> command(String... command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(Arrays.asList(command));
    return full;
  }

  /** Runs {@code ip} with arguments inside the namespace, e.g. {@code ip("route", "show")}. */
  public String ip(String... args) {
    List<String> full = new ArrayList<>(List.of("ip", "-n", name));
    full.addAll(Arrays.asList(args));
    return run(full);
  }

  @Override
  public void close() {
    run(List.of("ip", "netns", "del", name));
  }

  /** Deletes namespaces a killed run left behind: those whose creating process is gone. */
  public static void deleteLeftovers() {
    for (String line : run(List.of("ip", "netns", "list")).split("\n")) {
      String ns = line.split(" ")[0];
      if (ns.startsWith(PREFIX) && !ownerAlive(ns)) {
        run(List.of("ip", "netns", "del", ns));
      }
    }
  }

  /** Whether the process that created {@code name} still runs; false for names without a pid. */
  static boolean ownerAlive(String name) {
    Matcher m = OWNER.matcher(name);
    return m.find()
        && ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Runs a command on the host; returns stdout; throws with stderr on a non-zero exit. */
  public static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + ": timed out");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + ": exit "
                + p.exitValue()
                + ": "
                + new String(err, StandardCharsets.UTF_8).strip());
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(String.join(" ", command) + ": interrupted", e);
    }
  }
}
