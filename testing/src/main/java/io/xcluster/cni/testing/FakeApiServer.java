package io.xcluster.cni.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;
import javax.net.ssl.SSLContext;

/**
 * A small Kubernetes API server on {@code 127.0.0.1} (or an address of a namespace the test made),
 * over plain HTTP or HTTPS, for tests and benchmarks that must go through a real client
 * (client-java's informer, a kubeconfig with token and CA) without a cluster.
 *
 * <p>It serves, like the real one and as far as this project needs:
 *
 * <ul>
 *   <li>{@code /api/v1/nodes}: list (with {@code fieldSelector}, {@code labelSelector}, {@code
 *       limit}/{@code continue}), watch ({@code watch=true}: a chunked stream of {@code
 *       {"type":…,"object":…}} lines, replaying every change after {@code resourceVersion}; {@code
 *       resourceVersion} absent or {@code 0} starts with an {@code ADDED} per object; {@code
 *       timeoutSeconds}; {@code allowWatchBookmarks} sends a {@code BOOKMARK} after each idle
 *       {@link #setBookmarkInterval bookmark interval}; a resource version older than the kept
 *       history is answered {@code 410 Gone}), create, get, update (PUT, with the {@code 409}
 *       conflict check), patch (merge, strategic merge, JSON patch; see {@link JsonPatches}),
 *       delete; {@code /status} is served like the object itself.
 *   <li>Events: {@code /api/v1/namespaces/NS/events} and {@code
 *       /apis/events.k8s.io/v1/namespaces/NS/events}, with the same verbs ({@code generateName}
 *       honoured), and the all-namespaces lists {@code /api/v1/events} and {@code
 *       /apis/events.k8s.io/v1/events}.
 *   <li>{@code /version}, {@code /api}, {@code /api/v1}, {@code /apis}, {@code
 *       /apis/events.k8s.io/v1}, {@code /healthz}, {@code /readyz}, {@code /livez}.
 * </ul>
 *
 * <p>Every write, through HTTP or through the test methods, bumps one global resource version and
 * is streamed to the matching watches. Errors are {@code Status} objects with the real reasons
 * ({@code NotFound}, {@code AlreadyExists}, {@code Conflict}, {@code Expired} (410), {@code
 * Unauthorized}, {@code ServiceUnavailable}, …). When a token is configured, every request needs
 * {@code Authorization: Bearer TOKEN} ({@code 401} otherwise).
 *
 * <p>Outages: {@link #setDown(boolean) setDown(true)} closes the listening socket and every
 * connection, so clients get "connection refused" (client-java's informer then lists again); {@code
 * setDown(false)} listens again on the same port. {@link #setUnavailable(boolean)} keeps listening
 * and answers {@code 503} instead. {@link #endWatches()} ends the watch streams cleanly, as a watch
 * timeout does: clients resume watching from their last resource version.
 *
 * <p>The test-facing methods use only JDK and Jackson types, so modules that must not depend on
 * client-java can use it. Objects are kept as serialized JSON, so thousands of large Nodes cost
 * little more than their bytes.
 */
public final class FakeApiServer implements AutoCloseable {
  /** Plain HTTP, or HTTPS with a certificate from a CA made for this JVM. */
  public enum Scheme {
    HTTP,
    HTTPS
  }

  /** A resource the server knows: where it lives and what its objects are called. */
  private record Resource(String groupVersion, String plural, String kind, boolean namespaced) {
    String basePath() {
      return groupVersion.contains("/") ? "/apis/" + groupVersion : "/api/" + groupVersion;
    }
  }

  private static final Resource NODES = new Resource("v1", "nodes", "Node", false);
  private static final Resource CORE_EVENTS = new Resource("v1", "events", "Event", true);
  private static final Resource EVENTS_V1 =
      new Resource("events.k8s.io/v1", "events", "Event", true);
  private static final List<Resource> RESOURCES = List.of(NODES, CORE_EVENTS, EVENTS_V1);

  /** One change, as the watch streams it. {@code previous} is null for ADDED. */
  private record Change(
      long rv, Resource resource, String namespace, String type, byte[] object, byte[] previous) {}

  /** An error the API server answers with a {@code Status}. */
  private static final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;
    final String reason;

