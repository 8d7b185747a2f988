package io.offboard.bot.config;

import io.micronaut.context.annotation.Factory;
import io.offboard.exporter.platform.TenantAccess;
import io.offboard.exporter.platform.TenantDirectory;
import io.offboard.lifecycle.eviction.EvictionJourney;
import io.offboard.lifecycle.store.LeaseStore;
import io.offboard.exporter.registry.Registry;
import io.offboard.lifecycle.eviction.IntakeRules;
import io.offboard.lifecycle.store.AuditLog;
import io.offboard.lifecycle.store.BotTables;
import io.offboard.lifecycle.store.DedupeStore;
import io.offboard.lifecycle.store.DeliveryStore;
import io.offboard.lifecycle.store.EvictionStore;
import io.offboard.lifecycle.store.LoginPins;
import io.offboard.lifecycle.store.WriteBudgets;
import jakarta.inject.Singleton;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The framework-free domain objects of lifecycle and exporter, as beans. */
@Factory
public class DomainFactory {

    @Singleton
    EvictionStore evictionStore(DynamoDbClient dynamo, BotTables tables) {
        return new EvictionStore(dynamo, tables);
    }

    @Singleton
    DedupeStore dedupeStore(DynamoDbClient dynamo, BotTables tables, Clock clock) {
        return new DedupeStore(dynamo, tables, clock);
    }

    @Singleton
    AuditLog auditLog(DynamoDbClient dynamo, BotTables tables, Clock clock) {
        return new AuditLog(dynamo, tables, clock);
    }

    @Singleton
    DeliveryStore deliveryStore(DynamoDbClient dynamo, BotTables tables, Clock clock, DeliveryStore.Overflow overflow) {
        return new DeliveryStore(dynamo, tables, clock, overflow);
    }

    @Singleton
    WriteBudgets writeBudgets(DynamoDbClient dynamo, BotTables tables, Clock clock) {
        return new WriteBudgets(dynamo, tables, clock);
    }

    @Singleton
    LoginPins loginPins(DynamoDbClient dynamo, BotTables tables) {
        return new LoginPins(dynamo, tables);
    }

    @Singleton
    IntakeRules intakeRules(Clock clock) {
        return new IntakeRules(clock);
    }

    @Singleton
    EvictionJourney evictionJourney(Clock clock) {
        return new EvictionJourney(clock);
    }

    @Singleton
    LeaseStore leaseStore(DynamoDbClient dynamo, BotTables tables, Clock clock) {
        return new LeaseStore(dynamo, tables, clock);
    }

    @Singleton
    TenantAccess tenantAccess(DynamoDbClient dynamo, Registry registry) {
        return new TenantAccess(dynamo, registry);
    }

    @Singleton
    TenantDirectory tenantDirectory(DynamoDbClient dynamo, Registry registry) {
        return new TenantDirectory(dynamo, registry);
    }
}
