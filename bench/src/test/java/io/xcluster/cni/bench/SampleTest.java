package io.xcluster.cni.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleTest {

  @Test
  void medianAndSpread() {
    Sample s = Sample.of(List.of(0.030, 0.010, 0.020, 0.050, 0.040));
    assertThat(s.median()).isEqualTo(0.030);
    assertThat(s.min()).isEqualTo(0.010);
    assertThat(s.max()).isEqualTo(0.050);
    assertThat(s.percentile(99)).isEqualTo(0.050);
    assertThat(s.describeSeconds()).isEqualTo("30.0 ms (10.0 ms–50.0 ms, n=5)");
  }

  @Test
  void evenCountsTakeTheLowerMiddle() {
    assertThat(Sample.of(List.of(1.0, 2.0, 3.0, 4.0)).median()).isEqualTo(2.0);
  }

  @Test
  void bytesReadInMebibytes() {
    Sample s = Sample.of(List.of(150.0 * 1024 * 1024, 140.0 * 1024 * 1024, 145.5 * 1024 * 1024));
    assertThat(s.describeMebibytes()).isEqualTo("145.5 MiB (140.0–150.0, n=3)");
    assertThat(Sample.mebibytes(96 * 1024 * 1024)).isEqualTo("96.0 MiB");
  }

  @Test
  void unitsReadWell() {
    assertThat(Sample.seconds(1.5)).isEqualTo("1.50 s");
    assertThat(Sample.seconds(0.0123)).isEqualTo("12.3 ms");
    assertThat(Sample.seconds(0.000045)).isEqualTo("45 µs");
  }

  @Test
  void ratiosSayWhetherTheGoalIsMet() {
    assertThat(Report.ratio(0.93, 1.1)).isEqualTo("0.93× ✔ (goal ≤ 1.1×)");
    assertThat(Report.ratio(1.4, 1.1)).isEqualTo("1.40× ✘ (goal ≤ 1.1×)");
  }

  @Test
  void reportAndPlot(@TempDir Path dir) throws Exception {
    Report report = new Report(new Machine("6.18", 2, "cpu", "25", "today"), true);
    report
        .section("Route install", "How: side by side.")
        .table("routes", "ip -batch", "ours", "ratio")
        .row(1000, "30.0 ms", "20.0 ms", Report.ratio(0.67, 1.1))
        .image("route-install.png", "install time")
        .done();
    report.write(dir.resolve("benchmarks.md"));
    String md = Files.readString(dir.resolve("benchmarks.md"));
    assertThat(md)
        .contains("`./build.sh bench --quick`")
        .contains("| routes | ip -batch | ours | ratio |")
        .contains("| 1000 | 30.0 ms | 20.0 ms | 0.67× ✔ (goal ≤ 1.1×) |")
        .contains("![install time](route-install.png)");

    TreeMap<Integer, Double> points = new TreeMap<>(Map.of(1000, 0.03, 10000, 1.6));
    Plot.lines(dir.resolve("p.png"), "t", "routes", "s", Map.of("ip -batch", points));
    assertThat(Files.size(dir.resolve("p.png"))).isGreaterThan(1000);
  }
}
