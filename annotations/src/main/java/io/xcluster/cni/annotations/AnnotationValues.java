package io.xcluster.cni.annotations;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses the two list formats a Node carries: CIDRs ({@code "172.20.5.0/24, fd00:5::1:0/112"}) and
 * addresses ({@code "192.168.2.3,1000::1:c0a8:203"}). Items are separated by commas; whitespace
 * around an item is ignored; an empty item is an error. Order is kept, any number of items per
 * family.
 */
public final class AnnotationValues {
  private AnnotationValues() {}

  /** Canonical CIDRs, in the order given, and warnings about what was changed to get there. */
  public record CidrList(List<Cidr> cidrs, List<String> warnings) {
    public CidrList {
      cidrs = List.copyOf(cidrs);
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Parses a comma-separated CIDR list. Host bits are cleared with a warning; a repeated CIDR is
   * dropped with a warning.
   *
   * @throws AnnotationFormatException naming {@code key} and the bad item
   */
  public static CidrList parseCidrs(String key, String value) {
    return parseCidrItems(key, split(key, value));
  }

  /** Like {@link #parseCidrs} for a value that is already a list, such as spec.podCIDRs. */
  public static CidrList parseCidrItems(String key, List<String> items) {
    Set<Cidr> cidrs = new LinkedHashSet<>();
    List<String> warnings = new ArrayList<>();
    for (String raw : items) {
      String item = raw.strip();
      if (item.isEmpty()) {
        throw new AnnotationFormatException(key, raw, "is an empty item");
      }
      Cidr.Parsed parsed;
      try {
        parsed = Cidr.parseLenient(item);
      } catch (IllegalArgumentException e) {
        throw new AnnotationFormatException(key, item, "is not a CIDR: " + e.getMessage());
      }
      Cidr cidr = parsed.cidr();
      if (parsed.hostBitsCleared()) {
        warnings.add(
            key + ": \"" + item + "\" has host bits set; using " + cidr + " (write it that way)");
      }
      if (!cidrs.add(cidr)) {
        warnings.add(key + ": \"" + item + "\" repeats " + cidr + "; the repeat is ignored");
      }
    }
    return new CidrList(new ArrayList<>(cidrs), warnings);
  }

  /**
   * Parses a comma-separated address list; IPv4-mapped IPv6 addresses fold to IPv4.
   *
   * @throws AnnotationFormatException naming {@code key} and the bad item
   */
  public static List<InetAddress> parseAddresses(String key, String value) {
    return parseAddressItems(key, split(key, value));
  }

  /** Like {@link #parseAddresses} for a value that is already a list. */
  public static List<InetAddress> parseAddressItems(String key, List<String> items) {
    List<InetAddress> addresses = new ArrayList<>(items.size());
    for (String raw : items) {
      String item = raw.strip();
      if (item.isEmpty()) {
        throw new AnnotationFormatException(key, raw, "is an empty item");
      }
      try {
        addresses.add(IpLiteral.parse(item));
      } catch (IllegalArgumentException e) {
        String hint = item.indexOf('/') >= 0 ? "a plain address, without a prefix length" : null;
        throw new AnnotationFormatException(
            key,
            item,
            "is not an IP address: " + (hint != null ? "expected " + hint : e.getMessage()));
      }
    }
    return List.copyOf(addresses);
  }

  private static List<String> split(String key, String value) {
    if (value.isBlank()) {
      throw new AnnotationFormatException(key, value, "is empty");
    }
    return List.of(value.split(",", -1));
  }
}
