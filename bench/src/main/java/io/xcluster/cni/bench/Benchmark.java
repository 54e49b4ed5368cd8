package io.xcluster.cni.bench;

/** One benchmark: measures, side by side with its baseline, and adds a section to the report. */
public interface Benchmark {

  /** A short name for {@code --only}. */
  String name();

  /** Runs it; {@code quick} trades sizes and repetitions for time (CI). */
  void run(Context context) throws Exception;

  /** What a benchmark gets: the mode, the report, and where plots go. */
  record Context(boolean quick, Report report, java.nio.file.Path docs) {}
}
