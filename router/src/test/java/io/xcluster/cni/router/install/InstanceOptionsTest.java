package io.xcluster.cni.router.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The options the daemon mixes in to run the token refresher. */
class InstanceOptionsTest {
  @TempDir Path tmp;

  private InstanceOptions parse(String... args) {
    InstanceOptions o = new InstanceOptions();
    new CommandLine(o).parseArgs(args);
    return o;
  }

  @Test
  void aRefresherForTheInstancesKubeconfigWhenThereIsAServiceAccount() throws Exception {
    Path sa = InstallFixtures.serviceAccount(tmp, InstallFixtures.token("xcluster-net3"));
    InstanceOptions o =
        parse(
            "--instance=xcluster-net3",
            "--cni-conf-dir=" + tmp.resolve("net.d"),
            "--service-account-dir=" + sa,
            "--token-source=Token-Request");
    Map<String, String> env =
        Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443");

    assertThat(o.tokenRefresher(env::get, null)).isPresent();
    assertThat(o.layout().kubeconfig())
        .isEqualTo(tmp.resolve("net.d/xcluster-cni/xcluster-net3.kubeconfig"));

    TokenRefresher projected =
        parse("--cni-conf-dir=" + tmp.resolve("net.d"), "--service-account-dir=" + sa)
            .tokenRefresher(env::get, null)
            .orElseThrow();
    projected.refreshNow();
    assertThat(tmp.resolve("net.d/xcluster-cni/xcluster-cni.kubeconfig"))
        .content()
        .contains("server: https://10.96.0.1:443");
  }

  @Test
  void noRefresherOutsideAPod() throws Exception {
    InstanceOptions o = parse("--service-account-dir=" + tmp.resolve("none"));
    assertThat(o.tokenRefresher(k -> null, null)).isEmpty();
  }
}
