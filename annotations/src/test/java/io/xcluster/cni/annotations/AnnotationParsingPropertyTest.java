package io.xcluster.cni.annotations;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random input never escapes as anything but the typed exceptions: the router must survive any
 * annotation a person or a program writes onto a Node.
 */
class AnnotationParsingPropertyTest {
  private static final int RUNS = 10_000;
  private static final String ALPHABET = "0123456789abcdefABCDEF.:/,% \t-+xg\u0660\u00e9";
  private static final String[] FRAGMENTS = {
    "10.0.0.0/24",
    "fd00::/64",
    "::ffff:",
    "/",
    "::",
    ":",
    ".",
    ",",
    " ",
    "255",
    "256",
    "/33",
    "/129",
    "0000",
    "%eth0",
    "1.2.3.4",
    "99999999999999999999"
  };

  private final NodeAnnotations reader =
      new NodeAnnotations(Optional.of("cidr.example.com/n"), Optional.of("adr.example.com/n"));

  @Test
  void randomValuesOnlyEverThrowTheTypedException() {
    Random random = new Random(20261125L);
    List<String> survivors = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      String value = randomValue(random);
      String addresses = random.nextBoolean() ? randomValue(random) : "192.168.0.1, fd00::1";
      try {
        NodeNetwork network =
            reader.read(
                new NodeFields(
                    "n",
                    Map.of("cidr.example.com/n", value, "adr.example.com/n", addresses),
                    null,
                    null));
        // What parses must be canonical: printing and parsing again gives the same prefixes.
        for (Cidr cidr : network.cidrs()) {
          assertThat(Cidr.parse(cidr.toString())).isEqualTo(cidr);
        }
        survivors.add(value);
      } catch (AnnotationFormatException e) {
        assertThat(e.getMessage()).startsWith(e.key() + ": \"");
      }
    }
    // The generator must reach both outcomes, or the property says nothing.
    assertThat(survivors).isNotEmpty();
    assertThat(survivors.size()).isLessThan(RUNS);
  }

  @Test
  void randomDoubleSlashInputsOnlyThrowIllegalArgument() {
    Random random = new Random(42L);
    int ok = 0;
    for (int i = 0; i < RUNS; i++) {
      String spec = randomValue(random);
      try {
        DoubleSlashCidr.create(spec, BigInteger.valueOf(random.nextInt(300) - 10));
        ok++;
      } catch (IllegalArgumentException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
    assertThat(ok).isLessThan(RUNS);
  }

  private static String randomValue(Random random) {
    StringBuilder sb = new StringBuilder();
    int parts = random.nextInt(5);
    for (int p = 0; p < parts; p++) {
      if (random.nextBoolean()) {
        sb.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
      } else {
        int n = random.nextInt(12);
        for (int c = 0; c < n; c++) {
          sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
      }
    }
    return sb.toString();
  }
}
