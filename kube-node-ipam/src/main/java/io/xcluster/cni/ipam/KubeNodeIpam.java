package io.xcluster.cni.ipam;

import io.xcluster.cni.annotations.AnnotationFormatException;
import io.xcluster.cni.annotations.AnnotationValues;
import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.annotations.IpFamily;
import io.xcluster.cni.annotations.IpLiteral;
import io.xcluster.cni.annotations.NodeAnnotations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The kube-node commands. Ranges come from the own Node (through the cache), allocation is
 * host-local's: kube-node rewrites the {@code ipam} object to host-local's and passes everything
 * else of the configuration on unchanged ({@code args}, {@code runtimeConfig}, {@code prevResult},
 * {@code cni.dev/valid-attachments}, ...), speaking the newest CNI version both know.
 *
 * <p>Only ADD, CHECK and STATUS need the ranges. DEL and GC never contact the API server:
 * host-local releases by container ID and interface, so they work with the cached ranges or a
 * placeholder range, after a reboot and with the API server down.
 */
public final class KubeNodeIpam {
  /**
   * The range host-local is given for DEL and GC when the cache is gone. It only has to be valid:
   * host-local releases reservations by container ID and interface name, whatever the range.
   */
  static final String PLACEHOLDER_RANGE = "192.0.2.0/24";

  /** The collaborators with side effects. */
  public record Dependencies(PluginExecutor executor, NodeSources sources, HostIdentity host) {}

  private final CniRequest request;
  private final IpamConfig config;
  private final Function<String, String> getenv;
  private final Dependencies deps;
  private final Log log;
  private final RangeCache cache;

  public KubeNodeIpam(
      CniRequest request,
      IpamConfig config,
      Function<String, String> getenv,
      Dependencies deps,
      Log log) {
    this.request = request;
    this.config = config;
    this.getenv = getenv;
    this.deps = deps;
    this.log = log;
    this.cache = new RangeCache(config.cacheDir(), log);
  }

  /** The answer to VERSION: needs no configuration, no Node and no host-local. */
  public static byte[] version() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cniVersion", CniVersions.CURRENT);
    m.put("supportedVersions", new ArrayList<Object>(CniVersions.SUPPORTED));
    return Json.write(m).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Runs the request's command.
   *
   * @return what goes to stdout: the result for ADD, else nothing
   */
  public byte[] run() throws CniException {
    return switch (request.command()) {
      case "ADD" -> add();
      case "CHECK" -> check();
      case "DEL" -> del();
      case "GC" -> gc();
      case "STATUS" -> status();
      case "VERSION" -> version();
      default ->
          throw new CniException(
              CniException.INVALID_ENVIRONMENT,
              "unknown CNI_COMMAND \"" + request.command() + "\"");
    };
  }

  private byte[] add() throws CniException {
    RangeCache.Entry entry = cache.read();
    boolean cached = entry.cidrsFor(config.annotation(), config.nodeName()) != null;
    List<String> cidrs = forNamespace(ranges(entry));
    Path hostLocal = hostLocal();
    String version =
        CniVersions.negotiate(request.cniVersion(), delegateVersions(hostLocal, entry));
    byte[] out;
    try {
      out = delegate(hostLocal, "ADD", cidrs, version, request.containerId(), request.ifname());
    } catch (CniException e) {
      if (cached) {
        // As the original: a failure may mean stale ranges; the next ADD reads the Node again.
        invalidateRanges();
      }
      throw e;
    }
    if (version.equals(request.cniVersion())) {
      return out;
    }
    try {
      Map<String, Object> result = Json.parseObject(new String(out, StandardCharsets.UTF_8));
      return Json.write(CniVersions.convertResult(result, version, request.cniVersion()))
          .getBytes(StandardCharsets.UTF_8);
    } catch (Json.ParseException e) {
      throw new CniException(
          CniException.INTERNAL, "host-local printed a result that is not JSON", e.getMessage());
    }
  }

  private byte[] check() throws CniException {
    RangeCache.Entry entry = cache.read();
    List<String> cidrs = forNamespace(ranges(entry));
    Path hostLocal = hostLocal();
    String version =
        CniVersions.negotiate(request.cniVersion(), delegateVersions(hostLocal, entry));
    delegate(hostLocal, "CHECK", cidrs, version, request.containerId(), request.ifname());
    return new byte[0];
  }

