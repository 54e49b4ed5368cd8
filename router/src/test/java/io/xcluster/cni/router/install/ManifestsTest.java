package io.xcluster.cni.router.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.util.Yaml;
import io.xcluster.cni.router.RouterMain;
import io.xcluster.cni.router.daemon.ProtocolLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Loads every manifest into client-java's typed objects and checks what a DaemonSet for a pod
 * network must have, and that the manifests and the programs agree on env names, flags, paths and
 * ports.
 */
class ManifestsTest {
  /**
   * The main network's health/metrics port (the daemon's default; hostNetwork: unique per node).
   */
  static final int MAIN_HEALTH_PORT = 9202;

  /** The env the daemon reads, as the router-ctl branch defines its flags. */
  static final Set<String> DAEMON_ENV =
      Set.of(
          "NODE_NAME", "CIDR_ANNOTATION", "ADDRESS_ANNOTATION", "PROTOCOL", "TABLE", "LOG_LEVEL");

  /** Read by the launcher script build.sh writes, not by a command. */
  static final Set<String> LAUNCHER_ENV = Set.of("XCLUSTER_JAVA_OPTS");

  static Path manifests;
  static Manifest main;
  static Manifest secondary;

  /** The typed objects of one manifest file. */
  record Manifest(
      V1ServiceAccount serviceAccount,
      V1ClusterRole role,
      V1ClusterRoleBinding binding,
      V1Role tokenRole,
      V1RoleBinding tokenBinding,
      V1DaemonSet daemonSet) {
    V1PodSpec pod() {
      return daemonSet.getSpec().getTemplate().getSpec();
    }

    V1Container install() {
      return pod().getInitContainers().stream()
          .filter(c -> c.getName().equals("install"))
          .findFirst()
          .orElseThrow();
    }

    V1Container router() {
      return pod().getContainers().stream()
          .filter(c -> c.getName().equals("router"))
          .findFirst()
          .orElseThrow();
    }

    String env(V1Container c, String name) {
      return c.getEnv().stream()
          .filter(e -> e.getName().equals(name))
          .map(V1EnvVar::getValue)
          .findFirst()
          .orElse(null);
    }
  }

  @BeforeAll
  static void load() throws IOException {
    manifests = RepoFiles.root().resolve("manifests");
    main = manifest(manifests.resolve("xcluster-cni.yaml"));
    secondary = manifest(manifests.resolve("xcluster-cni-secondary-net.yaml"));
  }

  static Manifest manifest(Path file) throws IOException {
    List<Object> objects = Yaml.loadAll(file.toFile());
    return new Manifest(
        one(objects, V1ServiceAccount.class),
        one(objects, V1ClusterRole.class),
        one(objects, V1ClusterRoleBinding.class),
        one(objects, V1Role.class),
        one(objects, V1RoleBinding.class),
        one(objects, V1DaemonSet.class));
  }

