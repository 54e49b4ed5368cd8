package io.xcluster.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RangeCacheTest {
  @TempDir Path dir;
  final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  final Log log = new Log(logged, Log.TRACE);

  static final RangeCache.Delegate HOST_LOCAL =
      new RangeCache.Delegate("/usr/lib/cni/host-local", 10, 20, List.of("1.0.0"));

  @Test
  void writesAndReadsBack() throws Exception {
    RangeCache cache = new RangeCache(dir.resolve("new/dir"), log);
    assertThat(cache.read()).isEqualTo(RangeCache.Entry.EMPTY);

    cache.update(e -> e.withRanges("vm-2", "a/b", List.of("10.0.0.0/24", "fd00::/64")));
    cache.update(e -> e.withDelegate(HOST_LOCAL));

    RangeCache.Entry read = new RangeCache(dir.resolve("new/dir"), log).read();
    assertThat(read.cidrsFor("a/b", null)).containsExactly("10.0.0.0/24", "fd00::/64");
    assertThat(read.cidrsFor("a/b", "vm-2")).isNotNull();
    assertThat(read.cidrsFor("a/b", "vm-3")).isNull();
    assertThat(read.cidrsFor(null, null)).isNull();
    assertThat(read.delegate()).isEqualTo(HOST_LOCAL);
    try (var files = Files.list(dir.resolve("new/dir"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("kube-node.json", "kube-node.lock");
    }
  }

  @Test
  void aCorruptFileCountsAsMissingAndIsReplaced() throws Exception {
    RangeCache cache = new RangeCache(dir, log);
    for (String corrupt :
        List.of(
            "{\"format\":1,\"cidrs\":[\"10.0.0.1/24\"]}",
            "{\"format\":1,\"cidrs\":[]}",
            "{\"format\":2}",
            "{\"format\":1,\"hostLocal\":{\"path\":\"/x\"}}",
            "{\"format\":1,\"cid",
            "\u0000\u0001garbage")) {
      Files.writeString(cache.file(), corrupt);
      assertThat(cache.read()).as(corrupt).isEqualTo(RangeCache.Entry.EMPTY);
    }
    assertThat(logged.toString()).contains("ignoring the corrupt cache");

    cache.update(e -> e.withRanges("vm-2", null, List.of("10.0.0.0/24")));
    assertThat(cache.read().cidrsFor(null, null)).containsExactly("10.0.0.0/24");
  }

  @Test
  void anUnchangedEntryIsNotRewritten() throws Exception {
    RangeCache cache = new RangeCache(dir, log);
    cache.update(e -> e.withRanges("vm-2", null, List.of("10.0.0.0/24")));
    Files.setLastModifiedTime(cache.file(), java.nio.file.attribute.FileTime.fromMillis(1000));
    cache.update(e -> e.withRanges("vm-2", null, List.of("10.0.0.0/24")));
    assertThat(Files.getLastModifiedTime(cache.file()).toMillis()).isEqualTo(1000);
  }

  @Test
  void updatesAreExclusiveAndReadersSeeOnlyWholeFiles() throws Exception {
    RangeCache cache = new RangeCache(dir, log);
    cache.update(e -> e.withRanges("vm-2", null, List.of("10.0.0.0/24")));
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<RangeCache.Entry> secondSaw = new AtomicReference<>();
    Thread first =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    cache.update(
                        e -> {
                          inside.countDown();
                          await(release);
                          return e.withRanges("vm-2", null, List.of("10.0.1.0/24"));
                        });
                  } catch (Exception ex) {
                    throw new AssertionError(ex);
                  }
                });
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    Thread second =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    cache.update(
                        e -> {
                          secondSaw.set(e);
                          return e;
                        });
                  } catch (Exception ex) {
                    throw new AssertionError(ex);
                  }
                });
    second.join(300);
    // The second writer waits for the lock while the first is inside; readers never wait.
    assertThat(second.isAlive()).isTrue();
    assertThat(cache.read().cidrsFor(null, null)).containsExactly("10.0.0.0/24");
    release.countDown();
    first.join(10_000);
    second.join(10_000);
    assertThat(secondSaw.get().cidrsFor(null, null)).containsExactly("10.0.1.0/24");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
