package io.xcluster.cni.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DaemonProcessTest {

  @Test
  void jvmOptionsEndAtTheClassPath() {
    List<String> argv =
        List.of(
            "/x/_output/runtime/bin/java",
            "-XX:+UseSerialGC",
            "-Xmx64m",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            "/x/_output/lib/xcluster-cni/*",
            "io.xcluster.cni.router.RouterMain",
            "daemon",
            "--node-name",
            "node-0");
    assertThat(DaemonProcess.jvmOptions(argv))
        .containsExactly("-XX:+UseSerialGC", "-Xmx64m", "--enable-native-access=ALL-UNNAMED");
  }

  @Test
  void jvmOptionsEndAtTheMainClass() {
    assertThat(DaemonProcess.jvmOptions(List.of("java", "-Xss512k", "Main", "-x")))
        .containsExactly("-Xss512k");
    assertThat(DaemonProcess.jvmOptions(List.of())).isEmpty();
  }

  @Test
  void procStringsAreNulSeparated() {
    byte[] cmdline = "java\0-Xmx64m\0-cp\0a b\0".getBytes(StandardCharsets.UTF_8);
    assertThat(DaemonProcess.nulSeparated(cmdline))
        .containsExactly("java", "-Xmx64m", "-cp", "a b");
    assertThat(DaemonProcess.nulSeparated("A=1\0B=2".getBytes(StandardCharsets.UTF_8)))
        .containsExactly("A=1", "B=2");
  }
}