  private byte[] del() throws CniException {
    RangeCache.Entry entry = cache.read();
    List<String> cidrs = releaseRanges(entry);
    Path hostLocal = hostLocal();
    String version =
        CniVersions.negotiate(request.cniVersion(), delegateVersions(hostLocal, entry));
    delegate(hostLocal, "DEL", cidrs, version, request.containerId(), request.ifname());
    return new byte[0];
  }

  private byte[] gc() throws CniException {
    Set<String> valid = validAttachments();
    RangeCache.Entry entry = cache.read();
    Path hostLocal = hostLocal();
    List<String> versions = delegateVersions(hostLocal, entry);
    String version = CniVersions.negotiate(request.cniVersion(), versions);
    if (CniVersions.hasGcAndStatus(List.of(version))) {
      delegate(hostLocal, "GC", releaseRanges(entry), version, null, null);
      return new byte[0];
    }
    // host-local before CNI 1.1 has no GC: release what is not in the list through its DEL.
    List<String[]> stale = staleReservations(valid);
    List<String> failures = new ArrayList<>();
    for (String[] attachment : stale) {
      log.info("GC: releasing " + attachment[0] + "/" + attachment[1]);
      try {
        delegate(hostLocal, "DEL", releaseRanges(entry), version, attachment[0], attachment[1]);
      } catch (CniException e) {
        failures.add(attachment[0] + "/" + attachment[1] + ": " + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new CniException(
          CniException.IO_FAILURE,
          "GC released " + (stale.size() - failures.size()) + " of " + stale.size(),
          String.join("; ", failures));
    }
    return new byte[0];
  }

  private byte[] status() throws CniException {
    RangeCache.Entry entry = cache.read();
    Path hostLocal;
    List<String> versions;
    List<String> cidrs;
    try {
      hostLocal = hostLocal();
      versions = delegateVersions(hostLocal, entry);
      cidrs = ranges(entry);
    } catch (CniException e) {
      throw new CniException(
          CniException.NOT_AVAILABLE, "kube-node cannot serve ADD: " + e.msg(), e.details());
    }
    String version = CniVersions.negotiate(request.cniVersion(), versions);
    if (CniVersions.hasGcAndStatus(List.of(version))) {
      delegate(hostLocal, "STATUS", cidrs, version, null, null);
    }
    return new byte[0];
  }

  // The ranges.

  /** The Node's CIDRs: from the cache when it holds them for this annotation, else the Node. */
  List<String> ranges(RangeCache.Entry entry) throws CniException {
    List<String> cidrs = entry.cidrsFor(config.annotation(), config.nodeName());
    if (cidrs != null) {
      log.debug("ranges from the cache: " + cidrs);
      return cidrs;
    }
    return lookup();
  }

  /** Reads the own Node, derives its CIDRs, and stores them in the cache when they changed. */
  private List<String> lookup() throws CniException {
    NodeSource source = deps.sources().open(config);
    OwnNode.Found found;
    try {
      found = OwnNode.find(config, getenv, deps.host(), source, log);
    } catch (IOException e) {
      throw new CniException(
          CniException.TRY_AGAIN_LATER,
          "cannot read the own Node from " + source.describe(),
          String.valueOf(e.getMessage()));
    }
    String node = found.node().name();
    List<String> cidrs = derive(found.node(), config.annotation());
    log.info("node " + node + " (found by " + found.how() + "): ranges " + cidrs);
    try {
      cache.update(current -> current.withRanges(node, config.annotation(), cidrs));
    } catch (IOException e) {
      log.warn("cannot write the cache " + cache.file() + ": " + e);
    }
    return cidrs;
  }

  /**
   * A Node's CIDRs as the annotations library reads them: the annotation when configured, else
   * spec.podCIDRs; all of them, in order.
   *
   * @throws CniException code 100 naming the bad or missing value, 7 for a bad annotation name
   */
  static List<String> derive(io.xcluster.cni.annotations.NodeFields node, String annotation)
      throws CniException {
    NodeAnnotations reader;
    try {
      reader = new NodeAnnotations(Optional.ofNullable(annotation), Optional.empty());
    } catch (IllegalArgumentException e) {
      throw new CniException(
          CniException.INVALID_CONFIG,
          "\"annotation\" is not a valid annotation name",
          e.getMessage());
    }
    AnnotationValues.CidrList list;
    try {
      list = reader.cidrs(node);
    } catch (AnnotationFormatException e) {
      throw new CniException(
          CniException.BAD_NODE_DATA,
          "node " + node.name() + " has a bad CIDR in " + e.key() + ": \"" + e.value() + "\"",
          e.getMessage());
    }
    if (list.cidrs().isEmpty()) {
      throw new CniException(
          CniException.BAD_NODE_DATA,
          annotation != null
              ? "node " + node.name() + " has no annotation " + annotation
              : "node " + node.name() + " has no spec.podCIDRs",
          annotation != null
              ? "annotate the node: kubectl annotate node "
                  + node.name()
                  + " "
                  + annotation
                  + "=<cidr>[,<cidr>]"
              : "is the controller-manager allocating node CIDRs (--allocate-node-cidrs)?");
    }
    List<String> out = new ArrayList<>();
    for (Cidr c : list.cidrs()) {
      out.add(c.toString());
    }
    return out;
  }

  /**
   * Applies {@code ipv4-namespaces}: when it is present (even empty), pods of other namespaces get
   * only the first IPv6 range.
   *
   * @throws CniException code 102 when that leaves no range
   */
  List<String> forNamespace(List<String> cidrs) throws CniException {
    List<String> allowed = config.ipv4Namespaces();
    if (allowed == null) {
      return cidrs;
    }
    String ns = request.arg("K8S_POD_NAMESPACE");
    if (ns != null && allowed.contains(ns)) {
      return cidrs;
    }
    for (String c : cidrs) {
      if (c.indexOf(':') >= 0) {
        return List.of(c);
      }
    }
    throw new CniException(
        CniException.NO_RANGE,
        "no address for this pod: namespace "
            + (ns == null ? "(unknown: no K8S_POD_NAMESPACE in CNI_ARGS)" : "\"" + ns + "\"")
            + " is not in ipv4-namespaces and the node has no IPv6 range",
        "ranges " + cidrs + ", ipv4-namespaces " + allowed);
  }

  private List<String> releaseRanges(RangeCache.Entry entry) {
    List<String> cidrs = entry.cidrsFor(config.annotation(), config.nodeName());
    return cidrs != null ? cidrs : List.of(PLACEHOLDER_RANGE);
  }

  private void invalidateRanges() {
    try {
      cache.update(current -> current.withRanges(null, null, null));
    } catch (IOException e) {
      log.warn("cannot update the cache " + cache.file() + ": " + e);
    }
  }

  // host-local.

  /** host-local on CNI_PATH. */
  Path hostLocal() throws CniException {
    for (String dir : request.path().split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, "host-local");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new CniException(
        CniException.DELEGATE_MISSING, "host-local not found", "CNI_PATH=" + request.path());
  }

  /** The versions host-local speaks: remembered in the cache while its file is unchanged. */
  private List<String> delegateVersions(Path hostLocal, RangeCache.Entry entry)
      throws CniException {
    long size = -1;
    long modified = -1;
    try {
      BasicFileAttributes a = Files.readAttributes(hostLocal, BasicFileAttributes.class);
      size = a.size();
      modified = a.lastModifiedTime().toMillis();
    } catch (IOException e) {
      log.debug("cannot stat " + hostLocal + ": " + e);
    }
    RangeCache.Delegate known = entry.delegate();
    if (known != null
        && known.path().equals(hostLocal.toString())
        && known.size() == size
        && known.modified() == modified) {
      return known.versions();
    }
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", "VERSION");
    byte[] out =
        deps.executor()
            .exec(
                hostLocal,
                env,
                ("{\"cniVersion\":\"" + CniVersions.CURRENT + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
    List<String> versions;
    try {
      versions =
          Json.strings(
              Json.parseObject(new String(out, StandardCharsets.UTF_8)), "supportedVersions");
    } catch (Json.ParseException | IllegalArgumentException e) {
      versions = null;
    }
    if (versions == null) {
      throw new CniException(
          CniException.INTERNAL,
          hostLocal + " answered VERSION with no supportedVersions",
          new String(out, StandardCharsets.UTF_8));
    }
    log.debug(hostLocal + " speaks " + versions);
    RangeCache.Delegate d = new RangeCache.Delegate(hostLocal.toString(), size, modified, versions);
    if (size >= 0) {
      try {
        cache.update(current -> current.withDelegate(d));
      } catch (IOException e) {
        log.warn("cannot write the cache " + cache.file() + ": " + e);
      }
    }
    return versions;
  }

  /** The configuration for host-local: ours with the ipam object replaced. */
  @SuppressWarnings("unchecked")
  Map<String, Object> delegateConfig(List<String> cidrs, String version) throws CniException {
    Map<String, Object> out = new LinkedHashMap<>(request.config());
    out.put("cniVersion", version);
    Map<String, Object> ipam = new LinkedHashMap<>();
    ipam.put("type", "host-local");
    List<Object> ranges = new ArrayList<>();
    for (String c : cidrs) {
      Map<String, Object> range = new LinkedHashMap<>();
      range.put("subnet", c);
      List<Object> set = new ArrayList<>();
      set.add(range);
      ranges.add(set);
    }
    ipam.put("ranges", ranges);
    if (config.dataDir() != null) {
      ipam.put("dataDir", config.dataDir());
    }
    if (config.routes() != null) {
      ipam.put("routes", config.routes());
    }
    if (config.resolvConf() != null) {
      ipam.put("resolvConf", config.resolvConf());
    }
    out.put("ipam", ipam);
    Object prev = out.get("prevResult");
    if (prev instanceof Map && !version.equals(request.cniVersion())) {
      out.put(
          "prevResult",
          CniVersions.convertResult((Map<String, Object>) prev, request.cniVersion(), version));
    }
    return out;
  }

  private byte[] delegate(
      Path hostLocal,
      String command,
      List<String> cidrs,
      String version,
      String containerId,
      String ifname)
      throws CniException {
    byte[] stdin = Json.write(delegateConfig(cidrs, version)).getBytes(StandardCharsets.UTF_8);
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", containerId);
    env.put("CNI_IFNAME", ifname);
    env.put("CNI_NETNS", request.netns());
    env.put("CNI_ARGS", request.args());
    env.put("CNI_PATH", request.path());
    if (log.enabled(Log.TRACE)) {
      log.trace("host-local " + command + " " + new String(stdin, StandardCharsets.UTF_8));
    }
    return deps.executor().exec(hostLocal, env, stdin);
  }

  // GC.

  /**
   * The GC list, as "containerID/ifname" keys.
   *
   * @throws CniException code 7 when it is missing or malformed: without it nothing may be released
   */
  private Set<String> validAttachments() throws CniException {
    Object list = request.config().get("cni.dev/valid-attachments");
    if (!(list instanceof List<?> items)) {
      throw new CniException(
          CniException.INVALID_CONFIG,
          "GC without a cni.dev/valid-attachments list: nothing was released",
          "the runtime must send the attachments that are still in use");
    }
    Set<String> valid = new HashSet<>();
    for (Object item : items) {
      if (!(item instanceof Map<?, ?> m)
          || !(m.get("containerID") instanceof String id)
          || !(m.get("ifname") instanceof String ifname)) {
        throw new CniException(
            CniException.INVALID_CONFIG,
            "a malformed entry in cni.dev/valid-attachments: nothing was released",
            Json.write(item));
      }
      valid.add(id + "/" + ifname);
    }
    return valid;
  }

  /**
   * The attachments that hold a reservation in host-local's directory and are not in the list.
   * host-local 1.x stores one file per address, named by the address, holding {@code
   * containerID\r\nifname}.
   */
  private List<String[]> staleReservations(Set<String> valid) throws CniException {
    Path dir = config.reservationDir();
    Set<String> seen = new LinkedHashSet<>();
    List<String[]> stale = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (!isAddress(name)) {
          continue;
        }
        String content;
        try {
          content = Files.readString(f, StandardCharsets.UTF_8);
        } catch (NoSuchFileException gone) {
          continue; // released meanwhile
        }
        String[] lines = content.split("\r?\n", -1);
        String id = lines[0].strip();
        String ifname = lines.length > 1 ? lines[1].strip() : "";
        if (id.isEmpty() || ifname.isEmpty()) {
          log.warn("GC: " + f + " names no container and interface; left alone");
          continue;
        }
        String key = id + "/" + ifname;
        if (!valid.contains(key) && seen.add(key)) {
          stale.add(new String[] {id, ifname});
        }
      }
    } catch (NoSuchFileException e) {
      return stale;
    } catch (IOException e) {
      throw new CniException(
          CniException.IO_FAILURE, "GC cannot read the reservations in " + dir, e.toString());
    }
    return stale;
  }

  private static boolean isAddress(String name) {
    try {
      IpFamily.of(IpLiteral.parse(name));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
