package io.xcluster.cni.ipam;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader and writer over plain Java values: objects are {@code
 * LinkedHashMap<String,Object>} (member order kept), arrays {@code ArrayList<Object>}, strings
 * {@code String}, numbers {@code BigDecimal}, {@code Boolean}, and {@code null}.
 *
 * <p>Why not Jackson: the plugin runs once per pod, and loading Jackson costs more than the whole
 * warm ADD may take. A tree of plain values also keeps every field of the network configuration
 * that the plugin does not know, which it must pass on to host-local unchanged, and needs no
 * reflection (ready for a native image).
 */
public final class Json {
  private static final int MAX_DEPTH = 64;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final String text;
  private int pos;
  private int depth;

  private Json(String text) {
    this.text = text;
  }

  /** Thrown for text that is not one complete JSON value. */
  public static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message, int offset) {
      super(message + " at offset " + offset);
    }
  }

  /** Parses one JSON value, with only whitespace around it. */
  public static Object parse(String text) throws ParseException {
    Json p = new Json(text);
    p.skipSpace();
    Object value = p.value();
    p.skipSpace();
    if (p.pos != text.length()) {
      throw new ParseException("unexpected text after the JSON value", p.pos);
    }
    return value;
  }

  /** Parses a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) throws ParseException {
    Object value = parse(text);
    if (!(value instanceof Map)) {
      throw new ParseException("expected a JSON object", 0);
    }
    return (Map<String, Object>) value;
  }

  private Object value() throws ParseException {
    if (pos >= text.length()) {
      throw new ParseException("unexpected end of input", pos);
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw new ParseException("unexpected character '" + c + "'", pos);
    }
  }

  private Map<String, Object> object() throws ParseException {
    enter();
    pos++;
    Map<String, Object> map = new LinkedHashMap<>();
    skipSpace();
    if (peek() == '}') {
      pos++;
      depth--;
      return map;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw new ParseException("expected a member name", pos);
      }
      String key = string();
      skipSpace();
      expect(':');
      skipSpace();
      map.put(key, value());
      skipSpace();
      char c = next();
      if (c == '}') {
        depth--;
        return map;
      }
      if (c != ',') {
        throw new ParseException("expected ',' or '}'", pos - 1);
      }
    }
  }

  private List<Object> array() throws ParseException {
    enter();
    pos++;
    List<Object> list = new ArrayList<>();
    skipSpace();
    if (peek() == ']') {
      pos++;
      depth--;
      return list;
    }
    while (true) {
      skipSpace();
      list.add(value());
      skipSpace();
      char c = next();
      if (c == ']') {
        depth--;
        return list;
      }
      if (c != ',') {
        throw new ParseException("expected ',' or ']'", pos - 1);
      }
    }
  }

  private void enter() throws ParseException {
    if (++depth > MAX_DEPTH) {
      throw new ParseException("nested deeper than " + MAX_DEPTH, pos);
    }
  }

  private String string() throws ParseException {
    pos++;
    StringBuilder sb = null;
    int start = pos;
    while (true) {
      if (pos >= text.length()) {
        throw new ParseException("unterminated string", start - 1);
      }
      char c = text.charAt(pos);
      if (c == '"') {
        String s = sb == null ? text.substring(start, pos) : sb.append(text, start, pos).toString();
        pos++;
        return s;
      }
      if (c < 0x20) {
        throw new ParseException("control character in string", pos);
      }
      if (c == '\\') {
        if (sb == null) {
          sb = new StringBuilder();
        }
        sb.append(text, start, pos);
        pos++;
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (pos + 4 > text.length()) {
              throw new ParseException("truncated \\u escape", pos);
            }
            int cp = 0;
            for (int i = 0; i < 4; i++) {
              int d = Character.digit(text.charAt(pos + i), 16);
              if (d < 0) {
                throw new ParseException("bad \\u escape", pos);
              }
              cp = cp * 16 + d;
            }
            pos += 4;
            sb.append((char) cp);
          }
          default -> throw new ParseException("bad escape '\\" + e + "'", pos - 1);
        }
        start = pos;
      } else {
        pos++;
      }
    }
  }

  private BigDecimal number() throws ParseException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw new ParseException("bad number", start);
    }
    if (peek() == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw new ParseException("bad number", start);
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw new ParseException("bad number", start);
      }
      digits();
    }
    return new BigDecimal(text.substring(start, pos));
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private Object literal(String word, Object value) throws ParseException {
    if (!text.startsWith(word, pos)) {
      throw new ParseException("unexpected text", pos);
    }
    pos += word.length();
    return value;
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private char next() throws ParseException {
    if (pos >= text.length()) {
      throw new ParseException("unexpected end of input", pos);
    }
    return text.charAt(pos++);
  }

  private void expect(char c) throws ParseException {
    if (next() != c) {
      throw new ParseException("expected '" + c + "'", pos - 1);
    }
  }

  /** Writes a value tree as compact JSON. */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder(256);
    write(sb, value);
    return sb.toString();
  }

  // Plain instanceof chains, not a pattern switch: a type switch is an invokedynamic call site,
  // and bootstrapping one costs start time on every run.
  private static void write(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof String s) {
      quote(sb, s);
    } else if (value instanceof Boolean || value instanceof BigDecimal) {
      sb.append(value);
    } else if (value instanceof Integer || value instanceof Long) {
      sb.append(value);
    } else if (value instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        quote(sb, String.valueOf(e.getKey()));
        sb.append(':');
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (value instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(sb, l.get(i));
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  // Typed access to members, for reading configurations.

  /** A string member, absent when missing or null; a member of another type is an error. */
  public static String string(Map<String, Object> object, String key) {
    Object v = object.get(key);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw new IllegalArgumentException("\"" + key + "\" must be a string");
  }

  /** An object member, absent when missing or null. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(Map<String, Object> object, String key) {
    Object v = object.get(key);
    if (v == null || v instanceof Map) {
      return (Map<String, Object>) v;
    }
    throw new IllegalArgumentException("\"" + key + "\" must be an object");
  }

  /** An array member, absent when missing or null. */
  @SuppressWarnings("unchecked")
  public static List<Object> array(Map<String, Object> object, String key) {
    Object v = object.get(key);
    if (v == null || v instanceof List) {
      return (List<Object>) v;
    }
    throw new IllegalArgumentException("\"" + key + "\" must be an array");
  }

  /** An array of strings, absent when missing or null. */
  public static List<String> strings(Map<String, Object> object, String key) {
    List<Object> list = array(object, key);
    if (list == null) {
      return null;
    }
    List<String> out = new ArrayList<>(list.size());
    for (Object o : list) {
      if (!(o instanceof String s)) {
        throw new IllegalArgumentException("\"" + key + "\" must be an array of strings");
      }
      out.add(s);
    }
    return out;
  }
}
