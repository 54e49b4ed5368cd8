package io.xcluster.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnNodeTest {
  @TempDir Path tmp;
  final FakeNodeSource nodes =
      new FakeNodeSource()
          .node("from-config", Map.of())
          .node("from-env", Map.of())
          .node("from-file", Map.of())
          .node("host-a", Map.of())
          .node("by-machine-id", Map.of())
          .machineId("by-machine-id", "mid-1");
  final Map<String, String> env = new HashMap<>();
  final Log log = new Log(new ByteArrayOutputStream(), Log.TRACE);

  IpamConfig config(String nodeName) throws Exception {
    String extra = nodeName == null ? "" : ",\"nodeName\":\"" + nodeName + "\"";
    return IpamConfig.from(
        Json.parseObject(
            "{\"name\":\"n\",\"ipam\":{\"nodeNameFile\":\""
                + tmp.resolve("node-name")
                + "\""
                + extra
                + "}}"));
  }

  static HostIdentity host(String hostname, String machineId) {
    return new HostIdentity() {
      @Override
      public String hostname() {
        return hostname;
      }

      @Override
      public String machineId() {
        return machineId;
      }
    };
  }

  String find(IpamConfig config, HostIdentity host) throws Exception {
    return OwnNode.find(config, env::get, host, nodes, log).node().name();
  }

  @Test
  void followsThePrecedence() throws Exception {
    HostIdentity host = host("HOST-A", "mid-1");
    Files.writeString(tmp.resolve("node-name"), "\nfrom-file\n");
    env.put("NODE_NAME", "from-env");
    assertThat(find(config("from-config"), host)).isEqualTo("from-config");
    assertThat(find(config(null), host)).isEqualTo("from-env");
    env.clear();
    assertThat(find(config(null), host)).isEqualTo("from-file");
    Files.delete(tmp.resolve("node-name"));
    assertThat(find(config(null), host)).isEqualTo("host-a");
    assertThat(find(config(null), host("other", "mid-1"))).isEqualTo("by-machine-id");
    assertThat(find(config(null), host(null, "mid-1"))).isEqualTo("by-machine-id");
  }

  @Test
  void anExplicitNameIsAuthoritative() throws Exception {
    env.put("NODE_NAME", "missing");
    assertThatThrownBy(() -> find(config(null), host("host-a", "mid-1")))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(101);
              assertThat(e.msg()).contains("\"missing\"");
              assertThat(e.details()).contains("NODE_NAME");
            });
  }

  @Test
  void saysWhatWasTriedWhenNothingMatches() {
    assertThatThrownBy(() -> find(config(null), host("other", "mid-9")))
        .isInstanceOfSatisfying(
            CniException.class,
            e -> {
              assertThat(e.code()).isEqualTo(101);
              assertThat(e.details())
                  .contains("\"other\"")
                  .contains("mid-9")
                  .contains(tmp.resolve("node-name").toString());
            });
    assertThat(nodes.calls.get()).isEqualTo(2);
  }
}
