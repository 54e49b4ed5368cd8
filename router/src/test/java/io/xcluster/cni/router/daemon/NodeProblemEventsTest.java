package io.xcluster.cni.router.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.xcluster.cni.router.plan.NodeProblem;
import io.xcluster.cni.router.plan.Plan;
import io.xcluster.cni.router.reconcile.ReconcileOutcome;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class NodeProblemEventsTest {
  final List<String> posted = new CopyOnWriteArrayList<>();
  final AtomicBoolean apiDown = new AtomicBoolean();
  final NodeEventSink sink =
      (node, reason, message) -> {
        if (apiDown.get()) {
          throw new IOException("connection refused");
        }
        posted.add(node + " " + reason + " " + message);
      };

  static ReconcileOutcome outcome(NodeProblem... problems) {
    return new ReconcileOutcome(
        new Plan(List.of(), List.of(), List.of(), List.of(problems)),
        List.of(),
        List.of(),
        0,
        Duration.ZERO);
  }

  @Test
  void postsEachProblemOnceWhileItLastsAndAgainWhenItComesBack() throws Exception {
    NodeProblem p = new NodeProblem("b", "bad CIDR");
    try (NodeProblemEvents events = new NodeProblemEvents(sink)) {
      events.reconciled(outcome(p));
      events.reconciled(outcome(p));
      events.reconciled(outcome(p, new NodeProblem("c", "no address")));
      events.reconciled(outcome());
      events.reconciled(outcome(p));
      events.close();
    }
    assertThat(posted)
        .containsExactly(
            "b RouteProblem bad CIDR", "c RouteProblem no address", "b RouteProblem bad CIDR");
  }

  @Test
  void aProblemThatCouldNotBePostedIsPostedLater() throws Exception {
    NodeProblem p = new NodeProblem("b", "bad CIDR");
    try (NodeProblemEvents events = new NodeProblemEvents(sink)) {
      apiDown.set(true);
      events.reconciled(outcome(p));
      Thread.sleep(200);
      apiDown.set(false);
      events.reconciled(outcome(p));
      events.close();
    }
    assertThat(posted).containsExactly("b RouteProblem bad CIDR");
  }
}
