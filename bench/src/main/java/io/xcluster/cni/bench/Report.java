package io.xcluster.cni.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * docs/benchmarks.md: one section per benchmark, each with how it was obtained, a table of median,
 * spread, the baseline measured in the same run, the ratio and the goal, and plots.
 */
public final class Report {
  private final Machine machine;
  private final boolean quick;
  private final List<String> sections = new ArrayList<>();

  public Report(Machine machine, boolean quick) {
    this.machine = machine;
    this.quick = quick;
  }

  /** A section under construction. */
  public final class Section {
    private final StringBuilder md = new StringBuilder();
    private boolean inTable;

    private Section(String title, String how) {
      md.append("## ").append(title).append("\n\n").append(how.strip()).append("\n\n");
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
      sections.add(md.toString());
    }
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
    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n");
    md.append(
        "Written by `./build.sh bench"
            + (quick ? " --quick" : "")
            + "`; do not edit by hand. Every goal is a ratio to a baseline measured side by side"
            + " in the same run, because these machines are shared and noisy. Medians with the"
            + " range of all runs; n is the number of runs.\n\n");
    md.append("Machine: ").append(machine.describe()).append(".\n\n");
    sections.forEach(md::append);
    return md.toString();
  }

  public void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, markdown());
  }
}
