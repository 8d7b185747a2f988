package io.offboard.lifecycle.store;

/** The record changed since it was read (its revision moved on); re-read and decide again. */
public class ConcurrentChangeException extends RuntimeException {
    public ConcurrentChangeException(String message) {
        super(message);
    }
}
