package io.offboard.lifecycle.store;

import java.util.Optional;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Optimistic updates of a record written conditionally on its revision (evictions, exports): apply a change, and if
 * someone else wrote the record in between, read it again and apply the change to what is there now.
 */
final class Revisions {

    private Revisions() {
    }

    /**
     * Applies {@code change} starting from {@code known}, writing with {@code update}; on a
     * {@link ConcurrentChangeException} re-reads with {@code reread} and tries again, at most {@code attempts} times
     * (then the last exception is thrown). {@code change} returns empty when there is nothing (left) to do: the record
     * as last read is returned.
     */
    static <T> T modify(T known, Function<T, Optional<T>> change, BinaryOperator<T> update,
                        Supplier<Optional<T>> reread, int attempts) {
        T current = known;
        for (int attempt = 1; ; attempt++) {
            Optional<T> next = change.apply(current);
            if (next.isEmpty()) {
                return current;
            }
            try {
                return update.apply(current, next.get());
            } catch (ConcurrentChangeException e) {
                if (attempt >= attempts) {
                    throw e;
                }
                current = reread.get().orElseThrow(() -> e);
            }
        }
    }
}
