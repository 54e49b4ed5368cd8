package io.xcluster.cni.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcluster.cni.testing.NetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a node's routes with {@code ip -j} — the independent view the checks compare the router's
 * work against.
 */
public final class KernelRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KernelRoutes() {}

  /** {@code dst via gateway} of the routes with a protocol, both families, main table. */
  public static Set<String> owned(NetworkNamespace ns, int protocol) {
    Set<String> routes = new TreeSet<>();
    for (String family : List.of("-4", "-6")) {
      for (JsonNode r : json(ns, family, "route", "show", "proto", String.valueOf(protocol))) {
        String dst = r.path("dst").asText();
        if (!dst.contains("/")) {
          dst += family.equals("-4") ? "/32" : "/128";
        }
        routes.add(dst + " via " + r.path("gateway").asText());
      }
    }
    return routes;
  }

  /**
   * Every route in every table except those of the given protocols, as text: what the routers must
   * never change.
   */
  public static List<String> allBut(NetworkNamespace ns, Set<Integer> protocols) {
    List<String> routes = new ArrayList<>();
    for (String family : List.of("-4", "-6")) {
      for (JsonNode r : json(ns, family, "route", "show", "table", "all")) {
        String proto = r.path("protocol").asText();
        if (protocols.stream().anyMatch(p -> String.valueOf(p).equals(proto))) {
          continue;
        }
        routes.add(r.toString());
      }
    }
    routes.sort(null);
    return routes;
  }

  private static JsonNode json(NetworkNamespace ns, String... args) {
    List<String> full = new ArrayList<>(List.of("-j"));
    full.addAll(List.of(args));
    try {
      String out = ns.ip(full.toArray(String[]::new)).strip();
      return out.isEmpty() ? JSON.createArrayNode() : JSON.readTree(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
