package io.offboard.lifecycle.store;

/** Another open eviction already holds the tenant. */
public class TenantClaimedException extends RuntimeException {
    public TenantClaimedException(String tenant) {
        super("tenant " + tenant + " is already held by another open eviction");
    }
}
