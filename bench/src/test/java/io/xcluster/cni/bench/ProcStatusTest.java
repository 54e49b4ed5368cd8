package io.xcluster.cni.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatusTest {
  private static final String STATUS =
      """
      Name:\tjava
      Umask:\t0022
      State:\tS (sleeping)
      Pid:\t4242
      VmPeak:\t 3400000 kB
      VmHWM:\t  181248 kB
      VmRSS:\t  162304 kB
      RssAnon:\t  127744 kB
      RssFile:\t   34560 kB
      Threads:\t25
      Cpus_allowed_list:\t0-1
      """;

  @Test
  void readsTheMemoryLinesInBytes() {
    ProcStatus status = ProcStatus.parse(STATUS);
    assertThat(status.rss()).isEqualTo(162_304L * 1024);
    assertThat(status.hwm()).isEqualTo(181_248L * 1024);
    assertThat(status.get("RssAnon")).isEqualTo(127_744L * 1024);
    assertThat(status.get("RssFile")).isEqualTo(34_560L * 1024);
  }

  @Test
  void ignoresLinesThatAreNoSize() {
    ProcStatus status = ProcStatus.parse(STATUS);
    assertThat(status.bytes()).doesNotContainKeys("Name", "Pid", "Threads", "State", "Umask");
    assertThatThrownBy(() -> status.get("Threads"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Threads");
  }

  @Test
  void readsThisProcess() throws Exception {
    ProcStatus status = ProcStatus.read(ProcessHandle.current().pid());
    assertThat(status.rss()).isPositive().isLessThanOrEqualTo(status.hwm());
  }
}
