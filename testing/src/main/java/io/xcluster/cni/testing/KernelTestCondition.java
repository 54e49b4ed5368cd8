package io.xcluster.cni.testing;

import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/** The guard behind {@link KernelTest}: skip without privileges, but fail under CI. */
public final class KernelTestCondition implements BeforeAllCallback {
  private static volatile Optional<String> missing;

  @Override
  public void beforeAll(ExtensionContext context) {
    Optional<String> why = missing();
    if (why.isEmpty()) {
      return;
    }
    String message = context.getDisplayName() + " needs " + why.get();
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message + " (CI=true: kernel tests must run, not skip)");
    }
    throw new TestAbortedException(message);
  }

  /** Why kernel tests cannot run here, or empty when they can. */
  public static Optional<String> missing() {
    Optional<String> m = missing;
    if (m == null) {
      m = probe();
      missing = m;
    }
    return m;
  }

  private static Optional<String> probe() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.of("root (running as " + System.getProperty("user.name") + ")");
    }
    try (NetworkNamespace ns = NetworkNamespace.create("probe")) {
      ns.exec("ip", "link", "set", "lo", "up");
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("network namespaces (ip netns add failed: " + e.getMessage() + ")");
    }
  }
}
