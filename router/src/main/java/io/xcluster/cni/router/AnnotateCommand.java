package io.xcluster.cni.router;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeList;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.PatchUtils;
import io.xcluster.cni.annotations.AnnotationKey;
import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.router.CidrPoolAllocator.Assignment;
import io.xcluster.cni.router.CidrPoolAllocator.Plan;
import io.xcluster.cni.router.CidrPoolAllocator.Pool;
import io.xcluster.cni.router.CidrPoolAllocator.PoolExhaustedException;
import io.xcluster.cni.router.CidrPoolAllocator.Problem;
import io.xcluster.cni.router.kube.KubeClients;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xcluster-cni annotate}: gives every node that lacks a CIDR annotation a free CIDR from
 * each pool, for a secondary network whose per-node ranges an admin would otherwise write by hand.
 * The allocation rules are {@link CidrPoolAllocator}'s; this class reads the nodes and writes the
 * values.
 *
 * <p>Each value is written with a JSON merge patch that carries the node's resource version from
 * the list, so a node annotated by someone else in between is never overwritten: the patch is
 * refused (409), the node is read again, and the write is retried only while the node still lacks
 * the annotation.
 */
@Command(
    name = "annotate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Give every node that lacks the annotation a free CIDR from each pool.",
      "A CIDR is free when it overlaps no CIDR in any node's value of the annotation; nodes that"
          + " have the annotation are never changed, so running it again changes nothing.",
      "Nodes are taken in name order and get the lowest free CIDRs.",
      "",
      "Example:",
      "  annotate --annotation cidr.example.com/net3 \\",
      "    --pool 172.20.0.0/16 --prefix-length 24 --pool fd00:5::/64 --prefix-length 112",
    },
    versionProvider = VersionCommand.Provider.class,
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:every node has the annotation (with --dry-run: would have)",
      "1:a pool is exhausted, the API failed, or a node could not be annotated",
      "2:invalid options",
    })
