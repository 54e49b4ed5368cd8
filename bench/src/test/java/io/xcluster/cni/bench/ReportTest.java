package io.xcluster.cni.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --only NAME}: that benchmark's sections are replaced, every other one stays. */
class ReportTest {
  private static final Machine FIRST = new Machine("6.18", 2, "cpu", "25", "monday");
  private static final Machine SECOND = new Machine("6.19", 4, "cpu", "25", "tuesday");

  /** A full run of three benchmarks; "routes" has two sections. */
  private static String fullPage() {
    Report full = new Report(FIRST, false);
    full.benchmark("routes");
    full.section("Route install", "How: routes.").table("n", "t").row(1, "old install").done();
    full.section("Route list", "How: list.").text("old list").done();
    full.benchmark("kube-node");
    full.section("kube-node ADD", "How: ADD.").text("old add").done();
    full.benchmark("resync");
    full.section("No-op resync", "How: resync.").text("old resync").done();
    return full.markdown();
  }

  @Test
  void onlyReplacesThatBenchmarksSectionsInPlace() {
    Report only = new Report(SECOND, true);
    only.benchmark("kube-node");
    only.section("kube-node ADD", "How: ADD.").text("new add").done();

    String merged = only.merge(fullPage());

    assertThat(merged)
        .contains("old install", "old list", "old resync", "new add")
        .doesNotContain("old add");
    assertThat(merged.indexOf("## Route list"))
        .isLessThan(merged.indexOf("## kube-node ADD"))
        .isLessThan(merged.indexOf("new add"));
    assertThat(merged.indexOf("new add")).isLessThan(merged.indexOf("## No-op resync"));
    assertThat(merged).containsOnlyOnce("# Benchmarks").containsOnlyOnce("## kube-node ADD");
    // Each section says when and how it was measured: the kept ones as before.
    String kept = merged.substring(merged.indexOf("## Route install"));
    assertThat(kept.substring(0, kept.indexOf("How:")))
        .contains("monday")
        .doesNotContain("--quick");
    String fresh = merged.substring(merged.indexOf("## kube-node ADD"));
    assertThat(fresh.substring(0, fresh.indexOf("How:"))).contains("tuesday", "bench --quick");
  }

  @Test
  void aBenchmarkWithSeveralSectionsIsReplacedWhole() {
    Report only = new Report(SECOND, false);
    only.benchmark("routes");
    only.section("Route install", "How: routes.").table("n", "t").row(1, "new install").done();

    String merged = only.merge(fullPage());

    assertThat(merged)
        .contains("new install", "old add", "old resync")
        .doesNotContain("old install", "old list", "## Route list");
    assertThat(merged.indexOf("new install")).isLessThan(merged.indexOf("## kube-node ADD"));
  }

  @Test
  void aNewBenchmarkIsAppendedAndMergingTwiceChangesNothing() {
    Report only = new Report(SECOND, false);
    only.benchmark("cold-start");
    only.section("Cold start", "How: start.").text("first start").done();

    String once = only.merge(fullPage());
    assertThat(once).contains("old install", "old add", "old resync");
    assertThat(once.indexOf("## Cold start")).isGreaterThan(once.indexOf("## No-op resync"));
    assertThat(only.merge(once)).isEqualTo(once);
  }

  @Test
  void aPageWithoutMarkersIsMatchedByHeading() {
    String old =
        """
        # Benchmarks

        Machine: Linux 6.1, measured long ago.

        ## Route install

        old install

        ## kube-node ADD

        old add
        """;
    Report only = new Report(SECOND, false);
    only.benchmark("kube-node");
    only.section("kube-node ADD", "How: ADD.").text("new add").done();

    String merged = only.merge(old);

    assertThat(merged)
        .contains("## Route install\n\nold install\n", "new add")
        .doesNotContain("old add", "Machine: Linux 6.1");
  }

  @Test
  void mergeIntoWritesAPageWhereThereIsNone(@TempDir Path dir) throws Exception {
    Path page = dir.resolve("docs/benchmarks.md");
    Report only = new Report(SECOND, true);
    only.benchmark("resync");
    only.section("No-op resync", "How: resync.").text("new resync").done();

    only.mergeInto(page);
    Files.writeString(page, Files.readString(page).replace("new resync", "edited"));
    only.mergeInto(page);

    assertThat(Files.readString(page)).isEqualTo(only.markdown());
  }
}
