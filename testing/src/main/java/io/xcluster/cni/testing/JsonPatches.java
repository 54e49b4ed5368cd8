package io.xcluster.cni.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The three patch types the API server takes for built-in objects, as far as a test needs them.
 *
 * <ul>
 *   <li>JSON merge patch (RFC 7386), exact.
 *   <li>Strategic merge patch: a merge patch that also understands the {@code $patch: delete} and
 *       {@code $patch: replace} directives on maps and drops other {@code $} directives. Lists are
 *       replaced, not merged by their merge key: enough for metadata, annotations, labels and spec
 *       fields; not for merging single entries into {@code status.addresses}.
 *   <li>JSON patch (RFC 6902), exact: add, remove, replace, move, copy, test.
 * </ul>
 */
final class JsonPatches {
  private JsonPatches() {}

  /** A patch that cannot be applied; the API server answers 422 or 400. */
  static final class PatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PatchException(String message) {
      super(message);
    }
  }

  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    return merge(target, patch, false);
  }

  static JsonNode strategicMergePatch(JsonNode target, JsonNode patch) {
    return merge(target, patch, true);
  }

  private static JsonNode merge(JsonNode target, JsonNode patch, boolean strategic) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    if (strategic && patch.has("$patch")) {
      String directive = patch.get("$patch").asText();
      switch (directive) {
        case "delete":
          return null;
        case "replace":
          ObjectNode replaced = ((ObjectNode) patch).deepCopy();
          replaced.remove("$patch");
          return replaced;
        default:
          throw new PatchException("unknown $patch directive '" + directive + "'");
      }
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (strategic && key.startsWith("$")) {
        continue; // $setElementOrder/..., $retainKeys, $deleteFromPrimitiveList/...: ordering hints
      }
      if (value.isNull()) {
        result.remove(key);
        continue;
      }
      JsonNode merged = merge(result.get(key), value, strategic);
      if (merged == null) {
        result.remove(key);
      } else {
        result.set(key, merged);
      }
    }
    return result;
  }

  /** Applies an RFC 6902 patch (a JSON array of operations) to a copy of {@code target}. */
  static JsonNode jsonPatch(JsonNode target, JsonNode patch) {
    if (!patch.isArray()) {
      throw new PatchException("a JSON patch must be an array of operations");
    }
    JsonNode doc = target.deepCopy();
    for (JsonNode op : patch) {
      String kind = text(op, "op");
      List<String> path = pointer(text(op, "path"));
      switch (kind) {
        case "add" -> doc = add(doc, path, value(op));
        case "remove" -> {
          get(doc, path);
          doc = remove(doc, path);
        }
        case "replace" -> {
          get(doc, path);
          doc = add(remove(doc, path), path, value(op));
        }
        case "move" -> {
          List<String> from = pointer(text(op, "from"));
          JsonNode moved = get(doc, from);
          doc = add(remove(doc, from), path, moved);
        }
        case "copy" -> doc = add(doc, path, get(doc, pointer(text(op, "from"))).deepCopy());
        case "test" -> {
          if (!get(doc, path).equals(value(op))) {
            throw new PatchException("test operation failed at " + text(op, "path"));
          }
        }
        default -> throw new PatchException("unknown JSON patch operation '" + kind + "'");
      }
    }
    return doc;
  }

  private static String text(JsonNode op, String field) {
    JsonNode node = op.get(field);
    if (node == null || !node.isTextual()) {
      throw new PatchException("JSON patch operation without '" + field + "': " + op);
    }
    return node.asText();
  }

  private static JsonNode value(JsonNode op) {
    if (!op.has("value")) {
      throw new PatchException("JSON patch operation without 'value': " + op);
    }
    return op.get("value").deepCopy();
  }

  private static List<String> pointer(String pointer) {
    if (pointer.isEmpty()) {
      return List.of();
    }
    if (!pointer.startsWith("/")) {
      throw new PatchException("a JSON pointer starts with '/': " + pointer);
    }
    List<String> tokens = new ArrayList<>();
    for (String token : pointer.substring(1).split("/", -1)) {
      tokens.add(token.replace("~1", "/").replace("~0", "~"));
    }
    return tokens;
  }

  private static JsonNode get(JsonNode doc, List<String> path) {
    JsonNode node = doc;
    for (String token : path) {
      node = child(node, token);
      if (node == null) {
        throw new PatchException("path /" + String.join("/", path) + " does not exist");
      }
    }
    return node;
  }

  private static JsonNode child(JsonNode node, String token) {
    if (node.isObject()) {
      return node.get(token);
    }
    if (node.isArray()) {
      int index = index(token, node.size() - 1);
      return node.get(index);
    }
    return null;
  }

  private static int index(String token, int max) {
    try {
      int index = Integer.parseInt(token);
      if (index < 0 || index > max || (token.length() > 1 && token.startsWith("0"))) {
        throw new PatchException("array index " + token + " out of range");
      }
      return index;
    } catch (NumberFormatException e) {
      throw new PatchException("'" + token + "' is not an array index");
    }
  }

  private static JsonNode add(JsonNode doc, List<String> path, JsonNode value) {
    if (path.isEmpty()) {
      return value;
    }
    JsonNode parent = get(doc, path.subList(0, path.size() - 1));
    String last = path.getLast();
    if (parent instanceof ObjectNode object) {
      object.set(last, value);
    } else if (parent instanceof ArrayNode array) {
      if (last.equals("-")) {
        array.add(value);
      } else {
        array.insert(index(last, array.size()), value);
      }
    } else {
      throw new PatchException("cannot add below a scalar at /" + String.join("/", path));
    }
    return doc;
  }

  private static JsonNode remove(JsonNode doc, List<String> path) {
    if (path.isEmpty()) {
      return JsonNodeFactory.instance.nullNode();
    }
    JsonNode parent = get(doc, path.subList(0, path.size() - 1));
    String last = path.getLast();
    if (parent instanceof ObjectNode object) {
      if (object.remove(last) == null) {
        throw new PatchException("path /" + String.join("/", path) + " does not exist");
      }
    } else if (parent instanceof ArrayNode array) {
      array.remove(index(last, array.size() - 1));
    } else {
      throw new PatchException("path /" + String.join("/", path) + " does not exist");
    }
    return doc;
  }
}
