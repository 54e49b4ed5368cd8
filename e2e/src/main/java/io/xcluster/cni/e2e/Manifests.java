package io.xcluster.cni.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository's manifests, read as a cluster would get them. */
public final class Manifests {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Manifests() {}

  /**
   * The CNI config of the example NetworkAttachmentDefinition (manifests/examples), the string
   * Multus hands to the bridge plugin.
   */
  public static String nadConfig(Path repo) throws IOException {
    try (Stream<Path> files = Files.list(repo.resolve("manifests/examples"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (JsonNode doc : documents(f)) {
          if ("NetworkAttachmentDefinition".equals(doc.path("kind").asText())) {
            return doc.path("spec").path("config").asText();
          }
        }
      }
    }
    throw new IOException(
        "no NetworkAttachmentDefinition in " + repo.resolve("manifests/examples"));
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    try (YAMLParser parser = ((YAMLFactory) YAML.getFactory()).createParser(file.toFile())) {
      return YAML.readValues(parser, JsonNode.class).readAll();
    }
  }
}
