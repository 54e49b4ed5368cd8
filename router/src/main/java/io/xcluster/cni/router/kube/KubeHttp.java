package io.xcluster.cni.router.kube;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.Pair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * HTTP requests to the API server for the daemon's own few calls (list and watch Nodes, request a
 * token), made with client-java's transport, okhttp, without its generated API: building an {@link
 * ApiClient} always builds client-java's {@code JSON}, whose Gson setup loads more than 700 model
 * adapter classes, some 5 MiB of a daemon that decodes its few answers itself.
 *
 * <p>{@link #lean} serves the usual cases, an https server with its CA and a bearer token (in a
 * pod, the service account's token file, re-read as the kubelet rotates it); {@link #of(ApiClient)}
 * serves every other kind of configuration through the {@code ApiClient} that client-java's {@code
 * ClientBuilder} made for it.
 */
public interface KubeHttp {
  /**
   * A call of {@code method} on {@code path} with {@code query}, accepting JSON.
   *
   * @param body a JSON body, or null
   * @param contentType the body's type, e.g. {@code application/json}; ignored without a body
   */
  Call call(String method, String path, List<Pair> query, String body, String contentType)
      throws IOException;

  /** A GET that accepts JSON. */
  default Call get(String path, List<Pair> query) throws IOException {
    return call("GET", path, query, null, null);
  }

  /** Through client-java's ApiClient: its authentication, TLS and base path. */
  static KubeHttp of(ApiClient client) {
    return (method, path, query, body, contentType) -> {
      Map<String, String> headers = new HashMap<>(Map.of("Accept", "application/json"));
      if (body != null) {
        headers.put("Content-Type", contentType);
      }
      try {
        return client.buildCall(
            null,
            path,
            method,
            new ArrayList<>(query),
            List.of(),
            body == null ? null : body.getBytes(StandardCharsets.UTF_8),
            headers,
            new HashMap<>(),
            new HashMap<>(),
            new String[] {"BearerToken"},
            null);
      } catch (ApiException e) {
        throw new IOException("cannot make the request " + method + " " + path, e);
      }
    };
  }

  /**
   * Straight through okhttp to {@code server}, with {@code token} (called for each request; null or
   * empty for none) as the bearer token.
   */
  static KubeHttp lean(HttpUrl server, OkHttpClient http, Supplier<String> token) {
    // The server's own path (a proxy's prefix, say) without its last slash; each path starts with
    // one.
    String serverPath = server.encodedPath();
    String base =
        serverPath.endsWith("/") ? serverPath.substring(0, serverPath.length() - 1) : serverPath;
    return (method, path, query, body, contentType) -> {
      HttpUrl.Builder url = server.newBuilder().encodedPath(base + path);
      for (Pair p : query) {
        url.addQueryParameter(p.getName(), p.getValue());
      }
      Request.Builder request = new Request.Builder().url(url.build());
      request.header("Accept", "application/json");
      String t = token.get();
      if (t != null && !t.isEmpty()) {
        request.header("Authorization", "Bearer " + t);
      }
      request.method(
          method, body == null ? null : RequestBody.create(body, MediaType.get(contentType)));
      return http.newCall(request.build());
    };
  }
}
