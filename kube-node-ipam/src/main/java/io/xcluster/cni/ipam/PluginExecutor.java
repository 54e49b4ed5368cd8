package io.xcluster.cni.ipam;

import java.nio.file.Path;
import java.util.Map;

/**
 * Runs a delegate CNI plugin (host-local) the way libcni does: the configuration on stdin, the
 * CNI_* variables in the environment, the result on stdout.
 */
public interface PluginExecutor {
  /**
   * Runs {@code plugin}.
   *
   * @param env the CNI_* variables to set; a null value removes the variable; everything else is
   *     inherited
   * @return the plugin's stdout when it exits 0
   * @throws CniException the plugin's own error when it prints one, else code 999
   */
  byte[] exec(Path plugin, Map<String, String> env, byte[] stdin) throws CniException;
}
