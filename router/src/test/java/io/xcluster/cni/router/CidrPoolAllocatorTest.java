package io.xcluster.cni.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xcluster.cni.annotations.Cidr;
import io.xcluster.cni.router.CidrPoolAllocator.Plan;
import io.xcluster.cni.router.CidrPoolAllocator.Pool;
import io.xcluster.cni.router.CidrPoolAllocator.PoolExhaustedException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CidrPoolAllocatorTest {
  private static final String KEY = "cidr.example.com/net3";
  private static final List<Pool> V4 = pools("172.20.0.0/16", 24);
  private static final List<Pool> DUAL = pools("172.20.0.0/16", 24, "fd00:5::/64", 112);

  /**
   * One case: the pools, every node's current value ({@code null} = no annotation), the expected
   * new values by node in order, and the nodes expected to be reported.
   */
  record Case(
      String name,
      List<Pool> pools,
      Map<String, String> values,
      Map<String, String> expected,
      List<String> problems) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
            new Case("no nodes", V4, nodes(), Map.of(), List.of()),
            new Case(
                "every node lacks it: lowest CIDRs, in name order",
                V4,
                nodes("c", null, "a", null, "b", null),
                ordered("a", "172.20.0.0/24", "b", "172.20.1.0/24", "c", "172.20.2.0/24"),
                List.of()),
            new Case(
                "every node has it: nothing to do",
                V4,
                nodes("a", "172.20.7.0/24", "b", "10.0.0.0/24"),
                Map.of(),
                List.of()),
            new Case(
                "holes are filled first",
                V4,
                nodes("a", "172.20.0.0/24", "b", "172.20.2.0/24", "x", null, "y", null),
                ordered("x", "172.20.1.0/24", "y", "172.20.3.0/24"),
                List.of()),
            new Case(
                "a shorter CIDR in use blocks every CIDR inside it",
                V4,
                nodes("a", "172.20.0.0/23", "b", null),
                ordered("b", "172.20.2.0/24"),
                List.of()),
            new Case(
                "a longer CIDR in use blocks the CIDR around it",
                V4,
                nodes("a", "172.20.0.64/26", "b", null),
                ordered("b", "172.20.1.0/24"),
                List.of()),
            new Case(
                "host bits set in a value: the prefix counts as in use",
                V4,
                nodes("a", "172.20.0.5/24", "b", null),
                ordered("b", "172.20.1.0/24"),
                List.of()),
            new Case(
                "CIDRs outside the pool do not matter",
                V4,
                nodes("a", "10.0.0.0/8, fd00::/8", "b", null),
                ordered("b", "172.20.0.0/24"),
                List.of()),
            new Case(
                "a malformed value is reported, left alone, and its CIDRs never reused",
                V4,
                nodes("bad", "172.20.0.0/24,oops", "ok", null),
                ordered("ok", "172.20.1.0/24"),
                List.of("bad")),
            new Case(
                "an empty value is malformed, not missing",
                V4,
                nodes("empty", "", "b", null),
                ordered("b", "172.20.0.0/24"),
                List.of("empty")),
            new Case(
                "dual-stack: one CIDR from each pool, in pool order",
                DUAL,
                nodes("a", "172.20.0.0/24,fd00:5::/112", "b", null, "c", null),
                ordered(
                    "b", "172.20.1.0/24,fd00:5::1:0/112",
                    "c", "172.20.2.0/24,fd00:5::2:0/112"),
                List.of()),
            new Case(
                "a node with only one family is left as it is",
                DUAL,
                nodes("a", "172.20.0.0/24", "b", null),
                ordered("b", "172.20.1.0/24,fd00:5::/112"),
                List.of()),
            new Case(
                "a pool fits exactly",
                pools("10.1.0.0/30", 31),
                nodes("a", null, "b", null),
                ordered("a", "10.1.0.0/31", "b", "10.1.0.2/31"),
                List.of()),
            new Case(
                "the pool itself as the only CIDR",
                pools("10.1.0.0/24", 24),
                nodes("a", null),
                ordered("a", "10.1.0.0/24"),
                List.of()),
            new Case(
                "/32 and /128 per node",
                pools("10.1.0.0/31", 32, "fd00::/127", 128),
                nodes("a", null, "b", null),
                ordered("a", "10.1.0.0/32,fd00::/128", "b", "10.1.0.1/32,fd00::1/128"),
                List.of()),
            new Case(
                "an IPv6 pool below the IPv4-mapped range",
                pools("::/64", 96),
                nodes("a", "::/96,::1:0:0/96", "b", null),
                ordered("b", "::2:0:0/96"),
                List.of()))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(Case c) {
    Plan plan = CidrPoolAllocator.plan(KEY, c.pools(), c.values());

    Map<String, String> actual = new LinkedHashMap<>();
    plan.assignments().forEach(a -> actual.put(a.node(), a.value()));
    assertThat(actual).containsExactlyEntriesOf(c.expected());
    assertThat(plan.problems())
        .extracting(CidrPoolAllocator.Problem::node)
        .containsExactlyElementsOf(c.problems());
    assertThat(plan.annotated())
        .containsExactlyElementsOf(
            c.values().entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(Map.Entry::getKey)
                .sorted()
                .toList());
  }

  @Test
  void aMalformedValueIsNamedInTheProblem() {
    Plan plan = CidrPoolAllocator.plan(KEY, V4, nodes("bad", "172.20.0.0/24,oops"));

    assertThat(plan.problems().getFirst().message()).contains(KEY, "oops", "left as it is");
  }

  @Test
  void anExhaustedPoolAssignsNothing() {
    assertThatThrownBy(
            () ->
                CidrPoolAllocator.plan(
                    KEY, pools("10.1.0.0/30", 31), nodes("a", "10.1.0.0/31", "b", null, "c", null)))
        .isInstanceOf(PoolExhaustedException.class)
        .hasMessage(
            "pool 10.1.0.0/30 has 1 free /31 but 2 nodes need one; nothing was changed"
                + " (add a pool or use a longer prefix length)");
  }

  @Test
  void aLargeIpv6PoolIsNotEnumerated() {
    Plan plan =
        CidrPoolAllocator.plan(KEY, pools("fd00::/16", 112), nodes("a", "fd00::/17", "b", null));

    assertThat(plan.assignments().getFirst().cidrs())
        .containsExactly(Cidr.parse("fd00:8000::/112"));
  }

  @Test
  void theIpv4MappedRangeIsNeverHandedOut() {
    // Everything of ::/80 below ::ffff:0:0/96 is in use; a value in the mapped range would be
    // read back as IPv4 (::ffff:0:0/96 is 0.0.0.0/0), so the next block is after it.
    StringBuilder below = new StringBuilder("::/81");
    for (int length = 82; length <= 96; length++) {
      int group = 0xffff & ~((1 << (96 - length + 1)) - 1);
      below.append(",::").append(Integer.toHexString(group)).append(":0:0/").append(length);
    }
    Plan plan =
        CidrPoolAllocator.plan(KEY, pools("::/64", 96), nodes("a", below.toString(), "b", null));

    assertThat(plan.problems()).isEmpty();
    assertThat(plan.assignments().getFirst().value()).isEqualTo("::1:0:0:0/96");
  }

  @Test
  void poolsAreChecked() {
    assertThatThrownBy(() -> new Pool(Cidr.parse("172.20.0.0/16"), 8))
        .hasMessage("prefix length 8 does not fit pool 172.20.0.0/16: it must be from 16 to 32");
    assertThatThrownBy(() -> new Pool(Cidr.parse("fd00::/64"), 129))
        .hasMessageContaining("from 64 to 128");
    assertThatThrownBy(
            () -> CidrPoolAllocator.checkPools(pools("10.0.0.0/8", 24, "10.1.0.0/16", 24)))
        .hasMessage("pools 10.0.0.0/8 and 10.1.0.0/16 overlap");
    assertThatThrownBy(() -> CidrPoolAllocator.checkPools(List.of()))
        .hasMessage("at least one pool is needed");
  }

  private static List<Pool> pools(Object... cidrAndLength) {
    List<Pool> pools = new java.util.ArrayList<>();
    for (int i = 0; i < cidrAndLength.length; i += 2) {
      pools.add(new Pool(Cidr.parse((String) cidrAndLength[i]), (Integer) cidrAndLength[i + 1]));
    }
    return pools;
  }

  /** Node name, value pairs; a null value means the node lacks the annotation. */
  private static Map<String, String> nodes(String... nameAndValue) {
    Map<String, String> nodes = new HashMap<>();
    for (int i = 0; i < nameAndValue.length; i += 2) {
      nodes.put(nameAndValue[i], nameAndValue[i + 1]);
    }
    return nodes;
  }

  private static Map<String, String> ordered(String... nameAndValue) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < nameAndValue.length; i += 2) {
      map.put(nameAndValue[i], nameAndValue[i + 1]);
    }
    return map;
  }
}
