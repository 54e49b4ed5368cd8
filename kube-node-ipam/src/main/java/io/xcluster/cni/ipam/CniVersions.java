package io.xcluster.cni.ipam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CNI specification versions: which ones kube-node serves, which one to speak with host-local, and
 * converting results between them as libcni does ({@code pkg/types/create}).
 *
 * <p>Result formats: 0.1.0 and 0.2.0 (legacy {@code ip4}/{@code ip6}); 0.3.0 to 0.4.0 ({@code ips}
 * with a {@code version} member); 1.0.0 and 1.1.0 ({@code ips} without it). kube-node converts
 * between the last two groups; a legacy version is served only when host-local speaks it.
 */
public final class CniVersions {
  private CniVersions() {}

  /** What kube-node answers to VERSION; every one is served when host-local speaks it or a peer. */
  public static final List<String> SUPPORTED =
      List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");

  /** The newest version kube-node speaks. */
  public static final String CURRENT = "1.1.0";

  /** Compares two versions numerically; text that is not a version sorts first. */
  public static int compare(String a, String b) {
    int[] x = parse(a);
    int[] y = parse(b);
    for (int i = 0; i < 3; i++) {
      int c = Integer.compare(x[i], y[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int[] parse(String v) {
    int[] out = {-1, -1, -1};
    String[] parts = v.split("\\.", -1);
    if (parts.length != 3) {
      return out;
    }
    try {
      for (int i = 0; i < 3; i++) {
        out[i] = Integer.parseInt(parts[i]);
      }
      return out;
    } catch (NumberFormatException e) {
      return new int[] {-1, -1, -1};
    }
  }

  private static boolean legacy(String v) {
    return compare(v, "0.3.0") < 0;
  }

  /**
   * The version to speak with host-local for a configuration: the configuration's own when
   * host-local speaks it, else the newest version host-local speaks whose results kube-node can
   * convert.
   *
   * @throws CniException code 1 when there is none
   */
  public static String negotiate(String configVersion, List<String> delegateVersions)
      throws CniException {
    if (!SUPPORTED.contains(configVersion)) {
      throw new CniException(
          CniException.INCOMPATIBLE_VERSION,
          "incompatible CNI versions",
          "config is \"" + configVersion + "\", kube-node supports " + SUPPORTED);
    }
    if (delegateVersions.contains(configVersion)) {
      return configVersion;
    }
    String best = null;
    if (!legacy(configVersion)) {
      for (String v : delegateVersions) {
        if (!legacy(v) && (best == null || compare(v, best) > 0)) {
          best = v;
        }
      }
    }
    if (best == null) {
      throw new CniException(
          CniException.INCOMPATIBLE_VERSION,
          "incompatible CNI versions",
          "config is \"" + configVersion + "\", host-local supports " + delegateVersions);
    }
    return best;
  }

  /** Whether a plugin speaking these versions implements GC and STATUS (CNI 1.1). */
  public static boolean hasGcAndStatus(List<String> versions) {
    for (String v : versions) {
      if (compare(v, "1.1.0") >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Converts a result (or prevResult) from one version to another: sets {@code cniVersion}, and
   * adds or removes the per-address {@code version} member between 0.3/0.4 and 1.x.
   *
   * @throws CniException code 1 for a legacy version on either side
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> convertResult(
      Map<String, Object> result, String from, String to) throws CniException {
    if (from.equals(to)) {
      return result;
    }
    if (legacy(from) || legacy(to)) {
      throw new CniException(
          CniException.INCOMPATIBLE_VERSION, "cannot convert a result from " + from + " to " + to);
    }
    Map<String, Object> out = new LinkedHashMap<>(result);
    out.put("cniVersion", to);
    boolean toV1 = compare(to, "1.0.0") >= 0;
    boolean fromV1 = compare(from, "1.0.0") >= 0;
    Object ips = result.get("ips");
    if (toV1 != fromV1 && ips instanceof List) {
      List<Object> converted = new ArrayList<>();
      for (Object o : (List<Object>) ips) {
        if (!(o instanceof Map)) {
          converted.add(o);
          continue;
        }
        Map<String, Object> ip = new LinkedHashMap<>((Map<String, Object>) o);
        if (toV1) {
          ip.remove("version");
        } else {
          Object address = ip.get("address");
          String version = address instanceof String s && s.indexOf(':') >= 0 ? "6" : "4";
          Map<String, Object> withVersion = new LinkedHashMap<>();
          withVersion.put("version", version);
          withVersion.putAll(ip);
          ip = withVersion;
        }
        converted.add(ip);
      }
      out.put("ips", converted);
    }
    return out;
  }
}
