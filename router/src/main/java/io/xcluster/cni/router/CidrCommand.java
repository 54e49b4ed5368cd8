package io.xcluster.cni.router;

import io.xcluster.cni.annotations.DoubleSlashCidr;
import java.math.BigInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code xcluster-cni cidr 172.20.0.0/16/24 5} prints {@code 172.20.5.0/24}: the n-th CIDR of the
 * second length inside the pool, for building per-node annotation values.
 */
@Command(
    name = "cidr",
    description = {
      "Print the n-th CIDR of a double-slash pool.",
      "Example: cidr 172.20.0.0/16/24 5 prints 172.20.5.0/24."
    })
final class CidrCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "POOL", description = "address/bits1/bits2")
  String pool;

  @Parameters(index = "1", paramLabel = "N", description = "the number to put between the bits")
  BigInteger n;

  @Override
  public void run() {
    try {
      spec.commandLine().getOut().println(DoubleSlashCidr.create(pool, n));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e, null, pool);
    }
  }
}
