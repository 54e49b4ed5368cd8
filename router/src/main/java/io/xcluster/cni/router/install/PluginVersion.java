package io.xcluster.cni.router.install;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release version such as {@code 1.1.1}, {@code v1.4.0} or {@code 0.2.0-SNAPSHOT}, ordered the
 * semantic-versioning way: numbers compared numerically, and a pre-release ({@code -SNAPSHOT},
 * {@code -rc1}) before its release.
 *
 * @param numbers the dot-separated numbers, at least one
 * @param preRelease the text after {@code -}, empty for a release
 */
public record PluginVersion(List<Integer> numbers, String preRelease)
    implements Comparable<PluginVersion> {

  private static final Pattern VERSION =
      Pattern.compile("\\bv?(\\d{1,9}(?:\\.\\d{1,9}){1,3})(?:-([0-9A-Za-z][0-9A-Za-z.-]*))?");

  public PluginVersion {
    numbers = List.copyOf(numbers);
    if (numbers.isEmpty()) {
      throw new IllegalArgumentException("a version needs at least one number");
    }
    preRelease = preRelease == null ? "" : preRelease;
  }

  /**
   * Parses a version string ({@code 1.2.3}, {@code v1.2.3-rc1}).
   *
   * @throws IllegalArgumentException when the text is not a version
   */
  public static PluginVersion parse(String text) {
    Matcher m = VERSION.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a version: \"" + text + "\"");
    }
    return of(m);
  }

  /**
   * Finds the version in the first line of a plugin's "about" text, e.g. {@code CNI host-local
   * plugin v1.1.1}. Debian's builds print {@code version unknown}: that is empty, not an error. The
   * second line lists the CNI spec versions and must not be mistaken for the plugin's.
   */
  public static Optional<PluginVersion> find(String about) {
    String first = about.strip().lines().findFirst().orElse("");
    Matcher m = VERSION.matcher(first);
    return m.find() ? Optional.of(of(m)) : Optional.empty();
  }

  private static PluginVersion of(Matcher m) {
    List<Integer> numbers = new ArrayList<>();
    for (String part : m.group(1).split("\\.")) {
      numbers.add(Integer.parseInt(part));
    }
    return new PluginVersion(numbers, m.group(2));
  }

  public boolean isPreRelease() {
    return !preRelease.isEmpty();
  }

  @Override
  public int compareTo(PluginVersion o) {
    int n = Math.max(numbers.size(), o.numbers.size());
    for (int i = 0; i < n; i++) {
      int a = i < numbers.size() ? numbers.get(i) : 0;
      int b = i < o.numbers.size() ? o.numbers.get(i) : 0;
      if (a != b) {
        return Integer.compare(a, b);
      }
    }
    if (isPreRelease() != o.isPreRelease()) {
      return isPreRelease() ? -1 : 1;
    }
    return comparePreRelease(preRelease, o.preRelease);
  }

  /** Semver §11: dot-separated identifiers; numeric ones numerically and before text ones. */
  private static int comparePreRelease(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean xn = x[i].matches("\\d{1,9}");
      boolean yn = y[i].matches("\\d{1,9}");
      int c;
      if (xn && yn) {
        c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
      } else if (xn != yn) {
        c = xn ? -1 : 1;
      } else {
        c = x[i].compareTo(y[i]);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  /** {@code 1.2.3} or {@code 1.2.3-SNAPSHOT}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < numbers.size(); i++) {
      if (i > 0) {
        sb.append('.');
      }
      sb.append(numbers.get(i));
    }
    if (isPreRelease()) {
      sb.append('-').append(preRelease);
    }
    return sb.toString();
  }
}
