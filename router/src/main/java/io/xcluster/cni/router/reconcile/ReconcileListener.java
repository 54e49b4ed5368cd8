package io.xcluster.cni.router.reconcile;

/**
 * Told about every reconcile, on the reconciling thread: metrics, readiness and Node Events hang
 * off this. Implementations must be quick and must not throw.
 */
public interface ReconcileListener {
  /** A reconcile ran to the end (some operations may have failed). */
  default void reconciled(ReconcileOutcome outcome) {}

  /** A reconcile could not run: the kernel or the host could not be asked. */
  default void failed(Exception cause) {}

  /** Calls every listener in order. */
  static ReconcileListener all(ReconcileListener... listeners) {
    return new ReconcileListener() {
      @Override
      public void reconciled(ReconcileOutcome outcome) {
        for (ReconcileListener l : listeners) {
          l.reconciled(outcome);
        }
      }

      @Override
      public void failed(Exception cause) {
        for (ReconcileListener l : listeners) {
          l.failed(cause);
        }
      }
    };
  }
}
