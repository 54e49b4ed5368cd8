package io.xcluster.cni.annotations;

import java.util.regex.Pattern;

/**
 * Validates an annotation name as Kubernetes does: an optional DNS-subdomain prefix of at most 253
 * characters and a slash, then a name of at most 63 characters of {@code [A-Za-z0-9._-]} that
 * starts and ends alphanumeric. A typo in CIDR_ANNOTATION is then a start-up error, not a network
 * that silently has no routes.
 */
public final class AnnotationKey {
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private AnnotationKey() {}

  /**
   * Returns {@code key} when it is a valid annotation name.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static String validate(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty() || prefix.length() > 253) {
        throw invalid(key, "the prefix before '/' must have 1 to 253 characters");
      }
      for (String label : prefix.split("\\.", -1)) {
        if (!DNS_LABEL.matcher(label).matches()) {
          throw invalid(key, "the prefix must be a DNS subdomain such as cidr.example.com");
        }
      }
    }
    if (!NAME.matcher(name).matches()) {
      throw invalid(
          key,
          "the name must have 1 to 63 characters of [A-Za-z0-9._-], "
              + "starting and ending with a letter or digit");
    }
    return key;
  }

  private static IllegalArgumentException invalid(String key, String why) {
    return new IllegalArgumentException("\"" + key + "\" is not a valid annotation name: " + why);
  }
}
