package io.xcluster.cni.router.netlink;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The messages of one dump, taken datagram by datagram until {@code NLMSG_DONE}. Messages of other
 * sequence numbers (late answers, notifications) are skipped. Whether the kernel flagged the dump
 * inconsistent ({@code NLM_F_DUMP_INTR}) is remembered, so the caller can run it again.
 */
final class DumpCollector<T> {
  /** Parses one message of a dump; returns null to leave it out. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(Message message);
  }

  private final int seq;
  private final Parser<T> parser;
  private final List<T> results = new ArrayList<>();
  private boolean interrupted;

  DumpCollector(int seq, Parser<T> parser) {
    this.seq = seq;
    this.parser = parser;
  }

  /**
   * Takes one received datagram.
   *
   * @return true once the dump is complete
   * @throws NetlinkException when the kernel refused or aborted the dump
   */
  boolean take(ByteBuffer datagram) throws NetlinkException {
    for (Message m : Message.split(datagram)) {
      if (m.header().seq() != seq) {
        continue;
      }
      interrupted |= m.header().has(NetlinkHeader.NLM_F_DUMP_INTR);
      switch (m.header().type()) {
        case NetlinkHeader.NLMSG_DONE -> {
          Optional<NetlinkException> error = ErrorMessage.parseDone(m.header(), m.payload());
          if (error.isPresent()) {
            throw error.get();
          }
          return true;
        }
        case NetlinkHeader.NLMSG_ERROR -> {
          Optional<NetlinkException> error =
              ErrorMessage.parse(m.header(), m.payload()).exception();
          if (error.isPresent()) {
            throw error.get();
          }
        }
        case NetlinkHeader.NLMSG_NOOP, NetlinkHeader.NLMSG_OVERRUN -> {}
        default -> {
          T parsed = parser.parse(m);
          if (parsed != null) {
            results.add(parsed);
          }
        }
      }
    }
    return false;
  }

  /** Whether the kernel flagged any message of the dump with {@code NLM_F_DUMP_INTR}. */
  boolean interrupted() {
    return interrupted;
  }

  List<T> results() {
    return results;
  }
}
