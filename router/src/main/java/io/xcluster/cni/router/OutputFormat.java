package io.xcluster.cni.router;

/** {@code -o text} (for people) or {@code -o json} (for programs). */
enum OutputFormat {
  text,
  json
}