  static <T> T one(List<Object> objects, Class<T> type) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).as(type.getSimpleName()).hasSize(1);
    return found.getFirst();
  }

  /** Every YAML file under manifests/, NetworkAttachmentDefinitions (no client-java type) aside. */
  @Test
  void everyManifestLoadsIntoTypedObjects() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(manifests)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(4);
    int typed = 0;
    for (Path f : files) {
      for (Map<String, Object> doc : generic(f)) {
        if ("NetworkAttachmentDefinition".equals(doc.get("kind"))) {
          assertThat(doc.get("apiVersion")).isEqualTo("k8s.cni.cncf.io/v1");
          continue;
        }
        Object o = Yaml.load(new org.yaml.snakeyaml.Yaml().dump(doc));
        assertThat(o.getClass().getPackageName())
            .as(f + ": " + doc.get("kind"))
            .isEqualTo("io.kubernetes.client.openapi.models");
        typed++;
      }
    }
    assertThat(typed).isGreaterThanOrEqualTo(9);
  }

  @Test
  void rbacGrantsReadingNodesAndWritingEventsOnly() {
    for (Manifest m : List.of(main, secondary)) {
      String name = m.daemonSet().getMetadata().getName();
      assertThat(m.serviceAccount().getMetadata().getName()).isEqualTo(name);
      assertThat(m.role().getMetadata().getName()).isEqualTo(name);
      List<V1PolicyRule> rules = m.role().getRules();
      V1PolicyRule nodes = rule(rules, "nodes");
      assertThat(nodes.getApiGroups()).containsExactly("");
      // The router never writes a Node, so no patch.
      assertThat(nodes.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
      assertThat(rule(rules, "events").getVerbs()).contains("create");
      assertThat(rules).hasSize(2);
      assertThat(m.binding().getRoleRef().getName()).isEqualTo(name);
      assertThat(m.binding().getRoleRef().getKind()).isEqualTo("ClusterRole");
      assertThat(m.binding().getSubjects())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.getKind()).isEqualTo("ServiceAccount");
                assertThat(s.getName()).isEqualTo(name);
                assertThat(s.getNamespace())
                    .isEqualTo(m.serviceAccount().getMetadata().getNamespace());
              });
      assertThat(m.pod().getServiceAccountName()).isEqualTo(name);

      // TokenRequest for its own service account only, in its own namespace.
      String ns = m.serviceAccount().getMetadata().getNamespace();
      assertThat(m.tokenRole().getMetadata().getNamespace()).isEqualTo(ns);
      assertThat(m.tokenRole().getRules())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getResources()).containsExactly("serviceaccounts/token");
                assertThat(r.getResourceNames()).containsExactly(name);
                assertThat(r.getVerbs()).containsExactly("create");
              });
      assertThat(m.tokenBinding().getRoleRef().getName())
          .isEqualTo(m.tokenRole().getMetadata().getName());
      assertThat(m.tokenBinding().getSubjects())
          .singleElement()
          .satisfies(s -> assertThat(s.getName()).isEqualTo(name));
      assertThat(m.daemonSet().getMetadata().getNamespace()).isEqualTo("kube-system");
    }
  }

  private static V1PolicyRule rule(List<V1PolicyRule> rules, String resource) {
    return rules.stream()
        .filter(r -> r.getResources().contains(resource))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no rule for " + resource));
  }

  @Test
  void daemonSetsRunEverywhereAsNodeCriticalWithTheLeastPrivilege() {
    for (Manifest m : List.of(main, secondary)) {
      V1PodSpec pod = m.pod();
      assertThat(pod.getHostNetwork()).isTrue();
      assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
      assertThat(pod.getTolerations())
          .as("every taint tolerated")
          .anySatisfy(
              t -> {
                assertThat(t.getOperator()).isEqualTo("Exists");
                assertThat(t.getKey()).isNull();
                assertThat(t.getEffect()).isNull();
              });
      assertThat(m.daemonSet().getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");

      V1Container install = m.install();
      assertThat(install.getSecurityContext().getPrivileged()).isFalse();
      assertThat(install.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(install.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(install.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
      assertThat(hostPaths(pod, install)).containsKeys("/opt/cni/bin", "/etc/cni/net.d");

      V1Container router = m.router();
      assertThat(router.getSecurityContext().getPrivileged()).isFalse();
      assertThat(router.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(router.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(router.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(router.getSecurityContext().getCapabilities().getAdd())
          .containsExactly("NET_ADMIN");

      for (V1Container c : List.of(install, router)) {
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
        Quantity req = c.getResources().getRequests().get("memory");
        Quantity lim = c.getResources().getLimits().get("memory");
        assertThat(req.getNumber()).isLessThanOrEqualTo(lim.getNumber());
        V1EnvVar nodeName =
            c.getEnv().stream()
                .filter(e -> e.getName().equals("NODE_NAME"))
                .findFirst()
                .orElseThrow();
        assertThat(nodeName.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
        assertThat(c.getCommand().getFirst()).isEqualTo(ImageLayout.PROGRAM);
      }
      assertThat(m.env(router, "PROTOCOL")).matches("\\d+");
      assertThat(m.env(router, "LOG_LEVEL")).isNotBlank();
    }
  }

  @Test
  void probesUseTheHealthPortAndInstancesOnOneNodeUseDifferentPorts() {
    Set<Integer> ports = new HashSet<>();
    for (Manifest m : List.of(main, secondary)) {
      V1Container router = m.router();
      var port =
          router.getPorts().stream()
              .filter(p -> "health".equals(p.getName()))
              .findFirst()
              .orElseThrow();
      assertThat(ports.add(port.getContainerPort())).as("hostNetwork ports must differ").isTrue();
      assertThat(router.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
      assertThat(router.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
      assertThat(router.getLivenessProbe().getHttpGet().getPort().getStrValue())
          .isEqualTo("health");
      assertThat(router.getReadinessProbe().getHttpGet().getPort().getStrValue())
          .isEqualTo("health");
      assertThat(router.getCommand()).contains("--metrics-address=:" + port.getContainerPort());
    }
    assertThat(main.router().getPorts().getFirst().getContainerPort()).isEqualTo(MAIN_HEALTH_PORT);
  }

  @Test
  void imagesArePinnedAndMatchTheImageBuildShBuilds() throws IOException {
    String buildSh = Files.readString(RepoFiles.root().resolve("build.sh"));
    Matcher m = Pattern.compile("__tag=([^:\\s]+):\\$__version").matcher(buildSh);
    assertThat(m.find()).as("build.sh cmd_image's default tag").isTrue();
    String repository = m.group(1);
    for (Manifest man : List.of(main, secondary)) {
      for (V1Container c : List.of(man.install(), man.router())) {
        assertThat(c.getImage()).startsWith(repository + ":");
        String tag = c.getImage().substring(repository.length() + 1);
        assertThat(tag).matches("\\d+\\.\\d+\\.\\d+").isNotEqualTo("latest");
        assertThat(man.daemonSet().getMetadata().getLabels())
            .containsEntry("app.kubernetes.io/version", tag);
      }
    }
  }

  @Test
  void everyObjectHasTheRecommendedLabels() {
    for (Manifest m : List.of(main, secondary)) {
      String instance = m.daemonSet().getMetadata().getName();
      for (Map<String, String> labels :
          List.of(
              m.serviceAccount().getMetadata().getLabels(),
              m.role().getMetadata().getLabels(),
              m.binding().getMetadata().getLabels(),
              m.daemonSet().getMetadata().getLabels(),
              m.daemonSet().getSpec().getTemplate().getMetadata().getLabels())) {
        assertThat(labels)
            .containsEntry("app.kubernetes.io/name", "xcluster-cni")
            .containsEntry("app.kubernetes.io/instance", instance)
            .containsEntry("app.kubernetes.io/part-of", "xcluster-cni")
            .containsKey("app.kubernetes.io/version");
      }
      assertThat(m.daemonSet().getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(m.daemonSet().getSpec().getSelector().getMatchLabels());
    }
  }

  @Test
  void theSecondaryNetworkHasItsOwnIdentityAnnotationsProtocolAndKubeconfig() {
    assertThat(secondary.daemonSet().getMetadata().getName())
        .isNotEqualTo(main.daemonSet().getMetadata().getName());
    assertThat(secondary.serviceAccount().getMetadata().getName())
        .isNotEqualTo(main.serviceAccount().getMetadata().getName());
    assertThat(secondary.role().getMetadata().getName())
        .isNotEqualTo(main.role().getMetadata().getName());
    assertThat(secondary.env(secondary.router(), "PROTOCOL"))
        .isNotEqualTo(main.env(main.router(), "PROTOCOL"));
    assertThat(secondary.env(secondary.router(), "CIDR_ANNOTATION")).isNotBlank();
    assertThat(secondary.env(secondary.router(), "ADDRESS_ANNOTATION")).isNotBlank();
    assertThat(secondary.env(secondary.install(), "NETWORK_ROLE")).isEqualTo("secondary");
    assertThat(main.env(main.install(), "NETWORK_ROLE")).isEqualTo("main");
    for (Manifest m : List.of(main, secondary)) {
      String name = m.daemonSet().getMetadata().getName();
      // The kubeconfig is named after INSTANCE: one per DaemonSet, the same in both containers.
      assertThat(m.env(m.install(), "INSTANCE")).isEqualTo(name);
      assertThat(m.env(m.router(), "INSTANCE")).isEqualTo(name);
    }
  }

  @Test
  void theNetworkAttachmentUsesTheSecondaryRoutersAnnotationAndKubeconfig() throws IOException {
    Map<String, Object> nad =
        generic(manifests.resolve("examples/net3-network-attachment.yaml")).getFirst();
    assertThat(nad.get("kind")).isEqualTo("NetworkAttachmentDefinition");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) nad.get("spec");
    JsonNode config = new ObjectMapper().readTree((String) spec.get("config"));

    assertThat(config.get("cniVersion").asText()).isEqualTo(MainNetworkConf.CNI_VERSION);
    assertThat(config.get("isDefaultGateway").asBoolean()).isFalse();
    JsonNode ipam = config.get("ipam");
    assertThat(ipam.get("type").asText()).isEqualTo("kube-node");
    assertThat(ipam.get("annotation").asText())
        .isEqualTo(secondary.env(secondary.router(), "CIDR_ANNOTATION"));
    InstanceLayout layout =
        new InstanceLayout(
            Path.of("/x"),
            Path.of("/x"),
            Path.of(InstanceLayout.DEFAULT_HOST_NET_DIR),
            secondary.env(secondary.install(), "INSTANCE"));
    assertThat(ipam.get("kubeconfig").asText()).isEqualTo(layout.hostKubeconfig().toString());
    assertThat(ipam.get("dataDir").asText()).startsWith(MainNetworkConf.DATA_DIR_ROOT + "/");

    List<Object> pods = Yaml.loadAll(manifests.resolve("examples/net3-pod.yaml").toFile());
    V1Pod pod = one(pods, V1Pod.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> nadMeta = (Map<String, Object>) nad.get("metadata");
    JsonNode networks =
        new ObjectMapper()
            .readTree(pod.getMetadata().getAnnotations().get("k8s.v1.cni.cncf.io/networks"));
    assertThat(networks.get(0).get("name").asText()).isEqualTo(nadMeta.get("name"));
    assertThat(networks.get(0).get("namespace").asText()).isEqualTo(nadMeta.get("namespace"));
  }

  @Test
  void installContainerEnvAndMountsAgreeWithTheInstallCommand() {
    CommandSpec install = RouterMain.commandLine().getSubcommands().get("install").getCommandSpec();
    Map<String, OptionSpec> byEnv = optionsByEnv(install);
    for (Manifest m : List.of(main, secondary)) {
      V1Container c = m.install();
      for (V1EnvVar e : c.getEnv()) {
        if (LAUNCHER_ENV.contains(e.getName())) {
          continue;
        }
        assertThat(byEnv).as("install reads env " + e.getName()).containsKey(e.getName());
        if (e.getValue() != null) {
          // The value must parse as that option would parse it.
          OptionSpec o = byEnv.get(e.getName());
          List<String> args = List.of("install", o.longestName() + "=" + e.getValue());
          assertThat(new CommandLine(new RouterMain()).parseArgs(args.toArray(String[]::new)))
              .as(e.getName() + "=" + e.getValue())
              .isNotNull();
        }
      }
      // The mounts are where install's defaults look, and the host paths are the standard ones.
      Map<String, String> mounts = hostPaths(m.pod(), c);
      assertThat(defaultOf(install, "--cni-bin-dir"))
          .isEqualTo(mounts.get(InstanceLayout.DEFAULT_HOST_BIN_DIR));
      assertThat(defaultOf(install, "--cni-conf-dir"))
          .isEqualTo(mounts.get(InstanceLayout.DEFAULT_HOST_NET_DIR));
      assertThat(defaultOf(install, "--host-cni-conf-dir"))
          .isEqualTo(InstanceLayout.DEFAULT_HOST_NET_DIR);
      assertThat(InstanceLayout.HOST_NODE_NAME_FILE)
          .startsWith(InstanceLayout.DEFAULT_HOST_NET_DIR + "/");
      assertThat(c.getCommand()).containsExactly(ImageLayout.PROGRAM, "install");
    }
  }

  @Test
  void theRouterMountsExactlyTheDirectoryItsTokenRefresherWrites() {
    CommandSpec install = RouterMain.commandLine().getSubcommands().get("install").getCommandSpec();
    Map<String, OptionSpec> shared =
        optionsByEnv(CommandSpec.forAnnotatedObject(new InstanceOptions()));
    for (Manifest m : List.of(main, secondary)) {
      for (V1EnvVar e : m.router().getEnv()) {
        OptionSpec o = shared.get(e.getName());
        if (o != null && e.getValue() != null) {
          // The daemon mixes in InstanceOptions: its values must parse there too.
          assertThat(
                  new CommandLine(new RouterMain())
                      .parseArgs("install", o.longestName() + "=" + e.getValue()))
              .as(e.getName() + "=" + e.getValue())
              .isNotNull();
        }
      }
      assertThat(shared).containsKey("TOKEN_SOURCE");
      assertThat(m.env(m.router(), "TOKEN_SOURCE")).isEqualTo("token-request");
    }
    for (Manifest m : List.of(main, secondary)) {
      Map<String, String> mounts = hostPaths(m.pod(), m.router());
      String ownHost = InstanceLayout.DEFAULT_HOST_NET_DIR + "/" + InstanceLayout.OWN_DIR;
      assertThat(mounts).containsOnlyKeys(ownHost, ProtocolLock.DEFAULT_DIR.toString());
      InstanceLayout layout =
          new InstanceLayout(
              Path.of(defaultOf(install, "--cni-bin-dir")),
              Path.of(defaultOf(install, "--cni-conf-dir")),
              Path.of(InstanceLayout.DEFAULT_HOST_NET_DIR),
              m.env(m.router(), "INSTANCE"));
      assertThat(Path.of(mounts.get(ownHost))).isEqualTo(layout.ownDir());
    }
  }

  @Test
  void theUninstallPodAgreesWithTheUninstallCommandAndTheMainNetwork() throws IOException {
    V1Pod pod =
        one(
            Yaml.loadAll(manifests.resolve("examples/uninstall-node-pod.yaml").toFile()),
            V1Pod.class);
    V1Container c = pod.getSpec().getContainers().getFirst();
    assertThat(c.getCommand()).containsExactly(ImageLayout.PROGRAM, "uninstall");
    CommandSpec uninstall =
        RouterMain.commandLine().getSubcommands().get("uninstall").getCommandSpec();
    Map<String, OptionSpec> byEnv = optionsByEnv(uninstall);
    for (V1EnvVar e : c.getEnv()) {
      if (!LAUNCHER_ENV.contains(e.getName())) {
        assertThat(byEnv).as("uninstall reads env " + e.getName()).containsKey(e.getName());
      }
    }
    Manifest m = new Manifest(null, null, null, null, null, null);
    for (String name : List.of("INSTANCE", "NETWORK_ROLE")) {
      assertThat(m.env(c, name)).isEqualTo(main.env(main.install(), name));
    }
    assertThat(m.env(c, "PROTOCOL")).isEqualTo(main.env(main.router(), "PROTOCOL"));
    assertThat(hostPaths(pod.getSpec(), c))
        .containsEntry(InstanceLayout.DEFAULT_HOST_NET_DIR, defaultOf(uninstall, "--cni-conf-dir"));
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN");
    assertThat(pod.getSpec().getHostNetwork()).isTrue();
  }

  /**
   * The daemon arrives with the router-ctl branch; once {@code daemon} is registered this checks
   * that it reads every env var the router containers set (the lead completes the port check).
   */
  @Test
  void theRouterSharesTheHostsProtocolLockDirectory() {
    for (Manifest m : List.of(main, secondary)) {
      String volume =
          m.router().getVolumeMounts().stream()
              .filter(v -> v.getMountPath().equals(ProtocolLock.DEFAULT_DIR.toString()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no lock dir mount in " + m.daemonSet()))
              .getName();
      assertThat(m.daemonSet().getSpec().getTemplate().getSpec().getVolumes())
          .filteredOn(v -> v.getName().equals(volume))
          .singleElement()
          .satisfies(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/run/xcluster-cni"));
    }
  }

  @Test
  void daemonReadsTheEnvTheRouterContainersSet() {
    CommandLine daemon = RouterMain.commandLine().getSubcommands().get("daemon");
    assumeTrue(daemon != null, "no daemon subcommand yet (router-ctl branch not merged)");
    Set<String> read = new HashSet<>(optionsByEnv(daemon.getCommandSpec()).keySet());
    for (Manifest m : List.of(main, secondary)) {
      for (V1EnvVar e : m.router().getEnv()) {
        if (!LAUNCHER_ENV.contains(e.getName())) {
          assertThat(read).as("daemon reads env " + e.getName()).contains(e.getName());
        }
      }
      for (String arg : m.router().getCommand().subList(2, m.router().getCommand().size())) {
        String name = arg.split("=", 2)[0];
        assertThat(daemon.getCommandSpec().findOption(name))
            .as("daemon option " + name)
            .isNotNull();
      }
    }
    assertThat(DAEMON_ENV).allMatch(read::contains);
  }

  /** Env var name to the option that defaults to it, from picocli's {@code ${env:NAME...}}. */
  static Map<String, OptionSpec> optionsByEnv(CommandSpec spec) {
    Pattern env = Pattern.compile("\\$\\{env:([A-Z0-9_]+)");
    Map<String, OptionSpec> m = new HashMap<>();
    for (OptionSpec o : spec.options()) {
      String d = o.defaultValueString(false);
      if (d == null) {
        continue;
      }
      Matcher x = env.matcher(d);
      while (x.find()) {
        m.put(x.group(1), o);
      }
    }
    return m;
  }

  /** An option's default with {@code ${env:X:-default}} resolved to the default. */
  static String defaultOf(CommandSpec spec, String option) {
    String d = spec.findOption(option).defaultValueString(false);
    Matcher x = Pattern.compile("\\$\\{env:[A-Z0-9_]+:-(.*)}").matcher(d);
    return x.matches() ? x.group(1) : d;
  }

  /** Host path to mount path, for a container's hostPath mounts. */
  static Map<String, String> hostPaths(V1PodSpec pod, V1Container c) {
    Map<String, String> m = new HashMap<>();
    for (V1VolumeMount vm : Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())) {
      V1Volume v =
          pod.getVolumes().stream()
              .filter(x -> x.getName().equals(vm.getName()))
              .findFirst()
              .orElseThrow();
      if (v.getHostPath() != null) {
        m.put(v.getHostPath().getPath(), vm.getMountPath());
      }
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> generic(Path file) throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object o : new org.yaml.snakeyaml.Yaml().loadAll(Files.readString(file))) {
      if (o != null) {
        docs.add((Map<String, Object>) o);
      }
    }
    return docs;
  }
}
