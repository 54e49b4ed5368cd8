package io.xcluster.cni.ipam;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the plugin as a child process. Its stderr goes to ours; a non-zero exit becomes the
 * CniException the plugin printed. The invocation's hard timeout kills the child with the JVM.
 */
public final class ProcessPluginExecutor implements PluginExecutor {
  @Override
  public byte[] exec(Path plugin, Map<String, String> env, byte[] stdin) throws CniException {
    ProcessBuilder pb = new ProcessBuilder(plugin.toString());
    Map<String, String> penv = pb.environment();
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getValue() == null) {
        penv.remove(e.getKey());
      } else {
        penv.put(e.getKey(), e.getValue());
      }
    }
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    byte[] out;
    int rc;
    try {
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin);
      } catch (IOException e) {
        // The plugin may exit without reading stdin (host-local VERSION does): its exit status
        // and output tell whether that was a failure.
      }
      try (InputStream o = p.getInputStream()) {
        out = o.readAllBytes();
      }
      rc = p.waitFor();
    } catch (IOException e) {
      throw new CniException(
          CniException.DELEGATE_MISSING, "cannot run " + plugin, String.valueOf(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CniException(CniException.INTERNAL, "interrupted while running " + plugin);
    }
    if (rc == 0) {
      return out;
    }
    throw failure(plugin, rc, out);
  }

  /** The error a failed plugin printed, or a code-999 error quoting its output. */
  static CniException failure(Path plugin, int rc, byte[] out) {
    String text = new String(out, StandardCharsets.UTF_8).strip();
    String name = plugin.getFileName().toString();
    try {
      Map<String, Object> err = Json.parseObject(text);
      if (err.get("code") instanceof BigDecimal code && err.get("msg") instanceof String msg) {
        Object details = err.get("details");
        return new CniException(
            code.intValue(), name + ": " + msg, details instanceof String d ? d : "");
      }
    } catch (Json.ParseException e) {
      // Not CNI error JSON; quote it below.
    }
    return new CniException(
        CniException.INTERNAL,
        name + " failed with exit status " + rc,
        text.isEmpty() ? "no output" : text);
  }
}
