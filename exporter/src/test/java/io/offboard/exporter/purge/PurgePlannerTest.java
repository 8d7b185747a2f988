package io.offboard.exporter.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.offboard.exporter.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which sources a purge covers, in which order, and what it refuses before reading anything. */
class PurgePlannerTest {

    private static final Registry BUNDLED = Registry.bundled();

    private static Registry withService(Registry.Service extra) {
        List<Registry.Service> services = new ArrayList<>(BUNDLED.services());
        services.add(extra);
        return new Registry(BUNDLED.version(), BUNDLED.tenantDirectory(), BUNDLED.accessTable(), services,
                BUNDLED.backups(), BUNDLED.exclusions(), BUNDLED.protectedResources());
    }

    private static Registry withBackup(Registry.Bucket backup) {
        List<Registry.Bucket> backups = new ArrayList<>(BUNDLED.backups());
        backups.add(backup);
        return new Registry(BUNDLED.version(), BUNDLED.tenantDirectory(), BUNDLED.accessTable(), BUNDLED.services(),
                backups, BUNDLED.exclusions(), BUNDLED.protectedResources());
    }

    @Test
    void everyRegistrySourceInEveryTierWithTheTenantDirectoryLast() {
        List<PurgeSource> sources = PurgePlanner.sources(BUNDLED, "acme",
                List.of(new ExtraLocation("offboard-exports", "exports/acme/")));
        assertThat(sources).extracting(PurgeSource::id).containsExactly(
                "dynamodb:uas_users",
                "dynamodb:ord_orders",
                "s3:g3n-ord-attachments/acme/",
                "dynamodb:evt_changelog",
                "s3:g3n-evt-usage/orgcode=acme/",
                "s3:g3n-backup/acme/",
                "s3:offboard-exports/exports/acme/",
                "dynamodb:uas_orgs");
        assertThat(sources).extracting(PurgeSource::tier).containsExactly(Tier.TENANT, Tier.TENANT, Tier.TENANT,
                Tier.TENANT, Tier.TENANT, Tier.BACKUP, Tier.EXPORT_ARCHIVES, Tier.TENANT);
        assertThat(sources).extracting(PurgeSource::service)
                .containsExactly("uas", "ord", "ord", "evt", "evt", "backups", "exports", "uas");
    }

    @Test
    void aProtectedTableIsRefusedByName() {
        Registry registry = withService(new Registry.Service("ops", "operations", List.of(
                new Registry.Table("ops_main", Registry.FindBy.PARTITION_KEY, "pk", null, null)), List.of()));
        assertThatThrownBy(() -> PurgePlanner.sources(registry, "acme", List.of()))
                .isInstanceOfSatisfying(ProtectedResourceException.class,
                        e -> assertThat(e.resources()).containsExactly("ops_main"))
                .hasMessageContaining("dynamodb:ops_main").hasMessageContaining("never");
    }

    @Test
    void aTableUnderAProtectedNamePrefixIsRefused() {
        Registry registry = withService(new Registry.Service("admin", "admin", List.of(
                new Registry.Table("g3nmhsadmin_config", Registry.FindBy.SCAN, null, null, "orgcode")), List.of()));
        assertThatThrownBy(() -> PurgePlanner.sources(registry, "acme", List.of()))
                .isInstanceOf(ProtectedResourceException.class).hasMessageContaining("g3nmhsadmin_config");
    }

    @Test
    void protectedBucketsAreRefusedInEveryTier() {
        Registry service = withService(new Registry.Service("docs", "docs", List.of(),
                List.of(new Registry.Bucket("doc.g3nretailstack.com", "{orgcode}/"))));
        assertThatThrownBy(() -> PurgePlanner.sources(service, "acme", List.of()))
                .isInstanceOf(ProtectedResourceException.class).hasMessageContaining("doc.g3nretailstack.com");
        Registry backup = withBackup(new Registry.Bucket("mcp.g3nretailstack.com", "{orgcode}/"));
        assertThatThrownBy(() -> PurgePlanner.sources(backup, "acme", List.of()))
                .isInstanceOf(ProtectedResourceException.class).hasMessageContaining("mcp.g3nretailstack.com");
        assertThatThrownBy(() -> PurgePlanner.sources(BUNDLED, "acme",
                List.of(new ExtraLocation("doc.g3nretailstack.com", "exports/acme/"))))
                .isInstanceOf(ProtectedResourceException.class).hasMessageContaining("export archives");
    }

    @Test
    void everyProtectedSourceIsNamedAtOnce() {
        Registry registry = withService(new Registry.Service("ops", "operations", List.of(
                new Registry.Table("ops_main", Registry.FindBy.PARTITION_KEY, "pk", null, null)),
                List.of(new Registry.Bucket("mcp.g3nretailstack.com", "{orgcode}/"))));
        assertThatThrownBy(() -> PurgePlanner.sources(registry, "acme", List.of()))
                .isInstanceOfSatisfying(ProtectedResourceException.class, e -> assertThat(e.resources())
                        .containsExactly("ops_main", "mcp.g3nretailstack.com"));
    }

    @Test
    void aPrefixThatCouldSelectAnotherTenantIsRefused() {
        assertThat(PurgePlanner.confinesTenant("acme/", "acme")).isTrue();
        assertThat(PurgePlanner.confinesTenant("orgcode=acme/", "acme")).isTrue();
        assertThat(PurgePlanner.confinesTenant("exports/acme/", "acme")).isTrue();
        assertThat(PurgePlanner.confinesTenant("acme", "acme")).as("also acme-corp/...").isFalse();
        assertThat(PurgePlanner.confinesTenant("exports/", "acme")).isFalse();
        assertThat(PurgePlanner.confinesTenant("exports/acme-corp/", "acme")).isFalse();
        assertThatThrownBy(() -> PurgePlanner.sources(BUNDLED, "acme",
                List.of(new ExtraLocation("offboard-exports", "exports/"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not confine");
        Registry everyone = withBackup(new Registry.Bucket("g3n-other-backup", "dumps/"));
        assertThatThrownBy(() -> PurgePlanner.sources(everyone, "acme", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("g3n-other-backup");
    }

    @Test
    void anOrgcodeCannotCarryPathsOrTemplates() {
        for (String bad : new String[] {"", " ", "a/b", "../x", "{orgcode}", "acme/", "*"}) {
            assertThatThrownBy(() -> PurgePlanner.sources(BUNDLED, bad, List.of())).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> PurgePlanner.sources(BUNDLED, null, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSameLocationTwiceIsOneSource() {
        List<PurgeSource> sources = PurgePlanner.sources(BUNDLED, "acme", List.of(
                new ExtraLocation("offboard-exports", "exports/acme/"),
                new ExtraLocation("offboard-exports", "exports/acme/")));
        assertThat(sources).extracting(PurgeSource::id).filteredOn(id -> id.contains("offboard-exports")).hasSize(1);
    }
}
