package io.xcluster.cni.annotations;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parts of a Node object that decide its routes, as plain values (no client library types):
 * {@code metadata.name}, {@code metadata.annotations}, {@code spec.podCIDRs} and {@code
 * status.addresses}.
 */
public record NodeFields(
    String name, Map<String, String> annotations, List<String> podCidrs, List<Address> addresses) {

  /** One entry of {@code status.addresses}: a type such as InternalIP, and the address text. */
  public record Address(String type, String address) {}

  public NodeFields {
    // Objects decoded from JSON may hold nulls anywhere; none of them carries information.
    Map<String, String> copy = new HashMap<>();
    if (annotations != null) {
      annotations.forEach(
          (k, v) -> {
            if (k != null && v != null) {
              copy.put(k, v);
            }
          });
    }
    annotations = Map.copyOf(copy);
    podCidrs = podCidrs == null ? List.of() : podCidrs.stream().filter(Objects::nonNull).toList();
    addresses =
        addresses == null
            ? List.of()
            : addresses.stream().filter(a -> a != null && a.address() != null).toList();
  }
}
