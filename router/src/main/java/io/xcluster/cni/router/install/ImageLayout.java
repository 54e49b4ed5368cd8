package io.xcluster.cni.router.install;

/**
 * Where the image keeps its programs. The Dockerfile copies to these paths, the manifests run
 * {@link #PROGRAM}, and {@code install} reads the plugins from here; tests check all three agree.
 */
public final class ImageLayout {
  /** Everything of ours in the image. */
  public static final String HOME = "/opt/xcluster-cni";

  /** The {@code xcluster-cni} launcher (router, installer). */
  public static final String PROGRAM = HOME + "/bin/xcluster-cni";

  /** kube-node's self-contained directory, copied whole onto the host. */
  public static final String KUBE_NODE_BUNDLE = HOME + "/kube-node";

  /** host-local and bridge, installed where the node lacks them. */
  public static final String PLUGINS_DIR = HOME + "/cni-plugins";

  private ImageLayout() {}
}
