package io.xcluster.cni.router.nodes;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeAddress;
import io.kubernetes.client.openapi.models.V1NodeList;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.Watch;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Nodes from the API server's JSON as it streams in, straight into the slim Nodes of {@link
 * NodeProjection}: the images, conditions and managed fields that make up most of a Node are
 * skipped token by token, never built. Decoding a list page into client-java's models first parses
 * it into a tree, then into objects (a page of 250 busy Nodes is tens of MiB), and makes Gson load
 * and link every generated model class; this reads a Node list in one pass with a few KiB of state.
 *
 * <p>The result is what {@link NodeProjection#slim} makes of the full object, field for field.
 * Values of an unexpected JSON type are skipped as if absent, so one odd field never loses a list.
 */
final class NodeJson {
  private final NodeProjection projection;

  NodeJson(NodeProjection projection) {
    this.projection = projection;
  }

  /** A page of {@code GET /api/v1/nodes}: the Nodes, the resource version and continue token. */
  V1NodeList readList(Reader json) throws IOException {
    JsonReader in = new JsonReader(json);
    V1NodeList list = new V1NodeList();
    List<V1Node> items = new ArrayList<>();
    in.beginObject();
    while (in.hasNext()) {
      switch (in.nextName()) {
        case "apiVersion" -> list.setApiVersion(string(in));
        case "kind" -> list.setKind(string(in));
        case "metadata" -> list.setMetadata(listMeta(in));
        case "items" -> {
          if (in.peek() == JsonToken.BEGIN_ARRAY) {
            in.beginArray();
            while (in.hasNext()) {
              node(in, items);
            }
            in.endArray();
          } else {
            in.skipValue();
          }
        }
        default -> in.skipValue();
      }
    }
    in.endObject();
    if (list.getMetadata() == null) {
      list.setMetadata(new V1ListMeta());
    }
    list.setItems(items);
    return list;
  }

  /**
   * One line of a watch: {@code {"type":"ADDED","object":{...}}}. An {@code ERROR} event carries a
   * Status, which becomes {@link Watch.Response#status}.
   */
  Watch.Response<V1Node> readEvent(String line) throws IOException {
    return readEvent(line, null);
  }

  /** With {@code knownType} from a first pass, for the rare writer that puts the object first. */
  private Watch.Response<V1Node> readEvent(String line, String knownType) throws IOException {
    JsonReader in = new JsonReader(new StringReader(line));
    String type = knownType;
    boolean objectBeforeType = false;
    V1Node node = null;
    V1Status status = null;
    in.beginObject();
    while (in.hasNext()) {
      String name = in.nextName();
      if (name.equals("type")) {
        type = string(in);
      } else if (name.equals("object") && type == null) {
        // The API server writes the type first; whether the object is a Status depends on it.
        objectBeforeType = true;
        in.skipValue();
      } else if (name.equals("object") && in.peek() == JsonToken.BEGIN_OBJECT) {
        if ("ERROR".equals(type)) {
          status = status(in);
        } else {
          List<V1Node> one = new ArrayList<>(1);
          node(in, one);
          node = one.getFirst();
        }
      } else {
        in.skipValue();
      }
    }
    in.endObject();
    if (type == null) {
      throw new IOException("watch event without a type: " + abbreviate(line));
    }
    if (objectBeforeType) {
      return readEvent(line, type);
    }
    if (status != null) {
      return new Watch.Response<>(type, status);
    }
    if (node == null) {
      throw new IOException("watch event " + type + " without an object: " + abbreviate(line));
    }
    return new Watch.Response<>(type, node);
  }

  private void node(JsonReader in, List<V1Node> into) throws IOException {
    if (in.peek() != JsonToken.BEGIN_OBJECT) {
      in.skipValue();
      return;
    }
    String apiVersion = null;
    String kind = null;
    V1ObjectMeta meta = new V1ObjectMeta();
    Map<String, String> annotations = new HashMap<>(2);
    String podCidr = null;
    List<String> podCidrs = null;
    List<V1NodeAddress> internal = new ArrayList<>(2);
    in.beginObject();
    while (in.hasNext()) {
      switch (in.nextName()) {
        case "apiVersion" -> apiVersion = string(in);
        case "kind" -> kind = string(in);
        case "metadata" -> {
          if (!beginObject(in)) {
            continue;
          }
          while (in.hasNext()) {
            switch (in.nextName()) {
              case "name" -> meta.setName(string(in));
              case "uid" -> meta.setUid(string(in));
              case "resourceVersion" -> meta.setResourceVersion(string(in));
              case "creationTimestamp" -> meta.setCreationTimestamp(timestamp(in));
              case "annotations" -> annotations(in, annotations);
              default -> in.skipValue();
            }
          }
          in.endObject();
        }
        case "spec" -> {
          if (!beginObject(in)) {
            continue;
          }
          while (in.hasNext()) {
            switch (in.nextName()) {
              case "podCIDR" -> podCidr = string(in);
              case "podCIDRs" -> podCidrs = strings(in);
              default -> in.skipValue();
            }
          }
          in.endObject();
        }
        case "status" -> {
          if (!beginObject(in)) {
            continue;
          }
          while (in.hasNext()) {
            if (in.nextName().equals("addresses") && in.peek() == JsonToken.BEGIN_ARRAY) {
              internalAddresses(in, internal);
            } else {
              in.skipValue();
            }
          }
          in.endObject();
        }
        default -> in.skipValue();
      }
    }
    in.endObject();
    into.add(
        NodeProjection.slimNode(apiVersion, kind, meta, annotations, podCidr, podCidrs, internal));
  }

  private void annotations(JsonReader in, Map<String, String> kept) throws IOException {
    if (!beginObject(in)) {
      return;
    }
    while (in.hasNext()) {
      String key = in.nextName();
      if (projection.keeps(key) && in.peek() == JsonToken.STRING) {
        kept.put(key, in.nextString());
      } else {
        in.skipValue();
      }
    }
    in.endObject();
  }

  private static void internalAddresses(JsonReader in, List<V1NodeAddress> into)
      throws IOException {
    in.beginArray();
    while (in.hasNext()) {
      if (!beginObject(in)) {
        continue;
      }
      String type = null;
      String address = null;
      while (in.hasNext()) {
        switch (in.nextName()) {
          case "type" -> type = string(in);
          case "address" -> address = string(in);
          default -> in.skipValue();
        }
      }
      in.endObject();
      if (NodeProjection.INTERNAL_IP.equals(type)) {
        into.add(new V1NodeAddress().type(NodeProjection.INTERNAL_IP).address(address));
      }
    }
    in.endArray();
  }

  private static V1ListMeta listMeta(JsonReader in) throws IOException {
    V1ListMeta meta = new V1ListMeta();
    if (!beginObject(in)) {
      return meta;
    }
    while (in.hasNext()) {
      switch (in.nextName()) {
        case "resourceVersion" -> meta.setResourceVersion(string(in));
        case "continue" -> meta.setContinue(string(in));
        case "remainingItemCount" -> {
          if (in.peek() == JsonToken.NUMBER) {
            meta.setRemainingItemCount(in.nextLong());
          } else {
            in.skipValue();
          }
        }
        default -> in.skipValue();
      }
    }
    in.endObject();
    return meta;
  }

  private static V1Status status(JsonReader in) throws IOException {
    V1Status status = new V1Status();
    in.beginObject();
    while (in.hasNext()) {
      switch (in.nextName()) {
        case "status" -> status.setStatus(string(in));
        case "message" -> status.setMessage(string(in));
        case "reason" -> status.setReason(string(in));
        case "code" -> {
          if (in.peek() == JsonToken.NUMBER) {
            status.setCode(in.nextInt());
          } else {
            in.skipValue();
          }
        }
        default -> in.skipValue();
      }
    }
    in.endObject();
    return status;
  }

  /** Enters an object, or skips a value of another type and says so. */
  private static boolean beginObject(JsonReader in) throws IOException {
    if (in.peek() == JsonToken.BEGIN_OBJECT) {
      in.beginObject();
      return true;
    }
    in.skipValue();
    return false;
  }

  private static String string(JsonReader in) throws IOException {
    if (in.peek() == JsonToken.STRING) {
      return in.nextString();
    }
    in.skipValue();
    return null;
  }

  private static List<String> strings(JsonReader in) throws IOException {
    if (in.peek() != JsonToken.BEGIN_ARRAY) {
      in.skipValue();
      return null;
    }
    List<String> values = new ArrayList<>(2);
    in.beginArray();
    while (in.hasNext()) {
      String s = string(in);
      if (s != null) {
        values.add(s);
      }
    }
    in.endArray();
    return values;
  }

  /** RFC 3339, as the API writes it; a value that does not parse is treated as absent. */
  private static OffsetDateTime timestamp(JsonReader in) throws IOException {
    String s = string(in);
    if (s == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
