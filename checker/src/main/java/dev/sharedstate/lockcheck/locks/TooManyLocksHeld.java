package dev.sharedstate.lockcheck.locks;

/**
 * Thrown when one program point would hold more than {@link Held#MAX_HELD} lock acquisitions: no real
 * code nests that deep (generated or mutated code does), and the flow analysis grows faster than
 * linearly with it, so the file is reported as not analysed instead of stalling the run.
 */
public final class TooManyLocksHeld extends RuntimeException {
  public TooManyLocksHeld() {
    super("more than " + Held.MAX_HELD + " lock acquisitions held at once", null, false, false);
  }
}
