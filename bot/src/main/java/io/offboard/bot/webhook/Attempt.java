package io.offboard.bot.webhook;

/**
 * Which try at a stored delivery this is: {@code number} 1 the first time; more after a worker died or a try
 * failed, when some of the delivery's effects may already be there and must not be repeated.
 */
public record Attempt(String deliveryId, int number) {

    public boolean retry() {
        return number > 1;
    }
}
