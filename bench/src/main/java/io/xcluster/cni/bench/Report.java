package io.xcluster.cni.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * docs/benchmarks.md: one section per benchmark, each with how it was obtained, a table of median,
 * spread, the baseline measured in the same run, the ratio and the goal, and plots.
 *
 * <p>Each section starts with a {@code <!-- bench: NAME -->} marker and says when, on which machine
 * and in which mode it was measured, so that {@link #mergeInto} can replace the sections of the
 * benchmarks that ran ({@code --only}) and keep all others as they were.
 */
public final class Report {
  private static final String MARKER = "<!-- bench: ";
  private final Machine machine;
  private final boolean quick;
  private final List<Block> sections = new ArrayList<>();
  private String benchmark = "";

  /** One section of the page: the benchmark it belongs to (null: unknown), heading and text. */
  private record Block(String benchmark, String heading, String markdown) {}

  public Report(Machine machine, boolean quick) {
    this.machine = machine;
    this.quick = quick;
  }

  /** A section under construction. */
  public final class Section {
    private final StringBuilder md = new StringBuilder();
    private boolean inTable;

    private final String title;

    private Section(String title, String how) {
      this.title = title;
      md.append(MARKER).append(benchmark).append(" -->\n");
      md.append("## ").append(title).append("\n\n");
      md.append("_From `./build.sh bench").append(quick ? " --quick" : "");
      md.append("` on ").append(machine.describe()).append("._\n\n");
      md.append(how.strip()).append("\n\n");
    }

    /** Starts a table with these column headers. */
    public Section table(String... headers) {
      endTable();
      md.append("| ").append(String.join(" | ", headers)).append(" |\n|");
      md.append("---|".repeat(headers.length)).append('\n');
      inTable = true;
      return this;
    }

    public Section row(Object... cells) {
      md.append("|");
      for (Object c : cells) {
        md.append(' ').append(String.valueOf(c).replace("|", "\\|")).append(" |");
      }
      md.append('\n');
      return this;
    }

    public Section text(String text) {
      endTable();
      md.append(text.strip()).append("\n\n");
      return this;
    }

    /** An image next to docs/benchmarks.md. */
    public Section image(String relativePath, String alt) {
      endTable();
      md.append("![").append(alt).append("](").append(relativePath).append(")\n\n");
      return this;
    }

    private void endTable() {
      if (inTable) {
        md.append('\n');
        inTable = false;
      }
    }

    /** Adds the section to the report. */
    public void done() {
      endTable();
      sections.add(new Block(benchmark, "## " + title, md.toString()));
    }
  }

  /** The benchmark that the sections started from now on belong to ({@link Benchmark#name()}). */
  public void benchmark(String name) {
    this.benchmark = name;
  }

  public Section section(String title, String how) {
    return new Section(title, how);
  }

  /** {@code 0.93× ✔ (goal ≤ 1.1×)}: a ratio against its goal. */
  public static String ratio(double ratio, double goal) {
    return String.format(
        java.util.Locale.ROOT, "%.2f× %s (goal ≤ %s×)", ratio, ratio <= goal ? "✔" : "✘", goal);
  }

  public String markdown() {
    StringBuilder md = new StringBuilder(preamble());
    sections.forEach(b -> md.append(b.markdown()));
    return md.toString();
  }

  private static String preamble() {
    return "# Benchmarks\n\n"
        + "Written by `./build.sh bench`; do not edit by hand. Every goal is a ratio to a baseline"
        + " measured side by side in the same run, because these machines are shared and noisy."
        + " Medians with the range of all runs; n is the number of runs. Each section says when,"
        + " where and in which mode (full or `--quick`) it was measured: `--only NAME` measures"
        + " one benchmark again and keeps the other sections.\n\n";
  }

  /**
   * This report's sections in place of the same benchmarks' sections in {@code page} (an earlier
   * docs/benchmarks.md); every other section stays as it was, in its place. A section of a page
   * written before the markers existed is matched by its heading. Sections of benchmarks the page
   * did not have are appended.
   */
  public String merge(String page) {
    Set<String> ran = new HashSet<>();
    Set<String> headings = new HashSet<>();
    for (Block b : sections) {
      ran.add(b.benchmark());
      headings.add(b.heading());
    }
    StringBuilder md = new StringBuilder(preamble());
    Set<String> written = new HashSet<>();
    for (Block old : parse(page)) {
      boolean replaced =
          old.benchmark() != null
              ? ran.contains(old.benchmark())
              : headings.contains(old.heading());
      if (!replaced) {
        md.append(old.markdown());
        continue;
      }
      String name =
          old.benchmark() != null
              ? old.benchmark()
              : sections.stream()
                  .filter(b -> b.heading().equals(old.heading()))
                  .findFirst()
                  .orElseThrow()
                  .benchmark();
      if (written.add(name)) {
        sections.stream()
            .filter(b -> b.benchmark().equals(name))
            .forEach(b -> md.append(b.markdown()));
      }
    }
    sections.stream()
        .filter(b -> !written.contains(b.benchmark()))
        .forEach(b -> md.append(b.markdown()));
    return md.toString();
  }

  /** The sections of a page: each starts at a marker, or at a heading without one before it. */
  private static List<Block> parse(String page) {
    List<Block> blocks = new ArrayList<>();
    String name = null;
    String heading = null;
    StringBuilder text = null;
    for (String line : page.split("\n", -1)) {
      boolean marker = line.startsWith(MARKER) && line.endsWith(" -->");
      boolean newHeading = line.startsWith("## ") && (text == null || heading != null);
      if (marker || newHeading) {
        if (text != null) {
          blocks.add(new Block(name, heading, text.toString()));
        }
        name = marker ? line.substring(MARKER.length(), line.length() - 4) : null;
        heading = null;
        text = new StringBuilder();
      }
      if (line.startsWith("## ") && heading == null && text != null) {
        heading = line;
      }
      if (text != null) {
        text.append(line).append('\n');
      }
    }
    if (text != null) {
      blocks.add(new Block(name, heading, text.toString().stripTrailing() + "\n\n"));
    }
    return blocks;
  }

  public void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, markdown());
  }

  /** {@link #merge}s into {@code file}, or writes it when there is none yet. */
  public void mergeInto(Path file) throws IOException {
    if (!Files.exists(file)) {
      write(file);
      return;
    }
    Files.writeString(file, merge(Files.readString(file)));
  }
}
