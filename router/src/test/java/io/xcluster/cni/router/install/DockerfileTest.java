package io.xcluster.cni.router.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile cannot be built here (no container engine), so its inputs are checked instead:
 * every path it copies from the build context exists in the repository, every path it copies from
 * the build stage is laid out by {@code ./build.sh build}, its base images are pinned, and it puts
 * things where the programs and manifests look for them.
 */
class DockerfileTest {
  /** Where ./build.sh build puts kube-node's self-contained directory (the ipam branch). */
  static final String KUBE_NODE_OUTPUT = "kube-node";

  static Path root;
  static List<Instruction> instructions;
  static String buildSh;

  record Instruction(String keyword, List<String> args) {
    String from() {
      return args.stream()
          .filter(a -> a.startsWith("--from="))
          .map(a -> a.substring("--from=".length()))
          .findFirst()
          .orElse(null);
    }

    /** COPY's sources and destination, flags dropped. */
    List<String> paths() {
      return args.stream().filter(a -> !a.startsWith("--")).toList();
    }
  }

  @BeforeAll
  static void parse() throws IOException {
    root = RepoFiles.root();
    buildSh = Files.readString(root.resolve("build.sh"));
    instructions = new ArrayList<>();
    String text = Files.readString(root.resolve("Dockerfile")).replaceAll("\\\\\\n", " ");
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] words = l.split("\\s+");
      instructions.add(
          new Instruction(words[0].toUpperCase(), Arrays.asList(words).subList(1, words.length)));
    }
  }

  private static List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** The paths build.sh writes under $__out, e.g. runtime, bin/xcluster-cni. */
  private static Set<String> laidOutByBuildSh() {
    Set<String> out = new HashSet<>();
    Matcher m = Pattern.compile("\\$__out/([A-Za-z0-9_./-]+)").matcher(buildSh);
    while (m.find()) {
      out.add(m.group(1).replaceAll("/+$", ""));
    }
    return out;
  }

  private static boolean producedByBuild(String outputPath) {
    for (String p : laidOutByBuildSh()) {
      if (outputPath.equals(p) || outputPath.startsWith(p + "/")) {
        return true;
      }
    }
    return false;
  }

  @Test
  void everyPathCopiedFromTheContextIsInTheRepository() {
    List<Instruction> copies =
        instructions.stream()
            .filter(i -> i.keyword().equals("COPY") || i.keyword().equals("ADD"))
            .filter(i -> i.from() == null)
            .toList();
    assertThat(copies).isNotEmpty();
    for (Instruction c : copies) {
      List<String> p = c.paths();
      for (String source : p.subList(0, p.size() - 1)) {
        assertThat(root.resolve(source)).as("COPY " + source).exists();
      }
    }
  }

  @Test
  void theBuildStageCopiesEveryModuleAndRunsBuildSh() throws IOException {
    String pom = Files.readString(root.resolve("pom.xml"));
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
    Set<String> copied = new HashSet<>();
    for (Instruction c : all("COPY")) {
      if (c.from() == null) {
        List<String> p = c.paths();
        copied.addAll(p.subList(0, p.size() - 1));
      }
    }
    assertThat(copied).contains("pom.xml", "build.sh");
    while (m.find()) {
      assertThat(copied).as("module " + m.group(1)).contains(m.group(1));
    }
    assertThat(all("RUN")).anyMatch(r -> String.join(" ", r.args()).contains("./build.sh build"));
    assertThat(Files.readString(root.resolve(".dockerignore"))).contains("_output", "target");
  }

  @Test
  void everyPathCopiedFromTheBuildStageIsLaidOutByBuildSh() {
    List<Instruction> fromBuild =
        all("COPY").stream().filter(i -> "build".equals(i.from())).toList();
    assertThat(fromBuild).hasSizeGreaterThanOrEqualTo(3);
    for (Instruction c : fromBuild) {
      List<String> p = c.paths();
      for (String source : p.subList(0, p.size() - 1)) {
        assertThat(source).startsWith("/src/_output/");
        String rel = source.substring("/src/_output/".length());
        if (rel.equals(KUBE_NODE_OUTPUT) || rel.startsWith(KUBE_NODE_OUTPUT + "/")) {
          continue; // kubeNodeBundleIsLaidOutByBuildSh
        }
        assertThat(producedByBuild(rel)).as("build.sh lays out _output/" + rel).isTrue();
      }
    }
  }

  /** Enforced once build.sh builds the kube-node-ipam module (the ipam branch). */
  @Test
  void kubeNodeBundleIsLaidOutByBuildSh() {
    assumeTrue(
        buildSh.contains("kube-node-ipam"),
        "build.sh does not build kube-node yet (ipam branch not merged)");
    assertThat(producedByBuild(KUBE_NODE_OUTPUT))
        .as("build.sh lays out _output/" + KUBE_NODE_OUTPUT)
        .isTrue();
  }

  @Test
  void baseImagesArePinned() {
    List<Instruction> froms = all("FROM");
    assertThat(froms).hasSizeGreaterThanOrEqualTo(3);
    for (Instruction f : froms) {
      String image = f.args().getFirst();
      assertThat(image)
          .as(image)
          .matches("[^:@]+(:[A-Za-z0-9._-]*\\d[A-Za-z0-9._-]*)(@sha256:[0-9a-f]{64})?");
      assertThat(image).doesNotEndWith(":latest");
    }
    assertThat(froms.getFirst().args().getFirst()).contains("temurin-25");
  }

  @Test
  void programsLandWhereTheManifestsAndInstallerLook() {
    Set<String> destinations = new HashSet<>();
    for (Instruction c : all("COPY")) {
      if (c.from() != null) {
        destinations.add(c.paths().getLast().replaceAll("/$", ""));
      }
    }
    assertThat(destinations)
        .contains(ImageLayout.PROGRAM, ImageLayout.KUBE_NODE_BUNDLE, ImageLayout.PLUGINS_DIR);
    // The launcher finds runtime/ and lib/ next to its bin/ directory.
    assertThat(destinations)
        .contains(ImageLayout.HOME + "/runtime", ImageLayout.HOME + "/lib/xcluster-cni");
    assertThat(all("COPY"))
        .filteredOn(c -> ImageLayout.PLUGINS_DIR.equals(c.paths().getLast().replaceAll("/$", "")))
        .singleElement()
        .satisfies(
            c -> assertThat(c.paths()).contains("/usr/lib/cni/host-local", "/usr/lib/cni/bridge"));
    assertThat(all("CMD"))
        .singleElement()
        .satisfies(
            c ->
                assertThat(String.join(" ", c.args()))
                    .isEqualTo("[\"" + ImageLayout.PROGRAM + "\", \"daemon\"]"));
  }
}
