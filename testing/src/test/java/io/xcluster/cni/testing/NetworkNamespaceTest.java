package io.xcluster.cni.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Leftovers are the namespaces of processes that are gone; those of running ones stay. */
class NetworkNamespaceTest {

  @Test
  void aNamespaceOfARunningProcessIsNotALeftover() {
    long self = ProcessHandle.current().pid();
    assertThat(NetworkNamespace.ownerAlive("xcni-bench-p" + self + "-1a2b3c")).isTrue();
    assertThat(NetworkNamespace.ownerAlive("xcni-p1pod-p" + self + "-ff")).isTrue();
  }

  @Test
  void aNamespaceOfAnEndedProcessOrWithoutAPidIsALeftover() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    assertThat(NetworkNamespace.ownerAlive("xcni-bench-p" + p.pid() + "-1a2b3c")).isFalse();
    assertThat(NetworkNamespace.ownerAlive("xcni-bench-1a2b3c")).isFalse();
  }
}