    ApiError(int code, String reason, String message) {
      super(message);
      this.code = code;
      this.reason = reason;
    }
  }

  static {
    // The JDK's server writes a watch event of a realistic Node (13 KB) in several TCP segments;
    // without TCP_NODELAY the last one waits for the client's delayed ACK, 40 ms on Linux: a
    // p50 of 44 ms from a change to client-java's informer instead of 3 ms. The JDK reads this
    // property once, when its first HttpServer starts in the JVM.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json";
  private static final int DEFAULT_HISTORY_LIMIT = 10_000;
  private static final int DEFAULT_WATCH_TIMEOUT_SECONDS = 1800;

  private final Scheme scheme;
  private final String token;
  private final ThrowAwayCa ca;
  private final SSLContext tls;
  private final InetAddress bindAddress;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, LongAdder> requestCounts = new ConcurrentHashMap<>();
  private final int port;
  private volatile BiConsumer<String, String> requestHook = (verb, path) -> {};

  // Everything below is guarded by `lock`; watches wait on it.
  private final Object lock = new Object();
  private final Map<Resource, TreeMap<String, byte[]>> objects = new LinkedHashMap<>();
  private final ArrayList<Change> history = new ArrayList<>();
  private long resourceVersion = 1;
  private long compactedRv = 0; // a watch from an older resource version is answered 410 Gone
  private int historyLimit = DEFAULT_HISTORY_LIMIT;
  private Duration bookmarkInterval = Duration.ofSeconds(60);
  private long epoch; // bumped when the server goes down or stops: open watches end
  private int activeWatches;
  private boolean down;
  private boolean unavailable;
  private boolean closed;
  private HttpServer server;

  private FakeApiServer(Scheme scheme, String token, InetSocketAddress address) throws IOException {
    this.scheme = scheme;
    this.token = token;
    this.bindAddress = address.getAddress();
    this.ca = scheme == Scheme.HTTPS ? ThrowAwayCa.get() : null;
    this.tls =
        ca == null
            ? null
            : ca.serverContext(bindAddress.isAnyLocalAddress() ? List.of() : List.of(bindAddress));
    for (Resource resource : RESOURCES) {
      objects.put(resource, new TreeMap<>());
    }
    this.server = listen(address.getPort());
    this.port = server.getAddress().getPort();
  }

  /** A plain-HTTP server without authentication. */
  public static FakeApiServer start() {
    return start(Scheme.HTTP, null);
  }

  /**
   * Starts a server on {@code 127.0.0.1} and an ephemeral port.
   *
   * @param token the bearer token every request must carry, or null to accept any request
   */
  public static FakeApiServer start(Scheme scheme, String token) {
    return start(scheme, token, 0);
  }

  /** Like {@link #start(Scheme, String)} on a given port of {@code 127.0.0.1} (0: ephemeral). */
  public static FakeApiServer start(Scheme scheme, String token, int port) {
    return start(scheme, token, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  /**
   * Like {@link #start(Scheme, String)} on any address, such as one of a network namespace the test
   * made, so that programs in other namespaces reach it. The HTTPS certificate then names that
   * address too.
   */
  public static FakeApiServer start(Scheme scheme, String token, InetSocketAddress address) {
    try {
      return new FakeApiServer(scheme, token, address);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fake API server on " + address, e);
    }
  }

  /**
   * {@code http://HOST:PORT} or {@code https://HOST:PORT}, without a trailing slash; HOST is the
   * address listened on ({@code 127.0.0.1} by default; {@code [v6]} in brackets).
   */
  public URI url() {
    return URI.create(scheme.name().toLowerCase() + "://" + hostPort());
  }

  private String hostPort() {
    if (bindAddress.isAnyLocalAddress()) {
      return "127.0.0.1:" + port;
    }
    String literal = bindAddress.getHostAddress();
    int zone = literal.indexOf('%');
    if (zone >= 0) {
      literal = literal.substring(0, zone);
    }
    return (bindAddress instanceof Inet6Address ? "[" + literal + "]" : literal) + ":" + port;
  }

  /** The CA certificate (PEM) that signed the HTTPS server's certificate. */
  public String caPem() {
    if (ca == null) {
      throw new IllegalStateException("an HTTP server has no CA");
    }
    return ca.caPem();
  }

  /** The configured token, or null. */
  public String token() {
    return token;
  }

  /** Writes a kubeconfig for this server with its own token (if any); see the other overload. */
  public Path writeKubeconfig(Path file) {
    return writeKubeconfig(file, token);
  }

  /**
   * Writes a kubeconfig (mode 0600) with one cluster, user and context named {@code fake}: the
   * server URL, the CA as {@code certificate-authority-data} for HTTPS, and {@code token} (may be
   * null or differ from the server's, to test a rejected token).
   */
  public Path writeKubeconfig(Path file, String token) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n");
    yaml.append("    server: ").append(url()).append('\n');
    if (ca != null) {
      yaml.append("    certificate-authority-data: ")
          .append(Base64.getEncoder().encodeToString(ca.caPem().getBytes(StandardCharsets.UTF_8)))
          .append('\n');
    }
    yaml.append("users:\n- name: fake\n  user:");
    if (token == null) {
      yaml.append(" {}\n");
    } else {
      yaml.append("\n    token: ").append(quote(token)).append('\n');
    }
    yaml.append("contexts:\n- name: fake\n  context:\n    cluster: fake\n    user: fake\n");
    yaml.append("current-context: fake\n");
    try {
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  // ---------------------------------------------------------------- test-facing state changes

  /**
   * Creates or replaces a Node, as an admin would with {@code kubectl apply}; watches see ADDED or
   * MODIFIED. The uid and creation time of an existing node are kept; the resource version is set.
   *
   * @return the stored JSON
   */
  public String putNode(String json) {
    return store(parseObject(json));
  }

  /** {@link #putNode(String)} for a Node given as nested maps and lists. */
  public String putNode(Map<String, ?> node) {
    return store((ObjectNode) JSON.valueToTree(node));
  }

  /** {@link #putNode(String)} for a Node given as a Jackson tree (copied, never changed). */
  public String putNode(JsonNode node) {
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalArgumentException("a Node is a JSON object");
    }
    return store(object.deepCopy());
  }

  private String store(ObjectNode node) {
    String name = node.path("metadata").path("name").asText("");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a Node needs metadata.name");
    }
    synchronized (lock) {
      byte[] old = objects.get(NODES).get(name);
      ObjectNode metadata = (ObjectNode) node.get("metadata");
      metadata.remove("resourceVersion");
      byte[] stored =
          old == null ? create(NODES, null, node) : update(NODES, null, name, node, old, false);
      return new String(stored, StandardCharsets.UTF_8);
    }
  }

  /**
   * Sets and removes annotations of a Node, like {@code kubectl annotate}; nothing happens (no new
   * resource version) when that changes nothing.
   *
   * @throws IllegalArgumentException when there is no such node
   */
  public String patchNodeAnnotations(
      String name, Map<String, String> set, Collection<String> remove) {
    ObjectNode annotations = JSON.createObjectNode();
    set.forEach(annotations::put);
    remove.forEach(annotations::putNull);
    ObjectNode patch = JSON.createObjectNode();
    patch.putObject("metadata").set("annotations", annotations);
    synchronized (lock) {
      byte[] old = objects.get(NODES).get(name);
      if (old == null) {
        throw new IllegalArgumentException("no node " + name);
      }
      ObjectNode patched = (ObjectNode) JsonPatches.mergePatch(parseObject(old), patch);
      return new String(update(NODES, null, name, patched, old, false), StandardCharsets.UTF_8);
    }
  }

  /**
   * What a kubelet's status update does: sets {@code lastHeartbeatTime} of every condition of a
   * Node (adding a Ready condition when there is none) to now, a MODIFIED event that changes
   * nothing a router cares about. Successive calls within one second still change the object.
   *
   * @throws IllegalArgumentException when there is no such node
   */
  public String heartbeat(String name) {
    synchronized (lock) {
      byte[] old = objects.get(NODES).get(name);
      if (old == null) {
        throw new IllegalArgumentException("no node " + name);
      }
      ObjectNode node = parseObject(old);
      JsonNode status = node.get("status");
      ObjectNode statusObject = status instanceof ObjectNode o ? o : node.putObject("status");
      JsonNode conditions = statusObject.get("conditions");
      ArrayNode list = conditions instanceof ArrayNode a ? a : statusObject.putArray("conditions");
      if (list.isEmpty()) {
        list.addObject()
            .put("type", "Ready")
            .put("status", "True")
            .put("reason", "KubeletReady")
            .put("message", "kubelet is posting ready status");
      }
      String now = Instant.now().toString(); // nanoseconds: every call is a change
      for (JsonNode condition : list) {
        if (condition instanceof ObjectNode c) {
          c.put("lastHeartbeatTime", now);
        }
      }
      return new String(update(NODES, null, name, node, old, false), StandardCharsets.UTF_8);
    }
  }

  /** Deletes a Node; watches see DELETED. Returns whether it existed. */
  public boolean deleteNode(String name) {
    synchronized (lock) {
      return delete(NODES, null, name) != null;
    }
  }

  /** The Node as stored (with its resource version), if any. */
  public Optional<JsonNode> node(String name) {
    synchronized (lock) {
      return Optional.ofNullable(objects.get(NODES).get(name))
          .<JsonNode>map(FakeApiServer::parseObject);
    }
  }

  /** A Node's annotations; empty when it has none, absent when there is no such node. */
  public Optional<Map<String, String>> nodeAnnotations(String name) {
    return node(name)
        .map(
            n -> {
              Map<String, String> annotations = new TreeMap<>();
              n.path("metadata")
                  .path("annotations")
                  .properties()
                  .forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
              return annotations;
            });
  }

  /** All Nodes, sorted by name. */
  public List<JsonNode> nodes() {
    synchronized (lock) {
      return objects.get(NODES).values().stream()
          .<JsonNode>map(FakeApiServer::parseObject)
          .toList();
    }
  }

  /** All Events of both APIs ({@code v1} first, then {@code events.k8s.io/v1}), by key. */
  public List<JsonNode> events() {
    synchronized (lock) {
      List<JsonNode> events = new ArrayList<>();
      objects.get(CORE_EVENTS).values().forEach(e -> events.add(parseObject(e)));
      objects.get(EVENTS_V1).values().forEach(e -> events.add(parseObject(e)));
      return events;
    }
  }

  /** The current (latest) resource version. */
  public long resourceVersion() {
    synchronized (lock) {
      return resourceVersion;
    }
  }

  /**
   * Forgets the change history, as etcd compaction does: a watch from any resource version before
   * now is answered {@code 410 Gone} and the client must list again.
   */
  public void compactHistory() {
    synchronized (lock) {
      history.clear();
      compactedRv = resourceVersion;
    }
  }

  /** How many changes are kept for watches to resume from (default 10 000). */
  public void setHistoryLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("history limit must be at least 1");
    }
    synchronized (lock) {
      historyLimit = limit;
      trimHistory();
    }
  }

  /** How long a watch that asked for bookmarks stays idle before it gets one (default 60 s). */
  public void setBookmarkInterval(Duration interval) {
    synchronized (lock) {
      bookmarkInterval = interval;
      lock.notifyAll();
    }
  }

  /** Watch streams that are open on the server side (a vanished client is noticed on write). */
  public int activeWatches() {
    synchronized (lock) {
      return activeWatches;
    }
  }

  // ---------------------------------------------------------------- requests and outages

  /**
   * Requests received, counted per {@code "VERB PATH"}: the Kubernetes verb ({@code list}, {@code
   * watch}, {@code get}, {@code create}, {@code update}, {@code patch}, {@code delete}) or the
   * lower-case HTTP method for anything else, then the path without query, e.g. {@code "watch
   * /api/v1/nodes"}, {@code "get /api/v1/nodes/n1"}. Requests refused for a bad token and those
   * answered 503 are counted too; refused connections are not. A request is counted when it
   * arrives, before it is handled: to wait for its effect, poll {@link #nodes()} or {@link
   * #events()}, not the count.
   */
  public Map<String, Long> requests() {
    Map<String, Long> counts = new TreeMap<>();
    requestCounts.forEach((k, v) -> counts.put(k, v.sum()));
    return counts;
  }

  /** The count of one {@code verb} on one {@code path}, see {@link #requests()}. */
  public long requestCount(String verb, String path) {
    LongAdder count = requestCounts.get(verb + " " + path);
    return count == null ? 0 : count.sum();
  }

  /** All requests received since the start or the last {@link #resetRequests()}. */
  public long requestCount() {
    return requestCounts.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public void resetRequests() {
    requestCounts.clear();
  }

  /**
   * Runs {@code hook} with the verb and path (as in {@link #requests()}) of every request, before
   * the server handles it: for tests that must change state at an exact point, such as a write that
   * races a client's read-modify-write. The hook runs on the request's thread; null removes it.
   */
  public void beforeEachRequest(BiConsumer<String, String> hook) {
    requestHook = hook == null ? (verb, path) -> {} : hook;
  }

  /**
   * Takes the server down (open watches end, the listening socket closes, clients get "connection
   * refused") or brings it back up on the same port. Test-facing writes keep working while down;
   * watches resuming afterwards get every change they missed.
   */
  public void setDown(boolean down) {
    HttpServer toStop = null;
    synchronized (lock) {
      if (closed || this.down == down) {
        return;
      }
      this.down = down;
      if (down) {
        epoch++;
        lock.notifyAll();
        toStop = server;
        server = null;
      }
    }
    if (toStop != null) {
      toStop.stop(0);
      return;
    }
    HttpServer restarted = relisten();
    synchronized (lock) {
      server = restarted;
    }
  }

  /**
   * Ends every open watch stream cleanly, as the API server does when a watch's timeout expires;
   * clients watch again from the last resource version they saw and get what they missed.
   */
  public void endWatches() {
    synchronized (lock) {
      epoch++;
      lock.notifyAll();
    }
  }

  /** While set, every request is answered {@code 503 ServiceUnavailable} and open watches end. */
  public void setUnavailable(boolean unavailable) {
    synchronized (lock) {
      this.unavailable = unavailable;
      if (unavailable) {
        epoch++;
        lock.notifyAll();
      }
    }
  }

  /** Stops the server: open watches end and the port is released. */
  @Override
  public void close() {
    HttpServer toStop;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      epoch++;
      lock.notifyAll();
      toStop = server;
      server = null;
    }
    if (toStop != null) {
      toStop.stop(0);
    }
    executor.shutdownNow();
  }

  /** Same as {@link #close()}. */
  public void stop() {
    close();
  }

  // ---------------------------------------------------------------- listening

  private HttpServer listen(int port) throws IOException {
    InetSocketAddress address = new InetSocketAddress(bindAddress, port);
    HttpServer http;
    if (ca != null) {
      HttpsServer https = HttpsServer.create(address, 128);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      http = https;
    } else {
      http = HttpServer.create(address, 128);
    }
    http.createContext("/", this::handle);
    http.setExecutor(executor);
    http.start();
    return http;
  }

  private HttpServer relisten() {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        return listen(port);
      } catch (BindException e) {
        if (System.nanoTime() > deadline) {
          throw new UncheckedIOException("cannot listen on port " + port + " again", e);
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", ie);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on port " + port + " again", e);
      }
    }
  }

  // ---------------------------------------------------------------- HTTP dispatch

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
      String verb = verb(method, path, query);
      requestCounts.computeIfAbsent(verb + " " + path, k -> new LongAdder()).increment();
      requestHook.accept(verb, path);
      try {
        synchronized (lock) {
          if (unavailable) {
            throw new ApiError(503, "ServiceUnavailable", "the fake API server is unavailable");
          }
        }
        if (token != null
            && !("Bearer " + token)
                .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
          throw new ApiError(401, "Unauthorized", "Unauthorized");
        }
        dispatch(exchange, method, path, query);
      } catch (ApiError e) {
        sendStatus(exchange, e);
      } catch (IllegalArgumentException | JsonPatches.PatchException e) {
        sendStatus(exchange, new ApiError(400, "BadRequest", e.getMessage()));
      } catch (RuntimeException e) {
        // A bug in this fixture: say so to the client rather than drop the connection.
        if (exchange.getResponseCode() == -1) {
          sendStatus(exchange, new ApiError(500, "InternalError", String.valueOf(e)));
        }
        throw e;
      }
    }
  }

  private static String verb(String method, String path, Map<String, String> query) {
    return switch (method) {
      case "GET" -> {
        Located at = locate(path);
        if (at == null || at.name != null) {
          yield "get";
        }
        yield isTrue(query.get("watch")) ? "watch" : "list";
      }
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> method.toLowerCase();
    };
  }

  private static boolean isTrue(String value) {
    return "true".equals(value) || "1".equals(value);
  }

  /** Where a request path points: a resource, maybe a namespace, maybe one object. */
  private record Located(Resource resource, String namespace, String name, String subresource) {}

  private static Located locate(String path) {
    for (Resource resource : RESOURCES) {
      String base = resource.basePath() + "/";
      if (!path.startsWith(base)) {
        continue;
      }
      String[] parts = path.substring(base.length()).split("/", -1);
      int i = 0;
      String namespace = null;
      if (parts.length >= 3 && parts[0].equals("namespaces")) {
        if (!resource.namespaced()) {
          continue;
        }
        namespace = parts[1];
        i = 2;
      }
      if (!parts[i].equals(resource.plural())) {
        continue;
      }
      int rest = parts.length - i - 1;
      if (rest == 0) {
        return new Located(resource, namespace, null, null);
      }
      String name = decode(parts[i + 1]);
      if (rest == 1 && !name.isEmpty()) {
        return new Located(resource, namespace, name, null);
      }
      if (rest == 2 && !name.isEmpty() && parts[i + 2].equals("status")) {
        return new Located(resource, namespace, name, "status");
      }
      return null;
    }
    return null;
  }

  private void dispatch(
      HttpExchange exchange, String method, String path, Map<String, String> query)
      throws IOException {
    if (method.equals("GET") && discovery(exchange, path)) {
      return;
    }
    Located at = locate(path);
    if (at == null) {
      throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    }
    if (at.name == null) {
      collection(exchange, method, at, query);
    } else {
      object(exchange, method, at);
    }
  }

  /** Answers a GET of a discovery or health path; false when {@code path} is none of them. */
  private boolean discovery(HttpExchange exchange, String path) throws IOException {
    switch (path) {
      case "/healthz", "/readyz", "/livez" ->
          send(exchange, 200, "text/plain", "ok".getBytes(StandardCharsets.US_ASCII));
      case "/version" -> sendJson(exchange, 200, versionInfo());
      case "/api" -> {
        ObjectNode versions = JSON.createObjectNode().put("kind", "APIVersions");
        versions.putArray("versions").add("v1");
        versions
            .putArray("serverAddressByClientCIDRs")
            .addObject()
            .put("clientCIDR", "0.0.0.0/0")
            .put("serverAddress", hostPort());
        sendJson(exchange, 200, versions);
      }
      case "/apis" -> sendJson(exchange, 200, groupList());
      case "/api/v1" -> sendJson(exchange, 200, resourceList("v1"));
      case "/apis/events.k8s.io/v1" -> sendJson(exchange, 200, resourceList("events.k8s.io/v1"));
      default -> {
        return false;
      }
    }
    return true;
  }

  /** list, watch and create. */
  private void collection(
      HttpExchange exchange, String method, Located at, Map<String, String> query)
      throws IOException {
    switch (method) {
      case "GET" -> {
        if (isTrue(query.get("watch"))) {
          watch(exchange, at, query);
        } else {
          list(exchange, at, query);
        }
      }
      case "POST" -> {
        if (at.resource.namespaced() && at.namespace == null) {
          throw new ApiError(405, "MethodNotAllowed", "create needs a namespace in the path");
        }
        ObjectNode body = parseObject(exchange.getRequestBody().readAllBytes());
        String namespace = body.path("metadata").path("namespace").asText("");
        if (at.namespace != null && !namespace.isEmpty() && !namespace.equals(at.namespace)) {
          throw new ApiError(
              400,
              "BadRequest",
              "the namespace of the object (" + namespace + ") does not match the request's");
        }
        byte[] created;
        synchronized (lock) {
          created = create(at.resource, at.namespace, body);
        }
        sendBytes(exchange, 201, created);
      }
      default ->
          throw new ApiError(405, "MethodNotAllowed", method + " is not supported on a collection");
    }
  }

  /** get, update, patch and delete. */
  private void object(HttpExchange exchange, String method, Located at) throws IOException {
    switch (method) {
      case "GET" -> sendBytes(exchange, 200, get(at));
      case "PUT" -> {
        ObjectNode body = parseObject(exchange.getRequestBody().readAllBytes());
        String bodyName = body.path("metadata").path("name").asText("");
        if (!bodyName.equals(at.name)) {
          throw new ApiError(
              400,
              "BadRequest",
              "the name of the object (" + bodyName + ") does not match the name in the URL");
        }
        byte[] updated;
        synchronized (lock) {
          updated = update(at.resource, at.namespace, at.name, body, get(at), true);
        }
        sendBytes(exchange, 200, updated);
      }
      case "PATCH" -> sendBytes(exchange, 200, patch(exchange, at));
      case "DELETE" -> {
        byte[] deleted;
        synchronized (lock) {
          deleted = delete(at.resource, at.namespace, at.name);
        }
        if (deleted == null) {
          throw notFound(at);
        }
        sendBytes(exchange, 200, deleted);
      }
      default ->
          throw new ApiError(405, "MethodNotAllowed", method + " is not supported on an object");
    }
  }

  private byte[] patch(HttpExchange exchange, Located at) throws IOException {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    String mediaType = type == null ? "" : type.split(";")[0].strip();
    BinaryOperator<JsonNode> apply =
        switch (mediaType) {
          case "application/merge-patch+json" -> JsonPatches::mergePatch;
          case "application/strategic-merge-patch+json" -> JsonPatches::strategicMergePatch;
          case "application/json-patch+json" -> JsonPatches::jsonPatch;
          default ->
              throw new ApiError(
                  415, "UnsupportedMediaType", "the patch type " + type + " is not supported");
        };
    JsonNode patch = parse(exchange.getRequestBody().readAllBytes());
    synchronized (lock) {
      byte[] old = get(at);
      JsonNode result = apply.apply(parseObject(old), patch);
      if (!(result instanceof ObjectNode object)
          || !at.name.equals(object.path("metadata").path("name").asText())) {
        throw new ApiError(422, "Invalid", "a patch must not change the object's name");
      }
      return update(at.resource, at.namespace, at.name, object, old, true);
    }
  }

  // ---------------------------------------------------------------- the store (hold `lock`)

  private static String key(String namespace, String name) {
    return namespace == null ? name : namespace + "/" + name;
  }

  private static ApiError notFound(Located at) {
    return new ApiError(404, "NotFound", at.resource.plural() + " \"" + at.name + "\" not found");
  }

  private byte[] get(Located at) {
    synchronized (lock) {
      byte[] object = objects.get(at.resource).get(key(at.namespace, at.name));
      if (object == null) {
        throw notFound(at);
      }
      return object;
    }
  }

  private byte[] create(Resource resource, String namespace, ObjectNode object) {
    ObjectNode metadata = metadata(object);
    String name = metadata.path("name").asText("");
    if (name.isEmpty()) {
      String generateName = metadata.path("generateName").asText("");
      if (generateName.isEmpty()) {
        throw new ApiError(422, "Invalid", "metadata.name or metadata.generateName is required");
      }
      name = generateName + randomSuffix();
      metadata.put("name", name);
    }
    if (resource.namespaced()) {
      metadata.put("namespace", namespace == null ? "default" : namespace);
      namespace = metadata.get("namespace").asText();
    }
    if (objects.get(resource).containsKey(key(namespace, name))) {
      throw new ApiError(
          409, "AlreadyExists", resource.plural() + " \"" + name + "\" already exists");
    }
    object.put("kind", resource.kind()).put("apiVersion", resource.groupVersion());
    metadata.put("uid", UUID.randomUUID().toString());
    if (!metadata.hasNonNull("creationTimestamp")) {
      metadata.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }
    return commit(resource, namespace, name, object, null);
  }

  /**
   * Replaces an object. With {@code checkVersion}, a resource version in {@code object} must be the
   * current one (optimistic concurrency). Changing nothing keeps the resource version and emits
   * nothing, as the real server does.
   */
  private byte[] update(
      Resource resource,
      String namespace,
      String name,
      ObjectNode object,
      byte[] old,
      boolean checkVersion) {
    ObjectNode previous = parseObject(old);
    ObjectNode metadata = metadata(object);
    String version = metadata.path("resourceVersion").asText("");
    String current = previous.path("metadata").path("resourceVersion").asText();
    if (checkVersion && !version.isEmpty() && !version.equals(current)) {
      throw new ApiError(
          409,
          "Conflict",
          "Operation cannot be fulfilled on "
              + resource.plural()
              + " \""
              + name
              + "\": the object has been modified; please apply your changes to the latest"
              + " version and try again");
    }
    object.put("kind", resource.kind()).put("apiVersion", resource.groupVersion());
    metadata.put("name", name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    for (String kept : List.of("uid", "creationTimestamp")) {
      JsonNode value = previous.path("metadata").get(kept);
      if (value != null) {
        metadata.set(kept, value);
      }
    }
    metadata.put("resourceVersion", current);
    if (object.equals(previous)) {
      return old;
    }
    return commit(resource, namespace, name, object, old);
  }

  private byte[] delete(Resource resource, String namespace, String name) {
    byte[] old = objects.get(resource).remove(key(namespace, name));
    if (old == null) {
      return null;
    }
    ObjectNode object = parseObject(old);
    long rv = ++resourceVersion;
    metadata(object).put("resourceVersion", Long.toString(rv));
    byte[] bytes = write(object);
    record(new Change(rv, resource, namespace, "DELETED", bytes, old));
    return bytes;
  }

  private byte[] commit(
      Resource resource, String namespace, String name, ObjectNode object, byte[] old) {
    long rv = ++resourceVersion;
    metadata(object).put("resourceVersion", Long.toString(rv));
    byte[] bytes = write(object);
    objects.get(resource).put(key(namespace, name), bytes);
    record(new Change(rv, resource, namespace, old == null ? "ADDED" : "MODIFIED", bytes, old));
    return bytes;
  }

  private void record(Change change) {
    history.add(change);
    trimHistory();
    lock.notifyAll();
  }

  private void trimHistory() {
    if (history.size() > historyLimit) {
      List<Change> dropped = history.subList(0, history.size() - historyLimit);
      compactedRv = dropped.getLast().rv();
      dropped.clear();
    }
  }

  private static ObjectNode metadata(ObjectNode object) {
    JsonNode metadata = object.get("metadata");
    if (metadata instanceof ObjectNode m) {
      return m;
    }
    return object.putObject("metadata");
  }

  private static String randomSuffix() {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      s.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return s.toString();
  }

  // ---------------------------------------------------------------- list and watch

  private SortedMap<String, byte[]> scope(Located at) {
    TreeMap<String, byte[]> all = objects.get(at.resource);
    if (at.namespace == null) {
      return all;
    }
    return all.subMap(at.namespace + "/", at.namespace + "0"); // '0' follows '/'
  }

  /**
   * Answers a list. The items are the stored byte arrays themselves, written straight to the
   * response after the lock is released: 10 000 realistic Nodes (125 MB) are never copied.
   */
  private void list(HttpExchange exchange, Located at, Map<String, String> query)
      throws IOException {
    Selector selector = Selector.parse(query.get("fieldSelector"), query.get("labelSelector"));
    int limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : 0;
    String from =
        query.containsKey("continue")
            ? new String(
                Base64.getUrlDecoder().decode(query.get("continue")), StandardCharsets.UTF_8)
            : null;
    List<byte[]> selected = new ArrayList<>();
    String next = null;
    long rv;
    synchronized (lock) {
      rv = resourceVersion;
      SortedMap<String, byte[]> items = scope(at);
      if (from != null) {
        items = items.tailMap(from + "\0");
      }
      String previousKey = null;
      for (Map.Entry<String, byte[]> item : items.entrySet()) {
        if (selector != Selector.ALL && !selector.test(parseObject(item.getValue()))) {
          previousKey = item.getKey();
          continue;
        }
        if (limit > 0 && selected.size() == limit) {
          next =
              Base64.getUrlEncoder().encodeToString(previousKey.getBytes(StandardCharsets.UTF_8));
          break;
        }
        selected.add(item.getValue());
        previousKey = item.getKey();
      }
    }
    ObjectNode metadata = JSON.createObjectNode().put("resourceVersion", Long.toString(rv));
    if (next != null) {
      metadata.put("continue", next);
    }
    byte[] head =
        ("{\"kind\":\""
                + at.resource.kind()
                + "List\",\"apiVersion\":\""
                + at.resource.groupVersion()
                + "\",\"metadata\":"
                + JSON.writeValueAsString(metadata)
                + ",\"items\":[")
            .getBytes(StandardCharsets.UTF_8);
    long length = head.length + Math.max(0, selected.size() - 1) + 2;
    for (byte[] item : selected) {
      length += item.length;
    }
    exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
    exchange.sendResponseHeaders(200, length);
    try (OutputStream out = new BufferedOutputStream(exchange.getResponseBody(), 1 << 16)) {
      out.write(head);
      for (int i = 0; i < selected.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        out.write(selected.get(i));
      }
      out.write(']');
      out.write('}');
    }
  }

  /** What a watch sends next: events, an end, or a bookmark. */
  private record Batch(List<byte[]> lines, long cursor, boolean end, boolean gone) {}

  private void watch(HttpExchange exchange, Located at, Map<String, String> query)
      throws IOException {
    Selector selector = Selector.parse(query.get("fieldSelector"), query.get("labelSelector"));
    String rvText = query.getOrDefault("resourceVersion", "");
    boolean bookmarks = isTrue(query.get("allowWatchBookmarks"));
    long timeoutSeconds =
        query.containsKey("timeoutSeconds")
            ? Long.parseLong(query.get("timeoutSeconds"))
            : DEFAULT_WATCH_TIMEOUT_SECONDS;
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    List<byte[]> initial = new ArrayList<>();
    long cursor;
    long myEpoch;
    synchronized (lock) {
      myEpoch = epoch;
      if (rvText.isEmpty() || rvText.equals("0")) {
        cursor = resourceVersion;
        for (byte[] object : scope(at).values()) {
          if (selector == Selector.ALL || selector.test(parseObject(object))) {
            initial.add(line("ADDED", object));
          }
        }
      } else {
        try {
          cursor = Long.parseLong(rvText);
        } catch (NumberFormatException e) {
          throw new ApiError(400, "BadRequest", "invalid resourceVersion " + rvText);
        }
        if (cursor < compactedRv) {
          throw new ApiError(
              410,
              "Expired",
              "too old resource version: " + cursor + " (" + (compactedRv + 1) + ")");
        }
      }
      activeWatches++;
    }
    try {
      exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      writeLines(out, initial);
      long lastSent = System.nanoTime();
      while (true) {
        Batch batch = next(at, selector, cursor, myEpoch, deadline, bookmarks, lastSent);
        cursor = batch.cursor();
        if (batch.gone()) {
          writeLines(
              out,
              List.of(
                  line(
                      "ERROR",
                      status(
                          new ApiError(410, "Expired", "too old resource version: " + cursor)))));
          return;
        }
        if (!batch.lines().isEmpty()) {
          writeLines(out, batch.lines());
          lastSent = System.nanoTime();
        }
        if (batch.end()) {
          return;
        }
      }
    } catch (IOException e) {
      // The client went away; nothing to tell anybody.
    } finally {
      synchronized (lock) {
        activeWatches--;
      }
    }
  }

  private Batch next(
      Located at,
      Selector selector,
      long cursor,
      long myEpoch,
      long deadline,
      boolean bookmarks,
      long lastSent) {
    synchronized (lock) {
      while (true) {
        if (epoch != myEpoch || closed) {
          return new Batch(List.of(), cursor, true, false);
        }
        if (cursor < compactedRv) {
          return new Batch(List.of(), cursor, true, true);
        }
        List<byte[]> lines = new ArrayList<>();
        for (int i = firstAfter(cursor); i < history.size(); i++) {
          Change change = history.get(i);
          cursor = change.rv();
          if (change.resource() == at.resource
              && (at.namespace == null || at.namespace.equals(change.namespace()))) {
            String type = visibleType(change, selector);
            if (type != null) {
              lines.add(line(type, change.object()));
            }
          }
        }
        cursor = Math.max(cursor, resourceVersion);
        if (!lines.isEmpty()) {
          return new Batch(lines, cursor, false, false);
        }
        long now = System.nanoTime();
        if (now >= deadline) {
          return new Batch(List.of(), cursor, true, false);
        }
        long bookmarkAt = lastSent + bookmarkInterval.toNanos();
        if (bookmarks && now >= bookmarkAt) {
          ObjectNode bookmark =
              JSON.createObjectNode()
                  .put("kind", at.resource.kind())
                  .put("apiVersion", at.resource.groupVersion());
          bookmark.putObject("metadata").put("resourceVersion", Long.toString(cursor));
          return new Batch(List.of(line("BOOKMARK", write(bookmark))), cursor, false, false);
        }
        long wake = bookmarks ? Math.min(deadline, bookmarkAt) : deadline;
        try {
          long millis = Math.max(1, Duration.ofNanos(wake - now).toMillis());
          lock.wait(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new Batch(List.of(), cursor, true, false);
        }
      }
    }
  }

  /** The index of the first change after {@code rv}; history is sorted by resource version. */
  private int firstAfter(long rv) {
    int low = 0;
    int high = history.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (history.get(mid).rv() <= rv) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /**
   * The event type a selecting watch sees: an object that starts matching is ADDED, one that stops
   * matching is DELETED, as in the real API server; null when the watch sees nothing.
   */
  private static String visibleType(Change change, Selector selector) {
    if (selector == Selector.ALL) {
      return change.type();
    }
    boolean now = selector.test(parseObject(change.object()));
    if (change.type().equals("MODIFIED")) {
      boolean before = selector.test(parseObject(change.previous()));
      if (before && now) {
        return "MODIFIED";
      }
      return before ? "DELETED" : now ? "ADDED" : null;
    }
    return now ? change.type() : null;
  }

  private static byte[] line(String type, byte[] object) {
    byte[] head = ("{\"type\":\"" + type + "\",\"object\":").getBytes(StandardCharsets.US_ASCII);
    byte[] line = new byte[head.length + object.length + 2];
    System.arraycopy(head, 0, line, 0, head.length);
    System.arraycopy(object, 0, line, head.length, object.length);
    line[line.length - 2] = '}';
    line[line.length - 1] = '\n';
    return line;
  }

  private static void writeLines(OutputStream out, List<byte[]> lines) throws IOException {
    for (byte[] line : lines) {
      out.write(line);
    }
    out.flush();
  }

  // ---------------------------------------------------------------- responses

  private static byte[] status(ApiError error) {
    ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status
        .put("status", "Failure")
        .put("message", error.getMessage())
        .put("reason", error.reason)
        .put("code", error.code);
    return write(status);
  }

  private static void sendStatus(HttpExchange exchange, ApiError error) throws IOException {
    sendBytes(exchange, error.code, status(error));
  }

  private static void sendJson(HttpExchange exchange, int code, JsonNode body) throws IOException {
    sendBytes(exchange, code, write(body));
  }

  private static void sendBytes(HttpExchange exchange, int code, byte[] body) throws IOException {
    send(exchange, code, JSON_TYPE, body);
  }

  private static void send(HttpExchange exchange, int code, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static ObjectNode versionInfo() {
    return JSON.createObjectNode()
        .put("major", "1")
        .put("minor", "34")
        .put("gitVersion", "v1.34.0-xcluster-cni-fake")
        .put("gitCommit", "0000000000000000000000000000000000000000")
        .put("gitTreeState", "clean")
        .put("buildDate", "2025-01-01T00:00:00Z")
        .put("goVersion", "go1.24.0")
        .put("compiler", "gc")
        .put("platform", "linux/amd64");
  }

  private static ObjectNode groupList() {
    ObjectNode list = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    ObjectNode group = list.putArray("groups").addObject().put("name", "events.k8s.io");
    ObjectNode version =
        JSON.createObjectNode().put("groupVersion", "events.k8s.io/v1").put("version", "v1");
    group.putArray("versions").add(version);
    group.set("preferredVersion", version);
    return list;
  }

  private static ObjectNode resourceList(String groupVersion) {
    ObjectNode list =
        JSON.createObjectNode()
            .put("kind", "APIResourceList")
            .put("apiVersion", "v1")
            .put("groupVersion", groupVersion);
    ArrayNode resources = list.putArray("resources");
    for (Resource resource : RESOURCES) {
      if (!resource.groupVersion().equals(groupVersion)) {
        continue;
      }
      ObjectNode entry =
          resources
              .addObject()
              .put("name", resource.plural())
              .put("singularName", resource.kind().toLowerCase())
              .put("namespaced", resource.namespaced())
              .put("kind", resource.kind());
      ArrayNode verbs = entry.putArray("verbs");
      List.of("create", "delete", "get", "list", "patch", "update", "watch").forEach(verbs::add);
    }
    return list;
  }

  // ---------------------------------------------------------------- JSON

  private static JsonNode parse(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new ApiError(400, "BadRequest", "the body is not JSON: " + e.getMessage());
    }
  }

  private static ObjectNode parseObject(byte[] bytes) {
    if (parse(bytes) instanceof ObjectNode object) {
      return object;
    }
    throw new ApiError(400, "BadRequest", "the body is not a JSON object");
  }

  private static ObjectNode parseObject(String json) {
    try {
      if (JSON.readTree(json) instanceof ObjectNode object) {
        return object;
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
    throw new IllegalArgumentException("not a JSON object");
  }

  private static byte[] write(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      query.putIfAbsent(key, value);
    }
    return query;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
