package io.offboard.local.support;

import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.platform.SeedSummary;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The embedded stack holding the seeded demo platform, for one test class:
 * {@code @RegisterExtension static final SeededPlatform PLATFORM = new SeededPlatform();}.
 */
public final class SeededPlatform implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedStack stack;
    private SeedSummary seeded;

    @Override
    public void beforeAll(ExtensionContext context) {
        stack = EmbeddedStack.start(StackOptions.inMemory());
        seeded = DemoPlatform.seed(stack.dynamo(), stack.s3());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (stack != null) {
            stack.close();
        }
    }

    public EmbeddedStack stack() {
        return stack;
    }

    /** What the seed wrote, per tenant and source. */
    public SeedSummary seeded() {
        return seeded;
    }
}
