package io.xcluster.cni.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A field or label selector of the list and watch query, in the equality-based syntax: {@code k=v},
 * {@code k==v}, {@code k!=v}, joined by commas; label selectors also take {@code k} (exists) and
 * {@code !k} (absent). Set-based label selectors ({@code k in (a,b)}) are refused. Field selectors
 * work on any scalar field path ({@code metadata.name}, {@code involvedObject.name}).
 */
final class Selector implements Predicate<JsonNode> {
  static final Selector ALL = new Selector(List.of());

  private record Term(boolean label, String key, String op, String value) {}

  private final List<Term> terms;

  private Selector(List<Term> terms) {
    this.terms = terms;
  }

  /** Parses the two query parameters, either may be null. */
  static Selector parse(String fieldSelector, String labelSelector) {
    List<Term> terms = new ArrayList<>();
    add(terms, fieldSelector, false);
    add(terms, labelSelector, true);
    return terms.isEmpty() ? ALL : new Selector(terms);
  }

  private static void add(List<Term> terms, String selector, boolean label) {
    if (selector == null || selector.isBlank()) {
      return;
    }
    for (String raw : selector.split(",")) {
      String term = raw.strip();
      if (term.contains("(")) {
        throw new IllegalArgumentException("set-based selectors are not supported: " + term);
      }
      int ne = term.indexOf("!=");
      int eq = term.indexOf('=');
      if (ne >= 0) {
        terms.add(new Term(label, term.substring(0, ne).strip(), "!=", term.substring(ne + 2)));
      } else if (eq >= 0) {
        int valueStart = term.startsWith("==", eq) ? eq + 2 : eq + 1;
        terms.add(new Term(label, term.substring(0, eq).strip(), "=", term.substring(valueStart)));
      } else if (!label) {
        throw new IllegalArgumentException("invalid field selector term: " + term);
      } else if (term.startsWith("!")) {
        terms.add(new Term(true, term.substring(1).strip(), "!", ""));
      } else {
        terms.add(new Term(true, term, "exists", ""));
      }
    }
  }

  @Override
  public boolean test(JsonNode object) {
    for (Term term : terms) {
      JsonNode node =
          term.label()
              ? object.path("metadata").path("labels").get(term.key())
              : field(object, term);
      String actual = node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
      boolean ok =
          switch (term.op()) {
            case "=" -> term.value().equals(actual == null && !term.label() ? "" : actual);
            case "!=" -> !term.value().equals(actual == null && !term.label() ? "" : actual);
            case "!" -> actual == null;
            default -> actual != null;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode field(JsonNode object, Term term) {
    JsonNode node = object;
    for (String part : term.key().split("\\.")) {
      node = node.path(part);
    }
    return node;
  }
}
