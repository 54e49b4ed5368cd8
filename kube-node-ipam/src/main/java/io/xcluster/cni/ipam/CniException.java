package io.xcluster.cni.ipam;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure reported to the runtime as CNI error JSON on stdout ({@code
 * {"cniVersion","code","msg","details"}}), with exit status 1.
 *
 * <p>Codes 1 to 99 are the CNI specification's ({@code containernetworking/cni pkg/types}); 100 and
 * up are this plugin's own, as in the original kube-node.
 */
public final class CniException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The configuration's cniVersion is one this plugin and host-local cannot serve. */
  public static final int INCOMPATIBLE_VERSION = 1;

  /** A required CNI_* environment variable is missing or malformed. */
  public static final int INVALID_ENVIRONMENT = 4;

  /** Reading or writing a file failed. */
  public static final int IO_FAILURE = 5;

  /** Stdin is not a JSON object. */
  public static final int DECODING_FAILURE = 6;

  /** The network configuration is not valid for this plugin. */
  public static final int INVALID_CONFIG = 7;

  /** A transient failure, such as an unreachable API server: the runtime should retry. */
  public static final int TRY_AGAIN_LATER = 11;

  /** STATUS: the plugin cannot serve ADD now. */
  public static final int NOT_AVAILABLE = 50;

  /** Anything that should not happen. */
  public static final int INTERNAL = 999;

  /** The Node's CIDR data (annotation or spec.podCIDRs) is missing or malformed. */
  public static final int BAD_NODE_DATA = 100;

  /** The plugin's own Node was not found. */
  public static final int NODE_NOT_FOUND = 101;

  /** The ipv4-namespaces filter left no range for this pod. */
  public static final int NO_RANGE = 102;

  /** The delegate plugin (host-local) is not on CNI_PATH or cannot be run. */
  public static final int DELEGATE_MISSING = 103;

  private final int code;
  private final String msg;
  private final String details;

  public CniException(int code, String msg, String details) {
    super(details == null || details.isEmpty() ? msg : msg + ": " + details);
    this.code = code;
    this.msg = msg;
    this.details = details == null ? "" : details;
  }

  public CniException(int code, String msg) {
    this(code, msg, "");
  }

  public int code() {
    return code;
  }

  public String msg() {
    return msg;
  }

  public String details() {
    return details;
  }

  /** The error object as the CNI specification defines it. */
  public Map<String, Object> toJson(String cniVersion) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cniVersion", cniVersion);
    m.put("code", Long.valueOf(code));
    m.put("msg", msg);
    if (!details.isEmpty()) {
      m.put("details", details);
    }
    return m;
  }
}
