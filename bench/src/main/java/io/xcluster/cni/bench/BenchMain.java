package io.xcluster.cni.bench;

import io.xcluster.cni.testing.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./build.sh bench [--quick] [--only NAME] [--docs DIR] [--output DIR]}: runs the benchmarks
 * on the built programs (default _output/) and writes DIR/benchmarks.md (default docs/) with its
 * plots; with {@code --only} it replaces that benchmark's section and keeps the others. Needs root
 * (network namespaces).
 */
public final class BenchMain {
  private BenchMain() {}

  static List<Benchmark> all(Path output) {
    return List.of(
        new RouteInstallBenchmark(),
        new KubeNodeAddBenchmark(output.resolve("bin/kube-node")),
        new NoOpResyncBenchmark(),
        new ColdStartBenchmark(output.resolve("bin/xcluster-cni")),
        new DaemonMemoryBenchmark(output.resolve("bin/xcluster-cni")),
        new AnnotationLatencyBenchmark(output.resolve("bin/xcluster-cni")));
  }

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    String only = null;
    Path docs = Path.of("docs");
    Path output = Path.of("_output");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--only" -> only = args[++i];
        case "--docs" -> docs = Path.of(args[++i]);
        case "--output" -> output = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<Benchmark> chosen = all(output);
    if (only != null) {
      String name = only;
      chosen = chosen.stream().filter(b -> b.name().equals(name)).toList();
      if (chosen.isEmpty()) {
        throw new IllegalArgumentException(
            "no benchmark "
                + name
                + "; there are "
                + all(output).stream().map(Benchmark::name).toList());
      }
    }
    Files.createDirectories(docs);
    NetworkNamespace.deleteLeftovers();
    Report report = new Report(Machine.current(), quick);
    long start = System.nanoTime();
    for (Benchmark b : chosen) {
      System.err.println("bench: " + b.name());
      report.benchmark(b.name());
      long benchmarkStart = System.nanoTime();
      b.run(new Benchmark.Context(quick, report, docs));
      System.err.printf(
          "bench: %s took %.0f s%n", b.name(), (System.nanoTime() - benchmarkStart) / 1e9);
    }
    if (only == null) {
      report.write(docs.resolve("benchmarks.md"));
    } else {
      report.mergeInto(docs.resolve("benchmarks.md")); // the other sections stay
    }
    System.err.printf(
        "bench: wrote %s in %.0f s%n",
        docs.resolve("benchmarks.md"), (System.nanoTime() - start) / 1e9);
  }
}
