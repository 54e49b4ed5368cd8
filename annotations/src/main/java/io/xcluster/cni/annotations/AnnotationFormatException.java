package io.xcluster.cni.annotations;

/**
 * A Node field that cannot be used, with the key it came from, the bad value and what is wrong:
 * {@code cidr.example.com/net3: "10.0.0.0/33" is not a CIDR: prefix length 33 exceeds 32}.
 *
 * <p>The key is an annotation name, or {@code spec.podCIDRs} / {@code status.addresses} where the
 * value came from the Node's own fields.
 */
public final class AnnotationFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String value;
  private final String reason;

  public AnnotationFormatException(String key, String value, String reason) {
    super(key + ": \"" + value + "\" " + reason);
    this.key = key;
    this.value = value;
    this.reason = reason;
  }

  /** The annotation name (or Node field) the value came from. */
  public String key() {
    return key;
  }

  /** The offending value: the one list item that is bad, or the whole value. */
  public String value() {
    return value;
  }

  /** What is wrong, without key and value: {@code is not a CIDR: prefix length 33 exceeds 32}. */
  public String reason() {
    return reason;
  }
}
