package dev.sharedstate.lockcheck;

/**
 * One lock held at a blocking call: what it is ({@code lock}, e.g. {@code this} or
 * {@code rw.readLock()}), the kind of region, where it was taken and (if seen) where it is released,
 * with the labels the text format prints under those spans.
 *
 * @param released null when the lock is not released in the same body
 */
public record LockEvidence(
    String lock, String kind, Span acquired, String acquiredLabel, Span released, String releasedLabel) {}
