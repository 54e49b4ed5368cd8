package io.xcluster.cni.router.nodes;

import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.Watchable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * A Node watch as client-java's reflector consumes it: one event per line of the streaming
 * response, each decoded by {@link NodeJson}. A broken stream fails {@link #hasNext()} with the
 * message client-java's own {@code Watch} uses ("IO Exception during hasNext"), which the reflector
 * answers with a quiet re-list.
 */
final class NodeWatch implements Watchable<V1Node> {
  private final Response response;
  private final BufferedSource source;
  private final NodeJson json;

  NodeWatch(Response response, NodeJson json) {
    this.response = response;
    this.source = response.body().source();
    this.json = json;
  }

  @Override
  public boolean hasNext() {
    try {
      return !source.exhausted();
    } catch (IOException e) {
      throw new RuntimeException("IO Exception during hasNext method.", e);
    }
  }

  @Override
  public Watch.Response<V1Node> next() {
    try {
      String line = source.readUtf8Line();
      if (line == null) {
        throw new NoSuchElementException("the watch has ended");
      }
      return json.readEvent(line);
    } catch (IOException e) {
      throw new UncheckedIOException("IO Exception during next method: " + e.getMessage(), e);
    }
  }

  @Override
  public Iterator<Watch.Response<V1Node>> iterator() {
    return this;
  }

  @Override
  public void close() {
    response.close();
  }
}