final class AnnotateCommand implements Callable<Integer> {
  private static final int LIST_PAGE = 500;
  private static final int CONFLICT_RETRIES = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--annotation",
      paramLabel = "NAME",
      defaultValue = "${env:CIDR_ANNOTATION}",
      description = "The annotation to write, e.g. cidr.example.com/net3 (env CIDR_ANNOTATION).")
  String annotation;

  @Option(
      names = "--pool",
      paramLabel = "CIDR",
      required = true,
      description =
          "A pool to take node CIDRs from, e.g. 172.20.0.0/16. Repeat it for more pools"
              + " (one per family, typically); every node gets one CIDR from each.")
  List<String> pools;

  @Option(
      names = "--prefix-length",
      paramLabel = "BITS",
      required = true,
      description =
          "The prefix length of the CIDRs taken from the pool given at the same position,"
              + " e.g. 24.")
  List<Integer> prefixLengths;

  @Option(names = "--dry-run", description = "Print what would be written; change nothing.")
  boolean dryRun;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "The kubeconfig to use (default: the first file in env KUBECONFIG, else the"
              + " in-cluster service account, else ~/.kube/config).")
  Path kubeconfig;

  @Override
  public Integer call() {
    List<Pool> poolList = parseOptions();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String prefix = dryRun ? "would annotate " : "annotated ";

    ApiClient client;
    CoreV1Api api;
    Map<String, V1Node> nodes;
    try {
      client = KubeClients.connect(kubeconfig).client();
      api = new CoreV1Api(client);
      nodes = listNodes(api);
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (ApiException e) {
      err.println("error: cannot list nodes: " + describe(e));
      return 1;
    }

    // A node being deleted gets nothing; a value it has stays in use until it is gone.
    Map<String, String> values = new HashMap<>();
    List<String> terminating = new ArrayList<>();
    nodes.forEach(
        (name, node) -> {
          String value = annotations(node).get(annotation);
          if (value == null && node.getMetadata().getDeletionTimestamp() != null) {
            terminating.add(name);
          } else {
            values.put(name, value);
          }
        });
    terminating.stream()
        .sorted()
        .forEach(name -> err.println("note: node " + name + " is being deleted; skipped"));
    Plan plan;
    try {
      plan = CidrPoolAllocator.plan(annotation, poolList, values);
    } catch (PoolExhaustedException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    for (Problem problem : plan.problems()) {
      err.println("warning: node " + problem.node() + ": " + problem.message());
    }

    int failed = 0;
    int written = 0;
    for (Assignment assignment : plan.assignments()) {
      if (dryRun) {
        out.println(prefix + assignment.node() + " " + annotation + "=" + assignment.value());
        written++;
        continue;
      }
      String failure = write(client, api, nodes.get(assignment.node()), assignment);
      if (failure == null) {
        out.println(prefix + assignment.node() + " " + annotation + "=" + assignment.value());
        written++;
      } else {
        err.println("error: node " + assignment.node() + ": " + failure);
        failed++;
      }
    }
    out.println(
        prefix
            + count(written, "node")
            + "; "
            + count(plan.annotated().size(), "node")
            + (plan.annotated().size() == 1 ? " has " : " have ")
            + annotation
            + " already"
            + (failed > 0 ? "; " + count(failed, "node") + " failed" : ""));
    out.flush();
    return failed > 0 ? 1 : 0;
  }

  private List<Pool> parseOptions() {
    if (annotation == null || annotation.isBlank()) {
      throw usage("Missing --annotation (or env CIDR_ANNOTATION)");
    }
    try {
      AnnotationKey.validate(annotation);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (pools.size() != prefixLengths.size()) {
      throw usage(
          "every --pool needs its --prefix-length: got "
              + count(pools.size(), "pool")
              + " and "
              + count(prefixLengths.size(), "prefix length"));
    }
    List<Pool> parsed = new ArrayList<>();
    for (int i = 0; i < pools.size(); i++) {
      Cidr cidr;
      try {
        cidr = Cidr.parse(pools.get(i).strip());
      } catch (IllegalArgumentException e) {
        throw usage("--pool " + pools.get(i) + " is not a CIDR: " + e.getMessage());
      }
      try {
        parsed.add(new Pool(cidr, prefixLengths.get(i)));
      } catch (IllegalArgumentException e) {
        throw usage("--prefix-length " + prefixLengths.get(i) + ": " + e.getMessage());
      }
    }
    try {
      return CidrPoolAllocator.checkPools(parsed);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** All nodes by name, read in pages as kubectl does. */
  private static Map<String, V1Node> listNodes(CoreV1Api api) throws ApiException {
    Map<String, V1Node> nodes = new HashMap<>();
    String next = null;
    do {
      V1NodeList page = api.listNode().limit(LIST_PAGE)._continue(next).execute();
      for (V1Node node : page.getItems()) {
        nodes.put(node.getMetadata().getName(), node);
      }
      next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
    } while (next != null && !next.isEmpty());
    return nodes;
  }

  /**
   * Writes one value, guarded by the node's resource version.
   *
   * @return null when written, else why not
   */
  private String write(ApiClient client, CoreV1Api api, V1Node node, Assignment assignment) {
    String name = assignment.node();
    String resourceVersion = node.getMetadata().getResourceVersion();
    for (int attempt = 0; ; attempt++) {
      Map<String, Object> metadata = new HashMap<>();
      metadata.put("annotations", Map.of(annotation, assignment.value()));
      if (resourceVersion != null) {
        metadata.put("resourceVersion", resourceVersion);
      }
      String patch = JSON.serialize(Map.of("metadata", metadata));
      try {
        PatchUtils.patch(
            V1Node.class,
            () -> api.patchNode(name, new V1Patch(patch)).buildCall(null),
            V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
            client);
        return null;
      } catch (ApiException e) {
        if (e.getCode() == 404) {
          return "deleted meanwhile; nothing written";
        }
        if (e.getCode() != 409 || attempt == CONFLICT_RETRIES) {
          return describe(e);
        }
      }
      // 409: the node changed since the list. Write only if it still lacks the annotation.
      try {
        V1Node fresh = api.readNode(name).execute();
        String now = annotations(fresh).get(annotation);
        if (now != null) {
          return "annotated by someone else meanwhile ("
              + annotation
              + "="
              + now
              + "); nothing written, run annotate again";
        }
        resourceVersion = fresh.getMetadata().getResourceVersion();
      } catch (ApiException e) {
        return e.getCode() == 404 ? "deleted meanwhile; nothing written" : describe(e);
      }
    }
  }

  private static Map<String, String> annotations(V1Node node) {
    Map<String, String> annotations = node.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  /** The API's own message when it sent a Status, else the HTTP code and client message. */
  private static String describe(ApiException e) {
    String body = e.getResponseBody();
    if (body != null && body.contains("\"message\"")) {
      try {
        V1Status status = JSON.deserialize(body, V1Status.class);
        if (status != null && status.getMessage() != null) {
          return "HTTP " + e.getCode() + ": " + status.getMessage();
        }
      } catch (RuntimeException notAStatus) {
        // Not a Status after all.
      }
    }
    return e.getCode() == 0 ? e.getMessage() : "HTTP " + e.getCode() + ": " + e.getMessage();
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
