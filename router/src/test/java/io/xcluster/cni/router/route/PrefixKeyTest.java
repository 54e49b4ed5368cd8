package io.xcluster.cni.router.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.annotations.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The key agrees with {@link Cidr} on order and overlap, for random and edge-case prefixes. */
class PrefixKeyTest {
  static List<Cidr> samples() throws Exception {
    Random random = new Random(5);
    List<Cidr> cidrs = new ArrayList<>();
    for (String s :
        new String[] {
          "0.0.0.0/0",
          "255.255.255.255/32",
          "10.0.0.0/8",
          "10.0.0.0/24",
          "10.0.1.0/24",
          "::/0",
          "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
          "fd00::/64",
          "fd00::/63",
          "fd00:0:0:1::/64",
          "fd00::1/128",
          "fd00::8000:0:0:0/65"
        }) {
      cidrs.add(Cidr.parse(s));
    }
    for (int i = 0; i < 300; i++) {
      boolean v6 = random.nextBoolean();
      byte[] b = new byte[v6 ? 16 : 4];
      random.nextBytes(b);
      if (random.nextBoolean()) {
        b[0] = 10; // many shared prefixes
      }
      int length = random.nextInt(v6 ? 129 : 33);
      cidrs.add(Cidr.of(InetAddress.getByAddress(b), length));
    }
    return cidrs;
  }

  @Test
  void ordersAndOverlapsLikeCidr() throws Exception {
    List<Cidr> cidrs = samples();
    for (Cidr a : cidrs) {
      for (Cidr b : cidrs) {
        PrefixKey ka = PrefixKey.of(a);
        PrefixKey kb = PrefixKey.of(b);
        assertThat(Integer.signum(ka.compareTo(kb)))
            .as("%s vs %s", a, b)
            .isEqualTo(Integer.signum(a.compareTo(b)));
        assertThat(ka.overlaps(kb)).as("%s overlaps %s", a, b).isEqualTo(a.overlaps(b));
        assertThat(ka.equals(kb)).isEqualTo(a.equals(b));
      }
    }
  }
}
