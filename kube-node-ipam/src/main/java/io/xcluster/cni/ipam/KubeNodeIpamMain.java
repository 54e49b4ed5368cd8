package io.xcluster.cni.ipam;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.function.Function;

/**
 * The kube-node CNI IPAM plugin: the container runtime runs it on the host for every pod, with the
 * CNI_* environment and the network configuration on stdin. It takes the pod ranges from its own
 * Node object (through a cache in dataDir) and lets the real host-local allocate from them.
 *
 * <p>It runs once per pod, so start time matters: this class and the warm path use plain classes
 * only (no picocli, no logging framework, no Jackson, no client-java, no lambdas); client-java is
 * loaded only on a cache miss.
 *
 * <p>Exit status 0 with the result (or nothing) on stdout, or 1 with CNI error JSON on stdout.
 * Nothing else is ever written to stdout; logs go to the configured logfile or stderr.
 */
public final class KubeNodeIpamMain {
  private KubeNodeIpamMain() {}

  public static void main(String[] args) {
    // Whatever a library might print must not corrupt the result.
    OutputStream stdout = new FileOutputStream(FileDescriptor.out);
    System.setOut(System.err);
    if (args.length > 0 || isEmpty(System.getenv("CNI_COMMAND"))) {
      if (args.length > 0 && !args[0].equals("--version") && !args[0].equals("-version")) {
        System.err.println("usage: kube-node [--version]  (a CNI plugin: run by the runtime)");
      }
      System.err.print(about());
      System.exit(args.length > 0 && !args[0].contains("version") ? 2 : 0);
    }
    int status =
        run(
            new EnvironmentGetter(),
            System.in,
            stdout,
            new KubeNodeIpam.Dependencies(
                new ProcessPluginExecutor(), NodeSources.real(), HostIdentity.system()),
            true);
    System.exit(status);
  }

  /** The version lines, as the reference plugins print them. */
  static String about() {
    return "CNI kube-node plugin v"
        + version()
        + "\nCNI protocol versions supported: "
        + String.join(", ", CniVersions.SUPPORTED)
        + "\n";
  }

  static String version() {
    Properties p = new Properties();
    try (InputStream in =
        KubeNodeIpamMain.class.getResourceAsStream("/kube-node-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // Unknown, then.
    }
    return p.getProperty("version", "unknown");
  }

  /**
   * One invocation.
   *
   * @param halt when true, a timeout ends the JVM (after printing the error); tests pass false
   * @return the exit status
   */
  public static int run(
      Function<String, String> getenv,
      InputStream stdin,
      OutputStream stdout,
      KubeNodeIpam.Dependencies deps,
      boolean halt) {
    CniOutput out = new CniOutput(stdout);
    Log log = Log.stderr();
    Watchdog watchdog = new Watchdog(out, IpamConfig.DEFAULT_TIMEOUT_MILLIS, halt);
    watchdog.start();
    String cniVersion = CniVersions.CURRENT;
    try {
      CniRequest request = CniRequest.read(getenv, stdin.readAllBytes());
      if (request.config().get("cniVersion") instanceof String v && !v.isEmpty()) {
        cniVersion = v;
      }
      watchdog.cniVersion(cniVersion);
      if (request.command().equals("VERSION")) {
        return out.result(KubeNodeIpam.version()) ? 0 : 1;
      }
      IpamConfig config = IpamConfig.from(request.config());
      watchdog.timeout(config.timeoutMillis());
      if (config.logfile() != null || config.loglevel() != null) {
        log = Log.configured(config.logfile(), config.loglevel());
      }
      if (log.enabled(Log.DEBUG)) {
        log.debug(
            request.command()
                + " container "
                + request.containerId()
                + " ifname "
                + request.ifname()
                + " args "
                + request.args());
      }
      byte[] result = new KubeNodeIpam(request, config, getenv, deps, log).run();
      return out.result(result) ? 0 : 1;
    } catch (CniException e) {
      log.error(e.getMessage());
      out.error(e, cniVersion);
      return 1;
    } catch (IOException e) {
      CniException err =
          new CniException(CniException.IO_FAILURE, "cannot read stdin", e.getMessage());
      out.error(err, cniVersion);
      return 1;
    } catch (RuntimeException | Error e) {
      log.error("internal error", e);
      out.error(
          new CniException(CniException.INTERNAL, "internal error in kube-node", e.toString()),
          cniVersion);
      return 1;
    } finally {
      watchdog.cancel();
    }
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  /** {@code System::getenv} without a lambda (an invokedynamic call site costs start time). */
  private static final class EnvironmentGetter implements Function<String, String> {
    @Override
    public String apply(String name) {
      return System.getenv(name);
    }
  }

  /** stdout: exactly one result or one error, whichever comes first. */
  static final class CniOutput {
    private final OutputStream stdout;
    private boolean done;

    CniOutput(OutputStream stdout) {
      this.stdout = stdout;
    }

    /** Writes the result; false when the timeout already answered. */
    synchronized boolean result(byte[] bytes) {
      if (done) {
        return false;
      }
      done = true;
      return write(bytes);
    }

    synchronized void error(CniException e, String cniVersion) {
      if (done) {
        return;
      }
      done = true;
      write(Json.write(e.toJson(cniVersion)).getBytes(StandardCharsets.UTF_8));
    }

    private boolean write(byte[] bytes) {
      try {
        stdout.write(bytes);
        stdout.flush();
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }

  /**
   * The hard limit on the whole invocation, as the original's 15 s context: when it passes, the
   * runtime gets a CNI error (code 11, try again later), child processes are killed, and the JVM
   * ends with status 1.
   */
  static final class Watchdog extends Thread {
    private final CniOutput out;
    private final boolean halt;
    private final long start = System.nanoTime();
    private volatile long timeoutMillis;
    private volatile String cniVersion = CniVersions.CURRENT;
    private volatile boolean cancelled;

    Watchdog(CniOutput out, long timeoutMillis, boolean halt) {
      super("kube-node-timeout");
      setDaemon(true);
      this.out = out;
      this.timeoutMillis = timeoutMillis;
      this.halt = halt;
    }

    void timeout(long millis) {
      timeoutMillis = millis;
      interrupt();
    }

    void cniVersion(String v) {
      cniVersion = v;
    }

    void cancel() {
      cancelled = true;
      interrupt();
    }

    @Override
    public void run() {
      while (!cancelled) {
        long left = timeoutMillis - (System.nanoTime() - start) / 1_000_000;
        if (left <= 0) {
          break;
        }
        try {
          Thread.sleep(left);
        } catch (InterruptedException e) {
          // A new limit or cancel: look again.
        }
      }
      if (cancelled) {
        return;
      }
      out.error(
          new CniException(
              CniException.TRY_AGAIN_LATER,
              "kube-node timed out after " + timeoutMillis + " ms",
              "the API server or host-local did not answer in time"),
          cniVersion);
      if (halt) {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        Runtime.getRuntime().halt(1);
      }
    }
  }
}
