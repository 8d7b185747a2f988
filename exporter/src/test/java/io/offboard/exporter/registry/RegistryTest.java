package io.offboard.exporter.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RegistryTest {

    private static final Registry REGISTRY = Registry.bundled();

    private static Registry.Table table(String name) {
        return REGISTRY.services().stream().flatMap(s -> s.tables().stream())
                .filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void bundledRegistryLoads() {
        assertThat(REGISTRY.version()).isNotBlank();
        assertThat(REGISTRY.services()).extracting(Registry.Service::name).contains("uas", "ord", "evt");
        assertThat(REGISTRY.tenantDirectory().table()).isEqualTo("uas_orgs");
        assertThat(REGISTRY.protectedResources().covers("ops_main")).isTrue();
    }

    @Test
    void everyTableSaysHowATenantIsFound() {
        for (Registry.Service service : REGISTRY.services()) {
            for (Registry.Table table : service.tables()) {
                assertThat(table.findBy()).as(table.name()).isNotNull();
                switch (table.findBy()) {
                    case PARTITION_KEY -> assertThat(table.key()).as(table.name()).isNotBlank();
                    case GSI -> assertThat(List.of(table.key(), table.index())).as(table.name()).allMatch(s -> s != null && !s.isBlank());
                    case SCAN -> assertThat(table.attribute()).as(table.name()).isNotBlank();
                }
                assertThat(table.columns().values()).as(table.name()).allMatch(Registry.COLUMN_TYPES::contains);
            }
        }
    }

    @Test
    void ordersDeclareRevisionAndTypedColumnsInOrder() {
        Registry.Table orders = table("ord_orders");
        assertThat(orders.findBy()).isEqualTo(Registry.FindBy.PARTITION_KEY);
        assertThat(orders.revision()).isEqualTo("revision");
        assertThat(orders.columns()).containsExactly(
                Map.entry("order_id", "string"), Map.entry("amount", "double"), Map.entry("currency", "string"),
                Map.entry("created_at", "timestamp"), Map.entry("status", "string"), Map.entry("paid", "boolean"),
                Map.entry("customer_ref", "string"));
        assertThat(table("evt_changelog").revision()).isNull();
        assertThat(table("evt_changelog").columns()).containsEntry("sequence", "long").containsEntry("occurred_at", "timestamp");
        assertThat(table("uas_users").revision()).isEqualTo("revision");
    }

    @Test
    void columnsAndRevisionAreOptional() {
        Registry.Table plain = new Registry.Table("t_plain", Registry.FindBy.SCAN, null, null, "tenant");
        assertThat(plain.revision()).isNull();
        assertThat(plain.columns()).isEmpty();
    }

    @Test
    void unknownColumnTypeIsRefused() {
        String yaml = """
                version: "x"
                services:
                  - name: s
                    tables:
                      - name: t_one
                        find_by: scan
                        attribute: tenant
                        columns:
                          amount: money
                """;
        assertThatThrownBy(() -> Registry.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))))
                .hasStackTraceContaining("amount").hasStackTraceContaining("money");
    }

    @Test
    void theBackupAllowanceIsNoneByDefaultAndATableMayDeclareItsOwn() {
        assertThat(REGISTRY.backupAllowance()).isEqualTo(java.time.Duration.ZERO);
        assertThat(REGISTRY.tables()).allSatisfy(t -> assertThat(REGISTRY.backupAllowance(t))
                .isEqualTo(java.time.Duration.ZERO));
        String yaml = """
                version: "x"
                backup_allowance: P7D
                services:
                  - name: s
                    tables:
                      - name: t_one
                        find_by: scan
                        attribute: tenant
                      - name: t_two
                        find_by: scan
                        attribute: tenant
                        backup_allowance: P35D
                """;
        Registry read = read(yaml);
        assertThat(read.backupAllowance(read.tables().get(0))).isEqualTo(java.time.Duration.ofDays(7));
        assertThat(read.backupAllowance(read.tables().get(1))).isEqualTo(java.time.Duration.ofDays(35));
        assertThat(read(yaml.replace("P7D", "PT0S").replace("    backup_allowance: P35D\n", "")).backupAllowance())
                .isZero();
        assertThatThrownBy(() -> read(yaml.replace("P7D", "-P1D"))).hasStackTraceContaining("negative");
    }

    private static Registry read(String yaml) {
        try {
            return Registry.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void tableNamesAreUnique() {
        List<String> names = REGISTRY.services().stream().flatMap(s -> s.tables().stream()).map(Registry.Table::name).toList();
        Set<String> unique = names.stream().collect(Collectors.toSet());
        assertThat(unique).hasSameSizeAs(names);
    }
}
