package io.xcluster.cni.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Repeated measurements of one quantity (seconds, or bytes) and their summary: the median, and the
 * spread as the range between the smallest and the largest run.
 */
public record Sample(double[] values) {
  private static final double MIB = 1024 * 1024;

  public Sample {
    if (values.length == 0) {
      throw new IllegalArgumentException("no measurements");
    }
    values = values.clone();
    Arrays.sort(values);
  }

  public static Sample of(List<Double> values) {
    return new Sample(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  public int runs() {
    return values.length;
  }

  public double median() {
    return percentile(50);
  }

  /** Nearest-rank percentile. */
  public double percentile(double p) {
    int rank = (int) Math.ceil(p / 100.0 * values.length);
    return values[Math.clamp(rank - 1, 0, values.length - 1)];
  }

  public double min() {
    return values[0];
  }

  public double max() {
    return values[values.length - 1];
  }

  /** {@code 12.3 ms (11.9–13.0, n=5)} for seconds. */
  public String describeSeconds() {
    return String.format(
        Locale.ROOT, "%s (%s–%s, n=%d)", seconds(median()), seconds(min()), seconds(max()), runs());
  }

  /** {@code 120.3 MiB (118.0–121.5, n=3)} for bytes. */
  public String describeMebibytes() {
    return String.format(
        Locale.ROOT, "%s (%.1f–%.1f, n=%d)", mebibytes(median()), min() / MIB, max() / MIB, runs());
  }

  /** Bytes in MiB, one decimal. */
  public static String mebibytes(double bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / MIB);
  }

  /** A duration in the unit that reads best. */
  public static String seconds(double s) {
    if (s >= 1) {
      return String.format(Locale.ROOT, "%.2f s", s);
    }
    if (s >= 0.001) {
      return String.format(Locale.ROOT, "%.1f ms", s * 1e3);
    }
    return String.format(Locale.ROOT, "%.0f µs", s * 1e6);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sample s && Arrays.equals(values, s.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return Arrays.toString(values);
  }
}
